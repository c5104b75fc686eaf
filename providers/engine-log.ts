/**
 * Warnings from the provider process to the person running `pulumi`: the engine prints a message
 * sent through its Log service among the run's diagnostics, whereas what a dynamic provider
 * writes to stdout or stderr only reaches the engine's debug log. The engine's address is the
 * provider's first argument, as the engine starts every provider.
 */
import { createRequire } from "node:module";

let client: { log(req: unknown, cb: (err: Error | null) => void): void } | undefined;
// The SDK's generated gRPC stubs and its grpc-js, loaded from the SDK that runs this process.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let proto: any;

function engine(): typeof client {
  const address = process.argv[2];
  if (client || !address || !/^[\w.[\]:-]+:\d+$/.test(address)) return client;
  const sdk = createRequire(require.resolve("@pulumi/pulumi"));
  const grpc = sdk("@grpc/grpc-js");
  const rpc = sdk("./proto/engine_grpc_pb");
  proto = sdk("./proto/engine_pb");
  client = new rpc.EngineClient(address, grpc.credentials.createInsecure());
  return client;
}

/** Prints `message` as a warning of the run; falls back to stderr (the engine's debug log). */
export const warn = (message: string): Promise<void> => log("WARNING", message);

/** Prints `message` among the run's diagnostics as information (what the summary cannot say). */
export const info = (message: string): Promise<void> => log("INFO", message);

function log(severity: "WARNING" | "INFO", message: string): Promise<void> {
  const fallback = () => process.stderr.write(`${severity.toLowerCase()}: ${message}\n`);
  return new Promise((resolve) => {
    let to: ReturnType<typeof engine>;
    try {
      to = engine();
    } catch {
      to = undefined;
    }
    if (!to) {
      fallback();
      resolve();
      return;
    }
    const req = new proto.LogRequest();
    req.setSeverity(proto.LogSeverity[severity]);
    req.setMessage(message);
    to.log(req, (err) => {
      if (err) fallback();
      resolve();
    });
  });
}

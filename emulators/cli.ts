/**
 * Runs all emulators until interrupted:
 *   tsx emulators/cli.ts [--port-mailtrap N --port-sendgrid N --port-mailjet N --port-admin N
 *                         --host H --admin-host H --state FILE --state-dir DIR --no-rate-limits --seed N
 *                         --response-shape NAME=VALUE ...]
 * Prints one `<name> <base URL>` line per server when ready; saves state on SIGINT/SIGTERM.
 */
import { validateShapes } from "./core/shapes";
import { startEmulators, type EmulatorOptions } from "./index";

export const DEFAULT_CLI_PORTS = { mailtrap: 4011, sendgrid: 4012, mailjet: 4013, admin: 4010 };

const USAGE =
  "usage: tsx emulators/cli.ts [--port-mailtrap N] [--port-sendgrid N] [--port-mailjet N] [--port-admin N]\n" +
  "                            [--host H] [--admin-host H] [--state FILE] [--state-dir DIR] [--no-rate-limits] [--seed N]\n" +
  "                            [--response-shape NAME=VALUE]... (e.g. sendgridApiKey=flat; see emulators/README.md)\n" +
  "--host sets the vendor APIs' interface; the admin surface stays on loopback unless --admin-host names another.";

export function parseArgs(argv: string[]): EmulatorOptions {
  const ports = { ...DEFAULT_CLI_PORTS };
  const opts: EmulatorOptions = { ports };
  const args = [...argv];
  const value = (flag: string): string => {
    const v = args.shift();
    if (v === undefined || v.startsWith("--")) throw new Error(`Expected a value after ${flag}`);
    return v;
  };
  const int = (flag: string, min: number): number => {
    const v = value(flag);
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > 65535 * 65536) throw new Error(`Expected \`${flag}\` to be an integer from ${min} and up, got ${v}`);
    return Number(v);
  };
  while (args.length > 0) {
    const arg = args.shift()!;
    const port = /^--port-(mailtrap|sendgrid|mailjet|admin)$/.exec(arg);
    if (port) ports[port[1] as keyof typeof ports] = int(arg, 0);
    else if (arg === "--state") opts.stateFile = value(arg);
    else if (arg === "--host") opts.host = value(arg);
    else if (arg === "--admin-host") opts.adminHost = value(arg);
    else if (arg === "--state-dir") opts.stateDir = value(arg);
    else if (arg === "--no-rate-limits") opts.rateLimits = false;
    else if (arg === "--seed") opts.seed = int(arg, 0);
    else if (arg === "--response-shape") {
      const [name, shape] = value(arg).split("=", 2);
      const checked = validateShapes({ [name!]: shape });
      if (typeof checked === "string") throw new Error(`--response-shape ${name}=${shape ?? ""}: ${checked}`);
      opts.responseShapes = { ...opts.responseShapes, ...checked };
    }
    else if (arg === "--help" || arg === "-h") throw new Error(USAGE);
    else throw new Error(`Unknown argument ${arg}\n${USAGE}`);
  }
  return opts;
}

/** Starts the emulators and keeps them running until SIGINT or SIGTERM (also `mailform emulator`). */
export async function main(argv = process.argv.slice(2)): Promise<void> {
  let opts: EmulatorOptions;
  try {
    opts = parseArgs(argv);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(2);
  }
  const emu = await startEmulators(opts);
  for (const [name, url] of Object.entries(emu.urls)) console.log(`${name} ${url}`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    emu.close().then(
      () => {
        if (opts.stateFile) console.error(`state saved to ${opts.stateFile} (${signal})`);
        process.exit(0);
      },
      (err: unknown) => {
        console.error(`failed to stop cleanly: ${String(err)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  });
}

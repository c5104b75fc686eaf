// Preloaded into `mailform validate` by test/config/cli.test.ts: any network connection or any load
// of the Pulumi engine, the program, the provider runtime (entry, runtime, registry) or the
// emulators is reported on stderr and refused. The kind definitions under providers/ may load:
// validate checks natural keys with them, and loading them opens nothing. Local IPC (a Unix socket
// path, which tsx's loader uses to reach its parent) is not network access.
const net = require("node:net");
const Module = require("node:module");

const report = (what) => process.stderr.write(`FORBIDDEN: ${what}\n`);

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function (...args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  const ipc = (first && typeof first === "object" && typeof first.path === "string") || (typeof first === "string" && isNaN(Number(first)));
  if (ipc) return connect.apply(this, args);
  report("network connection");
  throw new Error("mailform validate must not open network connections");
};
if (typeof globalThis.fetch === "function") {
  globalThis.fetch = () => {
    report("fetch");
    throw new Error("mailform validate must not fetch");
  };
}
// Only mailform's own modules of those names: a library may have a `runtime` of its own (handlebars).
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const where = String(parent?.filename ?? "") + "/" + request;
  if (/^@pulumi\//.test(request) || /[\\/](emulators|engine|program)[\\/]/.test(where) || (!/[\\/]node_modules[\\/]/.test(where) && /(^|[\\/])(entry|runtime(\.cjs)?|registry)$/.test(request)))
    report(`load of ${request}`);
  return load.call(this, request, parent, isMain);
};

/**
 * providers/watchdog.cjs on its own: a stand-in provider (node, loading the watchdog) started the
 * way the SDK's launcher starts one, as the child of a shell script named
 * `pulumi-resource-pulumi-nodejs` that passes the engine's address on, under a stand-in engine
 * that listens on that address. The provider must stay while the engine runs, and exit (70) within
 * about a second when the engine process is killed (the shell outlives it) or when the engine's
 * address refuses connections.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const WATCHDOG = path.join(__dirname, "..", "..", "providers", "watchdog.cjs");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-watchdog-"));
const started: ChildProcess[] = [];
afterAll(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

// The provider: writes its pid, starts the watchdog on its argument, and idles.
const provider = path.join(dir, "provider.cjs");
fs.writeFileSync(provider, `require(${JSON.stringify(WATCHDOG)}).watchEngine(process.argv[2]);\nconsole.log(process.pid);\nsetInterval(() => {}, 1000);\n`);
// The SDK's launcher, in substance: node as a child of the shell (no exec).
const launcher = path.join(dir, "pulumi-resource-pulumi-nodejs");
fs.writeFileSync(launcher, `#!/bin/sh\nnode ${JSON.stringify(provider)} "$@"\n`, { mode: 0o755 });

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
async function until(what: () => boolean, ms: number): Promise<number | undefined> {
  const start = Date.now();
  while (Date.now() - start < ms) {
    if (what()) return Date.now() - start;
    await new Promise((r) => setTimeout(r, 50));
  }
  return undefined;
}
const firstLine = (child: ChildProcess) =>
  new Promise<string>((resolve) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d;
      if (out.includes("\n")) resolve(out.split("\n")[0]!.trim());
    });
  });

describe("the provider's engine watchdog", () => {
  it("stays while the engine listens; exits 70 within about a second when the engine's address refuses connections", async () => {
    // This test process is the engine: it listens and starts the launcher.
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const address = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    const shell = spawn(launcher, [address], { stdio: ["ignore", "pipe", "inherit"] });
    started.push(shell);
    const pid = Number(await firstLine(shell));
    const exited = new Promise<number | null>((r) => shell.on("exit", (code) => r(code)));

    await new Promise((r) => setTimeout(r, 2500));
    expect(alive(pid), "the provider while its engine runs").toBe(true);

    await new Promise<void>((r) => server.close(() => r()));
    const closedAt = Date.now();
    expect(await exited).toBe(70); // the shell passes on its child's exit code
    expect(Date.now() - closedAt).toBeLessThan(2500);
  }, 20_000);

  it("exits within about a second when the engine process is killed, though the launcher shell outlives it", async () => {
    // A separate engine process, listening, that starts the launcher and says the provider's pid.
    const engineScript = `
      const net = require("node:net"); const { spawn } = require("node:child_process");
      const server = net.createServer((s) => s.destroy()).listen(0, "127.0.0.1", () => {
        const shell = spawn(${JSON.stringify(launcher)}, ["127.0.0.1:" + server.address().port], { stdio: ["ignore", "pipe", "inherit"] });
        shell.stdout.on("data", (d) => process.stdout.write(d));
      });`;
    const engine = spawn(process.execPath, ["-e", engineScript], { stdio: ["ignore", "pipe", "inherit"] });
    started.push(engine);
    const pid = Number(await firstLine(engine));
    await new Promise((r) => setTimeout(r, 1500));
    expect(alive(pid)).toBe(true);

    engine.kill("SIGKILL"); // the engine's port closes with it; the shell is reparented and waits on
    const gone = await until(() => !alive(pid) || fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.startsWith("Z"), 5000);
    expect(gone, "ms until the provider was gone").toBeDefined();
    expect(gone!).toBeLessThan(2500);
  }, 20_000);
});

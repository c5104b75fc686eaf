/**
 * Benchmark: the engine set-up and a stack of N Mailtrap projects through the real Pulumi CLI
 * against the emulators. Prints wall times, the peak resident memory of the largest process in
 * each run (GNU time's maxrss over the CLI and its children), the state size per resource and the
 * serialized provider size.
 *
 *   npx tsx bench/apply.ts [--count 50]
 */
import { execFileSync, spawn } from "node:child_process";
import * as path from "node:path";
import { startEmulators } from "../emulators";
import { DEFAULT_CREDENTIALS } from "../emulators/credentials";
import { PROJECT_ROOT } from "../engine/pulumi";
import { TestProject } from "../test/support/project";

const count = Number(process.argv[process.argv.indexOf("--count") + 1] || 50) || 50;

function timed<T>(fn: () => T): [T, number] {
  const start = process.hrtime.bigint();
  const result = fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e9];
}

/**
 * Runs pulumi under GNU time: wall seconds and max RSS (MiB) of the largest process. Asynchronous,
 * because the emulators answering the provider live in this process's event loop.
 */
function measure(project: TestProject, args: string[]): Promise<{ seconds: number; maxRssMiB: number }> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "MAXRSS_KB=%M", "pulumi", ...args, "--stack", project.stack, "--non-interactive"], {
      cwd: project.dir, env: project.env,
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d));
    child.stderr.on("data", (d: Buffer) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) return reject(new Error(`pulumi ${args.join(" ")} failed:\n${out}`));
      const kb = Number(/MAXRSS_KB=(\d+)/.exec(out)?.[1] ?? 0);
      resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, maxRssMiB: kb / 1024 });
    });
  });
}

async function main(): Promise<void> {
  const [, setupSeconds] = timed(() => execFileSync("bash", [path.join(PROJECT_ROOT, "engine", "setup.sh")], { stdio: ["ignore", "pipe", "pipe"] }));
  const emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
  const project = await TestProject.create({
    stack: "bench",
    endpoints: { mailtrap: { url: emu.urls.mailtrap, token: DEFAULT_CREDENTIALS.mailtrap.apiToken } },
  });
  try {
    const entries = Array.from({ length: count }, (_, i) => `    p${i}:\n      name: Bench project ${i}\n`).join("");
    project.writeStack(`mailtrap:\n  projects:\n${entries}`);
    const up = await measure(project, ["up", "--yes", "--skip-preview"]);
    const preview = await measure(project, ["preview", "--expect-no-changes"]);
    const refresh = await measure(project, ["preview", "--refresh", "--expect-no-changes"]);
    const state = await project.exportState();
    const dynamic = state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    const providerBytes = Math.max(...dynamic.map((r) => Buffer.byteLength(String(r.outputs?.__provider))));
    const destroy = await measure(project, ["destroy", "--yes", "--skip-preview"]);

    const rows: [string, string][] = [
      ["resources", String(dynamic.length)],
      ["warm engine set-up (engine/setup.sh)", `${setupSeconds.toFixed(2)} s`],
      [`pulumi up, ${count} creates`, `${up.seconds.toFixed(2)} s, peak RSS ${up.maxRssMiB.toFixed(0)} MiB`],
      ["pulumi preview --expect-no-changes", `${preview.seconds.toFixed(2)} s, peak RSS ${preview.maxRssMiB.toFixed(0)} MiB`],
      ["pulumi preview --refresh (drift check)", `${refresh.seconds.toFixed(2)} s, peak RSS ${refresh.maxRssMiB.toFixed(0)} MiB`],
      [`pulumi destroy, ${count} deletes`, `${destroy.seconds.toFixed(2)} s`],
      ["state (stack export) per resource", `${(Buffer.byteLength(state.text) / dynamic.length).toFixed(0)} bytes`],
      ["serialized provider per resource", `${providerBytes} bytes`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
  } finally {
    project.remove();
    await emu.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

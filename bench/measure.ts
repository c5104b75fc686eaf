/** Timing a Pulumi CLI (or mailform CLI) run for the benchmarks (bench/apply.ts, bench/faults.ts). */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "../engine/pulumi";

export interface Measured {
  seconds: number;
  maxRssMiB: number;
  /** User and system CPU seconds of the CLI and the processes it waited for (the engine's plugins): less sensitive than wall time to other load on the machine. */
  cpuSeconds: number;
  ok: boolean;
  output: string;
}

/** Runs pulumi under GNU time in `cwd`. Asynchronous: the emulators live in this process's event loop. */
export function measure(cwd: string, env: NodeJS.ProcessEnv, stack: string, args: readonly string[]): Promise<Measured> {
  return timed(cwd, env, ["pulumi", ...args, "--stack", stack, "--non-interactive"]);
}

/** Runs the mailform CLI (`mailform drift`, ...) the same way. */
export function measureMailform(cwd: string, env: NodeJS.ProcessEnv, stack: string, args: readonly string[]): Promise<Measured> {
  return timed(cwd, env, [process.execPath, path.join(PROJECT_ROOT, "cli", "mailform.cjs"), ...args, "--stack", stack]);
}

function timed(cwd: string, env: NodeJS.ProcessEnv, argv: string[]): Promise<Measured> {
  const start = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "MAXRSS_KB=%M CPU_S=%U+%S", ...argv], { cwd, env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const kb = Number(/MAXRSS_KB=(\d+)/.exec(output)?.[1] ?? 0);
      const cpu = /CPU_S=([\d.]+)\+([\d.]+)/.exec(output);
      resolve({
        seconds: Number(process.hrtime.bigint() - start) / 1e9,
        maxRssMiB: kb / 1024,
        cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : NaN,
        ok: code === 0,
        output,
      });
    });
  });
}

/** Timing a Pulumi CLI run (or another command's) for the benchmarks (bench/apply.ts, bench/faults.ts, bench/preview-command.ts). */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { PROJECT_ROOT } from "../engine/pulumi";

/** mailform's rate-limit settings (environment variables) for runs against emulators that enforce none: no pacing. */
export const UNPACED = { MAILTRAP_RATE_LIMIT: "off", SENDGRID_RATE_LIMIT: "off", MAILJET_RATE_LIMIT: "off" };

export interface Measured {
  seconds: number;
  maxRssMiB: number;
  /** User and system CPU of the command and the processes it waited for (its plugins included). */
  cpuSeconds: number;
  ok: boolean;
  output: string;
}

/**
 * Runs `pulumi <args> --stack <stack> --non-interactive` (or `<command> <args> --stack <stack>`, e.g.
 * the mailform CLI) under GNU time in `cwd`. Asynchronous: the emulators live in this process's
 * event loop.
 */
export function measure(cwd: string, env: NodeJS.ProcessEnv, stack: string, args: readonly string[], command?: readonly string[]): Promise<Measured> {
  const start = process.hrtime.bigint();
  const argv = command ? [...command, ...args, "--stack", stack] : ["pulumi", ...args, "--stack", stack, "--non-interactive"];
  return new Promise((resolve, reject) => {
    const child = spawn("/usr/bin/time", ["-f", "MAXRSS_KB=%M CPU=%U+%S", ...argv], { cwd, env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const kb = Number(/MAXRSS_KB=(\d+)/.exec(output)?.[1] ?? 0);
      const cpu = /CPU=([\d.]+)\+([\d.]+)/.exec(output);
      const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : 0;
      resolve({ seconds: Number(process.hrtime.bigint() - start) / 1e9, maxRssMiB: kb / 1024, cpuSeconds, ok: code === 0, output });
    });
  });
}

/** Runs the mailform CLI of this checkout (`mailform drift`, ...) the same way. */
export function measureMailform(cwd: string, env: NodeJS.ProcessEnv, stack: string, args: readonly string[]): Promise<Measured> {
  return measure(cwd, env, stack, args, [process.execPath, path.join(PROJECT_ROOT, "cli", "mailform.cjs")]);
}

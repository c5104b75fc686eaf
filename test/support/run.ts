/** A command run to its end, its output collected: for tests that drive CLIs other than pulumi. */
import { spawn } from "node:child_process";
import type { PulumiResult } from "../../engine/pulumi";

export function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<PulumiResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d));
    child.stderr.on("data", (d: Buffer) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A run's exit code and output, for an assertion's message. */
export const show = (r: PulumiResult) => `exit ${r.code}\n${r.stdout}\n${r.stderr}`;

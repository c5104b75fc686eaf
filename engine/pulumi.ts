/**
 * Running the Pulumi CLI from mailform's own commands and tests: engine/setup.sh finds or builds
 * the engine once per process, and every call gets the same offline settings (no update checks,
 * no plugin downloads, a local file:// state backend, a passphrase secrets provider).
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const PROJECT_ROOT = path.resolve(__dirname, "..");

let engineBin: string | undefined;

/** Directory holding pulumi, its Node.js language host and the dynamic-provider launcher. */
export function ensureEngine(): string {
  if (!engineBin) {
    const out = execFileSync("bash", [path.join(PROJECT_ROOT, "engine", "setup.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    engineBin = out.trim().split("\n").pop()!;
  }
  return engineBin;
}

export interface EngineEnvOptions {
  /** Directory of the local state backend (created when missing); ignored when backendUrl is given. */
  stateDir?: string;
  /** A team backend instead, e.g. postgres://user:pass@host:5432/db (see docs/ci/README.md). */
  backendUrl?: string;
  /** Passphrase of the stack's secrets provider. */
  passphrase?: string;
  /** Isolated PULUMI_HOME (workspace files); the user's own when omitted. */
  home?: string;
  /** Extra variables, e.g. vendor endpoints for the provider process. */
  extra?: Record<string, string>;
}

export function engineEnv(opts: EngineEnvOptions): NodeJS.ProcessEnv {
  if (!opts.backendUrl && opts.stateDir) fs.mkdirSync(opts.stateDir, { recursive: true });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${ensureEngine()}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    PULUMI_SKIP_CONFIRMATIONS: "true",
    NO_COLOR: "1",
    ...opts.extra,
  };
  // Without a backend or passphrase given, the caller's own (a user's or CI's) settings apply.
  const backend = opts.backendUrl ?? (opts.stateDir ? `file://${path.resolve(opts.stateDir)}` : undefined);
  if (backend) env.PULUMI_BACKEND_URL = backend;
  if (opts.passphrase !== undefined) {
    env.PULUMI_CONFIG_PASSPHRASE = opts.passphrase;
    delete env.PULUMI_CONFIG_PASSPHRASE_FILE;
  }
  if (opts.home) env.PULUMI_HOME = opts.home;
  return env;
}

export interface PulumiResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `pulumi <args>` in `cwd`; resolves with its exit code and output, never rejects on failure. */
export function pulumi(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; echo?: boolean }): Promise<PulumiResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("pulumi", [...args, "--non-interactive"], { cwd: opts.cwd, env: opts.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => {
      stdout += d;
      if (opts.echo) process.stdout.write(d);
    });
    child.stderr.on("data", (d: Buffer) => {
      stderr += d;
      if (opts.echo) process.stderr.write(d);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

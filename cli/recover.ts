/**
 * `mailform recover`: brings a stack back after a `pulumi up` that was killed (a CI timeout's
 * kill -9, a lost runner), with no hand-editing of state and no `adopt: true` edits:
 *
 * 1. a checkpoint the kill left unloadable (file backend: an empty or cut `.json`/`.attrs`) is
 *    restored from the engine's own backup;
 * 2. the stale lock is removed, unless the process that holds it is still running on this machine;
 * 3. the pending operations the engine recorded are cleared from the state; its pending creates
 *    (type, URN and inputs of each) are kept first in `.mailform/recover/<stack>.json`, with any an
 *    earlier recover of the stack that failed still carried (dropped once an update of the stack
 *    has succeeded since);
 * 4. `pulumi up --refresh --run-program` runs in recovery mode, handed that file
 *    (providers/recovery.ts): a create the killed run left pending that finds its object under its
 *    natural key takes it into the state (exactly one match; several is an error naming them), or,
 *    for an API key or token whose secret was shown only to the killed run, deletes it and makes
 *    it again, so its secret is in the stack outputs. Every other create behaves as in a normal
 *    `up`: an object that already has its natural key (made by hand, by another tool) is an error
 *    naming it, unless its entry says `adopt: true`; recover never deletes or adopts it. When the
 *    run succeeds the file is removed; when it fails, the next recover uses it again.
 *
 * Run it only when no other update of the stack is running.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse as parseYaml } from "yaml";
import { engineEnv, pulumi, type PulumiResult } from "../engine/pulumi";
import type { Command } from "./index";
import { RECOVER_ENV, type PendingCreate } from "../providers/recovery";

interface Options {
  stack?: string;
  cwd: string;
  /** Remove a lock even when its process still runs on this machine. */
  force: boolean;
}

function parse(args: string[]): Options | string {
  const out: Options = { cwd: process.cwd(), force: false };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split("=", 2) as [string, string | undefined];
    if (flag === "--force") {
      out.force = true;
      continue;
    }
    const value = inline ?? args[++i];
    if (value === undefined) return `${flag} needs a value`;
    if (flag === "--stack" || flag === "-s") out.stack = value;
    else if (flag === "--cwd") out.cwd = value;
    else return `unknown argument "${args[i]}"`;
  }
  return out;
}

const say = (line: string) => console.error(`mailform recover: ${line}`);

export async function recover(opts: Options): Promise<number> {
  const env = engineEnv({});
  const run = (args: string[], extraEnv: Record<string, string> = {}, echo = false): Promise<PulumiResult> =>
    pulumi([...args, ...(opts.stack ? ["--stack", opts.stack] : [])], { cwd: opts.cwd, env: { ...env, ...extraEnv }, echo });

  const stack = opts.stack ?? (await pulumi(["stack", "--show-name"], { cwd: opts.cwd, env })).stdout.trim();
  if (!stack) {
    say("no stack selected: pass --stack <name>");
    return 1;
  }
  const project = readProjectName(opts.cwd);
  const backend = (await pulumi(["whoami", "--json"], { cwd: opts.cwd, env })).stdout;
  const url = (JSON.parse(backend || "{}") as { url?: string }).url ?? env.PULUMI_BACKEND_URL ?? "";
  const fileRoot = url.startsWith("file://") ? path.join(new URL(url).pathname, ".pulumi") : undefined;

  // 1. A checkpoint the kill left unloadable.
  if (fileRoot) for (const line of repairCheckpoint(fileRoot, project, stack)) say(line);

  // 2. The stale lock.
  if (fileRoot) {
    const holders = liveLockHolders(fileRoot, project, stack);
    if (holders.length > 0 && !opts.force) {
      say(`an update of stack ${stack} is still running (pid ${holders.join(", ")}): wait for it, or stop it first. Nothing was changed.`);
      return 1;
    }
  }
  const cancel = await run(["cancel", "--yes"]);
  if (cancel.code === 0) say("removed the lock of the interrupted update");

  // 3. Pending operations.
  const exported = await run(["stack", "export"]);
  if (exported.code !== 0) {
    say(`cannot read the state of stack ${stack}:\n${exported.stderr.trim()}`);
    return 1;
  }
  const state = JSON.parse(exported.stdout) as {
    deployment: { pending_operations?: { type: string; resource: { urn: string; type: string; inputs?: Record<string, unknown> } }[] };
  };
  const pending = state.deployment.pending_operations ?? [];
  // The creates the recovering run may take over, kept before the state forgets them.
  const carried = carriedFile(opts.cwd, stack);
  const creates = mergeCreates(await carriedCreates(carried, run), pending
    .filter((op) => op.type === "creating")
    .map((op) => ({ urn: op.resource.urn, type: op.resource.type, inputs: op.resource.inputs ?? {} })));
  writeCarried(carried, creates);
  if (pending.length > 0) {
    for (const op of pending) say(`clearing pending ${op.type}: ${op.resource.urn.split("::").pop()}`);
    delete state.deployment.pending_operations;
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mailform-recover-")), "state.json");
    fs.writeFileSync(file, JSON.stringify(state));
    const imported = await run(["stack", "import", "--file", file]);
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
    if (imported.code !== 0) {
      say(`could not write the repaired state:\n${imported.stderr.trim()}`);
      return 1;
    }
  }

  // 4. Converge in recovery mode.
  say(`running pulumi up --refresh --run-program on stack ${stack} in recovery mode`);
  const up = await run(["up", "--yes", "--skip-preview", "--refresh", "--run-program"], { [RECOVER_ENV]: carried }, true);
  if (up.code !== 0) {
    say("the recovering update failed (see above); fix the cause and run mailform recover again");
    if (creates.length > 0) say(`the interrupted run's pending creates stay in ${path.relative(opts.cwd, carried)} for that run`);
    return 1;
  }
  fs.rmSync(carried, { force: true });
  say(`stack ${stack} is recovered and converged`);
  return 0;
}

/** Where recover keeps a stack's pending creates until a recovering run succeeds (git-ignored). */
function carriedFile(cwd: string, stack: string): string {
  return path.join(cwd, ".mailform", "recover", `${encodeURIComponent(stack)}.json`);
}

interface Carried {
  /** When recover wrote the file (ISO time). */
  written: string;
  creates: PendingCreate[];
}

/**
 * The pending creates an earlier recover of this stack kept and whose recovering run failed; none
 * when an update of the stack has succeeded since (it made or adopted whatever it still declares,
 * and what it no longer declares is not to be taken over later).
 */
async function carriedCreates(file: string, run: (args: string[]) => Promise<PulumiResult>): Promise<PendingCreate[]> {
  if (!fs.existsSync(file)) return [];
  let carried: Carried;
  try {
    carried = JSON.parse(fs.readFileSync(file, "utf8")) as Carried;
    if (!Array.isArray(carried.creates) || Number.isNaN(Date.parse(carried.written))) throw new Error("not a list of creates");
  } catch (e) {
    say(`ignoring ${file}: ${(e as Error).message}`);
    return [];
  }
  if (carried.creates.length === 0) return [];
  // History times are whole seconds.
  const since = Math.floor(Date.parse(carried.written) / 1000) * 1000;
  const history = await run(["stack", "history", "--json", "--page-size", "100"]);
  let updates: { kind?: string; result?: string; startTime?: string }[] | undefined;
  try {
    updates = history.code === 0 ? (JSON.parse(history.stdout || "[]") as typeof updates) : undefined;
  } catch {
    updates = undefined;
  }
  if (!updates) {
    say(`cannot read the history of the stack: not taking over the ${carried.creates.length} pending creates an earlier recover kept`);
    return [];
  }
  if (updates.some((u) => u.kind === "update" && u.result === "succeeded" && Date.parse(u.startTime ?? "") >= since)) {
    say(`an update of the stack succeeded since an earlier recover kept ${carried.creates.length} pending creates: forgetting them`);
    return [];
  }
  for (const op of carried.creates) say(`still pending from the interrupted run: creating ${op.urn.split("::").pop()}`);
  return carried.creates;
}

/** Both lists, each create once. */
function mergeCreates(a: PendingCreate[], b: PendingCreate[]): PendingCreate[] {
  const seen = new Set<string>();
  return [...a, ...b].filter((op) => {
    const k = JSON.stringify([op.urn, op.type, op.inputs]);
    return !seen.has(k) && !!seen.add(k);
  });
}

function writeCarried(file: string, creates: PendingCreate[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify({ written: new Date().toISOString(), creates } satisfies Carried));
  fs.renameSync(tmp, file);
}

function readProjectName(cwd: string): string {
  const project = parseYaml(fs.readFileSync(path.join(cwd, "Pulumi.yaml"), "utf8")) as { name?: unknown } | null;
  return typeof project?.name === "string" ? project.name : "mailform";
}

/** Checkpoint files of a stack in a file backend; an unloadable one is replaced from a backup. */
export function repairCheckpoint(root: string, project: string, stack: string): string[] {
  const said: string[] = [];
  const dir = path.join(root, "stacks", project);
  const checkpoint = path.join(dir, `${stack}.json`);
  if (!fs.existsSync(checkpoint)) return said;
  // Attributes are the blob store's metadata (content type, checksum): a cut one makes the whole
  // stack unreadable, and without one the store reads the checkpoint as it is.
  for (const attrs of [`${checkpoint}.attrs`, `${checkpoint}.bak.attrs`]) {
    if (fs.existsSync(attrs) && !isJson(attrs)) {
      fs.rmSync(attrs);
      said.push(`removed ${path.basename(attrs)}, which the interruption left unreadable`);
    }
  }
  if (isJson(checkpoint)) return said;
  const backups = [
    `${checkpoint}.bak`,
    ...listNewestFirst(path.join(root, "backups", project, stack)).filter((f) => f.endsWith(".json")),
  ].filter(isJson);
  if (backups.length === 0) {
    said.push(`${checkpoint} is unreadable and no backup is readable: restore it from your own backups`);
    return said;
  }
  fs.copyFileSync(backups[0]!, checkpoint);
  fs.rmSync(`${checkpoint}.attrs`, { force: true });
  said.push(`restored ${path.basename(checkpoint)} from ${path.basename(backups[0]!)}; the refresh below reads what changed since`);
  return said;
}

/** Pids of this machine's live processes that hold a lock on the stack. */
function liveLockHolders(root: string, project: string, stack: string): number[] {
  const dir = path.join(root, "locks", "organization", project, stack);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .flatMap((f) => {
      try {
        const lock = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8")) as { pid?: number; hostname?: string };
        return lock.hostname === os.hostname() && lock.pid && alive(lock.pid) ? [lock.pid] : [];
      } catch {
        return []; // an unreadable lock file is a stale one
      }
    });
}

/** Whether a process of this machine with that pid exists (one of another user's included). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function isJson(file: string): boolean {
  try {
    const text = fs.readFileSync(file, "utf8");
    JSON.parse(text);
    return text.trim() !== "";
  } catch {
    return false;
  }
}

function listNewestFirst(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => path.join(dir, f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
}

export const recoverCommand: Command = {
  summary: "recover a stack after an interrupted `pulumi up` (stale lock, pending creates, unreadable checkpoint)",
  usage: [
    "usage: mailform recover [--stack <name>] [--cwd <dir>] [--force]",
    "",
    "Run it after a `pulumi up` was killed, when no other update of the stack is running. It",
    "restores an unreadable checkpoint from the engine's backup, removes the stale lock, clears the",
    "pending operations, then runs `pulumi up --refresh --run-program` in recovery mode: objects whose",
    "create the killed run left pending are found by their natural key and taken over (API keys and",
    "tokens, whose secret only the killed run saw, are made again). Any other object that already has",
    "an entry's natural key is an error, as in `pulumi up`, and is left alone. Exit code 0 when the",
    "stack is converged.",
    "",
    "  --force   remove the lock even when the process holding it still runs on this machine",
  ].join("\n"),
  async run(args) {
    const opts = parse(args);
    if (typeof opts === "string") {
      console.error(`mailform recover: ${opts}\n\n${this.usage}`);
      return 2;
    }
    return recover(opts);
  },
};

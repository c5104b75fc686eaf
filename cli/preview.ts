/**
 * The engine's own preview, read for people: runs `pulumi preview --json` (with `--refresh` for
 * drift) through engine/pulumi.ts and turns its steps into one change per mailform object, with
 * the fields that differ. Shared by `mailform drift` and `mailform plan`.
 *
 * Field names are the property names the engine reports for the resource (no mapping table of our
 * own), so the reports follow the providers' inputs. Values the engine masks as secrets stay masked.
 */
import { engineEnv, pulumi } from "../engine/pulumi";
import { KINDS } from "../providers/kinds";
import { entryAddress } from "../providers/resource";

export const SECRET = "[secret]";

/**
 * What `up` would do to one object. `recreate` is a create of an object the state knew: deleted
 * out of band. `move`: the entry's key was renamed with `movedFrom` and nothing else changes.
 */
export type ChangeKind = "create" | "update" | "replace" | "delete" | "recreate" | "move";

export interface FieldChange {
  field: string;
  /** Before the change: the live value (drift, refreshed) or the recorded one (plan). */
  current: unknown;
  /** The value in the stack's YAML. */
  desired: unknown;
}

export interface ObjectChange {
  kind: ChangeKind;
  vendor: string;
  /** Resource kind, e.g. "Inbox". */
  type: string;
  /** The object's path in the stack file, e.g. mailtrap.projects.staging.inboxes.qa. */
  key: string;
  /** The vendor's id, when the object exists. */
  id?: string;
  fields: FieldChange[];
  /** An update or replace whose only differing fields are masked secrets. */
  secretFieldsDiffer: boolean;
  /** Marked `protect: true`: a delete or replace of it makes `up` fail. */
  protected: boolean;
  /** The entry's address before a declared rename (`movedFrom`), when the engine matched it. */
  movedFrom?: string;
  /** For a delete or replace: what it loses that the vendor cannot give back (the kind's `loss`). */
  loses?: string;
  /**
   * A create and a delete of one kind with the same natural key: most likely a renamed key. On the
   * create, the deleted entry's address; on the delete, the created one's.
   */
  probableRename?: string;
  /** For a replace: the fields that force it (the provider's word), not every changed field. */
  replaceReasons?: string[];
  /** Every field the object is to have (secrets masked by the engine); a create shows them all. */
  desired?: Record<string, unknown>;
  /** A create of an entry with `adopt: true`: it takes over a live object with its natural key, if there is one. */
  adopts?: boolean;
  /** For an adopting create: the live object's id; null when none exists and the `up` creates it (cli/adopt-lookup.ts). */
  adoptsId?: string | null;
  /** For an adopting create whose live object could not be told: why. */
  adoptLookupError?: string;
  /** Fields whose live value (refreshed) differs from what the state recorded: drift the `up` overwrites. */
  drifted?: string[];
}

interface StepState {
  urn: string;
  type: string;
  id?: string;
  custom?: boolean;
  protect?: boolean;
  inputs?: Record<string, unknown>;
}

interface PreviewStep {
  op: string;
  urn: string;
  oldState?: StepState;
  newState?: StepState;
  replaceReasons?: string[];
  diffReasons?: string[];
}

export interface PreviewRun {
  code: number;
  /** The engine's JSON document, when it printed one. */
  steps: PreviewStep[];
  /** Every diagnostic and error line the engine and providers printed. */
  messages: string[];
}

/** `pulumi preview --json [--refresh]` of `stack` in the project directory `cwd`, with the caller's backend and secrets. */
export async function runPreview(opts: { stack?: string; cwd: string; refresh: boolean; showSames?: boolean }): Promise<PreviewRun> {
  // --run-program: the refresh then reads with the stack's current credentials, not the ones
  // recorded at the last deployment (which a rotation has revoked). --show-sames: a declared
  // rename is a `same` step whose old URN differs, listed only then.
  const args = [
    "preview",
    "--json",
    ...(opts.refresh ? ["--refresh", "--run-program"] : []),
    ...(opts.showSames ? ["--show-sames"] : []),
    ...(opts.stack ? ["--stack", opts.stack] : []),
  ];
  const result = await pulumi(args, { cwd: opts.cwd, env: engineEnv({}) });
  let doc: { steps?: PreviewStep[]; diagnostics?: { message?: string; severity?: string }[] } = {};
  try {
    doc = JSON.parse(result.stdout);
  } catch {
    // Not JSON: the CLI failed before the preview (no stack, no backend); its message is on stderr.
  }
  const messages = [
    ...(doc.diagnostics ?? []).filter((d) => d.severity === "error").map((d) => d.message ?? ""),
    ...result.stderr.split("\n"),
  ]
    .flatMap((m) => m.split("\n"))
    .map((m) => m.trim())
    .filter(Boolean);
  return { code: result.code, steps: doc.steps ?? [], messages };
}

const OPS: Record<string, ChangeKind | undefined> = {
  create: "create",
  update: "update",
  replace: "replace",
  "create-replacement": "replace",
  "delete-replaced": "replace",
  delete: "delete",
};

const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  ) ?? "undefined";

/**
 * Inputs that are not fields of the object: the engine's, the entry address earlier releases
 * stored, and the life-cycle options (`adopt`), which are never sent to a vendor.
 */
const INTERNAL = new Set(["__provider", "path", "adopt"]);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Fields that differ, nested objects by dotted path (versions.v1.subject), lists as a whole. */
function fieldChanges(current: Record<string, unknown> = {}, desired: Record<string, unknown> = {}, prefix = ""): FieldChange[] {
  const names = [...new Set([...Object.keys(current), ...Object.keys(desired)])].filter((n) => !INTERNAL.has(n)).sort();
  return names.flatMap((n) => {
    const [c, d] = [current[n], desired[n]];
    if (isRecord(c) && isRecord(d)) return fieldChanges(c, d, `${prefix}${n}.`);
    return canonical(c) === canonical(d) ? [] : [{ field: `${prefix}${n}`, current: c, desired: d }];
  });
}

export const kindByType = new Map(KINDS.map((def) => [`pulumi-nodejs:dynamic/${def.kind}`, def]));

/** The stack-file address of the entry behind a resource (its name, for a kind this release lacks). */
function address(type: string, urn: string): string {
  const name = urn.slice(urn.lastIndexOf("::") + 2);
  const def = kindByType.get(type);
  return def ? entryAddress(def, name) : name;
}

/** The engine's stand-in for a value a preview cannot know yet (another resource's id to be made). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * The natural key of a resource's recorded or desired inputs, as its kind defines it; a value the
 * preview cannot know yet (the id of a parent being made) is taken from `known`, the inputs of the
 * object it would replace, so a renamed project's inboxes pair up too.
 */
function naturalKeyOf(type: string, inputs: Record<string, unknown> | undefined, known?: Record<string, unknown>): string | undefined {
  const def = kindByType.get(type);
  if (!def || !inputs) return undefined;
  const fields = Object.fromEntries(
    Object.keys(def.fields)
      .map((f) => [f, inputs[f] === UNKNOWN && known ? known[f] : inputs[f]])
      .filter(([, v]) => v !== undefined),
  );
  try {
    return def.naturalKey(def.normalize(fields));
  } catch {
    return undefined;
  }
}

/** Pairs each create with a delete of the same kind and natural key: a key renamed without `movedFrom`. */
function pairRenames(changes: ObjectChange[], inputs: Map<ObjectChange, { type: string; values?: Record<string, unknown> }>): void {
  const deletes = changes.filter((c) => c.kind === "delete");
  for (const create of changes.filter((c) => c.kind === "create")) {
    const mine = inputs.get(create)!;
    const match = deletes.find((d) => {
      const theirs = inputs.get(d)!;
      if (d.probableRename || theirs.type !== mine.type) return false;
      const key = naturalKeyOf(theirs.type, theirs.values);
      return key !== undefined && key === naturalKeyOf(mine.type, mine.values, theirs.values);
    });
    if (!match) continue;
    create.probableRename = match.key;
    match.probableRename = create.key;
  }
}

/** A dotted field path (`versions.v1.subject`) of a resource's inputs. */
function pick(inputs: Record<string, unknown> | undefined, field: string): unknown {
  return field.split(".").reduce<unknown>((at, seg) => (isRecord(at) ? at[seg] : undefined), inputs);
}

/** Vendor, kind and key: the order reports are printed in, the same on every run. */
export function byAddress(a: ObjectChange, b: ObjectChange): number {
  return a.vendor.localeCompare(b.vendor) || a.type.localeCompare(b.type) || a.key.localeCompare(b.key);
}

/** One change per mailform object the preview would touch, sorted by vendor, kind and key. */
export function objectChanges(steps: PreviewStep[]): ObjectChange[] {
  // A refresh step means the state knew the object before this run's refresh (and its id); its
  // old state is what the last `up` recorded, its new state what the vendor has now.
  const refreshes = steps.filter((s) => s.op === "refresh");
  const known = new Map(refreshes.map((s) => [s.urn, s.oldState?.id]));
  const recorded = new Map(refreshes.map((s) => [s.urn, { before: s.oldState?.inputs, live: s.newState?.inputs }]));
  const renamedBy = new Map(refreshes.filter((s) => s.oldState && s.oldState.urn !== s.urn).map((s) => [s.urn, s.oldState!.urn]));
  const byUrn = new Map<string, ObjectChange>();
  const inputs = new Map<ObjectChange, { type: string; values?: Record<string, unknown> }>();
  for (const step of steps) {
    // Moved: the engine matched an alias; with --refresh --run-program the refresh step already
    // carries the old URN, and the later step the new one.
    const oldUrn = renamedBy.get(step.urn) ?? (step.op !== "create-replacement" ? step.oldState?.urn : undefined);
    const moved = oldUrn !== undefined && oldUrn !== step.urn;
    let kind = OPS[step.op] ?? (step.op === "same" && moved ? "move" : undefined);
    const state = step.newState ?? step.oldState;
    if (!kind || !state || !state.type.startsWith("pulumi-nodejs:dynamic/")) continue;
    if (kind === "create" && known.has(step.urn)) kind = "recreate";
    const existing = byUrn.get(step.urn);
    if (existing) {
      existing.protected ||= step.oldState?.protect === true;
      continue; // the other half of a replacement
    }
    const [vendor, type] = state.type.slice("pulumi-nodejs:dynamic/".length).split(":");
    const fields = kind === "update" || kind === "replace" ? fieldChanges(step.oldState?.inputs, step.newState?.inputs) : [];
    const loss = kindByType.get(state.type)?.loss;
    const refreshed = recorded.get(step.urn);
    const drifted =
      refreshed?.before && refreshed.live && (kind === "update" || kind === "replace")
        ? fields.map((f) => f.field).filter((f) => canonical(pick(refreshed.before, f)) !== canonical(pick(refreshed.live, f)))
        : [];
    const change: ObjectChange = {
      kind,
      vendor: vendor ?? "",
      type: type ?? state.type,
      key: address(state.type, step.urn),
      id: step.oldState?.id || known.get(step.urn) || undefined,
      fields,
      secretFieldsDiffer: (kind === "update" || kind === "replace") && fields.length === 0,
      protected: step.oldState?.protect === true,
      ...(moved ? { movedFrom: address(state.type, oldUrn) } : {}),
      ...((kind === "delete" || kind === "replace") && loss ? { loses: loss.what } : {}),
      ...(kind === "replace" && step.replaceReasons?.length ? { replaceReasons: [...step.replaceReasons].sort() } : {}),
      ...(kind !== "delete" && step.newState?.inputs
        ? { desired: Object.fromEntries(Object.entries(step.newState.inputs).filter(([f]) => !INTERNAL.has(f))) }
        : {}),
      ...(kind === "create" && step.newState?.inputs?.adopt === true ? { adopts: true } : {}),
      ...(drifted.length ? { drifted } : {}),
    };
    byUrn.set(step.urn, change);
    inputs.set(change, { type: state.type, values: (kind === "delete" ? step.oldState : step.newState)?.inputs });
  }
  const changes = [...byUrn.values()].sort(byAddress);
  pairRenames(changes, inputs);
  return changes;
}

export type FailureReason = "missing credentials" | "credentials rejected" | "vendor unreachable" | "engine error";

/** Why a preview failed, with the line that says so (already redacted by the providers). */
export function classifyFailure(messages: string[]): { reason: FailureReason; detail: string } {
  const find = (re: RegExp) => messages.find((m) => re.test(m));
  const missing = find(/missing setting \w+/);
  if (missing) return { reason: "missing credentials", detail: missing };
  // The providers' VendorError wording: "<Vendor>: <METHOD> <path> answered <status>: ..." or "... failed: ...".
  const rejected = find(/\b(mailtrap|sendgrid|mailjet): [A-Z]+ \S+ answered (401|403)\b/i);
  if (rejected) return { reason: "credentials rejected", detail: rejected };
  const unreachable = find(/\b(mailtrap|sendgrid|mailjet): [A-Z]+ \S+ failed: /i);
  if (unreachable) return { reason: "vendor unreachable", detail: unreachable };
  const error = find(/error/i) ?? messages[messages.length - 1] ?? "pulumi preview failed without a message";
  return { reason: "engine error", detail: error };
}

/** `--stack <name>`, `--format <f>` and `--cwd <dir>` shared by the report commands. */
export function reportArgs(args: string[], formats: readonly string[]): { stack?: string; format: string; cwd: string } | string {
  const out: { stack?: string; format: string; cwd: string } = { format: formats[0]!, cwd: process.cwd() };
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i]!.split("=", 2) as [string, string | undefined];
    const value = inline ?? args[++i];
    if (value === undefined) return `${flag} needs a value`;
    if (flag === "--stack" || flag === "-s") out.stack = value;
    else if (flag === "--format") {
      if (!formats.includes(value)) return `--format must be one of ${formats.join(", ")} (got "${value}")`;
      out.format = value;
    } else if (flag === "--cwd") out.cwd = value;
    else return `unknown argument "${args[i]}"`;
  }
  return out;
}

/** A value for one line of text: secrets masked, strings quoted, long values cut. */
export function show(value: unknown): string {
  if (value === SECRET) return "[secret]";
  if (value === undefined) return "(unset)";
  const text = JSON.stringify(value);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

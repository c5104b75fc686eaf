/**
 * The resolved form of a stack file, what the Pulumi program consumes, built from checked data; and
 * a resolved entry's inputs. Both go through each kind's definition (providers/kinds.ts, `yamlPath`
 * and `inputsOf`); no kind is spelled out here.
 */
import * as path from "node:path";
import { KINDS, kindContext } from "../providers/kinds";
import { compact, type KindContext, type KindDefinition, type KindEntry, type Ref } from "../providers/resource";
import { formatPath, type YamlSource } from "./source";
import { bodyFields, eachEntryAt, propsOf, rec, type Rec } from "./walk";

/** Options every entry accepts (Pulumi/Terraform life-cycle options), defaults applied. */
export interface ResourceOptions {
  /** Refuse deletion and replacement; undefined: the kind's default (protected where a delete loses what the vendor cannot give back). */
  protect: boolean | undefined;
  /** Stop managing the object without deleting it when the entry goes away. */
  retainOnDelete: boolean;
  /** Take over an existing object with the same identity instead of creating one. */
  adopt: boolean;
  /** The keys the entry had before it was renamed (without its parent's key). */
  movedFrom: string[];
  /** Values for a template's variables in previews and checks; never sent to the vendor. */
  sampleData?: Record<string, unknown>;
}

/**
 * One entry: its kind (`mailtrap:inbox`), key (`staging/qa`), address
 * (`mailtrap.projects.staging.inboxes.qa`), parent key, and props: its fields as written, options
 * and the collections of kinds nested in it (a project's inboxes) removed, bodies inlined.
 */
export interface ResolvedEntry extends KindEntry {
  options: ResourceOptions;
}

export interface ResolvedStack {
  /** The stack file as shown to users (relative to the working directory when inside it). */
  file: string;
  /** Stack name: the file name without `.yaml`. */
  stack: string;
  /** What kinds may read of the file besides their entries (`mailtrap.apiVersion`). */
  context: KindContext;
  /** Every entry once, kind by kind in the order of providers/kinds.ts: parents and referenced objects first. */
  resources: ResolvedEntry[];
  /** The `unmanaged:` policy as written, by kind path (`sendgrid.apiKeys`): what `mailform drift` reports beyond the entries. */
  unmanaged: Record<string, { report?: boolean; ignore?: string[] }>;
}

export function buildResolvedStack(data: unknown, texts: Map<string, string>, src: YamlSource): ResolvedStack {
  // Bodies given as {file: ...} become the file's text, in place: the data is this load's own.
  for (const [segs, value] of bodyFields(data)) {
    if (!rec(value)) continue;
    const parent = segs.slice(0, -1).reduce<unknown>((at, s) => rec(at)?.[s], data) as Rec;
    parent[segs[segs.length - 1]!] = texts.get(formatPath(segs));
  }
  const resources: ResolvedEntry[] = [];
  for (const def of KINDS) {
    const parts = def.yamlPath.split(".");
    // The collections of kinds nested in this one (a project's inboxes) hold entries of their own.
    const nested = KINDS.filter((k) => k.yamlPath.startsWith(`${def.yamlPath}.*.`)).map((k) => k.yamlPath.split(".")[parts.length + 1]!);
    eachEntryAt(data, parts, (e) => {
      const props = propsOf(e.raw);
      for (const f of nested) delete props[f];
      const { line, column } = src.position(src.locate(e.segs, "key").start);
      resources.push({ kind: def.entryKind, key: e.key, address: formatPath(e.segs), parent: e.parent, options: options(e.raw), props, source: `${src.display}:${line}:${column}` });
    });
  }
  return { file: src.display, stack: path.basename(src.abs).replace(/\.ya?ml$/i, ""), context: kindContext(data), resources, unmanaged: { ...(rec(rec(data)?.unmanaged) ?? {}) } as ResolvedStack["unmanaged"] };
}

function options(raw: Rec): ResourceOptions {
  const moved = raw.movedFrom as string | string[] | undefined;
  return {
    protect: raw.protect as boolean | undefined,
    retainOnDelete: raw.retainOnDelete === true,
    adopt: raw.adopt === true,
    movedFrom: moved === undefined ? [] : Array.isArray(moved) ? moved : [moved],
    ...(rec(raw.sampleData) ? { sampleData: raw.sampleData as Record<string, unknown> } : {}),
  };
}

/** Values not known yet (another resource's id, in the program), and how a field is computed once they are. */
export interface Pending {
  is(value: unknown): boolean;
  then(inputs: Record<string, unknown>, field: (known: Record<string, unknown>) => unknown): unknown;
}

/**
 * An entry's inputs as its kind's definition makes them: `inputsOf` (references through `ref`),
 * undefined fields dropped, then `normalize`. The one place desired inputs are normalized, for the
 * natural-key check and the program alike; a field holding a `pending` value is normalized once
 * that value is known.
 */
export function entryInputs(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  def: KindDefinition<any, any>,
  entry: KindEntry,
  ref: Ref,
  context: KindContext,
  pending?: Pending,
): Record<string, unknown> {
  const raw = def.inputsOf(entry, ref, context);
  const waiting = pending ? Object.keys(raw).filter((f) => pending.is(raw[f])) : [];
  const known = compact(waiting.length === 0 ? raw : Object.fromEntries(Object.entries(raw).filter(([f]) => !waiting.includes(f))));
  const out: Record<string, unknown> = def.normalize(known);
  for (const f of waiting) out[f] = pending!.then(raw, (all) => def.normalize(compact(all))[f]);
  return out;
}

/**
 * The resolved stack as Pulumi resources: one generic loop over the entries, each registered the
 * way its kind's definition says (inputs, references, parent, outputs, secret outputs, stack
 * outputs). Entries come parents first and referenced objects before their referrers.
 *
 * Inputs are handed over normalized by the kind itself, the way state stores them: the provider's
 * diff would ignore the difference anyway, but the engine's displayed diff compares raw inputs,
 * and a drift preview should name only the fields that really differ. A field that holds another
 * resource's id (an Output) is normalized once that id is known.
 *
 * Stack outputs: `<vendor>.<collection>.<key>.<name>` as each kind lists them; one made from a
 * secret output property is a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedStack } from "../config";
import { KINDS, PART_OF } from "../providers/kinds";
import { compact, type KindContext, type KindDefinition, type KindEntry } from "../providers/resource";
import { VendorResource } from "./resource";

export type StackOutputs = Record<string, pulumi.Output<unknown>>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyKind = KindDefinition<any, any>;

const byEntryKind = new Map(KINDS.map((def) => [def.entryKind, def]));

function containsOutput(value: unknown): boolean {
  if (pulumi.Output.isInstance(value)) return true;
  if (Array.isArray(value)) return value.some(containsOutput);
  if (value && typeof value === "object") return Object.values(value).some(containsOutput);
  return false;
}

/** The kind's normalization, per field: fields waiting for another resource's id wait for it. */
function normalizedInputs(def: AnyKind, raw: Record<string, unknown>): Record<string, unknown> {
  const pending = Object.keys(raw).filter((f) => containsOutput(raw[f]));
  const plain = compact(Object.fromEntries(Object.entries(raw).filter(([f]) => !pending.includes(f))));
  const out: Record<string, unknown> = def.normalize(plain);
  for (const f of pending) out[f] = pulumi.output(raw as Record<string, pulumi.Input<unknown>>).apply((all) => def.normalize(compact(all))[f]);
  return out;
}

/** A resolved entry in the one shape kinds read. */
function kindEntry(e: ResolvedStack["resources"][number]): KindEntry {
  const parent = "project" in e ? e.project : "template" in e ? e.template : undefined;
  return { kind: e.kind, key: e.key, address: e.address, props: e.props as unknown as Record<string, unknown>, parent };
}

/** `mailtrap.projects.*.inboxes` -> `mailtrap.inboxes`: where a kind's stack outputs live. */
function outputPrefix(def: AnyKind): string {
  const segs = def.yamlPath.split(".");
  return `${segs[0]}.${segs[segs.length - 1]}`;
}

/** Per kind, the output properties its stack outputs read (besides `id`). */
const exposedOutputs = new Map(
  KINDS.map((def) => {
    const read = Object.values(def.stackOutputs).flatMap((s) => (typeof s.from === "string" ? [s.from] : Object.values(s.from)));
    return [def, (def.outputs as string[]).filter((o) => read.includes(o))];
  }),
);

function property(res: VendorResource, name: string): pulumi.Output<unknown> {
  return name === "id" ? res.id : (res as unknown as Record<string, pulumi.Output<unknown>>)[name]!;
}

/**
 * The resource names an entry had before a rename (`movedFrom`), its own or its parent's: a nested
 * entry's name holds its parent's key (`staging/qa`), so renaming a project moves its inboxes too.
 */
function previousNames(entry: KindEntry, own: string[], parents: string[] | undefined): string[] {
  const keys = [entry.key.slice(entry.key.lastIndexOf("/") + 1), ...own];
  if (entry.parent === undefined) return own;
  const parentKeys = [entry.parent, ...(parents ?? [])];
  return parentKeys.flatMap((p) => keys.map((k) => `${p}/${k}`)).filter((name) => name !== entry.key);
}

export function registerStack(stack: ResolvedStack, outputs: StackOutputs): void {
  const entries = stack.resources.map(kindEntry);
  const made = new Map<string, VendorResource>();
  const byParent = new Map<string, KindEntry[]>();
  for (const e of entries) {
    if (e.parent === undefined) continue;
    const k = `${e.kind}\n${e.parent}`;
    const siblings = byParent.get(k);
    if (siblings) siblings.push(e);
    else byParent.set(k, [e]);
  }
  const context: KindContext = {
    mailtrapApiVersion: stack.mailtrap.apiVersion,
    children: (entryKind, parentKey) => byParent.get(`${entryKind}\n${parentKey}`) ?? [],
  };
  const resource = (entryKind: string, key: string, from: string): VendorResource => {
    const found = made.get(`${entryKind} ${key}`);
    if (!found) throw new Error(`${from}: refers to ${entryKind.split(":")[1]} "${key}", which is not declared`);
    return found;
  };

  const movedFrom = new Map<string, string[]>();
  for (const [i, resolved] of stack.resources.entries()) {
    const moved = "options" in resolved ? resolved.options.movedFrom : [];
    if (moved.length > 0) movedFrom.set(`${entries[i]!.kind} ${entries[i]!.key}`, moved);
  }

  // A plain loop, not a callback: the SDK stores the first named frame that calls a resource's
  // constructor as its source position, and an anonymous callback has no name.
  for (const [i, resolved] of stack.resources.entries()) {
    const entry = entries[i]!;
    const def = byEntryKind.get(entry.kind);
    if (!def) {
      if (PART_OF[entry.kind]) continue; // registered inside its parent's resource
      throw new Error(`${entry.address}: mailform has no resource kind for ${entry.kind}`);
    }
    const ref = (entryKind: string, key: string) =>
      resource(entryKind, key, entry.address).id.apply((id) => (/^\d+$/.test(id) ? Number(id) : id));
    const options = "options" in resolved ? resolved.options : undefined;
    const parentRef = def.parentOf?.(entry);
    const res = new VendorResource(
      def.kind,
      entry.key,
      {
        ...normalizedInputs(def, def.inputsOf(entry, ref, context)),
        adopt: options?.adopt ?? false,
        // The output properties stack outputs read, declared so that Pulumi exposes them on the
        // resource (each declared property costs the SDK four promises per resource; the others
        // are in state all the same).
        ...Object.fromEntries(exposedOutputs.get(def)!.map((o) => [o, undefined])),
      },
      {
        // Explicit values: a child must not inherit `protect` from its parent. Kinds whose delete
        // loses what the vendor cannot give back are protected unless the entry says otherwise.
        protect: options?.protect ?? def.loss?.guarded === true,
        retainOnDelete: options?.retainOnDelete ?? false,
        parent: parentRef && resource(parentRef.entryKind, parentRef.key, entry.address),
        aliases: previousNames(entry, options?.movedFrom ?? [], parentRef && movedFrom.get(`${parentRef.entryKind} ${parentRef.key}`)).map((name) => ({ name })),
        additionalSecretOutputs: [...(def.secretOutputs ?? [])],
      },
    );
    made.set(`${entry.kind} ${entry.key}`, res);

    const secret = new Set<string>(def.secretOutputs ?? []);
    for (const [name, spec] of Object.entries(def.stackOutputs)) {
      if (spec.when && !spec.when(entry)) continue;
      const fields = typeof spec.from === "string" ? [spec.from] : Object.values(spec.from);
      const value =
        typeof spec.from === "string"
          ? property(res, spec.from)
          : pulumi.all(Object.fromEntries(Object.entries(spec.from).map(([k, p]) => [k, property(res, p)])));
      outputs[`${outputPrefix(def)}.${entry.key}.${name}`] = fields.some((f) => secret.has(f)) ? pulumi.secret(value) : value;
    }
  }
}

/**
 * The resolved stack as Pulumi resources: one generic loop over the entries, each registered the
 * way its kind's definition says (inputs, references, parent, outputs, secret outputs, stack
 * outputs). Entries come parents first and referenced objects before their referrers.
 *
 * Inputs are made and normalized by the kind's definition (config's `entryInputs`), the way state
 * stores them: the provider's diff would ignore the difference anyway, but the engine's displayed
 * diff compares raw inputs, and a drift preview should name only the fields that really differ. A
 * field that holds another resource's id (an Output) is normalized once that id is known.
 *
 * Stack outputs: `<vendor>.<collection>.<key>.<name>` as each kind lists them; one made from a
 * secret output property is a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import { entryInputs, type Pending, type ResolvedEntry, type ResolvedStack } from "../config";
import { KINDS } from "../providers/kinds";
import { SOURCE_INPUT, type KindDefinition } from "../providers/resource";
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

/** Fields waiting for another resource's id are normalized once it is known. */
const awaitingIds: Pending = {
  is: containsOutput,
  then: (inputs, field) => pulumi.output(inputs as Record<string, pulumi.Input<unknown>>).apply((all) => field(all)),
};

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
function previousNames(entry: ResolvedEntry, parents: string[] | undefined): string[] {
  const own = entry.options.movedFrom;
  const keys = [entry.key.slice(entry.key.lastIndexOf("/") + 1), ...own];
  if (entry.parent === undefined) return own;
  const parentKeys = [entry.parent, ...(parents ?? [])];
  return parentKeys.flatMap((p) => keys.map((k) => `${p}/${k}`)).filter((name) => name !== entry.key);
}

export function registerStack(stack: ResolvedStack, outputs: StackOutputs): void {
  const made = new Map<string, VendorResource>();
  const movedFrom = new Map(stack.resources.map((e) => [`${e.kind} ${e.key}`, e.options.movedFrom]));
  const resource = (entryKind: string, key: string, from: string): VendorResource => {
    const found = made.get(`${entryKind} ${key}`);
    if (!found) throw new Error(`${from}: refers to ${entryKind.split(":")[1]} "${key}", which is not declared`);
    return found;
  };

  for (const entry of stack.resources) {
    const def = byEntryKind.get(entry.kind);
    if (!def) throw new Error(`${entry.address}: mailform has no resource kind for ${entry.kind}`);
    const ref = (entryKind: string, key: string) =>
      resource(entryKind, key, entry.address).id.apply((id) => (/^\d+$/.test(id) ? Number(id) : id));
    const { options } = entry;
    const parentRef = def.parentOf?.(entry);
    const res = new VendorResource(
      def.kind,
      entry.key,
      {
        ...entryInputs(def, entry, ref, stack.context, awaitingIds),
        adopt: options.adopt,
        // Kinds that refuse some changes at preview name the entry's place (the check removes it).
        ...(def.guard ? { [SOURCE_INPUT]: `${entry.source ?? stack.file} ${entry.address}` } : {}),
        // The output properties stack outputs read, declared so that Pulumi exposes them on the
        // resource (each declared property costs the SDK four promises per resource; the others
        // are in state all the same).
        ...Object.fromEntries(exposedOutputs.get(def)!.map((o) => [o, undefined])),
      },
      {
        // Explicit values: a child must not inherit `protect` from its parent. Kinds whose delete
        // loses what the vendor cannot give back are protected unless the entry says otherwise.
        protect: options.protect ?? def.loss?.guarded === true,
        retainOnDelete: options.retainOnDelete,
        parent: parentRef && resource(parentRef.entryKind, parentRef.key, entry.address),
        aliases: previousNames(entry, parentRef && movedFrom.get(`${parentRef.entryKind} ${parentRef.key}`)).map((name) => ({ name })),
        additionalSecretOutputs: [...(def.secretOutputs ?? [])],
      },
      entry.source,
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

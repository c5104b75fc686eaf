/**
 * Which live object each `adopt: true` create in a plan takes over. The engine's preview only says
 * "create" (a dynamic provider's create does not run in a preview), so the plan asks the kind's own
 * adoption look-up (`existing`: one listing per kind and scope, matched by natural key, exactly as
 * the `up` will) with the stack's credentials. Costs nothing when the plan adopts nothing.
 */
import { engineEnv, pulumi } from "../engine/pulumi";
import type { KindDefinition, LiveObject } from "../providers/resource";
import * as settings from "../providers/settings";
import { kindByType, type ObjectChange } from "./preview";

/** The engine's mark for a value a preview cannot know yet (an object not made yet). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const hasUnknown = (v: unknown): boolean =>
  v === UNKNOWN || (typeof v === "object" && v !== null && Object.values(v).some(hasUnknown));

/** `pulumi config` of the stack, decrypted, when the stack exists; undefined when it does not. */
export async function stackConfig(stack: string | undefined, cwd: string): Promise<Record<string, string> | undefined> {
  const res = await pulumi(["config", "--show-secrets", "--json", ...(stack ? ["--stack", stack] : [])], { cwd, env: engineEnv({}) });
  if (res.code !== 0) return undefined;
  const doc = JSON.parse(res.stdout) as Record<string, { value?: string }>;
  return Object.fromEntries(Object.entries(doc).filter(([, v]) => typeof v.value === "string").map(([k, v]) => [k, v.value!]));
}

/**
 * Sets `adoptsId` on each adopting create: the live object's id, null when none exists (the `up`
 * creates it), left unset when it cannot be known before the `up` (its parent is made in the same
 * run) or the look-up failed (`adoptLookupError`, shown in the plan; the plan itself goes on).
 */
export async function findAdopted(changes: ObjectChange[], opts: { stack?: string; cwd: string }): Promise<void> {
  const adopts = changes.filter((c) => c.adopts && c.desired);
  if (adopts.length === 0) return;
  const config = await stackConfig(opts.stack, opts.cwd);
  if (config) settings.useStackConfig({ get: (k) => config[k] });
  const listings = new Map<string, Promise<LiveObject<object, object>[]>>();
  await Promise.all(
    adopts.map(async (change) => {
      const def = kindByType.get(`pulumi-nodejs:dynamic/${change.vendor}:${change.type}`) as KindDefinition<object, object> | undefined;
      if (!def?.existing || hasUnknown(change.desired)) return;
      const existing = def.existing;
      try {
        const desired = def.normalize(change.desired as object);
        const scope = `${def.kind}\n${existing.scope(desired)}`;
        if (!listings.has(scope)) listings.set(scope, existing.list(desired));
        const key = def.naturalKey(desired);
        const found = (await listings.get(scope)!).filter((live) => def.naturalKey(def.normalize(live.inputs)) === key);
        const complete = existing.complete
          ? (await Promise.all(found.map((f) => existing.complete!(f, desired)))).filter((f): f is LiveObject<object, object> => f !== undefined)
          : found;
        if (complete.length === 1) change.adoptsId = complete[0]!.id;
        else if (complete.length === 0) change.adoptsId = null;
        else change.adoptLookupError = `${complete.length} live objects have its ${key} (ids ${complete.map((c) => c.id).join(", ")}): the \`up\` will refuse to guess`;
      } catch (e) {
        change.adoptLookupError = `the live object could not be looked up: ${e instanceof Error ? e.message : String(e)}`;
      }
    }),
  );
}

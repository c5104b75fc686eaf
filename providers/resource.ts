/**
 * The life cycle every resource kind shares, so that each kind only says how to talk to its API.
 *
 * - every step normalizes inputs the way the vendor does, so desired and live compare equal.
 * - diff: compares only managed input fields (never `__provider` or options), and replaces only
 *   when a field the API cannot change has changed.
 * - create: adopts an existing object with the same natural key when `adopt` is set; refuses to
 *   create a duplicate when it is not.
 * - read: returns the live object as both outputs and inputs, so drift shows up as a diff of the
 *   field that changed; an object that is gone leaves the state.
 * - delete: an object that is already gone counts as deleted.
 * - singletons (account settings: `singleton`) are never created nor deleted: only the fields the
 *   entry declares, at any depth, are compared, read back and written; create takes the object
 *   over and writes what differs; delete stops managing it without a call.
 */
import type { TemplateKind } from "../templates/message";
import { isDeepStrictEqual } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { notFound, outcomeUnknown } from "./clients";
import { settingsFingerprint, useStackConfig } from "./settings";
import { leftPending, recovering } from "./recovery";
import { info, warn } from "./engine-log";
import type { ExportSpec } from "./export-spec";

/**
 * Options that ride along with inputs but are never sent to a vendor nor diffed. (Where an entry
 * was declared is not stored: `entryAddress` derives it from the kind and the resource name, and
 * the engine names the resource above every message of its provider.)
 */
export interface EntryOptions {
  /** Take over an existing object with the same natural key instead of failing. Stored only when true. */
  adopt?: boolean;
}

export interface LiveObject<I, O> {
  id: string;
  inputs: I;
  outs: O;
}

/** One managed input field. Its name is the YAML field name, so diffs, drift and errors use it. */
export interface FieldSpec {
  /** A change replaces the object (the API cannot change it in place). */
  replaces?: boolean;
  /**
   * Where the value comes from when it is not a field of the entry itself (shown in the docs'
   * YAML column in parentheses), e.g. the project an inbox is declared in.
   */
  from?: string;
  /**
   * Managed only when the entry gives it: when the desired value is absent, the field is neither
   * compared nor sent, and whatever the vendor holds stays (for a value the API cannot clear, which
   * would otherwise diff forever).
   */
  unmanagedWhenAbsent?: boolean;
}

/** Another entry's vendor id, as the program passes it: a number once known (during preview maybe not). */
export type Ref = (entryKind: string, key: string) => unknown;

/** A resolved stack entry as the program hands it to a kind. */
export interface KindEntry {
  kind: string;
  key: string;
  address: string;
  /** The entry's fields as written in the stack file: options and nested kinds' collections removed, `{file: ...}` bodies inlined. */
  props: Record<string, unknown>;
  /** Key of the entry this one is declared under (an inbox's project), when nested. */
  parent?: string;
  /** Where the entry is written, `stacks/prod.yaml:14:5` (its key), for messages of a kind's `guard`. */
  source?: string;
}

/**
 * The input that carries an entry's place in the stack file (`stacks/prod.yaml:14:5
 * sendgrid.ipAllowLists.office`) to the engine's check of kinds with a `guard`; the check removes
 * it, so it is never diffed nor stored.
 */
export const SOURCE_INPUT = "__source";

/** What a kind may ask of the rest of the stack file when it maps an entry to inputs (see `kindContext`). */
export interface KindContext {
  /** `mailtrap.apiVersion`, `v2` by default. */
  mailtrapApiVersion: string;
}

/** A stack output per entry: `<vendor>.<collection>.<key>.<name>`. */
export interface StackOutput {
  /** The output property (or `id`), or several gathered into one object `{name: property}`. */
  from: string | Record<string, string>;
  /** Only for entries where this holds (e.g. an inbox whose address is on). */
  when?: (entry: KindEntry) => boolean;
}

export interface KindDefinition<I extends object, O extends object> {
  /** `<module>:<type>`: the resource type token is `pulumi-nodejs:dynamic/<module>:<type>`. */
  kind: string;
  /** What users call it, e.g. `Mailtrap project`. */
  title: string;

  // ---- the stack file side ----
  /** The resolved entries' kind (`mailtrap:project`). */
  entryKind: string;
  /** Where entries live in a stack file: `mailtrap.projects`; `*` stands for a parent's key. */
  yamlPath: string;
  /** The definition in schemas/stack.schema.json that describes one entry. */
  schema: string;
  /** The page and `##` section that document this kind. */
  docs: { page: string; section: string };
  /** Template kinds: the messages an entry defines, for content checks and `mailform preview` (templates/). */
  templates?: TemplateKind;
  /** The managed input fields, by YAML name: the ones diffed and refreshed. */
  fields: { readonly [K in keyof I & string]-?: FieldSpec };
  /** Inputs from a resolved entry; references to other entries through `ref`. */
  inputsOf(entry: KindEntry, ref: Ref, stack: KindContext): Record<string, unknown>;
  /** The entry kind and key of the resource this one is a child of in Pulumi (an inbox's project). */
  parentOf?(entry: KindEntry): { entryKind: string; key: string };
  /** Output properties the provider fills (all of them are kept in state; see `stackOutputs`). */
  outputs: readonly (keyof O & string)[];
  /** Output fields that are secrets: the program lists them in `additionalSecretOutputs`. */
  secretOutputs?: readonly (keyof O & string)[];
  stackOutputs: Record<string, StackOutput>;
  /**
   * Names of fields in states written by earlier releases, mapped to today's: applied to stored
   * inputs before any comparison, so a rename shows no diff.
   */
  renamedFields?: Record<string, keyof I & string>;

  /**
   * What deleting or replacing an object of this kind loses that the vendor cannot give back
   * (`its unsubscribes: ...`), shown by `mailform plan` beside every such operation. `guarded`:
   * the loss hurts recipients or production traffic, so entries of the kind are protected unless
   * the entry says `protect: false` (the engine then refuses to delete or replace them).
   */
  loss?: { what: string; guarded?: boolean };

  /**
   * What a reviewer must not miss in these inputs (`full access: no scopes`), shown by `mailform
   * plan` beside a create or change; none when undefined.
   */
  risks?(inputs: I): string[];

  // ---- the vendor side ----
  /** Applies the defaults and normalization the vendor applies (to desired and stored inputs alike). */
  normalize(inputs: I): I;
  create(inputs: I): Promise<LiveObject<I, O>>;
  /** The live object, or undefined when it no longer exists. */
  read(id: string, previous: I & O): Promise<LiveObject<I, O> | undefined>;
  update(id: string, olds: I & O, news: I): Promise<O>;
  delete(id: string, props: I & O): Promise<void>;
  /**
   * Refuses a change before anything is written: called from the engine's check (at preview and
   * at the start of an up) for a new object, and for one whose managed inputs change (so a no-op
   * preview makes no call); it may read the vendor. Answers the field at fault and what is wrong
   * and what to do, or undefined. (The SendGrid allow list: a list that would lock out the
   * address mailform calls from.)
   */
  guard?(before: I | undefined, after: I): Promise<{ field: keyof I & string; problem: string } | undefined>;
  /**
   * One entry per account, like an account setting, though created and deleted (the SendGrid IP
   * allow list): the natural key is the account itself, so a second entry is refused as a second
   * declaration of it (merge the two), not as a name to change.
   */
  oncePerAccount?: true;
  /**
   * The natural key of normalized inputs, as shown in messages (`name "Staging"`). Two entries
   * with the same key are refused before any call; adoption matches live objects by it.
   */
  naturalKey(inputs: I): string;
  /**
   * A value at most one entry of this kind may have besides its natural key (the one default
   * SendGrid unsubscribe group), in the same words; undefined when this entry does not claim one.
   */
  alsoUnique?(inputs: I): string | undefined;
  /**
   * The adoption look-up: the live collection an object with these inputs would join, matched by
   * `naturalKey`. `list` answers the same for every input of one `scope` (`account`, or e.g.
   * `project 12`), so the life cycle lists each scope once per run and keeps the list current with
   * its own creates, updates and deletes. `list` may return each object in part (enough for its
   * natural key); `complete` then reads in full the candidates whose key matches, and only those.
   */
  existing?: {
    scope(inputs: I): string;
    list(inputs: I): Promise<LiveObject<I, O>[]>;
    complete?(found: LiveObject<I, O>, desired: I): Promise<LiveObject<I, O> | undefined>;
    /**
     * Refresh reads through the listing: `true` when `list` returns every managed field as `read`
     * would (secret outputs a listing never shows are kept from state), or how to finish a listed
     * object with only what the listing lacks (a template's content). Each scope is then listed
     * once per run instead of each object read; an object the listing lacks is read on its own (it
     * may be gone, filtered out of the listing, or newer than it). Undefined: `read` per object.
     */
    readsFromList?: true | ((listed: LiveObject<I, O>, previous: I & O) => Promise<LiveObject<I, O> | undefined>);
  };
  /**
   * The create answer carries a secret the vendor never shows again (a key, a token): an object
   * whose create answer was lost is deleted and made again rather than kept without its secret.
   */
  shownOnceSecret?: boolean;
  /**
   * The vendor's API cannot create an object of this kind (Mailtrap cannot invite anyone): an entry
   * takes over the live object with its natural key without `adopt`, and `create` is reached only
   * when there is none (it fails, saying how to make one outside mailform).
   */
  takesOver?: boolean;
  /**
   * The live object is the credential mailform itself calls the vendor with (read from the
   * settings): never reported as unmanaged by `mailform drift`. Undefined where the vendor's
   * listing cannot tell.
   */
  ownCredential?(live: LiveObject<I, O>): boolean;
  /**
   * Secrets an entry names by their stack config key instead of holding them (an event webhook's
   * OAuth client secret): where in the entry (`["oauth", "clientSecretConfig"]`) and the key,
   * without `mailform:`. The program refuses, located at that field and before any call, a key the
   * stack's config does not hold as a secret (`mailform validate` has no stack config to look in).
   */
  secretConfigKeys?(props: Record<string, unknown>): { field: string[]; key: string }[];
  /**
   * The input field that names the vendor account an entry's object lives in, when the kind's
   * objects may live in several (SendGrid's `onBehalfOf`): `mailform drift`'s unmanaged scan lists
   * each account the stack's entries of the vendor name, besides the default one.
   */
  accountField?: keyof I & string;
  /** `mailform export`: every live object of the kind, and one as a stack-file entry. */
  export?: ExportSpec<I, O>;
  /**
   * An account setting: an object that always exists, one per account, read and updated but never
   * created nor deleted (`id` is its fixed id). The life cycle then manages only what the entry
   * declares (docs/stack-format.md, "Account settings"): `read` and `update` receive inputs that
   * hold the declared parts only and must read and write no more; `naturalKey` is a constant, so a
   * second entry is refused where it is declared.
   */
  singleton?: { id: string };
}

/**
 * A singleton definition's `create` and `delete`, which the life cycle never calls for it (it takes
 * the object over, and stops managing it without a call).
 */
export function neverCreatedNorDeleted(title: string): { create(): Promise<never>; delete(): Promise<void> } {
  return {
    async create() {
      throw new Error(`${title}: an account setting always exists; the life cycle takes it over instead of creating it`);
    },
    async delete() {},
  };
}

/**
 * `live` cut down to the shape of `declared`: the keys of plain objects that `declared` has, at
 * any depth; lists and other values whole. What a singleton compares and stores.
 */
export function declaredPart(live: unknown, declared: unknown): unknown {
  const plain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!plain(live) || !plain(declared)) return live;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(declared)) if (live[k] !== undefined) out[k] = declaredPart(live[k], declared[k]);
  return out;
}

/** Creates whose answer was lost and that are made again, before the run gives up. */
const MAX_LOST_CREATES = 3;

/** A copy without undefined fields: the engine's wire format cannot carry `undefined`. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const k in value) if (Object.prototype.hasOwnProperty.call(value, k) && value[k] !== undefined) out[k] = value[k];
  return out as T;
}

/** The managed field names of a kind, and those a change of which replaces. */
export const fieldNames = (def: KindDefinition<any, any>): string[] => Object.keys(def.fields); // eslint-disable-line @typescript-eslint/no-explicit-any
export const replaceFields = (def: KindDefinition<any, any>): string[] => // eslint-disable-line @typescript-eslint/no-explicit-any
  Object.entries(def.fields as Record<string, FieldSpec>).filter(([, f]) => f.replaces).map(([n]) => n);

/**
 * Where the entry behind resource `name` of this kind is declared in a stack file: the resource
 * name is the entry's key, `<parent>/<key>` for a nested kind (`staging/qa` ->
 * `mailtrap.projects.staging.inboxes.qa`).
 */
export function entryAddress(def: KindDefinition<any, any>, name: string): string { // eslint-disable-line @typescript-eslint/no-explicit-any
  const slash = name.indexOf("/");
  return slash < 0 ? `${def.yamlPath}.${name}` : `${def.yamlPath.replace("*", name.slice(0, slash))}.${name.slice(slash + 1)}`;
}

type Props = Record<string, unknown>;

/** Forgets every listing and which objects the run's resources hold: for tests, whose emulators are reset between cases. */
export function newRun(): void {
  listed.lists.clear();
  held.holders.clear();
}

/**
 * The collections this provider process has listed, by kind and scope, kept current with the
 * process's own writes: a run lists each collection once, however many objects it creates.
 */
const listed = {
  lists: new Map<string, Promise<LiveObject<object, object>[]>>(),
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  key: (def: KindDefinition<any, any>, scope: string) => `${def.kind}\n${settingsFingerprint()}\n${scope}`,

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get<I, O>(def: KindDefinition<any, any>, scope: string, list: () => Promise<LiveObject<I, O>[]>, fresh: boolean): Promise<LiveObject<I, O>[]> {
    const k = this.key(def, scope);
    if (fresh || !this.lists.has(k)) {
      const p = list();
      this.lists.set(k, p as Promise<LiveObject<object, object>[]>);
      p.catch(() => this.lists.delete(k)); // a failed listing is not remembered
    }
    return this.lists.get(k)! as Promise<LiveObject<I, O>[]>;
  },

  /** Records an object this process created, adopted or changed (its natural key may be new). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  remember<I>(def: KindDefinition<any, any>, inputs: I, live: LiveObject<object, object>): void {
    if (!def.existing) return;
    const k = this.key(def, def.existing.scope(inputs));
    const p = this.lists.get(k);
    if (!p) return;
    // What a listing would show: no shown-once secrets.
    const outs = Object.fromEntries(Object.entries(live.outs).filter(([f]) => !(def.secretOutputs ?? []).includes(f)));
    this.lists.set(k, p.then((all) => [...all.filter((o) => o.id !== live.id), { ...live, outs }]));
  },

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forgetKind(def: KindDefinition<any, any>): void {
    for (const k of [...this.lists.keys()]) if (k.startsWith(`${def.kind}\n`)) this.lists.delete(k);
  },

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  forget(def: KindDefinition<any, any>, id: string, account: string): void {
    for (const [k, p] of this.lists) {
      if (k.startsWith(`${def.kind}\n`)) this.lists.set(k, p.then((all) => all.filter((o) => o.id !== id || accountOf(def, o.inputs) !== account)));
    }
  },
};
const OPTION_FIELDS: readonly (keyof EntryOptions)[] = ["adopt"];

/**
 * The account an object lives in, as its kind's `accountField` names it ("" for the default
 * account): ids are unique per account only (a SendGrid teammate's email, the allow list's fixed id).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function accountOf(def: KindDefinition<any, any>, props: object): string {
  return def.accountField === undefined ? "" : String((props as Props)[def.accountField] ?? "");
}

/**
 * The vendor objects that resources of this run hold, by kind, account and id: every object this
 * process adopted, and every one whose resource the engine diffed and keeps (no replace; the
 * engine diffs every resource of the program that the state has before it updates it). An object
 * this process created is new: no other resource's state can name it. The engine deletes removed
 * resources after registering the program's, so when an entry's key was renamed without a `movedFrom` and the new entry adopted the object, the delete
 * of the old entry finds the id here and leaves the object alone: one object, two resources for a
 * moment, never deleted from under the one that keeps it.
 */
const held = {
  holders: new Map<string, string>(),
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  key: (def: KindDefinition<any, any>, id: string, account: string) => `${def.kind}\n${settingsFingerprint()}\n${account}\n${id}`,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  add(def: KindDefinition<any, any>, id: string, how: string, account: string): void {
    this.holders.set(this.key(def, id, account), how);
  },
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  by(def: KindDefinition<any, any>, id: string, account: string): string | undefined {
    return this.holders.get(this.key(def, id, account));
  },
  /**
   * A later diff of the same resource replaces its object: it no longer keeps it. (`up --refresh`
   * diffs each resource twice: the refresh compares the stored and the read inputs, which never
   * replaces, before the update compares them with the program's.)
   */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  release(def: KindDefinition<any, any>, id: string, account: string): void {
    if (this.by(def, id, account) === KEPT) this.holders.delete(this.key(def, id, account));
  },
};
const KEPT = "kept by its resource";

export function lifecycle<I extends object, O extends object>(
  def: KindDefinition<I, O>,
): pulumi.dynamic.ResourceProvider {
  const inputFields = fieldNames(def);
  const replaceOn = replaceFields(def);
  const singleton = def.singleton;
  // A singleton manages what its entry declares only: every field is managed only when given.
  const optionalFields = Object.entries(def.fields as Record<string, FieldSpec>).filter(([, f]) => f.unmanagedWhenAbsent || (singleton && !f.replaces)).map(([n]) => n);
  const managed = (props: Props): Props =>
    Object.fromEntries(inputFields.map((f) => [f, props[f]]).filter(([, v]) => v !== undefined));
  /** Stored inputs under today's field names (states written before a rename). */
  const current = (props: Props): Props => {
    const out = { ...props };
    for (const [old, now] of Object.entries(def.renamedFields ?? {})) {
      if (out[old] !== undefined && out[now] === undefined) out[now] = out[old];
      delete out[old];
    }
    return out;
  };
  /** Live inputs without the fields the stored entry does not manage (`unmanagedWhenAbsent`, absent there). */
  const unmanagedDropped = (live: I, stored: Props): I => {
    if (optionalFields.length === 0) return live;
    const was = def.normalize(managed(current(stored)) as I) as Props;
    const out = { ...(live as Props) };
    for (const f of optionalFields) if (was[f] === undefined) delete out[f];
    return out as I;
  };
  const optionsOf = (props: Props): Props =>
    Object.fromEntries(OPTION_FIELDS.filter((f) => props[f] !== undefined).map((f) => [f, props[f]]));
  const withOptions = (inputs: I, from: Props): Props => ({ ...(inputs as Props), ...optionsOf(from) });

  /**
   * The natural key of a listed object, computed once per object: a run's creates each look
   * through the same listing (kept current by `listed`, which keeps the objects themselves).
   */
  const naturalKeys = new WeakMap<LiveObject<I, O>, string>();
  const naturalKeyOf = (live: LiveObject<I, O>): string => {
    let key = naturalKeys.get(live);
    if (key === undefined) naturalKeys.set(live, (key = def.naturalKey(def.normalize(live.inputs))));
    return key;
  };

  /**
   * Live objects with the natural key `key`, for adoption and for recovering a lost create. `fresh`
   * lists again: after a lost answer only the vendor knows what exists.
   */
  async function findByKey(desired: I, key: string, fresh = false): Promise<LiveObject<I, O>[]> {
    const existing = def.existing;
    if (!existing) return [];
    const all = await listed.get(def, existing.scope(desired), () => existing.list(desired), fresh);
    const candidates = all.filter((e) => naturalKeyOf(e) === key);
    if (!existing.complete) return candidates;
    const complete = await Promise.all(candidates.map((c) => existing.complete!(c, desired)));
    return complete.filter((c): c is LiveObject<I, O> => c !== undefined);
  }

  /** The live object for a refresh: from the run's listing of its scope where the kind allows it. */
  async function readLive(id: string, previous: I & O): Promise<LiveObject<I, O> | undefined> {
    const existing = def.existing;
    const fromList = existing?.readsFromList;
    if (!existing || !fromList) return def.read(id, previous);
    const inputs = def.normalize(managed(previous as Props) as I);
    const all = await listed.get(def, existing.scope(inputs), () => existing.list(inputs), false);
    const found = all.find((o) => o.id === id);
    if (!found) return def.read(id, previous);
    if (fromList !== true) return fromList(found, previous);
    // A listing never shows shown-once secrets (an API key's value): state keeps the one it has.
    const kept = Object.fromEntries((def.secretOutputs ?? []).filter((f) => (found.outs as Props)[f] === undefined).map((f) => [f, (previous as Props)[f]]));
    return { ...found, outs: compact({ ...kept, ...found.outs }) as O };
  }

  /**
   * A replacement is made before its old object is deleted, so that a create the vendor refuses
   * leaves the old object (its id, its verification) untouched; except when the two would have the
   * same natural key (or the same unique value): created first, the new one would collide with the
   * old one. Unknown values (a preview's not yet created references) never collide.
   */
  function wouldCollide(before: I, after: I): boolean {
    const same = (f: (i: I) => string | undefined): boolean => {
      try {
        const a = f(before);
        return a !== undefined && a === f(after);
      } catch {
        return false;
      }
    };
    return same(def.naturalKey) || (def.alsoUnique !== undefined && same(def.alsoUnique));
  }

  /**
   * Creates the object exactly once. When the create's answer is lost (a dropped connection, a
   * timeout, a 5xx after the vendor may have committed it), the natural key tells what happened:
   * no object means nothing was made, so create again; one object is the one just made (none
   * existed before the create), finished like an adopted one; several is a failure that names them.
   */
  async function createOnce(desired: I, key: string): Promise<LiveObject<I, O>> {
    for (let lost = 0; ; ) {
      try {
        return await def.create(desired);
      } catch (e) {
        if (!outcomeUnknown(e) || !def.existing || ++lost > MAX_LOST_CREATES) throw e;
        const found = await findByKey(desired, key, true);
        if (found.length > 1) {
          throw new Error(
            `${def.title}: the answer to its create was lost (${e.message}), and ${found.length} objects now have ${key} ` +
              `(ids ${found.map((f) => f.id).join(", ")}). Delete the ones that should not exist, then run again.`,
          );
        }
        if (found.length === 0) continue;
        const [made] = found;
        if (def.shownOnceSecret) {
          // Kept, it would have no secret anyone can read: remove it and make it again.
          await def.delete(made.id, { ...made.inputs, ...made.outs } as I & O);
          listed.forget(def, made.id, accountOf(def, desired));
          continue;
        }
        const outs = await def.update(made.id, { ...made.inputs, ...made.outs } as I & O, desired);
        return { id: made.id, inputs: desired, outs };
      }
    }
  }

  /** The engine's check, for kinds with a `guard`: removes the entry's place and asks the guard. */
  async function check(olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
    const { [SOURCE_INPUT]: where, ...inputs } = news;
    const after = def.normalize(managed(inputs) as I);
    const known = Object.keys(managed(current(olds))).length > 0;
    const before = known ? def.normalize(managed(current(olds)) as I) : undefined;
    if (before && isDeepStrictEqual(managed(before as Props), managed(after as Props))) return { inputs };
    const refused = await def.guard!(before, after);
    if (!refused) return { inputs };
    return { inputs, failures: [{ property: refused.field, reason: `${where ?? def.yamlPath}.${refused.field}: ${refused.problem}` }] };
  }

  return {
    ...(def.guard && { check }),
    async configure(req) {
      // The engine configures each kind's provider once per run, at its first use: what an
      // earlier run listed of this kind is stale (other kinds keep theirs).
      listed.forgetKind(def);
      useStackConfig(req.config);
    },

    async diff(id, olds, news) {
      // Both sides normalized: a release that changes a normalization shows no change.
      const after = managed(def.normalize(managed(news) as I) as Props);
      const stored = managed(def.normalize(managed(current(olds)) as I) as Props);
      // A singleton's field left out of the entry, or a part of one, is neither changed nor drift.
      // (A field that replaces, such as the account it lives in, is compared whether declared or not.)
      const before = singleton ? { ...(declaredPart(stored, after) as Props), ...Object.fromEntries(replaceOn.map((f) => [f, stored[f]])) } : stored;
      const changed = inputFields.filter(
        (f) => !isDeepStrictEqual(before[f], after[f]) && !(after[f] === undefined && optionalFields.includes(f)),
      );
      const replaces = changed.filter((f) => replaceOn.includes(f));
      if (replaces.length === 0) held.add(def, id, KEPT, accountOf(def, stored));
      else held.release(def, id, accountOf(def, stored));
      return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && wouldCollide(before as I, after as I) };
    },

    async create(inputs) {
      const desired = def.normalize(managed(inputs) as I);
      if (singleton) {
        // It exists already: take it over, writing only the declared values that differ.
        const live = await def.read(singleton.id, desired as I & O);
        if (!live) throw new Error(`${def.title}: the vendor answered that it does not exist on this account; it cannot be created.`);
        const olds = { ...(declaredPart(live.inputs, desired) as I), ...live.outs } as I & O;
        const outs = await def.update(live.id, olds, desired);
        return { id: live.id, outs: { ...withOptions(desired, inputs), ...outs } };
      }
      const key = def.naturalKey(desired);
      const existing = await findByKey(desired, key);
      if (existing.length > 1) {
        throw new Error(
          `${def.title}: ${existing.length} existing objects have ${key} ` +
            `(ids ${existing.map((e) => e.id).join(", ")}); mailform cannot tell which to adopt. ` +
            `Rename or delete the extra ones, then run again.`,
        );
      }
      // `mailform recover` takes over only what the interrupted run left pending (providers/recovery.ts).
      const recovers = existing.length === 1 && !inputs.adopt && recovering() &&
        leftPending(def.kind, key, (stored) => def.naturalKey(def.normalize(managed(current(stored)) as I)));
      if (recovers && def.shownOnceSecret) {
        // Made by the interrupted run, whose answer held the only copy of its secret: make it again.
        const [orphan] = existing;
        await def.delete(orphan.id, { ...orphan.inputs, ...orphan.outs } as I & O);
        listed.forget(def, orphan.id, accountOf(def, desired));
      } else if (existing.length === 1) {
        const [found] = existing;
        if (!inputs.adopt && !recovers && !def.takesOver) {
          throw new Error(
            `${def.title}: one already exists with ${key} (id ${found.id}). ` +
              (recovering() ? "The interrupted run had no pending create for it, so mailform recover leaves it alone. " : "") +
              `If another entry of this stack managed it and you renamed that entry's key, declare the rename on this entry ` +
              `(\`movedFrom: <old key>\`): the object is kept as it is, with its id. To take over an object made outside this stack, ` +
              `set \`adopt: true\` on this entry. Otherwise choose another name.`,
          );
        }
        const outs = await def.update(found.id, { ...found.inputs, ...found.outs } as I & O, desired);
        listed.remember(def, desired, { id: found.id, inputs: desired, outs });
        held.add(def, found.id, `taken over in this run by the entry with ${key}`, accountOf(def, desired));
        // The engine's summary counts this as "created"; say what happened.
        await info(`${def.title} with ${key}: adopted the live object id ${found.id} (nothing was created)`);
        return { id: found.id, outs: { ...withOptions(desired, inputs), ...outs } };
      }
      const created = await createOnce(desired, key);
      listed.remember(def, desired, created);
      return { id: created.id, outs: { ...withOptions(created.inputs, inputs), ...created.outs } };
    },

    async read(id, props) {
      const live = await readLive(id, current(props) as I & O);
      if (!live) return {}; // no id: the engine drops the resource from state
      const seen = singleton ? (declaredPart(live.inputs, managed(current(props))) as I) : unmanagedDropped(live.inputs, props);
      const inputs = withOptions(seen, props);
      return { id: live.id, props: { ...inputs, ...live.outs }, inputs };
    },

    async update(id, olds, news) {
      const desired = def.normalize(managed(news) as I);
      const stored = current(olds);
      const outputs = Object.fromEntries(def.outputs.filter((o) => stored[o] !== undefined).map((o) => [o, stored[o]]));
      const before = singleton ? { ...(declaredPart(managed(stored), desired) as Props), ...outputs } : stored;
      const outs = await def.update(id, before as I & O, desired);
      listed.remember(def, desired, { id, inputs: desired, outs });
      return { outs: { ...withOptions(desired, news), ...outs } };
    },

    async delete(id, props) {
      // Removing an account setting's entry stops managing it: its live values stay as they are.
      if (singleton) return;
      const holder = held.by(def, id, accountOf(def, current(props)));
      if (holder !== undefined) {
        // Deleting it would delete the object another resource of this stack now holds.
        await warn(
          `${def.title} id ${id} (${def.naturalKey(def.normalize(managed(current(props)) as I))}) was not deleted: ` +
            `another resource of this stack holds it (${holder}). The entry that is going away was probably renamed; ` +
            `declare such renames with \`movedFrom: <old key>\` on the new entry (see docs/stack-format.md). Nothing was lost.`,
        );
        return;
      }
      try {
        await def.delete(id, current(props) as I & O);
      } catch (e) {
        if (!notFound(e)) throw e; // 404: already gone
      }
      listed.forget(def, id, accountOf(def, current(props)));
    },
  };
}

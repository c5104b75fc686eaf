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
 */
import { isDeepStrictEqual } from "node:util";
import type * as pulumi from "@pulumi/pulumi";
import { VendorError, outcomeUnknown } from "./http/errors";
import { useStackConfig } from "./settings";

/** Options that ride along with inputs but are never sent to a vendor nor diffed. */
export interface EntryOptions {
  /** Take over an existing object with the same natural key instead of failing. */
  adopt?: boolean;
  /** Where the entry was declared (e.g. `mailtrap.projects.staging`), for messages. */
  path?: string;
}

export interface LiveObject<I, O> {
  id: string;
  inputs: I;
  outs: O;
}

export interface KindDefinition<I extends object, O extends object> {
  /** `<module>:<type>`: the resource type token is `pulumi-nodejs:dynamic/<module>:<type>`. */
  kind: string;
  /** What users call it, e.g. `Mailtrap project`. */
  title: string;
  /** The input fields this kind manages: the ones diffed and refreshed. */
  inputFields: readonly (keyof I & string)[];
  /** Input fields the API cannot change: a change replaces the object. */
  replaceOn?: readonly (keyof I & string)[];
  /**
   * Delete the old object before creating its replacement: for kinds whose natural key would
   * otherwise make the replacement collide with the object it replaces.
   */
  deleteBeforeReplace?: boolean;
  /** Output fields that are secrets: the program lists them in `additionalSecretOutputs`. */
  secretOutputs?: readonly (keyof O & string)[];
  /** Applies the defaults and normalization the vendor applies. */
  normalize(inputs: I): I;
  create(inputs: I): Promise<LiveObject<I, O>>;
  /** The live object, or undefined when it no longer exists. */
  read(id: string, previous: I & O): Promise<LiveObject<I, O> | undefined>;
  update(id: string, olds: I & O, news: I): Promise<O>;
  delete(id: string, props: I & O): Promise<void>;
  /** Objects that already exist under the same natural key, for adoption. */
  findExisting?(inputs: I): Promise<LiveObject<I, O>[]>;
  /** The natural key, for messages about adoption (e.g. `name "Staging"`). */
  naturalKey?(inputs: I): string;
  /**
   * The create answer carries a secret the vendor never shows again (a key, a token): an object
   * whose create answer was lost is deleted and made again rather than kept without its secret.
   */
  shownOnceSecret?: boolean;
}

/** Creates whose answer was lost and that are made again, before the run gives up. */
const MAX_LOST_CREATES = 3;

type Props = Record<string, unknown>;
const OPTION_FIELDS: readonly (keyof EntryOptions)[] = ["adopt", "path"];

export function lifecycle<I extends object, O extends object>(
  def: KindDefinition<I, O>,
): pulumi.dynamic.ResourceProvider {
  const managed = (props: Props): Props =>
    Object.fromEntries(def.inputFields.map((f) => [f, props[f]]).filter(([, v]) => v !== undefined));
  const optionsOf = (props: Props): Props =>
    Object.fromEntries(OPTION_FIELDS.filter((f) => props[f] !== undefined).map((f) => [f, props[f]]));
  const withOptions = (inputs: I, from: Props): Props => ({ ...(inputs as Props), ...optionsOf(from) });

  /**
   * Creates the object exactly once. When the create's answer is lost (a dropped connection, a
   * timeout, a 5xx after the vendor may have committed it), the natural key tells what happened:
   * no object means nothing was made, so create again; one object is the one just made (none
   * existed before the create), finished like an adopted one; several is a failure that names them.
   */
  async function createOnce(desired: I, where: string, key: string): Promise<LiveObject<I, O>> {
    for (let lost = 0; ; ) {
      try {
        return await def.create(desired);
      } catch (e) {
        if (!outcomeUnknown(e) || !def.findExisting || ++lost > MAX_LOST_CREATES) throw e;
        const found = await def.findExisting(desired);
        if (found.length > 1) {
          throw new Error(
            `${def.title}${where}: the answer to its create was lost (${e.message}), and ${found.length} objects now have ${key} ` +
              `(ids ${found.map((f) => f.id).join(", ")}). Delete the ones that should not exist, then run again.`,
          );
        }
        if (found.length === 0) continue;
        const [made] = found;
        if (def.shownOnceSecret) {
          // Kept, it would have no secret anyone can read: remove it and make it again.
          await def.delete(made.id, { ...made.inputs, ...made.outs } as I & O);
          continue;
        }
        const outs = await def.update(made.id, { ...made.inputs, ...made.outs } as I & O, desired);
        return { id: made.id, inputs: desired, outs };
      }
    }
  }

  return {
    async configure(req) {
      useStackConfig(req.config);
    },

    async diff(_id, olds, news) {
      const before = managed(olds);
      const after = managed(def.normalize(managed(news) as I) as Props);
      const changed = def.inputFields.filter((f) => !isDeepStrictEqual(before[f], after[f]));
      const replaces = changed.filter((f) => def.replaceOn?.includes(f));
      return { changes: changed.length > 0, replaces, deleteBeforeReplace: replaces.length > 0 && !!def.deleteBeforeReplace };
    },

    async create(inputs) {
      const desired = def.normalize(managed(inputs) as I);
      const existing = def.findExisting ? await def.findExisting(desired) : [];
      const where = inputs.path ? ` (${inputs.path})` : "";
      const key = def.naturalKey ? def.naturalKey(desired) : "the same key";
      if (existing.length > 1) {
        throw new Error(
          `${def.title}${where}: ${existing.length} existing objects have ${key} ` +
            `(ids ${existing.map((e) => e.id).join(", ")}); mailform cannot tell which to adopt. ` +
            `Rename or delete the extra ones, then run again.`,
        );
      }
      if (existing.length === 1) {
        const [found] = existing;
        if (!inputs.adopt) {
          throw new Error(
            `${def.title}${where}: one already exists with ${key} (id ${found.id}). ` +
              `Set \`adopt: true\` on this entry to take it over, or choose another name.`,
          );
        }
        const outs = await def.update(found.id, { ...found.inputs, ...found.outs } as I & O, desired);
        return { id: found.id, outs: { ...withOptions(desired, inputs), ...outs } };
      }
      const created = await createOnce(desired, where, key);
      return { id: created.id, outs: { ...withOptions(created.inputs, inputs), ...created.outs } };
    },

    async read(id, props) {
      const live = await def.read(id, props as I & O);
      if (!live) return {}; // no id: the engine drops the resource from state
      const inputs = withOptions(live.inputs, props);
      return { id: live.id, props: { ...inputs, ...live.outs }, inputs };
    },

    async update(id, olds, news) {
      const desired = def.normalize(managed(news) as I);
      const outs = await def.update(id, olds as I & O, desired);
      return { outs: { ...withOptions(desired, news), ...outs } };
    },

    async delete(id, props) {
      try {
        await def.delete(id, props as I & O);
      } catch (e) {
        if (e instanceof VendorError && e.status === 404) return; // already gone
        throw e;
      }
    },
  };
}

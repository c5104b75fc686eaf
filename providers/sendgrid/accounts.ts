/**
 * SendGrid subusers as accounts of their own (tsg_subusers_v3.json; the `on-behalf-of` header of
 * every document mailform's SendGrid kinds use): an entry's `onBehalfOf` names the subuser whose
 * object it is, and the parent's key reaches it with `On-Behalf-Of: <subuser>`.
 *
 * `perAccount(def)` makes a SendGrid kind do that, in one place for every kind:
 * - `onBehalfOf` is a managed field that replaces (the object moves accounts: made in the new one,
 *   then deleted from the old one, both in the plan);
 * - the natural key, and the one-default rule (`alsoUnique`), hold per account: the same template
 *   name may exist in the parent and in a subuser;
 * - every call the kind makes for an entry runs in the entry's account (`inAccount`, read by the
 *   client): its listings (adoption, refresh, the unmanaged scan) are the subuser's, listed once per
 *   run each, and its requests are paced under their own credential key (the header is part of it);
 * - live objects carry the account they were read in, so drift and adoption compare like with like;
 * - export lists the parent and every subuser, and writes a subuser's objects with `onBehalfOf`.
 * An entry without `onBehalfOf` is in the stack-wide account (`mailform:sendgridOnBehalfOf`, else
 * the parent's).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { sendgrid } from "../clients";
import { setting, settingsFingerprint } from "../settings";

export interface AccountInputs {
  /** The subuser whose object this is; undefined: the stack-wide account. */
  onBehalfOf?: string;
}

const account = new AsyncLocalStorage<string>();

/** The subuser the current call acts for, when an entry named one. */
export const currentSubuser = (): string | undefined => account.getStore();

/** Runs `fn` for `subuser`'s account; undefined keeps the account already in force. */
export function inAccount<T>(subuser: string | undefined, fn: () => T): T {
  return subuser === undefined ? fn() : account.run(subuser, fn);
}

/** The natural key as messages show it, with the account when it is a subuser's. */
export const inSubuser = (key: string, subuser: string | undefined): string => (subuser === undefined ? key : `${key} in ${keyPart("subuser", subuser)}`);

/** A subuser name as SendGrid keeps it: trimmed; empty is none. */
const subuserOf = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

/** The parent's subusers, listed once per process and settings (`GET /v3/subusers`, paged); none when the key may not list them. */
let subusersListed: { key: string; names: Promise<string[]> } | undefined;
export function subuserNames(): Promise<string[]> {
  const key = settingsFingerprint();
  if (subusersListed?.key !== key) {
    const names = (async () => {
      const all: string[] = [];
      for (let offset = 0; ; offset += 500) {
        const res = await sendgrid().request<{ username?: string }[]>("GET", "/subusers", { query: { limit: 500, offset }, accept: [403] });
        // A key without `subusers.read` (or a subuser's own key) sees no subusers: the parent's objects only.
        if (res.status === 403) return all;
        if (!Array.isArray(res.body)) throw new Error("SendGrid: GET /v3/subusers answered something other than a list; nothing was changed");
        all.push(...res.body.map((s) => s.username).filter((u): u is string => typeof u === "string"));
        if (res.body.length < 500) return all;
      }
    })();
    subusersListed = { key, names };
    names.catch(() => (subusersListed = undefined));
  }
  return subusersListed.names;
}

/** The accounts export reads: the stack-wide one, and with the parent's key every subuser. */
async function exportAccounts(): Promise<(string | undefined)[]> {
  if (setting("sendgridOnBehalfOf")) return [undefined];
  return [undefined, ...(await subuserNames())];
}

export function perAccount<I extends object, O extends object>(def: KindDefinition<I, O>): KindDefinition<I & AccountInputs, O> {
  type A = I & AccountInputs;
  // Undefined stays undefined: some kinds read differently without inputs (an account setting's export reads every part).
  const strip = (i: A | undefined): I => {
    if (i === undefined || i === null) return i as unknown as I;
    const { onBehalfOf: _, ...rest } = i;
    return rest as I;
  };
  // A kind may recognise the objects its listing made (a template's listing keeps their content
  // aside): it is handed back those, not the tagged copies.
  const originals = new WeakMap<object, LiveObject<I, O>>();
  const original = (live: LiveObject<A, O>): LiveObject<I, O> => originals.get(live) ?? (live as LiveObject<I, O>);
  const tag = (live: LiveObject<I, O> | undefined, subuser: string | undefined): LiveObject<A, O> | undefined => {
    if (!live || (subuser === undefined && (live.inputs as A).onBehalfOf === undefined)) return live as LiveObject<A, O> | undefined;
    const tagged = { ...live, inputs: compact({ ...live.inputs, onBehalfOf: subuser }) as A };
    originals.set(tagged, live);
    return tagged;
  };
  const tagAll = (all: LiveObject<I, O>[], subuser: string | undefined) => all.map((l) => tag(l, subuser)!);
  const sub = (i: A | undefined) => subuserOf(i?.onBehalfOf);
  const existing = def.existing;
  const fromList = existing?.readsFromList;
  const exported = def.export;

  return {
    ...def,
    fields: { ...def.fields, onBehalfOf: { replaces: true } } as KindDefinition<A, O>["fields"],
    accountField: "onBehalfOf",
    inputsOf: (entry, ref, stack) => ({ ...def.inputsOf(entry, ref, stack), onBehalfOf: entry.props.onBehalfOf }),
    normalize: (i) => compact({ ...def.normalize(strip(i)), onBehalfOf: sub(i) }) as A,
    naturalKey: (i) => inSubuser(def.naturalKey(strip(i)), sub(i)),
    ...(def.alsoUnique && { alsoUnique: (i: A) => { const u = def.alsoUnique!(strip(i)); return u === undefined ? undefined : inSubuser(u, sub(i)); } }),
    ...(def.risks && { risks: (i: A) => def.risks!(strip(i)) }),
    ...(def.guard && { guard: (before: A | undefined, after: A) => inAccount(sub(after), () => def.guard!(before && strip(before), strip(after))) }),
    create: async (i) => tag(await inAccount(sub(i), () => def.create(strip(i))), sub(i))!,
    read: async (id, previous) => tag(await inAccount(sub(previous), () => def.read(id, strip(previous) as I & O)), sub(previous)),
    update: (id, olds, news) => inAccount(sub(news), () => def.update(id, strip(olds) as I & O, strip(news))),
    delete: (id, props) => inAccount(sub(props), () => def.delete(id, strip(props) as I & O)),
    ...(def.ownCredential && { ownCredential: (live: LiveObject<A, O>) => sub(live.inputs) === undefined && def.ownCredential!(live as LiveObject<I, O>) }),
    existing: existing && {
      scope: (i) => `${existing.scope(strip(i))}${sub(i) === undefined ? "" : ` of subuser ${sub(i)}`}`,
      list: async (i) => tagAll(await inAccount(sub(i), () => existing.list(strip(i))), sub(i)),
      ...(existing.complete && {
        complete: async (found: LiveObject<A, O>, desired: A) =>
          tag(await inAccount(sub(desired), () => existing.complete!(original(found), strip(desired))), sub(desired)),
      }),
      ...(fromList && {
        readsFromList:
          fromList === true
            ? (true as const)
            : async (listed: LiveObject<A, O>, previous: A & O) =>
                tag(await inAccount(sub(previous), () => fromList(original(listed), strip(previous) as I & O)), sub(previous)),
      }),
    },
    export: exported && {
      async list() {
        const per = await Promise.all((await exportAccounts()).map(async (s) => tagAll(await inAccount(s, () => exported.list()), s)));
        return per.flat();
      },
      entry(live, refs) {
        const s = sub(live.inputs);
        const e = exported.entry({ ...live, inputs: strip(live.inputs) }, refs);
        if (s === undefined) return e;
        return "fields" in e ? { ...e, label: `${s} ${e.label}`, fields: { ...e.fields, onBehalfOf: s } } : { ...e, label: `${s} ${e.label}` };
      },
    },
  };
}

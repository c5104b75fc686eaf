/**
 * SendGrid IP access allow list (`/v3/access_settings/whitelist`,
 * tsg_ip_access_management_v3.json): the addresses allowed to use the account (its API keys and
 * its web UI). Once the list holds any entry, SendGrid refuses every other address; an empty list
 * allows them all.
 *
 * One entry holds the whole list, as a set (not one entry per address), because what can go wrong
 * is a property of the whole list: whether it still holds the address mailform calls from. Each
 * change is checked before anything is written (`guard`: at preview, and at the start of an up):
 * a list that holds entries but none that covers the caller's address is refused, naming the
 * address, since SendGrid would then refuse mailform and everyone else calling from there ("It is
 * possible to remove your own IP address ... thus blocking your own access", which only a support
 * ticket restores). The caller's address is the newest allowed attempt in SendGrid's access
 * activity (`/v3/access_settings/activity`), which the check's own request is. One entry per
 * account (a second is refused before any call), and a reviewer sees one diff of the set.
 *
 * Calls: a change adds the new addresses in one POST (first, so the list never lacks one it is
 * keeping) and removes the old ones in one DELETE of their rule ids (from state: the outputs keep
 * each address's rule id); the check costs one read of the activity. Entries are IPv4 addresses,
 * CIDR blocks and `*` wildcards, compared as SendGrid stores them (`a.b.c.d/n`, host bits clear).
 * Removing the entry empties the list (every address allowed again): that is its `loss`.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { sendgrid } from "../clients";
import { perAccount, type AccountInputs } from "./accounts";

export interface IpAllowListInputs {
  /** Sorted CIDR blocks, each once. */
  ips: string[];
}

export interface IpAllowListOutputs {
  /** SendGrid's rule id of each address, by address (`10.0.0.0/8`: 12). */
  ruleIds: Record<string, number>;
}

interface ApiRule {
  id: number;
  ip: string;
}

type Live = LiveObject<IpAllowListInputs, IpAllowListOutputs>;

const PATH = "/access_settings/whitelist";
const ID = "ip-allow-list";

/** The 32 bits of a dotted IPv4 address, or NaN. */
function bitsOf(address: string): number {
  const octets = address.split(".").map((o) => (/^\d{1,3}$/.test(o) ? Number(o) : NaN));
  if (octets.length !== 4 || octets.some((o) => !(o <= 255))) return NaN;
  return ((octets[0]! << 24) | (octets[1]! << 16) | (octets[2]! << 8) | octets[3]!) >>> 0;
}

/** `[network, prefix length]` of an entry as written (`1.2.3.4`, `1.2.0.0/16`, `1.2.*.*`); undefined when it is none of them. */
function block(entry: string): [number, number] | undefined {
  const text = entry.trim();
  let address = text;
  let prefix = 32;
  if (text.includes("*")) {
    // Wildcards stand for whole trailing octets.
    const octets = text.split(".");
    const wild = octets.indexOf("*");
    if (octets.length !== 4 || octets.slice(wild).some((o) => o !== "*")) return undefined;
    address = [...octets.slice(0, wild), ...octets.slice(wild).map(() => "0")].join(".");
    prefix = 8 * wild;
  } else if (text.includes("/")) {
    const slash = text.indexOf("/");
    const length = text.slice(slash + 1);
    if (!/^\d{1,2}$/.test(length) || Number(length) > 32) return undefined;
    address = text.slice(0, slash);
    prefix = Number(length);
  }
  const bits = bitsOf(address);
  if (Number.isNaN(bits)) return undefined;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [(bits & mask) >>> 0, prefix];
}

/** An entry as SendGrid stores it; one mailform cannot read is kept as written (and so differs). */
export function allowListEntry(entry: string): string {
  const b = block(entry);
  if (!b) return entry.trim();
  const n = b[0];
  return `${[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".")}/${b[1]}`;
}

/** Whether the entry holds the address. */
export function allowListCovers(entry: string, address: string): boolean {
  const b = block(entry);
  const a = bitsOf(address.replace(/^::ffff:/i, ""));
  if (!b || Number.isNaN(a)) return false;
  const mask = b[1] === 0 ? 0 : (0xffffffff << (32 - b[1])) >>> 0;
  return ((a & mask) >>> 0) === b[0];
}

const asSet = (ips: readonly string[] | undefined) => [...new Set((ips ?? []).map(allowListEntry))].sort();

function toLive(rules: ApiRule[]): Live {
  return { id: ID, inputs: { ips: asSet(rules.map((r) => r.ip)) }, outs: { ruleIds: Object.fromEntries(rules.map((r) => [allowListEntry(r.ip), r.id])) } };
}

/** `{result: [...]}` as documented, or a bare array. */
function rulesOf(body: unknown): ApiRule[] {
  const result = Array.isArray(body) ? body : (body as { result?: unknown } | null)?.result;
  if (!Array.isArray(result)) throw new Error("SendGrid: the IP allow list answered in a shape mailform does not read; nothing was changed");
  return result as ApiRule[];
}

async function live(): Promise<Live> {
  return toLive(rulesOf((await sendgrid().request("GET", PATH)).body));
}

/** The address SendGrid saw the latest allowed request from: this one's own. */
async function callerAddress(): Promise<string | undefined> {
  const res = await sendgrid().request<{ result?: { ip?: string; allowed?: boolean; last_at?: number }[] }>("GET", "/access_settings/activity", { query: { limit: 20 } });
  const allowed = (res.body?.result ?? []).filter((a) => a.allowed === true && typeof a.ip === "string");
  return allowed.sort((a, b) => (b.last_at ?? 0) - (a.last_at ?? 0))[0]?.ip;
}

/** Adds `ips` (one POST) and removes the rules of `gone` (one DELETE); answers the rule ids after. */
async function change(ruleIds: Record<string, number>, ips: string[], gone: string[]): Promise<Record<string, number>> {
  const after = { ...ruleIds };
  if (ips.length > 0) {
    const added = rulesOf((await sendgrid().request("POST", PATH, { body: { ips: ips.map((ip) => ({ ip })) } })).body);
    for (const r of added) after[allowListEntry(r.ip)] = r.id;
  }
  const ids = gone.map((ip) => after[ip]).filter((id): id is number => id !== undefined);
  // A repeat after a lost answer finds the rules gone (404): the list is then as wanted.
  if (ids.length > 0) await sendgrid().request("DELETE", PATH, { body: { ids }, accept: [404] });
  for (const ip of gone) delete after[ip];
  return after;
}

export const ipAllowList: KindDefinition<IpAllowListInputs & AccountInputs, IpAllowListOutputs> = perAccount<IpAllowListInputs, IpAllowListOutputs>({
  kind: "sendgrid:IpAllowList",
  title: "SendGrid IP allow list",
  entryKind: "sendgrid:ipAllowList",
  yamlPath: "sendgrid.ipAllowLists",
  schema: "SendgridIpAllowList",
  docs: { page: "docs/resources/sendgrid.md", section: "IP allow list" },
  loss: { what: "the restriction: every address may then use the account's keys and log in" },
  risks: (i) => (i.ips.length === 0 ? ["an empty allow list allows every address"] : []),
  fields: { ips: {} },
  inputsOf: ({ props: p }) => ({ ips: p.ips }),
  outputs: ["ruleIds"],
  stackOutputs: {},
  normalize: (i) => ({ ips: asSet(i.ips) }),
  naturalKey: () => "the account's IP allow list",
  oncePerAccount: true,

  async guard(_before, after) {
    if (after.ips.length === 0) return undefined; // an empty list allows every address
    const caller = await callerAddress();
    if (caller === undefined) {
      return {
        field: "ips",
        problem:
          "SendGrid's access activity shows no allowed request, so mailform cannot tell which address it calls from, and this list could lock it out. " +
          "Nothing was changed; run again (the activity lists this run's requests), or empty the list and set it from the SendGrid web UI, which shows your address.",
      };
    }
    if (after.ips.some((e) => allowListCovers(e, caller))) return undefined;
    return {
      field: "ips",
      problem:
        `this allow list would lock mailform out of the account: its requests come from ${caller} (SendGrid's access activity), which none of ` +
        `${after.ips.join(", ")} covers, and SendGrid refuses every address its list does not hold (only a support ticket restores access). ` +
        `Add "${caller}" (or a block that holds it) to ips, or apply the change from an address the list keeps. Nothing was changed.`,
    };
  },

  async create(inputs) {
    // The listing found no entries (adoption takes a non-empty list over): add them all.
    return { id: ID, inputs, outs: { ruleIds: await change({}, inputs.ips, []) } };
  },

  async read() {
    return live();
  },

  async update(_id, olds, news) {
    const kept = new Set(news.ips);
    let ruleIds = olds.ruleIds ?? {};
    const gone = (olds.ips ?? []).filter((ip) => !kept.has(ip));
    // A state without a rule id for an address it removes (written before the outputs had it): read them.
    if (gone.some((ip) => ruleIds[ip] === undefined)) ruleIds = { ...(await live()).outs.ruleIds, ...ruleIds };
    return { ruleIds: await change(ruleIds, news.ips.filter((ip) => !(olds.ips ?? []).includes(ip)), gone) };
  },

  async delete() {
    // Every entry, those added by hand too: a list left with only those could lock the account.
    const { outs } = await live();
    const ids = Object.values(outs.ruleIds);
    if (ids.length > 0) await sendgrid().request("DELETE", PATH, { body: { ids }, accept: [404] });
  },

  existing: {
    scope: () => "account",
    // An empty list is no object to adopt: the first up adds its entries without `adopt`.
    list: async () => {
      const l = await live();
      return l.inputs.ips.length === 0 ? [] : [l];
    },
    readsFromList: true,
  },
  export: {
    // As adoption sees it: an empty list (every address allowed) is not written.
    list: () => ipAllowList.existing!.list({ ips: [] }),
    entry: (l) => ({ label: "account", fields: compact({ ips: l.inputs.ips }) }),
  },
});

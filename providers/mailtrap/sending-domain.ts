/**
 * Mailtrap sending domain (`/api/domains`, `{domain: {...}}`): the domain mail is sent from. Its
 * name is the natural key and cannot change (a change replaces the domain, deleting the old one
 * first: the two would otherwise share the name); Mailtrap stores it in lower case, so mailform
 * compares it so. The tracking settings change in place with one PATCH of what changed.
 *
 * Outputs: the DNS records to publish (each `{type, name, value, status}`, where `name` is the full
 * host name) and whether Mailtrap has verified them: DNS is published outside mailform, so these
 * outputs change on refresh without that being drift of a field the stack file sets.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart, keyText } from "../natural-key";
import { mailtrap } from "../clients";
import type { DnsRecord } from "../dns-records";

export interface SendingDomainInputs {
  domainName: string;
  openTracking: boolean;
  clickTracking: boolean;
  autoUnsubscribeLink: boolean;
}

export type { DnsRecord };

export interface SendingDomainOutputs {
  domainId: number;
  dnsRecords: DnsRecord[];
  dnsVerified: boolean;
  complianceStatus?: string;
}

interface ApiDomain {
  id: number;
  domain_name: string;
  dns_verified?: boolean;
  compliance_status?: string;
  dns_records?: { type: string; domain: string; value: string; status: string }[];
  open_tracking_enabled?: boolean;
  click_tracking_enabled?: boolean;
  auto_unsubscribe_link_enabled?: boolean;
}

const PATH = "/api/domains";
/** Our field name -> Mailtrap's attribute name, for the settings PATCH can change. */
const SETTINGS = {
  openTracking: "open_tracking_enabled",
  clickTracking: "click_tracking_enabled",
  autoUnsubscribeLink: "auto_unsubscribe_link_enabled",
} as const satisfies Partial<Record<keyof SendingDomainInputs, keyof ApiDomain>>;

function toLive(d: ApiDomain): LiveObject<SendingDomainInputs, SendingDomainOutputs> {
  // Mailtrap lists one record twice in some answers: exact duplicates are dropped.
  const seen = new Set<string>();
  const dnsRecords = (d.dns_records ?? [])
    .map((r) => ({ type: r.type, name: r.domain, value: r.value, status: r.status }))
    .filter((r) => !seen.has(JSON.stringify(r)) && !!seen.add(JSON.stringify(r)));
  return {
    id: String(d.id),
    inputs: {
      domainName: d.domain_name,
      // Absent means Mailtrap's default, on.
      openTracking: d.open_tracking_enabled !== false,
      clickTracking: d.click_tracking_enabled !== false,
      autoUnsubscribeLink: d.auto_unsubscribe_link_enabled !== false,
    },
    outs: compact({ domainId: d.id, dnsRecords, dnsVerified: d.dns_verified === true, complianceStatus: d.compliance_status }),
  };
}

async function patch(id: string, olds: Partial<SendingDomainInputs>, news: SendingDomainInputs): Promise<ApiDomain | undefined> {
  const changed = Object.fromEntries(
    (Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]).filter((f) => olds[f] !== news[f]).map((f) => [SETTINGS[f], news[f]]),
  );
  if (Object.keys(changed).length === 0) return undefined;
  return (await mailtrap().request<ApiDomain>("PATCH", `${PATH}/${id}`, { body: { domain: changed }, idempotent: true })).body;
}

export const sendingDomain: KindDefinition<SendingDomainInputs, SendingDomainOutputs> = {
  kind: "mailtrap:SendingDomain",
  title: "Mailtrap sending domain",
  entryKind: "mailtrap:sendingDomain",
  yamlPath: "mailtrap.domains",
  schema: "MailtrapSendingDomain",
  docs: { page: "docs/resources/mailtrap.md", section: "Sending domain" },
  loss: { what: "its DNS verification and compliance review: mail from the domain stops until they are done again", guarded: true },
  fields: { domainName: { replaces: true }, openTracking: {}, clickTracking: {}, autoUnsubscribeLink: {} },
  inputsOf: ({ props: p }) => ({
    domainName: p.domainName,
    openTracking: p.openTracking,
    clickTracking: p.clickTracking,
    autoUnsubscribeLink: p.autoUnsubscribeLink,
  }),
  outputs: ["domainId", "dnsRecords", "dnsVerified", "complianceStatus"],
  stackOutputs: { id: { from: "id" }, dnsRecords: { from: "dnsRecords" } },
  normalize: (i) => ({
    domainName: keyText(i.domainName, { caseless: true }),
    openTracking: i.openTracking ?? true,
    clickTracking: i.clickTracking ?? true,
    autoUnsubscribeLink: i.autoUnsubscribeLink ?? true,
  }),
  naturalKey: (i) => keyPart("domain name", i.domainName, { caseless: true }),

  async create(inputs) {
    const created = (await mailtrap().request<ApiDomain>("POST", PATH, { body: { domain: { domain_name: inputs.domainName } } })).body;
    // Create takes the name only: the settings follow in one PATCH when they differ from Mailtrap's.
    const id = String(created.id);
    try {
      return toLive((await patch(id, toLive(created).inputs, inputs)) ?? created);
    } catch (e) {
      // Leave no half-made domain behind: the next run would find it by name and refuse to adopt it.
      await mailtrap().request("DELETE", `${PATH}/${id}`, { accept: [404] }).catch(() => undefined);
      throw e;
    }
  },

  async read(id) {
    const res = await mailtrap().request<ApiDomain>("GET", `${PATH}/${id}`, { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    const updated = await patch(id, olds, news);
    if (updated) return toLive(updated).outs;
    return compact({ domainId: olds.domainId ?? Number(id), dnsRecords: olds.dnsRecords ?? [], dnsVerified: olds.dnsVerified ?? false, complianceStatus: olds.complianceStatus });
  },

  async delete(id) {
    await mailtrap().request("DELETE", `${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      const res = await mailtrap().request<{ data: ApiDomain[] } | ApiDomain[]>("GET", PATH);
      // `{data: [...]}` as documented; a bare list read tolerantly.
      return (Array.isArray(res.body) ? res.body : (res.body.data ?? [])).map(toLive);
    },
    readsFromList: true,
  },
  export: {
    list: () => sendingDomain.existing!.list({} as SendingDomainInputs),
    entry: ({ inputs: i }) => ({ label: i.domainName, fields: { ...i } }),
  },
};

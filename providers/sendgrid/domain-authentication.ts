/**
 * SendGrid domain authentication (`/v3/whitelabel/domains`, tsg_domain_authentication_v3.json):
 * the DKIM and SPF set-up that lets mail from a domain pass as sent by it. Only `default` changes in
 * place (the document's PATCH takes `default` and `custom_spf`); the domain, the subdomain (the
 * return path), the DKIM selector and automatic security are fixed at creation, so a change to
 * them replaces the authentication, and the records to publish change with it. The sending host
 * `<subdomain>.<domain>` is the natural key.
 *
 * Outputs: the DNS records SendGrid asks for and whether SendGrid found them valid. DNS is
 * published outside mailform, so these change on refresh without being drift of a field.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { sendgrid } from "../clients";
import { sendgridDnsRecords, type DnsRecord } from "../dns-records";
import { hostText, listAll, updated } from "./whitelabel";
import { perAccount, type AccountInputs } from "./accounts";

export interface DomainAuthenticationInputs {
  domain: string;
  subdomain: string;
  customDkimSelector?: string;
  automaticSecurity: boolean;
  isDefault: boolean;
}

export interface DomainAuthenticationOutputs {
  domainId: number;
  valid: boolean;
  dnsRecords: DnsRecord[];
}

interface ApiDomain {
  id: number;
  domain: string;
  subdomain?: string;
  default?: boolean;
  automatic_security?: boolean;
  valid?: boolean;
  dns?: Record<string, { host?: string; type?: string; data?: string; valid?: boolean }>;
}

const PATH = "/whitelabel/domains";

/**
 * The custom DKIM selector, which the answer does not carry: the first label of the DKIM record's
 * host (`mf1._domainkey.example.com`); SendGrid's own selectors are `s1`/`s2`.
 */
function selectorOf(d: ApiDomain): string | undefined {
  const dkim = d.dns?.dkim1 ?? d.dns?.dkim;
  const label = dkim?.host?.split(".")[0]?.toLowerCase();
  return label && !/^s[12]$/.test(label) ? label : undefined;
}

function toLive(d: ApiDomain): LiveObject<DomainAuthenticationInputs, DomainAuthenticationOutputs> {
  return {
    id: String(d.id),
    inputs: compact({
      domain: hostText(d.domain),
      subdomain: hostText(d.subdomain),
      customDkimSelector: selectorOf(d),
      automaticSecurity: d.automatic_security !== false,
      isDefault: d.default === true,
    }),
    outs: { domainId: d.id, valid: d.valid === true, dnsRecords: sendgridDnsRecords(d.dns) },
  };
}

export const domainAuthentication: KindDefinition<DomainAuthenticationInputs & AccountInputs, DomainAuthenticationOutputs> = perAccount<DomainAuthenticationInputs, DomainAuthenticationOutputs>({
  kind: "sendgrid:DomainAuthentication",
  title: "SendGrid domain authentication",
  entryKind: "sendgrid:domainAuthentication",
  yamlPath: "sendgrid.domainAuthentications",
  schema: "SendgridDomainAuthentication",
  docs: { page: "docs/resources/sendgrid.md", section: "Domain authentication" },
  loss: { what: "its DNS validation: mail from the domain fails DKIM and SPF until the new records are published and validated", guarded: true },
  fields: { domain: { replaces: true }, subdomain: { replaces: true }, customDkimSelector: { replaces: true }, automaticSecurity: { replaces: true }, isDefault: {} },
  inputsOf: ({ props: p }) => ({
    domain: p.domain,
    subdomain: p.subdomain,
    customDkimSelector: p.customDkimSelector,
    automaticSecurity: p.automaticSecurity,
    isDefault: p.isDefault,
  }),
  outputs: ["domainId", "valid", "dnsRecords"],
  stackOutputs: { id: { from: "id" }, valid: { from: "valid" }, dnsRecords: { from: "dnsRecords" } },
  normalize: (i) =>
    compact({
      domain: hostText(i.domain),
      subdomain: hostText(i.subdomain),
      customDkimSelector: i.customDkimSelector ? i.customDkimSelector.trim().toLowerCase() : undefined,
      automaticSecurity: i.automaticSecurity ?? true,
      isDefault: i.isDefault === true,
    }),
  // DNS names ignore letter case.
  naturalKey: (i) => keyPart("sending host", `${i.subdomain}.${i.domain}`, { caseless: true }),
  alsoUnique: (i) => (i.isDefault ? "isDefault: true" : undefined),

  async create(inputs) {
    const body = compact({
      domain: inputs.domain,
      subdomain: inputs.subdomain,
      custom_dkim_selector: inputs.customDkimSelector,
      automatic_security: inputs.automaticSecurity,
      default: inputs.isDefault,
    });
    return toLive((await sendgrid().request<ApiDomain>("POST", PATH, { body })).body);
  },

  async read(id) {
    const res = await sendgrid().request<ApiDomain>("GET", `${PATH}/${encodeURIComponent(id)}`, { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    if (olds.isDefault !== news.isDefault) {
      const res = await sendgrid().request<ApiDomain | ApiDomain[]>("PATCH", `${PATH}/${encodeURIComponent(id)}`, { body: { default: news.isDefault }, idempotent: true });
      const after = updated(res.body);
      if (after) return toLive(after).outs;
    }
    return { domainId: olds.domainId ?? Number(id), valid: olds.valid ?? false, dnsRecords: olds.dnsRecords ?? [] };
  },

  async delete(id) {
    await sendgrid().request("DELETE", `${PATH}/${encodeURIComponent(id)}`);
  },

  existing: {
    scope: () => "account",
    // Domains associated with subusers are theirs, not this account's to adopt.
    list: async () => (await listAll<ApiDomain>(PATH, { exclude_subusers: true })).map(toLive),
    // The listing answers each object as its own read does: a refresh reads from it.
    readsFromList: true,
  },
  export: {
    list: () => domainAuthentication.existing!.list({} as DomainAuthenticationInputs),
    entry: ({ inputs: i }) => ({ label: `${i.subdomain}.${i.domain}`, fields: { ...i } }),
  },
});

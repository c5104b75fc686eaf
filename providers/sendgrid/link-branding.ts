/**
 * SendGrid link branding (`/v3/whitelabel/links`, tsg_link_branding_v3.json): the host name the
 * links and open pixels of sent mail use instead of SendGrid's. Only `default` changes in place
 * (the document's PATCH takes nothing else); a change of the domain or subdomain replaces it. The
 * link host `<subdomain>.<domain>` is the natural key.
 *
 * Outputs: the DNS records SendGrid asks for (the link CNAME and the owner CNAME) and whether
 * SendGrid found them valid; they change on refresh without being drift of a field.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { sendgrid } from "../clients";
import { sendgridDnsRecords, type DnsRecord } from "../dns-records";
import { hostText, listAll, updated } from "./whitelabel";
import { perAccount, type AccountInputs } from "./accounts";

export interface LinkBrandingInputs {
  domain: string;
  subdomain: string;
  isDefault: boolean;
}

export interface LinkBrandingOutputs {
  linkId: number;
  valid: boolean;
  dnsRecords: DnsRecord[];
}

interface ApiLink {
  id: number;
  domain: string;
  subdomain?: string;
  default?: boolean;
  valid?: boolean;
  dns?: Record<string, { host?: string; type?: string; data?: string; valid?: boolean }>;
}

const PATH = "/whitelabel/links";

function toLive(l: ApiLink): LiveObject<LinkBrandingInputs, LinkBrandingOutputs> {
  return {
    id: String(l.id),
    inputs: { domain: hostText(l.domain), subdomain: hostText(l.subdomain), isDefault: l.default === true },
    outs: { linkId: l.id, valid: l.valid === true, dnsRecords: sendgridDnsRecords(l.dns) },
  };
}

export const linkBranding: KindDefinition<LinkBrandingInputs & AccountInputs, LinkBrandingOutputs> = perAccount<LinkBrandingInputs, LinkBrandingOutputs>({
  kind: "sendgrid:LinkBranding",
  title: "SendGrid link branding",
  entryKind: "sendgrid:linkBranding",
  yamlPath: "sendgrid.linkBrandings",
  schema: "SendgridLinkBranding",
  docs: { page: "docs/resources/sendgrid.md", section: "Link branding" },
  loss: { what: "its DNS validation: links in mail already sent through it stop being tracked and redirected until it is validated again", guarded: true },
  fields: { domain: { replaces: true }, subdomain: { replaces: true }, isDefault: {} },
  inputsOf: ({ props: p }) => ({ domain: p.domain, subdomain: p.subdomain, isDefault: p.isDefault }),
  outputs: ["linkId", "valid", "dnsRecords"],
  stackOutputs: { id: { from: "id" }, valid: { from: "valid" }, dnsRecords: { from: "dnsRecords" } },
  normalize: (i) => ({ domain: hostText(i.domain), subdomain: hostText(i.subdomain), isDefault: i.isDefault === true }),
  // DNS names ignore letter case.
  naturalKey: (i) => keyPart("link host", `${i.subdomain}.${i.domain}`, { caseless: true }),
  alsoUnique: (i) => (i.isDefault ? "isDefault: true" : undefined),

  async create(inputs) {
    const body = compact({ domain: inputs.domain, subdomain: inputs.subdomain, default: inputs.isDefault });
    return toLive((await sendgrid().request<ApiLink>("POST", PATH, { body })).body);
  },

  async read(id) {
    const res = await sendgrid().request<ApiLink>("GET", `${PATH}/${encodeURIComponent(id)}`, { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    if (olds.isDefault !== news.isDefault) {
      const res = await sendgrid().request<ApiLink | ApiLink[]>("PATCH", `${PATH}/${encodeURIComponent(id)}`, { body: { default: news.isDefault }, idempotent: true });
      const after = updated(res.body);
      if (after) return toLive(after).outs;
    }
    return { linkId: olds.linkId ?? Number(id), valid: olds.valid ?? false, dnsRecords: olds.dnsRecords ?? [] };
  },

  async delete(id) {
    await sendgrid().request("DELETE", `${PATH}/${encodeURIComponent(id)}`);
  },

  existing: {
    scope: () => "account",
    list: async () => (await listAll<ApiLink>(PATH)).map(toLive),
    // The listing answers each object as its own read does: a refresh reads from it.
    readsFromList: true,
  },
  export: {
    list: () => linkBranding.existing!.list({} as LinkBrandingInputs),
    entry: ({ inputs: i }) => ({ label: `${i.subdomain}.${i.domain}`, fields: { ...i } }),
  },
});

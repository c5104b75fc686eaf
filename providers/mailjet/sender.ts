/**
 * Mailjet sender (`/v3/REST/sender`): an address (or `*@domain`) mail may be sent from. `email` is
 * the natural key and cannot change at Mailjet: a change replaces the sender (the old one deleted
 * first, since Mailjet refuses a second sender with the same address). `name` and `emailType`
 * (`transactional`, `bulk` or `unknown`, Mailjet's default) change in place with one PUT.
 *
 * Mailjet validates a new sender by mail: `status` (`Inactive` until validated, then `Active`) is an
 * output. A sender Mailjet shows as `Deleted` is gone.
 *
 * The sender's domain entry (`/v3/REST/dns/{DNSID}`, made by Mailjet with the domain's first sender)
 * gives the outputs `dnsRecords` (the DKIM, SPF and ownership TXT records to publish, in the shape
 * of a Mailtrap sending domain's), `dkimStatus` and `spfStatus`: one more GET per create and read.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart, keyText } from "../natural-key";
import { mailjet } from "../clients";
import type { DnsRecord } from "../mailtrap/sending-domain";

export type EmailType = "transactional" | "bulk" | "unknown";

export interface SenderInputs {
  email: string;
  name: string;
  emailType: EmailType;
}

export interface SenderOutputs {
  senderId: number;
  status: string;
  dnsRecords: DnsRecord[];
  dkimStatus: string;
  spfStatus: string;
}

interface ApiSender {
  ID: number;
  DNSID?: number;
  Email: string;
  Name?: string;
  EmailType?: string;
  Status?: string;
}

const PATH = "/sender";

interface ApiDns {
  ID?: number;
  Domain: string;
  DKIMRecordName?: string;
  DKIMRecordValue?: string;
  DKIMStatus?: string;
  OwnerShipToken?: string;
  OwnerShipTokenRecordName?: string;
  SPFRecordValue?: string;
  SPFStatus?: string;
}

type DnsOutputs = Pick<SenderOutputs, "dnsRecords" | "dkimStatus" | "spfStatus">;

/** A domain entry as a sender's outputs: none (empty) when Mailjet has none for it yet. */
function dnsFields(dns: ApiDns | undefined): DnsOutputs {
  if (!dns) return { dnsRecords: [], dkimStatus: "", spfStatus: "" };
  const txt = (name: string | undefined, value: string | undefined, status: string): DnsRecord[] =>
    name && value ? [{ type: "TXT", name, value, status }] : [];
  return {
    dnsRecords: [
      ...txt(dns.DKIMRecordName, dns.DKIMRecordValue, dns.DKIMStatus ?? ""),
      ...txt(dns.Domain, dns.SPFRecordValue, dns.SPFStatus ?? ""),
      ...txt(dns.OwnerShipTokenRecordName, dns.OwnerShipToken, ""),
    ],
    dkimStatus: dns.DKIMStatus ?? "",
    spfStatus: dns.SPFStatus ?? "",
  };
}

/** The sender's domain entry as outputs (one GET). */
async function dnsOutputs(s: ApiSender): Promise<DnsOutputs> {
  return dnsFields(s.DNSID ? await mailjet().get<ApiDns>(`/dns/${s.DNSID}`) : undefined);
}

function toLive(s: ApiSender): LiveObject<SenderInputs, SenderOutputs> {
  return {
    id: String(s.ID),
    inputs: { email: s.Email, name: s.Name ?? "", emailType: (s.EmailType ?? "unknown") as EmailType },
    outs: { senderId: s.ID, status: s.Status ?? "", dnsRecords: [], dkimStatus: "", spfStatus: "" },
  };
}

/** With the domain's DNS outputs (one GET). */
async function withDns(s: ApiSender): Promise<LiveObject<SenderInputs, SenderOutputs>> {
  const live = toLive(s);
  return { ...live, outs: { ...live.outs, ...(await dnsOutputs(s)) } };
}

export const sender: KindDefinition<SenderInputs, SenderOutputs> = {
  kind: "mailjet:Sender",
  title: "Mailjet sender",
  entryKind: "mailjet:sender",
  yamlPath: "mailjet.senders",
  schema: "MailjetSender",
  docs: { page: "docs/resources/mailjet.md", section: "Sender" },
  loss: { what: "its verification: mail from the address stops until it is verified again", guarded: true },
  fields: { email: { replaces: true }, name: {}, emailType: {} },
  inputsOf: ({ props: p }) => ({ email: p.email, name: p.name, emailType: p.emailType }),
  outputs: ["senderId", "status", "dnsRecords", "dkimStatus", "spfStatus"],
  stackOutputs: { id: { from: "id" }, status: { from: "status" }, dnsRecords: { from: "dnsRecords" } },
  // The address replaces and Mailjet ignores its case: compared as the natural key is.
  normalize: (i) => ({ email: keyText(i.email, { caseless: true }), name: i.name ?? "", emailType: i.emailType ?? "unknown" }),
  naturalKey: (i) => keyPart("email", i.email, { caseless: true }),

  async create(inputs) {
    return withDns(await mailjet().create<ApiSender>(PATH, { Email: inputs.email, Name: inputs.name, EmailType: inputs.emailType }));
  },

  async read(id) {
    const live = await mailjet().get<ApiSender>(`${PATH}/${id}`);
    return live && live.Status !== "Deleted" ? withDns(live) : undefined;
  },

  async update(id, olds, news) {
    const changed = compact({
      Name: olds.name !== news.name ? news.name : undefined,
      EmailType: olds.emailType !== news.emailType ? news.emailType : undefined,
    });
    const updated = Object.keys(changed).length > 0 ? await mailjet().update<ApiSender>(`${PATH}/${id}`, changed) : undefined;
    // An adopted sender comes from a listing, without its domain's records: read them once.
    const known = (olds.dnsRecords ?? []).length > 0;
    const source = known ? undefined : (updated ?? (await mailjet().get<ApiSender>(`${PATH}/${id}`)));
    const dns = source ? await dnsOutputs(source) : { dnsRecords: olds.dnsRecords ?? [], dkimStatus: olds.dkimStatus ?? "", spfStatus: olds.spfStatus ?? "" };
    return { ...(updated ? toLive(updated).outs : { senderId: olds.senderId ?? Number(id), status: olds.status ?? "" }), ...dns };
  },

  async delete(id) {
    await mailjet().delete(`${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    // With the domain entries' listing (one more call per run, not one per sender), the listing
    // holds every output a read gives, so a refresh reads senders from it.
    async list() {
      const [senders, domains] = await Promise.all([mailjet().list<ApiSender>(PATH), mailjet().list<ApiDns>("/dns")]);
      const byId = new Map(domains.map((d) => [d.ID, d]));
      return senders
        .filter((s) => s.Status !== "Deleted")
        .map((s) => {
          const live = toLive(s);
          return { ...live, outs: { ...live.outs, ...dnsFields(s.DNSID ? byId.get(s.DNSID) : undefined) } };
        });
    },
    // A deleted sender is not listed: its own read then finds it gone.
    readsFromList: true,
  },
  export: {
    list: () => sender.existing!.list({} as SenderInputs),
    entry: ({ inputs: i }) => ({ label: i.email, fields: { ...i } }),
  },
};

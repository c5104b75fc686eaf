/**
 * Mailjet sender (`/v3/REST/sender`): an address (or `*@domain`) mail may be sent from. `email` is
 * the natural key and cannot change at Mailjet: a change replaces the sender (the old one deleted
 * first, since Mailjet refuses a second sender with the same address). `name` and `emailType`
 * (`transactional`, `bulk` or `unknown`, Mailjet's default) change in place with one PUT.
 *
 * Mailjet validates a new sender by mail: `status` (`Inactive` until validated, then `Active`) is an
 * output. A sender Mailjet shows as `Deleted` is gone.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart, keyText } from "../natural-key";
import { mailjet } from "../clients";

export type EmailType = "transactional" | "bulk" | "unknown";

export interface SenderInputs {
  email: string;
  name: string;
  emailType: EmailType;
}

export interface SenderOutputs {
  senderId: number;
  status: string;
}

interface ApiSender {
  ID: number;
  Email: string;
  Name?: string;
  EmailType?: string;
  Status?: string;
}

const PATH = "/sender";

function toLive(s: ApiSender): LiveObject<SenderInputs, SenderOutputs> {
  return {
    id: String(s.ID),
    inputs: { email: s.Email, name: s.Name ?? "", emailType: (s.EmailType ?? "unknown") as EmailType },
    outs: { senderId: s.ID, status: s.Status ?? "" },
  };
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
  outputs: ["senderId", "status"],
  stackOutputs: { id: { from: "id" }, status: { from: "status" } },
  // The address replaces and Mailjet ignores its case: compared as the natural key is.
  normalize: (i) => ({ email: keyText(i.email, { caseless: true }), name: i.name ?? "", emailType: i.emailType ?? "unknown" }),
  naturalKey: (i) => keyPart("email", i.email, { caseless: true }),

  async create(inputs) {
    return toLive(await mailjet().create<ApiSender>(PATH, { Email: inputs.email, Name: inputs.name, EmailType: inputs.emailType }));
  },

  async read(id) {
    const live = await mailjet().get<ApiSender>(`${PATH}/${id}`);
    return live && live.Status !== "Deleted" ? toLive(live) : undefined;
  },

  async update(id, olds, news) {
    const changed = compact({
      Name: olds.name !== news.name ? news.name : undefined,
      EmailType: olds.emailType !== news.emailType ? news.emailType : undefined,
    });
    const updated = Object.keys(changed).length > 0 ? await mailjet().update<ApiSender>(`${PATH}/${id}`, changed) : undefined;
    return updated ? toLive(updated).outs : { senderId: olds.senderId ?? Number(id), status: olds.status ?? "" };
  },

  async delete(id) {
    await mailjet().delete(`${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      return (await mailjet().list<ApiSender>(PATH)).filter((s) => s.Status !== "Deleted").map(toLive);
    },
    // A deleted sender is not listed: its own read then finds it gone.
    readsFromList: true,
  },
  export: {
    list: () => sender.existing!.list({} as SenderInputs),
    entry: ({ inputs: i }) => ({ label: i.email, fields: { ...i } }),
  },
};

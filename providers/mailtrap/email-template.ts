/**
 * Mailtrap email template: name, category and subject (each required, at most 255 characters)
 * and the HTML and text bodies. Every field is updated in place. Natural key: its name.
 *
 * An update is one PATCH of the documented request body (`EmailTemplateRequest`), whose name,
 * subject and category are required in an update as in a create: they are always sent, with the
 * bodies that changed.
 *
 * Mailtrap cannot clear a body once it is set (a blank body in an update leaves it as it is, and
 * it stores "" for a body it was never given). So a body is managed only while the entry gives
 * one: an absent or empty `html`/`text` is not compared, not sent and not read back, and removing
 * a body from the stack file leaves Mailtrap's as it is instead of diffing forever.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { mailtrap } from "../clients";
import { part } from "../../templates/message";

export interface EmailTemplateInputs {
  name: string;
  category: string;
  subject: string;
  /** Absent: not managed (Mailtrap cannot clear a body). */
  html?: string;
  text?: string;
}

export interface EmailTemplateOutputs {
  templateId: number;
  uuid?: string;
}

interface ApiTemplate {
  id: number;
  uuid?: string;
  name: string;
  category: string;
  subject: string;
  body_html?: string | null;
  body_text?: string | null;
}

/** Our field name -> Mailtrap's attribute name. */
const ATTRIBUTES = {
  name: "name",
  category: "category",
  subject: "subject",
  html: "body_html",
  text: "body_text",
} as const satisfies Record<keyof EmailTemplateInputs, string>;

/** Required in every request body, create and update alike. */
const REQUIRED = ["name", "category", "subject"] as const;
const BODIES = ["html", "text"] as const;
const PATH = "/api/email_templates";

/** A body as mailform manages it: Mailtrap's "" (never given) and an empty entry both mean none. */
const body = (value: string | null | undefined): string | undefined => (value === null || value === undefined || value === "" ? undefined : value);

function toLive(t: ApiTemplate): LiveObject<EmailTemplateInputs, EmailTemplateOutputs> {
  return {
    id: String(t.id),
    inputs: compact({
      name: t.name,
      category: t.category,
      subject: t.subject,
      html: body(t.body_html),
      text: body(t.body_text),
    }),
    outs: compact({ templateId: t.id, uuid: t.uuid }),
  };
}

/** The request attributes: the required fields, and of the bodies those listed that the entry gives. */
function attributes(inputs: EmailTemplateInputs, bodies: readonly (typeof BODIES)[number][]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of REQUIRED) out[ATTRIBUTES[f]] = inputs[f];
  for (const f of bodies) {
    const value = body(inputs[f]);
    if (value !== undefined) out[ATTRIBUTES[f]] = value;
  }
  return out;
}

export const emailTemplate: KindDefinition<EmailTemplateInputs, EmailTemplateOutputs> = {
  kind: "mailtrap:EmailTemplate",
  title: "Mailtrap email template",
  entryKind: "mailtrap:emailTemplate",
  yamlPath: "mailtrap.emailTemplates",
  schema: "MailtrapEmailTemplate",
  docs: { page: "docs/resources/mailtrap.md", section: "Email template" },
  loss: { what: "its template id (uuid), which code sends by" },
  templates: {
    messages: (f, sampleData) => [
      { label: "", title: String(f.name), language: "handlebars-mailtrap", sampleData, subject: part(["subject"], f.subject), html: part(["html"], f.html), text: part(["text"], f.text) },
    ],
  },
  fields: { name: {}, category: {}, subject: {}, html: { unmanagedWhenAbsent: true }, text: { unmanagedWhenAbsent: true } },
  inputsOf: (e) => ({ name: e.props.name, category: e.props.category, subject: e.props.subject, html: e.props.html, text: e.props.text }),
  outputs: ["templateId", "uuid"],
  stackOutputs: { id: { from: "id" } },
  // Before the fields took their YAML names.
  renamedFields: { bodyHtml: "html", bodyText: "text" },
  normalize: (i) =>
    compact({
      name: i.name,
      category: i.category,
      subject: i.subject,
      html: body(i.html),
      text: body(i.text),
    }),
  naturalKey: (i) => keyPart("name", i.name),

  async create(inputs) {
    const res = await mailtrap().request<ApiTemplate>("POST", PATH, { body: { email_template: attributes(inputs, BODIES) } });
    return toLive(res.body);
  },

  async read(id) {
    const res = await mailtrap().request<ApiTemplate>("GET", `${PATH}/${id}`, { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    // A body the entry does not give is not managed: never sent (a blank one would not clear it).
    const bodies = BODIES.filter((f) => body(news[f]) !== undefined && body(olds[f]) !== body(news[f]));
    const required = REQUIRED.filter((f) => olds[f] !== news[f]);
    if (bodies.length === 0 && required.length === 0) return compact({ templateId: olds.templateId ?? Number(id), uuid: olds.uuid });
    const res = await mailtrap().request<ApiTemplate>("PATCH", `${PATH}/${id}`, {
      idempotent: true,
      body: { email_template: attributes(news, bodies) },
    });
    return toLive(res.body).outs;
  },

  async delete(id) {
    await mailtrap().request("DELETE", `${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      const res = await mailtrap().request<ApiTemplate[]>("GET", PATH);
      return res.body.map(toLive);
    },
    // Listed with their bodies (EmailTemplateResponse, as GET answers one).
    readsFromList: true,
  },
  export: {
    list: () => emailTemplate.existing!.list({} as EmailTemplateInputs),
    entry: ({ inputs: i }) => ({
      label: i.name,
      fields: compact({ name: i.name, category: i.category, subject: i.subject, html: body(i.html), text: body(i.text) }),
    }),
  },
};

/**
 * Mailtrap email template: name, category and subject (each required, at most 255 characters)
 * and the HTML and text bodies. Every field is updated in place (PATCH sends only the changed
 * ones). Natural key: its name.
 *
 * An absent body is an empty body: Mailtrap stores "" for a body it was not given, so mailform
 * normalizes absent to "" and a body added out of band shows up as drift.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { mailtrap } from "./client";

export interface EmailTemplateInputs {
  name: string;
  category: string;
  subject: string;
  html: string;
  text: string;
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

const FIELDS = Object.keys(ATTRIBUTES) as (keyof EmailTemplateInputs)[];
const PATH = "/api/email_templates";

function toLive(t: ApiTemplate): LiveObject<EmailTemplateInputs, EmailTemplateOutputs> {
  return {
    id: String(t.id),
    inputs: {
      name: t.name,
      category: t.category,
      subject: t.subject,
      html: t.body_html ?? "",
      text: t.body_text ?? "",
    },
    outs: compact({ templateId: t.id, uuid: t.uuid }),
  };
}

function attributes(inputs: Partial<EmailTemplateInputs>, fields: readonly (keyof EmailTemplateInputs)[]): Record<string, string> {
  return Object.fromEntries(fields.map((f) => [ATTRIBUTES[f], inputs[f] ?? ""]));
}

export const emailTemplate: KindDefinition<EmailTemplateInputs, EmailTemplateOutputs> = {
  kind: "mailtrap:EmailTemplate",
  title: "Mailtrap email template",
  entryKind: "mailtrap:emailTemplate",
  yamlPath: "mailtrap.emailTemplates",
  schema: "MailtrapEmailTemplate",
  docs: { page: "docs/resources/mailtrap.md", section: "Email template" },
  fields: { name: {}, category: {}, subject: {}, html: {}, text: {} },
  inputsOf: (e) => ({ name: e.props.name, category: e.props.category, subject: e.props.subject, html: e.props.html, text: e.props.text }),
  outputs: ["templateId", "uuid"],
  stackOutputs: { id: { from: "id" } },
  // Before the fields took their YAML names.
  renamedFields: { bodyHtml: "html", bodyText: "text" },
  normalize: (i) => ({
    name: i.name,
    category: i.category,
    subject: i.subject,
    html: i.html ?? "",
    text: i.text ?? "",
  }),
  naturalKey: (i) => keyPart("name", i.name),

  async create(inputs) {
    const res = await mailtrap().request<ApiTemplate>("POST", PATH, { body: { email_template: attributes(inputs, FIELDS) } });
    return toLive(res.body);
  },

  async read(id) {
    const res = await mailtrap().request<ApiTemplate>("GET", `${PATH}/${id}`, { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    const changed = FIELDS.filter((f) => (olds[f] ?? "") !== news[f]);
    if (changed.length === 0) return compact({ templateId: olds.templateId, uuid: olds.uuid });
    const res = await mailtrap().request<ApiTemplate>("PATCH", `${PATH}/${id}`, {
      idempotent: true,
      body: { email_template: attributes(news, changed) },
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
  },
  export: {
    list: () => emailTemplate.existing!.list({} as EmailTemplateInputs),
    entry: ({ inputs: i }) => ({ label: i.name, fields: { name: i.name, category: i.category, subject: i.subject, html: i.html, text: i.text } }),
  },
};

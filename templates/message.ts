/**
 * What a template kind's definition says about its content (`KindDefinition.templates`): each
 * message an entry defines, in which templating language, with which sample data. The checks
 * (templates/checks.ts), `mailform validate` and `mailform preview` read templates through it only.
 */
export type TemplateLanguage = "handlebars-sendgrid" | "handlebars-mailtrap" | "mailjet" | "sendgrid-legacy";

export interface MessagePart {
  /** The part's field path under the entry, as in YAML: ["versions", "v1", "html"]. */
  field: string[];
  text: string;
}

export interface TemplateMessage {
  /** The message's place under the entry: "" for the entry itself, `versions.v1` for a SendGrid version. */
  label: string;
  /** What the reviewer calls it: the template's (and version's) display name. */
  title: string;
  language: TemplateLanguage;
  /** Values for the template's variables (SendGrid `testData`, mailform's `sampleData`). */
  sampleData?: Record<string, unknown>;
  subject?: MessagePart;
  html?: MessagePart;
  text?: MessagePart;
  /** The vendor makes the text part from the HTML, so none is needed. */
  textGenerated?: boolean;
}

export interface TemplateKind {
  /** The messages of an entry's fields (YAML names, bodies as text), with its sample data. */
  messages(fields: Record<string, unknown>, sampleData: Record<string, unknown> | undefined): TemplateMessage[];
  /** The vendor's documented cap on these objects per account. */
  maxPerAccount?: { count: number; source: string };
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** A part when the field holds text. */
export function part(field: string[], value: unknown): MessagePart | undefined {
  const text = str(value);
  return text === undefined ? undefined : { field, text };
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

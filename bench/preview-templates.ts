/**
 * The templates of the preview benchmarks (bench/preview.ts, bench/preview-command.ts): template
 * `i` of N, a third of each vendor's template kind in turn, 40 paragraphs of HTML with each
 * vendor's expressions, in a version `marker` ("old" or "new"). Fields as a stack file writes them,
 * which are also the inputs the engine's steps carry.
 */
export const SAMPLE_DATA = { name: "Lin", vip: true, user: { name: "Ada" }, order: { id: "A-1", total: 20, date: "2026-01-02T00:00:00Z" } };

export interface BenchTemplate {
  /** The kind's type, as in the engine's steps. */
  kind: "mailtrap:EmailTemplate" | "sendgrid:Template" | "mailjet:Template";
  /** Its section in a stack file. */
  vendor: "mailtrap" | "sendgrid" | "mailjet";
  collection: "emailTemplates" | "templates";
  key: string;
  fields: Record<string, unknown>;
}

const paragraphs = (n: number, marker: string, expr: string) => Array.from({ length: n }, (_, i) => `<p>Paragraph ${i + 1} ${marker} ${expr}</p>`).join("\n");

export function benchTemplate(i: number, marker: string): BenchTemplate {
  const key = `t${i}`;
  if (i % 3 === 0) {
    const fields = { name: `T${i}`, category: "c", subject: `${marker} {{user.name}}`, html: paragraphs(40, marker, "{{#if user}}{{user.name}}{{/if}}"), text: `${marker} {{user.name}}` };
    return { kind: "mailtrap:EmailTemplate", vendor: "mailtrap", collection: "emailTemplates", key, fields };
  }
  if (i % 3 === 1) {
    const html = paragraphs(40, marker, '{{#greaterThan order.total 10}}big{{/greaterThan}} {{formatDate order.date "MMMM DD, YYYY"}}');
    const fields = { name: `T${i}`, generation: "dynamic", versions: { v1: { name: "v1", subject: `${marker} {{order.id}}`, html, testData: SAMPLE_DATA, active: true } } };
    return { kind: "sendgrid:Template", vendor: "sendgrid", collection: "templates", key, fields };
  }
  const content = { headers: { Subject: `${marker} {{var:name:"you"}}` }, html: paragraphs(40, marker, '{% if var:vip %}VIP{% endif %} {{var:name:"friend"}}'), text: `${marker} {{var:name:"friend"}}` };
  return { kind: "mailjet:Template", vendor: "mailjet", collection: "templates", key, fields: { name: `T${i}`, content } };
}

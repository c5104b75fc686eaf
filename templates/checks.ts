/**
 * Checks of one message's content, without any network: each finding located at an offset of the
 * part's source. Syntax (Handlebars, Mailjet's language), helpers the vendor lacks, variables read
 * but absent from the sample data without a default, a missing text part, `http://` links,
 * anchors without `href` and images without `alt`.
 */
import { handlebarsVariables, parseHandlebars, unknownHelpers, type HandlebarsDialect } from "./handlebars";
import type { TemplateIssue } from "./issues";
import { mailjetVariables, parseMailjet } from "./mailjet";
import type { MessagePart, TemplateMessage } from "./message";

export interface PartIssue extends TemplateIssue {
  /** The part the offset is in; undefined for a finding about the whole message. */
  part?: MessagePart;
}

const dialectOf = (m: TemplateMessage): HandlebarsDialect | undefined =>
  m.language === "handlebars-sendgrid" ? "sendgrid" : m.language === "handlebars-mailtrap" ? "mailtrap" : undefined;

/** Whether `name` (dotted) has a value in the sample data. */
function defined(data: Record<string, unknown>, name: string): boolean {
  let at: unknown = data;
  for (const seg of name.split(".")) {
    if (at === null || typeof at !== "object" || !(seg in (at as object))) return false;
    at = (at as Record<string, unknown>)[seg];
  }
  return at !== undefined && at !== null;
}

function languageIssues(m: TemplateMessage, part: MessagePart): PartIssue[] {
  const dialect = dialectOf(m);
  const vars: { name: string; offset: number; hasDefault: boolean }[] = [];
  const out: PartIssue[] = [];
  if (dialect) {
    const parsed = parseHandlebars(part.text);
    if ("issue" in parsed) return [{ ...parsed.issue, part }];
    out.push(...unknownHelpers(parsed.ast, part.text, dialect).map((i) => ({ ...i, part })));
    vars.push(...handlebarsVariables(parsed.ast, part.text, dialect));
  } else if (m.language === "mailjet") {
    const parsed = parseMailjet(part.text);
    if ("issue" in parsed) return [{ ...parsed.issue, part }];
    vars.push(...mailjetVariables(parsed.nodes));
  }
  // Without sample data nothing says which variables the sender provides.
  if (m.sampleData) {
    const seen = new Set<string>();
    for (const v of vars) {
      if (v.hasDefault || seen.has(v.name) || defined(m.sampleData, v.name)) continue;
      seen.add(v.name);
      const field = m.language === "handlebars-sendgrid" ? "testData" : "sampleData";
      const fallback = m.language === "mailjet" ? `, or give it a default: {{var:${v.name}:"..."}}` : dialect === "sendgrid" ? `, or use {{insert ${v.name} "default=..."}}` : "";
      out.push({
        code: "TEMPLATE_UNDEFINED_VARIABLE",
        severity: "error",
        offset: v.offset,
        part,
        problem: `variable "${v.name}" is used but the sample data (${field}) has no value for it and it has no default`,
        fix: `add ${v.name} to ${field}${fallback}`,
      });
    }
  }
  return out;
}

const ATTR = (name: string) => new RegExp(`\\s${name}\\s*=\\s*("[^"]*"|'[^']*'|[^\\s>]+)`, "i");

function htmlIssues(part: MessagePart): PartIssue[] {
  const out: PartIssue[] = [];
  const html = part.text;
  for (const m of html.matchAll(/<(a|img|link|script|iframe|source)\b[^>]*>/gi)) {
    const tag = m[1]!.toLowerCase();
    const text = m[0];
    const href = ATTR("href").exec(text)?.[1]?.replace(/^["']|["']$/g, "");
    const src = ATTR("src").exec(text)?.[1]?.replace(/^["']|["']$/g, "");
    if (tag === "a" && (href === undefined || href.trim() === "") && !ATTR("name").test(text) && !ATTR("id").test(text)) {
      out.push({ code: "TEMPLATE_EMPTY_LINK", severity: "warning", offset: m.index!, part, problem: "a link (<a>) without an href", fix: 'give it an href, e.g. <a href="https://...">' });
    }
    for (const url of [href, src]) {
      if (url && /^http:\/\//i.test(url.trim())) {
        const at = m.index! + text.indexOf(url);
        out.push({
          code: "TEMPLATE_INSECURE_LINK",
          severity: "warning",
          offset: at,
          part,
          problem: `plain http:// address ${url.length > 80 ? `${url.slice(0, 77)}...` : url}`,
          fix: "use https://: mail clients warn about or block insecure links and images",
        });
      }
    }
    if (tag === "img" && !ATTR("alt").test(text)) {
      out.push({ code: "TEMPLATE_IMAGE_NO_ALT", severity: "warning", offset: m.index!, part, problem: "an image without alt text", fix: 'add alt="..." (alt="" for a decorative image): many clients block images' });
    }
  }
  return out;
}

/** Every finding in one message. */
export function checkMessage(m: TemplateMessage): PartIssue[] {
  const out: PartIssue[] = [];
  for (const part of [m.subject, m.html, m.text]) if (part) out.push(...languageIssues(m, part));
  if (m.html) out.push(...htmlIssues(m.html));
  if (m.html && !m.text && !m.textGenerated) {
    out.push({
      code: "TEMPLATE_NO_TEXT",
      severity: "warning",
      offset: 0,
      part: m.html,
      problem: "an HTML body without a text part",
      fix: "add a text body: clients that show no HTML, and spam filters, read it",
    });
  }
  return out;
}

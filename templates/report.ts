/**
 * The preview report: each changed template message rendered before and after with its sample
 * data, as static, self-contained HTML (no script, no external address): an index of what changed
 * and a page per message with subject, HTML and text side by side. HTML parts are shown in
 * sandboxed iframes, so a template's own markup cannot reach the report.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderHandlebars } from "./handlebars";
import type { TemplateIssue } from "./issues";
import { renderMailjet } from "./mailjet";
import type { TemplateMessage } from "./message";

export interface MessageChange {
  /** Stack-file address of the entry, plus the message's label: sendgrid.templates.welcome.versions.v1. */
  address: string;
  /** e.g. "SendGrid template". */
  kindTitle: string;
  before?: TemplateMessage;
  after?: TemplateMessage;
}

export type Rendered = { text: string } | { issue: TemplateIssue } | undefined;

export interface RenderedMessage {
  subject: Rendered;
  html: Rendered;
  text: Rendered;
}

/** One part rendered in the message's language with its sample data. */
function renderPart(m: TemplateMessage, source: string | undefined, html: boolean): Rendered {
  if (source === undefined) return undefined;
  const data = m.sampleData ?? {};
  switch (m.language) {
    case "handlebars-sendgrid":
      return renderHandlebars(source, data, "sendgrid", html);
    case "handlebars-mailtrap":
      return renderHandlebars(source, data, "mailtrap", html);
    case "mailjet":
      return renderMailjet(source, data);
    default:
      return { text: source }; // legacy substitution tags: filled at send time, shown as written
  }
}

export function renderMessage(m: TemplateMessage | undefined): RenderedMessage | undefined {
  if (!m) return undefined;
  return { subject: renderPart(m, m.subject?.text, false), html: renderPart(m, m.html?.text, true), text: renderPart(m, m.text?.text, false) };
}

/** Whether the content a recipient gets differs (subject, bodies or sample data). */
export function contentChanged(c: MessageChange): boolean {
  const key = (m?: TemplateMessage) => JSON.stringify([m?.subject?.text, m?.html?.text, m?.text?.text, m?.sampleData ?? null]);
  return key(c.before) !== key(c.after);
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const slug = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "_");

const STYLE = `body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1f24}table{border-collapse:collapse;width:100%}
td,th{border:1px solid #d0d7de;padding:.4rem;vertical-align:top;text-align:left}th{background:#f6f8fa;width:50%}
.subject{font-size:1.4rem;font-weight:600}iframe{width:100%;height:480px;border:1px solid #d0d7de;background:#fff}
pre{white-space:pre-wrap;margin:0}.issue{color:#9a3412}.none{color:#57606a;font-style:italic}img.shot{max-width:100%;border:1px solid #d0d7de}`;

function cell(r: Rendered, kind: "subject" | "html" | "text"): string {
  if (r === undefined) return `<span class="none">(none)</span>`;
  if ("issue" in r) return `<span class="issue">not rendered: ${esc(r.issue.problem)}</span>`;
  if (kind === "html") return `<iframe sandbox="" srcdoc="${esc(r.text)}" title="HTML"></iframe>`;
  if (kind === "subject") return `<span class="subject">${esc(r.text)}</span>`;
  return `<pre>${esc(r.text)}</pre>`;
}

/** The page shown to a screenshot: the subject above the rendered HTML, as an inbox shows them. */
export function messageDocument(r: RenderedMessage): string {
  const subject = r.subject && "text" in r.subject ? r.subject.text : "";
  const body = r.html && "text" in r.html ? r.html.text : r.text && "text" in r.text ? `<pre>${esc(r.text.text)}</pre>` : "";
  return `<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff">
<div style="font:600 28px system-ui,sans-serif;padding:16px;background:#fff;color:#000;border-bottom:2px solid #000">${esc(subject)}</div>
<iframe sandbox="" style="width:100%;height:1400px;border:0" srcdoc="${esc(body)}"></iframe></body></html>`;
}

export interface ReportPage {
  change: MessageChange;
  file: string;
  before?: RenderedMessage;
  after?: RenderedMessage;
}

/** Writes index.html and a page per changed message into `dir`; returns the pages. */
export function writeReport(dir: string, stack: string, changes: MessageChange[], screenshots?: (page: ReportPage) => Record<string, string>): ReportPage[] {
  fs.mkdirSync(dir, { recursive: true });
  const pages: ReportPage[] = changes.filter(contentChanged).map((change) => ({
    change,
    file: `${slug(change.address)}.html`,
    before: renderMessage(change.before),
    after: renderMessage(change.after),
  }));
  for (const p of pages) {
    const shots = screenshots?.(p) ?? {};
    const row = (label: string, kind: "subject" | "html" | "text") =>
      `<tr><td colspan="2"><b>${label}</b></td></tr><tr><td>${p.before ? cell(p.before[kind], kind) : '<span class="none">(new)</span>'}</td><td>${p.after ? cell(p.after[kind], kind) : '<span class="none">(removed)</span>'}</td></tr>`;
    const pictures = Object.keys(shots).length
      ? `<h2>Screenshots</h2><table><tr><th>before</th><th>after</th></tr>${["desktop", "mobile"]
          .map((w) => `<tr><td>${shots[`before-${w}`] ? `<img class="shot" alt="before, ${w}" src="${shots[`before-${w}`]}">` : ""}</td><td>${shots[`after-${w}`] ? `<img class="shot" alt="after, ${w}" src="${shots[`after-${w}`]}">` : ""}</td></tr>`)
          .join("")}</table>`
      : "";
    const title = p.change.after?.title ?? p.change.before?.title ?? p.change.address;
    fs.writeFileSync(
      path.join(dir, p.file),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body>
<p><a href="index.html">All changed templates</a></p><h1>${esc(title)}</h1><p>${esc(p.change.kindTitle)} <code>${esc(p.change.address)}</code></p>
<table><tr><th>before (live)</th><th>after (stack file)</th></tr>${row("Subject", "subject")}${row("HTML", "html")}${row("Text", "text")}</table>${pictures}</body></html>\n`,
    );
  }
  const items = pages.map((p) => {
    const what = !p.before ? "new" : !p.after ? "removed" : "changed";
    return `<li><a href="${esc(p.file)}">${esc(p.change.after?.title ?? p.change.before?.title ?? "")}</a> (${esc(p.change.kindTitle)}, <code>${esc(p.change.address)}</code>): ${what}</li>`;
  });
  fs.writeFileSync(
    path.join(dir, "index.html"),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Template preview: ${esc(stack)}</title><style>${STYLE}</style></head><body>
<h1>Template preview of stack ${esc(stack)}</h1><p>${pages.length} template${pages.length === 1 ? "" : "s"} whose content changes, rendered with their sample data.</p>
<ul>${items.join("\n") || "<li>No template content changes.</li>"}</ul></body></html>\n`,
  );
  return pages;
}

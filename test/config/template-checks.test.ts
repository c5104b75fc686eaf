/**
 * `mailform validate` checks template content with no network (the no-network preload makes any
 * connection fail the run, so 0 vendor calls): an undefined variable, a broken MJML body and a
 * Handlebars syntax error each give a located error with its code; an MJML body compiles.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadStack, loadStackText, STACK_SCHEMA } from "../../config";
import { template as sendgridTemplate } from "../../providers/sendgrid/template";
import { SPECS_AVAILABLE, SPECS_DIR } from "../emulators/contract/openapi";

const ROOT = path.join(__dirname, "..", "..");
const PRELOAD = path.join(__dirname, "support", "no-network.cjs");
const TSX = pathToFileURL(path.join(ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-template-checks-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(tmp, "s-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function validate(dir: string) {
  const r = spawnSync(process.execPath, ["--import", TSX, "--require", PRELOAD, path.join(ROOT, "cli", "index.ts"), "validate", "stacks/t.yaml"], {
    cwd: dir,
    encoding: "utf8",
    timeout: 60_000,
  });
  expect(r.stderr).not.toContain("FORBIDDEN");
  return { code: r.status, out: r.stdout };
}

const MJML_OK = "<mjml>\n<mj-body>\n  <mj-section>\n    <mj-column><mj-text>Hi {{name}}</mj-text></mj-column>\n  </mj-section>\n</mj-body>\n</mjml>\n";

describe("validate: template content", () => {
  it("an undefined variable is an error at the body file's line and column", () => {
    const dir = write({
      "stacks/t.yaml": [
        "mailtrap:",
        "  emailTemplates:",
        "    welcome:",
        "      name: Welcome",
        "      category: onboarding",
        '      subject: "Hi {{name}}"',
        "      html: { file: templates/welcome.html }",
        "      text: \"Hi {{name}}\"",
        "      sampleData: { name: Ada }",
      ].join("\n"),
      "stacks/templates/welcome.html": "<p>Hello {{name}},</p>\n<p>your code: {{coupon.code}}</p>\n",
    });
    const r = validate(dir);
    expect(r.code).toBe(1);
    expect(r.out).toContain("stacks/templates/welcome.html:2:17  error  mailtrap.emailTemplates.welcome.html:");
    expect(r.out).toContain('variable "coupon.code" is used but the sample data (sampleData) has no value for it');
    expect(r.out).toMatch(/TEMPLATE_UNDEFINED_VARIABLE|add coupon\.code to sampleData/);
  });

  it("a Handlebars syntax error in a SendGrid version is an error at its line and column", () => {
    const dir = write({
      "stacks/t.yaml": [
        "sendgrid:",
        "  templates:",
        "    receipt:",
        "      name: Receipt",
        "      generation: dynamic",
        "      versions:",
        "        v1:",
        "          name: v1",
        "          subject: Your receipt",
        "          html: { file: templates/receipt.html }",
      ].join("\n"),
      "stacks/templates/receipt.html": "<p>Total</p>\n<p>{{#if paid}}paid{{/each}}</p>\n",
    });
    const r = validate(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/stacks\/templates\/receipt\.html:2:7 +error +sendgrid\.templates\.receipt\.versions\.v1\.html: Handlebars: if doesn't match each/);
  });

  it("a broken MJML body is an error at the element's line and column; a valid one is compiled to the HTML sent", () => {
    const broken = write({
      "stacks/t.yaml": ["mailtrap:", "  emailTemplates:", "    news:", "      name: News", "      category: news", "      subject: News", "      html: { file: templates/news.mjml }"].join("\n"),
      "stacks/templates/news.mjml": MJML_OK.replace(/mj-column/g, "mj-colum"),
    });
    const r = validate(broken);
    expect(r.code).toBe(1);
    expect(r.out).toContain("stacks/templates/news.mjml:4:5  error  mailtrap.emailTemplates.news.html: MJML: Element mj-colum doesn't exist or is not registered");

    fs.writeFileSync(path.join(broken, "stacks/templates/news.mjml"), MJML_OK);
    const loaded = loadStack(path.join(broken, "stacks/t.yaml"));
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
    const html = String(loaded.stack.resources[0]!.props.html);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain("Hi {{name}}");
    expect(html).not.toContain("<mj-");
  });

  it("sampleData is an option: not a field of the resolved entry", () => {
    const dir = write({
      "stacks/t.yaml": ["mailjet:", "  templates:", "    r:", "      name: R", "      content:", '        text: "Hi {{var:name}}"', "      sampleData: { name: Ada }"].join("\n"),
    });
    const loaded = loadStack(path.join(dir, "stacks/t.yaml"));
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
    expect(loaded.stack.resources[0]!.props).not.toHaveProperty("sampleData");
    expect(loaded.stack.resources[0]!.options.sampleData).toEqual({ name: "Ada" });
  });

  it("more SendGrid templates than the 300 SendGrid's documents allow per account is an error at the collection", () => {
    const entries = (n: number) => Array.from({ length: n }, (_, i) => `    t${i}:\n      name: T${i}\n      generation: dynamic`).join("\n");
    const over = loadStackText(path.join(tmp, "stacks", "many.yaml"), `sendgrid:\n  templates:\n${entries(301)}\n`);
    expect(over.ok).toBe(false);
    expect(!over.ok && over.errors.map((e) => [e.code, e.line, e.path, e.problem])).toEqual([
      ["TEMPLATE_LIMIT", 2, "sendgrid.templates", "301 entries; SendGrid's Templates API: each user can create up to 300 different templates"],
    ]);
    expect(loadStackText(path.join(tmp, "stacks", "many.yaml"), `sendgrid:\n  templates:\n${entries(300)}\n`).ok).toBe(true);
  });
});

/**
 * SendGrid's template limits, as its Templates document states them (read in place), are the ones
 * `validate` checks: 300 templates per account (TEMPLATE_LIMIT), 1,048,576 bytes of HTML or text
 * per version (CONTENT_TOO_LARGE, config/includes.ts), names and subjects (the stack schema). The
 * document states no limit on versions, per template or per account: none is checked, and this
 * fails when a revision of the document states one.
 */
describe.skipIf(!SPECS_AVAILABLE)("SendGrid's documented template limits", () => {
  const text = SPECS_AVAILABLE ? fs.readFileSync(path.join(SPECS_DIR, "sendgrid", "tsg_templates_v3.json"), "utf8") : "{}";
  const doc = JSON.parse(text);
  const version = doc.components?.schemas?.TransactionalTemplateVersionCreate?.properties ?? {};
  const stackWith = (versions: Record<string, string>) =>
    loadStackText(
      path.join(tmp, "stacks", "limits.yaml"),
      `sendgrid:\n  templates:\n    t:\n      name: T\n      generation: legacy\n      versions:\n${Object.entries(versions)
        .map(([k, v]) => `        ${k}:\n          name: ${k}\n          subject: S\n          ${v}`)
        .join("\n")}\n`,
    );

  it("the per-account template cap is the document's", () => {
    expect(sendgridTemplate.templates?.maxPerAccount?.count).toBe(300);
    expect(text).toContain("Each user can create up to 300 different templates");
  });

  it("HTML and text per version: at the document's byte limit accepted, one byte over refused with CONTENT_TOO_LARGE", () => {
    for (const [field, prop] of [["html", "html_content"], ["text", "plain_content"]] as const) {
      const max = version[prop]?.maxLength as number;
      expect(version[prop]?.description, prop).toContain(`Maximum of ${max} bytes`);
      // Two-byte characters: the limit is in bytes, not characters.
      const body = (bytes: number) => `${field}: "${"é".repeat(Math.floor(bytes / 2))}${bytes % 2 ? "a" : ""}"`;
      expect(stackWith({ v1: body(max) }).ok, `${field} at ${max} bytes`).toBe(true);
      const over = stackWith({ v1: body(max + 1) });
      expect(!over.ok && over.errors.map((e) => [e.code, e.path, e.problem])).toEqual([
        ["CONTENT_TOO_LARGE", `sendgrid.templates.t.versions.v1.${field}`, `content is ${(max + 1).toLocaleString("en-US")} bytes; SendGrid accepts at most ${max.toLocaleString("en-US")}`],
      ]);
    }
  });

  it("names and subjects: the stack schema's limits are the document's", () => {
    const defs = STACK_SCHEMA.definitions as unknown as Record<string, { properties: Record<string, { maxLength?: number }> }>;
    expect(defs.SendgridTemplate!.properties.name!.maxLength).toBe(doc.components.schemas.TransactionalTemplate.properties.name.maxLength);
    expect(defs.SendgridTemplateVersion!.properties.name!.maxLength).toBe(version.name.maxLength);
    expect(defs.SendgridTemplateVersion!.properties.subject!.maxLength).toBe(version.subject.maxLength);
  });

  it("states no limit on versions (per template or per account), so none is checked", () => {
    const statements = [...text.matchAll(/[^."]*\bversions?\b[^."]*/gi)].map((m) => m[0]).filter((s) => /\b(up to|at most|maximum|limit(ed)?|no more than|cap)\b|\d{2,}/i.test(s));
    expect(statements).toEqual([]);
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`v${i}`, `html: "<p>${i}</p>"`]));
    expect(stackWith(many).ok).toBe(true);
  });
});

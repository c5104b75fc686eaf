/**
 * loadStack on valid input: the example stacks, the shape of the ResolvedStack, warnings, the
 * printed format, and a parity test that fails when a schema field is not carried into the
 * resolved props.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { formatErrors, loadStack, loadStackText, STACK_SCHEMA, StackError, type ResolvedStack } from "../../config";

const ROOT = path.join(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-config-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function load(name: string, text: string) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return loadStack(file);
}

function mustLoad(file: string): ResolvedStack {
  const r = loadStack(file);
  if (!r.ok) throw new Error(formatErrors(r.errors));
  return r.stack;
}

describe("example stacks", () => {
  const examples = fs.readdirSync(path.join(ROOT, "stacks")).filter((f) => /\.ya?ml$/.test(f));

  it("include the demo and one per vendor", () => {
    expect(examples).toEqual(expect.arrayContaining(["demo.yaml", "sendgrid-example.yaml", "mailjet-example.yaml"]));
  });

  it.each(examples)("%s is valid, without warnings", (f) => {
    const r = loadStack(path.join(ROOT, "stacks", f));
    expect(r.ok ? [] : formatErrors(r.errors)).toEqual([]);
    expect(r.warnings).toEqual([]);
  });

  it("carry the yaml-language-server modeline pointing at the schema", () => {
    for (const f of examples)
      expect(fs.readFileSync(path.join(ROOT, "stacks", f), "utf8").split("\n")[0]).toBe(
        "# yaml-language-server: $schema=../schemas/stack.schema.json",
      );
  });

  it("demo resolves to a project, two inboxes, a template with inlined bodies, a token with resolved permissions, and a SendGrid and a Mailjet template", () => {
    const s = mustLoad(path.join(ROOT, "stacks", "demo.yaml"));
    expect(s.stack).toBe("demo");
    expect(s.mailtrap.apiVersion).toBe("v2");
    const none = { protect: false, retainOnDelete: false, adopt: false };
    expect(s.mailtrap.projects).toEqual([
      { kind: "mailtrap:project", key: "demo", address: "mailtrap.projects.demo", options: none, props: { name: "mailform demo" } },
    ]);
    expect(s.mailtrap.inboxes.map((i) => [i.key, i.project, i.address, i.props])).toEqual([
      ["demo/qa", "demo", "mailtrap.projects.demo.inboxes.qa", { name: "QA", emailUsername: "mailform-demo-qa" }],
      ["demo/staging", "demo", "mailtrap.projects.demo.inboxes.staging", { name: "Staging" }],
    ]);
    const [tpl] = s.mailtrap.emailTemplates;
    expect(tpl!.props.html).toBe(fs.readFileSync(path.join(ROOT, "stacks", "templates", "welcome.html"), "utf8"));
    expect(tpl!.props.text).toBe(fs.readFileSync(path.join(ROOT, "stacks", "templates", "welcome.txt"), "utf8"));
    expect(s.mailtrap.apiTokens[0]!.props.permissions).toEqual([
      { kind: "project", key: "demo", access: "admin" },
      { kind: "inbox", key: "demo/qa", access: "viewer" },
    ]);
    expect(s.resources.map((r) => r.kind)).toEqual([
      "mailtrap:project",
      "mailtrap:inbox",
      "mailtrap:inbox",
      "mailtrap:emailTemplate",
      "mailtrap:apiToken",
      "sendgrid:template",
      "sendgrid:templateVersion",
      "mailjet:template",
    ]);
  });

  it("every permission of every example refers to an entry of its stack", () => {
    for (const f of examples) {
      const s = mustLoad(path.join(ROOT, "stacks", f));
      const keys = new Set(s.resources.map((r) => `${r.kind}|${r.key}`));
      for (const t of s.mailtrap.apiTokens)
        for (const p of t.props.permissions) expect(keys.has(`mailtrap:${p.kind}|${p.key}`), `${f} ${p.key}`).toBe(true);
    }
  });

  it("sendgrid and mailjet examples resolve options, versions and content", () => {
    const sg = mustLoad(path.join(ROOT, "stacks", "sendgrid-example.yaml"));
    expect(sg.sendgrid.templates.find((t) => t.key === "password-reset")!.options.protect).toBe(true);
    expect(sg.sendgrid.versions.map((v) => [v.key, v.template, v.props.active])).toEqual([
      ["welcome/v1", "welcome", undefined],
      ["welcome/v2", "welcome", true],
      ["password-reset/v1", "password-reset", true],
    ]);
    expect(sg.sendgrid.apiKeys.find((k) => k.key === "ci-templates")!.options.retainOnDelete).toBe(true);
    const mj = mustLoad(path.join(ROOT, "stacks", "mailjet-example.yaml"));
    const receipt = mj.mailjet.templates.find((t) => t.key === "receipt")!;
    expect(receipt.props.content!.mjml).toContain("<mjml>");
    expect(receipt.props.content!.headers).toEqual({
      From: "Shop <shop@example.com>",
      Subject: "Your receipt for order {{var:order_id}}",
      "Reply-To": "help@example.com",
    });
    expect(mj.mailjet.templates.find((t) => t.key === "newsletter")!.props.ownerType).toBe("apikey");
    expect(mj.mailjet.apiKeys.find((k) => k.key === "legacy-import")!.options.adopt).toBe(true);
  });
});

describe("loadStack", () => {
  it("reports a missing stack file", () => {
    const r = loadStack(path.join(tmp, "nope.yaml"));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.line, e.column, e.problem])).toEqual([["STACK_UNREADABLE", 1, 1, "stack file not found"]]);
  });

  it("reports a stack file that is not UTF-8", () => {
    const file = path.join(tmp, "latin1.yaml");
    fs.writeFileSync(file, Buffer.from("mailjet:\n  apiKeys:\n    k:\n      name: Re\xe7u\n", "latin1"));
    const r = loadStack(file);
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.problem])).toEqual([["STACK_UNREADABLE", "is not UTF-8 text"]]);
  });

  it("accepts a byte order mark and CRLF line ends", () => {
    const r = load("crlf.yaml", "\ufeffmailtrap:\r\n  projects:\r\n    staging:\r\n      name: S\r\n");
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.line, e.column, e.sourceLine])).toEqual([[4, 13, "      name: S"]]);
  });

  it("warns, without failing, about a far-off scope, test data of a legacy template and MJML without editMode mjml", () => {
    const r = load(
      "warnings.yaml",
      `sendgrid:
  templates:
    old:
      name: Old
      generation: legacy
      versions:
        v1: { name: v1, subject: Hi, testData: { a: 1 } }
  apiKeys:
    k: { name: K, scopes: [mail.send, marketing.automation.read] }
mailjet:
  templates:
    t:
      name: T
      editMode: html
      content: { mjml: "<mjml/>" }
`,
    );
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => [w.code, w.severity, w.path, w.line])).toEqual([
      ["UNSUPPORTED_FIELD", "warning", "sendgrid.templates.old.versions.v1.testData", 7],
      ["UNKNOWN_SCOPE", "warning", "sendgrid.apiKeys.k.scopes[1]", 9],
      ["UNSUPPORTED_FIELD", "warning", "mailjet.templates.t.content.mjml", 15],
    ]);
  });

  it("reports every error at once, in file order", () => {
    const r = loadStackText(
      path.join(tmp, "many.yaml"),
      "mailtrap:\n  projects:\n    a: { name: A }\n    b: {}\n  emailTemplates:\n    t: { name: T, category: c, subject: s, html: 1 }\nmailjet:\n  apiKeys:\n    k: { name: K, active: maybe }\n",
    );
    expect(r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.code}`)).toEqual([
      "3:16 INVALID_LENGTH",
      "4:5 MISSING_FIELD",
      "6:50 WRONG_TYPE",
      "9:27 WRONG_TYPE",
    ]);
  });

  it("accepts anchors and aliases", () => {
    const r = load(
      "anchors.yaml",
      "sendgrid:\n  apiKeys:\n    a: { name: A, scopes: &send [mail.send] }\n    b: { name: B, scopes: *send }\n",
    );
    expect(r.ok && r.stack.sendgrid.apiKeys.map((k) => k.props.scopes)).toEqual([["mail.send"], ["mail.send"]]);
  });
});

describe("formatErrors", () => {
  it("prints location, severity, path, problem, the line with a caret, and the fix", () => {
    const e = new StackError({
      code: "INVALID_LENGTH",
      file: "stacks/dev.yaml",
      line: 12,
      column: 13,
      path: "mailtrap.projects.staging.name",
      problem: "must be at least 2 characters long",
      fix: "give the project a name of 2 to 100 characters",
      sourceLine: "      name: S",
      span: 1,
    });
    expect(formatErrors([e])).toBe(
      [
        "stacks/dev.yaml:12:13  error  mailtrap.projects.staging.name: must be at least 2 characters long",
        "   12 |       name: S",
        "      |             ^",
        "  fix: give the project a name of 2 to 100 characters",
        "",
      ].join("\n"),
    );
    expect(e.message).toBe("stacks/dev.yaml:12:13 mailtrap.projects.staging.name: must be at least 2 characters long");
  });

  it("prints nothing for no errors", () => {
    expect(formatErrors([])).toBe("");
  });
});

/**
 * Parity between schema and ResolvedStack: a stack that sets every field the schema defines must
 * come out with every one of those fields in the resolved props. A field added to the schema but
 * not carried by config/resolve.ts fails here.
 */
describe("schema and ResolvedStack parity", () => {
  type Schema = Record<string, unknown>;
  const defs = STACK_SCHEMA.definitions as unknown as Record<string, Schema>;
  const deref = (s: Schema): Schema => (typeof s.$ref === "string" ? deref(defs[s.$ref.split("/").pop()!]!) : s);

  function sample(raw: Schema, name: string): unknown {
    const s = deref(raw);
    if (Array.isArray(s.enum)) return s.enum[0];
    if (Array.isArray(s.anyOf)) return `sample ${name}`;
    if (Array.isArray(s.examples)) return s.examples[0];
    switch (s.type) {
      case "boolean":
        return true;
      case "string":
        return name === "locale" ? "en_US" : `sample ${name}`.replace(/\s/g, name === "emailUsername" ? "-" : " ");
      case "array":
        return [sample(s.items as Schema, name)];
      case "object": {
        if (s.propertyNames) return { k1: sample(s.additionalProperties as Schema, name) };
        const props = (s.properties ?? {}) as Record<string, Schema>;
        if (!s.properties) return { any: 1 };
        return Object.fromEntries(Object.entries(props).map(([k, v]) => [k, sample(v, k)]));
      }
      default:
        throw new Error(`no sample for ${name}`);
    }
  }

  it("carries every schema field into the resolved props", () => {
    const stack = Object.fromEntries(
      Object.entries((STACK_SCHEMA as unknown as Schema).properties as Record<string, Schema>).map(([k, v]) => [k, sample(v, k)]),
    ) as Record<string, Record<string, unknown>>;
    stack.mailtrap!.apiVersion = "v2"; // v1 has no templates or tokens
    // References must point at real entries and a permission names one target.
    (stack.mailtrap!.apiTokens as Record<string, Record<string, unknown>>).k1!.permissions = [
      { project: "k1", access: "admin" },
      { inbox: "k1/k1", access: "viewer" },
    ];
    const r = load("everything.yaml", stringify(stack));
    if (!r.ok) throw new Error(formatErrors(r.errors));

    const nested = new Set(["inboxes", "versions", "protect", "retainOnDelete", "adopt"]);
    const entryDefs: Record<string, string> = {
      "mailtrap:project": "MailtrapProject",
      "mailtrap:inbox": "MailtrapInbox",
      "mailtrap:emailTemplate": "MailtrapEmailTemplate",
      "mailtrap:apiToken": "MailtrapApiToken",
      "sendgrid:template": "SendgridTemplate",
      "sendgrid:templateVersion": "SendgridTemplateVersion",
      "sendgrid:apiKey": "SendgridApiKey",
      "mailjet:template": "MailjetTemplate",
      "mailjet:apiKey": "MailjetApiKey",
    };
    expect(new Set(r.stack.resources.map((e) => e.kind))).toEqual(new Set(Object.keys(entryDefs)));
    for (const entry of r.stack.resources) {
      const fields = Object.keys(defs[entryDefs[entry.kind]!]!.properties as Schema).filter((f) => !nested.has(f));
      expect(Object.keys(entry.props).sort(), entry.kind).toEqual(fields.sort());
      // A SendGrid template version has no options: it follows its template's.
      if (entry.kind === "sendgrid:templateVersion") expect(entry, entry.kind).not.toHaveProperty("options");
      else expect(entry.options, entry.kind).toEqual({ protect: true, retainOnDelete: true, adopt: true });
    }
    const content = r.stack.mailjet.templates[0]!.props.content!;
    expect(Object.keys(content).sort()).toEqual(Object.keys(defs.MailjetTemplateContent!.properties as Schema).sort());
  });
});

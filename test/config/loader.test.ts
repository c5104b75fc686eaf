/**
 * loadStack on valid input: the example stacks, the shape of the ResolvedStack, warnings, the
 * printed format, the size cap, problems located in large files, and a parity test that fails when
 * a schema field is not carried into the resolved props.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { generateStack } from "../../bench/validate";
import { formatErrors, loadStack, loadStackText, MAX_STACK_BYTES, STACK_SCHEMA, StackError, type ResolvedStack } from "../../config";
import { KINDS } from "../../providers/kinds";
import { OPTIONS, sampleStack } from "../support/sample-stack";

const ROOT = path.join(__dirname, "..", "..");
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-config-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function load(name: string, text: string) {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return loadStack(file);
}

function displayed(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith("..") ? rel : abs;
}

function mustLoad(file: string): ResolvedStack {
  const r = loadStack(file);
  if (!r.ok) throw new Error(formatErrors(r.errors));
  return r.stack;
}

const entry = (s: ResolvedStack, kind: string, key: string) => s.resources.find((r) => r.kind === kind && r.key === key)!;

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

  it("demo resolves each entry as written, bodies inlined, kind by kind in the order of providers/kinds.ts", () => {
    const s = mustLoad(path.join(ROOT, "stacks", "demo.yaml"));
    expect(s.stack).toBe("demo");
    expect(s.context).toEqual({ mailtrapApiVersion: "v2" });
    const none = { protect: undefined, retainOnDelete: false, adopt: false, movedFrom: [] };
    const of = (kind: string) => s.resources.filter((r) => r.kind === kind);
    expect(of("mailtrap:project")).toEqual([
      { kind: "mailtrap:project", key: "demo", address: "mailtrap.projects.demo", options: none, props: { name: "mailform demo" }, source: "stacks/demo.yaml:10:5" },
    ]);
    expect(of("mailtrap:inbox").map((i) => [i.key, i.parent, i.address, i.props])).toEqual([
      ["demo/qa", "demo", "mailtrap.projects.demo.inboxes.qa", { name: "QA", emailUsername: "mailform-demo-qa" }],
      ["demo/staging", "demo", "mailtrap.projects.demo.inboxes.staging", { name: "Staging" }],
    ]);
    const [tpl] = of("mailtrap:emailTemplate");
    expect(tpl!.props.html).toBe(fs.readFileSync(path.join(ROOT, "stacks", "templates", "welcome.html"), "utf8"));
    expect(tpl!.props.text).toBe(fs.readFileSync(path.join(ROOT, "stacks", "templates", "welcome.txt"), "utf8"));
    expect(of("mailtrap:apiToken")[0]!.props.permissions).toEqual([
      { project: "demo", access: "admin" },
      { inbox: "demo/qa", access: "viewer" },
    ]);
    expect(s.resources.map((r) => r.kind)).toEqual([
      "mailtrap:project",
      "mailtrap:inbox",
      "mailtrap:inbox",
      "mailtrap:emailTemplate",
      "mailtrap:apiToken",
      "sendgrid:template",
      "mailjet:template",
    ]);
  });

  it("sendgrid and mailjet examples resolve options, versions and content", () => {
    const sg = mustLoad(path.join(ROOT, "stacks", "sendgrid-example.yaml"));
    expect(entry(sg, "sendgrid:template", "password-reset").options.protect).toBe(true);
    // A version is a field of its template's entry, its body inlined.
    const versions = entry(sg, "sendgrid:template", "welcome").props.versions as Record<string, Record<string, unknown>>;
    expect(Object.keys(versions)).toEqual(["v1", "v2"]);
    expect([versions.v1!.active, versions.v2!.active]).toEqual([undefined, true]);
    expect(versions.v1!.html).toBe(fs.readFileSync(path.join(ROOT, "stacks", "templates", "welcome.html"), "utf8"));
    expect(entry(sg, "sendgrid:apiKey", "ci-templates").options.retainOnDelete).toBe(true);
    const mj = mustLoad(path.join(ROOT, "stacks", "mailjet-example.yaml"));
    const content = entry(mj, "mailjet:template", "receipt").props.content as Record<string, unknown>;
    expect(content.mjml).toContain("<mjml>");
    expect(content.headers).toEqual({
      From: "Shop <shop@example.com>",
      Subject: "Your receipt for order {{var:order_id}}",
      "Reply-To": "help@example.com",
    });
    expect(entry(mj, "mailjet:apiKey", "legacy-import").options.adopt).toBe(true);
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
    // Located at the first bad byte, not at 1:1.
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.line, e.column, e.problem])).toEqual([
      ["STACK_UNREADABLE", 4, 15, "is not UTF-8 text (byte 0xE7 here)"],
    ]);
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
      "mailjet:\n  templates:\n    a: { name: A, locale: &loc en_US, content: &c { headers: { Subject: &h S }, text: T } }\n    b: { name: B, locale: *loc, content: *c }\n    c: { name: C, content: { headers: { Subject: *h }, text: *loc } }\n",
    );
    expect(r.ok ? r.stack.resources.map((t) => t.props.content) : formatErrors(r.errors)).toEqual([
      { headers: { Subject: "S" }, text: "T" },
      { headers: { Subject: "S" }, text: "T" },
      { headers: { Subject: "S" }, text: "en_US" },
    ]);
  });
});

describe("the size cap", () => {
  it(`refuses a file over ${MAX_STACK_BYTES / 2 ** 20} MiB at once, before reading it`, () => {
    const line = "    p0:\n      name: Project\n";
    const file = path.join(tmp, "huge.yaml");
    fs.writeFileSync(file, "mailtrap:\n  projects:\n" + line.repeat(Math.ceil((MAX_STACK_BYTES * 1.25) / line.length)));
    const started = Date.now();
    const r = loadStack(file);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.line, e.column])).toEqual([["STACK_UNREADABLE", 1, 1]]);
    expect(r.ok ? "" : r.errors[0]!.problem).toMatch(/^is 20\.0 MiB \([\d,]+ bytes\); mailform reads stack files of at most 16\.0 MiB$/);
    const text = loadStackText(file, fs.readFileSync(file, "utf8"));
    expect(text.ok ? [] : text.errors.map((e) => e.problem)).toEqual(r.ok ? [] : r.errors.map((e) => e.problem));
  });
});

describe("stack files at the edges", () => {
  it("refuses a stack file that is a symbolic link out of its directory, like such an include", () => {
    const dir = path.join(tmp, "linked-stacks");
    fs.mkdirSync(dir, { recursive: true });
    const outside = path.join(tmp, "elsewhere.yaml");
    fs.writeFileSync(outside, "mailtrap:\n  projects:\n    p: { name: Project }\n");
    fs.symlinkSync(outside, path.join(dir, "prod.yaml"));
    const r = loadStack(path.join(dir, "prod.yaml"));
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.line, e.column, e.problem])).toEqual([
      ["STACK_UNREADABLE", 1, 1, `is a link to ${fs.realpathSync(outside)}, outside the stack file's directory (${displayed(dir)}/)`],
    ]);
    expect(r.ok ? "" : r.errors[0]!.fix).toMatch(/^copy the file into .*linked-stacks\/ instead of linking to it/);

    // A link to a file inside the same directory is an ordinary alias of it.
    fs.copyFileSync(outside, path.join(dir, "base.yaml"));
    fs.symlinkSync("base.yaml", path.join(dir, "staging.yaml"));
    expect(loadStack(path.join(dir, "staging.yaml")).ok).toBe(true);

    // A link loop says so, instead of "not found".
    fs.symlinkSync("loop.yaml", path.join(dir, "loop.yaml"));
    const loop = loadStack(path.join(dir, "loop.yaml"));
    expect(loop.ok ? [] : loop.errors.map((e) => [e.code, e.problem, e.fix])).toEqual([
      ["STACK_UNREADABLE", "is a symbolic link loop", "replace the link by the stack file itself"],
    ]);
  });

  it("reads YAML 1.2 core scalars, quoting and block scalars", () => {
    const r = load(
      "tricky.yaml",
      [
        "mailjet:",
        "  templates:",
        "    t:",
        '      name: "Quoted: with \\"escapes\\" and \\u00e9"',
        "      description: 'single ''quoted'''",
        "      categories: [a, 'b c', \"d\"]",
        "      content:",
        "        headers: { Subject: plain text here, Reply-To: '012' }",
        "        text: |",
        "          literal",
        "            indented",
        "        html: >-",
        "          folded",
        "          lines",
        "",
        "          paragraph",
        "        mjml: plain",
        "          multi-line plain",
        "sendgrid:",
        "  templates:",
        "    w:",
        "      name: W",
        "      generation: dynamic",
        "      versions:",
        "        v1:",
        "          name: V1",
        "          subject: Hi",
        "          testData: { n: 012, f: 1.50, huge: 1e400, bin: 0b101, hex: 0x1F, oct: 0o17, t: True, nul: ~, inf: -.inf, s: 1_000, d: 2024-01-01 }",
      ].join("\n"),
    );
    if (!r.ok) throw new Error(formatErrors(r.errors));
    const t = entry(r.stack, "mailjet:template", "t");
    expect([t.props.name, t.props.description, t.props.categories]).toEqual(['Quoted: with "escapes" and é', "single 'quoted'", ["a", "b c", "d"]]);
    expect(t.props.content).toEqual({
      headers: { Subject: "plain text here", "Reply-To": "012" },
      text: "literal\n  indented\n",
      html: "folded lines\nparagraph",
      mjml: "plain multi-line plain",
    });
    const versions = entry(r.stack, "sendgrid:template", "w").props.versions as Record<string, { testData: unknown }>;
    expect(versions.v1!.testData).toEqual({
      n: 12, f: 1.5, huge: Infinity, bin: "0b101", hex: 31, oct: 15, t: true, nul: null, inf: -Infinity, s: "1_000", d: "2024-01-01",
    });
  });

  it("reports as YAML errors what YAML 1.2 does not allow", () => {
    // A quoted scalar whose next line is not indented, and a key over 1024 characters.
    const quoted = load("multi-line-quoted.yaml", 'mailtrap:\n  projects:\n    p:\n      name: "Multi\nline"\n');
    expect(quoted.ok ? [] : quoted.errors.map((e) => `${e.line}:${e.column} ${e.code}`)).toContain("4:13 YAML_SYNTAX");
    const testData = `          testData:\n            ${"k".repeat(1100)}: v\n`;
    const longKey = load(
      "long-key.yaml",
      `sendgrid:\n  templates:\n    t:\n      name: T\n      generation: dynamic\n      versions:\n        v1:\n          name: V\n          subject: S\n${testData}`,
    );
    expect(longKey.ok ? [] : longKey.errors.map((e) => `${e.line}:${e.column} ${e.code}`)).toEqual(["11:13 YAML_SYNTAX"]);
  });

  it("locates problems in a large file", () => {
    const { text } = generateStack(300_000);
    const broken = text
      .replace("    p7:\n      name: Bench project 7\n", "    p7:\n      name: B\n")
      .replace("          emailUsername: bench-9-qa\n", "          emailUsername: bench 9@qa\n")
      .replace("        - project: p11\n", "        - project: p-eleven\n")
      .replace("      scopes: [mail.send, templates.read]\n", "      scopes: [mail.sned, templates.read]\n")
      .replace('          subject: "Hello {{name}} (3)"\n', '          subject: "Hello SG.abcdefghijklmnopqrstu.abcdefghijklmnopqrstuvwxyz12"\n')
      .replace("      locale: en_US\n", "      locale: en-us\n      colour: blue\n")
      // Repeated keys: an entry, a field of an entry, a kind.
      .replace("    p20:\n      name: Bench project 20\n", "    p20:\n      name: Bench project 20\n      name: Again\n    p19:\n      name: Twice\n")
      .replace("  apiKeys:\n", "  apiKeys:\n    k0:\n      name: Early key\n  apiKeys:\n");
    const located = loadStackText(path.join(tmp, "large.yaml"), broken);
    const shown = (r: ReturnType<typeof loadStackText>) =>
      r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.path}: ${e.problem} | ${e.fix} | ${e.sourceLine}`);
    expect(shown(located).map((l) => l.split(" | ")[0])).toMatchInlineSnapshot(`
      [
        "166:7 DUPLICATE_KEY mailtrap.projects.p20.name: duplicate key "name" (first defined on line 165); each key may appear once in a mapping",
        "167:5 DUPLICATE_KEY mailtrap.projects.p19: duplicate key "p19" (first defined on line 156); each key may appear once in a mapping",
        "9976:3 DUPLICATE_KEY sendgrid.apiKeys: duplicate key "apiKeys" (first defined on line 9973); each key may appear once in a mapping",
        "61:13 INVALID_LENGTH mailtrap.projects.p7.name: must be at least 2 characters long (it has 1)",
        "81:26 INVALID_VALUE mailtrap.projects.p9.inboxes.qa.emailUsername: "bench 9@qa" is not an email local part (no spaces, no "@")",
        "11228:7 UNKNOWN_FIELD mailjet.templates.t0.colour: unknown field "colour" in a template",
        "11227:15 INVALID_VALUE mailjet.templates.t0.locale: "en-us" is not a locale like en_US",
        "3409:20 DANGLING_REFERENCE mailtrap.apiTokens.tok11.permissions[0].project: there is no project "p-eleven" in mailtrap.projects",
        "3474:18 DANGLING_REFERENCE mailtrap.apiTokens.tok20.permissions[1].inbox: project "p20" has no inbox "qa"",
        "9979:16 UNKNOWN_SCOPE sendgrid.apiKeys.k0.scopes[0]: unknown scope "mail.sned"",
        "6270:27 PASTED_SECRET sendgrid.templates.t3.versions.v1.subject: looks like a SendGrid API key; secrets do not belong in stack files or their includes",
      ]
    `);
  });

  it("locates problems under aliases of other entries' anchors at the anchored value", () => {
    const { text } = generateStack(300_000);
    const template = (i: number) => `      name: Bench template ${i}\n      locale: en_US\n      purposes: [transactional]\n`;
    const aliased = text
      .replace(template(0), "      name: Bench template 0\n      locale: &loc en-us\n      purposes: &p [transactional, marketting]\n")
      .replace(template(1), "      name: Bench template 1\n      locale: *loc\n      purposes: *p\n")
      .replace("    p7:\n      name: Bench project 7\n", "    p7:\n      name: B\n");
    const located = loadStackText(path.join(tmp, "aliased.yaml"), aliased);
    // t1's purposes[1] is the anchored list of t0: located there.
    expect(located.ok ? [] : located.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.path}`)).toMatchInlineSnapshot(`
      [
        "61:13 INVALID_LENGTH mailtrap.projects.p7.name",
        "11222:36 INVALID_VALUE mailjet.templates.t0.purposes[1]",
        "11221:20 INVALID_VALUE mailjet.templates.t0.locale",
        "11222:36 INVALID_VALUE mailjet.templates.t1.purposes[1]",
        "11225:15 INVALID_VALUE mailjet.templates.t1.locale",
      ]
    `);
  });

  it("locates YAML errors in a large file", () => {
    const { text } = generateStack(1_100_000);
    const broken =
      text
        .replace("      name: Bench project 7\n", "      name: Bench project 7\n     oops: 1\n")
        .replace("      name: Bench project 9\n", "      name: Bench: project 9\n")
        .replace("      name: Bench project 11\n", '      name: "Bench \\q"\n')
        .replace("      locale: en_US\n", "      locale: en_US\n      - x\n") + '    broken:\n      name: "unclosed\n';
    const located = loadStackText(path.join(tmp, "large-broken.yaml"), broken);
    const shown = (r: ReturnType<typeof loadStackText>) =>
      r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.path}: ${e.problem} | ${e.fix} | ${e.sourceLine}`);
    expect(shown(located).map((l) => l.split(" | ")[0])).toMatchInlineSnapshot(`
      [
        "62:6 YAML_SYNTAX mailtrap.projects.p7: YAML: all mapping items must start at the same column",
        "62:12 YAML_SYNTAX mailtrap.projects.oops["1 inboxes"]: YAML: nested mappings are not allowed in compact mappings",
        "62:12 YAML_SYNTAX mailtrap.projects.oops["1 inboxes"]: YAML: implicit keys need to be on a single line",
        "78:13 YAML_SYNTAX mailtrap.projects.p9.name: YAML: the value of name contains ": ", which starts a nested mapping",
        "94:20 YAML_SYNTAX mailtrap.projects.p11.name: YAML: invalid escape sequence \\q",
        "40626:1 YAML_SYNTAX mailjet.templates.t0: YAML: a block sequence may not be used as an implicit map key",
        "40626:7 YAML_SYNTAX mailjet.templates.t0["[\\"x\\"]"]: YAML: implicit keys need to be on a single line",
        "40626:7 YAML_SYNTAX mailjet.templates.t0["[\\"x\\"]"]: YAML: implicit map keys need to be followed by map values",
        "46641:13 YAML_SYNTAX mailjet.templates.broken.name: YAML: this double quote is never closed",
      ]
    `);
  });

  it("reports a duplicate entry among thousands once, at the repeated key", () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => `    p${i}:\n      name: Project ${i}\n`).join("");
    const r = load("many-duplicate.yaml", `mailtrap:\n  projects:\n${entries}    p17:\n      name: Again\n`);
    expect(r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.problem}`)).toEqual([
      `40003:5 DUPLICATE_KEY duplicate key "p17" (first defined on line 37); each key may appear once in a mapping`,
    ]);
  });

  it("reports the entries among thousands that share a name, each naming the first", () => {
    const entries = Array.from({ length: 20_000 }, (_, i) => `    p${i}:\n      name: Project ${i % 19_998}\n`).join("");
    const r = load("many-same-name.yaml", `mailtrap:\n  projects:\n${entries}`);
    expect(r.ok ? [] : r.errors.map((e) => `${e.line}:${e.column} ${e.code} ${e.problem}`)).toEqual([
      `40000:13 DUPLICATE_NAME mailtrap.projects.p19998 and mailtrap.projects.p0 would be the same Mailtrap project: both have name "Project 0"`,
      `40002:13 DUPLICATE_NAME mailtrap.projects.p19999 and mailtrap.projects.p1 would be the same Mailtrap project: both have name "Project 1"`,
    ]);
  });

  it("prints a too-deep flow collection in a few lines, not the whole line", () => {
    const r = load("deep.yaml", `mailtrap: ${"[".repeat(100_000)}${"]".repeat(100_000)}\n`);
    const printed = r.ok ? "" : formatErrors(r.errors);
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.line, e.column])).toEqual([["NESTING_TOO_DEEP", 1, 74]]);
    expect(printed.split("\n").length).toBeLessThan(6);
    expect(printed.length).toBeLessThan(1000);
    expect(printed).not.toMatch(/call stack/i);
  });

  it("prints control characters of a source line as visible symbols", () => {
    const r = load("esc.yaml", "mailtrap:\n  projects:\n    p:\n      name: A\u001b[2Jb\n");
    const printed = r.ok ? "" : formatErrors(r.errors);
    expect(printed).toContain("   4 |       name: A\u241b[2Jb\n");
    expect(printed).not.toContain("\u001b");
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
 * come out with every one of those fields in the props of its kind's entries (test/kinds/parity
 * checks that they reach the inputs).
 */
describe("schema and ResolvedStack parity", () => {
  it("carries every schema field into the resolved props", () => {
    const stack = sampleStack();
    const r = load("everything.yaml", stringify(stack));
    if (!r.ok) throw new Error(formatErrors(r.errors));
    const defs = STACK_SCHEMA.definitions as unknown as Record<string, { properties: Record<string, unknown> }>;
    expect(new Set(r.stack.resources.map((e) => e.kind))).toEqual(new Set(KINDS.map((k) => k.entryKind)));
    for (const def of KINDS) {
      const nested = KINDS.filter((k) => k.yamlPath.startsWith(`${def.yamlPath}.*.`)).map((k) => k.yamlPath.split(".").pop());
      const fields = Object.keys(defs[def.schema]!.properties).filter((f) => !OPTIONS.includes(f) && !nested.includes(f));
      const entries = r.stack.resources.filter((e) => e.kind === def.entryKind);
      expect(entries.length, def.kind).toBe(1);
      expect(Object.keys(entries[0]!.props).sort(), def.kind).toEqual(fields.sort());
      const { sampleData, ...options } = entries[0]!.options;
      expect(options, def.kind).toEqual({ protect: true, retainOnDelete: true, adopt: true, movedFrom: ["k0"] });
      // The `sampleData` option is on the template kinds whose vendor has no sample-data field.
      expect(sampleData !== undefined, def.kind).toBe("sampleData" in defs[def.schema]!.properties);
    }
    const versions = entry(r.stack, "sendgrid:template", "k1").props.versions as Record<string, Record<string, unknown>>;
    expect(Object.keys(versions.k1!).sort()).toEqual(Object.keys(defs.SendgridTemplateVersion!.properties).sort());
    const content = entry(r.stack, "mailjet:template", "k1").props.content as Record<string, unknown>;
    expect(Object.keys(content).sort()).toEqual(Object.keys(defs.MailjetTemplateContent!.properties).sort());
  });
});

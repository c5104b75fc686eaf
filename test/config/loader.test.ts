/**
 * loadStack on valid input: the example stacks, the shape of the ResolvedStack, warnings, the
 * printed format, and a parity test that fails when a schema field is not carried into the
 * resolved props.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseDocument, stringify } from "yaml";
import { generateStack } from "../../bench/validate";
import { aliasesWithin, quickParse } from "../../config/quick-yaml";
import { checkStack, formatErrors, loadStack, loadStackText, STACK_SCHEMA, StackError, type ResolvedStack } from "../../config";
import { pulumiResources } from "../../cli/validate";
import { KINDS } from "../../providers/kinds";

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

  it("count the Pulumi resources of the ResolvedStack when checked without building it", () => {
    const { text } = generateStack(50_000);
    const generated = path.join(tmp, "generated.yaml");
    fs.writeFileSync(generated, text);
    for (const file of [...examples.map((f) => path.join(ROOT, "stacks", f)), generated]) {
      const checked = checkStack(file);
      expect(checked.ok && checked.resources).toBe(pulumiResources(mustLoad(file)));
    }
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
      "sendgrid:\n  apiKeys:\n    a: { name: A, scopes: &send [mail.send] }\n    b: { name: B, scopes: *send }\n",
    );
    expect(r.ok && r.stack.sendgrid.apiKeys.map((k) => k.props.scopes)).toEqual([["mail.send"], ["mail.send"]]);
  });

  it("reads a valid file with anchors the same with the fast parser, and counts its aliases as the locating one does", () => {
    const text = [
      "mailjet:",
      "  templates:",
      "    a: { name: A, locale: &loc en_US, categories: &cats [x, y], content: &c { headers: { Subject: &h S }, text: T } }",
      "    b: { name: B, locale: *loc, categories: *cats, content: *c }",
      "    c: { name: C, locale: *loc, content: { headers: { Subject: *h }, text: *loc } }",
    ].join("\n");
    expect(quickParse(text)!.data).toEqual(parseDocument(text).toJS());
    expect(aliasesWithin(quickParse(text)!.data, text, 100_000)).toBe(true);
    // The budget as checkDocument spends it: *cats adds 3, *c adds 7, each scalar alias 1.
    expect(aliasesWithin(quickParse(text)!.data, text, 3 + 7 + 4)).toBe(true);
    expect(aliasesWithin(quickParse(text)!.data, text, 3 + 7 + 3)).toBe(false);
    const bomb = fs.readFileSync(path.join(__dirname, "invalid", "yaml-alias-bomb.yaml"), "utf8");
    expect(aliasesWithin(quickParse(bomb)!.data, bomb, 100_000)).toBe(false);
    // A cycle, and an alias as a key, are left to the locating parser.
    const cycle = "a: &a { b: *a }\n";
    expect(aliasesWithin(quickParse(cycle)!.data, cycle, 100_000)).toBe(false);
    const key = "a: &k x\nb: { *k : 1 }\n";
    expect(aliasesWithin(quickParse(key)?.data, key, 100_000)).toBe(false);
    const r = load("anchors-more.yaml", text);
    expect(r.ok ? r.stack.mailjet.templates.map((t) => t.props.content?.headers) : formatErrors(r.errors)).toEqual([
      { Subject: "S" },
      { Subject: "S" },
      { Subject: "S" },
    ]);
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

  it("reads clean files the same with the fast parser as with the locating one", () => {
    // The fast path (js-yaml) decides alone only when nothing is reported; its data must be the
    // data the `yaml` Document gives, scalar for scalar.
    const tricky = [
      "mailjet:",
      "  templates:",
      "    t:",
      '      name: "Quoted: with \\"escapes\\" and \\u00e9"',
      "      description: 'single ''quoted'''",
      "      locale: en_US",
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
      "          testData: { n: 012, f: 1.50, big: 1e3, huge: 1e400, bin: 0b101, hex: 0x1F, oct: 0o17, t: True, nul: ~, inf: -.inf, nan: .NaN, s: 1_000, d: 2024-01-01, e: 5., dot: .5 }",
    ].join("\n");
    const stacks = fs.readdirSync(path.join(ROOT, "stacks")).filter((f) => f.endsWith(".yaml"));
    const texts = [tricky, ...stacks.map((f) => fs.readFileSync(path.join(ROOT, "stacks", f), "utf8"))];
    for (const text of texts) expect(quickParse(text)!.data).toEqual(parseDocument(text).toJS());
    const r = load("tricky.yaml", tricky);
    expect(r.ok ? r.stack.mailjet.templates[0]!.props.content!.html : formatErrors(r.errors)).toBe("folded lines\nparagraph");
  });

  it("leaves to the locating parser what js-yaml would accept and it rejects", () => {
    // A quoted scalar whose next line is not indented, and a key over 1024 characters: js-yaml
    // reads both, the `yaml` library (whose answer counts) does not.
    const quoted = load("multi-line-quoted.yaml", 'mailtrap:\n  projects:\n    p:\n      name: "Multi\nline"\n');
    expect(quoted.ok ? [] : quoted.errors.map((e) => `${e.line}:${e.column} ${e.code}`)).toContain("4:13 YAML_SYNTAX");
    const testData = `          testData:\n            ${"k".repeat(1100)}: v\n`;
    const longKey = load(
      "long-key.yaml",
      `sendgrid:\n  templates:\n    t:\n      name: T\n      generation: dynamic\n      versions:\n        v1:\n          name: V\n          subject: S\n${testData}`,
    );
    expect(longKey.ok ? [] : longKey.errors.map((e) => `${e.line}:${e.column} ${e.code}`)).toEqual(["11:13 YAML_SYNTAX"]);
  });

  it("locates problems in a large file through Documents of the entries concerned exactly as through one of the whole file", () => {
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
    // An anchor sends the same text to one Document of the whole file.
    const whole = loadStackText(path.join(tmp, "large.yaml"), broken.replace("    p0:\n", "    p0: &first\n"));
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
    expect(shown(located)).toEqual(shown(whole));
  });

  it("locates YAML errors in a large file through Documents of the entries concerned exactly as through one of the whole file", () => {
    // Over a megabyte: the entries js-yaml stops in are parsed alone (here five of them).
    const { text } = generateStack(1_100_000);
    const broken =
      text
        .replace("      name: Bench project 7\n", "      name: Bench project 7\n     oops: 1\n")
        .replace("      name: Bench project 9\n", "      name: Bench: project 9\n")
        .replace("      name: Bench project 11\n", '      name: "Bench \\q"\n')
        .replace("      locale: en_US\n", "      locale: en_US\n      - x\n") + '    broken:\n      name: "unclosed\n';
    const located = loadStackText(path.join(tmp, "large-broken.yaml"), broken);
    // A quoted value over two lines (one line less at the top) sends the same errors, on the same
    // lines, to one Document of the whole file.
    const whole = loadStackText(
      path.join(tmp, "large-broken.yaml"),
      broken.replace("# generated by bench/validate.ts\n", "").replace("      name: Bench project 0\n", '      name: "Bench\n        project 0"\n'),
    );
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
    expect(shown(located)).toEqual(shown(whole));
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
    // Every kind's entries, and SendGrid template versions (part of the template kind).
    const entryDefs: Record<string, string> = {
      ...Object.fromEntries(KINDS.map((k) => [k.entryKind, k.schema])),
      "sendgrid:templateVersion": "SendgridTemplateVersion",
    };
    expect(new Set(r.stack.resources.map((e) => e.kind))).toEqual(new Set(Object.keys(entryDefs)));
    for (const entry of r.stack.resources) {
      const fields = Object.keys(defs[entryDefs[entry.kind]!]!.properties as Schema).filter((f) => !nested.has(f));
      expect(Object.keys(entry.props).sort(), entry.kind).toEqual(fields.sort());
      // A SendGrid template version has no options: it follows its template's.
      if (entry.kind === "sendgrid:templateVersion") expect(entry, entry.kind).not.toHaveProperty("options");
      else expect((entry as { options?: unknown }).options, entry.kind).toEqual({ protect: true, retainOnDelete: true, adopt: true });
    }
    const content = r.stack.mailjet.templates[0]!.props.content!;
    expect(Object.keys(content).sort()).toEqual(Object.keys(defs.MailjetTemplateContent!.properties as Schema).sort());
  });
});

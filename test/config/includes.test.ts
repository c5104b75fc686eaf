/**
 * `{file: ...}` includes: resolved relative to the stack file, inlined as UTF-8 text, confined to
 * the stack file's directory tree, and checked against the vendors' size limits.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatErrors, loadStack } from "../../config";

let root: string;
let stacks: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-includes-"));
  stacks = path.join(root, "repo", "stacks");
  fs.mkdirSync(path.join(stacks, "templates", "nested"), { recursive: true });
  fs.writeFileSync(path.join(stacks, "templates", "a.html"), "<p>A</p>\n");
  fs.writeFileSync(path.join(stacks, "templates", "nested", "b.txt"), "\ufeffB text\n");
  fs.writeFileSync(path.join(stacks, "templates", "empty.txt"), "");
  fs.writeFileSync(path.join(root, "outside.html"), "<p>outside</p>");
  fs.symlinkSync(path.join(root, "outside.html"), path.join(stacks, "templates", "escape.html"));
  fs.symlinkSync(path.join(stacks, "templates", "a.html"), path.join(stacks, "templates", "alias.html"));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function stack(name: string, text: string) {
  const file = path.join(stacks, name);
  fs.writeFileSync(file, text);
  return loadStack(file);
}

const template = (html: string, text = '"plain"') =>
  `mailtrap:\n  emailTemplates:\n    t:\n      name: T\n      category: c\n      subject: s\n      html: ${html}\n      text: ${text}\n`;

describe("includes", () => {
  it("reads files relative to the stack file, strips a byte order mark, inlines each use", () => {
    const r = stack(
      "ok.yaml",
      `mailtrap:
  emailTemplates:
    t1: { name: T1, category: c, subject: s, html: { file: templates/a.html }, text: { file: templates/nested/b.txt } }
    t2: { name: T2, category: c, subject: s, html: { file: ./templates/nested/../a.html }, text: { file: templates/empty.txt } }
    t3: { name: T3, category: c, subject: s, html: { file: templates/alias.html } }
`,
    );
    if (!r.ok) throw new Error(formatErrors(r.errors));
    expect(r.stack.resources.map((t) => [t.props.html, t.props.text])).toEqual([
      ["<p>A</p>\n", "B text\n"],
      ["<p>A</p>\n", ""],
      ["<p>A</p>\n", undefined],
    ]);
  });

  it("refuses a link that leads outside the stack file's directory", () => {
    const r = stack("escape.yaml", template("{ file: templates/escape.html }"));
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.line, e.column])).toEqual([["INCLUDE_OUTSIDE_STACK_DIR", 7, 21]]);
    expect(r.ok ? "" : r.errors[0]!.problem).toContain("is a link to");
  });

  it("refuses paths that climb out of the stack file's directory", () => {
    const r = stack("climb.yaml", template("{ file: ../../outside.html }"));
    expect(r.ok ? [] : r.errors.map((e) => e.code)).toEqual(["INCLUDE_OUTSIDE_STACK_DIR"]);
  });

  it("suggests a file with the same name elsewhere in the tree", () => {
    const r = stack("moved.yaml", template("{ file: b.txt }"));
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.fix])).toEqual([
      ["INCLUDE_NOT_FOUND", "did you mean templates/nested/b.txt? Write file: templates/nested/b.txt"],
    ]);
  });

  it("checks SendGrid's 1 MiB limit in bytes, after reading the include", () => {
    fs.writeFileSync(path.join(stacks, "templates", "big.html"), "é".repeat(600_000)); // 1.2 MB, 600k characters
    const r = stack(
      "big-sendgrid.yaml",
      `sendgrid:
  templates:
    t:
      name: T
      generation: dynamic
      versions:
        v1: { name: v1, subject: s, html: { file: templates/big.html } }
`,
    );
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.line, e.column, e.problem])).toEqual([
      ["CONTENT_TOO_LARGE", 7, 51, "content is 1,200,000 bytes; SendGrid accepts at most 1,048,576"],
    ]);
    // The same content is within Mailtrap's limit of 10,000,000 characters.
    expect(stack("big-mailtrap.yaml", template("{ file: templates/big.html }")).ok).toBe(true);
  });

  it("checks Mailtrap's 10,000,000-character limit on inline bodies too", () => {
    const r = stack("huge-inline.yaml", template(`"${"a".repeat(10_000_001)}"`));
    expect(r.ok ? [] : r.errors.map((e) => [e.code, e.path, e.problem])).toEqual([
      [
        "CONTENT_TOO_LARGE",
        "mailtrap.emailTemplates.t.html",
        "content is 10,000,001 characters; Mailtrap accepts at most 10,000,000",
      ],
    ]);
  });
});

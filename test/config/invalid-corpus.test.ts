/**
 * The invalid corpus: every file gives exactly its expected, located, actionable errors, and
 * loading the whole corpus makes no network access of any kind.
 */
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from "vitest";
import { ERROR_CODES, formatErrors, loadStack, sortErrors } from "../../config";
import { MAX_SHOWN_LINE, printable } from "../../config/errors";
import { corpusFiles, expectations, INVALID_DIR, normalize } from "./support/corpus";

const files = corpusFiles();

describe("invalid stack corpus", () => {
  const spies: MockInstance[] = [];
  beforeAll(() => {
    const refuse = () => {
      throw new Error("network access during validation");
    };
    spies.push(vi.spyOn(net.Socket.prototype, "connect").mockImplementation(refuse));
    spies.push(vi.spyOn(globalThis, "fetch").mockImplementation(refuse));
  });
  afterAll(() => {
    for (const s of spies) s.mockRestore();
  });

  it("has at least 40 files, each with its expected errors", () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const f of files) expect(expectations(f).length, f).toBeGreaterThan(0);
  });

  it("covers every error code a stack file can show", () => {
    const used = new Set(files.flatMap((f) => expectations(f).map((e) => e.code)));
    // CONTENT_TOO_LARGE (a megabyte of fixture) is covered by includes.test.ts; TEMPLATE_LIMIT (301
    // templates) and the template warnings (this corpus holds errors only) by test/templates and
    // test/config/template-checks.test.ts; STACK_CONFIG (it needs the stack's config, which a plain load
    // has not) by test/config/stack-config.test.ts.
    const elsewhere = new Set(["STACK_CONFIG", "CONTENT_TOO_LARGE", "TEMPLATE_LIMIT", "TEMPLATE_UNSUPPORTED", "TEMPLATE_NO_TEXT", "TEMPLATE_INSECURE_LINK", "TEMPLATE_EMPTY_LINK", "TEMPLATE_IMAGE_NO_ALT"]);
    const uncovered = ERROR_CODES.filter((c) => !used.has(c));
    expect(uncovered.filter((c) => !elsewhere.has(c))).toEqual([]);
  });

  it.each(files)("%s", (file) => {
    const wanted = expectations(file);
    const result = loadStack(path.join(INVALID_DIR, file));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.warnings).toEqual([]);
    const errors = sortErrors(result.errors);
    const got = errors.map((e) => ({
      location: `${path.relative(INVALID_DIR, path.resolve(e.file)).split(path.sep).join("/")}:${e.line}:${e.column}`,
      code: e.code,
      problem: normalize(e.problem),
      fix: normalize(e.fix),
    }));
    expect(got).toEqual(wanted);

    const printed = formatErrors(errors);
    for (const e of errors) {
      expect(ERROR_CODES).toContain(e.code);
      expect(e.fix.length).toBeGreaterThan(10);
      expect(printed).toContain(`${e.file}:${e.line}:${e.column}  error  `);
      expect(printed).toContain(`  fix: ${e.fix}`);
      // The offending line is shown, with a caret under the located column.
      const lines = fs.readFileSync(path.resolve(e.file), "utf8").split(/\r?\n/);
      const actual = lines[e.line - 1]!;
      if (e.code === "PASTED_SECRET") {
        const secret = actual.slice(e.column - 1, e.column - 1 + e.span);
        expect(e.sourceLine).not.toContain(secret);
        expect(printed).not.toContain(secret);
      } else if (e.code === "UNKNOWN_FIELD" && /credentials never go in a stack file/.test(e.fix ?? "")) {
        // A field named like a credential: its value is masked but for 4 characters.
        const value = actual.slice(actual.indexOf(":", e.column - 1) + 1).trim();
        expect(e.sourceLine).toBe(actual.replace(value, value.slice(0, 4) + "*".repeat(value.length - 4)));
        expect(printed).not.toContain(value);
      } else {
        expect(e.sourceLine).toBe(actual);
      }
      // The caret stands under the located character, also when a long line is cut around it.
      const shown = printed.split("\n");
      const at = shown.findIndex((l, i) => l.startsWith(`   ${e.line} | `) && shown[i - 1]!.startsWith(`${e.location}  error  `));
      expect(at, printed).toBeGreaterThan(0);
      const text = shown[at]!.slice(`   ${e.line} | `.length);
      const caret = shown[at + 1]!.slice(`   ${e.line} | `.length).indexOf("^");
      expect(text.length).toBeLessThanOrEqual(MAX_SHOWN_LINE + 2);
      expect(text[caret], `caret of ${e.location}`).toBe(printable(e.sourceLine!)[e.column - 1] ?? undefined);
    }
  });

  it("made no network access while loading the corpus", () => {
    for (const f of files) loadStack(path.join(INVALID_DIR, f));
    for (const s of spies) expect(s).not.toHaveBeenCalled();
  });
});

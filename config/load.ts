/**
 * loadStack: a stack file in, a ResolvedStack or every problem found in it out. Reads files only:
 * no credentials, no network, no Pulumi engine.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type ErrorCode as YamlErrorCode, type YAMLError } from "yaml";
import { StackError } from "./errors";
import { resolveIncludes } from "./includes";
import { buildResolvedStack, checkContentSizes } from "./resolve";
import { validateAgainstSchema } from "./schema";
import { scanSecrets } from "./secrets";
import { semanticChecks } from "./semantic";
import { displayPath, formatPath, YamlSource } from "./source";
import type { Stack } from "./stack.generated";
import type { LoadResult } from "./types";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function loadStack(file: string): LoadResult {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = utf8.decode(fs.readFileSync(abs));
  } catch (err) {
    return failure([unreadable(abs, err)]);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return loadStackText(abs, text);
}

/** Same as loadStack for text already in memory; `file` locates includes and names the file in errors. */
export function loadStackText(file: string, text: string): LoadResult {
  const src = new YamlSource(path.resolve(file), text);
  const doc = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: false, keepSourceTokens: false });
  src.doc = doc;

  const problems: StackError[] = [];
  let syntaxBroken = false;
  for (const e of doc.errors) {
    if (e.code !== "DUPLICATE_KEY") syntaxBroken = true;
    problems.push(yamlError(src, e));
  }
  for (const w of doc.warnings) problems.push(yamlError(src, w, "warning"));
  if (syntaxBroken) return failure(problems);

  const root = doc.contents;
  if (root === null || (isMap(root) && root.items.length === 0) || (isScalar(root) && root.value === null)) {
    problems.push(
      src.errorAt(
        { start: 0, end: 1 },
        {
          code: "EMPTY_STACK",
          path: "",
          problem: "the stack file declares nothing; applying it would delete every resource the stack manages",
          fix: "add a mailtrap, sendgrid or mailjet section (see docs/stack-format.md); to delete everything on purpose run pulumi destroy",
        },
      ),
    );
    return failure(problems);
  }

  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (err) {
    problems.push(
      src.errorAt(
        { start: 0, end: 1 },
        {
          code: "YAML_SYNTAX",
          path: "",
          problem: `YAML: ${(err as Error).message}`,
          fix: "write the values out instead of nesting aliases (*name) of aliases",
        },
      ),
    );
    return failure(problems);
  }
  problems.push(...validateAgainstSchema(data, src));
  problems.push(...semanticChecks(data, src));
  const includes = resolveIncludes(data, src);
  problems.push(...includes.errors);
  problems.push(...scanSecrets(src, data, includes.files));
  problems.push(...checkContentSizes(data, includes.texts, src));

  const errors = problems.filter((p) => p.severity === "error");
  const warnings = problems.filter((p) => p.severity === "warning");
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, stack: buildResolvedStack(data as Stack, includes.texts, src), warnings };
}

function failure(problems: StackError[]): LoadResult {
  return {
    ok: false,
    errors: problems.filter((p) => p.severity === "error"),
    warnings: problems.filter((p) => p.severity === "warning"),
  };
}

function unreadable(abs: string, err: unknown): StackError {
  const code = (err as NodeJS.ErrnoException).code;
  const problem =
    code === "ENOENT"
      ? "stack file not found"
      : code === "EISDIR"
        ? "is a directory, not a stack file"
        : err instanceof TypeError
          ? "is not UTF-8 text"
          : `cannot be read (${(err as Error).message})`;
  const fix =
    code === "ENOENT"
      ? `create it, or name an existing file: stack files live in stacks/<stack>.yaml`
      : err instanceof TypeError
        ? "save the file as UTF-8 text"
        : "name a readable stack file, e.g. stacks/dev.yaml";
  return new StackError({ code: "STACK_UNREADABLE", file: displayPath(abs), line: 1, column: 1, path: "", problem, fix });
}

const YAML_FIXES: Partial<Record<YamlErrorCode, string>> = {
  DUPLICATE_KEY: "remove one of the two, or give it a different key (the last one would silently win)",
  BAD_INDENT: "align the keys of one mapping at the same column, indenting with spaces",
  TAB_AS_INDENT: "indent with spaces, not tabs",
  MULTIPLE_DOCS: "keep one YAML document per stack file: remove the --- separator and what follows, or merge them",
  BLOCK_AS_IMPLICIT_KEY: "put a space after each ':' of a key, and quote values that contain ': '",
  MULTILINE_IMPLICIT_KEY: "put the key and its ':' on one line; quote values that contain ': '",
  MISSING_CHAR: "close the quote, bracket or brace opened here",
  BAD_SCALAR_START: "quote the value: values starting with @, ` or % must be quoted",
  UNEXPECTED_TOKEN: "check the indentation and quote values that contain ': ' or ' #'",
  BAD_DQ_ESCAPE: "use a valid escape in double quotes, or single quotes for text with backslashes",
  BAD_ALIAS: "define the anchor (&name) before using the alias (*name)",
  KEY_OVER_1024_CHARS: "shorten the key",
  RESOURCE_EXHAUSTION: "reduce the use of aliases",
  TAG_RESOLVE_FAILED: "remove the YAML tag (!...): stack files use plain values",
};

function yamlError(src: YamlSource, e: YAMLError, severity: "error" | "warning" = "error"): StackError {
  let [start, end] = e.pos;
  let problem = `YAML: ${lowerFirst(e.message.replace(/\s+at line \d+, column \d+.*$/s, "").replace(/\.$/, ""))}`;
  let fix = YAML_FIXES[e.code] ?? "correct the YAML syntax at this position";
  let segs = src.pathAt(start);
  const { line } = src.position(start);
  const lineText = src.lineText(line);
  const lineStart = start - (src.position(start).column - 1);

  switch (e.code) {
    case "DUPLICATE_KEY": {
      const key = String(segs[segs.length - 1] ?? "");
      if (src.text.startsWith(key, start)) end = start + key.length;
      const first = src.position(src.locate(segs, "key").start).line;
      problem = `duplicate key "${key}"${first < line ? ` (first defined on line ${first})` : ""}; each key may appear once in a mapping`;
      break;
    }
    case "MULTIPLE_DOCS":
      problem = "the file holds more than one YAML document";
      segs = [];
      break;
    case "BAD_INDENT":
    case "UNEXPECTED_TOKEN":
    case "MISSING_CHAR": {
      if (e.code === "MISSING_CHAR") {
        const quote = /closing "quote/.test(e.message) ? '"' : /closing 'quote/.test(e.message) ? "'" : undefined;
        const open = quote ? src.text.lastIndexOf(quote, start - 1) : -1;
        if (open >= 0) {
          [start, end] = [open, open + 1];
          segs = src.pathAt(open);
          problem = `YAML: this ${quote === '"' ? "double" : "single"} quote is never closed`;
          break;
        }
      }
      const unclosed = /flow (map|sequence).*end with an? ([}\]])/i.exec(e.message);
      if (unclosed) {
        const open = unclosedBracket(src.text, start);
        if (open >= 0) [start, end] = [open, open + 1];
        segs = src.pathAt(start);
        problem = `YAML: this ${unclosed[1] === "map" ? "{" : "["} is not closed`;
        fix = `close it with ${unclosed[2]} (a flow ${unclosed[1] === "map" ? "mapping" : "list"} that continues on the next lines must be indented deeper than its key)`;
        break;
      }
      if (e.code !== "BAD_INDENT") break;
      const indent = /^\s*/.exec(lineText)![0].length;
      if (start === lineStart && indent > 0) [start, end] = [lineStart + indent, lineStart + lineText.length];
      break;
    }
    case "BLOCK_AS_IMPLICIT_KEY": {
      const m = /^(\s*(?:-\s+)?)([^\s:#][^:#]*?):\s+(.*?)\s*$/.exec(lineText);
      if (m && m[3]!.includes(": ")) {
        const value = m[3]!.replace(/"/g, '\\"');
        segs = src.pathAt(lineStart + m[1]!.length);
        problem = `YAML: the value of ${m[2]} contains ": ", which starts a nested mapping`;
        fix = `quote the value: ${m[2]}: "${value}"`;
      }
      break;
    }
    default:
      break;
  }
  return src.errorAt(
    { start, end: Math.max(end, start + 1) },
    {
      code: e.code === "DUPLICATE_KEY" ? "DUPLICATE_KEY" : "YAML_SYNTAX",
      severity,
      path: formatPath(segs),
      problem,
      fix,
    },
  );
}

/** Offset of the last `{` or `[` before `limit` that is not closed, outside quotes and comments. */
function unclosedBracket(text: string, limit: number): number {
  const open: number[] = [];
  let quote: string | undefined;
  for (let i = 0; i < Math.min(limit, text.length); i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === "\\" && quote === '"') i++;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(text[i - 1]!))) while (i < text.length && text[i] !== "\n") i++;
    else if (c === "{" || c === "[") open.push(i);
    else if (c === "}" || c === "]") open.pop();
  }
  return open.length > 0 ? open[open.length - 1]! : -1;
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

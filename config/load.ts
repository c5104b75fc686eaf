/**
 * loadStack: a stack file in, a ResolvedStack or every problem found in it out. Reads files only:
 * no credentials, no network, no Pulumi engine.
 *
 * Two parsers: js-yaml (fast, small) reads the file first, and its data goes through every check.
 * The `yaml` library holds the positions errors are located with: what the checks report is
 * located through `yaml` Documents of the entries concerned (found by a line index, parsed on
 * demand), and so are repeated keys and, in a large file, YAML errors js-yaml stops at. Anchors
 * and aliases are read by js-yaml when the aliases certainly stay within bounds. Anything else (a
 * YAML error in a small file, a repeated key with anchors, text the two parsers read differently)
 * goes to one `yaml` Document of the whole file. This keeps a 10 MB generated stack within seconds
 * and 300 MB (a Document of the whole file takes a gigabyte).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isMap, isScalar, LineCounter, parseDocument, type Document, type ErrorCode as YamlErrorCode, type YAMLError } from "yaml";
import { StackError } from "./errors";
import { resolveIncludes } from "./includes";
import { buildResolvedStack, checkContentSizes, countResources } from "./resolve";
import { validateAgainstSchema } from "./schema";
import { scanSecrets } from "./secrets";
import { semanticChecks } from "./semantic";
import { displayPath, formatPath, invalidUtf8, SourceText, YamlSource, type Span } from "./source";
import type { Stack } from "./stack.generated";
import { aliasesWithin, quickParse } from "./quick-yaml";
import { checkDocument, MAX_ALIAS_EXPANSION, scanText, type TextScan } from "./structure";
import type { CheckResult, LoadResult } from "./types";

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function loadStack(file: string): LoadResult {
  const r = load(file, buildResolvedStack);
  return r.ok ? { ok: true, stack: r.value, warnings: r.warnings } : r;
}

/**
 * Same checks as loadStack, but a valid stack gives the number of its Pulumi resources instead of
 * the ResolvedStack (which, for a file of 100,000s of entries, takes as much memory as its data).
 */
export function checkStack(file: string): CheckResult {
  const r = load(file, (data) => countResources(data));
  return r.ok ? { ok: true, resources: r.value, warnings: r.warnings } : r;
}

/** Same as loadStack for text already in memory; `file` locates includes and names the file in errors. */
export function loadStackText(file: string, text: string): LoadResult {
  const r = loadText(path.resolve(file), text, buildResolvedStack);
  return r.ok ? { ok: true, stack: r.value, warnings: r.warnings } : r;
}

/** What a valid stack is turned into, from its checked data and the texts of its includes. */
type Finish<T> = (data: Stack, texts: Map<string, string>, src: YamlSource) => T;
type Loaded<T> = { ok: true; value: T; warnings: StackError[] } | { ok: false; errors: StackError[]; warnings: StackError[] };

function load<T>(file: string, finish: Finish<T>): Loaded<T> {
  const abs = path.resolve(file);
  const link = linkOutside(abs);
  if (link) return failure([link]);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (err) {
    return failure([unreadable(abs, err)]);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return failure([notUtf8(abs, bytes)]);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return loadText(abs, text, finish);
}

function loadText<T>(abs: string, text: string, finish: Finish<T>): Loaded<T> {
  const src = new YamlSource(abs, text);
  const scan = scanText(src);
  if (scan.tooDeep) return failure([scan.tooDeep]);
  return (scan.sameInBothParsers ? quickLoad(src, finish, scan) : undefined) ?? exactLoad(src, finish);
}

/** Every check on parsed data; `src` locates what they find. */
function checkData(data: unknown, src: YamlSource): { problems: StackError[]; texts: Map<string, string> } {
  const problems = [...validateAgainstSchema(data, src), ...semanticChecks(data, src)];
  const includes = resolveIncludes(data, src);
  problems.push(...includes.errors);
  problems.push(...scanSecrets(src, data, includes.files));
  problems.push(...checkContentSizes(data, includes.texts, src));
  return { problems, texts: includes.texts };
}

/**
 * The fast path: the stack when js-yaml reads the file, without anchors, directives or anything
 * any check reports; otherwise undefined, and the exact path takes over.
 */
function quickLoad<T>(src: YamlSource, finish: Finish<T>, scan: TextScan): Loaded<T> | undefined {
  if (/^%/m.test(src.text)) return undefined; // a %YAML directive can change how values read
  let refusedAt: number | undefined;
  const parsed = quickParse(src.text, (at) => (refusedAt = at));
  if (!parsed && refusedAt !== undefined && src.text.length >= LARGE && !scan.linesJoined) return entrySyntaxErrors(src, refusedAt);
  if (!parsed || !isNonEmptyObject(parsed.data)) return undefined;
  // Anchors: read here when the aliases certainly stay within bounds, without a cycle (the whole
  // Document locates the alias that crosses them); a repeated key too is left to it.
  if (parsed.anchors && (parsed.repeated.length > 0 || !aliasesWithin(parsed.data, src.text, MAX_ALIAS_EXPANSION))) return undefined;
  const data = parsed.data;
  // What the checks report is located through the line index (its top level now, the rest when
  // asked) and Documents of the entries concerned (or the whole Document, for a path through an
  // alias of another entry's anchor); without an index, through the whole Document, so the checks
  // locate nothing here.
  const indexed = src.useRegions();
  const checked = checkData(data, src);
  if (checked.problems.length === 0 && parsed.repeated.length === 0) return { ok: true, value: finish(data as Stack, checked.texts, src), warnings: [] };
  if (!indexed) return undefined;
  const repeated = parsed.repeated.length > 0 ? src.repeatedKeys(parsed.repeated) : [];
  if (!repeated) return undefined;
  const all = [...repeated, ...checked.problems];
  if (all.some((p) => p.severity === "error")) return failure(all);
  return { ok: true, value: finish(data as Stack, checked.texts, src), warnings: unique(all) };
}

/**
 * From this size on, a YAML error js-yaml stops at is located through Documents of the entries
 * concerned rather than one of the whole file (a gigabyte at 10 MB): smaller files keep the whole
 * Document's answer, which sees every error at once.
 */
const LARGE = 1_000_000;
/** Entries with YAML errors located that way before the whole Document is left to find the rest. */
const MAX_BROKEN_ENTRIES = 5;

/**
 * The YAML errors of a large file, entry by entry: the entry js-yaml stopped in (or the one before,
 * when it stopped at the next entry's first line) is parsed alone with the `yaml` library, whose
 * errors are the answer for it; that entry is then blanked out (offsets kept) and js-yaml reads
 * the rest again, until it reads it all. Undefined when an error lies outside an entry, or in more
 * entries than MAX_BROKEN_ENTRIES: the whole Document decides.
 */
function entrySyntaxErrors(src: YamlSource, refusedAt: number): Loaded<never> | undefined {
  if (!src.useRegions()) return undefined;
  const problems: StackError[] = [];
  const blanked: Span[] = [];
  let at: number | undefined = refusedAt;
  while (at !== undefined) {
    if (blanked.length === MAX_BROKEN_ENTRIES) return undefined;
    const entry = brokenEntryAt(src, at);
    if (!entry || blanked.some((b) => b.start === entry.start)) return undefined;
    const { doc, start } = entry;
    const unclosed = doc.errors.some((e) => UNCLOSED_FLOW.test(e.message));
    const shift = (e: YAMLError): YAMLError => Object.assign(Object.create(Object.getPrototypeOf(e) as object) as YAMLError, e, { pos: [e.pos[0] + start, e.pos[1] + start] });
    for (const e of doc.errors) if (!(unclosed && e.code === "BLOCK_IN_FLOW")) problems.push(yamlError(src, shift(e)));
    for (const w of doc.warnings) problems.push(yamlError(src, shift(w), "warning"));
    blanked.push(entry);
    at = undefined;
    quickParse(blank(src.text, blanked), (offset) => (at = offset));
  }
  return failure(problems);
}

/** The entry with YAML errors at an offset js-yaml stopped at, or the entry before that offset. */
function brokenEntryAt(src: YamlSource, offset: number): (Span & { doc: Document.Parsed }) | undefined {
  const here = src.entryAt(Math.min(offset, src.text.length - 1));
  if (here && here.doc.errors.length > 0) return here;
  // js-yaml may stop at the first line after the broken entry: the entry of the last content before it.
  let before = src.text.lastIndexOf("\n", Math.min(offset, src.text.length) - 1);
  while (before > 0 && /\s/.test(src.text[before]!)) before--;
  const previous = before >= 0 ? src.entryAt(before) : undefined;
  return previous && previous.doc.errors.length > 0 ? previous : undefined;
}

/** The text with the given spans replaced by spaces, line ends kept: offsets stay the same. */
function blank(text: string, spans: readonly Span[]): string {
  let out = "";
  let from = 0;
  for (const s of [...spans].sort((a, b) => a.start - b.start)) {
    out += text.slice(from, s.start) + text.slice(s.start, s.end).replace(/[^\n]/g, " ");
    from = s.end;
  }
  return out + text.slice(from);
}

function isNonEmptyObject(v: unknown): boolean {
  return v !== null && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length > 0;
}

/** The exact path: the `yaml` Document, its positions, and every problem located. */
function exactLoad<T>(src: YamlSource, finish: Finish<T>): Loaded<T> {
  const text = src.text;
  const doc = parseDocument(text, { lineCounter: new LineCounter(), uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  src.doc = doc;

  const problems: StackError[] = [];
  // A flow collection left open swallows the block lines after it: their "block collection in a
  // flow collection" errors are the same problem again.
  const unclosed = doc.errors.some((e) => UNCLOSED_FLOW.test(e.message));
  for (const e of doc.errors) if (!(unclosed && e.code === "BLOCK_IN_FLOW")) problems.push(yamlError(src, e));
  for (const w of doc.warnings) problems.push(yamlError(src, w, "warning"));
  if (doc.errors.length > 0) return failure(problems);

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

  const structure = checkDocument(doc, src);
  problems.push(...structure);
  if (structure.some((e) => e.code !== "DUPLICATE_KEY")) return failure(problems);

  let data: unknown;
  try {
    // checkDocument bounds alias expansion (and locates the alias that crosses the bound).
    data = doc.toJS({ maxAliasCount: -1 });
  } catch (err) {
    problems.push(
      src.errorAt(src.locate([], "value"), {
        code: "YAML_SYNTAX",
        path: "",
        problem: `YAML: ${(err as Error).message}`,
        fix: "correct the YAML at this position",
      }),
    );
    return failure(problems);
  }
  const checked = checkData(data, src);
  problems.push(...checked.problems);
  if (problems.some((p) => p.severity === "error")) return failure(problems);
  return { ok: true, value: finish(data as Stack, checked.texts, src), warnings: unique(problems) };
}

function failure(problems: StackError[]): { ok: false; errors: StackError[]; warnings: StackError[] } {
  const all = unique(problems);
  return {
    ok: false,
    errors: all.filter((p) => p.severity === "error"),
    warnings: all.filter((p) => p.severity === "warning"),
  };
}

/** Each problem once: two parser errors can describe the same thing at the same place. */
function unique(problems: StackError[]): StackError[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.code}|${p.file}|${p.line}|${p.column}|${p.path}|${p.problem}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * A stack file that is a symbolic link to a file outside its own directory is refused like such an
 * include: what is reviewed under stacks/ must be what is applied.
 */
function linkOutside(abs: string): StackError | undefined {
  let real: string;
  try {
    if (!fs.lstatSync(abs).isSymbolicLink()) return undefined;
    real = fs.realpathSync(abs);
  } catch {
    return undefined; // reading it reports a missing target or a loop
  }
  const dir = safeRealpath(path.dirname(abs));
  const rel = path.relative(dir, real);
  if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) return undefined;
  const shownDir = `${displayPath(path.dirname(abs))}/`;
  return new StackError({
    code: "STACK_UNREADABLE",
    file: displayPath(abs),
    line: 1,
    column: 1,
    path: "",
    problem: `is a link to ${real}, outside the stack file's directory (${shownDir})`,
    fix: `copy the file into ${shownDir} instead of linking to it, so that what is reviewed there is what is applied`,
  });
}

function safeRealpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

/** Located at the first byte that is not UTF-8, on the line as a lenient decoder shows it. */
function notUtf8(abs: string, bytes: Uint8Array): StackError {
  const bad = invalidUtf8(bytes);
  const lenient = new TextDecoder("utf-8");
  const shown = new SourceText(abs, lenient.decode(bytes));
  // Everything before the bad byte is valid UTF-8: its decoded length is the text offset.
  const start = bad ? lenient.decode(bytes.subarray(0, bad.offset)).length : 0;
  return shown.errorAt(
    { start, end: start + 1 },
    {
      code: "STACK_UNREADABLE",
      path: "",
      problem: `is not UTF-8 text${bad ? ` (byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, "0")} here)` : ""}`,
      fix: "save the file as UTF-8 text (in a Latin-1 or Windows-1252 file, accented letters are single bytes)",
    },
  );
}

function unreadable(abs: string, err: unknown): StackError {
  const code = (err as NodeJS.ErrnoException).code;
  const problem =
    code === "ENOENT"
      ? "stack file not found"
      : code === "EISDIR"
        ? "is a directory, not a stack file"
        : code === "ELOOP"
          ? "is a symbolic link loop"
          : `cannot be read (${(err as Error).message})`;
  const fix =
    code === "ENOENT"
      ? `create it, or name an existing file: stack files live in stacks/<stack>.yaml`
      : code === "ELOOP"
        ? "replace the link by the stack file itself"
        : "name a readable stack file, e.g. stacks/dev.yaml";
  return new StackError({ code: "STACK_UNREADABLE", file: displayPath(abs), line: 1, column: 1, path: "", problem, fix });
}

const YAML_FIXES: Partial<Record<YamlErrorCode, string>> = {
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

const UNCLOSED_FLOW = /flow (map|sequence).*end with an? ([}\]])/i;

function yamlError(src: YamlSource, e: YAMLError, severity: "error" | "warning" = "error"): StackError {
  let [start, end] = e.pos;
  let problem = `YAML: ${lowerFirst(e.message.replace(/\s+at line \d+, column \d+.*$/s, "").replace(/\.$/, ""))}`;
  let fix = YAML_FIXES[e.code] ?? "correct the YAML syntax at this position";
  let segs = src.pathAt(start);
  const { line } = src.position(start);
  const lineText = src.lineText(line);
  const lineStart = start - (src.position(start).column - 1);

  switch (e.code) {
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
      const unclosed = UNCLOSED_FLOW.exec(e.message);
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
      code: "YAML_SYNTAX",
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

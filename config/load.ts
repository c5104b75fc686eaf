/**
 * loadStack: a stack file in, a ResolvedStack or every problem found in it out. Reads files only:
 * no credentials, no network, no Pulumi engine.
 *
 * One parser: the `yaml` library's, with its LineCounter. Its tokens are checked for nesting depth
 * before the composer (which recurses) builds the Document; the Document is checked for repeated
 * keys and alias expansion (structure.ts), turned into data, and every check runs on that data; what
 * they report is located through the Document. Files over MAX_STACK_BYTES are refused unread.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Composer, isMap, isScalar, LineCounter, Parser, YAMLParseError, type Document, type ErrorCode as YamlErrorCode, type YAMLError } from "yaml";
import { StackError } from "./errors";
import { checkContentSizes, inside, resolveIncludes, safeRealpath } from "./includes";
import { buildResolvedStack, type ResolvedStack } from "./resolve";
import { validateAgainstSchema } from "./schema";
import { scanSecrets } from "./secrets";
import { semanticChecks } from "./semantic";
import { badUtf8, displayPath, formatPath, SourceText, YamlSource } from "./source";
import { checkDocument, tooDeep, unclosedFlows } from "./structure";
import { checkTemplates } from "./templates";

/**
 * The largest stack file read: 16 MiB, hundreds of times any real account's (a SendGrid account
 * holds at most 100 API keys; the largest real stacks are a few thousand entries). Below it the
 * time to validate grows linearly with the size.
 */
export const MAX_STACK_BYTES = 16 * 1024 * 1024;

export type LoadResult =
  | { ok: true; stack: ResolvedStack; warnings: StackError[] }
  | { ok: false; errors: StackError[]; warnings: StackError[] };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** What the stack's config holds under a key (`mailform:<name>`): a secret, plaintext, or nothing. */
export type StackConfigLookup = (key: string) => "secret" | "plain" | undefined;

export interface LoadOptions {
  /**
   * The stack's config, where the caller has it (the Pulumi program): the secrets entries name by
   * config key are then checked to be there, as secrets. `mailform validate` has none.
   */
  stackConfig?: StackConfigLookup;
}

export function loadStack(file: string, opts: LoadOptions = {}): LoadResult {
  const abs = path.resolve(file);
  const link = linkOutside(abs);
  if (link) return failure([link]);
  let bytes: Buffer;
  try {
    const size = fs.statSync(abs).size;
    if (size > MAX_STACK_BYTES) return failure([tooLarge(abs, size)]);
    bytes = fs.readFileSync(abs);
  } catch (err) {
    return failure([unreadable(abs, err)]);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    const { shown, at, byte } = badUtf8(abs, bytes) ?? { shown: new SourceText(abs, ""), at: 0, byte: "?" };
    const fix = "save the file as UTF-8 text (in a Latin-1 or Windows-1252 file, accented letters are single bytes)";
    return failure([shown.errorAt({ start: at, end: at + 1 }, { code: "STACK_UNREADABLE", path: "", problem: `is not UTF-8 text (byte ${byte} here)`, fix })]);
  }
  return loadText(abs, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, opts);
}

/** Same as loadStack for text already in memory; `file` locates includes and names the file in errors. */
export function loadStackText(file: string, text: string, opts: LoadOptions = {}): LoadResult {
  const abs = path.resolve(file);
  const size = Buffer.byteLength(text);
  return size > MAX_STACK_BYTES ? failure([tooLarge(abs, size)]) : loadText(abs, text, opts);
}

function loadText(abs: string, text: string, opts: LoadOptions): LoadResult {
  const src = new YamlSource(abs, text, new LineCounter()); // filled by the parser
  const parsed = parse(src);
  if (parsed instanceof StackError) return failure([parsed]);
  const { doc, problems } = parsed;
  if (doc.errors.length > 0) return failure(problems);

  const root = doc.contents;
  if (root === null || (isMap(root) && root.items.length === 0) || (isScalar(root) && root.value === null)) {
    const problem = "the stack file declares nothing; applying it would delete every resource the stack manages";
    const fix = "add a mailtrap, sendgrid or mailjet section (see docs/stack-format.md); to delete everything on purpose run pulumi destroy";
    return failure([...problems, src.errorAt({ start: 0, end: 1 }, { code: "EMPTY_STACK", path: "", problem, fix })]);
  }

  const structure = checkDocument(doc, src);
  problems.push(...structure);
  if (structure.some((e) => e.code !== "DUPLICATE_KEY")) return failure(problems);

  // checkDocument bounds alias expansion (and locates the alias that crosses the bound).
  const data = doc.toJS({ maxAliasCount: -1 }) as unknown;
  problems.push(...validateAgainstSchema(data, src), ...semanticChecks(data, src, opts.stackConfig));
  const includes = resolveIncludes(data, src);
  problems.push(...includes.errors, ...scanSecrets(src, data, includes.files), ...checkContentSizes(data, includes.texts, src));
  if (problems.some((p) => p.severity === "error")) return failure(problems);
  const stack = buildResolvedStack(data, includes.texts, src); // bodies inlined in data: the checks read them
  problems.push(...checkTemplates(data, includes.bodyFiles, src));
  if (problems.some((p) => p.severity === "error")) return failure(problems);
  return { ok: true, stack, warnings: unique(problems) };
}

/**
 * The Document (a second one is an error, as `parseDocument` reports it) and its YAML errors, or
 * the nesting that is too deep to compose; the parser's tokens are not kept.
 */
function parse(src: YamlSource): { doc: Document.Parsed; problems: StackError[] } | StackError {
  const tokens = [...new Parser(src.lines.addNewLine).parse(src.text)];
  const deep = tooDeep(tokens, src);
  if (deep) return deep;
  let doc: Document.Parsed | undefined;
  for (const next of new Composer({ uniqueKeys: false, keepSourceTokens: false }).compose(tokens, true, src.text.length)) {
    if (doc) {
      doc.errors.push(new YAMLParseError([next.range[0], next.range[1]], "MULTIPLE_DOCS", "Source contains multiple documents"));
      break;
    }
    doc = src.doc = next;
  }
  // A flow collection left open swallows the block lines after it: their "block collection in a
  // flow collection" errors are the same problem again.
  const unclosed = doc!.errors.some((e) => UNCLOSED_FLOW.test(e.message)) ? unclosedFlows(tokens) : [];
  const problems: StackError[] = [];
  for (const e of doc!.errors) if (!(unclosed.length > 0 && e.code === "BLOCK_IN_FLOW")) problems.push(yamlError(src, e, unclosed));
  for (const w of doc!.warnings) problems.push(yamlError(src, w, unclosed, "warning"));
  return { doc: doc!, problems };
}

function failure(problems: StackError[]): { ok: false; errors: StackError[]; warnings: StackError[] } {
  const all = unique(problems);
  return { ok: false, errors: all.filter((p) => p.severity === "error"), warnings: all.filter((p) => p.severity === "warning") };
}

/** Each problem once: two parser errors can describe the same thing at the same place. */
function unique(problems: StackError[]): StackError[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const id = `${p.code}|${p.file}|${p.line}|${p.column}|${p.path}|${p.problem}`;
    return !seen.has(id) && Boolean(seen.add(id));
  });
}

/**
 * A stack file that is a symbolic link to a file outside its own directory is refused like such an
 * include: what is reviewed under stacks/ must be what is applied.
 */
function linkOutside(abs: string): StackError | undefined {
  try {
    if (!fs.lstatSync(abs).isSymbolicLink()) return undefined;
  } catch {
    return undefined; // reading it reports a missing file
  }
  const real = safeRealpath(abs); // a loop or a missing target: reading it reports them
  if (real === abs || inside(safeRealpath(path.dirname(abs)), real)) return undefined;
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

/** A file over MAX_STACK_BYTES, refused before it is read. */
function tooLarge(abs: string, size: number): StackError {
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  return new StackError({
    code: "STACK_UNREADABLE",
    file: displayPath(abs),
    line: 1,
    column: 1,
    path: "",
    problem: `is ${mib(size)} (${size.toLocaleString("en-US")} bytes); mailform reads stack files of at most ${mib(MAX_STACK_BYTES)}`,
    fix: "split the stack into several stacks (one stack file each), or keep large template bodies in their own files ({file: ...})",
  });
}

function unreadable(abs: string, err: unknown): StackError {
  const code = (err as NodeJS.ErrnoException).code;
  const [problem, fix] =
    code === "ENOENT"
      ? ["stack file not found", `create it, or name an existing file: stack files live in stacks/<stack>.yaml`]
      : code === "EISDIR"
        ? ["is a directory, not a stack file", "name a readable stack file, e.g. stacks/dev.yaml"]
        : code === "ELOOP"
          ? ["is a symbolic link loop", "replace the link by the stack file itself"]
          : [`cannot be read (${(err as Error).message})`, "name a readable stack file, e.g. stacks/dev.yaml"];
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
  TAG_RESOLVE_FAILED: "remove the YAML tag (!...): stack files use plain values",
};

const UNCLOSED_FLOW = /flow (map|sequence).*end with an? ([}\]])/i;

/** A `yaml` error or warning in this front end's words, located where the user should look. */
function yamlError(src: YamlSource, e: YAMLError, unclosedAt: number[], severity: "error" | "warning" = "error"): StackError {
  let [start, end] = e.pos;
  let problem = `YAML: ${lowerFirst(e.message.replace(/\.$/, ""))}`;
  let fix = YAML_FIXES[e.code] ?? "correct the YAML syntax at this position";
  let segs = src.pathAt(start);
  const { line, column } = src.position(start);
  const lineText = src.lineText(line);
  const lineStart = start - (column - 1);
  const quote = e.code === "MISSING_CHAR" ? /closing (["'])quote/.exec(e.message)?.[1] : undefined;
  const open = quote ? src.text.lastIndexOf(quote, start - 1) : -1;
  const unclosed = UNCLOSED_FLOW.exec(e.message);

  if (e.code === "MULTIPLE_DOCS") {
    problem = "the file holds more than one YAML document";
    segs = [];
  } else if (open >= 0) {
    [start, end] = [open, open + 1];
    segs = src.pathAt(open);
    problem = `YAML: this ${quote === '"' ? "double" : "single"} quote is never closed`;
  } else if (unclosed && (e.code === "BAD_INDENT" || e.code === "UNEXPECTED_TOKEN" || e.code === "MISSING_CHAR")) {
    const bracket = unclosedAt.filter((at) => at < start).pop();
    if (bracket !== undefined) [start, end] = [bracket, bracket + 1];
    segs = src.pathAt(start);
    problem = `YAML: this ${unclosed[1] === "map" ? "{" : "["} is not closed`;
    fix = `close it with ${unclosed[2]} (a flow ${unclosed[1] === "map" ? "mapping" : "list"} that continues on the next lines must be indented deeper than its key)`;
  } else if (e.code === "BAD_INDENT") {
    const indent = /^\s*/.exec(lineText)![0].length;
    if (start === lineStart && indent > 0) [start, end] = [lineStart + indent, lineStart + lineText.length];
  } else if (e.code === "BLOCK_AS_IMPLICIT_KEY") {
    const m = /^(\s*(?:-\s+)?)([^\s:#][^:#]*?):\s+(.*?)\s*$/.exec(lineText);
    if (m && m[3]!.includes(": ")) {
      segs = src.pathAt(lineStart + m[1]!.length);
      problem = `YAML: the value of ${m[2]} contains ": ", which starts a nested mapping`;
      fix = `quote the value: ${m[2]}: "${m[3]!.replace(/"/g, '\\"')}"`;
    }
  }
  return src.errorAt({ start, end: Math.max(end, start + 1) }, { code: "YAML_SYNTAX", severity, path: formatPath(segs), problem, fix });
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}

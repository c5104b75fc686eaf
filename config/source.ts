/**
 * A text file with positions: turns offsets and field paths into `file:line:column`, the offending
 * line and a caret width, and builds `StackError`s located there. Lines are the `yaml` library's
 * LineCounter (filled by its parser for a stack file).
 */
import * as path from "node:path";
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { StackError, type StackErrorInit } from "./errors";

export type PathSeg = string | number;

/** Renders `["mailtrap", "apiTokens", "ci", "permissions", 1]` as `mailtrap.apiTokens.ci.permissions[1]`. */
export function formatPath(segs: readonly PathSeg[]): string {
  let out = "";
  for (const s of segs) {
    if (typeof s === "number") out += `[${s}]`;
    else if (/^[A-Za-z0-9_$-]+$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

/** How a user should see a path: relative to the working directory when it lies inside it. */
export function displayPath(abs: string): string {
  const rel = path.relative(process.cwd(), abs);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : abs;
}

/**
 * The first byte that is not UTF-8, located in the text as a lenient decoder shows it (where it put
 * its first U+FFFD that the file does not hold as such), with the byte as `0xE9`.
 */
export function badUtf8(abs: string, bytes: Uint8Array): { shown: SourceText; at: number; byte: string } | undefined {
  const text = new TextDecoder("utf-8").decode(bytes);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // dropped by the decoder, as by the loader
  for (let at = text.indexOf("\uFFFD"); at >= 0; at = text.indexOf("\uFFFD", at + 1)) {
    const offset = bom + Buffer.byteLength(text.slice(0, at));
    if (bytes[offset] !== 0xef || bytes[offset + 1] !== 0xbf || bytes[offset + 2] !== 0xbd)
      return { shown: new SourceText(abs, text), at, byte: `0x${bytes[offset]!.toString(16).toUpperCase().padStart(2, "0")}` };
  }
  return undefined;
}

export type Problem = Omit<StackErrorInit, "file" | "line" | "column" | "sourceLine" | "span">;

export type Span = { start: number; end: number };

export class SourceText {
  /** Where each line starts: the parser's, or counted here for a text no parser reads (an include). */
  readonly lines: LineCounter;

  constructor(
    readonly abs: string,
    readonly text: string,
    lines?: LineCounter,
  ) {
    if (!lines) {
      lines = new LineCounter();
      lines.addNewLine(0);
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) lines.addNewLine(i + 1);
    }
    this.lines = lines;
  }

  get display(): string {
    return displayPath(this.abs);
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const { line, col } = this.lines.linePos(Math.max(0, Math.min(offset, this.text.length)));
    return { line: Math.max(1, line), column: col };
  }

  lineText(line: number): string {
    const starts = this.lines.lineStarts;
    const start = starts[line - 1] ?? this.text.length;
    const next = starts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, "");
  }

  errorAt(span: Span, problem: Problem): StackError {
    const { line, column } = this.position(span.start);
    const text = this.lineText(line);
    const lineEnd = this.lines.lineStarts[line - 1]! + text.length;
    const width = Math.max(1, Math.min(span.end, lineEnd) - span.start);
    return new StackError({ ...problem, file: this.display, line, column, sourceLine: text, span: width });
  }
}

/** A stack file and its `yaml` Document: locates field paths in it. */
export class YamlSource extends SourceText {
  doc: Document.Parsed | undefined;

  /**
   * Where a field path lies. `target: "key"` points at the key of the last segment (for unknown or
   * misspelled fields, and for problems of a whole entry); `"value"` at its value, falling back to
   * the key when the value is empty or a block collection that starts on the next line. When the
   * path does not exist, the deepest existing ancestor is used.
   */
  locate(segs: readonly PathSeg[], target: "key" | "value" = "value"): Span {
    const doc = this.doc;
    const root = doc?.contents as Node | null | undefined;
    if (!doc || !root) return { start: 0, end: 1 };
    let node: Node | null | undefined = root;
    let keySpan: Span | undefined;
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i]!;
      if (isAlias(node)) node = node.resolve(doc) as Node | undefined;
      if (isMap(node)) {
        const pair = pairsByKey(node).get(String(seg));
        if (!pair) break;
        keySpan = rangeOf(pair.key as Node | null) ?? keySpan;
        node = pair.value as Node | null;
        if (i === segs.length - 1 && target === "key" && keySpan) return keySpan;
      } else if (isSeq(node) && typeof seg === "number") {
        const item = node.items[seg] as Node | null | undefined;
        if (item == null) break;
        keySpan = rangeOf(item) ?? keySpan;
        node = item;
      } else {
        break;
      }
      if (i === segs.length - 1) {
        const valueSpan = rangeOf(node);
        const isBlockCollection = (isMap(node) || isSeq(node)) && !node.flow;
        const isEmpty = isScalar(node) && node.value === null && (!node.range || node.range[0] === node.range[1]);
        if (!valueSpan || isBlockCollection || isEmpty) return keySpan ?? valueSpan ?? { start: 0, end: 1 };
        return valueSpan;
      }
    }
    return (segs.length > 0 ? keySpan : undefined) ?? rangeOf(root) ?? { start: 0, end: 1 };
  }

  /** The text of a plain (unquoted) scalar at a field path, as written in the file. */
  scalarSource(segs: readonly PathSeg[]): string | undefined {
    const span = this.locate(segs, "value");
    const text = this.text.slice(span.start, span.end);
    return /^[^"'\s[{][^\n]*$/.test(text) ? text.replace(/\s+(#.*)?$/, "") : undefined;
  }

  /** The field path of the innermost node at an offset (for problems found by scanning the text). */
  pathAt(offset: number): PathSeg[] {
    const out: PathSeg[] = [];
    let node = this.doc?.contents as Node | null | undefined;
    while (isMap(node) || isSeq(node)) {
      // Items are in file order: the last one that starts at or before the offset.
      const items = node.items as unknown[];
      const pairs = isMap(node);
      const start = (it: unknown) => (pairs && isPair(it) ? (rangeOf(it.key as Node) ?? rangeOf(it.value as Node))?.start : rangeOf(it as Node)?.start) ?? Infinity;
      let lo = 0;
      let hi = items.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (start(items[mid]) <= offset) lo = mid;
        else hi = mid - 1;
      }
      const item = items[lo];
      if (item === undefined || start(item) > offset) return out;
      if (pairs && isPair(item)) {
        const end = (rangeOf(item.value as Node) ?? rangeOf(item.key as Node))!.end;
        if (offset > end) return out;
        out.push(keyText(item.key));
        if (offset <= (rangeOf(item.key as Node)?.end ?? -1)) return out;
        node = item.value as Node | null;
      } else {
        if (offset > rangeOf(item as Node)!.end) return out;
        out.push(lo);
        node = item as Node;
      }
    }
    return out;
  }
}

/**
 * Pairs of a mapping by key text, built once per mapping: many errors in one large map stay linear.
 * A repeated key maps to its last pair, the one whose value the data holds.
 */
const pairIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
function pairsByKey(map: YAMLMap): Map<string, Pair> {
  let index = pairIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const p of map.items) if (isPair(p)) index.set(keyText(p.key), p as Pair);
    pairIndexes.set(map, index);
  }
  return index;
}

export function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

function rangeOf(node: Node | null | undefined): Span | undefined {
  return node?.range ? { start: node.range[0], end: node.range[1] } : undefined;
}

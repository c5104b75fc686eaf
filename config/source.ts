/**
 * A text file with positions: turns offsets and field paths into `file:line:column`, the offending
 * line and a caret width, and builds `StackError`s located there.
 */
import * as path from "node:path";
import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, type Document, type Node, type Pair, type YAMLMap } from "yaml";
import { StackError, type StackErrorInit } from "./errors";
import type { RepeatedKeys } from "./quick-yaml";
import { BlockRegions, DEPTH, type Region } from "./regions";
import { checkDocument, duplicate } from "./structure";

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

/** The first byte of `bytes` that does not belong to a well-formed UTF-8 sequence, if any. */
export function invalidUtf8(bytes: Uint8Array): { offset: number; byte: number } | undefined {
  for (let i = 0; i < bytes.length; ) {
    const c = bytes[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    const n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n === 0) return { offset: i, byte: c };
    for (let k = 1; k <= n; k++) if (i + k >= bytes.length || (bytes[i + k]! & 0xc0) !== 0x80) return { offset: i, byte: c };
    const c1 = bytes[i + 1]!;
    // Overlong forms, UTF-16 surrogates and code points past U+10FFFF.
    if ((c === 0xe0 && c1 < 0xa0) || (c === 0xed && c1 > 0x9f) || (c === 0xf0 && c1 < 0x90) || (c === 0xf4 && c1 > 0x8f))
      return { offset: i, byte: c };
    i += n + 1;
  }
  return undefined;
}

export type Problem = Omit<StackErrorInit, "file" | "line" | "column" | "sourceLine" | "span">;

export interface Span {
  start: number;
  end: number;
}

export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly abs: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
  }

  get display(): string {
    return displayPath(this.abs);
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: o - this.lineStarts[lo]! + 1 };
  }

  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, "");
  }

  errorAt(span: Span, problem: Problem): StackError {
    const { line, column } = this.position(span.start);
    const text = this.lineText(line);
    const lineEnd = this.lineStarts[line - 1]! + text.length;
    const width = Math.max(1, Math.min(span.end, lineEnd) - span.start);
    return new StackError({ ...problem, file: this.display, line, column, sourceLine: text, span: width });
  }
}

/**
 * A parsed YAML stack file: locates field paths in the document. Either the whole file's Document
 * (`doc`), or, for a large file with a few problems, small Documents of the entries concerned
 * (`useRegions`).
 */
export class YamlSource extends SourceText {
  doc: Document.Parsed | undefined;
  private regions: BlockRegions | undefined;
  private regionsTried = false;
  private readonly regionDocs = new Map<Region, Document.Parsed>();

  /**
   * Locates through Documents of single entries (parsed on demand) instead of one of the whole file.
   * False when the file's top levels are not block mappings the line index can follow.
   */
  useRegions(): boolean {
    if (!this.regionsTried) this.regions = BlockRegions.of(this.text);
    this.regionsTried = true;
    return this.regions !== undefined;
  }

  /**
   * Where a field path lies. `target: "key"` points at the key of the last segment (for unknown or
   * misspelled fields, and for problems of a whole entry); `"value"` at its value, falling back to
   * the key when the value is empty or a block collection that starts on the next line. When the
   * path does not exist, the deepest existing ancestor is used.
   */
  locate(segs: readonly PathSeg[], target: "key" | "value" = "value"): Span {
    if (this.regions && segs.length > 0) {
      const chain = this.regions.chain(segs);
      const region = chain[chain.length - 1];
      if (region) {
        // Undefined when the path goes through an alias of an anchor outside the entry: then
        // the whole Document follows it.
        const span = locateIn(this.regionDoc(region), segs.slice(chain.length - 1), target, true);
        if (span) return { start: span.start + region.start, end: span.end + region.start };
      }
    }
    return locateIn(this.wholeDoc(), segs, target);
  }

  /** The text of a plain (unquoted) scalar at a field path, as written in the file. */
  scalarSource(segs: readonly PathSeg[]): string | undefined {
    const span = this.locate(segs, "value");
    const text = this.text.slice(span.start, span.end);
    return /^[^"'\s[{][^\n]*$/.test(text) ? text.replace(/\s+(#.*)?$/, "") : undefined;
  }

  /**
   * The repeated keys of mappings js-yaml saw repeat one, located through the line index (sections,
   * kinds, entries) or a Document of the entry; undefined when the index cannot follow one.
   */
  repeatedKeys(mappings: readonly RepeatedKeys[]): StackError[] | undefined {
    const regions = this.regions;
    if (!regions) return undefined;
    const out: StackError[] = [];
    for (const m of mappings) {
      const chain = m.depth === 0 ? [] : regions.around(m.offset).slice(0, m.depth);
      if (chain.length < Math.min(m.depth, DEPTH)) return undefined;
      const at = chain.map((r) => r.key);
      if (m.depth < DEPTH) {
        const repeats = regions.repeatsUnder(chain[chain.length - 1]);
        if (!repeats) return undefined;
        for (const { repeat: r, first } of repeats) {
          const keyStart = r.start + r.indent;
          out.push(duplicate(this, { start: keyStart, end: keyStart + r.keyLength }, first.start + first.indent, r.key, [...at, r.key]));
        }
      } else {
        const entry = chain[DEPTH - 1]!;
        const part = { base: entry.start, at: at.slice(0, DEPTH - 1) };
        out.push(...checkDocument(this.regionDoc(entry), this, part).filter((e) => e.code === "DUPLICATE_KEY"));
      }
    }
    return out;
  }

  /**
   * The entry (a region as deep as the line index goes) around an offset, and its Document;
   * undefined outside entries or without the index.
   */
  entryAt(offset: number): { start: number; end: number; doc: Document.Parsed } | undefined {
    const chain = this.regions?.around(offset);
    const region = chain?.[DEPTH - 1];
    return region ? { start: region.start, end: region.end, doc: this.regionDoc(region) } : undefined;
  }

  /** The field path of the innermost node at an offset (for problems found by scanning the text). */
  pathAt(offset: number): PathSeg[] {
    if (this.regions) {
      // The end of the text (where an unclosed quote is reported) lies in the last entry.
      const chain = this.regions.around(Math.min(offset, this.text.length - 1));
      const region = chain[chain.length - 1];
      if (region) return [...chain.slice(0, -1).map((r) => r.key), ...pathIn(this.regionDoc(region), offset - region.start)];
    }
    return pathIn(this.wholeDoc(), offset);
  }

  private wholeDoc(): Document.Parsed | undefined {
    if (this.regions && !this.doc) this.doc = parseDocument(this.text, { uniqueKeys: false, keepSourceTokens: false });
    return this.doc;
  }

  private regionDoc(region: Region): Document.Parsed {
    let doc = this.regionDocs.get(region);
    if (!doc) {
      doc = parseDocument(this.text.slice(region.start, region.end), { uniqueKeys: false, keepSourceTokens: false });
      this.regionDocs.set(region, doc);
    }
    return doc;
  }
}

function locateIn(doc: Document.Parsed | undefined, segs: readonly PathSeg[], target: "key" | "value"): Span;
function locateIn(doc: Document.Parsed | undefined, segs: readonly PathSeg[], target: "key" | "value", part: true): Span | undefined;
function locateIn(doc: Document.Parsed | undefined, segs: readonly PathSeg[], target: "key" | "value", part = false): Span | undefined {
  const root = doc?.contents as Node | null | undefined;
  if (!doc || !root) return { start: 0, end: 1 };
  let node: Node | null | undefined = root;
  let keySpan: Span | undefined;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i]!;
    if (isAlias(node)) {
      node = node.resolve(doc) as Node | undefined;
      if (!node && part) return undefined; // the anchor is in another part of the file
    }
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
  if (segs.length === 0) return rangeOf(root) ?? { start: 0, end: 1 };
  return keySpan ?? rangeOf(root) ?? { start: 0, end: 1 };
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

function pathIn(doc: Document.Parsed | undefined, offset: number): PathSeg[] {
  const out: PathSeg[] = [];
  let node = doc?.contents as Node | null | undefined;
  for (;;) {
    if (isAlias(node)) return out;
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const k = rangeOf(p.key as Node | null);
        const v = rangeOf(p.value as Node | null);
        const start = k?.start ?? v?.start ?? Infinity;
        const end = v?.end ?? k?.end ?? -1;
        return offset >= start && offset <= end;
      });
      if (!pair) return out;
      out.push(keyText(pair.key));
      const k = rangeOf(pair.key as Node | null);
      if (k && offset <= k.end) return out;
      node = pair.value as Node | null;
    } else if (isSeq(node)) {
      const idx = node.items.findIndex((it) => {
        const r = rangeOf(it as Node | null);
        return r !== undefined && offset >= r.start && offset <= r.end;
      });
      if (idx < 0) return out;
      out.push(idx);
      node = node.items[idx] as Node | null;
    } else {
      return out;
    }
  }
}

export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

function rangeOf(node: Node | null | undefined): Span | undefined {
  if (!node || !node.range) return undefined;
  return { start: node.range[0], end: node.range[1] };
}

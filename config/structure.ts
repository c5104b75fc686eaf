/**
 * Limits on the shape of a YAML document, checked in one linear pass each so that a large or
 * hostile stack file gets a located answer instead of an engine error or a long wait: nesting
 * depth (before any parser recurses into it), duplicate keys and alias expansion.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from "yaml";
import type { StackError } from "./errors";
import { formatPath, keyText, type PathSeg, type SourceText } from "./source";

/** Deepest nesting accepted; real stacks use 8 or so, test data a few more. */
export const MAX_NESTING = 64;
/** Nodes that aliases may add by expansion, over the whole file (a billion-laughs guard). */
export const MAX_ALIAS_EXPANSION = 100_000;

/** Keys longer than this are a YAML error (1024 characters) that js-yaml does not report. */
const MAX_IMPLICIT_KEY = 1024;

export interface TextScan {
  /** Where block indentation plus open flow brackets first nest deeper than MAX_NESTING. */
  tooDeep?: StackError;
  /**
   * Whether the text avoids the constructs js-yaml reads differently from the `yaml` library: a
   * quoted scalar over several lines (js-yaml accepts under-indented continuation lines), an
   * explicit `?` key (collection keys become different strings), a key longer than 1024
   * characters (a YAML error js-yaml does not report).
   */
  sameInBothParsers: boolean;
  /**
   * Whether a quoted scalar or a flow collection continues on a later line: then a YAML error in
   * one entry can change how the lines after it read, and only a Document of the whole file says.
   */
  linesJoined: boolean;
}

/**
 * One pass over the text (quotes, comments and block scalars skipped), before any parser runs: a
 * too-deep file never reaches a parser's recursion.
 */
export function scanText(src: SourceText): TextScan {
  let sameInBothParsers = true;
  let linesJoined = false;
  const text = src.text;
  const indents: number[] = [];
  let flow = 0;
  let quote: string | undefined;
  let blockScalarParent = -1;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf("\n", lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let i = lineStart;
    while (i < lineEnd && text[i] === " ") i++;
    const indent = i - lineStart;
    const blank = i === lineEnd || text[i] === "\r" || (text[i] === "#" && !quote && flow === 0);
    if (blockScalarParent >= 0) {
      if (blank || indent > blockScalarParent) {
        lineStart = lineEnd + 1;
        continue;
      }
      blockScalarParent = -1;
    }
    if (blank) {
      lineStart = lineEnd + 1;
      continue;
    }
    if (quote) sameInBothParsers = false; // a quoted scalar continues on this line
    if (quote || flow > 0) linesJoined = true;
    // At a scalar start, a quote opens a quoted scalar, a bracket a flow collection, | or > a block scalar.
    let atStart = true;
    if (!quote && flow === 0) {
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
      // Compact nested sequences: "- - - x" opens one level per dash.
      while (text[i] === "-" && (text[i + 1] === " " || i + 1 === lineEnd)) {
        indents.push(indent + (i - lineStart) + 1);
        i += 2;
        while (text[i] === " ") i++;
      }
      if (indents.length + flow > MAX_NESTING) return { tooDeep: tooDeep(src, i), sameInBothParsers, linesJoined };
    }
    for (; i < lineEnd; i++) {
      const c = text[i]!;
      if (quote) {
        if (c === quote) {
          if (quote === "'" && text[i + 1] === "'") i++;
          else quote = undefined;
        } else if (c === "\\" && quote === '"') i++;
        atStart = false;
        continue;
      }
      if (c === " " || c === "\t") continue;
      if (c === "#" && (i === lineStart || text[i - 1] === " " || text[i - 1] === "\t")) break;
      if (atStart && (c === '"' || c === "'")) {
        quote = c;
        continue;
      }
      if (atStart && flow === 0 && (c === "|" || c === ">")) {
        blockScalarParent = indent;
        break;
      }
      if ((atStart || flow > 0) && (c === "[" || c === "{")) {
        flow++;
        if (indents.length + flow > MAX_NESTING) return { tooDeep: tooDeep(src, i), sameInBothParsers, linesJoined };
        atStart = true;
        continue;
      }
      if (flow > 0 && (c === "]" || c === "}")) {
        flow--;
        atStart = false;
        continue;
      }
      if (flow > 0 && c === ",") {
        atStart = true;
        continue;
      }
      if (c === ":" || c === "?" || c === "-") {
        const next = text[i + 1];
        if (next === undefined || next === " " || next === "\n" || next === "\r" || (flow > 0 && /[,\]}]/.test(next))) {
          if ((c === "?" && atStart) || (c === ":" && i - lineStart > MAX_IMPLICIT_KEY)) sameInBothParsers = false;
          atStart = true;
          continue;
        }
      }
      atStart = false;
    }
    lineStart = lineEnd + 1;
  }
  return { sameInBothParsers, linesJoined };
}

function tooDeep(src: SourceText, offset: number): StackError {
  return src.errorAt(
    { start: offset, end: offset + 1 },
    {
      code: "NESTING_TOO_DEEP",
      path: "",
      problem: `the file nests deeper than ${MAX_NESTING} levels here`,
      fix: "a stack file needs a few levels (vendor, kind, entry, field): flatten this value, or remove it",
    },
  );
}

/**
 * Duplicate keys (each reported at the repeated key, naming the first), aliases inside the value
 * they refer to (a cycle no check could walk) and alias expansion beyond MAX_ALIAS_EXPANSION
 * (reported at the alias that crosses it), in one walk in document order.
 */
export function checkDocument(doc: Document.Parsed, src: SourceText, part: DocumentPart = { base: 0, at: [] }): StackError[] {
  const { base } = part;
  const out: StackError[] = [];
  const anchors = new Map<string, Node>();
  const sizes = new Map<Node, number>();
  const open = new Set<Node>();
  let expanded = 0;
  let exhausted = false;

  const size = (node: unknown, at: PathSeg[]): number => {
    if (!node || typeof node !== "object") return 1;
    const n = node as Node;
    if (n.anchor) anchors.set(n.anchor, n);
    if (isAlias(n)) {
      const target = anchors.get(n.source);
      if (target && open.has(target)) {
        out.push(
          src.errorAt(
            span(n, base),
            {
              code: "YAML_SYNTAX",
              path: formatPath(at),
              problem: `YAML: *${n.source} refers to a value that contains it, which would never end`,
              fix: `write the value out here instead of the alias *${n.source}`,
            },
          ),
        );
        return 1;
      }
      const add = target ? (sizes.get(target) ?? 1) : 1;
      expanded += add;
      if (!exhausted && expanded > MAX_ALIAS_EXPANSION) {
        exhausted = true;
        out.push(
          src.errorAt(
            span(n, base),
            {
              code: "YAML_SYNTAX",
              path: formatPath(at),
              problem: `YAML: aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString("en-US")} values here (*${n.source} adds ${add.toLocaleString("en-US")})`,
              fix: "write the values out instead of nesting aliases (*name) of aliases",
            },
          ),
        );
      }
      return add;
    }
    let total = 1;
    open.add(n);
    if (isMap(n)) {
      const seen = new Map<string, Node>();
      for (const pair of n.items) {
        if (!isPair(pair)) continue;
        const key = pair.key as Node | null;
        if (isScalar(key)) {
          const name = keyText(key);
          const first = seen.get(name);
          if (first) out.push(duplicate(src, span(key, base), span(first, base).start, name, [...at, name]));
          else seen.set(name, key);
        }
        total += size(key, at);
        total += size(pair.value, isScalar(key) ? [...at, keyText(key)] : at);
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => (total += size(item, [...at, i])));
    }
    open.delete(n);
    sizes.set(n, total);
    return total;
  };
  size(doc.contents, part.at);
  return out;
}

/** A Document of part of a file: where its text starts, and the path of its root. */
export interface DocumentPart {
  base: number;
  at: PathSeg[];
}

function span(node: Node, base: number): { start: number; end: number } {
  const start = base + (node.range?.[0] ?? 0);
  return { start, end: node.range ? base + node.range[1] : start + 1 };
}

/** A key repeated in its mapping, located at the repetition and naming the first one's line. */
export function duplicate(src: SourceText, key: { start: number; end: number }, firstStart: number, name: string, at: PathSeg[]): StackError {
  const firstLine = src.position(firstStart).line;
  return src.errorAt(
    key,
    {
      code: "DUPLICATE_KEY",
      path: formatPath(at),
      problem: `duplicate key "${name}" (first defined on line ${firstLine}); each key may appear once in a mapping`,
      fix: "remove one of the two, or give it a different key (the last one would silently win)",
    },
  );
}

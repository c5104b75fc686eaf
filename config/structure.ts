/**
 * Limits on the shape of a YAML document, each checked in one linear pass so that a large or
 * hostile stack file gets a located answer instead of an engine error or a long wait: nesting depth
 * (on the parser's tokens, before the recursive composer builds nodes), duplicate keys (the `yaml`
 * library's own check compares each key with every earlier one) and alias expansion (located at the
 * alias that crosses the bound, which `maxAliasCount` does not say).
 */
import { CST, isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node, type Pair } from "yaml";
import type { StackError } from "./errors";
import { formatPath, keyText, type PathSeg, type SourceText } from "./source";

/** Deepest nesting accepted; real stacks use 8 or so, test data a few more. */
export const MAX_NESTING = 64;
/** Nodes that aliases may add by expansion, over the whole file (a billion-laughs guard). */
export const MAX_ALIAS_EXPANSION = 100_000;

type Collection = CST.BlockMap | CST.BlockSequence | CST.FlowCollection;

/** Calls `visit` with each collection of the parser's tokens and its depth, without recursion, until it returns true. */
function eachCollection(tokens: readonly CST.Token[], visit: (token: Collection, depth: number) => boolean | void): void {
  const stack: [CST.Token | undefined, number][] = tokens.map((t) => [t, 0]);
  while (stack.length > 0) {
    const [token, outer] = stack.pop()!;
    if (token?.type === "document") stack.push([token.value, outer]);
    if (!CST.isCollection(token)) continue;
    if (visit(token, outer + 1)) return;
    for (const item of token.items) stack.push([(item as { key?: CST.Token }).key, outer + 1], [item.value, outer + 1]);
  }
}

/** Where collections first nest deeper than MAX_NESTING, found on the parser's tokens. */
export function tooDeep(tokens: readonly CST.Token[], src: SourceText): StackError | undefined {
  let found: StackError | undefined;
  eachCollection(tokens, (token, depth) => {
    if (depth <= MAX_NESTING) return false;
    const first = token.type === "flow-collection" ? token.start : (token.items[0] as { key?: CST.Token } | undefined)?.key;
    found = nestingError(src, first?.offset ?? token.offset, []);
    return true;
  });
  return found;
}

/** Where the flow collections (`{`, `[`) that are never closed open, in file order. */
export function unclosedFlows(tokens: readonly CST.Token[]): number[] {
  const out: number[] = [];
  const closes = new Set(["flow-map-end", "flow-seq-end"]);
  eachCollection(tokens, (t) => void (t.type === "flow-collection" && !t.end.some((e) => closes.has(e.type)) && out.push(t.start.offset)));
  return out.sort((a, b) => a - b);
}

function nestingError(src: SourceText, offset: number, at: PathSeg[]): StackError {
  const fix = "a stack file needs a few levels (vendor, kind, entry, field): flatten this value, or remove it";
  return src.errorAt({ start: offset, end: offset + 1 }, { code: "NESTING_TOO_DEEP", path: formatPath(at), problem: `the file nests deeper than ${MAX_NESTING} levels here`, fix });
}

/**
 * Duplicate keys (each reported at the repeated key, naming the first), aliases inside the value
 * they refer to (a cycle no check could walk), alias expansion beyond MAX_ALIAS_EXPANSION and
 * nesting beyond MAX_NESTING through aliases (each reported at the alias), in one walk in document
 * order. Only anchored values are remembered (their size and depth, for their aliases).
 */
export function checkDocument(doc: Document.Parsed, src: SourceText): StackError[] {
  const out: StackError[] = [];
  const anchors = new Map<string, Node>();
  const shapes = new Map<Node, Shape>();
  const open = new Set<Node>();
  const at: PathSeg[] = []; // the path of the node walked, kept current
  let expanded = 0;
  let exhausted = false;
  let deepAlias = false;

  function walk(node: unknown, outer: number): Shape {
    if (!isAlias(node) && !isMap(node) && !isSeq(node)) {
      if ((node as Node | null)?.anchor) anchors.set((node as Node).anchor!, node as Node);
      return LEAF;
    }
    if (isAlias(node)) return alias(node, outer);
    if (node.anchor) {
      anchors.set(node.anchor, node);
      open.add(node);
    }
    const shape = { size: 1, depth: 1 };
    const seen = new Map<string, Node>();
    for (let i = 0; i < node.items.length; i++) {
      let value: unknown = node.items[i];
      let seg: PathSeg | undefined = i;
      let key: Shape = { size: 0, depth: 0 };
      if (isMap(node)) {
        const k = (value as Pair).key as Node | null;
        value = (value as Pair).value;
        key = walk(k, outer + 1);
        seg = isScalar(k) ? keyText(k) : undefined;
        const first = seg === undefined ? undefined : seen.get(seg);
        if (first) out.push(duplicate(src, span(k!), span(first).start, String(seg), [...at, seg!]));
        else if (seg !== undefined) seen.set(seg, k!);
      }
      if (seg !== undefined) at.push(seg);
      const child = walk(value, outer + 1);
      if (seg !== undefined) at.pop();
      shape.size += key.size + child.size;
      shape.depth = Math.max(shape.depth, key.depth + 1, child.depth + 1);
    }
    if (node.anchor) {
      open.delete(node);
      shapes.set(node, shape);
    }
    return shape;
  }

  function alias(node: Alias, outer: number): Shape {
    const target = anchors.get(node.source);
    const report = (problem: string, fix: string) =>
      out.push(src.errorAt(span(node), { code: "YAML_SYNTAX", path: formatPath(at), problem: `YAML: ${problem}`, fix }));
    if (target && open.has(target)) {
      report(`*${node.source} refers to a value that contains it, which would never end`, `write the value out here instead of the alias *${node.source}`);
      return LEAF;
    }
    const shape = (target && shapes.get(target)) ?? LEAF;
    expanded += shape.size;
    if (!exhausted && expanded > MAX_ALIAS_EXPANSION) {
      exhausted = true;
      const adds = shape.size.toLocaleString("en-US");
      report(`aliases expand to more than ${MAX_ALIAS_EXPANSION.toLocaleString("en-US")} values here (*${node.source} adds ${adds})`, "write the values out instead of nesting aliases (*name) of aliases");
    }
    if (!deepAlias && outer + shape.depth > MAX_NESTING) {
      deepAlias = true;
      out.push(nestingError(src, span(node).start, at));
    }
    return shape;
  }

  walk(doc.contents, 0);
  return out;
}

/** What an alias of a value adds: the values it expands to, and how deep it nests. */
type Shape = { size: number; depth: number };
const LEAF: Shape = { size: 1, depth: 0 };

function span(node: Node): { start: number; end: number } {
  return { start: node.range?.[0] ?? 0, end: node.range?.[1] ?? 1 };
}

/** A key repeated in its mapping, located at the repetition and naming the first one's line. */
function duplicate(src: SourceText, key: { start: number; end: number }, firstStart: number, name: string, at: PathSeg[]): StackError {
  return src.errorAt(key, {
    code: "DUPLICATE_KEY",
    path: formatPath(at),
    problem: `duplicate key "${name}" (first defined on line ${src.position(firstStart).line}); each key may appear once in a mapping`,
    fix: "remove one of the two, or give it a different key (the last one would silently win)",
  });
}

/**
 * The keys of a stack file's top block mappings (vendor sections, kinds, entries), found line by
 * line without parsing: a large file with a problem in one entry is then located through a small
 * Document of that entry instead of one of the whole file (which takes a gigabyte at 10 MB).
 */

/** A key of a block mapping and the lines of its value, up to the next key of the same mapping. */
export interface Region {
  key: string;
  /** Length of the key as written (quotes included). */
  keyLength: number;
  /** Offset of the key's line (indentation included): a Document of `start..end` holds the key. */
  start: number;
  /** Offset of the next sibling's line, or the end of the parent. */
  end: number;
  indent: number;
  /** The regions of the value's keys: null when the value is not a block mapping this index follows. */
  children?: Level | null;
}

interface Level {
  /** A repeated key maps to its last region, whose value is the one that counts. */
  byKey: Map<string, Region>;
  /** In file order, for finding the region around an offset. */
  list: Region[];
  /** Regions whose key an earlier sibling already has. */
  repeats: Region[];
}

/** How deep the index goes: vendor section, kind, entry. */
export const DEPTH = 3;

export class BlockRegions {
  private constructor(
    private readonly text: string,
    private readonly top: Level,
  ) {}

  /** The index of a text whose top level is a block mapping, else undefined. */
  static of(text: string): BlockRegions | undefined {
    const top = level(text, 0, text.length, -1);
    return top ? new BlockRegions(text, top) : undefined;
  }

  /** Regions of the longest prefix of `segs` the index holds (at most DEPTH). */
  chain(segs: readonly (string | number)[]): Region[] {
    const out: Region[] = [];
    let current: Level | null | undefined = this.top;
    for (let i = 0; i < Math.min(segs.length, DEPTH) && current; i++) {
      const region: Region | undefined = current.byKey.get(String(segs[i]));
      if (!region) break;
      out.push(region);
      current = this.childrenOf(region);
    }
    return out;
  }

  /** Regions around an offset, outermost first (at most DEPTH). */
  around(offset: number): Region[] {
    const out: Region[] = [];
    let current: Level | null | undefined = this.top;
    while (current && out.length < DEPTH) {
      const region = containing(current.list, offset);
      if (!region) break;
      out.push(region);
      current = this.childrenOf(region);
    }
    return out;
  }

  /**
   * The repeated keys of the mapping under `region` (the top level when undefined), each with the
   * first region of its key; undefined when that mapping is not indexed.
   */
  repeatsUnder(region: Region | undefined): { repeat: Region; first: Region }[] | undefined {
    const level = region ? this.childrenOf(region) : this.top;
    if (!level) return undefined;
    const repeated = new Set(level.repeats.map((r) => r.key));
    const first = new Map<string, Region>();
    for (const r of level.list) if (repeated.has(r.key) && !first.has(r.key)) first.set(r.key, r);
    return level.repeats.map((repeat) => ({ repeat, first: first.get(repeat.key)! }));
  }

  private childrenOf(region: Region): Level | null {
    if (region.children === undefined) {
      const lineEnd = this.text.indexOf("\n", region.start);
      region.children = lineEnd < 0 || lineEnd >= region.end ? null : level(this.text, lineEnd + 1, region.end, region.indent);
    }
    return region.children;
  }
}

function containing(list: Region[], offset: number): Region | undefined {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]!.start <= offset) lo = mid;
    else hi = mid - 1;
  }
  const r = list[lo];
  return r && r.start <= offset && offset < r.end ? r : undefined;
}

/**
 * The keys at the indentation of the first content line in `from..to`, deeper than `parentIndent`;
 * null when a line there is not a simple `key:` (a sequence, a flow collection, an explicit key).
 */
function level(text: string, from: number, to: number, parentIndent: number): Level | null {
  const byKey = new Map<string, Region>();
  const list: Region[] = [];
  const repeats: Region[] = [];
  let indent = -1;
  for (let pos = from; pos < to; ) {
    let eol = text.indexOf("\n", pos);
    if (eol < 0 || eol > to) eol = to;
    let i = pos;
    while (i < eol && text.charCodeAt(i) === 32) i++;
    const c = text[i];
    if (i < eol && c !== "#" && c !== "\r") {
      const lineIndent = i - pos;
      if (indent < 0) {
        if (lineIndent <= parentIndent) return null;
        indent = lineIndent;
      }
      if (lineIndent < indent) return null;
      if (lineIndent === indent) {
        const region = keyAt(text, i, pos, to, indent);
        if (!region) return null;
        if (list.length > 0) list[list.length - 1]!.end = pos;
        if (byKey.has(region.key)) repeats.push(region);
        byKey.set(region.key, region);
        list.push(region);
      }
    }
    pos = eol + 1;
  }
  return list.length > 0 ? { byKey, list, repeats } : null;
}

const PLAIN_KEY = /([^\s"'#?[\]{},&*!|>%@`-](?:[^:#\n]|:(?=\S))*?|-(?=\S)(?:[^:#\n]|:(?=\S))*?)[ \t]*:(?:[ \t]|\r?$|\r?\n)/y;
const QUOTED_KEY = /(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)')[ \t]*:(?:[ \t]|\r?$|\r?\n)/y;

/** The region of the `key: ...` line whose key starts at `at`, or undefined for any other line. */
function keyAt(text: string, at: number, start: number, end: number, indent: number): Region | undefined {
  PLAIN_KEY.lastIndex = at;
  const plain = PLAIN_KEY.exec(text);
  if (plain) return { key: plain[1]!, keyLength: plain[1]!.length, start, end, indent };
  QUOTED_KEY.lastIndex = at;
  const quoted = QUOTED_KEY.exec(text);
  if (!quoted) return undefined;
  const keyLength = (quoted[1] ?? quoted[2]!).length + 2;
  if (quoted[2] !== undefined) return { key: quoted[2].replace(/''/g, "'"), keyLength, start, end, indent };
  try {
    return { key: JSON.parse(`"${quoted[1]}"`) as string, keyLength, start, end, indent };
  } catch {
    return undefined; // a YAML-only escape: the whole Document decides
  }
}

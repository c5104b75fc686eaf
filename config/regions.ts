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

/**
 * One block mapping: where each of its keys' lines starts, nothing more until asked (a map of
 * 100,000s of entries costs a number each); keys are read again from the text when needed, and
 * Region objects are made for the few that are asked for.
 */
interface Level {
  /** Offset of each key's line; a region ends where the next one starts (the last at `end`). */
  starts: number[];
  end: number;
  indent: number;
  /** Index of each key, made on the first lookup; a repeated key maps to its last region, whose value is the one that counts. */
  byKey?: Map<string, number>;
  /** Regions made so far, by index: one object per region, so that it can key a cache. */
  made: Map<number, Region>;
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
      const at = this.byKey(current).get(String(segs[i]));
      if (at === undefined) break;
      const region = this.regionAt(current, at);
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
      const region = this.containing(current, offset);
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
    const first = new Map<string, number>();
    const out: { repeat: Region; first: Region }[] = [];
    for (let i = 0; i < level.starts.length; i++) {
      const key = this.keyOf(level, i).key;
      const at = first.get(key);
      if (at === undefined) first.set(key, i);
      else out.push({ repeat: this.regionAt(level, i), first: this.regionAt(level, at) });
    }
    return out;
  }

  private byKey(level: Level): Map<string, number> {
    if (!level.byKey) {
      level.byKey = new Map();
      for (let i = 0; i < level.starts.length; i++) level.byKey.set(this.keyOf(level, i).key, i);
    }
    return level.byKey;
  }

  private keyOf(level: Level, i: number): { key: string; keyLength: number } {
    return keyAt(this.text, level.starts[i]! + level.indent)!; // read once already by level()
  }

  private regionAt(level: Level, i: number): Region {
    let region = level.made.get(i);
    if (!region) {
      const end = i + 1 < level.starts.length ? level.starts[i + 1]! : level.end;
      const { key, keyLength } = this.keyOf(level, i);
      region = { key, keyLength, start: level.starts[i]!, end, indent: level.indent };
      level.made.set(i, region);
    }
    return region;
  }

  private containing(level: Level, offset: number): Region | undefined {
    const starts = level.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    if (starts.length === 0 || starts[lo]! > offset) return undefined;
    const region = this.regionAt(level, lo);
    return offset < region.end ? region : undefined;
  }

  private childrenOf(region: Region): Level | null {
    if (region.children === undefined) {
      const lineEnd = this.text.indexOf("\n", region.start);
      region.children = lineEnd < 0 || lineEnd >= region.end ? null : level(this.text, lineEnd + 1, region.end, region.indent);
    }
    return region.children;
  }
}

/**
 * The keys at the indentation of the first content line in `from..to`, deeper than `parentIndent`;
 * null when a line there is not a simple `key:` (a sequence, a flow collection, an explicit key).
 */
function level(text: string, from: number, to: number, parentIndent: number): Level | null {
  const starts: number[] = [];
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
        if (!isKeyAt(text, i)) return null;
        starts.push(pos);
      }
    }
    pos = eol + 1;
  }
  return starts.length > 0 ? { starts, end: to, indent, made: new Map() } : null;
}

const PLAIN_KEY = /([^\s"'#?[\]{},&*!|>%@`-](?:[^:#\n]|:(?=\S))*?|-(?=\S)(?:[^:#\n]|:(?=\S))*?)[ \t]*:(?:[ \t]|\r?$|\r?\n)/y;
const QUOTED_KEY = /(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)')[ \t]*:(?:[ \t]|\r?$|\r?\n)/y;

/** Whether a `key: ...` line's key starts at `at` (as keyAt reads it, without making the key). */
function isKeyAt(text: string, at: number): boolean {
  PLAIN_KEY.lastIndex = at;
  if (PLAIN_KEY.test(text)) return true;
  return keyAt(text, at) !== undefined;
}

/** The key of the `key: ...` line whose key starts at `at`, or undefined for any other line. */
function keyAt(text: string, at: number): { key: string; keyLength: number } | undefined {
  PLAIN_KEY.lastIndex = at;
  const plain = PLAIN_KEY.exec(text);
  if (plain) return { key: plain[1]!, keyLength: plain[1]!.length };
  QUOTED_KEY.lastIndex = at;
  const quoted = QUOTED_KEY.exec(text);
  if (!quoted) return undefined;
  const keyLength = (quoted[1] ?? quoted[2]!).length + 2;
  if (quoted[2] !== undefined) return { key: quoted[2].replace(/''/g, "'"), keyLength };
  try {
    return { key: JSON.parse(`"${quoted[1]}"`) as string, keyLength };
  } catch {
    return undefined; // a YAML-only escape: the whole Document decides
  }
}

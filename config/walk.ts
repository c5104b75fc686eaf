/**
 * Defensive access to parsed-but-not-yet-valid data: semantic checks run next to schema validation
 * (so that every problem is reported at once) and must not trust the shape of what they read.
 */
import type { PathSeg } from "./source";

export type Rec = Record<string, unknown>;

export function rec(v: unknown): Rec | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : undefined;
}

/** `[key, value]` of a map of entries, only those whose value is a mapping. */
export function entries(v: unknown): [string, Rec][] {
  const r = rec(v);
  if (!r) return [];
  const out: [string, Rec][] = [];
  // for...in rather than Object.entries: no array of every pair first (a map can hold 100,000s).
  for (const k in r) {
    if (!Object.prototype.hasOwnProperty.call(r, k)) continue;
    const er = rec(r[k]);
    if (er) out.push([k, er]);
  }
  return out;
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** Every field that holds a template body (a string or `{file: ...}`), with its path. */
export function* bodyFields(data: unknown): Generator<[PathSeg[], unknown]> {
  const root = rec(data);
  if (!root) return;
  for (const [key, t] of entries(rec(root.mailtrap)?.emailTemplates)) {
    for (const f of ["html", "text"]) if (f in t) yield [["mailtrap", "emailTemplates", key, f], t[f]];
  }
  for (const [tk, t] of entries(rec(root.sendgrid)?.templates)) {
    for (const [vk, v] of entries(t.versions)) {
      for (const f of ["html", "text"]) if (f in v) yield [["sendgrid", "templates", tk, "versions", vk, f], v[f]];
    }
  }
  for (const [key, t] of entries(rec(root.mailjet)?.templates)) {
    const content = rec(t.content);
    if (!content) continue;
    for (const f of ["html", "text", "mjml"])
      if (f in content) yield [["mailjet", "templates", key, "content", f], content[f]];
  }
}

/**
 * Calls `visit` with every string in the data and its path (depth-first, document order). The path
 * array is reused while walking, so that a large file allocates none per string: copy it to keep it.
 */
export function eachString(v: unknown, visit: (path: readonly PathSeg[], s: string) => void, at: PathSeg[] = []): void {
  if (typeof v === "string") visit(at, v);
  else if (Array.isArray(v))
    for (let i = 0; i < v.length; i++) {
      at.push(i);
      eachString(v[i], visit, at);
      at.pop();
    }
  else if (rec(v))
    for (const k in v as Rec) {
      at.push(k);
      eachString((v as Rec)[k], visit, at);
      at.pop();
    }
}

/** Life-cycle options every entry may carry: not fields of the object. */
export const OPTION_NAMES = new Set(["protect", "retainOnDelete", "adopt", "movedFrom"]);

export interface RawEntry {
  segs: PathSeg[];
  /** `staging`, or `staging/qa` for an entry nested under another. */
  key: string;
  parent?: string;
  props: Record<string, unknown>;
  /** The entry as written, options included. */
  raw: Record<string, unknown>;
}

/** Every raw entry under a YAML path such as `mailtrap.projects.*.inboxes` (`*`: a parent's key). */
export function entriesAt(node: unknown, parts: readonly string[]): RawEntry[] {
  const out: RawEntry[] = [];
  eachEntryAt(node, parts, (e) => out.push(e));
  return out;
}

/**
 * Calls `visit` with every raw entry under a YAML path, in file order, one at a time: a file of
 * 100,000s of entries is walked without holding them all (each entry's objects die young).
 */
export function eachEntryAt(
  node: unknown,
  parts: readonly string[],
  visit: (entry: RawEntry) => void,
  segs: PathSeg[] = [],
  parent?: string,
): void {
  const r = rec(node);
  if (!r) return;
  if (parts.length === 0) {
    for (const key in r) {
      if (!Object.prototype.hasOwnProperty.call(r, key)) continue;
      const e = rec(r[key]);
      if (!e) continue;
      const props = Object.fromEntries(Object.entries(e).filter(([f]) => !OPTION_NAMES.has(f)));
      visit({ segs: [...segs, key], key: parent === undefined ? key : `${parent}/${key}`, parent, props, raw: e });
    }
    return;
  }
  const [head, ...rest] = parts;
  if (head === "*") {
    for (const k in r) {
      if (!Object.prototype.hasOwnProperty.call(r, k)) continue;
      if (rec(r[k])) eachEntryAt(r[k], rest, visit, [...segs, k], k);
    }
    return;
  }
  eachEntryAt(r[head!], rest, visit, [...segs, head!], parent);
}

/** The number of entries entriesAt would give, without making them. */
export function countEntriesAt(node: unknown, parts: readonly string[]): number {
  const r = rec(node);
  if (!r) return 0;
  let n = 0;
  if (parts.length === 0) {
    for (const key in r) if (Object.prototype.hasOwnProperty.call(r, key) && rec(r[key])) n++;
    return n;
  }
  const [head, ...rest] = parts;
  if (head !== "*") return countEntriesAt(r[head!], rest);
  for (const k in r) if (Object.prototype.hasOwnProperty.call(r, k)) n += countEntriesAt(r[k], rest);
  return n;
}

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
  for (const [k, e] of Object.entries(r)) {
    const er = rec(e);
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
export const OPTION_NAMES = new Set(["protect", "retainOnDelete", "adopt"]);

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
export function entriesAt(node: unknown, parts: readonly string[], segs: PathSeg[] = [], parent?: string): RawEntry[] {
  if (parts.length === 0) {
    return entries(node).map(([key, e]) => ({
      segs: [...segs, key],
      key: parent === undefined ? key : `${parent}/${key}`,
      parent,
      props: Object.fromEntries(Object.entries(e).filter(([f]) => !OPTION_NAMES.has(f))),
      raw: e,
    }));
  }
  const [head, ...rest] = parts;
  if (head === "*") return entries(node).flatMap(([k, e]) => entriesAt(e, rest, [...segs, k], k));
  return entriesAt(rec(node)?.[head!], rest, [...segs, head!], parent);
}

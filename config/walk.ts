/**
 * Defensive access to parsed-but-not-yet-valid data: semantic checks run next to schema validation
 * (so that every problem is reported at once) and must not trust the shape of what they read. Where
 * entries and bodies are comes from the kinds' `yamlPath`s and the schema, never spelled out here.
 */
import stackSchema from "../schemas/stack.schema.json";
import type { PathSeg } from "./source";

export type Rec = Record<string, unknown>;

export function rec(v: unknown): Rec | undefined {
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Rec) : undefined;
}

const own = (r: Rec, k: string) => Object.prototype.hasOwnProperty.call(r, k);

/** `[key, value]` of a map of entries, only those whose value is a mapping. */
export function entries(v: unknown): [string, Rec][] {
  return Object.entries(rec(v) ?? {}).filter((e): e is [string, Rec] => rec(e[1]) !== undefined);
}

/**
 * The field paths of the schema that take a body (`Body`: text or `{file: path}`), with `*` for an
 * entry's key: `mailtrap.emailTemplates.*.html`, `sendgrid.templates.*.versions.*.text`...
 */
const BODY_PATHS: readonly string[][] = (() => {
  type S = { $ref?: string; properties?: Record<string, S>; additionalProperties?: S | boolean };
  const defs = stackSchema.definitions as unknown as Record<string, S>;
  const out: string[][] = [];
  const walk = (s: S | boolean | undefined, at: string[]) => {
    if (!s || s === true) return;
    const ref = s.$ref?.replace("#/definitions/", "");
    if (ref === "Body") out.push(at);
    else if (ref) walk(defs[ref], at);
    for (const [name, p] of Object.entries(s.properties ?? {})) walk(p, [...at, name]);
    walk(s.additionalProperties, [...at, "*"]);
  };
  walk(stackSchema as unknown as S, []);
  return out;
})();

/** Calls `visit` with each value at a path pattern such as `mailtrap.projects.*.inboxes` (`*`: any key), and its path. */
function eachAt(node: unknown, parts: readonly string[], visit: (segs: PathSeg[], value: unknown) => void, segs: PathSeg[] = []): void {
  const r = rec(node);
  const head = parts[segs.length]!;
  if (!r) return;
  for (const k of head === "*" ? Object.keys(r) : own(r, head) ? [head] : []) {
    segs.push(k);
    if (segs.length === parts.length) visit([...segs], r[k]);
    else eachAt(r[k], parts, visit, segs);
    segs.pop();
  }
}

/** Every field that holds a template body (a string or `{file: ...}`), with its path. */
export function bodyFields(data: unknown): [PathSeg[], unknown][] {
  const out: [PathSeg[], unknown][] = [];
  for (const parts of BODY_PATHS) eachAt(data, parts, (segs, value) => out.push([segs, value]));
  return out;
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
export const OPTION_NAMES = new Set(["protect", "retainOnDelete", "adopt", "movedFrom", "sampleData"]);

export interface RawEntry {
  segs: PathSeg[];
  /** `staging`, or `staging/qa` for an entry nested under another. */
  key: string;
  parent?: string;
  /** The entry as written, options included. */
  raw: Rec;
}

/** An entry's fields as written, options removed. */
export function propsOf(raw: Rec): Rec {
  const props: Rec = {};
  for (const f in raw) if (own(raw, f) && !OPTION_NAMES.has(f)) props[f] = raw[f];
  return props;
}

/**
 * Calls `visit` with every raw entry under a YAML path such as `mailtrap.projects.*.inboxes` (`*`: a
 * parent's key), in file order, one at a time: a large file is walked without holding them all.
 */
export function eachEntryAt(node: unknown, parts: readonly string[], visit: (entry: RawEntry) => void): void {
  const parentAt = parts.lastIndexOf("*");
  eachAt(node, [...parts, "*"], (segs, value) => {
    const raw = rec(value);
    const parent = parentAt < 0 ? undefined : String(segs[parentAt]);
    const key = String(segs[segs.length - 1]);
    if (raw) visit({ segs, key: parent === undefined ? key : `${parent}/${key}`, parent, raw });
  });
}

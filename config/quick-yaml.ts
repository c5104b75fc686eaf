/**
 * The fast reader: js-yaml with the YAML 1.2 core schema exactly as the `yaml` library resolves it
 * (js-yaml's own core schema also reads 0b101 as a number and 1e400 as text), so that both parsers
 * give the same data for the files the fast path accepts.
 */
import * as jsyaml from "js-yaml";

function scalar(tag: string, test: (s: string) => boolean, value: (s: string) => unknown): jsyaml.Type {
  return new jsyaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (s: string | null) => test(s ?? ""),
    construct: (s: string | null) => value(s ?? ""),
  });
}

const INT = /^[-+]?[0-9]+$/;
const INT_OCT = /^0o[0-7]+$/;
const INT_HEX = /^0x[0-9a-fA-F]+$/;
const FLOAT_SPECIAL = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

const CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar("null", (s) => /^(?:~|[Nn]ull|NULL)?$/.test(s), () => null),
    scalar("bool", (s) => /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s), (s) => s[0] === "t" || s[0] === "T"),
    scalar(
      "int",
      (s) => INT.test(s) || INT_OCT.test(s) || INT_HEX.test(s),
      (s) => (INT_OCT.test(s) ? parseInt(s.slice(2), 8) : INT_HEX.test(s) ? parseInt(s.slice(2), 16) : parseInt(s, 10)),
    ),
    scalar(
      "float",
      (s) => FLOAT_SPECIAL.test(s) || FLOAT.test(s),
      (s) => (FLOAT_SPECIAL.test(s) ? (/nan$/i.test(s) ? NaN : s[0] === "-" ? -Infinity : Infinity) : parseFloat(s)),
    ),
  ],
});

/** A mapping in which a key is repeated: where it opens and how deep (0 for the root). */
export interface RepeatedKeys {
  offset: number;
  depth: number;
}

export interface QuickParse {
  /** With a repeated key, the last value, as the `yaml` library reads it too. */
  data: unknown;
  anchors: boolean;
  repeated: RepeatedKeys[];
}

/**
 * The data of a YAML text, its anchors and repeated keys; undefined when js-yaml refuses it (then
 * `refused` is told the offset js-yaml stopped at).
 */
export function quickParse(text: string, refused?: (offset: number) => void): QuickParse | undefined {
  let anchors = false;
  const repeated: RepeatedKeys[] = [];
  // Per open node: where it opened and how many nodes (keys and values) it holds so far.
  const open: { offset: number; children: number }[] = [];
  try {
    const data = jsyaml.load(text, {
      schema: CORE,
      json: true, // a repeated key is reported by the caller, located, rather than thrown unlocated
      listener: (event, state) => {
        const s = state as unknown as { anchor?: string | null; kind?: string | null; result?: unknown; position: number };
        if (event === "open") {
          open.push({ offset: s.position, children: 0 });
          return;
        }
        const node = open.pop()!;
        if (open.length > 0) open[open.length - 1]!.children++;
        if (s.anchor != null) anchors = true;
        if (s.kind === "mapping" && s.result && Object.keys(s.result).length < node.children / 2)
          repeated.push({ offset: node.offset, depth: open.length });
      },
    });
    return { data, anchors, repeated };
  } catch (err) {
    const at = (err as { mark?: { position?: unknown } }).mark?.position;
    if (refused && typeof at === "number") refused(at);
    return undefined;
  }
}

/** An alias written as a key (`*a: ...`), which the two parsers turn into different keys. */
const ALIAS_KEY = /\*[^\s,[\]{}]+[ \t]*:(?:[ \t]|\r?$)/m;

/**
 * For a file with anchors: whether its aliases certainly expand to at most `max` values and none
 * refers to a value that contains it, as checkDocument counts them, judged on js-yaml's data: there
 * an alias of a mapping or list is the same object again (the only way one object is reached
 * twice), and an alias of a scalar adds one value (every `*` of the text is counted as one). False
 * when in doubt: the `yaml` Document then decides, and locates.
 */
export function aliasesWithin(data: unknown, text: string, max: number): boolean {
  if (ALIAS_KEY.test(text)) return false;
  let expanded = 0;
  for (let i = text.indexOf("*"); i >= 0; i = text.indexOf("*", i + 1)) expanded++;
  if (expanded > max) return false;
  const sizes = new Map<object, number>();
  const open = new Set<object>();
  let ok = true;
  // One per scalar, collection, key and value, as checkDocument counts.
  const size = (v: unknown): number => {
    if (!ok || v === null || typeof v !== "object") return 1;
    const known = sizes.get(v);
    if (known !== undefined) {
      expanded += known - 1; // its `*` is counted already
      if (expanded > max) ok = false;
      return known;
    }
    if (open.has(v)) {
      ok = false; // an alias inside the value it refers to
      return 1;
    }
    open.add(v);
    let total = 1;
    if (Array.isArray(v)) for (const item of v) total += size(item);
    else for (const k in v) if (Object.prototype.hasOwnProperty.call(v, k)) total += 1 + size((v as Record<string, unknown>)[k]);
    open.delete(v);
    sizes.set(v, total);
    return total;
  };
  size(data);
  return ok;
}

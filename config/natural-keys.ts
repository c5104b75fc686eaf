/**
 * Two entries that would be the same vendor object (the same natural key, as each kind defines
 * it) are refused before any call: otherwise both would create it, or both adopt the same one.
 * Walks every kind's entries in the raw data, so the error points at the second entry's line.
 */
import { KINDS } from "../providers/kinds";
import { compact } from "../providers/resource";
import type { PathSeg, Problem } from "./source";
import { eachEntryAt, rec, type RawEntry } from "./walk";

type Report = (segs: PathSeg[], target: "key" | "value", p: Omit<Problem, "path">) => void;

export function checkNaturalKeys(data: unknown, report: Report): void {
  const mailtrapApiVersion = String(rec(rec(data)?.mailtrap)?.apiVersion ?? "v2");
  for (const def of KINDS) {
    const parts = def.yamlPath.split(".");
    const keysOf = (entry: RawEntry): { keys: string[]; normalized: Record<string, unknown> } | undefined => {
      try {
        // References stand for the entry they name: two inboxes of one project share its id.
        const inputs = def.inputsOf(
          { kind: def.entryKind, key: entry.key, address: entry.segs.join("."), props: entry.props, parent: entry.parent },
          (_kind, refKey) => refKey,
          { mailtrapApiVersion, children: () => [] },
        );
        const normalized = def.normalize(compact(inputs));
        const keys = [def.naturalKey(normalized), def.alsoUnique?.(normalized)].filter((k): k is string => k !== undefined);
        return { keys, normalized };
      } catch {
        return undefined; // an entry the schema refuses anyway
      }
    };
    // First a hash of every key, kept as a number: a file of 100,000s of entries is walked one
    // entry at a time and keeps no key. Only when two hashes are equal are the keys that have
    // them compared, in a second walk.
    const hashes: number[] = [];
    eachEntryAt(data, parts, (entry) => {
      for (const key of keysOf(entry)?.keys ?? []) hashes.push(hash53(key));
    });
    const sorted = Float64Array.from(hashes).sort();
    const candidates = new Set<number>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) candidates.add(sorted[i]!);
    if (candidates.size === 0) continue;

    const seen = new Map<string, string>();
    eachEntryAt(data, parts, (entry) => {
      const found = keysOf(entry);
      if (!found) return;
      const { keys, normalized } = found;
      for (const [i, key] of keys.entries()) {
        if (!candidates.has(hash53(key))) continue;
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, entry.segs.join("."));
          continue;
        }
        // Point at the field the key is made of: named in it, or its value quoted in it.
        const field = Object.keys(entry.props).find((f) => {
          const v = normalized[f];
          return key.includes(f) || ((typeof v === "string" || typeof v === "number") && key.includes(`"${v}"`));
        });
        report(field ? [...entry.segs, field] : entry.segs, field ? "value" : "key", {
          code: "DUPLICATE_NAME",
          problem:
            i === 0
              ? `${entry.segs.join(".")} and ${first} would be the same ${def.title}: both have ${key}`
              : `${entry.segs.join(".")} and ${first} both have ${key}; the vendor allows one`,
          fix:
            i === 0
              ? `a ${def.title} is identified by this at the vendor: change it on one of them, or remove one`
              : `keep it on one of them only`,
        });
      }
    });
  }
}

/** A 53-bit hash of a string (two 32-bit FNV-1a style hashes, one cut to 21 bits), exact as a number. */
function hash53(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  return (h1 >>> 0) * 0x200000 + (h2 >>> 11);
}

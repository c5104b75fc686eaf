/**
 * Two entries that would be the same vendor object (the same natural key, as each kind defines
 * it) are refused before any call: otherwise both would create it, or both adopt the same one.
 * Walks every kind's entries in the raw data, so the error points at the second entry's line.
 */
import { KINDS } from "../providers/kinds";
import { compact } from "../providers/resource";
import type { PathSeg, Problem } from "./source";
import { eachEntryAt, rec } from "./walk";

type Report = (segs: PathSeg[], target: "key" | "value", p: Omit<Problem, "path">) => void;

export function checkNaturalKeys(data: unknown, report: Report): void {
  const mailtrapApiVersion = String(rec(rec(data)?.mailtrap)?.apiVersion ?? "v2");
  for (const def of KINDS) {
    const parts = def.yamlPath.split(".");
    // Each key with the index of the first entry that has it (a small integer, not its path): a
    // file of 100,000s of entries is walked one entry at a time, keeping little more than the
    // keys. The paths of the first entries are found by a second walk, only when one repeats.
    const seen = new Map<string, number>();
    const repeats: { first: number; emit: (first: string) => void }[] = [];
    let index = 0;
    eachEntryAt(data, parts, (entry) => {
      const at = index++;
      let keys: string[];
      let normalized: Record<string, unknown>;
      try {
        // References stand for the entry they name: two inboxes of one project share its id.
        const inputs = def.inputsOf(
          { kind: def.entryKind, key: entry.key, address: entry.segs.join("."), props: entry.props, parent: entry.parent },
          (_kind, refKey) => refKey,
          { mailtrapApiVersion, children: () => [] },
        );
        normalized = def.normalize(compact(inputs));
        keys = [def.naturalKey(normalized), def.alsoUnique?.(normalized)].filter((k): k is string => k !== undefined);
      } catch {
        return; // an entry the schema refuses anyway
      }
      for (const [i, key] of keys.entries()) {
        const first = seen.get(key);
        if (first === undefined) {
          seen.set(key, at);
          continue;
        }
        // Point at the field the key is made of: named in it, or its value quoted in it.
        const field = Object.keys(entry.props).find((f) => {
          const v = normalized[f];
          return key.includes(f) || ((typeof v === "string" || typeof v === "number") && key.includes(`"${v}"`));
        });
        repeats.push({
          first,
          emit: (firstPath) =>
            report(field ? [...entry.segs, field] : entry.segs, field ? "value" : "key", {
              code: "DUPLICATE_NAME",
              problem:
                i === 0
                  ? `${entry.segs.join(".")} and ${firstPath} would be the same ${def.title}: both have ${key}`
                  : `${entry.segs.join(".")} and ${firstPath} both have ${key}; the vendor allows one`,
              fix:
                i === 0
                  ? `a ${def.title} is identified by this at the vendor: change it on one of them, or remove one`
                  : `keep it on one of them only`,
            }),
        });
      }
    });
    if (repeats.length === 0) continue;
    const firstPaths = new Map<number, string>(repeats.map((r) => [r.first, ""]));
    index = 0;
    eachEntryAt(data, parts, (entry) => {
      const at = index++;
      if (firstPaths.has(at)) firstPaths.set(at, entry.segs.join("."));
    });
    for (const r of repeats) r.emit(firstPaths.get(r.first)!);
  }
}

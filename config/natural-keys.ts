/**
 * Two entries that would be the same vendor object (the same natural key, as each kind defines
 * it) are refused before any call: otherwise both would create it, or both adopt the same one.
 * Walks every kind's entries in the raw data, so the error points at the second entry's line.
 */
import { KINDS } from "../providers/kinds";
import { compact } from "../providers/resource";
import type { PathSeg, Problem } from "./source";
import { entries, rec } from "./walk";

const OPTIONS = new Set(["protect", "retainOnDelete", "adopt"]);

type Report = (segs: PathSeg[], target: "key" | "value", p: Omit<Problem, "path">) => void;

interface RawEntry {
  segs: PathSeg[];
  /** `staging`, or `staging/qa` for an entry nested under another. */
  key: string;
  parent?: string;
  props: Record<string, unknown>;
}

/** Every raw entry under a YAML path such as `mailtrap.projects.*.inboxes` (`*`: a parent's key). */
function entriesAt(node: unknown, parts: readonly string[], segs: PathSeg[] = [], parent?: string): RawEntry[] {
  if (parts.length === 0) {
    return entries(node).map(([key, e]) => ({
      segs: [...segs, key],
      key: parent === undefined ? key : `${parent}/${key}`,
      parent,
      props: Object.fromEntries(Object.entries(e).filter(([f]) => !OPTIONS.has(f))),
    }));
  }
  const [head, ...rest] = parts;
  if (head === "*") return entries(node).flatMap(([k, e]) => entriesAt(e, rest, [...segs, k], k));
  return entriesAt(rec(node)?.[head!], rest, [...segs, head!], parent);
}

export function checkNaturalKeys(data: unknown, report: Report): void {
  const mailtrapApiVersion = String(rec(rec(data)?.mailtrap)?.apiVersion ?? "v2");
  for (const def of KINDS) {
    const seen = new Map<string, string>();
    for (const entry of entriesAt(data, def.yamlPath.split("."))) {
      let key: string;
      try {
        // References stand for the entry they name: two inboxes of one project share its id.
        const inputs = def.inputsOf(
          { kind: def.entryKind, key: entry.key, address: entry.segs.join("."), props: entry.props, parent: entry.parent },
          (_kind, refKey) => refKey,
          { mailtrapApiVersion, children: () => [] },
        );
        key = def.naturalKey(def.normalize(compact(inputs)));
      } catch {
        continue; // an entry the schema refuses anyway
      }
      const first = seen.get(key);
      if (first === undefined) {
        seen.set(key, entry.segs.join("."));
        continue;
      }
      const at = "name" in entry.props ? [...entry.segs, "name"] : entry.segs;
      report(at, "name" in entry.props ? "value" : "key", {
        code: "DUPLICATE_NAME",
        problem: `${entry.segs.join(".")} and ${first} would be the same ${def.title}: both have ${key}`,
        fix: `a ${def.title} is identified by this at the vendor: change it on one of them, or remove one`,
      });
    }
  }
}

/**
 * What a kind says for `mailform export` (cli/export.ts): how to list every live object of the
 * kind, and how one becomes a stack-file entry. The generic loop gives entries their keys, writes
 * bodies to files and sets `adopt: true`; a kind only maps fields.
 */
import type { LiveObject } from "./resource";

/** Keys already given to exported objects of other kinds, by vendor id (for references). */
export interface ExportRefs {
  /** The key of the exported object of `entryKind` with this id (`project/inbox` for an inbox). */
  key(entryKind: string, id: string): string | undefined;
}

export interface ExportedEntry {
  /** The name the entry's key is derived from (slugified, made unique). */
  label: string;
  /** The entry's fields under their YAML names; `html`, `text` and `mjml` bodies go to files. */
  fields: Record<string, unknown>;
  /** Vendor id of the object this entry is declared under (an inbox's project). */
  parentId?: string;
  /** Fields that hold a map of keyed sub-entries (a SendGrid template's versions), keyed like entries. */
  keyed?: Record<string, { label: string; fields: Record<string, unknown> }[]>;
}

/** An object mailform cannot represent, with the reason (listed in the file's header comment). */
export interface Unrepresentable {
  label: string;
  reason: string;
}

export interface ExportSpec<I, O> {
  /** Every live object of the kind, complete enough for `entry`. */
  list(): Promise<LiveObject<I, O>[]>;
  entry(live: LiveObject<I, O>, refs: ExportRefs): ExportedEntry | Unrepresentable;
}

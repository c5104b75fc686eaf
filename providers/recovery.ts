/**
 * Recovery mode, set by `mailform recover` for the one `pulumi up` it runs after an interrupted
 * run. The variable names a JSON file (`PendingCreates`) listing the creates the engine had
 * recorded as pending when the run was killed: only a create of one of those (same resource type,
 * same natural key) may take over the one object found under its natural key, as the object the
 * killed run made but could not record (or, for a key or token whose secret only the killed run
 * saw, delete and make it again). Every other create of the recovering run behaves as in a normal
 * `up`: an existing object with its natural key is an error unless the entry says `adopt: true`.
 * The provider process inherits the variable from the CLI; nothing else sets it.
 */
import * as fs from "node:fs";

export const RECOVER_ENV = "MAILFORM_RECOVER";

/** One create the engine recorded as pending (`pending_operations` of type "creating"). */
export interface PendingCreate {
  urn: string;
  /** The resource type token, `pulumi-nodejs:dynamic/<module>:<type>`. */
  type: string;
  /** The inputs the engine sent to the create, as exported (secrets stay encrypted). */
  inputs: Record<string, unknown>;
}

/** The file `mailform recover` hands the recovering run. */
export interface PendingCreates {
  creates: PendingCreate[];
}

export function recovering(): boolean {
  return !!process.env[RECOVER_ENV];
}

let loaded: { file: string; creates: PendingCreate[] } | undefined;

/** The pending creates of the interrupted run, read once per process; none outside recovery mode. */
export function pendingCreates(): PendingCreate[] {
  const file = process.env[RECOVER_ENV];
  if (!file) return [];
  if (loaded?.file !== file) {
    let parsed: PendingCreates;
    try {
      parsed = JSON.parse(fs.readFileSync(file, "utf8")) as PendingCreates;
    } catch (e) {
      throw new Error(`recovery mode: cannot read the interrupted run's pending creates from ${file} (${(e as Error).message}); run mailform recover again`);
    }
    loaded = { file, creates: Array.isArray(parsed.creates) ? parsed.creates : [] };
  }
  return loaded.creates;
}

/**
 * Whether a create of `kind` (`<module>:<type>`) with natural key `key` is one the interrupted run
 * left pending. `keyOf` computes the natural key of a pending create's inputs as the kind does; a
 * pending create whose key cannot be computed (an encrypted field) matches nothing.
 */
export function leftPending(kind: string, key: string, keyOf: (inputs: Record<string, unknown>) => string): boolean {
  const type = `pulumi-nodejs:dynamic/${kind}`;
  return pendingCreates().some((op) => {
    if (op.type !== type) return false;
    try {
      return keyOf(op.inputs) === key;
    } catch {
      return false;
    }
  });
}

/**
 * Recovery mode, set by `mailform recover` for the one `pulumi up` it runs after an interrupted
 * run: a create that finds exactly one object under its natural key takes it over, as the object
 * the killed run made but could not record. The provider process inherits the variable from the
 * CLI; nothing else sets it.
 */
export const RECOVER_ENV = "MAILFORM_RECOVER";

export function recovering(): boolean {
  return process.env[RECOVER_ENV] === "1";
}

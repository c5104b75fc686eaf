/**
 * The YAML front end: `stacks/<stack>.yaml` in, a ResolvedStack (or every located problem) out. See
 * docs/stack-format.md for the format and schemas/stack.schema.json for its definition.
 */
export { loadStack, loadStackText, MAX_STACK_BYTES, type LoadOptions, type LoadResult, type StackConfigLookup } from "./load";
export { entryInputs, type Pending, type ResolvedEntry, type ResolvedStack, type ResourceOptions } from "./resolve";
export { ERROR_CODES, StackError, formatErrors, sortErrors, type ErrorCode, type Severity } from "./errors";
export { STACK_SCHEMA, KNOWN_SENDGRID_SCOPES, stackValidator } from "./schema";
export type * as RawStack from "./stack.generated";

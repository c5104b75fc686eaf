/**
 * The YAML front end: `stacks/<stack>.yaml` in, a typed ResolvedStack (or every located problem)
 * out. See docs/stack-format.md for the format and schemas/stack.schema.json for its definition.
 */
export { checkStack, loadStack, loadStackText } from "./load";
export { ERROR_CODES, StackError, formatErrors, sortErrors, type ErrorCode, type Severity } from "./errors";
export { STACK_SCHEMA, KNOWN_SENDGRID_SCOPES, stackValidator } from "./schema";
export { MAILJET_EDIT_MODES, MAILTRAP_ACCESS_LEVELS } from "./types";
export type * from "./types";
export type * as RawStack from "./stack.generated";

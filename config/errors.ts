/**
 * The one error type of the YAML front end and its one printer.
 *
 * Every problem found in a stack file, from a YAML syntax error to a pasted secret, is a
 * `StackError` with a code from a closed set, a position (file, line, column), the field path, what
 * is wrong and what to do about it. Warnings are the same type with `severity: "warning"`.
 */

/** The closed set of codes (docs/stack-format.md says what each means). */
export const ERROR_CODES = [
  "STACK_UNREADABLE", // missing, a directory, not UTF-8, a link out of its directory, over the size cap
  "YAML_SYNTAX", // not well-formed YAML, several documents, aliases that expand too far
  "DUPLICATE_KEY", // the same key twice in one mapping
  "NESTING_TOO_DEEP", // collections nested deeper than any stack needs
  "EMPTY_STACK", // the file declares nothing
  "UNKNOWN_FIELD", // a section or field the format does not have
  "MISSING_FIELD", // a required field is absent
  "WRONG_TYPE", // a list where a mapping belongs, a number where text belongs...
  "INVALID_KEY", // an entry key that is not a valid stable key
  "INVALID_VALUE", // a value outside its allowed set or shape
  "INVALID_LENGTH", // text or a list too short or too long
  "CONFLICTING_FIELDS", // two fields that exclude each other
  "DUPLICATE_VALUE", // the same value listed twice where each must be unique
  "DUPLICATE_NAME", // two entries that would be one vendor object
  "DANGLING_REFERENCE", // a reference to a key this file does not define
  "MULTIPLE_ACTIVE_VERSIONS", // more than one active version of a SendGrid template
  "UNSUPPORTED_FIELD", // a field the context does not support, or ignores
  "INCLUDE_NOT_FOUND", // a {file: ...} that does not exist
  "INCLUDE_OUTSIDE_STACK_DIR", // a {file: ...} outside the stack file's directory tree
  "INCLUDE_UNREADABLE", // a {file: ...} that cannot be read as UTF-8 text
  "CONTENT_TOO_LARGE", // a body over the vendor's size limit
  "PASTED_SECRET", // a value that looks like a credential
  "STACK_CONFIG", // a stack config key an entry names for a secret is not set, or not as a secret
  "UNKNOWN_SCOPE", // a SendGrid scope that is not a known one
  "MOVED_FROM_DECLARED", // movedFrom names a key still declared, or the entry's own
  "MOVED_FROM_TWICE", // two entries claim to have been renamed from one key
  "TEMPLATE_SYNTAX", // a template that does not compile (Handlebars, Mailjet's language, MJML), or a helper the vendor lacks
  "TEMPLATE_UNSUPPORTED", // Mailjet template language mailform cannot preview
  "TEMPLATE_UNDEFINED_VARIABLE", // a variable the sample data lacks, used without a default
  "TEMPLATE_NO_TEXT", // an HTML body without a text part
  "TEMPLATE_INSECURE_LINK", // an http:// link or image
  "TEMPLATE_EMPTY_LINK", // an anchor without href
  "TEMPLATE_IMAGE_NO_ALT", // an image without alt text
  "TEMPLATE_LIMIT", // more templates than the vendor's documented cap
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type Severity = "error" | "warning";

export interface StackErrorInit {
  code: ErrorCode;
  severity?: Severity;
  /** File as shown to the user (relative to the working directory when inside it). */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Field path such as `mailtrap.projects.staging.name`; empty for the whole file. */
  path: string;
  /** What is wrong, e.g. `must be at least 2 characters long`. */
  problem: string;
  /** What to do, e.g. `give the project a name of 2 to 100 characters`. */
  fix: string;
  /** Text of the offending line, shown under the message. */
  sourceLine?: string;
  /** Width of the caret underline. */
  span?: number;
}

export interface StackError extends Readonly<Required<Omit<StackErrorInit, "sourceLine">>> {
  readonly sourceLine: string | undefined;
}

export class StackError extends Error {
  constructor(init: StackErrorInit) {
    super(`${init.file}:${init.line}:${init.column} ${init.path ? `${init.path}: ` : ""}${init.problem}`);
    const { code, file, line, column, path, problem, fix, sourceLine } = init;
    Object.assign(this, { code, severity: init.severity ?? "error", file, line, column, path, problem, fix, sourceLine, span: Math.max(1, init.span ?? 1) });
    this.name = "StackError";
  }

  /** `file:line:column`. */
  get location(): string {
    return `${this.file}:${this.line}:${this.column}`;
  }
}

/** Orders errors by file, then position, so that output reads top to bottom. */
export function sortErrors(errors: readonly StackError[]): StackError[] {
  return [...errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path));
}

/**
 * Prints errors (and warnings) for a terminal or a CI log:
 *
 * ```
 * stacks/dev.yaml:12:13  error  mailtrap.projects.staging.name: must be at least 2 characters long
 *    12 |       name: S
 *       |             ^
 *   fix: give the project a name of 2 to 100 characters
 * ```
 */
export function formatErrors(errors: readonly StackError[]): string {
  return sortErrors(errors).map(formatOne).join("\n\n") + (errors.length > 0 ? "\n" : "");
}

function formatOne(e: StackError): string {
  const head = `${e.location}  ${e.severity}  ${e.path ? `${e.path}: ` : ""}${e.problem}`;
  const lines = [head];
  if (e.sourceLine !== undefined) {
    const { text, column } = excerpt(printable(e.sourceLine), e.column);
    const gutter = String(e.line).length;
    const pad = " ".repeat(gutter);
    const span = Math.max(1, Math.min(e.span, text.length - (column - 1)));
    lines.push(`   ${String(e.line)} | ${text}`);
    lines.push(`   ${pad} | ${" ".repeat(Math.max(0, column - 1))}${"^".repeat(span)}`);
  }
  lines.push(`  fix: ${e.fix}`);
  return lines.join("\n");
}

/**
 * The line as a terminal can show it without being driven by it: tabs as spaces, control
 * characters as their visible symbols (one character each, so columns still line up).
 */
export function printable(line: string): string {
  return line
    .replace(/\r$/, "")
    .replace(/\t/g, " ")
    .replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x20 ? String.fromCharCode(0x2400 + code) : code === 0x7f ? "\u2421" : "\ufffd";
    });
}

/** Longest source line printed; a longer one is cut around the column (a minified or generated line). */
export const MAX_SHOWN_LINE = 120;

function excerpt(text: string, column: number): { text: string; column: number } {
  if (text.length <= MAX_SHOWN_LINE) return { text, column };
  const from = Math.max(0, Math.min(column - 1 - 40, text.length - MAX_SHOWN_LINE));
  const to = from + MAX_SHOWN_LINE;
  const before = from > 0 ? "…" : "";
  const after = to < text.length ? "…" : "";
  return { text: before + text.slice(from, to) + after, column: column - from + before.length };
}

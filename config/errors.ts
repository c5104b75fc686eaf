/**
 * The one error type of the YAML front end and its one printer.
 *
 * Every problem found in a stack file, from a YAML syntax error to a pasted secret, is a
 * `StackError` with a code from a closed set, a position (file, line, column), the field path, what
 * is wrong and what to do about it. Warnings are the same type with `severity: "warning"`.
 */

export const ERROR_CODES = [
  /** The stack file itself cannot be read (missing, a directory, not UTF-8, a link out of its directory). */
  "STACK_UNREADABLE",
  /** The file is not well-formed YAML, or holds more than one document. */
  "YAML_SYNTAX",
  /** The same key appears twice in one YAML mapping. */
  "DUPLICATE_KEY",
  /** Collections nested deeper than any stack needs (a hostile or generated-by-mistake file). */
  "NESTING_TOO_DEEP",
  /** The file declares nothing at all. */
  "EMPTY_STACK",
  /** A field or section the format does not have (often a typo). */
  "UNKNOWN_FIELD",
  /** A required field is absent. */
  "MISSING_FIELD",
  /** A value of the wrong type (a list where a mapping belongs, a number where text belongs...). */
  "WRONG_TYPE",
  /** An entry key that is not a valid stable key. */
  "INVALID_KEY",
  /** A value outside its allowed set or shape (enum, pattern). */
  "INVALID_VALUE",
  /** A string or list that is too short or too long. */
  "INVALID_LENGTH",
  /** Two fields that exclude each other are both given. */
  "CONFLICTING_FIELDS",
  /** The same value listed twice where each must be unique. */
  "DUPLICATE_VALUE",
  /** Two objects whose names the vendor requires to be unique share one. */
  "DUPLICATE_NAME",
  /** A reference to a key that is not defined in this file. */
  "DANGLING_REFERENCE",
  /** More than one active version of a SendGrid template. */
  "MULTIPLE_ACTIVE_VERSIONS",
  /** A field that has no effect, or no support, in this context (e.g. Mailtrap API v1). */
  "UNSUPPORTED_FIELD",
  /** A `{file: ...}` include that does not exist. */
  "INCLUDE_NOT_FOUND",
  /** A `{file: ...}` include that points outside the stack file's directory tree. */
  "INCLUDE_OUTSIDE_STACK_DIR",
  /** A `{file: ...}` include that exists but cannot be read as UTF-8 text. */
  "INCLUDE_UNREADABLE",
  /** Content larger than the vendor accepts. */
  "CONTENT_TOO_LARGE",
  /** A value that looks like a credential pasted into the file. */
  "PASTED_SECRET",
  /** A SendGrid scope that is not a known scope. */
  "UNKNOWN_SCOPE",
  /** `movedFrom` names a key that is still declared, or the entry's own. */
  "MOVED_FROM_DECLARED",
  /** Two entries claim to have been renamed from one key. */
  "MOVED_FROM_TWICE",
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

export class StackError extends Error {
  readonly code: ErrorCode;
  readonly severity: Severity;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly problem: string;
  readonly fix: string;
  readonly sourceLine: string | undefined;
  readonly span: number;

  constructor(init: StackErrorInit) {
    super(`${init.file}:${init.line}:${init.column} ${init.path ? `${init.path}: ` : ""}${init.problem}`);
    this.name = "StackError";
    this.code = init.code;
    this.severity = init.severity ?? "error";
    this.file = init.file;
    this.line = init.line;
    this.column = init.column;
    this.path = init.path;
    this.problem = init.problem;
    this.fix = init.fix;
    this.sourceLine = init.sourceLine;
    this.span = Math.max(1, init.span ?? 1);
  }

  /** `file:line:column`. */
  get location(): string {
    return `${this.file}:${this.line}:${this.column}`;
  }
}

/** Orders errors by file, then position, so that output reads top to bottom. */
export function sortErrors(errors: readonly StackError[]): StackError[] {
  return [...errors].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path),
  );
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

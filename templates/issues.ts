/** A problem found in one template part, at an offset of its source text. */
export interface TemplateIssue {
  /** One of the stack format's codes (config/errors.ts). */
  code: "TEMPLATE_SYNTAX" | "TEMPLATE_UNSUPPORTED" | "TEMPLATE_UNDEFINED_VARIABLE" | "TEMPLATE_NO_TEXT" | "TEMPLATE_INSECURE_LINK" | "TEMPLATE_EMPTY_LINK" | "TEMPLATE_IMAGE_NO_ALT" | "TEMPLATE_LIMIT";
  severity: "error" | "warning";
  /** Offset into the part's source (0 when the problem is the whole part). */
  offset: number;
  problem: string;
  fix: string;
}

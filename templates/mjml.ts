/**
 * MJML bodies: a body file ending in `.mjml` is compiled to HTML (the `mjml` package, strict
 * validation) before anything else sees it; the compiled HTML is what is uploaded, stored and
 * diffed. Loaded on first use, so stacks without MJML never load it.
 */
export interface MjmlProblem {
  line: number;
  /** 1-based; at the offending tag when the line shows it. */
  column: number;
  message: string;
}

export function compileMjml(source: string): { html: string } | { problems: MjmlProblem[] } {
  const mjml2html = require("mjml") as (s: string, o: object) => { html: string; errors: { line: number; message: string; tagName?: string }[] };
  try {
    const out = mjml2html(source, { validationLevel: "strict", keepComments: false });
    return { html: out.html };
  } catch (err) {
    const e = err as Error & { errors?: { line: number; message: string; tagName?: string }[] };
    const lines = source.split("\n");
    const problems = (e.errors ?? []).map((p) => {
      const text = lines[p.line - 1] ?? "";
      const at = p.tagName ? text.indexOf(`<${p.tagName}`) : -1;
      return { line: p.line || 1, column: at >= 0 ? at + 1 : Math.max(1, text.search(/\S/) + 1), message: p.message };
    });
    return { problems: problems.length > 0 ? problems : [{ line: 1, column: 1, message: e.message.trim() || "not MJML" }] };
  }
}

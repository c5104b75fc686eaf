/**
 * Handlebars as SendGrid dynamic templates and Mailtrap templates run it: the `handlebars` package
 * with the helpers each vendor documents. SendGrid ("Using Handlebars"): the built-ins
 * (if, unless, each, with, lookup) plus equals, notEquals, greaterThan, lessThan, and, or, length,
 * formatDate and insert. Mailtrap documents plain Handlebars: the built-ins only.
 */
import Handlebars from "handlebars";
import type { TemplateIssue } from "./issues";

export type HandlebarsDialect = "sendgrid" | "mailtrap";

type Options = Handlebars.HelperOptions;
const isOptions = (v: unknown): v is Options => typeof v === "object" && v !== null && "fn" in v && "hash" in v;

/** A block helper that renders its block or its `{{else}}` by a test of its arguments. */
const conditional =
  (test: (...args: unknown[]) => boolean) =>
  function (this: unknown, ...args: unknown[]) {
    const options = args.pop() as Options;
    return test(...args) ? options.fn(this) : options.inverse(this);
  };

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/**
 * SendGrid's `formatDate date format [timezoneOffset]`: the date (ISO 8601 or epoch seconds) in the
 * format tokens SendGrid lists (YYYY, YY, MMMM, MMM, MM, M, DD, D, dddd, ddd, HH, H, hh, h, mm, m,
 * ss, s, A, a, Z), shifted by the offset ("-0800"). Anything else in the format is kept as written.
 */
export function formatDate(value: unknown, format: string, offset?: string): string {
  const date = typeof value === "number" ? new Date(value * 1000) : new Date(String(value));
  if (Number.isNaN(date.getTime())) return "";
  const m = offset ? /^([+-])(\d{2}):?(\d{2})$/.exec(offset) : null;
  const minutes = m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  const d = new Date(date.getTime() + minutes * 60_000);
  const h = d.getUTCHours();
  const tokens: Record<string, string> = {
    YYYY: String(d.getUTCFullYear()),
    YY: pad(d.getUTCFullYear() % 100),
    MMMM: MONTHS[d.getUTCMonth()]!,
    MMM: MONTHS[d.getUTCMonth()]!.slice(0, 3),
    MM: pad(d.getUTCMonth() + 1),
    M: String(d.getUTCMonth() + 1),
    DD: pad(d.getUTCDate()),
    D: String(d.getUTCDate()),
    dddd: DAYS[d.getUTCDay()]!,
    ddd: DAYS[d.getUTCDay()]!.slice(0, 3),
    HH: pad(h),
    H: String(h),
    hh: pad(h % 12 || 12),
    h: String(h % 12 || 12),
    mm: pad(d.getUTCMinutes()),
    m: String(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds()),
    s: String(d.getUTCSeconds()),
    A: h < 12 ? "AM" : "PM",
    a: h < 12 ? "am" : "pm",
    Z: m ? `${m[1]}${m[2]}:${m[3]}` : "+00:00",
  };
  return format.replace(/YYYY|YY|MMMM|MMM|MM|M|DD|D|dddd|ddd|HH|H|hh|h|mm|m|ss|s|A|a|Z/g, (t) => tokens[t]!);
}

function sendgridEnvironment(): typeof Handlebars {
  const hb = Handlebars.create();
  hb.registerHelper({
    equals: conditional((a, b) => a == b), // SendGrid compares loosely: "1" equals 1
    notEquals: conditional((a, b) => a != b),
    greaterThan: conditional((a, b) => Number(a) > Number(b)),
    lessThan: conditional((a, b) => Number(a) < Number(b)),
    and: conditional((...args) => args.every(Boolean)),
    or: conditional((...args) => args.some(Boolean)),
    length: (value: unknown) => (Array.isArray(value) || typeof value === "string" ? value.length : 0),
    formatDate: (value: unknown, format: unknown, ...rest: unknown[]) =>
      formatDate(value, typeof format === "string" ? format : "", typeof rest[0] === "string" && !isOptions(rest[0]) ? rest[0] : undefined),
    // {{insert name "default=Customer"}}: the value, or the default when it is missing or empty.
    insert: (value: unknown, ...rest: unknown[]) => {
      const fallback = rest.find((r): r is string => typeof r === "string" && r.startsWith("default="));
      return value === undefined || value === null || value === "" ? (fallback?.slice("default=".length) ?? "") : value;
    },
  });
  return hb;
}

const environments: Partial<Record<HandlebarsDialect, typeof Handlebars>> = {};
const environment = (d: HandlebarsDialect) => (environments[d] ??= d === "sendgrid" ? sendgridEnvironment() : Handlebars.create());

/** Helpers each dialect knows: a block or call of anything else is a helper the vendor lacks. */
export function knownHelpers(dialect: HandlebarsDialect): Set<string> {
  return new Set(Object.keys(environment(dialect).helpers));
}

/**
 * The parser's errors carry their position only in the text of the message; this keeps the
 * position jison knows (line 1-based, column 0-based) on the error it throws.
 */
interface JisonHash {
  loc?: { first_line: number; first_column: number };
}
const parser = (Handlebars as unknown as { Parser: unknown }).Parser as { parseError: (message: string, hash: JisonHash) => never };
parser.parseError = (message, hash) => {
  throw Object.assign(new Error(message), { loc: hash.loc });
};

type Node = hbs.AST.Node & Record<string, unknown>;

/** The template's syntax tree, or the located syntax error (offset into `source`). */
export function parseHandlebars(source: string): { ast: hbs.AST.Program } | { issue: TemplateIssue } {
  try {
    return { ast: Handlebars.parse(source) };
  } catch (err) {
    const e = err as Error & { loc?: { first_line: number; first_column: number }; lineNumber?: number; column?: number };
    const line = e.loc?.first_line ?? e.lineNumber ?? 1;
    const column = e.loc?.first_column ?? e.column ?? 0;
    const first = e.message.split("\n")[0]!.replace(/ on line \d+:?$/, "").replace(/ - \d+:\d+$/, "");
    const expected = /got '(\w+)'/.exec(e.message)?.[1];
    return {
      issue: {
        code: "TEMPLATE_SYNTAX",
        severity: "error",
        offset: offsetOf(source, line, column),
        problem: `Handlebars: ${first}${expected ? ` (unexpected ${expected === "EOF" ? "end of template" : expected.toLowerCase()})` : ""}`,
        fix: "close each {{...}} with }} and each {{#block}} with its {{/block}}",
      },
    };
  }
}

/** The offset of a 1-based line and 0-based column. */
export function offsetOf(source: string, line: number, column: number): number {
  let at = 0;
  for (let l = 1; l < line; l++) {
    const next = source.indexOf("\n", at);
    if (next < 0) break;
    at = next + 1;
  }
  return Math.min(source.length, at + column);
}

export interface VariableUse {
  /** Dotted path from the data root, e.g. `order.total`. */
  name: string;
  offset: number;
  /** Given a fallback where it is used (`insert name "default=..."`). */
  hasDefault: boolean;
}

/**
 * Variables read from the data root: paths in mustaches, helper arguments and block parameters,
 * outside blocks that change the context (`each`, `with`), where names are the items' own.
 */
export function handlebarsVariables(ast: hbs.AST.Program, source: string, dialect: HandlebarsDialect): VariableUse[] {
  const helpers = knownHelpers(dialect);
  const out: VariableUse[] = [];
  const locOf = (n: Node) => {
    const loc = n.loc as hbs.AST.SourceLocation | undefined;
    return loc ? offsetOf(source, loc.start.line, loc.start.column) : 0;
  };
  const visitPath = (p: Node, hasDefault: boolean, inScope: boolean) => {
    if (p.type !== "PathExpression" || !inScope) return;
    const path = p as unknown as hbs.AST.PathExpression;
    if (path.data || path.depth > 0 || path.parts.length === 0 || path.original.startsWith("this") || path.original.startsWith(".")) return;
    out.push({ name: path.parts.join("."), offset: locOf(p), hasDefault });
  };
  const visitCall = (n: Node, inScope: boolean) => {
    const call = n as unknown as hbs.AST.MustacheStatement;
    const pathNode = call.path as unknown as Node;
    const isHelper = call.params.length > 0 || (pathNode.type === "PathExpression" && helpers.has((call.path as hbs.AST.PathExpression).original));
    const name = pathNode.type === "PathExpression" ? (call.path as hbs.AST.PathExpression).original : "";
    if (!isHelper) visitPath(pathNode, false, inScope);
    for (const param of call.params as unknown as Node[]) {
      if (param.type === "SubExpression") visitCall(param, inScope);
      else visitPath(param, name === "insert", inScope);
    }
  };
  const walk = (program: hbs.AST.Program | undefined, inScope: boolean) => {
    for (const s of program?.body ?? []) {
      const n = s as unknown as Node;
      if (n.type === "MustacheStatement") visitCall(n, inScope);
      else if (n.type === "BlockStatement") {
        const block = s as hbs.AST.BlockStatement;
        visitCall(n, inScope);
        const name = (block.path as hbs.AST.PathExpression).original;
        const changesContext = name === "each" || name === "with" || !helpers.has(name);
        walk(block.program, inScope && !changesContext);
        walk(block.inverse, inScope);
      }
    }
  };
  walk(ast, true);
  return out;
}

/** Blocks and calls of helpers the vendor does not provide: they would fail at send time. */
export function unknownHelpers(ast: hbs.AST.Program, source: string, dialect: HandlebarsDialect): TemplateIssue[] {
  const helpers = knownHelpers(dialect);
  const out: TemplateIssue[] = [];
  const walk = (program: hbs.AST.Program | undefined) => {
    for (const s of program?.body ?? []) {
      const n = s as unknown as Node;
      if (n.type !== "BlockStatement" && !(n.type === "MustacheStatement" && (s as hbs.AST.MustacheStatement).params.length > 0)) continue;
      const call = s as hbs.AST.BlockStatement;
      const name = (call.path as hbs.AST.PathExpression).original;
      if (call.path.type === "PathExpression" && !helpers.has(name) && (n.type !== "BlockStatement" || call.params.length > 0)) {
        out.push({
          code: "TEMPLATE_SYNTAX",
          severity: "error",
          offset: offsetOf(source, call.loc.start.line, call.loc.start.column),
          problem: `Handlebars: ${dialect === "sendgrid" ? "SendGrid" : "Mailtrap"} has no helper "${name}"`,
          fix: `use one of the helpers ${dialect === "sendgrid" ? "SendGrid" : "Mailtrap"} documents: ${[...helpers].sort().join(", ")}`,
        });
      }
      if (n.type === "BlockStatement") {
        walk(call.program);
        walk(call.inverse);
      }
    }
  };
  walk(ast);
  return out;
}

/** The template rendered with `data` as the vendor would, or why it cannot be. */
export function renderHandlebars(source: string, data: unknown, dialect: HandlebarsDialect, escape = true): { text: string } | { issue: TemplateIssue } {
  const parsed = parseHandlebars(source);
  if ("issue" in parsed) return parsed;
  try {
    const render = environment(dialect).compile(parsed.ast, { noEscape: !escape });
    return { text: render(data ?? {}) };
  } catch (err) {
    return { issue: { code: "TEMPLATE_SYNTAX", severity: "error", offset: 0, problem: `Handlebars: ${(err as Error).message.split("\n")[0]}`, fix: "correct the template" } };
  }
}

/**
 * Mailjet's template language, as its "Template language" guide defines it, for previews and
 * checks: variables `{{var:name}}` with a default `{{var:name:"text"}}` (`data:` reads contact
 * properties the same way), conditions `{% if %}` / `{% elseif %}` / `{% else %}` / `{% endif %}`
 * comparing with == != > < >= <= and joined by and / or / not, and loops
 * `{% for item in var:items %}...{% endfor %}` whose body reads `{{item.field}}`.
 *
 * What the guide has beyond that (arithmetic, functions, filters, `{% set %}`...) is reported as
 * unsupported and the part is not rendered: a preview must never show what Mailjet would not send.
 * Sample data holds `var:` and `data:` values under their names alike.
 */
import type { TemplateIssue } from "./issues";

type Operand =
  | { kind: "var"; path: string[]; default?: string | number; offset: number; scope: "var" | "data" | "loop" }
  | { kind: "literal"; value: string | number | boolean };
type Condition =
  | { kind: "compare"; left: Operand; op?: string; right?: Operand }
  | { kind: "not"; inner: Condition }
  | { kind: "and" | "or"; left: Condition; right: Condition };
type Node =
  | { kind: "text"; text: string }
  | { kind: "out"; operand: Operand }
  | { kind: "if"; branches: { cond: Condition; body: Node[] }[]; otherwise: Node[] }
  | { kind: "for"; name: string; list: Operand; body: Node[] };

class Unsupported extends Error {}
class Syntax extends Error {}

const TOKEN = /\{\{([\s\S]*?)\}\}|\{%([\s\S]*?)%\}/g;

/** `var:order.total:"0"` and the like: an operand of an output or a condition. */
function operand(text: string, offset: number, loops: readonly string[]): Operand {
  const t = text.trim();
  if (/^"[^"]*"$|^'[^']*'$/.test(t)) return { kind: "literal", value: t.slice(1, -1) };
  if (/^-?\d+(\.\d+)?$/.test(t)) return { kind: "literal", value: Number(t) };
  if (t === "true" || t === "false") return { kind: "literal", value: t === "true" };
  const m = /^(var|data):([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)(?::("[^"]*"|'[^']*'|-?\d+(?:\.\d+)?))?$/.exec(t);
  if (m) {
    const raw = m[3];
    const def = raw === undefined ? undefined : /^["']/.test(raw) ? raw.slice(1, -1) : Number(raw);
    return { kind: "var", scope: m[1] as "var" | "data", path: m[2]!.split("."), ...(def !== undefined ? { default: def } : {}), offset };
  }
  const loop = /^([A-Za-z_]\w*)((?:\.[A-Za-z_][\w-]*)*)$/.exec(t);
  if (loop && loops.includes(loop[1]!)) return { kind: "var", scope: "loop", path: [loop[1]!, ...loop[2]!.split(".").filter(Boolean)], offset };
  throw new Unsupported(`"${t}" (expressions other than a variable, its default or a literal)`);
}

function condition(text: string, offset: number, loops: readonly string[]): Condition {
  const or = splitWord(text, "or");
  if (or) return { kind: "or", left: condition(or[0], offset, loops), right: condition(or[1], offset, loops) };
  const and = splitWord(text, "and");
  if (and) return { kind: "and", left: condition(and[0], offset, loops), right: condition(and[1], offset, loops) };
  const t = text.trim();
  if (/^not\s/.test(t)) return { kind: "not", inner: condition(t.slice(3), offset, loops) };
  const m = /^(.+?)\s*(==|!=|>=|<=|>|<)\s*(.+)$/.exec(t);
  if (m) return { kind: "compare", left: operand(m[1]!, offset, loops), op: m[2], right: operand(m[3]!, offset, loops) };
  return { kind: "compare", left: operand(t, offset, loops) };
}

/** `a or b` split at the first word outside quotes. */
function splitWord(text: string, word: string): [string, string] | undefined {
  const re = new RegExp(`"[^"]*"|'[^']*'|\\s${word}\\s`, "g");
  for (let m = re.exec(text); m; m = re.exec(text)) if (!m[0].startsWith('"') && !m[0].startsWith("'")) return [text.slice(0, m.index), text.slice(m.index + m[0].length)];
  return undefined;
}

export type MailjetParse = { nodes: Node[] } | { issue: TemplateIssue };

/** The part's syntax tree, or the first located problem: a syntax error, or what is not supported. */
export function parseMailjet(source: string): MailjetParse {
  const root: Node[] = [];
  type Frame = { node: Extract<Node, { kind: "if" | "for" }>; body: Node[]; offset: number; loops: string[] };
  const stack: Frame[] = [];
  const body = () => stack[stack.length - 1]?.body ?? root;
  const loops = () => stack[stack.length - 1]?.loops ?? [];
  let last = 0;
  let at = 0;
  try {
    TOKEN.lastIndex = 0;
    for (let m = TOKEN.exec(source); m; m = TOKEN.exec(source)) {
      at = m.index;
      if (m.index > last) body().push({ kind: "text", text: source.slice(last, m.index) });
      last = m.index + m[0].length;
      if (m[1] !== undefined) {
        body().push({ kind: "out", operand: operand(m[1], m.index, loops()) });
        continue;
      }
      const tag = m[2]!.trim();
      const [word = "", ...rest] = tag.split(/\s+/);
      const arg = tag.slice(word.length);
      const top = stack[stack.length - 1];
      if (word === "if") {
        const node: Node = { kind: "if", branches: [{ cond: condition(arg, m.index, loops()), body: [] }], otherwise: [] };
        body().push(node);
        stack.push({ node, body: node.branches[0]!.body, offset: m.index, loops: loops() });
      } else if (word === "elseif" || word === "else") {
        if (top?.node.kind !== "if") throw new Syntax(`{% ${word} %} outside an {% if %}`);
        if (word === "else") top.body = top.node.otherwise;
        else {
          const branch = { cond: condition(arg, m.index, top.loops), body: [] as Node[] };
          top.node.branches.push(branch);
          top.body = branch.body;
        }
      } else if (word === "endif" || word === "endfor") {
        const want = word === "endif" ? "if" : "for";
        if (top?.node.kind !== want) throw new Syntax(`{% ${word} %} without its {% ${want} %}`);
        stack.pop();
      } else if (word === "for") {
        const f = /^(\w+)\s+in\s+(.+)$/.exec(rest.join(" "));
        if (!f) throw new Syntax(`{% for %} must read {% for item in var:list %}`);
        const node: Node = { kind: "for", name: f[1]!, list: operand(f[2]!, m.index, loops()), body: [] };
        body().push(node);
        stack.push({ node, body: node.body, offset: m.index, loops: [...loops(), f[1]!] });
      } else throw new Unsupported(`the {% ${word} %} tag`);
    }
    const open = stack.pop();
    if (open) {
      at = open.offset;
      throw new Syntax(`{% ${open.node.kind} %} is never closed`);
    }
    const unclosed = source.indexOf("{{", last) >= 0 ? source.indexOf("{{", last) : source.indexOf("{%", last);
    if (unclosed >= 0) {
      at = unclosed;
      throw new Syntax(`${source.slice(unclosed, unclosed + 2)} is never closed`);
    }
  } catch (err) {
    if (!(err instanceof Syntax || err instanceof Unsupported)) throw err;
    const syntax = err instanceof Syntax;
    return {
      issue: {
        code: syntax ? "TEMPLATE_SYNTAX" : "TEMPLATE_UNSUPPORTED",
        severity: syntax ? "error" : "warning",
        offset: at,
        problem: syntax ? `Mailjet template language: ${err.message}` : `Mailjet template language: mailform cannot preview ${err.message}`,
        fix: syntax ? "close each {{ with }}, each {% if %} with {% endif %} and each {% for %} with {% endfor %}" : "the preview shows this part unrendered; check it in Mailjet's own preview",
      },
    };
  }
  if (last < source.length) root.push({ kind: "text", text: source.slice(last) });
  return { nodes: root };
}

export interface MailjetVariable {
  name: string;
  offset: number;
  hasDefault: boolean;
}

/** Every `var:`/`data:` read, with whether it has a default. */
export function mailjetVariables(nodes: Node[]): MailjetVariable[] {
  const out: MailjetVariable[] = [];
  const op = (o: Operand | undefined) => {
    if (o?.kind === "var" && o.scope !== "loop") out.push({ name: o.path.join("."), offset: o.offset, hasDefault: o.default !== undefined });
  };
  const cond = (c: Condition): void => {
    if (c.kind === "compare") [c.left, c.right].forEach(op);
    else if (c.kind === "not") cond(c.inner);
    else [c.left, c.right].forEach((x) => cond(x));
  };
  const walk = (ns: Node[]): void => {
    for (const n of ns) {
      if (n.kind === "out") op(n.operand);
      else if (n.kind === "if") {
        n.branches.forEach((b) => (cond(b.cond), walk(b.body)));
        walk(n.otherwise);
      } else if (n.kind === "for") {
        op(n.list);
        walk(n.body);
      }
    }
  };
  walk(nodes);
  return out;
}

const dig = (data: unknown, path: string[]): unknown =>
  path.reduce<unknown>((at, seg) => (at !== null && typeof at === "object" ? (at as Record<string, unknown>)[seg] : undefined), data);

/** The part rendered with `data` (values by variable name), or the first problem. */
export function renderMailjet(source: string, data: Record<string, unknown> = {}): { text: string } | { issue: TemplateIssue } {
  const parsed = parseMailjet(source);
  if ("issue" in parsed) return parsed;
  const value = (o: Operand, scope: Record<string, unknown>): unknown => {
    if (o.kind === "literal") return o.value;
    const found = o.scope === "loop" ? dig(scope, o.path) : dig(data, o.path);
    return found === undefined || found === null ? o.default : found;
  };
  const test = (c: Condition, scope: Record<string, unknown>): boolean => {
    if (c.kind === "not") return !test(c.inner, scope);
    if (c.kind !== "compare") return c.kind === "and" ? test(c.left, scope) && test(c.right, scope) : test(c.left, scope) || test(c.right, scope);
    const l = value(c.left, scope);
    if (!c.op) return Boolean(l) && !(Array.isArray(l) && l.length === 0);
    const r = value(c.right!, scope);
    const [a, b] = typeof l === "number" || typeof r === "number" ? [Number(l), Number(r)] : [l as string, r as string];
    switch (c.op) {
      case "==":
        return a === b;
      case "!=":
        return a !== b;
      case ">":
        return a > b;
      case "<":
        return a < b;
      case ">=":
        return a >= b;
      default:
        return a <= b;
    }
  };
  const render = (ns: Node[], scope: Record<string, unknown>): string =>
    ns
      .map((n) => {
        if (n.kind === "text") return n.text;
        if (n.kind === "out") {
          const v = value(n.operand, scope);
          return v === undefined || v === null ? "" : String(v);
        }
        if (n.kind === "if") {
          const branch = n.branches.find((b) => test(b.cond, scope));
          return render(branch ? branch.body : n.otherwise, scope);
        }
        const list = value(n.list, scope);
        return (Array.isArray(list) ? list : []).map((item) => render(n.body, { ...scope, [n.name]: item })).join("");
      })
      .join("");
  return { text: render(parsed.nodes, {}) };
}

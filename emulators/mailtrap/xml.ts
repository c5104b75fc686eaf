/**
 * XML in the shape Rails' `to_xml` / `Hash.from_xml` use, which is what Mailtrap API v1 speaks:
 * dasherized element names, `type="integer|boolean|array|datetime"` and `nil="true"` attributes.
 */

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function dasherize(name: string): string {
  return name.replace(/_/g, "-");
}

/** Singular of a Rails collection name, for array items (`companies` -> `company`). */
export function singular(name: string): string {
  if (name.endsWith("ies")) return `${name.slice(0, -3)}y`;
  if (/(xes|ches|shes|sses)$/.test(name)) return name.slice(0, -2);
  if (name.endsWith("s")) return name.slice(0, -1);
  return name;
}

function element(name: string, value: unknown, indent: string): string {
  const tag = dasherize(name);
  if (value === null || value === undefined) return `${indent}<${tag} nil="true"/>\n`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${indent}<${tag} type="array"/>\n`;
    const items = value.map((item) => element(singular(name), item, `${indent}  `)).join("");
    return `${indent}<${tag} type="array">\n${items}${indent}</${tag}>\n`;
  }
  if (typeof value === "object") {
    const children = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => element(k, v, `${indent}  `))
      .join("");
    return `${indent}<${tag}>\n${children}${indent}</${tag}>\n`;
  }
  if (typeof value === "number") {
    return `${indent}<${tag} type="${Number.isInteger(value) ? "integer" : "float"}">${value}</${tag}>\n`;
  }
  if (typeof value === "boolean") return `${indent}<${tag} type="boolean">${value}</${tag}>\n`;
  const text = String(value);
  const type = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(text) ? ' type="dateTime"' : "";
  return `${indent}<${tag}${type}>${escape(text)}</${tag}>\n`;
}

export function toXml(root: string, value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value, "")}`;
}

export class XmlParseError extends Error {}

interface Node {
  name: string;
  attrs: Record<string, string>;
  children: Node[];
  text: string;
}

const ENTITY: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescape(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, e: string) => {
    if (e[0] === "#") return String.fromCodePoint(e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : Number(e.slice(1)));
    return ENTITY[e.toLowerCase()]!;
  });
}

/** A small, strict parser for the element-only documents Rails produces. */
function parseDocument(source: string): Node {
  let pos = 0;
  const fail = (msg: string): never => {
    throw new XmlParseError(`${msg} at offset ${pos}`);
  };
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(source.slice(pos))![0].length;
      pos += ws;
      if (source.startsWith("<?", pos)) {
        const end = source.indexOf("?>", pos);
        if (end < 0) fail("unterminated declaration");
        pos = end + 2;
      } else if (source.startsWith("<!--", pos)) {
        const end = source.indexOf("-->", pos);
        if (end < 0) fail("unterminated comment");
        pos = end + 3;
      } else return;
    }
  };
  const parseElement = (): Node => {
    const open = /^<([A-Za-z_][\w.:-]*)((?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/.exec(source.slice(pos));
    if (!open) return fail("expected an element");
    pos += open[0].length;
    const attrs: Record<string, string> = {};
    for (const a of open[2]!.matchAll(/([A-Za-z_][\w.:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      attrs[a[1]!] = unescape(a[2] ?? a[3] ?? "");
    }
    const node: Node = { name: open[1]!, attrs, children: [], text: "" };
    if (open[3] === "/") return node;
    for (;;) {
      const next = source.indexOf("<", pos);
      if (next < 0) fail(`unterminated element <${node.name}>`);
      node.text += unescape(source.slice(pos, next));
      pos = next;
      if (source.startsWith("</", pos)) {
        const close = /^<\/([A-Za-z_][\w.:-]*)\s*>/.exec(source.slice(pos));
        if (!close || close[1] !== node.name) fail(`expected </${node.name}>`);
        pos += close![0].length;
        return node;
      }
      if (source.startsWith("<!--", pos)) {
        const end = source.indexOf("-->", pos);
        if (end < 0) fail("unterminated comment");
        pos = end + 3;
        continue;
      }
      if (source.startsWith("<![CDATA[", pos)) {
        const end = source.indexOf("]]>", pos);
        if (end < 0) fail("unterminated CDATA");
        node.text += source.slice(pos + 9, end);
        pos = end + 3;
        continue;
      }
      node.children.push(parseElement());
    }
  };
  skipMisc();
  const root = parseElement();
  skipMisc();
  if (pos !== source.length) fail("content after the root element");
  return root;
}

function nodeValue(node: Node): unknown {
  const type = node.attrs.type;
  if (node.attrs.nil === "true") return null;
  if (type === "array") return node.children.map(nodeValue);
  if (node.children.length > 0) {
    const out: Record<string, unknown> = {};
    for (const child of node.children) out[child.name.replace(/-/g, "_")] = nodeValue(child);
    return out;
  }
  const text = node.text.trim();
  if (type === "integer") {
    if (!/^-?\d+$/.test(text)) throw new XmlParseError(`<${node.name}> is not an integer`);
    return Number(text);
  }
  if (type === "float" || type === "decimal") return Number(text);
  if (type === "boolean") return text === "true" || text === "1";
  return node.text;
}

/** `Hash.from_xml`: `{root: value}` with underscored keys. */
export function fromXml(source: string): Record<string, unknown> {
  const root = parseDocument(source);
  return { [root.name.replace(/-/g, "_")]: nodeValue(root) };
}

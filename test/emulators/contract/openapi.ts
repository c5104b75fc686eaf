/**
 * OpenAPI documents as validators. Each document is added to ajv whole (JSON Schema 2020-12, the
 * dialect of OpenAPI 3.1) under its own URI, and a request or response schema is compiled as a
 * `$ref` into it, so `#/components/...` references resolve inside the document.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv2020, { type ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { parse as parseYaml } from "yaml";

/** `MAILFORM_SPECS_DIR`, or `../shared/specs` relative to the repository root. */
export const SPECS_DIR = process.env.MAILFORM_SPECS_DIR
  ? resolve(process.env.MAILFORM_SPECS_DIR)
  : resolve(__dirname, "../../..", "../shared/specs");

export const SPECS_AVAILABLE = existsSync(SPECS_DIR);

type Json = any;

export interface Operation {
  requestBody?: Json;
  responses: Record<string, Json>;
}

/**
 * The documents are OpenAPI 3.1 but some schemas still use 3.0's `nullable: true`, which 2020-12
 * does not know (and ajv rejects `nullable` without `type`). Rewrite it to the 3.1 spelling.
 */
export function normalizeNullable(node: Json): Json {
  if (Array.isArray(node)) return node.map(normalizeNullable);
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) out[k] = normalizeNullable(v);
  if (typeof out.nullable !== "boolean") return out;
  const nullable = out.nullable as boolean;
  delete out.nullable;
  if (!nullable) return out;
  if (out.type !== undefined) {
    const types = Array.isArray(out.type) ? out.type : [out.type];
    out.type = types.includes("null") ? types : [...types, "null"];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
    return out;
  }
  return { anyOf: [out, { type: "null" }] };
}

const COMPOSITION = new Set(["allOf", "anyOf", "oneOf", "not", "if", "then", "else"]);

/**
 * A component schema an `allOf` extends (`allOf: [{$ref: Webhook}, {properties: {signing_secret}}]`)
 * copied in place: closed where it is defined, it would reject the fields the other branches add.
 * Closed at the `allOf` instead (`closeObjects`), which sees what every branch evaluates.
 */
export function inlineAllOfRefs(doc: Json): Json {
  const target = (ref: string): Json => ref.slice(2).split("/").reduce((n: Json, p: string) => n?.[p.replace(/~1/g, "/").replace(/~0/g, "~")], doc);
  const walk = (node: Json, depth: number): Json => {
    if (Array.isArray(node)) return node.map((n) => walk(n, depth));
    if (!node || typeof node !== "object") return node;
    const out: Json = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] =
        k === "allOf" && Array.isArray(v) && depth < 5
          ? v.map((b: Json) => (b && typeof b.$ref === "string" && b.$ref.startsWith("#/components/schemas/") ? walk(target(b.$ref), depth + 1) : walk(b, depth)))
          : walk(v, depth);
    }
    return out;
  };
  return walk(doc, 0);
}

/**
 * Closes every object schema that lists `properties` and says nothing about extra ones
 * (`unevaluatedProperties: false`), so an answer carrying an undocumented field fails. Schemas
 * inside composition keywords are left open (closing a branch would reject its siblings' fields).
 */
export function closeObjects(node: Json, inComposition = false): Json {
  if (Array.isArray(node)) return node.map((n) => closeObjects(n, inComposition));
  if (!node || typeof node !== "object") return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === "example" || k === "examples") out[k] = v;
    else out[k] = closeObjects(v, COMPOSITION.has(k));
  }
  const isSchemaObject = (out.properties && typeof out.properties === "object" && !Array.isArray(out.properties)) || Array.isArray(out.allOf);
  if (
    isSchemaObject &&
    !inComposition &&
    out.additionalProperties === undefined &&
    out.unevaluatedProperties === undefined &&
    out.patternProperties === undefined
  ) {
    out.unevaluatedProperties = false;
  }
  return out;
}

function pointer(parts: string[]): string {
  return parts.map((p) => encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");
}

export class SpecRegistry {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  private readonly docs = new Map<string, Json>();
  private readonly validators = new Map<string, ValidateFunction>();

  /**
   * `closed(file)`: treat that document's object schemas as closed (see `closeObjects`), so the
   * emulator cannot answer fields its vendor does not document.
   */
  constructor(
    private readonly closed: (file: string) => boolean = () => false,
    private readonly dir = SPECS_DIR,
  ) {
    addFormats(this.ajv);
  }

  /** The parsed document (YAML or JSON), path relative to the specs folder. */
  doc(file: string): Json {
    let doc = this.docs.get(file);
    if (!doc) {
      doc = normalizeNullable(parseYaml(readFileSync(resolve(this.dir, file), "utf8")));
      if (this.closed(file)) doc = closeObjects(inlineAllOfRefs(doc));
      this.docs.set(file, doc);
      this.ajv.addSchema(doc, this.uri(file));
    }
    return doc;
  }

  private uri(file: string): string {
    return `https://specs.mailform.invalid/${file}`;
  }

  operation(file: string, method: string, path: string): Operation | undefined {
    return this.doc(file).paths?.[path]?.[method.toLowerCase()];
  }

  /** Follows OpenAPI-level `$ref`s (responses, request bodies) to the JSON pointer of a node. */
  private deref(file: string, parts: string[]): string[] {
    let node: Json = this.doc(file);
    for (const p of parts) node = node?.[p];
    for (let hops = 0; node && typeof node.$ref === "string" && hops < 10; hops++) {
      if (!node.$ref.startsWith("#/")) throw new Error(`external $ref ${node.$ref} in ${file}`);
      parts = node.$ref.slice(2).split("/").map((s: string) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
      node = this.doc(file);
      for (const p of parts) node = node?.[p];
    }
    return parts;
  }

  private node(file: string, parts: string[]): Json {
    let node: Json = this.doc(file);
    for (const p of parts) node = node?.[p];
    return node;
  }

  private compile(file: string, parts: string[]): ValidateFunction {
    const key = `${file}#${pointer(parts)}`;
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${this.uri(file)}#/${pointer(parts)}` });
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** The documented statuses of an operation. */
  statuses(file: string, method: string, path: string): string[] {
    return Object.keys(this.operation(file, method, path)?.responses ?? {});
  }

  /**
   * Validates a JSON response body; `undefined` when valid. Throws when the operation or status
   * is not documented. A documented response without JSON content must come with no body.
   */
  responseErrors(file: string, method: string, path: string, status: number, body: unknown): string | undefined {
    const op = [ "paths", path, method.toLowerCase() ];
    if (!this.operation(file, method, path)) throw new Error(`${method} ${path} is not in ${file}`);
    const responses = this.node(file, [...op, "responses"]);
    const code = String(status) in responses ? String(status) : `${String(status)[0]}XX` in responses ? `${String(status)[0]}XX` : "default";
    if (!(code in responses)) throw new Error(`${method} ${path} does not document status ${status} in ${file}`);
    const response = this.deref(file, [...op, "responses", code]);
    const content = this.node(file, [...response, "content"]);
    const media = content && Object.keys(content).find((m) => m.includes("json"));
    if (!media || !this.node(file, [...response, "content", media, "schema"])) {
      return body === undefined ? undefined : `expected no body, got ${JSON.stringify(body).slice(0, 200)}`;
    }
    return this.run(this.compile(file, [...response, "content", media, "schema"]), body);
  }

  /** Validates a JSON request body against the operation's request schema; `undefined` when valid. */
  requestErrors(file: string, method: string, path: string, body: unknown): string | undefined {
    const op = ["paths", path, method.toLowerCase()];
    if (!this.operation(file, method, path)?.requestBody) {
      return body === undefined ? undefined : `${method} ${path} documents no request body`;
    }
    const requestBody = this.deref(file, [...op, "requestBody"]);
    const content = this.node(file, [...requestBody, "content"]) ?? {};
    const media = Object.keys(content).find((m) => m.includes("json"));
    if (!media) return `${method} ${path} documents no JSON request body`;
    return this.run(this.compile(file, [...requestBody, "content", media, "schema"]), body);
  }

  private run(validate: ValidateFunction, value: unknown): string | undefined {
    if (validate(value)) return undefined;
    return this.ajv.errorsText(validate.errors, { separator: "; ", dataVar: "body" });
  }
}

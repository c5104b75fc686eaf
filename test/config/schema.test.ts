/**
 * schemas/stack.schema.json is the single source of truth: the TypeScript types are generated from
 * it (and must be regenerated when it changes), it is strict enough for ajv's strict mode, closed
 * (additionalProperties: false) and documented for editors (a description on every field).
 */
import * as fs from "node:fs";
import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { generateStackTypes, SCHEMA_FILE, TYPES_FILE } from "../../schemas/generate-types";
import { KINDS } from "../../providers/kinds";

type Schema = Record<string, unknown>;
const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Schema;

/** Every subschema with the JSON pointer it lives at. */
function* subschemas(s: unknown, at = "#"): Generator<[string, Schema]> {
  if (s === null || typeof s !== "object" || Array.isArray(s)) return;
  const node = s as Schema;
  yield [at, node];
  for (const key of ["properties", "definitions"] as const) {
    const map = node[key] as Record<string, unknown> | undefined;
    if (map) for (const [k, v] of Object.entries(map)) yield* subschemas(v, `${at}/${key}/${k}`);
  }
  for (const key of ["items", "additionalProperties", "propertyNames"] as const)
    if (node[key] && typeof node[key] === "object") yield* subschemas(node[key], `${at}/${key}`);
  for (const key of ["anyOf", "oneOf", "allOf"] as const)
    if (Array.isArray(node[key])) for (const [i, b] of (node[key] as unknown[]).entries()) yield* subschemas(b, `${at}/${key}/${i}`);
}

describe("stack schema", () => {
  it("config/stack.generated.ts is what the schema generates (run `npm run schema:types` after a schema change)", async () => {
    const committed = fs.readFileSync(TYPES_FILE, "utf8");
    expect(await generateStackTypes()).toBe(committed);
  });

  it("compiles in ajv strict mode", () => {
    expect(() => new Ajv({ strict: true, allErrors: true }).compile(schema)).not.toThrow();
  });

  it("closes every object: additionalProperties false, or a schema for the entries of a map", () => {
    const open: string[] = [];
    for (const [at, s] of subschemas(schema)) {
      if (s.type !== "object") continue;
      const ap = s.additionalProperties;
      const isMap = typeof ap === "object" && ap !== null && s.propertyNames !== undefined;
      const isFreeJson = at.endsWith("/testData") || at.endsWith("/SampleData"); // any JSON object, by design
      if (ap !== false && !isMap && !isFreeJson) open.push(at);
    }
    expect(open).toEqual([]);
  });

  it("describes every field for editor hover", () => {
    const undocumented: string[] = [];
    for (const [at, s] of subschemas(schema)) {
      if (!/\/properties\/[^/]+$/.test(at) && !at.endsWith("/items")) continue;
      const ref = typeof s.$ref === "string" ? s.$ref : undefined;
      const target = ref ? (schema.definitions as Record<string, Schema>)[ref.split("/").pop()!] : undefined;
      if (!s.description && !target?.description) undocumented.push(at);
    }
    expect(undocumented).toEqual([]);
  });

  it("offers every entry the life-cycle options, except SendGrid template versions", () => {
    const defs = schema.definitions as Record<string, Schema>;
    // An entry definition is one that a map of entries (additionalProperties: {$ref}) refers to.
    const entryNames = Object.keys(defs).filter((name) =>
      Object.values(defs).some((other) =>
        Object.values((other.properties ?? {}) as Record<string, Schema>).some(
          (p) => (p.additionalProperties as Schema | undefined)?.$ref === `#/definitions/${name}`,
        ),
      ),
    );
    // Every kind's entries, and SendGrid template versions (part of the template kind).
    expect(entryNames.sort()).toEqual([...KINDS.map((k) => k.schema), "SendgridTemplateVersion"].sort());
    for (const name of entryNames) {
      const props = Object.keys(defs[name]!.properties as Schema);
      // A SendGrid template version is registered with its template and follows the template's
      // options, so the schema refuses them on a version rather than accept and ignore them.
      if (name === "SendgridTemplateVersion")
        expect(props.filter((p) => ["protect", "retainOnDelete", "adopt", "movedFrom"].includes(p)), name).toEqual([]);
      else expect(props, name).toEqual(expect.arrayContaining(["protect", "retainOnDelete", "adopt", "movedFrom"]));
    }
  });
});

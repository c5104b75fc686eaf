/**
 * Derives the TypeScript types of a raw stack file from `schemas/stack.schema.json`.
 *
 *   npm run schema:types      rewrites config/stack.generated.ts
 *
 * test/config/schema.test.ts regenerates in memory and fails when the committed file differs, so
 * the types can never drift from the schema.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { compile, type JSONSchema } from "json-schema-to-typescript";

export const SCHEMA_FILE = path.join(__dirname, "stack.schema.json");
export const TYPES_FILE = path.join(__dirname, "..", "config", "stack.generated.ts");

const BANNER = `/* eslint-disable */
/**
 * Types of a raw stack file (stacks/<stack>.yaml), generated from schemas/stack.schema.json.
 * Do not edit: change the schema, then run \`npm run schema:types\`.
 */`;

export async function generateStackTypes(): Promise<string> {
  const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as JSONSchema;
  return compile(schema, "Stack", {
    bannerComment: BANNER,
    additionalProperties: false,
    unreachableDefinitions: false,
    format: true,
    style: { printWidth: 120 },
    cwd: path.dirname(SCHEMA_FILE),
  });
}

if (require.main === module) {
  generateStackTypes().then(
    (ts) => {
      fs.writeFileSync(TYPES_FILE, ts);
      console.log(`wrote ${path.relative(process.cwd(), TYPES_FILE)}`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

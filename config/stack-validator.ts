/**
 * ajv's validator of schemas/stack.schema.json: strict mode, all errors, with data and schema
 * attached to each error. Run from sources (tsx: the CLI and the tests) it is compiled at first use;
 * in dist/, engine/build.cjs puts in this module's place the same validator as code that ajv
 * generated at build time (`stackValidatorSource`), so that no Pulumi program run spends its start
 * loading ajv and compiling the schema (about 300 ms).
 */
import Ajv, { type Options, type ValidateFunction } from "ajv";
import standaloneCode from "ajv/dist/standalone";
import stackSchema from "../schemas/stack.schema.json";
import type { Stack } from "./stack.generated";

const OPTIONS: Options = { allErrors: true, strict: true, verbose: true };

export function compileStackValidator(): ValidateFunction<Stack> {
  // Without ajv's optimizer of the generated code: it doubles the compile time, and saves nothing
  // measurable on a stack file's data (the build's validator below keeps it).
  return new Ajv({ ...OPTIONS, code: { optimize: false } }).compile<Stack>(stackSchema);
}

/** The same validator as the source of a CommonJS module that exports it (for engine/build.cjs). */
export function stackValidatorSource(): string {
  const ajv = new Ajv({ ...OPTIONS, code: { source: true } });
  return standaloneCode(ajv, ajv.compile(stackSchema));
}

/**
 * Validation against `schemas/stack.schema.json` with ajv, and the translation of ajv's errors into
 * located, actionable `StackError`s.
 */
import type { ErrorObject, ValidateFunction } from "ajv";
import stackSchema from "../schemas/stack.schema.json";
import { StackError } from "./errors";
import type { Stack } from "./stack.generated";
import { formatPath, type PathSeg, type Problem, type YamlSource } from "./source";
import { compileStackValidator } from "./stack-validator";
import { didYouMean, listOr } from "./suggest";
import { OPTION_NAMES, rec } from "./walk";
import { KINDS } from "../providers/kinds";

/** The schema document, as loaded (the single source of truth for the format). */
export const STACK_SCHEMA = stackSchema;

let compiled: ValidateFunction<Stack> | undefined;

/** The compiled validator (see stack-validator.ts). */
export const stackValidator = (): ValidateFunction<Stack> => (compiled ??= compileStackValidator());

/** SendGrid scopes the schema lists for editor completion; `config/` warns about any other. */
export const KNOWN_SENDGRID_SCOPES: readonly string[] =
  stackSchema.definitions.SendgridApiKey.properties.scopes.items.examples;

type Schema = Record<string, unknown> & { description?: string; properties?: Record<string, Schema>; enum?: unknown[]; minLength?: number; maxLength?: number; type?: string };

/** Validates parsed data; returns the schema errors located in `src`. */
export function validateAgainstSchema(data: unknown, src: YamlSource): StackError[] {
  const validate = stackValidator();
  if (validate(data)) return [];
  const errors = explainRequiredByTypos(selectErrors(validate.errors ?? []));
  const out: StackError[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    const mapped = mapError(e, src);
    if (!mapped) continue;
    const id = `${mapped.code}|${mapped.line}|${mapped.column}|${mapped.path}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(mapped);
  }
  return out;
}

/**
 * Drops ajv's noise: for an `anyOf` (a body given as a string or as `{file: ...}`) only the errors
 * of the branch whose type matches the value are kept; when no branch's type matches, the `anyOf`
 * error alone stands for them. `propertyNames` errors replace the errors of the key's own schema.
 */
function selectErrors(errors: ErrorObject[]): ErrorObject[] {
  const drop = new Set<ErrorObject>();
  // A value of the wrong type: its enum, pattern or length errors say nothing more.
  const wrongType = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  for (const e of errors)
    if (e.keyword !== "type" && e.keyword !== "anyOf" && e.keyword !== "required" && e.keyword !== "additionalProperties" && wrongType.has(e.instancePath))
      drop.add(e);
  for (const a of errors) {
    if (a.keyword === "anyOf") {
      const branches = (a.schema as Schema[]) ?? [];
      const match = branches.findIndex((b) => b.type === jsonType(a.data));
      for (const e of errors) {
        if (e === a) continue;
        const inside = e.schemaPath.startsWith(`${a.schemaPath}/`) && (e.instancePath === a.instancePath || e.instancePath.startsWith(`${a.instancePath}/`));
        if (!inside) continue;
        const branch = Number(e.schemaPath.slice(a.schemaPath.length + 1).split("/")[0]);
        if (match < 0 || branch !== match) drop.add(e);
      }
      if (match >= 0) drop.add(a);
    }
    if (a.keyword !== "propertyNames" && (a as { propertyName?: string }).propertyName !== undefined) drop.add(a);
  }
  return errors.filter((e) => !drop.has(e));
}

/**
 * A missing field next to an unknown field that is its misspelling is one problem, not two; so is
 * a wrong field in an object that has a single field (`{path: x}` for `{file: x}`).
 */
function explainRequiredByTypos(errors: ErrorObject[]): ErrorObject[] {
  return errors.filter((e) => {
    if (e.keyword !== "required") return true;
    const missing = String((e.params as { missingProperty: string }).missingProperty);
    const single = Object.keys(((e.parentSchema ?? {}) as Schema).properties ?? {}).length === 1;
    const typo = (o: ErrorObject) => didYouMean(String((o.params as { additionalProperty: string }).additionalProperty), [missing]) === missing;
    return !errors.some((o) => o.keyword === "additionalProperties" && o.instancePath === e.instancePath && (single || typo(o)));
  });
}

function segments(instancePath: string): PathSeg[] {
  const raw = instancePath ? instancePath.slice(1).split("/") : [];
  return raw.map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~")).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export function jsonType(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

/** What an entry of each collection is called: its kind's title without the vendor; and the lists inside entries. */
const COLLECTION_NOUNS: Record<string, string> = {
  ...Object.fromEntries(KINDS.map((k) => [k.yamlPath.split(".").pop()!, k.title.slice(k.title.indexOf(" ") + 1)])),
  versions: "template version",
  permissions: "permission",
};

const SECTION_NOUNS: Record<string, string> = {
  mailtrap: "Mailtrap section",
  sendgrid: "SendGrid section",
  mailjet: "Mailjet section",
};

/** What the object at `segs` is called in a sentence: "project", "API token", "permission"... */
const nounFor = (segs: readonly PathSeg[]): string => nounInfo(segs).noun;
/** The same with its article: "a project", "an API token"; a plain field stays bare: "text". */
const nounPhrase = (segs: readonly PathSeg[]): string => (nounInfo(segs).field ? nounInfo(segs).noun : article(nounInfo(segs).noun));

function nounInfo(segs: readonly PathSeg[]): { noun: string; field: boolean } {
  let noun = "stack";
  let field = false;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i]!;
    field = false;
    if (typeof s === "string" && COLLECTION_NOUNS[s] && i + 1 < segs.length) {
      noun = COLLECTION_NOUNS[s];
      i++;
    } else if (typeof s === "string" && SECTION_NOUNS[s]) {
      noun = SECTION_NOUNS[s];
    } else if (typeof s === "string") {
      noun = s;
      field = true;
    }
  }
  return { noun, field };
}

/** `true` when `segs` names a map of entries by key (`mailtrap.projects`, `...inboxes`...). */
function isEntryMap(segs: readonly PathSeg[]): boolean {
  const last = segs[segs.length - 1];
  return typeof last === "string" && last in COLLECTION_NOUNS && last !== "permissions";
}

function describeValue(v: unknown): string {
  const type = jsonType(v);
  if (type === "string") return `it is text ("${truncate(String(v))}")`;
  if (type === "boolean") return `it is ${String(v)}`;
  return { null: "it is empty", array: "it is a list", object: "it is a mapping" }[type as "null"] ?? `it is the number ${String(v)}`;
}

const TYPE_WORDS: Record<string, string> = { object: "a mapping (key: value lines)", array: "a list", string: "text", boolean: "true or false", number: "a number", integer: "a whole number", null: "empty" };

function truncate(s: string, n = 40): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

const YAML11_BOOLEANS = new Set(["yes", "no", "on", "off", "y", "n", "True", "False", "TRUE", "FALSE", "Yes", "No"]);

function slugify(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^[-_]+/, "").slice(0, 64).replace(/[-_]+$/, "") || "my-key";
}

/**
 * Where a life-cycle option given on an entry that has none belongs instead: a SendGrid template
 * version is registered with its template and follows the template's options.
 */
function optionOwner(segs: readonly PathSeg[], prop: string): PathSeg[] | undefined {
  if (!OPTION_NAMES.has(prop)) return undefined;
  const [vendor, templates, key, versions] = segs;
  if (vendor === "sendgrid" && templates === "templates" && versions === "versions" && segs.length === 5)
    return ["sendgrid", "templates", key!];
  return undefined;
}

function mapError(e: ErrorObject, src: YamlSource): StackError | undefined {
  const segs = segments(e.instancePath);
  const field = [...segs].reverse().find((s): s is string => typeof s === "string") ?? "";
  const parent = (e.parentSchema ?? {}) as Schema;
  const at = (path: PathSeg[], target: "key" | "value", p: Omit<Problem, "path">) =>
    src.errorAt(src.locate(path, target), { ...p, path: formatPath(path) });

  switch (e.keyword) {
    case "additionalProperties": {
      const prop = String((e.params as { additionalProperty: string }).additionalProperty);
      const allowed = Object.keys(parent.properties ?? {});
      const where = [...segs, prop];
      const what = segs.length === 0 ? "section" : "field";
      const guess = didYouMean(prop, allowed);
      const owner = optionOwner(segs, prop);
      const value = rec(e.data)?.[prop];
      if (owner)
        return at(where, "key", {
          code: "UNKNOWN_FIELD",
          problem: `a template version does not take "${prop}": it follows its template's options`,
          fix: `remove it here and set ${prop}: ${typeof value === "boolean" ? String(value) : "true"} on the template instead (${formatPath(owner)}); it applies to all the template's versions`,
        });
      let fix: string;
      const credential = /(token|secret|password|apikey|api_key|credential)/i.test(prop) && typeof value !== "object";
      // A field that names the stack config key holding this secret (an event webhook's OAuth clientSecretConfig).
      const byConfig = allowed.find((a) => a === `${prop}Config`);
      if (prop === "<<") fix = "merge keys (<<) are not supported: write the fields out";
      else if (credential && byConfig)
        fix = `remove it: credentials never go in a stack file; store it with pulumi config set --secret mailform:<name> <value> and write ${byConfig}: <name> here`;
      else if (credential)
        fix = `remove it: credentials never go in a stack file; use pulumi config set --secret mailform:<name> <value> (see docs/stack-format.md)`;
      else if (guess) fix = `did you mean "${guess}"? Rename it to ${guess}`;
      else if (allowed.length === 1) fix = `rename it to ${allowed[0]}`;
      else if (/^(id|.*_id|.*Id|ID)$/.test(prop))
        fix = `remove it: objects are identified by their key, never by vendor id; to take over an existing object set adopt: true`;
      else fix = `remove it; ${segs.length === 0 ? "sections" : "fields"} allowed here: ${allowed.join(", ")}`;
      const unknown = at(where, "key", {
        code: "UNKNOWN_FIELD",
        problem: `unknown ${what} "${prop}"${segs.length ? ` in ${nounPhrase(segs)}` : ""}`,
        fix,
      });
      if (!credential || typeof value !== "string" || value.length < 5 || !unknown.sourceLine?.includes(value)) return unknown;
      // The printed line must not repeat the credential in a CI log: keep 4 characters, mask the rest.
      const sourceLine = unknown.sourceLine.split(value).join(value.slice(0, 4) + "*".repeat(value.length - 4));
      return new StackError({ ...unknown, sourceLine, code: unknown.code, severity: unknown.severity });
    }
    case "required": {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      const desc = parent.properties?.[missing]?.description;
      return at(segs, "key", {
        code: "MISSING_FIELD",
        problem: `${nounPhrase(segs)} needs "${missing}"`,
        fix: `add ${missing}: ...${desc ? ` (${desc.replace(/\.$/, "")})` : ""}`,
      });
    }
    case "propertyNames": {
      const key = String((e.params as { propertyName: string }).propertyName);
      const where = [...segs, key];
      const tooLong = key.length > 64;
      return at(where, "key", {
        code: "INVALID_KEY",
        problem: tooLong ? `key "${truncate(key)}" is longer than 64 characters` : `"${key}" is not a valid key`,
        fix: `keys are at most 64 lowercase letters, digits, "-" and "_", starting with a letter or digit: rename it, e.g. to ${slugify(key)}`,
      });
    }
    case "type":
    case "anyOf": {
      const expected = e.keyword === "anyOf" ? ((e.schema as Schema[]) ?? []).map((b) => String(b.type)) : String((e.params as { type: string }).type).split(",");
      const expectWords = e.keyword === "anyOf" ? "text, or {file: path}" : listOr(expected.map((t) => TYPE_WORDS[t] ?? t));
      const written = src.scalarSource(segs);
      const readAs = typeof e.data === "number" && written !== undefined && written !== String(e.data) ? ` ${written}, read as ${e.data}` : "";
      return at(segs, "value", {
        code: "WRONG_TYPE",
        problem: `must be ${expectWords}, but ${readAs ? `it is the number${readAs}` : describeValue(e.data)}`,
        fix: typeFix(expected, e.data, segs, field, e.keyword === "anyOf", parent, written),
      });
    }
    case "enum": {
      const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map(String);
      const guess = typeof e.data === "string" ? didYouMean(e.data, allowed) : undefined;
      return at(segs, "value", {
        code: "INVALID_VALUE",
        problem: `${JSON.stringify(e.data)} is not one of ${listOr(allowed)}`,
        fix: !guess ? `use one of ${listOr(allowed)}` : `did you mean ${guess}?${typeof segs[segs.length - 1] === "number" ? "" : ` Write ${field}: ${guess}`}`,
      });
    }
    case "pattern":
      return at(segs, "value", { code: "INVALID_VALUE", ...patternProblem(segs, field, e.data, parent) });
    case "minLength":
    case "maxLength": {
      const len = typeof e.data === "string" ? [...e.data].length : 0;
      const min = parent.minLength;
      const max = parent.maxLength;
      const owner = nounFor(segs.slice(0, -1));
      let problem: string;
      if (e.keyword === "minLength")
        problem = min === 1 || len === 0 ? "must not be empty" : `must be at least ${min} characters long (it has ${len})`;
      else problem = `must be at most ${max} characters long (it has ${len})`;
      let fix: string;
      if (min !== undefined && max !== undefined)
        fix = `give the ${owner} ${article(field)} of ${min} to ${max} characters`;
      else if (e.keyword === "maxLength") fix = `shorten it to at most ${max} characters`;
      else fix = `give the ${owner} a non-empty ${field}, or remove the line`;
      return at(segs, "value", { code: "INVALID_LENGTH", problem, fix });
    }
    case "minItems":
      return at(segs, "value", {
        code: "INVALID_LENGTH",
        problem: "must list at least one item",
        fix: field === "scopes" ? "list at least one scope, or remove scopes to give the key full access" : `list at least one item, or remove ${field}`,
      });
    case "uniqueItems": {
      const { i, j } = e.params as { i: number; j: number };
      const later = Math.max(i, j);
      const items = Array.isArray(e.data) ? e.data : [];
      return at([...segs, later], "value", {
        code: "DUPLICATE_VALUE",
        problem: `${JSON.stringify(items[later])} is listed twice in ${field}`,
        fix: "remove the repeated item",
      });
    }
    default:
      return at(segs, "value", {
        code: "INVALID_VALUE",
        problem: e.message ?? "is not valid",
        fix: parent.description ? lowerFirst(parent.description) : "correct the value",
      });
  }
}

/** `written`: the value as it stands in the file (`1.10`, not the parsed 1.1), when it is a plain scalar. */
function typeFix(
  expected: string[],
  data: unknown,
  segs: PathSeg[],
  field: string,
  body: boolean,
  schema: Schema,
  written: string | undefined,
): string {
  const actual = jsonType(data);
  if (body) return `write the content as text, or as {file: templates/name.html} relative to the stack file`;
  if ((field === "project" || field === "inbox") && (actual === "number" || actual === "integer"))
    return `refer to the ${field} by its key in this file (${field === "inbox" ? "<projectKey>/<inboxKey>" : "<projectKey>"}), not by its Mailtrap id`;
  if (schema.enum) return `use one of ${listOr(schema.enum.map(String))}`;
  if (actual === "null" && !expected.includes("object") && !expected.includes("array"))
    return `write a value after "${field}:"${schema.description ? ` (${schema.description.replace(/\.$/, "")})` : ""}`;
  if (expected.includes("string") && (actual === "number" || actual === "integer" || actual === "boolean"))
    return `put it in quotes: ${field}: "${(written ?? String(data)).replace(/["\\]/g, "\\$&")}"`;
  if (expected.includes("boolean") && typeof data === "string")
    return `write ${field}: true or ${field}: false${YAML11_BOOLEANS.has(data) ? ` (YAML 1.2 reads "${data}" as text)` : ""}`;
  if (expected.includes("object") && segs.length === 0)
    return "a stack file is a mapping: mailtrap:, sendgrid: and mailjet: at the top level, without a leading '-'";
  if (expected.includes("object")) {
    if (actual === "array" && isEntryMap(segs))
      return `entries are keyed, not listed: write each as "<key>:" followed by its fields indented below it, without "-"`;
    if (actual === "null" && isEntryMap(segs)) return `add entries under ${field}, or remove the line`;
    if (actual === "null" && segs.length === 1) return `add resources under ${field}, or remove the line`;
    if (actual === "null" && isEntryMap(segs.slice(0, -1)))
      return `give the ${nounFor(segs)} its fields indented below it (at least name), or remove it`;
    if (actual === "null") return `write the fields of ${field} indented below it, or remove the line`;
    return `write ${field} as key: value lines indented below it`;
  }
  if (expected.includes("array") && field === "permissions")
    return `write each permission as a list item starting with "-", e.g. "- project: <projectKey>" with "access: admin" below it`;
  if (expected.includes("array")) {
    if (actual === "string") return `write a list: ${field}: [${String(data)}]`;
    return `write a list, e.g. ${field}: [a, b]`;
  }
  return `write ${listOr(expected.map((t) => TYPE_WORDS[t] ?? t))}`;
}

function patternProblem(segs: PathSeg[], field: string, data: unknown, schema: Schema): { problem: string; fix: string } {
  const value = String(data);
  if (field === "locale") {
    const m = /^([A-Za-z]{2,3})[-_]([A-Za-z0-9]{2,3})$/.exec(value);
    const fix = m ? `write locale: ${m[1]!.toLowerCase()}_${m[2]!.toUpperCase()}` : "write language_COUNTRY, e.g. en_US or fr_FR";
    return { problem: `"${value}" is not a locale like en_US`, fix };
  }
  if (field === "emailUsername")
    return {
      problem: `"${value}" is not an email local part (no spaces, no "@")`,
      fix: `give only the part before the @, e.g. emailUsername: ${value.split("@")[0]!.replace(/\s+/g, "-") || "qa-team"}`,
    };
  if (segs.includes("scopes")) {
    const guess = didYouMean(value.toLowerCase(), KNOWN_SENDGRID_SCOPES);
    const fix = guess ? `did you mean ${guess}? Scopes are lowercase words joined by dots` : "scopes are lowercase words joined by dots, e.g. mail.send or templates.read";
    return { problem: `"${value}" is not a scope name`, fix };
  }
  return { problem: `"${truncate(value)}" does not have the expected form`, fix: schema.description ? lowerFirst(schema.description) : "correct the value" };
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1).replace(/\.$/, "");
}

function article(noun: string): string {
  return /^[aeiou]/i.test(noun) && !/^(user|one)/i.test(noun) ? `an ${noun}` : noun.startsWith("API") ? `an ${noun}` : `a ${noun}`;
}

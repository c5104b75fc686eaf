/**
 * The shape every Mailjet v3 REST resource shares, so each resource only declares its fields:
 *
 * - `GET /v3/REST/{resource}`: filters, `Limit` (default 10, at most 1000: larger values are
 *   clamped), `Offset`, `Sort=Prop` / `Sort=Prop DESC` (also `Prop+DESC`), `countOnly=1`.
 *   Query parameter names are matched without regard to case; an unknown one answers 400.
 * - `GET /v3/REST/{resource}/{id}`: the object, in the same envelope (`Count` 1).
 * - `POST`: 201 with the created object; `PUT`: works like PATCH (only the given properties
 *   change), 200 with the object, or 304 with no body when nothing would change; `DELETE`: 204.
 * - Every GET/POST/PUT body is `{"Count": n, "Data": [...], "Total": n}`. `Count` is the number of
 *   objects in `Data`; `Total` the number of objects matching the request across all pages.
 * - A property that is not writable answers 400 (read-only ones are named as such), as does a
 *   value of the wrong type or outside the documented values.
 */
import { isDeepStrictEqual } from "node:util";
import type { Collection } from "../core/store";
import type { EmuResponse, HttpMethod, Route, RouteContext } from "../core/types";
import { badRequest, notFound } from "./errors";

export type Json = Record<string, unknown>;

export const REST = "/v3/REST";
export const DEFAULT_LIMIT = 10;
export const MAX_LIMIT = 1000;

export interface FieldSpec {
  type: "string" | "boolean" | "integer" | "string[]";
  /** The documented values (for `string[]`: of each item). */
  values?: readonly (string | number)[];
  /** Must be present on create. */
  required?: boolean;
  /** An empty string is refused. */
  nonEmpty?: boolean;
  /** Extra check of a value of the right type; answers the problem, if any. */
  check?: (value: unknown) => string | undefined;
  /** The value a create without this property stores (a function: computed per request). */
  default?: unknown;
  defaultFrom?: (ctx: RouteContext) => unknown;
  /** Settable on create only: a PUT with another value answers 400. */
  createOnly?: boolean;
}

/** Tests one stored object against one query parameter's value. */
export type Filter = (record: Json, value: string, query: Query) => boolean;

export interface ResourceSpec {
  /** The path segment after `/v3/REST/` and the store collection name, e.g. `template`. */
  name: string;
  idStart: number;
  writable: Record<string, FieldSpec>;
  /** Shown, never written: `ID` and the service-maintained properties. */
  readOnly: readonly string[];
  /** The documented list filters, by their query parameter name. */
  filters: Record<string, Filter>;
  /** The read-only properties of a new object. */
  init(ctx: RouteContext, fields: Json): Json;
  /**
   * Read-only properties that follow from writable ones a PUT changed (a template's `OwnerId`
   * from its `OwnerType`); merged before `validate`.
   */
  derive?(ctx: RouteContext, next: Json, current: Json): Json;
  /** Resolves a non-numeric `{id}` (a template's `OwnerType|Name`, a key's public `APIKey`...). */
  lookupKey?(ctx: RouteContext, raw: string, all: Json[]): Json | undefined;
  /** Which stored objects the caller sees; default all. */
  visible?(ctx: RouteContext, record: Json): boolean;
  /** Rules across objects (uniqueness) and fields; throws a 400. `current` is absent on create. */
  validate?(ctx: RouteContext, candidate: Json, current?: Json): void;
  /** What GET and PUT show; default the stored object. */
  render?(record: Json): Json;
  /** What the POST that created it shows; default `render`. */
  renderCreated?(record: Json): Json;
  /** Runs before a DELETE; may refuse it by throwing. */
  beforeDelete?(ctx: RouteContext, record: Json): void;
  afterDelete?(ctx: RouteContext, record: Json): void;
  /** Properties the service refreshes on every change (e.g. `LastUpdatedAt`). */
  touch?(record: Json): Json;
}

export function envelope(data: Json[], total = data.length): Json {
  return { Count: data.length, Data: data, Total: total };
}

export function ok(data: Json[], status = 200): EmuResponse {
  return { status, body: envelope(data) };
}

export const NOT_MODIFIED: EmuResponse = { status: 304 };

/** Mailjet's timestamps: ISO 8601 in UTC, whole seconds. */
export function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function collectionOf(ctx: RouteContext, spec: ResourceSpec): Collection<Json> {
  return ctx.store.collection<Json>(spec.name);
}

/** Query parameters by lower-cased name (Mailjet does not care about their case). */
export class Query {
  private readonly byName = new Map<string, { name: string; value: string }>();

  constructor(params: URLSearchParams) {
    for (const [name, value] of params) this.byName.set(name.toLowerCase(), { name, value });
  }

  get(name: string): string | undefined {
    return this.byName.get(name.toLowerCase())?.value;
  }

  names(): string[] {
    return [...this.byName.values()].map((p) => p.name);
  }
}

/** The stored object an `{id}` path segment names, among those the caller sees; else 404. */
export function findRecord(ctx: RouteContext, spec: ResourceSpec, raw: string | undefined): Json {
  const visible = visibleRecords(ctx, spec);
  let found: Json | undefined;
  if (raw !== undefined && /^\d+$/.test(raw)) found = visible.find((r) => r.ID === Number(raw));
  else if (raw !== undefined && spec.lookupKey) found = spec.lookupKey(ctx, raw, visible);
  if (!found) throw notFound();
  return found;
}

function visibleRecords(ctx: RouteContext, spec: ResourceSpec): Json[] {
  const all = collectionOf(ctx, spec).list();
  return spec.visible ? all.filter((r) => spec.visible!(ctx, r)) : all;
}

export function parseBodyObject(body: unknown, required: boolean): Json {
  if (body === undefined) {
    if (required) throw badRequest("Invalid json input: empty request body, expected a JSON object");
    return {};
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) {
    throw badRequest("Invalid json input: expected a JSON object");
  }
  return body as Json;
}

/** Checks each given property against the resource's fields; answers the accepted values. */
export function validateFields(spec: ResourceSpec, body: Json, current?: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(body)) {
    const field = spec.writable[key];
    if (!field) {
      if (spec.readOnly.includes(key)) throw badRequest(`Property "${key}" of ${spec.name} is read-only`);
      throw badRequest(`Invalid json input: ${spec.name} has no property "${key}"`);
    }
    const problem = checkValue(field, value);
    if (problem) throw badRequest(`Invalid value for property "${key}": ${problem}`);
    if (current && field.createOnly && !isDeepStrictEqual(current[key], value)) {
      throw badRequest(`Property "${key}" of ${spec.name} cannot be changed after creation`);
    }
    out[key] = value;
  }
  return out;
}

function checkValue(field: FieldSpec, value: unknown): string | undefined {
  const allowed = field.values ? `one of ${field.values.join(", ")}` : undefined;
  switch (field.type) {
    case "string":
      if (typeof value !== "string") return `expected ${allowed ?? "a string"}`;
      if (field.nonEmpty && value.trim() === "") return "a non-empty value is required";
      if (field.values && !field.values.includes(value)) return `expected ${allowed}`;
      break;
    case "boolean":
      if (typeof value !== "boolean") return "expected true or false";
      break;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value)) return `expected ${allowed ?? "an integer"}`;
      if (field.values && !field.values.includes(value)) return `expected ${allowed}`;
      break;
    case "string[]":
      if (!Array.isArray(value) || value.some((v) => typeof v !== "string")) return "expected an array of strings";
      if (field.values && value.some((v) => !field.values!.includes(v))) return `expected items among ${field.values.join(", ")}`;
      break;
  }
  return field.check?.(value);
}

function sortValue(v: unknown): string | number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "string") return v;
  return JSON.stringify(v ?? "");
}

function compare(a: unknown, b: unknown): number {
  const [x, y] = [sortValue(a), sortValue(b)];
  if (typeof x === "number" && typeof y === "number") return x - y;
  return String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
}

function nonNegativeInteger(query: Query, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw)) throw badRequest(`Invalid value for ${name}: expected a non-negative integer, got "${raw}"`);
  return Number(raw);
}

const PAGING = ["Limit", "Offset", "Sort", "countOnly"];

export function listRecords(ctx: RouteContext, spec: ResourceSpec): EmuResponse {
  const query = new Query(ctx.req.query);
  const filterNames = new Map(Object.keys(spec.filters).map((f) => [f.toLowerCase(), f]));
  for (const name of query.names()) {
    const lower = name.toLowerCase();
    if (!filterNames.has(lower) && !PAGING.some((p) => p.toLowerCase() === lower)) {
      throw badRequest(`Unknown filter "${name}" for ${spec.name}`);
    }
  }

  let records = visibleRecords(ctx, spec);
  for (const [lower, filter] of filterNames) {
    const value = query.get(lower);
    if (value !== undefined) records = records.filter((r) => spec.filters[filter]!(r, value, query));
  }

  const sort = query.get("Sort");
  if (sort !== undefined) {
    const [prop, direction = "ASC", ...rest] = sort.trim().split(/[ +]+/);
    const known = ["ID", ...Object.keys(spec.writable), ...spec.readOnly];
    const key = known.find((k) => k.toLowerCase() === (prop ?? "").toLowerCase());
    const dir = direction.toUpperCase();
    if (!key || rest.length > 0 || (dir !== "ASC" && dir !== "DESC")) {
      throw badRequest(`Invalid value for Sort: "${sort}" (expected a property name, optionally followed by ASC or DESC)`);
    }
    const sign = dir === "DESC" ? -1 : 1;
    records = [...records].sort((a, b) => sign * compare(a[key], b[key]) || compare(a.ID, b.ID));
  }

  const countOnly = query.get("countOnly");
  if (countOnly !== undefined && countOnly !== "0" && countOnly !== "1") {
    throw badRequest(`Invalid value for countOnly: expected 0 or 1, got "${countOnly}"`);
  }
  if (countOnly === "1") return { status: 200, body: { Count: records.length, Data: [], Total: records.length } };

  const limit = Math.min(nonNegativeInteger(query, "Limit") ?? DEFAULT_LIMIT, MAX_LIMIT);
  const offset = nonNegativeInteger(query, "Offset") ?? 0;
  const page = records.slice(offset, offset + limit).map((r) => render(spec, r));
  return { status: 200, body: envelope(page, records.length) };
}

export function render(spec: ResourceSpec, record: Json): Json {
  return spec.render ? spec.render(record) : { ...record };
}

export function createRecord(ctx: RouteContext, spec: ResourceSpec): EmuResponse {
  const fields = validateFields(spec, parseBodyObject(ctx.body, true));
  for (const [key, field] of Object.entries(spec.writable)) {
    if (fields[key] !== undefined) continue;
    if (field.required) throw badRequest(`Property "${key}" is required`);
    const value = field.defaultFrom ? field.defaultFrom(ctx) : field.default;
    if (value !== undefined) fields[key] = structuredClone(value);
  }
  const ordered: Json = Object.fromEntries(Object.keys(spec.writable).filter((k) => k in fields).map((k) => [k, fields[k]]));
  const computed = spec.init(ctx, ordered);
  spec.validate?.(ctx, { ID: 0, ...ordered, ...computed });
  const id = ctx.store.nextId(spec.name, spec.idStart);
  const record: Json = { ID: id, ...ordered, ...computed };
  collectionOf(ctx, spec).set(id, record);
  return ok([spec.renderCreated ? spec.renderCreated(record) : render(spec, record)], 201);
}

export function updateRecord(ctx: RouteContext, spec: ResourceSpec, current: Json): EmuResponse {
  const fields = validateFields(spec, parseBodyObject(ctx.body, false), current);
  const changed = Object.keys(fields).filter((k) => !isDeepStrictEqual(current[k], fields[k]));
  if (changed.length === 0) return NOT_MODIFIED;
  let next: Json = { ...current, ...fields };
  if (spec.derive) next = { ...next, ...spec.derive(ctx, next, current) };
  spec.validate?.(ctx, next, current);
  if (spec.touch) next = { ...next, ...spec.touch(next) };
  collectionOf(ctx, spec).set(current.ID as number, next);
  return ok([render(spec, next)]);
}

export function deleteRecord(ctx: RouteContext, spec: ResourceSpec, current: Json): EmuResponse {
  spec.beforeDelete?.(ctx, current);
  collectionOf(ctx, spec).delete(current.ID as number);
  spec.afterDelete?.(ctx, current);
  return { status: 204 };
}

/** The five routes of a resource: list, create, get, update, delete. */
export function restRoutes(spec: ResourceSpec): Route[] {
  const base = `${REST}/${spec.name}`;
  const r = (method: HttpMethod, pattern: string, handle: Route["handle"]): Route => ({ method, pattern, handle });
  return [
    r("GET", base, (ctx) => listRecords(ctx, spec)),
    r("POST", base, (ctx) => createRecord(ctx, spec)),
    r("GET", `${base}/{id}`, (ctx) => ok([render(spec, findRecord(ctx, spec, ctx.params.id))])),
    r("PUT", `${base}/{id}`, (ctx) => updateRecord(ctx, spec, findRecord(ctx, spec, ctx.params.id))),
    r("DELETE", `${base}/{id}`, (ctx) => deleteRecord(ctx, spec, findRecord(ctx, spec, ctx.params.id))),
  ];
}

// Filters -------------------------------------------------------------------------------------

export function parseBool(name: string, value: string): boolean {
  const v = value.toLowerCase();
  if (v === "true" || v === "1") return true;
  if (v === "false" || v === "0") return false;
  throw badRequest(`Invalid value for ${name}: expected true or false, got "${value}"`);
}

/** Exact match of a string property. */
export const byString = (prop: string): Filter => (r, v) => r[prop] === v;

export const byBool = (prop: string): Filter => (r, v) => r[prop] === parseBool(prop, v);

export const byInteger = (prop: string): Filter => (r, v) => {
  if (!/^-?\d+$/.test(v)) throw badRequest(`Invalid value for ${prop}: expected an integer, got "${v}"`);
  return r[prop] === Number(v);
};

export const SELECTION_METHODS = ["containsany", "containsall"] as const;

/**
 * An array property against a comma-separated list; `{prop}SelectionMethod` says whether one
 * (`containsany`, the default) or every (`containsall`) listed value must be present.
 */
export const byList = (prop: string): Filter => (r, v, query) => {
  const method = (query.get(`${prop}SelectionMethod`) ?? "containsany").toLowerCase();
  const wanted = v.split(",").map((s) => s.trim()).filter(Boolean);
  const have = Array.isArray(r[prop]) ? (r[prop] as unknown[]) : [];
  if (method === "containsall") return wanted.every((w) => have.includes(w));
  return wanted.some((w) => have.includes(w));
};

/** A modifier of another filter: only its value is checked. */
export const selectionMethod = (prop: string): Filter => (_r, v) => {
  if (!(SELECTION_METHODS as readonly string[]).includes(v.toLowerCase())) {
    throw badRequest(`Invalid value for ${prop}: expected one of ${SELECTION_METHODS.join(", ")}, got "${v}"`);
  }
  return true;
};

/**
 * A stack that sets every field the schema defines, one entry of every kind (key `k1`), derived from
 * schemas/stack.schema.json: for the parity tests of the resolved form and of each kind's inputs.
 */
import { STACK_SCHEMA } from "../../config";

type Schema = Record<string, unknown>;

/** The life-cycle options every entry accepts: not fields of the object. */
export const OPTIONS = ["protect", "retainOnDelete", "adopt", "movedFrom", "sampleData"];

const defs = STACK_SCHEMA.definitions as unknown as Record<string, Schema>;
const deref = (s: Schema): Schema => (typeof s.$ref === "string" ? deref(defs[s.$ref.split("/").pop()!]!) : s);

/** A valid value of a schema for a field named `name`. */
export function sample(raw: Schema, name: string): unknown {
  const s = deref(raw);
  if (Array.isArray(s.enum)) return s.enum[0];
  if (name === "movedFrom") return "k0"; // a key no entry has
  if (Array.isArray(s.anyOf)) return Array.isArray(s.examples) ? s.examples[0] : `sample ${name}`;
  if (Array.isArray(s.examples)) return s.examples[0];
  switch (s.type) {
    case "boolean":
      return true;
    case "string":
      if (name === "locale") return "en_US";
      if (typeof s.pattern === "string" && /http/.test(s.pattern)) return "https://hooks.example.com/sample";
      if (name === "email") return "sample@example.com";
      if (name === "domainName") return "mail.example.com";
      return `sample ${name}`.replace(/\s/g, name === "emailUsername" ? "-" : " ");
    case "array":
      return [sample(s.items as Schema, name)];
    case "object": {
      if (s.propertyNames) return { k1: sample(s.additionalProperties as Schema, name) };
      if (!s.properties) return { any: 1 };
      return Object.fromEntries(Object.entries(s.properties as Record<string, Schema>).map(([k, v]) => [k, sample(v, k)]));
    }
    default:
      throw new Error(`no sample for ${name}`);
  }
}

export function sampleStack(): Record<string, Record<string, unknown>> {
  const root = STACK_SCHEMA as unknown as Schema;
  const stack = Object.fromEntries(Object.entries(root.properties as Record<string, Schema>).map(([k, v]) => [k, sample(v, k)])) as Record<
    string,
    Record<string, unknown>
  >;
  stack.mailtrap!.apiVersion = "v2"; // v1 has no templates or tokens
  // References must point at real entries and a permission names one target.
  for (const holder of ["apiTokens", "accountAccesses"]) {
    (stack.mailtrap![holder] as Record<string, Record<string, unknown>>).k1!.permissions = [
      { project: "k1", access: "admin" },
      { inbox: "k1/k1", access: "viewer" },
    ];
  }
  (stack.mailtrap!.webhooks as Record<string, Record<string, unknown>>).k1!.domain = "k1";
  // An admin holds every scope (its scopes are ignored): the sample's teammate has scopes instead.
  (stack.sendgrid!.teammates as Record<string, Record<string, unknown>>).k1!.admin = false;
  return stack;
}

/** Email templates: `{email_template: {name, category, subject, body_text, body_html}}`. */
import { randomUUID } from "node:crypto";
import type { VendorStore } from "../core/store";
import type { Route } from "../core/types";
import { COLLECTIONS, findOr404, nextId } from "./data";
import { FLAVORS, ok, route, type Flavor } from "./flavor";
import { requireWrapper, Validator } from "./validate";

export interface TemplateRecord {
  id: number;
  uuid: string;
  name: string;
  category: string;
  subject: string;
  body_text: string;
  body_html: string;
  created_at: string;
  updated_at: string;
}

const BODY_MAX = 10_000_000;

function templates(store: VendorStore) {
  return store.collection<TemplateRecord>(COLLECTIONS.templates);
}

/** Validates create (all required fields) or update (only the given ones). */
function validate(attrs: Record<string, unknown>, creating: boolean): Partial<TemplateRecord> {
  const v = new Validator();
  const out: Partial<TemplateRecord> = {};
  for (const field of ["name", "category", "subject"] as const) {
    if (!creating && attrs[field] === undefined) continue;
    const value = v.string(attrs, field, { required: true, max: 255 });
    if (value !== undefined) out[field] = value;
  }
  for (const field of ["body_text", "body_html"] as const) {
    if (attrs[field] === undefined) continue;
    if (attrs[field] === null) {
      out[field] = "";
      continue;
    }
    const value = v.string(attrs, field, { max: BODY_MAX });
    if (value !== undefined) out[field] = value;
  }
  v.check();
  return out;
}

function routesFor(f: Flavor): Route[] {
  return [
    route(f, "GET", "/email_templates", ({ store }) => ok(templates(store).list())),
    route(f, "POST", "/email_templates", ({ store, body }) => {
      const attrs = validate(requireWrapper(body, "email_template"), true);
      const id = nextId(store, COLLECTIONS.templates);
      const now = new Date().toISOString();
      const record: TemplateRecord = {
        id,
        uuid: randomUUID(),
        name: attrs.name!,
        category: attrs.category!,
        subject: attrs.subject!,
        body_text: attrs.body_text ?? "",
        body_html: attrs.body_html ?? "",
        created_at: now,
        updated_at: now,
      };
      return ok(templates(store).set(id, record), 201);
    }),
    route(f, "GET", "/email_templates/{email_template_id}", ({ store, params }) =>
      ok(findOr404(templates(store), params.email_template_id)),
    ),
    route(f, "PATCH", "/email_templates/{email_template_id}", ({ store, params, body }) => {
      const current = findOr404(templates(store), params.email_template_id);
      const attrs = validate(requireWrapper(body, "email_template"), false);
      return ok(templates(store).set(current.id, { ...current, ...attrs, updated_at: new Date().toISOString() }));
    }),
    route(f, "DELETE", "/email_templates/{email_template_id}", ({ store, params }) => {
      const current = findOr404(templates(store), params.email_template_id);
      templates(store).delete(current.id);
      return { status: 204 };
    }),
  ];
}

export function templateRoutes(): Route[] {
  return FLAVORS.flatMap(routesFor);
}

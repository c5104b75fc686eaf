/**
 * Email templates: `{email_template: {name, category, subject, body_text, body_html}}`.
 *
 * Create and update take the one documented body, `EmailTemplateRequest`, whose `name`, `subject`
 * and `category` are required: a PATCH without one of them answers 422 `can't be blank`, as a POST
 * does. A body cannot be cleared once set: a blank (`""` or null) `body_text`/`body_html` in a PATCH
 * leaves the stored body as it is (the official Terraform provider documents the same: "The API
 * cannot clear a body once set").
 */
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

/** Validates a create or an update: the same documented body, name, category and subject required. */
function validate(attrs: Record<string, unknown>, creating: boolean): Partial<TemplateRecord> {
  const v = new Validator();
  const out: Partial<TemplateRecord> = {};
  for (const field of ["name", "category", "subject"] as const) {
    const value = v.string(attrs, field, { required: true, max: 255 });
    if (value !== undefined) out[field] = value;
  }
  for (const field of ["body_text", "body_html"] as const) {
    if (attrs[field] === undefined) continue;
    if (attrs[field] === null || attrs[field] === "") {
      // Stored empty on create; on update a blank body does not clear the one stored.
      if (creating) out[field] = "";
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

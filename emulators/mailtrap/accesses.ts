/**
 * Account accesses and permissions (account-management document): `/api/account_accesses` (users
 * and invites, filtered by `project_ids`, `sandbox_ids`, `domain_ids`), `DELETE
 * .../{account_access_id}` (a user loses the account's permissions, an invite is withdrawn),
 * `PUT .../{account_access_id}/permissions/bulk` (a resource type and id already granted is
 * updated, a new one created, `_destroy: true` removes it) and `/api/permissions/resources` (the
 * account's resource tree). The document has no create: people are invited in the web UI, which
 * tests stand in for through the admin surface (`PUT /admin/objects/mailtrap/account_accesses/<id>`).
 * The account's owner is always listed and can be neither removed nor changed (403). The document
 * names no validation error for the bulk PUT: an unknown resource is its 404, a malformed body a
 * 422 in Mailtrap's usual shape.
 */
import type { VendorStore } from "../core/store";
import type { Route, RouteContext } from "../core/types";
import { forbidden, notFound, unprocessable } from "./errors";
import { COLLECTIONS, findOr404, projects, resourceExists, sandboxes, type PermissionResource } from "./data";
import { FLAVORS, ok, route, type Flavor } from "./flavor";
import { isObject, parseId } from "./validate";

type ResourceType = PermissionResource;

interface AccessResource {
  resource_id: number;
  resource_type: ResourceType;
  access_level: 1000 | 100 | 50 | 10 | 1;
}

export interface AccessRecord {
  id: number;
  specifier_type: "User" | "Invite";
  specifier: { id: number; email: string; name?: string; two_factor_authentication_enabled?: boolean };
  resources: AccessResource[];
}

/** The owner's access, which every account has. */
export const OWNER_ACCESS_ID = 7000;
/** The request's resource type, in either path generation's words. */
const TYPES: Record<string, ResourceType> = {
  account: "account",
  billing: "billing",
  project: "project",
  sandbox: "sandbox",
  inbox: "sandbox",
  domain: "domain",
  sending_domain: "domain",
  email_campaign_permission_scope: "email_campaign_permission_scope",
};
const LEVELS: Record<string, 100 | 10> = { admin: 100, viewer: 10, "100": 100, "10": 10 };

function accesses(store: VendorStore) {
  return store.collection<AccessRecord>(COLLECTIONS.accesses);
}

function owner(accountId: number): AccessRecord {
  return {
    id: OWNER_ACCESS_ID,
    specifier_type: "User",
    specifier: { id: 1, email: "owner@example.com", name: "Account Owner", two_factor_authentication_enabled: true },
    resources: [{ resource_id: accountId, resource_type: "account", access_level: 1000 }],
  };
}

/** Stored types use the current names; the older paths say `inbox` and `sending_domain`. */
function render(a: AccessRecord, f: Flavor): Record<string, unknown> {
  const isOwner = a.id === OWNER_ACCESS_ID;
  const resources = a.resources.map((r) => ({ ...r, resource_type: r.resource_type === "sandbox" ? f.inbox : r.resource_type === "domain" ? f.domain : r.resource_type }));
  return { ...a, resources, permissions: { can_read: true, can_update: !isOwner, can_destroy: !isOwner, can_leave: !isOwner } };
}

function all(ctx: RouteContext): AccessRecord[] {
  return [owner(ctx.credentials.mailtrap.accountId), ...accesses(ctx.store).list()];
}

/** `project_ids=1&project_ids=2` or `project_ids[]=1`: ids as strings. */
function ids(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(name), ...query.getAll(`${name}[]`)].flatMap((v) => v.split(","));
}

function bulk(ctx: RouteContext, access: AccessRecord): AccessRecord {
  const list = isObject(ctx.body) ? ctx.body.permissions : undefined;
  if (!Array.isArray(list)) throw unprocessable({ permissions: ["can't be blank"] });
  let resources = [...access.resources];
  for (const item of list) {
    if (!isObject(item)) throw unprocessable({ permissions: ["is invalid"] });
    const type = typeof item.resource_type === "string" ? TYPES[item.resource_type] : undefined;
    if (!type) throw unprocessable({ resource_type: ["is not included in the list"] });
    const rawId = item.resource_id;
    const id = typeof rawId === "number" ? rawId : parseId(typeof rawId === "string" ? rawId : undefined);
    if (id === undefined || !Number.isInteger(id)) throw unprocessable({ resource_id: ["is invalid"] });
    if (!resourceExists(ctx, type, id)) throw notFound();
    const others = resources.filter((r) => !(r.resource_type === type && r.resource_id === id));
    if (item._destroy === true) {
      resources = others;
      continue;
    }
    const level = LEVELS[String(item.access_level)];
    if (level === undefined) throw unprocessable({ access_level: ["is not included in the list"] });
    resources = [...others, { resource_id: id, resource_type: type, access_level: level }];
  }
  return accesses(ctx.store).set(access.id, { ...access, resources });
}

interface Node {
  id: number;
  name: string;
  type: string;
  access_level: number;
  resources: Node[];
}

function tree(ctx: RouteContext): Node[] {
  const node = (id: number, name: string, type: string, resources: Node[] = []): Node => ({ id, name, type, access_level: 100, resources });
  const accountId = ctx.credentials.mailtrap.accountId;
  const boxes = sandboxes(ctx.store).list();
  return [
    node(accountId, "Account", "account", [
      node(accountId, "Templates", "email_template_permission_scope"),
      ...projects(ctx.store).list().map((p) => node(p.id, p.name, "project", boxes.filter((s) => s.project_id === p.id).map((s) => node(s.id, s.name, "sandbox")))),
      ...ctx.store.collection<{ id: number; domain_name: string }>(COLLECTIONS.domains).list().map((d) => node(d.id, d.domain_name, "domain")),
    ]),
  ];
}

function routesFor(f: Flavor): Route[] {
  const one = "/account_accesses/{account_access_id}";
  const find = (ctx: RouteContext): AccessRecord => {
    if (ctx.params.account_access_id === String(OWNER_ACCESS_ID)) throw forbidden();
    return findOr404(accesses(ctx.store), ctx.params.account_access_id);
  };
  return [
    route(f, "GET", "/account_accesses", (ctx) => {
      const filters: [ResourceType, string[]][] = [
        ["project", ids(ctx.req.query, "project_ids")],
        ["sandbox", ids(ctx.req.query, f.name === "current" ? "sandbox_ids" : "inbox_ids")],
        ["domain", ids(ctx.req.query, "domain_ids")],
      ];
      const wanted = filters.filter(([, list]) => list.length > 0);
      const shown = wanted.length === 0 ? all(ctx) : all(ctx).filter((a) => a.resources.some((r) => wanted.some(([t, list]) => r.resource_type === t && list.includes(String(r.resource_id)))));
      return ok(shown.map((a) => render(a, f)));
    }),
    route(f, "DELETE", one, (ctx) => {
      const access = find(ctx);
      accesses(ctx.store).delete(access.id);
      return ok({ id: access.id });
    }),
    route(f, "PUT", `${one}/permissions/bulk`, (ctx) => {
      bulk(ctx, find(ctx));
      return ok({ message: "Permissions have been updated!" });
    }),
    route(f, "GET", "/permissions/resources", (ctx) => ok(tree(ctx))),
  ];
}

export function accessRoutes(): Route[] {
  return FLAVORS.flatMap(routesFor);
}

/**
 * API tokens. The secret `token` appears only in the answers to create and reset. Reset expires
 * the token (sets `expires_at`) and creates a new one with the same permissions; a token that
 * already has an expiry cannot be reset again (422). Created tokens are records only: the
 * emulator authenticates nothing but the configured credentials.
 */
import type { VendorStore } from "../core/store";
import type { Route, RouteContext } from "../core/types";
import { unprocessable } from "./errors";
import { ACCOUNT_NAME } from "./accounts";
import { COLLECTIONS, findOr404, hex, nextId, resourceExists } from "./data";
import { FLAVORS, ok, route, type Flavor } from "./flavor";
import { isObject, Validator } from "./validate";

/** Stored resource types use the current names; the older paths show inbox/sending_domain. */
type ResourceType = "account" | "project" | "sandbox" | "domain";

interface ResourcePermission {
  resource_type: ResourceType;
  resource_id: number | string;
  access_level: 10 | 100;
}

export interface TokenRecord {
  id: number;
  name: string;
  last_4_digits: string;
  created_by: string;
  expires_at: string | null;
  resources: ResourcePermission[];
  /** The secret; never rendered except by create and reset. */
  token: string;
}

/** How long a reset token keeps working (the docs say "a short grace period"). */
export const RESET_GRACE_MS = 60 * 60 * 1000;

const TYPE_ALIASES: Record<string, ResourceType> = {
  account: "account",
  project: "project",
  sandbox: "sandbox",
  inbox: "sandbox",
  domain: "domain",
  sending_domain: "domain",
};

function tokens(store: VendorStore) {
  return store.collection<TokenRecord>(COLLECTIONS.tokens);
}

function render(token: TokenRecord, f: Flavor, withSecret = false): Record<string, unknown> {
  const { token: secret, resources, ...rest } = token;
  const shown = resources.map((r) => ({
    ...r,
    resource_type: r.resource_type === "sandbox" ? f.inbox : r.resource_type === "domain" ? f.domain : r.resource_type,
  }));
  return { ...rest, resources: shown, ...(withSecret ? { token: secret } : {}) };
}

function validateCreate(ctx: RouteContext): { name: string; resources: ResourcePermission[] } {
  const body = isObject(ctx.body) ? ctx.body : {};
  const v = new Validator();
  const name = v.string(body, "name", { required: true, max: 255 });
  v.check();
  const raw = body.resources;
  if (raw !== undefined && !Array.isArray(raw)) throw unprocessable({ resources: ["is invalid"] });
  if (!raw || raw.length === 0) throw unprocessable({ base: ["No permissions selected. Please choose at least one."] });
  const resources = raw.map((item): ResourcePermission => {
    if (!isObject(item)) throw unprocessable({ resources: ["is invalid"] });
    const type = typeof item.resource_type === "string" ? TYPE_ALIASES[item.resource_type] : undefined;
    if (!type) throw unprocessable({ resource_type: ["is not included in the list"] });
    const id = item.resource_id;
    if (!(Number.isInteger(id) || (typeof id === "string" && /^\d+$/.test(id)))) {
      throw unprocessable({ resource_id: ["is invalid"] });
    }
    if (item.access_level !== 10 && item.access_level !== 100) {
      throw unprocessable({ access_level: ["is not included in the list"] });
    }
    if (!resourceExists(ctx, type, id as number | string)) throw unprocessable({ base: ["Resource not found"] });
    return { resource_type: type, resource_id: id as number | string, access_level: item.access_level };
  });
  return { name: name!, resources };
}

function issue(store: VendorStore, name: string, resources: ResourcePermission[]): TokenRecord {
  const id = nextId(store, COLLECTIONS.tokens);
  const secret = hex(16);
  return tokens(store).set(id, {
    id,
    name,
    last_4_digits: secret.slice(-4),
    created_by: ACCOUNT_NAME,
    expires_at: null,
    resources,
    token: secret,
  });
}

function routesFor(f: Flavor): Route[] {
  return [
    route(f, "GET", "/api_tokens", ({ store }) => ok(tokens(store).list().map((t) => render(t, f)))),
    route(f, "POST", "/api_tokens", (ctx) => {
      const { name, resources } = validateCreate(ctx);
      return ok(render(issue(ctx.store, name, resources), f, true));
    }),
    route(f, "GET", "/api_tokens/{id}", ({ store, params }) => ok(render(findOr404(tokens(store), params.id), f))),
    route(f, "DELETE", "/api_tokens/{id}", ({ store, params }) => {
      const token = findOr404(tokens(store), params.id);
      tokens(store).delete(token.id);
      return { status: 204 };
    }),
    route(f, "POST", "/api_tokens/{id}/reset", ({ store, params }) => {
      const old = findOr404(tokens(store), params.id);
      if (old.expires_at !== null) throw unprocessable({ base: ["Token has already been reset"] });
      tokens(store).set(old.id, { ...old, expires_at: new Date(Date.now() + RESET_GRACE_MS).toISOString() });
      return ok(render(issue(store, old.name, old.resources), f, true));
    }),
  ];
}

export function tokenRoutes(): Route[] {
  return FLAVORS.flatMap(routesFor);
}

/**
 * Mailtrap API v2 exists under two path generations backed by the same data: `current`
 * (`/api/projects`, `/api/sandboxes`, `/api/domains`) and `account-scoped`
 * (`/api/accounts/{account_id}/projects`, `.../inboxes`, `.../sending_domains`).
 */
import type { HttpMethod, Route, RouteContext, EmuResponse } from "../core/types";
import { forbidden } from "./errors";

export interface Flavor {
  name: "current" | "account-scoped";
  prefix: string;
  /** Path word and body wrapper for a sandbox. */
  inbox: "sandbox" | "inbox";
  inboxes: "sandboxes" | "inboxes";
  /** Path word and body wrapper for a sending domain. */
  domain: "domain" | "sending_domain";
  domains: "domains" | "sending_domains";
}

export const CURRENT: Flavor = {
  name: "current",
  prefix: "/api",
  inbox: "sandbox",
  inboxes: "sandboxes",
  domain: "domain",
  domains: "domains",
};

export const ACCOUNT_SCOPED: Flavor = {
  name: "account-scoped",
  prefix: "/api/accounts/{account_id}",
  inbox: "inbox",
  inboxes: "inboxes",
  domain: "sending_domain",
  domains: "sending_domains",
};

export const FLAVORS = [CURRENT, ACCOUNT_SCOPED];

export type Handler = (ctx: RouteContext) => EmuResponse;

/** A route under the flavor's prefix; account-scoped routes answer 403 for another account. */
export function route(flavor: Flavor, method: HttpMethod, path: string, handle: Handler): Route {
  return {
    method,
    pattern: `${flavor.prefix}${path}`,
    handle(ctx) {
      if (flavor.name === "account-scoped" && ctx.params.account_id !== String(ctx.credentials.mailtrap.accountId)) {
        throw forbidden();
      }
      return handle(ctx);
    },
  };
}

export function ok(body: unknown, status = 200): EmuResponse {
  return { status, body };
}

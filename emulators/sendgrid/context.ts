/**
 * Who is calling, per request: the configured (parent) credential or an API key created through
 * the emulator, each with its scopes; and whose objects it acts on: the account's own, or a
 * subuser's when the `On-Behalf-Of` header names one. Objects carry that owner and are invisible
 * to every other owner.
 */
import type { EmuRequest, HttpMethod, Route, RouteContext, EmuResponse } from "../core/types";
import type { VendorStore } from "../core/store";
import { fail, forbidden } from "./errors";
import { accountGrantedScopes } from "./account";
import { PARENT_SCOPES } from "./scopes";
import { enforceAllowList } from "./access";
import { subuserExists } from "./subusers";

export const COLLECTIONS = {
  templates: "templates",
  apiKeys: "api_keys",
  groups: "asm_groups",
  teammates: "teammates",
} as const;

/** What `authenticate` leaves in `req.notes.sendgrid`. */
export type Presented = { kind: "parent" } | { kind: "key"; keyId: string };

export interface Caller {
  /** "" for the account itself, else the subuser (or `account-id <id>`) acted for. */
  owner: string;
  scopes: readonly string[];
  /** The API key that authenticated, when it is not the configured credential. */
  keyId?: string;
}

export interface ApiKeyRecord {
  api_key_id: string;
  /** The whole secret, as shown once on create. */
  api_key: string;
  owner: string;
  name: string;
  scopes: string[];
}

export interface SgContext extends RouteContext {
  caller: Caller;
}

export type SgHandler = (ctx: SgContext) => EmuResponse;

function onBehalfOf(req: EmuRequest): string | undefined {
  const raw = req.headers["on-behalf-of"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value && value.trim() !== "" ? value.trim() : undefined;
}

export function resolveCaller(req: EmuRequest, store: VendorStore): Caller {
  const presented = req.notes.sendgrid as Presented | undefined;
  let caller: Caller;
  if (!presented || presented.kind === "parent") {
    // The account's own credential holds what SendGrid assigns by itself on this account too.
    const assigned = accountGrantedScopes(store).filter((s) => !PARENT_SCOPES.includes(s));
    caller = { owner: "", scopes: assigned.length > 0 ? [...PARENT_SCOPES, ...assigned] : PARENT_SCOPES };
  }
  else {
    // Re-read: the key may have been changed by an earlier request.
    const key = store.collection<ApiKeyRecord>(COLLECTIONS.apiKeys).get(presented.keyId);
    if (!key) throw fail(401, "authorization required");
    caller = { owner: key.owner, scopes: key.scopes, keyId: key.api_key_id };
  }
  const subuser = onBehalfOf(req);
  if (subuser !== undefined) {
    // Only the account itself may act for its subusers, and only for the ones it has.
    if (caller.owner !== "" || !subuserExists(store, subuser)) throw forbidden();
    caller = { ...caller, owner: subuser };
  }
  return caller;
}

/** A route that resolves the caller and requires `scope` (none: any authenticated caller). */
export function route(method: HttpMethod, pattern: string, scope: string | undefined, handle: SgHandler): Route {
  return {
    method,
    pattern,
    handle(ctx) {
      const caller = resolveCaller(ctx.req, ctx.store);
      enforceAllowList(ctx.req, ctx.store, caller);
      if (scope !== undefined && !caller.scopes.includes(scope)) throw forbidden();
      return handle({ ...ctx, caller });
    },
  };
}

/** `2026-01-22 13:12:46`: the timestamp format of template objects. */
export function timestamp(date = new Date()): string {
  return date.toISOString().slice(0, 19).replace("T", " ");
}

/** The base URL the client used, for links in bodies and headers. */
export function baseUrl(req: EmuRequest): string {
  const host = req.headers.host ?? "localhost";
  return `http://${host}`;
}

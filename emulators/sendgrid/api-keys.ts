/**
 * API keys. The secret (`api_key`, `SG.<api_key_id>.<secret>`) is shown once, in the 201 of the
 * create; a key authenticates like the configured credential, limited to its scopes. No `scopes`
 * means full access; the service adds the scopes it grants every key, and those it assigns on this
 * account (account.ts). A PUT sets the scopes it is given plus the ones granted every key. At most
 * 100 keys per owner.
 * The list pages with `limit`/`offset` and an RFC 5988 `Link` header.
 */
import { randomBytes } from "node:crypto";
import type { VendorStore } from "../core/store";
import type { EmuResponse } from "../core/types";
import { COLLECTIONS, route, type ApiKeyRecord, type SgContext } from "./context";
import { fail, forbidden, notFound, objectBody, Validator } from "./errors";
import { offsetPage } from "./paging";
import { accountGrantedScopes } from "./account";
import { grantedScopes, isKnownScope } from "./scopes";

export const MAX_API_KEYS = 100;

export function apiKeys(store: VendorStore) {
  return store.collection<ApiKeyRecord>(COLLECTIONS.apiKeys);
}

function ownKey(ctx: SgContext): ApiKeyRecord {
  const key = apiKeys(ctx.store).get(ctx.params.api_key_id ?? "");
  if (!key || key.owner !== ctx.caller.owner) throw notFound("unable to find API Key");
  return key;
}

/** `scopes` from a body: absent = undefined; otherwise a list of known scope names. */
function readScopes(v: Validator, body: Record<string, unknown>, required: boolean): string[] | undefined {
  const raw = body.scopes;
  if (raw === undefined || raw === null) {
    if (required) v.add("scopes", "scopes must contain at least one scope");
    return undefined;
  }
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== "string")) {
    v.add("scopes", "scopes must be an array of strings");
    return undefined;
  }
  if (required && raw.length === 0) {
    v.add("scopes", "scopes must contain at least one scope");
    return undefined;
  }
  const unknown = (raw as string[]).filter((s) => !isKnownScope(s));
  if (unknown.length > 0) {
    v.add("scopes", `invalid scopes: ${unknown.join(", ")}`);
    return undefined;
  }
  return raw as string[];
}

/** A key cannot hand out scopes its creator does not hold. */
function withinCaller(ctx: SgContext, scopes: string[]): void {
  if (scopes.some((s) => !ctx.caller.scopes.includes(s))) throw forbidden("cannot grant scopes the calling key does not hold");
}

function createKey(ctx: SgContext): EmuResponse {
  const body = objectBody(ctx.body);
  const v = new Validator();
  const name = v.string(body, "name", { required: true, max: 100 });
  const requested = readScopes(v, body, false);
  v.check();
  const owned = apiKeys(ctx.store).list().filter((k) => k.owner === ctx.caller.owner);
  if (owned.length >= MAX_API_KEYS) throw fail(403, `you may have at most ${MAX_API_KEYS} API keys`);
  const requestedScopes = grantedScopes(requested);
  withinCaller(ctx, requestedScopes);
  // And what SendGrid assigns by itself on this account (see account.ts).
  const scopes = [...requestedScopes, ...accountGrantedScopes(ctx.store).filter((s) => !requestedScopes.includes(s))];
  const id = randomBytes(16).toString("base64url").slice(0, 22);
  const key = apiKeys(ctx.store).set(id, {
    api_key_id: id,
    api_key: `SG.${id}.${randomBytes(32).toString("base64url").slice(0, 43)}`,
    owner: ctx.caller.owner,
    name: name!,
    scopes,
  });
  return { status: 201, body: { api_key: key.api_key, api_key_id: key.api_key_id, name: key.name, scopes: key.scopes } };
}

function listKeys(ctx: SgContext): EmuResponse {
  const owned = apiKeys(ctx.store).list().filter((k) => k.owner === ctx.caller.owner);
  const { items, link } = offsetPage(ctx.req, "/v3/api_keys", owned);
  const listed = items.map((k) => ({ api_key_id: k.api_key_id, name: k.name }));
  return { status: 200, body: ctx.shapes.sendgridApiKeyList === "array" ? listed : { result: listed }, headers: { link } };
}

function renameKey(ctx: SgContext): EmuResponse {
  const key = ownKey(ctx);
  const body = objectBody(ctx.body);
  const v = new Validator();
  const name = v.string(body, "name", { required: true, max: 100 });
  v.check();
  const next = apiKeys(ctx.store).set(key.api_key_id, { ...key, name: name! });
  return { status: 200, body: { api_key_id: next.api_key_id, name: next.name } };
}

function replaceKey(ctx: SgContext): EmuResponse {
  const key = ownKey(ctx);
  const body = objectBody(ctx.body);
  const v = new Validator();
  const name = v.string(body, "name", { required: true, max: 100 });
  const requested = readScopes(v, body, true);
  v.check();
  const scopes = grantedScopes(requested);
  withinCaller(ctx, scopes);
  const next = apiKeys(ctx.store).set(key.api_key_id, { ...key, name: name!, scopes });
  // The documented answer is ApiKeyResponse, `{api_key_id, name}` (its example also shows scopes).
  return { status: 200, body: { api_key_id: next.api_key_id, name: next.name } };
}

function deleteKey(ctx: SgContext): EmuResponse {
  const key = ownKey(ctx);
  apiKeys(ctx.store).delete(key.api_key_id);
  return { status: 204 };
}

export function apiKeyRoutes() {
  const K = "/v3/api_keys";
  return [
    route("POST", K, "api_keys.create", createKey),
    route("GET", K, "api_keys.read", listKeys),
    route("GET", `${K}/{api_key_id}`, "api_keys.read", (ctx) => {
      const key = ownKey(ctx);
      const details = { api_key_id: key.api_key_id, name: key.name, scopes: key.scopes };
      return { status: 200, body: ctx.shapes.sendgridApiKey === "flat" ? details : { result: [details] } };
    }),
    route("PATCH", `${K}/{api_key_id}`, "api_keys.update", renameKey),
    route("PUT", `${K}/{api_key_id}`, "api_keys.update", replaceKey),
    route("DELETE", `${K}/{api_key_id}`, "api_keys.delete", deleteKey),
    // The scopes of the key making the call.
    route("GET", "/v3/scopes", undefined, (ctx) => ({ status: 200, body: { scopes: [...ctx.caller.scopes] } })),
  ];
}

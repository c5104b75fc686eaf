/**
 * Event webhooks, `/v3/user/webhooks/event/settings` (tsg_webhooks_v3.json): several per account,
 * each with an `id`: POST creates one and PATCH changes one (`url` required by both; `enabled`,
 * the event flags and `friendly_name` optional, flags false by default), `GET .../all` lists them
 * as `{max_allowed, webhooks}`, `GET .../{id}` reads one (without its dates, as documented),
 * DELETE removes one. URLs are unique per account (400 naming the webhook that has it); at most
 * `max_allowed` may be enabled at once (the plan's limit; 5 here). This document's errors carry
 * `message` (and `id`, `url` for a taken URL), no `field`.
 *
 * Signature verification: `PATCH .../settings/signed/{id}` `{enabled}` (required) turns it on or
 * off and answers `{id, public_key}` (an ECDSA P-256 public key, base64 DER, made when first turned
 * on; "" while off); `GET .../settings/signed/{id}` answers the same. `public_key` is in a
 * webhook's answers only while it is signed, as documented. OAuth: POST and PATCH take
 * `oauth_client_id`, `oauth_token_url` and `oauth_client_secret`; the id and URL go together, the
 * secret needs both, a webhook without a stored secret needs one, and empty strings for all three
 * turn OAuth off. The secret is kept and never shown; the id and URL are shown only while set.
 *
 * `account_status_change` (account status change events, after compliance action by SendGrid) is
 * false on a new webhook and set by PATCH: the `include` parameter's description points to "Update
 * an event webhook" for enabling it, and the create body (EventWebhookRequest) does not have it, so
 * POST ignores it. It is in an answer only when the request asks for it with
 * `?include=account_status_change` (GET one, GET all and PATCH take `include`).
 */
import { generateKeyPairSync, randomUUID } from "node:crypto";
import type { VendorStore } from "../core/store";
import { VendorHttpError, type EmuResponse } from "../core/types";
import { route, type SgContext } from "./context";
import { objectBody } from "./errors";

export const EVENT_FLAGS = [
  "processed",
  "delivered",
  "deferred",
  "bounce",
  "dropped",
  "open",
  "click",
  "spam_report",
  "unsubscribe",
  "group_unsubscribe",
  "group_resubscribe",
] as const;

export const MAX_ENABLED_WEBHOOKS = 5;
/** Shown only with `?include=account_status_change`; set by PATCH only. */
export const ACCOUNT_STATUS_CHANGE = "account_status_change";
const COLLECTION = "event_webhooks";

export type WebhookRecord = {
  id: string;
  owner: string;
  enabled: boolean;
  url: string;
  friendly_name: string | null;
  account_status_change: boolean;
  created_date: string;
  updated_date: string;
  /** Signature verification is on. */
  signed?: boolean;
  /** The signing key, made when signing is first turned on. */
  public_key?: string;
  oauth_client_id?: string | null;
  oauth_token_url?: string | null;
  /** Kept, never shown. */
  oauth_client_secret?: string | null;
} & Record<(typeof EVENT_FLAGS)[number], boolean>;

export function webhooks(store: VendorStore) {
  return store.collection<WebhookRecord>(COLLECTION);
}

function own(ctx: SgContext): WebhookRecord[] {
  return webhooks(ctx.store).list().filter((w) => w.owner === ctx.caller.owner);
}

/** This document's error body: `{errors: [{message, ...}]}`, without `field`. */
function fail(status: number, errors: Record<string, string>[]): VendorHttpError {
  return new VendorHttpError({ status, body: { errors } });
}

function ownWebhook(ctx: SgContext): WebhookRecord {
  const hook = webhooks(ctx.store).get(ctx.params.id ?? "");
  if (!hook || hook.owner !== ctx.caller.owner) throw fail(404, [{ message: "Invalid id provided." }]);
  return hook;
}

/** Whether the request asks for the optional fields (`include=account_status_change`, comma-separated). */
function includesAccountStatus(ctx: SgContext): boolean {
  return ctx.req.query.getAll("include").some((v) => v.split(",").map((s) => s.trim()).includes(ACCOUNT_STATUS_CHANGE));
}

function render(ctx: SgContext, w: WebhookRecord, dates = true, signing = true): Record<string, unknown> {
  const { owner: _owner, created_date, updated_date, account_status_change, signed, public_key, oauth_client_id, oauth_token_url, oauth_client_secret: _secret, ...rest } = w;
  const shown: Record<string, unknown> = includesAccountStatus(ctx) ? { ...rest, account_status_change: account_status_change === true } : rest;
  // Shown only while set, as documented.
  if (oauth_client_id) Object.assign(shown, { oauth_client_id, oauth_token_url });
  if (signing && signed && public_key) shown.public_key = public_key;
  return dates ? { ...shown, created_date, updated_date } : shown;
}

/** OAuth fields of a body, validated against what the webhook has (`self`). */
function oauthFields(body: Record<string, unknown>, self: WebhookRecord | undefined): Partial<WebhookRecord> {
  const names = ["oauth_client_id", "oauth_token_url", "oauth_client_secret"] as const;
  const given = names.filter((n) => body[n] !== undefined && body[n] !== null);
  if (given.length === 0) return {};
  const wrong = given.find((n) => typeof body[n] !== "string");
  if (wrong) throw fail(400, [{ message: `${wrong} must be a string` }]);
  const [id, url, secret] = names.map((n) => (body[n] as string | undefined)?.trim());
  if (given.every((n) => body[n] === "")) return { oauth_client_id: null, oauth_token_url: null, oauth_client_secret: null };
  if (!id || !url) throw fail(400, [{ message: "oauth_client_id and oauth_token_url must be given together" }]);
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw fail(400, [{ message: `'${url}' is not a valid oauth_token_url` }]);
  if (!secret && !self?.oauth_client_secret) throw fail(400, [{ message: "oauth_client_secret is required to set up OAuth" }]);
  return { oauth_client_id: id, oauth_token_url: url, ...(secret ? { oauth_client_secret: secret } : {}) };
}

function newPublicKey(): string {
  return generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "der" }).toString("base64");
}

function signing(ctx: SgContext): EmuResponse {
  const hook = ownWebhook(ctx);
  if (ctx.req.method === "PATCH") {
    const body = objectBody(ctx.body);
    if (typeof body.enabled !== "boolean") throw fail(400, [{ message: "enabled is required and must be a boolean" }]);
    const next = { ...hook, signed: body.enabled, public_key: hook.public_key || (body.enabled ? newPublicKey() : ""), updated_date: new Date().toISOString() };
    webhooks(ctx.store).set(hook.id, next);
    return { status: 200, body: { id: hook.id, public_key: next.signed ? next.public_key : "" } };
  }
  return { status: 200, body: { id: hook.id, public_key: hook.signed ? hook.public_key : "" } };
}

/** The fields a body sets, validated (the URL is required on POST and PATCH alike). */
function fields(ctx: SgContext, self?: WebhookRecord): Partial<WebhookRecord> {
  const updating = self !== undefined;
  const body = objectBody(ctx.body);
  const problems: { message: string }[] = [];
  const flag = (field: string): boolean | undefined => {
    const value = body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "boolean") return value;
    problems.push({ message: `${field} must be a boolean` });
    return undefined;
  };
  const out: Partial<WebhookRecord> = {};
  const url = body.url;
  if (typeof url !== "string" || !/^https?:\/\/[^\s/]+/.test(url)) {
    throw fail(400, [{ message: `'${String(url ?? "")}' is not a valid url` }]);
  }
  const taken = own(ctx).find((w) => w.url === url && w.id !== self?.id);
  if (taken) throw fail(400, [{ id: taken.id, message: `Webhook at '${url}' already exists. Please provide a unique URL.`, url }]);
  out.url = url;
  const enabled = flag("enabled");
  if (enabled !== undefined) out.enabled = enabled;
  for (const name of EVENT_FLAGS) {
    const value = flag(name);
    if (value !== undefined) out[name] = value;
  }
  if (updating) {
    const status = flag(ACCOUNT_STATUS_CHANGE);
    if (status !== undefined) out.account_status_change = status;
  }
  Object.assign(out, oauthFields(body, self));
  if (body.friendly_name === null || typeof body.friendly_name === "string") out.friendly_name = body.friendly_name;
  else if (body.friendly_name !== undefined) problems.push({ message: "friendly_name must be a string" });
  if (problems.length > 0) throw fail(400, problems);
  const enabledAfter = out.enabled ?? self?.enabled ?? false;
  if (enabledAfter && !self?.enabled && own(ctx).filter((w) => w.enabled).length >= MAX_ENABLED_WEBHOOKS) {
    throw fail(400, [{ message: "You have reached the maximum number of webhooks per your current billing plan." }]);
  }
  return out;
}

function create(ctx: SgContext): EmuResponse {
  const now = new Date().toISOString();
  const base = Object.fromEntries(EVENT_FLAGS.map((f) => [f, false])) as Record<(typeof EVENT_FLAGS)[number], boolean>;
  const hook: WebhookRecord = {
    ...base,
    id: randomUUID(),
    owner: ctx.caller.owner,
    enabled: false,
    url: "",
    friendly_name: null,
    account_status_change: false,
    created_date: now,
    updated_date: now,
    ...fields(ctx),
  };
  return { status: 201, body: render(ctx, webhooks(ctx.store).set(hook.id, hook), true, false) };
}

function update(ctx: SgContext): EmuResponse {
  const hook = ownWebhook(ctx);
  const next = { ...hook, ...fields(ctx, hook), updated_date: new Date().toISOString() };
  return { status: 200, body: render(ctx, webhooks(ctx.store).set(hook.id, next), true, false) };
}

export function webhookRoutes() {
  const W = "/v3/user/webhooks/event/settings";
  return [
    route("POST", W, "user.webhooks.event.settings.update", create),
    route("GET", `${W}/all`, "user.webhooks.event.settings.read", (ctx) => ({
      status: 200,
      body: { max_allowed: MAX_ENABLED_WEBHOOKS, webhooks: own(ctx).map((w) => render(ctx, w)) },
    })),
    // Before `{id}`: the first matching pattern wins.
    route("GET", `${W}/signed/{id}`, "user.webhooks.event.settings.read", signing),
    route("PATCH", `${W}/signed/{id}`, "user.webhooks.event.settings.update", signing),
    route("GET", `${W}/{id}`, "user.webhooks.event.settings.read", (ctx) => ({ status: 200, body: render(ctx, ownWebhook(ctx), false) })),
    route("PATCH", `${W}/{id}`, "user.webhooks.event.settings.update", update),
    route("DELETE", `${W}/{id}`, "user.webhooks.event.settings.update", (ctx) => {
      webhooks(ctx.store).delete(ownWebhook(ctx).id);
      return { status: 204 };
    }),
  ];
}

/**
 * Event webhooks, `/v3/user/webhooks/event/settings` (tsg_webhooks_v3.json): several per account,
 * each with an `id`: POST creates one (`url` required; `enabled`, the event flags and
 * `friendly_name` optional, flags false by default), `GET .../all` lists them as
 * `{max_allowed, webhooks}`, `GET|PATCH|DELETE .../{id}` reads, merges, deletes one. At most
 * `max_allowed` may be enabled at once (the plan's limit; 5 here): one more is a 400. Signing and
 * OAuth are not emulated (their fields are accepted on write and not returned).
 */
import { randomUUID } from "node:crypto";
import type { VendorStore } from "../core/store";
import type { EmuResponse } from "../core/types";
import { route, type SgContext } from "./context";
import { notFound, objectBody, Validator } from "./errors";

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
const COLLECTION = "event_webhooks";

export type WebhookRecord = {
  id: string;
  owner: string;
  enabled: boolean;
  url: string;
  friendly_name: string | null;
  created_date: string;
  updated_date: string;
} & Record<(typeof EVENT_FLAGS)[number], boolean>;

export function webhooks(store: VendorStore) {
  return store.collection<WebhookRecord>(COLLECTION);
}

function own(ctx: SgContext): WebhookRecord[] {
  return webhooks(ctx.store).list().filter((w) => w.owner === ctx.caller.owner);
}

function ownWebhook(ctx: SgContext): WebhookRecord {
  const hook = webhooks(ctx.store).get(ctx.params.id ?? "");
  if (!hook || hook.owner !== ctx.caller.owner) throw notFound();
  return hook;
}

function render(w: WebhookRecord): Record<string, unknown> {
  const { owner: _owner, ...rest } = w;
  return rest;
}

/** The fields a body sets, validated; `creating` requires the URL. */
function fields(ctx: SgContext, creating: boolean, self?: WebhookRecord): Partial<WebhookRecord> {
  const body = objectBody(ctx.body);
  const v = new Validator();
  const out: Partial<WebhookRecord> = {};
  const url = v.string(body, "url", { required: creating });
  if (url !== undefined) {
    if (!/^https?:\/\/[^\s/]+/.test(url)) v.add("url", "url must be a valid URL");
    else out.url = url;
  }
  const enabled = v.boolean(body, "enabled");
  if (enabled !== undefined) out.enabled = enabled;
  for (const flag of EVENT_FLAGS) {
    const value = v.boolean(body, flag);
    if (value !== undefined) out[flag] = value;
  }
  if (body.friendly_name === null) out.friendly_name = null;
  else {
    const name = v.string(body, "friendly_name", { allowEmpty: true });
    if (name !== undefined) out.friendly_name = name;
  }
  const enabledAfter = out.enabled ?? self?.enabled ?? false;
  if (enabledAfter && !self?.enabled && own(ctx).filter((w) => w.enabled).length >= MAX_ENABLED_WEBHOOKS) {
    v.add("enabled", `you may have at most ${MAX_ENABLED_WEBHOOKS} enabled event webhooks`);
  }
  v.check();
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
    created_date: now,
    updated_date: now,
    ...fields(ctx, true),
  };
  return { status: 201, body: render(webhooks(ctx.store).set(hook.id, hook)) };
}

function update(ctx: SgContext): EmuResponse {
  const hook = ownWebhook(ctx);
  const next = { ...hook, ...fields(ctx, false, hook), updated_date: new Date().toISOString() };
  return { status: 200, body: render(webhooks(ctx.store).set(hook.id, next)) };
}

export function webhookRoutes() {
  const W = "/v3/user/webhooks/event/settings";
  return [
    route("POST", W, "user.webhooks.event.settings.update", create),
    route("GET", `${W}/all`, "user.webhooks.event.settings.read", (ctx) => ({
      status: 200,
      body: { max_allowed: MAX_ENABLED_WEBHOOKS, webhooks: own(ctx).map(render) },
    })),
    route("GET", `${W}/{id}`, "user.webhooks.event.settings.read", (ctx) => ({ status: 200, body: render(ownWebhook(ctx)) })),
    route("PATCH", `${W}/{id}`, "user.webhooks.event.settings.update", update),
    route("DELETE", `${W}/{id}`, "user.webhooks.event.settings.update", (ctx) => {
      webhooks(ctx.store).delete(ownWebhook(ctx).id);
      return { status: 204 };
    }),
  ];
}

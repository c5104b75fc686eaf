/**
 * Webhooks (email-sending document): `/api/webhooks` and the older
 * `/api/accounts/{account_id}/webhooks`, body `{webhook: {...}}`, answers `{data: ...}`. The
 * signing secret is in the create's answer only. What a type requires (`sending_stream` for
 * email_sending, `event_types` for email_sending and campaigns, `inbound_inbox_id` for
 * inbound_receiving and for no other type) is checked as the document states it; attributes it
 * calls "applicable only" to other types are not stored. The document lists no 400: a missing
 * wrapper is a 422. The older paths (`/api/accounts/{account_id}/webhooks`) have no
 * inbound_receiving type.
 */
import type { VendorStore } from "../core/store";
import type { Route } from "../core/types";
import { notFound, unprocessable } from "./errors";
import { COLLECTIONS, findOr404, hex, nextId } from "./data";
import { FLAVORS, ok, route, type Flavor } from "./flavor";
import { isObject, Validator, type Errors } from "./validate";

const TYPES = ["email_sending", "campaigns", "audit_log", "inbound_receiving"];
const FORMATS = ["json", "jsonlines"];
const STREAMS = ["transactional", "bulk"];
const EVENTS = ["delivery", "soft_bounce", "bounce", "suspension", "unsubscribe", "open", "spam_complaint", "click", "reject"];
const WITH_EVENTS = ["email_sending", "campaigns"];
const URL = /^https?:\/\/[^\s/?#]+[^\s]*$/;

export interface WebhookRecord {
  id: number;
  url: string;
  active: boolean;
  webhook_type: string;
  payload_format: string;
  sending_stream: string | null;
  domain_id: number | null;
  inbound_inbox_id: number | null;
  event_types: string[];
  /** Never rendered but in the create's answer. */
  signing_secret: string;
}

function webhooks(store: VendorStore) {
  return store.collection<WebhookRecord>(COLLECTIONS.webhooks);
}

/** The document's Webhook: the attributes of other types left out. */
function render(w: WebhookRecord, withSecret = false): Record<string, unknown> {
  const { signing_secret, sending_stream, domain_id, inbound_inbox_id, event_types, ...rest } = w;
  return {
    ...rest,
    ...(w.webhook_type === "email_sending" ? { sending_stream } : {}),
    ...(WITH_EVENTS.includes(w.webhook_type) ? { domain_id, event_types } : {}),
    ...(w.webhook_type === "inbound_receiving" ? { inbound_inbox_id } : {}),
    ...(withSecret ? { signing_secret } : {}),
  };
}

function wrapper(body: unknown): Record<string, unknown> {
  const w = isObject(body) ? body.webhook : undefined;
  if (!isObject(w)) throw unprocessable({ webhook: ["can't be blank"] });
  return w;
}

function check(errors: Errors, field: string, value: unknown, ok: (v: unknown) => boolean, message = "is invalid"): void {
  if (value !== undefined && !ok(value)) (errors[field] ??= []).push(message);
}

const isEvents = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((e) => typeof e === "string" && EVENTS.includes(e));
const isId = (v: unknown) => Number.isInteger(v) && (v as number) > 0;

function routesFor(f: Flavor): Route[] {
  const one = "/webhooks/{webhook_id}";
  // The older paths' document has no inbound_receiving webhooks (nor `inbound_inbox_id`): they
  // neither show nor reach one.
  const types = f.name === "current" ? TYPES : TYPES.filter((t) => t !== "inbound_receiving");
  const find = (store: VendorStore, id: string | undefined): WebhookRecord => {
    const w = findOr404(webhooks(store), id);
    if (!types.includes(w.webhook_type)) throw notFound();
    return w;
  };
  return [
    route(f, "GET", "/webhooks", ({ store }) => ok({ data: webhooks(store).list().filter((w) => types.includes(w.webhook_type)).map((w) => render(w)) })),
    route(f, "POST", "/webhooks", ({ store, body }) => {
      const attrs = wrapper(body);
      const v = new Validator();
      const url = v.string(attrs, "url", { required: true, max: 2048 });
      if (url !== undefined && !URL.test(url)) v.add("url", "is invalid");
      const type = v.string(attrs, "webhook_type", { required: true });
      if (type !== undefined && !types.includes(type)) v.add("webhook_type", `is invalid. Allowed values: ${types.join(", ")}.`);
      const active = v.boolean(attrs, "active");
      check(v.errors, "payload_format", attrs.payload_format, (x) => FORMATS.includes(x as string), `is invalid. Allowed values: ${FORMATS.join(", ")}.`);
      if (type === "email_sending" && attrs.sending_stream === undefined) v.add("sending_stream", "can't be blank");
      check(v.errors, "sending_stream", attrs.sending_stream, (x) => STREAMS.includes(x as string), `is invalid. Allowed values: ${STREAMS.join(", ")}.`);
      if (type !== undefined && WITH_EVENTS.includes(type) && attrs.event_types === undefined) v.add("event_types", "can't be blank");
      check(v.errors, "event_types", attrs.event_types, isEvents);
      check(v.errors, "domain_id", attrs.domain_id, (x) => isId(x) && store.collection(COLLECTIONS.domains).has(x as number), "is invalid");
      if (type === "inbound_receiving" && attrs.inbound_inbox_id === undefined) v.add("inbound_inbox_id", "can't be blank");
      if (type !== undefined && type !== "inbound_receiving" && attrs.inbound_inbox_id !== undefined) v.add("inbound_inbox_id", "must be blank");
      check(v.errors, "inbound_inbox_id", attrs.inbound_inbox_id, isId);
      v.check();
      const id = nextId(store, COLLECTIONS.webhooks);
      const record = webhooks(store).set(id, {
        id,
        url: url!,
        active: active ?? true,
        webhook_type: type!,
        payload_format: (attrs.payload_format as string | undefined) ?? "json",
        sending_stream: type === "email_sending" ? (attrs.sending_stream as string) : null,
        domain_id: WITH_EVENTS.includes(type!) ? ((attrs.domain_id as number | undefined) ?? null) : null,
        inbound_inbox_id: type === "inbound_receiving" ? (attrs.inbound_inbox_id as number) : null,
        event_types: WITH_EVENTS.includes(type!) ? [...new Set(attrs.event_types as string[])] : [],
        signing_secret: hex(16),
      });
      return ok({ data: render(record, true) });
    }),
    route(f, "GET", one, ({ store, params }) => ok({ data: render(find(store, params.webhook_id)) })),
    route(f, "PATCH", one, ({ store, params, body }) => {
      const current = find(store, params.webhook_id);
      const attrs = wrapper(body);
      const v = new Validator();
      const url = v.string(attrs, "url", { required: false, max: 2048 });
      if (url !== undefined && !URL.test(url)) v.add("url", "is invalid");
      const active = v.boolean(attrs, "active");
      check(v.errors, "payload_format", attrs.payload_format, (x) => FORMATS.includes(x as string), `is invalid. Allowed values: ${FORMATS.join(", ")}.`);
      check(v.errors, "event_types", attrs.event_types, isEvents);
      check(v.errors, "inbound_inbox_id", attrs.inbound_inbox_id, isId);
      v.check();
      const next: WebhookRecord = { ...current };
      if (url !== undefined) next.url = url;
      if (active !== undefined) next.active = active;
      if (attrs.payload_format !== undefined) next.payload_format = attrs.payload_format as string;
      // "Applicable only" to some types: ignored for the others, as on create.
      if (attrs.event_types !== undefined && WITH_EVENTS.includes(current.webhook_type)) next.event_types = [...new Set(attrs.event_types as string[])];
      if (attrs.inbound_inbox_id !== undefined && current.webhook_type === "inbound_receiving") next.inbound_inbox_id = attrs.inbound_inbox_id as number;
      return ok({ data: render(webhooks(store).set(current.id, next)) });
    }),
    route(f, "DELETE", one, ({ store, params }) => {
      const current = find(store, params.webhook_id);
      webhooks(store).delete(current.id);
      return ok({ data: render(current) });
    }),
  ];
}

export function webhookRoutes(): Route[] {
  return FLAVORS.flatMap(routesFor);
}

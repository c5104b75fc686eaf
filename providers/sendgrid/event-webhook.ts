/**
 * SendGrid event webhook (`/v3/user/webhooks/event/settings`, tsg_webhooks_v3.json): where SendGrid
 * posts delivery and engagement events. An account has several, each with its own id, so each is
 * one entry: `url` is the natural key (two entries with one URL are refused before any call),
 * `enabled` (default true here: a declared webhook is wanted; SendGrid's own default is off), the
 * `events` posted (a set of event names, each one of SendGrid's boolean flags; absent flags are
 * off) and an optional `friendlyName`. Everything changes in place with one PATCH of what changed.
 *
 * `accountStatusChange` is one of the events, with SendGrid's own rules (tsg_webhooks_v3.json):
 * its flag `account_status_change` is in an answer only when asked for with
 * `?include=account_status_change` (every read here asks), and it is set by PATCH, not by the
 * create's body; so a webhook that wants it is created, then PATCHed (and removed again when that
 * PATCH fails, leaving nothing half-made).
 *
 * SendGrid limits how many webhooks may be enabled at once (`max_allowed`) and refuses a second
 * webhook with a URL already in use: both are SendGrid's own 400, shown as it words it. Signature verification and OAuth settings are not managed.
 */
import { isDeepStrictEqual } from "node:util";
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { urlCredentials, withoutCredentials } from "../url-credentials";
import { urlKeyPart } from "../natural-key";
import { sendgrid } from "../clients";
import { perAccount, type AccountInputs } from "./accounts";

/** The stack file's event name -> SendGrid's flag. */
const EVENT_FLAGS = {
  processed: "processed",
  delivered: "delivered",
  deferred: "deferred",
  bounce: "bounce",
  dropped: "dropped",
  open: "open",
  click: "click",
  spamReport: "spam_report",
  unsubscribe: "unsubscribe",
  groupUnsubscribe: "group_unsubscribe",
  groupResubscribe: "group_resubscribe",
  accountStatusChange: "account_status_change",
} as const;
export type WebhookEvent = keyof typeof EVENT_FLAGS;

export interface EventWebhookInputs {
  url: string;
  enabled: boolean;
  events: WebhookEvent[];
  friendlyName?: string;
}

export interface EventWebhookOutputs {
  webhookId: string;
}

type ApiWebhook = { id: string; url: string; enabled?: boolean; friendly_name?: string | null } & Partial<Record<string, unknown>>;

const PATH = "/user/webhooks/event/settings";
const EVENTS = Object.keys(EVENT_FLAGS) as WebhookEvent[];
/** The event the create's body cannot set: a PATCH does. */
const SET_BY_UPDATE: WebhookEvent = "accountStatusChange";
/** Asks SendGrid to show `account_status_change` in its answer. */
const INCLUDE = { include: EVENT_FLAGS.accountStatusChange };

const asSet = (events: readonly WebhookEvent[] | undefined): WebhookEvent[] => [...new Set(events ?? [])].sort();

function toLive(w: ApiWebhook): LiveObject<EventWebhookInputs, EventWebhookOutputs> {
  return {
    id: w.id,
    inputs: compact({
      url: w.url,
      enabled: w.enabled === true,
      events: EVENTS.filter((e) => w[EVENT_FLAGS[e]] === true),
      friendlyName: w.friendly_name || undefined,
    }),
    outs: { webhookId: w.id },
  };
}

/** The API body for the fields that differ from `olds` (all of them when creating). */
function body(news: EventWebhookInputs, olds?: Partial<EventWebhookInputs>): Record<string, unknown> {
  // SendGrid requires the URL on every PATCH.
  const out: Record<string, unknown> = { url: news.url };
  if (olds?.enabled !== news.enabled) out.enabled = news.enabled;
  if (!olds || !isDeepStrictEqual(asSet(olds.events), news.events)) {
    for (const e of EVENTS) if (olds || e !== SET_BY_UPDATE) out[EVENT_FLAGS[e]] = news.events.includes(e);
  }
  // null clears a friendly name SendGrid has.
  if (olds?.friendlyName !== news.friendlyName && (olds || news.friendlyName !== undefined)) out.friendly_name = news.friendlyName ?? null;
  return out;
}

export const eventWebhook: KindDefinition<EventWebhookInputs & AccountInputs, EventWebhookOutputs> = perAccount<EventWebhookInputs, EventWebhookOutputs>({
  kind: "sendgrid:EventWebhook",
  title: "SendGrid event webhook",
  entryKind: "sendgrid:eventWebhook",
  yamlPath: "sendgrid.eventWebhooks",
  schema: "SendgridEventWebhook",
  docs: { page: "docs/resources/sendgrid.md", section: "Event webhook" },
  fields: { url: {}, enabled: {}, events: {}, friendlyName: {} },
  inputsOf: ({ props: p }) => ({ url: p.url, enabled: p.enabled, events: p.events, friendlyName: p.friendlyName }),
  outputs: ["webhookId"],
  stackOutputs: { id: { from: "id" } },
  normalize: (i) =>
    compact({ url: i.url, enabled: i.enabled ?? true, events: asSet(i.events), friendlyName: i.friendlyName === "" ? undefined : (i.friendlyName ?? undefined) }),
  naturalKey: (i) => urlKeyPart("url", i.url),

  async create(inputs) {
    const created = (await sendgrid().request<ApiWebhook>("POST", PATH, { body: body(inputs) })).body;
    if (!inputs.events.includes(SET_BY_UPDATE)) return toLive(created);
    const path = `${PATH}/${encodeURIComponent(created.id)}`;
    try {
      const patch = { url: inputs.url, [EVENT_FLAGS[SET_BY_UPDATE]]: true };
      return toLive((await sendgrid().request<ApiWebhook>("PATCH", path, { body: patch, query: INCLUDE, idempotent: true })).body);
    } catch (e) {
      // Leave no half-made webhook behind: the next run would find it by URL and refuse to adopt it.
      await sendgrid().request("DELETE", path, { accept: [404] }).catch(() => undefined);
      throw e;
    }
  },

  async read(id) {
    const res = await sendgrid().request<ApiWebhook>("GET", `${PATH}/${encodeURIComponent(id)}`, { accept: [404], query: INCLUDE });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    const changed = body(news, olds);
    // `url` is in every body: a body of the url alone, unchanged, changes nothing (an adoption).
    if (Object.keys(changed).length > 1 || olds.url !== news.url) {
      await sendgrid().request("PATCH", `${PATH}/${encodeURIComponent(id)}`, { body: changed, query: INCLUDE, idempotent: true });
    }
    return { webhookId: id };
  },

  async delete(id) {
    await sendgrid().request("DELETE", `${PATH}/${encodeURIComponent(id)}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      const res = await sendgrid().request<{ webhooks?: ApiWebhook[] }>("GET", `${PATH}/all`, { query: INCLUDE });
      return (res.body.webhooks ?? []).map(toLive);
    },
    readsFromList: true,
  },
  export: {
    list: () => eventWebhook.existing!.list({} as EventWebhookInputs),
    entry: ({ inputs: i }) => {
      const label = i.friendlyName ?? withoutCredentials(i.url).replace(/^https?:\/\//, "");
      return urlCredentials(i.url) ? { label, reason: "its URL carries credentials, which a stack file must not hold (it is kept in git)" } : { label, fields: compact({ ...i }) };
    },
  },
});

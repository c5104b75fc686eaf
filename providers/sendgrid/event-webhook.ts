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
 * webhook with a URL already in use: both are SendGrid's own 400, shown as it words it.
 *
 * Signature verification (`signed`) and OAuth (`oauth`) are managed only when the entry gives them
 * (left out, whatever SendGrid has stays: earlier releases told users to set them by hand).
 * Signing is its own toggle (`PATCH .../settings/signed/{id}`, never part of the create); the
 * listing shows `public_key` for a signed webhook only, so refresh still reads through it, and the
 * key is the output `publicKey`. OAuth's client secret is never in the entry, the inputs or state:
 * the entry names the stack config key that holds it (`clientSecretConfig`), read at run time
 * (`configSecret`) and sent only when OAuth is set up or that name changes (SendGrid keeps the
 * secret and never shows it, so it cannot drift; the name is kept from state on refresh).
 */
import { isDeepStrictEqual } from "node:util";
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { urlCredentials, withoutCredentials } from "../url-credentials";
import { urlKeyPart } from "../natural-key";
import { sendgrid } from "../clients";
import { configSecret } from "../settings";
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

export interface WebhookOauth {
  clientId: string;
  tokenUrl: string;
  /** The stack config key (without `mailform:`) holding the client secret; not readable from SendGrid. */
  clientSecretConfig?: string;
}

export interface EventWebhookInputs {
  url: string;
  enabled: boolean;
  events: WebhookEvent[];
  friendlyName?: string;
  /** Managed only when given. */
  signed?: boolean;
  /** Managed only when given; false: no OAuth. */
  oauth?: WebhookOauth | false;
}

export interface EventWebhookOutputs {
  webhookId: string;
  /** The key to verify SendGrid's signatures with; "" while the webhook is not signed. */
  publicKey: string;
}

type ApiWebhook = {
  id: string;
  url: string;
  enabled?: boolean;
  friendly_name?: string | null;
  public_key?: string;
  oauth_client_id?: string | null;
  oauth_token_url?: string | null;
} & Partial<Record<string, unknown>>;
type Live = LiveObject<EventWebhookInputs, EventWebhookOutputs>;

const PATH = "/user/webhooks/event/settings";
const EVENTS = Object.keys(EVENT_FLAGS) as WebhookEvent[];
/** The event the create's body cannot set: a PATCH does. */
const SET_BY_UPDATE: WebhookEvent = "accountStatusChange";
/** Asks SendGrid to show `account_status_change` in its answer. */
const INCLUDE = { include: EVENT_FLAGS.accountStatusChange };

const asSet = (events: readonly WebhookEvent[] | undefined): WebhookEvent[] => [...new Set(events ?? [])].sort();

function toLive(w: ApiWebhook): Live {
  const publicKey = typeof w.public_key === "string" ? w.public_key : "";
  return {
    id: w.id,
    inputs: compact({
      url: w.url,
      enabled: w.enabled === true,
      // As normalized (a sorted set): refresh stores what it read, and the engine's diff shows raw inputs.
      events: asSet(EVENTS.filter((e) => w[EVENT_FLAGS[e]] === true)),
      friendlyName: w.friendly_name || undefined,
      signed: publicKey !== "",
      oauth: w.oauth_client_id ? { clientId: w.oauth_client_id, tokenUrl: w.oauth_token_url ?? "" } : false,
    }),
    outs: { webhookId: w.id, publicKey },
  };
}

/** A live webhook with the name of its OAuth secret's config key from `known` (SendGrid never shows the secret). */
function withSecretName(live: Live, known: Partial<EventWebhookInputs>): Live {
  const { oauth } = live.inputs;
  if (!oauth || !known.oauth || !known.oauth.clientSecretConfig) return live;
  return { ...live, inputs: { ...live.inputs, oauth: { ...oauth, clientSecretConfig: known.oauth.clientSecretConfig } } };
}

const sameOauth = (a: EventWebhookInputs["oauth"], b: EventWebhookInputs["oauth"]) => isDeepStrictEqual(a, b);

/** The OAuth part of a body: off (empty strings, as documented), or the client, with its secret when it is new. */
function oauthBody(news: WebhookOauth | false, olds: EventWebhookInputs["oauth"]): Record<string, string> {
  if (news === false) return { oauth_client_id: "", oauth_client_secret: "", oauth_token_url: "" };
  const out: Record<string, string> = { oauth_client_id: news.clientId, oauth_token_url: news.tokenUrl };
  // SendGrid keeps the secret: sent when OAuth is set up, or when the entry names another key (a rotation).
  if (!olds || olds.clientSecretConfig !== news.clientSecretConfig) {
    out.oauth_client_secret = configSecret(news.clientSecretConfig!, `SendGrid event webhook ${news.tokenUrl}: oauth.clientSecretConfig`);
  }
  return out;
}

/** Turns signing on or off; the public key SendGrid answers ("" when off). */
async function sign(id: string, on: boolean): Promise<string> {
  const res = await sendgrid().request<{ public_key?: string }>("PATCH", `${PATH}/signed/${encodeURIComponent(id)}`, { body: { enabled: on }, idempotent: true });
  return on ? (res.body?.public_key ?? "") : "";
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
  if (news.oauth !== undefined && (olds ? !sameOauth(olds.oauth, news.oauth) : news.oauth !== false)) Object.assign(out, oauthBody(news.oauth, olds?.oauth));
  return out;
}

export const eventWebhook: KindDefinition<EventWebhookInputs & AccountInputs, EventWebhookOutputs> = perAccount<EventWebhookInputs, EventWebhookOutputs>({
  kind: "sendgrid:EventWebhook",
  title: "SendGrid event webhook",
  entryKind: "sendgrid:eventWebhook",
  yamlPath: "sendgrid.eventWebhooks",
  schema: "SendgridEventWebhook",
  docs: { page: "docs/resources/sendgrid.md", section: "Event webhook" },
  fields: { url: {}, enabled: {}, events: {}, friendlyName: {}, signed: { unmanagedWhenAbsent: true }, oauth: { unmanagedWhenAbsent: true } },
  inputsOf: ({ props: p }) => ({ url: p.url, enabled: p.enabled, events: p.events, friendlyName: p.friendlyName, signed: p.signed, oauth: p.oauth }),
  outputs: ["webhookId", "publicKey"],
  stackOutputs: { id: { from: "id" }, publicKey: { from: "publicKey", when: (e) => e.props.signed === true } },
  normalize: (i) =>
    compact({
      url: i.url,
      enabled: i.enabled ?? true,
      events: asSet(i.events),
      friendlyName: i.friendlyName === "" ? undefined : (i.friendlyName ?? undefined),
      signed: i.signed === undefined || i.signed === null ? undefined : i.signed === true,
      oauth: i.oauth ? compact({ clientId: String(i.oauth.clientId).trim(), tokenUrl: String(i.oauth.tokenUrl).trim(), clientSecretConfig: i.oauth.clientSecretConfig?.trim() }) : i.oauth === false ? false : undefined,
    }),
  naturalKey: (i) => urlKeyPart("url", i.url),
  secretConfigKeys: ({ oauth }) => {
    const name = (oauth as Partial<WebhookOauth> | undefined)?.clientSecretConfig;
    return typeof name === "string" ? [{ field: ["oauth", "clientSecretConfig"], key: name.trim() }] : [];
  },

  async create(inputs) {
    const created = (await sendgrid().request<ApiWebhook>("POST", PATH, { body: body(inputs) })).body;
    let live = withSecretName(toLive(created), inputs);
    if (!inputs.events.includes(SET_BY_UPDATE) && inputs.signed !== true) return live;
    const path = `${PATH}/${encodeURIComponent(created.id)}`;
    try {
      if (inputs.events.includes(SET_BY_UPDATE)) {
        const patch = { url: inputs.url, [EVENT_FLAGS[SET_BY_UPDATE]]: true };
        live = withSecretName(toLive((await sendgrid().request<ApiWebhook>("PATCH", path, { body: patch, query: INCLUDE, idempotent: true })).body), inputs);
      }
      // Signing cannot be part of the create (tsg_webhooks_v3.json): its own toggle.
      if (inputs.signed === true) {
        const publicKey = await sign(created.id, true);
        live = { ...live, inputs: { ...live.inputs, signed: true }, outs: { ...live.outs, publicKey } };
      }
      return live;
    } catch (e) {
      // Leave no half-made webhook behind: the next run would find it by URL and refuse to adopt it.
      await sendgrid().request("DELETE", path, { accept: [404] }).catch(() => undefined);
      throw e;
    }
  },

  async read(id, previous) {
    const res = await sendgrid().request<ApiWebhook>("GET", `${PATH}/${encodeURIComponent(id)}`, { accept: [404], query: INCLUDE });
    return res.status === 404 ? undefined : withSecretName(toLive(res.body), previous);
  },

  async update(id, olds, news) {
    const changed = body(news, olds);
    // `url` is in every body: a body of the url alone, unchanged, changes nothing (an adoption).
    if (Object.keys(changed).length > 1 || olds.url !== news.url) {
      await sendgrid().request("PATCH", `${PATH}/${encodeURIComponent(id)}`, { body: changed, query: INCLUDE, idempotent: true });
    }
    let publicKey = olds.publicKey ?? "";
    if (news.signed !== undefined && news.signed !== olds.signed) publicKey = await sign(id, news.signed);
    return { webhookId: id, publicKey };
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
    // The listing carries every field (`public_key` included); the OAuth secret's config key name comes from state.
    readsFromList: async (listed, previous) => withSecretName(listed, previous),
  },
  export: {
    list: () => eventWebhook.existing!.list({} as EventWebhookInputs),
    entry: ({ inputs: i }) => {
      const label = i.friendlyName ?? withoutCredentials(i.url).replace(/^https?:\/\//, "");
      // OAuth is left out (unmanaged): its secret's config key cannot be known; `signed` only when on.
      const fields = compact({ ...i, oauth: undefined, signed: i.signed === true ? true : undefined });
      return urlCredentials(i.url) ? { label, reason: "its URL carries credentials, which a stack file must not hold (it is kept in git)" } : { label, fields };
    },
  },
});

/**
 * Mailtrap webhook (`/api/webhooks`, `{webhook: {...}}`, answers `{data: {...}}`; email-sending
 * document): where Mailtrap posts sending events, campaign events or the account's audit log.
 *
 * - `url`, `active`, `payloadFormat` and `events` change in place with one PATCH of what changed;
 *   `type`, `sendingStream` and `domain` are not in the document's PATCH, so a change replaces the
 *   webhook (the new one is created first: its natural key differs).
 * - `events` is a set (sorted, repeats dropped): its order in the stack file is not a change.
 * - The signing secret (`signing_secret`, HMAC SHA-256 key of the payload signatures) is in the
 *   create's answer only: a secret output kept from state on refresh, absent on an adopted webhook,
 *   and a webhook whose create answer was lost is deleted and made again (`shownOnceSecret`).
 * - `inbound_receiving` webhooks belong to inbound inboxes, which mailform does not manage: not a
 *   type an entry can declare (the stack-file check says so); one seen live exports as a reason.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyText, urlKeyPart } from "../natural-key";
import { urlCredentials, withoutCredentials } from "../url-credentials";
import { mailtrap } from "../clients";

export type WebhookType = "email_sending" | "campaigns" | "audit_log";
export type SendingStream = "transactional" | "bulk";

export interface WebhookInputs {
  url: string;
  type: WebhookType;
  /** Default true (Mailtrap's default). */
  active: boolean;
  /** `json` (default) or `jsonlines`. */
  payloadFormat: string;
  /** Email-sending webhooks only; null otherwise. */
  sendingStream: SendingStream | null;
  /** Sorted event types; empty for an audit-log webhook. */
  events: string[];
  /** The vendor id of the sending domain it is scoped to (`domain: <key>`), null for all domains. */
  domain: number | null;
}

export interface WebhookOutputs {
  webhookId: number;
  /** Shown by Mailtrap once, in the create's answer: absent when the webhook was adopted. */
  signingSecret?: string;
}

interface ApiWebhook {
  id: number;
  url: string;
  active?: boolean;
  webhook_type: string;
  payload_format?: string;
  sending_stream?: string | null;
  domain_id?: number | null;
  inbound_inbox_id?: number | null;
  event_types?: string[];
  signing_secret?: string;
}

type Live = LiveObject<WebhookInputs, WebhookOutputs>;

const PATH = "/api/webhooks";
/** Types whose webhooks subscribe to event types and may be scoped to a domain. */
const WITH_EVENTS: readonly string[] = ["email_sending", "campaigns"];

const asSet = (events: readonly string[] | undefined): string[] => (Array.isArray(events) ? [...new Set(events)].sort() : (events as unknown as string[]) ?? []);
/** Numbers stay numbers; anything else (an unknown value during preview) is left alone. */
const asId = (v: unknown): number | null => (v === undefined || v === null ? null : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : (v as number));

/** `{data: {...}}` as documented, or the object itself (read tolerantly). */
function unwrap(body: unknown): ApiWebhook {
  const data = (body as { data?: unknown } | null)?.data;
  return (data && typeof data === "object" && !Array.isArray(data) ? data : body) as ApiWebhook;
}

function toLive(w: ApiWebhook, signingSecret?: string): Live {
  return {
    id: String(w.id),
    inputs: {
      url: w.url,
      type: w.webhook_type as WebhookType,
      active: w.active !== false,
      payloadFormat: w.payload_format ?? "json",
      sendingStream: (w.sending_stream ?? null) as SendingStream | null,
      events: asSet(w.event_types),
      domain: w.domain_id ?? null,
    },
    outs: compact({ webhookId: w.id, signingSecret: w.signing_secret ?? signingSecret }),
  };
}

/** The PATCH body of what differs from `olds` (the document's updatable attributes). */
function changes(olds: Partial<WebhookInputs>, news: WebhookInputs): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (olds.url !== news.url) out.url = news.url;
  if (olds.active !== news.active) out.active = news.active;
  if (olds.payloadFormat !== news.payloadFormat) out.payload_format = news.payloadFormat;
  if (WITH_EVENTS.includes(news.type) && JSON.stringify(asSet(olds.events)) !== JSON.stringify(news.events)) out.event_types = news.events;
  return out;
}

export const webhook: KindDefinition<WebhookInputs, WebhookOutputs> = {
  kind: "mailtrap:Webhook",
  title: "Mailtrap webhook",
  entryKind: "mailtrap:webhook",
  yamlPath: "mailtrap.webhooks",
  schema: "MailtrapWebhook",
  docs: { page: "docs/resources/mailtrap.md", section: "Webhook" },
  loss: { what: "its signing secret, which the receiving endpoint verifies payloads with" },
  fields: {
    url: {},
    type: { replaces: true },
    active: {},
    payloadFormat: {},
    sendingStream: { replaces: true },
    events: {},
    domain: { replaces: true },
  },
  inputsOf: ({ props: p }, ref) => ({
    url: p.url,
    type: p.type,
    active: p.active,
    payloadFormat: p.payloadFormat,
    sendingStream: p.sendingStream,
    events: p.events,
    // A sending domain of this file, by key: it receives that domain's vendor id.
    domain: p.domain === undefined ? undefined : ref("mailtrap:sendingDomain", p.domain as string),
  }),
  outputs: ["webhookId", "signingSecret"],
  secretOutputs: ["signingSecret"],
  stackOutputs: { id: { from: "id" }, signingSecret: { from: "signingSecret" } },
  shownOnceSecret: true,
  normalize: (i) => ({
    url: typeof i.url === "string" ? i.url.trim() : i.url,
    type: i.type,
    active: i.active ?? true,
    payloadFormat: i.payloadFormat ?? "json",
    sendingStream: i.type === "email_sending" ? (i.sendingStream ?? null) : null,
    events: WITH_EVENTS.includes(i.type) ? asSet(i.events) : [],
    domain: WITH_EVENTS.includes(i.type) ? asId(i.domain) : null,
  }),
  // Several webhooks may post to one URL (one per stream, type or domain): all of it is the key.
  naturalKey: (i) =>
    [urlKeyPart("url", i.url), `type ${keyText(i.type)}`, ...(i.sendingStream ? [`stream ${i.sendingStream}`] : []), ...(i.domain !== null && i.domain !== undefined ? [`domain ${String(i.domain)}`] : [])].join(", "),

  async create(inputs) {
    const body = compact({
      url: inputs.url,
      webhook_type: inputs.type,
      active: inputs.active,
      payload_format: inputs.payloadFormat,
      sending_stream: inputs.sendingStream ?? undefined,
      event_types: WITH_EVENTS.includes(inputs.type) ? inputs.events : undefined,
      domain_id: inputs.domain ?? undefined,
    });
    return toLive(unwrap((await mailtrap().request("POST", PATH, { body: { webhook: body } })).body));
  },

  async read(id, previous) {
    const res = await mailtrap().request("GET", `${PATH}/${id}`, { accept: [404] });
    // GET never shows the signing secret: keep the one in state.
    return res.status === 404 ? undefined : toLive(unwrap(res.body), previous.signingSecret);
  },

  async update(id, olds, news) {
    const patch = changes(olds, news);
    if (Object.keys(patch).length > 0) {
      await mailtrap().request("PATCH", `${PATH}/${id}`, { body: { webhook: patch }, idempotent: true });
    }
    return compact({ webhookId: olds.webhookId ?? Number(id), signingSecret: olds.signingSecret });
  },

  async delete(id) {
    await mailtrap().request("DELETE", `${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      const res = await mailtrap().request<{ data?: ApiWebhook[] } | ApiWebhook[]>("GET", PATH);
      return (Array.isArray(res.body) ? res.body : (res.body.data ?? [])).map((w) => toLive(w));
    },
    // Listed with every field (Webhook, as GET answers one); the signing secret stays in state.
    readsFromList: true,
  },
  export: {
    list: () => webhook.existing!.list({} as WebhookInputs),
    entry: ({ inputs: i }, refs) => {
      const label = `${i.type} ${withoutCredentials(i.url).replace(/^https?:\/\//, "")}`;
      if (!["email_sending", "campaigns", "audit_log"].includes(i.type)) return { label, reason: `a ${i.type} webhook: its inbound inbox is not something mailform manages` };
      if (urlCredentials(i.url)) return { label, reason: "its URL carries credentials, which a stack file must not hold (it is kept in git)" };
      const domain = i.domain === null ? undefined : refs.key("mailtrap:sendingDomain", String(i.domain));
      if (i.domain !== null && !domain) return { label, reason: `scoped to sending domain ${i.domain}, which is not exported` };
      return {
        label,
        fields: compact({
          url: i.url,
          type: i.type,
          active: i.active ? undefined : false,
          payloadFormat: i.payloadFormat === "json" ? undefined : i.payloadFormat,
          sendingStream: i.sendingStream ?? undefined,
          events: WITH_EVENTS.includes(i.type) ? i.events : undefined,
          domain,
        }),
      };
    },
  },
};

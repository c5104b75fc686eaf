/**
 * SendGrid verified sender (`/v3/verified_senders`, tsg_verified_senders_v3.json): a single
 * sender identity, an address mail may be sent from once its owner clicked the link SendGrid
 * emails to it. The from address is the natural key (letter case ignored, as SendGrid ignores it
 * in addresses); a different address is another identity that must be verified anew, so it
 * replaces the sender (the new one is created, and its verification email sent, before the old
 * one is deleted). Every other field of the document's request changes in place with one PATCH of
 * what changed.
 *
 * - `verified` (and `locked`) are outputs: verification happens in the sender's inbox, outside
 *   the API; it is a state, never drift.
 * - mailform never calls `POST /v3/verified_senders/resend/{id}`: a verification email is sent by
 *   SendGrid on create only, so a no-op preview, up or refresh sends nothing. A lost verification
 *   email is resent by hand (SendGrid's UI or that endpoint).
 * - The listing carries every field: refresh reads through it (one listing per run); a sender it
 *   lacks is read alone with `?id=`.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart, keyText } from "../natural-key";
import { sendgrid } from "../clients";
import { perAccount, type AccountInputs } from "./accounts";

export interface VerifiedSenderInputs {
  fromEmail: string;
  nickname: string;
  fromName?: string;
  replyTo: string;
  replyToName?: string;
  address?: string;
  address2?: string;
  city?: string;
  state?: string;
  zip?: string;
  country?: string;
}

export interface VerifiedSenderOutputs {
  senderId: number;
  verified: boolean;
  locked: boolean;
}

type ApiSender = { id: number; verified?: boolean; locked?: boolean } & Partial<Record<string, unknown>>;
type Live = LiveObject<VerifiedSenderInputs, VerifiedSenderOutputs>;

const PATH = "/verified_senders";
/** The largest page asked for; the document names no maximum. */
const PAGE = 500;

/** YAML field -> SendGrid's, for every field but the from address. */
const API_FIELDS = {
  nickname: "nickname",
  fromName: "from_name",
  replyTo: "reply_to",
  replyToName: "reply_to_name",
  address: "address",
  address2: "address2",
  city: "city",
  state: "state",
  zip: "zip",
  country: "country",
} as const satisfies Record<Exclude<keyof VerifiedSenderInputs, "fromEmail">, string>;
type Field = keyof typeof API_FIELDS;
const FIELDS = Object.keys(API_FIELDS) as Field[];

const emailText = (v: unknown) => keyText(v, { caseless: true });
/** Optional text: trimmed, an empty one is no value (SendGrid answers "" for a field never set). */
const optional = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

function normalize(i: VerifiedSenderInputs): VerifiedSenderInputs {
  const fromEmail = emailText(i.fromEmail);
  return compact({
    fromEmail,
    nickname: String(i.nickname ?? "").trim(),
    fromName: optional(i.fromName),
    // SendGrid requires a reply-to address; the entry's default is the from address.
    replyTo: optional(i.replyTo) === undefined ? fromEmail : emailText(i.replyTo),
    replyToName: optional(i.replyToName),
    address: optional(i.address),
    address2: optional(i.address2),
    city: optional(i.city),
    state: optional(i.state),
    zip: optional(i.zip),
    country: optional(i.country),
  });
}

function toLive(s: ApiSender): Live {
  const inputs = { fromEmail: s.from_email } as Record<string, unknown>;
  for (const f of FIELDS) inputs[f] = s[API_FIELDS[f]];
  return {
    id: String(s.id),
    inputs: normalize(inputs as unknown as VerifiedSenderInputs),
    outs: { senderId: s.id, verified: s.verified === true, locked: s.locked === true },
  };
}

/** `{results: [...]}` as documented, or a bare array. */
function results(body: unknown): ApiSender[] {
  const all = Array.isArray(body) ? body : (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(all)) throw new Error(`SendGrid: GET /v3${PATH} answered in a shape mailform does not read; nothing was changed`);
  return all as ApiSender[];
}

/** Every sender, `limit`/`lastSeenID` pages; a page that brings no new id ends it. */
async function listAll(): Promise<ApiSender[]> {
  const all = new Map<number, ApiSender>();
  for (let lastSeen: number | undefined; ; ) {
    const page = results((await sendgrid().request("GET", PATH, { query: compact({ limit: PAGE, lastSeenID: lastSeen }) })).body);
    const before = all.size;
    for (const s of page) all.set(s.id, s);
    if (page.length < PAGE || all.size === before) return [...all.values()];
    lastSeen = Math.max(...page.map((s) => s.id));
  }
}

export const verifiedSender: KindDefinition<VerifiedSenderInputs & AccountInputs, VerifiedSenderOutputs> = perAccount<VerifiedSenderInputs, VerifiedSenderOutputs>({
  kind: "sendgrid:VerifiedSender",
  title: "SendGrid verified sender",
  entryKind: "sendgrid:verifiedSender",
  yamlPath: "sendgrid.verifiedSenders",
  schema: "SendgridVerifiedSender",
  docs: { page: "docs/resources/sendgrid.md", section: "Verified sender" },
  loss: { what: "its verification: no mail can be sent from the address until its owner verifies a new sender from a new email", guarded: true },
  fields: {
    fromEmail: { replaces: true },
    nickname: {},
    fromName: {},
    replyTo: {},
    replyToName: {},
    address: {},
    address2: {},
    city: {},
    state: {},
    zip: {},
    country: {},
  },
  inputsOf: ({ props: p }) => ({
    fromEmail: p.fromEmail,
    nickname: p.nickname,
    fromName: p.fromName,
    replyTo: p.replyTo,
    replyToName: p.replyToName,
    address: p.address,
    address2: p.address2,
    city: p.city,
    state: p.state,
    zip: p.zip,
    country: p.country,
  }),
  outputs: ["senderId", "verified", "locked"],
  stackOutputs: { id: { from: "id" }, verified: { from: "verified" } },
  normalize,
  naturalKey: (i) => keyPart("from address", i.fromEmail, { caseless: true }),

  async create(i) {
    const body: Record<string, unknown> = { from_email: i.fromEmail };
    for (const f of FIELDS) if (i[f] !== undefined) body[API_FIELDS[f]] = i[f];
    return toLive((await sendgrid().request<ApiSender>("POST", PATH, { body })).body);
  },

  async read(id) {
    const res = await sendgrid().request("GET", PATH, { query: { id } });
    const found = results(res.body).find((s) => String(s.id) === id);
    return found && toLive(found);
  },

  async update(id, olds, news) {
    // What changed; a field removed from the entry is cleared ("").
    const body: Record<string, unknown> = {};
    for (const f of FIELDS) if (olds[f] !== news[f]) body[API_FIELDS[f]] = news[f] ?? "";
    const unchanged = { senderId: olds.senderId ?? Number(id), verified: olds.verified ?? false, locked: olds.locked ?? false };
    if (Object.keys(body).length === 0) return unchanged;
    // The document's request schema requires these three on the PATCH too (its description says
    // fields left out stay as they are): always sent, as they are desired.
    Object.assign(body, { nickname: news.nickname, from_email: news.fromEmail, reply_to: news.replyTo });
    const res = await sendgrid().request<ApiSender>("PATCH", `${PATH}/${encodeURIComponent(id)}`, { body, idempotent: true });
    return res.body && typeof res.body === "object" && "id" in res.body ? toLive(res.body).outs : unchanged;
  },

  async delete(id) {
    await sendgrid().request("DELETE", `${PATH}/${encodeURIComponent(id)}`);
  },

  existing: {
    scope: () => "account",
    list: async () => (await listAll()).map(toLive),
    // The listing answers each sender as its own read does.
    readsFromList: true,
  },
  export: {
    list: () => verifiedSender.existing!.list({} as VerifiedSenderInputs),
    entry: ({ inputs: i }) => ({
      label: i.nickname || i.fromEmail.split("@")[0]!,
      // The reply-to address is the entry's default when it is the from address.
      fields: compact({ ...i, replyTo: i.replyTo === i.fromEmail ? undefined : i.replyTo }),
    }),
  },
});

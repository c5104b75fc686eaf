/**
 * Verified senders, `/v3/verified_senders` (tsg_verified_senders_v3.json): single sender
 * identities. POST creates one (`nickname`, `from_email`, `reply_to` required; lengths as the
 * request schema gives them) and sends the verification email to `from_email`; `GET` lists them as
 * `{results}` (`limit`, `lastSeenID`: those after that id, `id`: that one only); PATCH changes the
 * given fields; DELETE removes one; `POST /resend/{id}` sends the verification email again. Errors
 * carry `message` and `error_id` (and `field` on a 400), as this document's answers do.
 *
 * Verification happens in the sender's inbox, outside the API: a sender is unverified on create,
 * and tests verify it with the admin surface, `PATCH /admin/objects/sendgrid/verified_senders/<id>`
 * `{"verified": true}` (`locked` likewise). A PATCH to another from address makes it unverified
 * and sends the email again. The emails "sent" are counted on the record
 * (`verification_emails`), so a test can tell that nothing was sent again.
 */
import { randomUUID } from "node:crypto";
import type { VendorStore } from "../core/store";
import { VendorHttpError, type EmuResponse } from "../core/types";
import { route, type SgContext } from "./context";
import { objectBody } from "./errors";

export interface VerifiedSenderRecord {
  id: number;
  owner: string;
  nickname: string;
  from_email: string;
  from_name: string;
  reply_to: string;
  reply_to_name: string;
  address: string;
  address2: string;
  state: string;
  city: string;
  zip: string;
  country: string;
  verified: boolean;
  locked: boolean;
  /** Verification emails sent to `from_email` (create, resend). Not part of any answer. */
  verification_emails: number;
}

const COLLECTION = "verified_senders";
/** The request schema's limits (VerifiedSenderRequest). */
const MAX: Record<string, number> = {
  nickname: 100,
  from_email: 256,
  from_name: 256,
  reply_to: 256,
  reply_to_name: 256,
  address: 100,
  address2: 100,
  state: 2,
  city: 150,
  zip: 10,
  country: 100,
};
const EMAILS = ["from_email", "reply_to"];
const REQUIRED = ["nickname", "from_email", "reply_to"];
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function verifiedSenders(store: VendorStore) {
  return store.collection<VerifiedSenderRecord>(COLLECTION);
}

/** This document's error body: each error with `message` and `error_id` (and `field` where one is at fault). */
function fail(status: number, errors: { message: string; field?: string }[]): VendorHttpError {
  return new VendorHttpError({ status, body: { errors: errors.map((e) => ({ ...e, error_id: randomUUID() })) } });
}

function own(ctx: SgContext): VerifiedSenderRecord[] {
  return verifiedSenders(ctx.store)
    .list()
    .filter((s) => s.owner === ctx.caller.owner)
    .sort((a, b) => a.id - b.id);
}

function ownSender(ctx: SgContext): VerifiedSenderRecord {
  const found = own(ctx).find((s) => String(s.id) === ctx.params.id);
  if (!found) throw fail(404, [{ message: "resource not found" }]);
  return found;
}

function render(s: VerifiedSenderRecord): Record<string, unknown> {
  const { owner: _owner, verification_emails: _sent, ...shown } = s;
  return shown;
}

/** The document's fields a body sets, validated; on create the required ones must be there. */
function fields(ctx: SgContext, creating: boolean): Partial<VerifiedSenderRecord> {
  const body = objectBody(ctx.body);
  const problems: { message: string; field: string }[] = [];
  const out: Record<string, string> = {};
  for (const [field, max] of Object.entries(MAX)) {
    const value = body[field];
    if (value === undefined || value === null) {
      if (creating && REQUIRED.includes(field)) problems.push({ field, message: `${field} is required` });
      continue;
    }
    if (typeof value !== "string") problems.push({ field, message: `${field} must be a string` });
    else if ([...value].length > max) problems.push({ field, message: `${field} must be at most ${max} characters` });
    else if (REQUIRED.includes(field) && value.trim() === "") problems.push({ field, message: `${field} is required` });
    else if (EMAILS.includes(field) && !EMAIL.test(value.trim())) problems.push({ field, message: `${field} must be a valid email address` });
    else out[field] = value;
  }
  if (problems.length > 0) throw fail(400, problems);
  return out;
}

function create(ctx: SgContext): EmuResponse {
  const given = fields(ctx, true);
  const id = ctx.store.nextId(COLLECTION, 1234);
  const blank = Object.fromEntries(Object.keys(MAX).map((f) => [f, ""]));
  const record = { ...blank, ...given, id, owner: ctx.caller.owner, verified: false, locked: false, verification_emails: 1 } as VerifiedSenderRecord;
  return { status: 201, body: render(verifiedSenders(ctx.store).set(String(id), record)) };
}

function list(ctx: SgContext): EmuResponse {
  const q = ctx.req.query;
  const number = (name: string): number | undefined => {
    const raw = q.get(name);
    if (raw === null || raw === "") return undefined;
    if (!/^\d+$/.test(raw)) throw fail(400, [{ field: name, message: `${name} must be a number` }]);
    return Number(raw);
  };
  const [limit, lastSeen, id] = [number("limit"), number("lastSeenID"), number("id")];
  let all = own(ctx);
  if (id !== undefined) all = all.filter((s) => s.id === id);
  if (lastSeen !== undefined) all = all.filter((s) => s.id > lastSeen);
  if (limit !== undefined) all = all.slice(0, limit);
  return { status: 200, body: { results: all.map(render) } };
}

export function verifiedSenderRoutes() {
  const S = "/v3/verified_senders";
  return [
    route("POST", S, undefined, create),
    route("GET", S, undefined, list),
    route("POST", `${S}/resend/{id}`, undefined, (ctx) => {
      const s = ownSender(ctx);
      verifiedSenders(ctx.store).set(String(s.id), { ...s, verification_emails: s.verification_emails + 1 });
      return { status: 204 };
    }),
    route("PATCH", `${S}/{id}`, undefined, (ctx) => {
      const s = ownSender(ctx);
      const given = fields(ctx, false);
      const next = { ...s, ...given };
      // Another from address is not verified yet: SendGrid emails it.
      if (given.from_email !== undefined && given.from_email.trim().toLowerCase() !== s.from_email.trim().toLowerCase()) {
        Object.assign(next, { verified: false, verification_emails: s.verification_emails + 1 });
      }
      return { status: 200, body: render(verifiedSenders(ctx.store).set(String(s.id), next)) };
    }),
    route("DELETE", `${S}/{id}`, undefined, (ctx) => {
      verifiedSenders(ctx.store).delete(String(ownSender(ctx).id));
      return { status: 204 };
    }),
  ];
}

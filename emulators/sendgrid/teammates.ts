/**
 * Teammates, `/v3/teammates` (tsg_teammates_v3.json): people with access to the account, invited
 * by email with `is_admin` or a list of scopes (both required by the invite). An invitation is
 * pending (`GET /v3/teammates/pending`, addressed by its `token`) until the invitee accepts it;
 * then the teammate has a `username` and is listed by `GET /v3/teammates` and addressed by it
 * (`GET|PATCH|DELETE /v3/teammates/{username}`). A pending invitation cannot be changed, only
 * deleted and sent again. One email is invited or a teammate once per owner. SendGrid adds the
 * scopes it grants every key to a teammate's scopes as well.
 *
 * Acceptance happens in the invitee's inbox, outside the API: tests accept an invitation with the
 * admin surface, `PATCH /admin/objects/sendgrid/teammates/<email>` `{"pending": false, "username": "ada"}`.
 */
import { randomBytes } from "node:crypto";
import type { VendorStore } from "../core/store";
import type { EmuResponse } from "../core/types";
import { COLLECTIONS, route, type SgContext } from "./context";
import { fail, objectBody, Validator } from "./errors";
import { offsetPage } from "./paging";
import { grantedScopes, isKnownScope } from "./scopes";

export interface TeammateRecord {
  /** Lower-cased: SendGrid treats addresses without letter case. */
  email: string;
  owner: string;
  is_admin: boolean;
  scopes: string[];
  pending: boolean;
  /** The invitation's token (pending only). */
  token: string;
  /** Epoch seconds the invitation expires (7 days after it was sent). */
  expiration_date: number;
  /** Set when the invitation is accepted. */
  username?: string;
  first_name?: string;
  last_name?: string;
}

const INVITE_LIFETIME_S = 7 * 24 * 3600;
const EMAIL = /^.*@.*\..*/; // the document's own pattern

/** The account's own teammates by email; a subuser's as `<subuser>/<email>`. */
export const recordId = (owner: string, email: string): string => (owner === "" ? email : `${owner}/${email}`);

export function teammates(store: VendorStore) {
  return store.collection<TeammateRecord>(COLLECTIONS.teammates);
}

function own(ctx: SgContext): TeammateRecord[] {
  return teammates(ctx.store).list().filter((t) => t.owner === ctx.caller.owner);
}

function accepted(ctx: SgContext): TeammateRecord {
  const found = own(ctx).find((t) => !t.pending && t.username === ctx.params.username);
  if (!found) throw fail(404, "Teammate not found", "username");
  return found;
}

function readScopes(v: Validator, body: Record<string, unknown>): string[] | undefined {
  const raw = body.scopes;
  if (!Array.isArray(raw) || raw.some((s) => typeof s !== "string")) {
    v.add("scopes", "scopes must be an array of strings");
    return undefined;
  }
  const unknown = (raw as string[]).filter((s) => !isKnownScope(s));
  if (unknown.length > 0) v.add("scopes", `invalid scopes: ${unknown.join(", ")}`);
  return raw as string[];
}

function readAdmin(v: Validator, body: Record<string, unknown>): boolean | undefined {
  if (body.is_admin === undefined || body.is_admin === null) {
    v.add("is_admin", "is_admin is required");
    return undefined;
  }
  return v.boolean(body, "is_admin");
}

const scopesOf = (isAdmin: boolean, requested: string[]): string[] => (isAdmin ? [] : grantedScopes(requested));

function profile(t: TeammateRecord): Record<string, unknown> {
  return {
    username: t.username,
    email: t.email,
    first_name: t.first_name ?? "",
    last_name: t.last_name ?? "",
    user_type: t.is_admin ? "admin" : "teammate",
    is_admin: t.is_admin,
  };
}

function invite(ctx: SgContext): EmuResponse {
  const body = objectBody(ctx.body);
  const v = new Validator();
  const raw = v.string(body, "email", { required: true, max: 255 });
  if (raw !== undefined && (raw.length < 5 || !EMAIL.test(raw))) v.add("email", "email must be a valid email address");
  const requested = readScopes(v, body);
  const isAdmin = readAdmin(v, body);
  v.check();
  const email = raw!.trim().toLowerCase();
  if (teammates(ctx.store).list().some((t) => t.owner === ctx.caller.owner && t.email === email)) {
    throw fail(400, "This email is already a teammate or has a pending invitation", "email");
  }
  const record = teammates(ctx.store).set(recordId(ctx.caller.owner, email), {
    email,
    owner: ctx.caller.owner,
    is_admin: isAdmin!,
    scopes: scopesOf(isAdmin!, requested!),
    pending: true,
    token: randomBytes(16).toString("hex"),
    expiration_date: Math.floor(Date.now() / 1000) + INVITE_LIFETIME_S,
  });
  return { status: 201, body: { token: record.token, email: record.email, scopes: record.scopes, is_admin: record.is_admin } };
}

function list(ctx: SgContext): EmuResponse {
  const v = new Validator();
  const raw = ctx.req.query.get("limit");
  if (raw !== null && raw !== "" && (!/^\d+$/.test(raw) || Number(raw) > 500)) v.add("limit", "limit must be an integer between 0 and 500");
  v.check();
  const { items, link } = offsetPage(ctx.req, "/v3/teammates", own(ctx).filter((t) => !t.pending));
  return { status: 200, body: { result: items.map(profile) }, headers: { link } };
}

function pending(ctx: SgContext): EmuResponse {
  const result = own(ctx)
    .filter((t) => t.pending)
    .map((t) => ({ email: t.email, scopes: t.scopes, is_admin: t.is_admin, token: t.token, expiration_date: t.expiration_date }));
  return { status: 200, body: { result } };
}

function update(ctx: SgContext): EmuResponse {
  const t = accepted(ctx);
  const body = objectBody(ctx.body);
  const v = new Validator();
  const requested = readScopes(v, body);
  const isAdmin = readAdmin(v, body);
  v.check();
  const next = teammates(ctx.store).set(recordId(t.owner, t.email), { ...t, is_admin: isAdmin!, scopes: scopesOf(isAdmin!, requested!) });
  return { status: 200, body: { ...profile(next), scopes: next.scopes } };
}

export function teammateRoutes() {
  const T = "/v3/teammates";
  return [
    route("POST", T, "teammates.create", invite),
    route("GET", T, "teammates.read", list),
    // Before `{username}`: the first matching pattern wins.
    route("GET", `${T}/pending`, "teammates.read", pending),
    route("DELETE", `${T}/pending/{token}`, "teammates.delete", (ctx) => {
      const found = own(ctx).find((t) => t.pending && t.token === ctx.params.token);
      if (!found) throw fail(404, "Pending teammate not found", "token");
      teammates(ctx.store).delete(recordId(found.owner, found.email));
      return { status: 204 };
    }),
    route("GET", `${T}/{username}`, "teammates.read", (ctx) => {
      const t = accepted(ctx);
      return { status: 200, body: { ...profile(t), scopes: t.scopes } };
    }),
    route("PATCH", `${T}/{username}`, "teammates.update", update),
    route("DELETE", `${T}/{username}`, "teammates.delete", (ctx) => {
      const t = accepted(ctx);
      teammates(ctx.store).delete(recordId(t.owner, t.email));
      return { status: 204 };
    }),
  ];
}

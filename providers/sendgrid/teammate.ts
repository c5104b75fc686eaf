/**
 * SendGrid teammate (`/v3/teammates`): a person with access to the account, by email, either an
 * admin or holding a set of scopes. Natural key and id: the email address (letter case ignored, as
 * SendGrid ignores it): a teammate has no id of its own until the invitation is accepted (then a
 * `username`), and the email is what stays the same through both states.
 *
 * - The invitation being pending or accepted is a state, not drift: the output `status` says which
 *   (and `username` once accepted); neither is an input.
 * - `scopes` is a sorted set, compared without the scopes SendGrid grants by itself (the rule of API
 *   keys, `normalizeScopes`); an admin holds every scope, so an admin's scopes are not compared.
 * - An accepted teammate changes in place with one PATCH of `scopes` and `is_admin` (both required
 *   by SendGrid). A pending invitation cannot be changed: it is deleted and sent again (the invitee
 *   gets a new email). A different email is another person: the teammate is replaced.
 * - Reads look the email up in the pending list, then in the teammates' list (then one GET of the
 *   teammate for its scopes): SendGrid has no look-up by email.
 */
import { isDeepStrictEqual } from "node:util";
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart, keyText } from "../natural-key";
import { sendgrid } from "../clients";
import { normalizeScopes } from "./api-key";
import { perAccount, type AccountInputs } from "./accounts";

export interface TeammateInputs {
  email: string;
  admin: boolean;
  /** Sorted, without the scopes SendGrid grants by itself; undefined for an admin. */
  scopes?: string[];
}

export interface TeammateOutputs {
  /** `pending` until the invitee accepts the invitation, then `accepted`. */
  status: "pending" | "accepted";
  /** The teammate's SendGrid username, once accepted. */
  username?: string;
}

interface ApiPending {
  email: string;
  scopes?: string[];
  is_admin?: boolean;
  token: string;
}

interface ApiTeammate {
  username: string;
  email: string;
  is_admin?: boolean;
  user_type?: string;
  scopes?: string[];
}

type Live = LiveObject<TeammateInputs, TeammateOutputs>;

const PATH = "/teammates";
const emailKey = (email: unknown) => keyText(email, { caseless: true });

function inputs(email: string, isAdmin: boolean | undefined, scopes: string[] | undefined): TeammateInputs {
  return isAdmin === true ? { email: emailKey(email), admin: true } : { email: emailKey(email), admin: false, scopes: normalizeScopes(scopes ?? []) };
}

/** `{result: [...]}` as documented, or a bare array. */
function results<T>(body: unknown): T[] {
  if (Array.isArray(body)) return body as T[];
  const result = (body as { result?: unknown } | null)?.result;
  if (Array.isArray(result)) return result as T[];
  throw new Error(`SendGrid: the teammates list answered in a shape mailform does not read; nothing was changed`);
}

async function pendingInvites(): Promise<ApiPending[]> {
  return results<ApiPending>((await sendgrid().request("GET", `${PATH}/pending`)).body);
}

/** Every accepted teammate but the account's owner (who is not a teammate one can manage): `limit`/`offset` pages. */
async function acceptedTeammates(): Promise<ApiTeammate[]> {
  const all: ApiTeammate[] = [];
  for (let offset = 0, page = 0; page < 1000; page++) {
    const res = await sendgrid().request("GET", PATH, { query: { limit: 500, offset: offset || undefined } });
    const items = results<ApiTeammate>(res.body);
    all.push(...items);
    if (!/rel="next"/.test(res.headers.get("link") ?? "") || items.length === 0) break;
    offset += items.length;
  }
  return all.filter((t) => t.user_type !== "owner");
}

async function details(username: string): Promise<ApiTeammate | undefined> {
  const res = await sendgrid().request<ApiTeammate>("GET", `${PATH}/${encodeURIComponent(username)}`, { accept: [404] });
  return res.status === 404 ? undefined : res.body;
}

const pendingLive = (p: ApiPending): Live => ({ id: emailKey(p.email), inputs: inputs(p.email, p.is_admin, p.scopes), outs: { status: "pending" } });
const acceptedLive = (t: ApiTeammate): Live => ({
  id: emailKey(t.email),
  inputs: inputs(t.email, t.is_admin, t.scopes),
  outs: { status: "accepted", username: t.username },
});

/** The invitation or teammate with this email, read in full; undefined when there is neither. */
async function find(email: string): Promise<(Live & { token?: string }) | undefined> {
  const invite = (await pendingInvites()).find((p) => emailKey(p.email) === email);
  if (invite) return { ...pendingLive(invite), token: invite.token };
  const listed = (await acceptedTeammates()).find((t) => emailKey(t.email) === email);
  const full = listed && (await details(listed.username));
  return full ? acceptedLive(full) : undefined;
}

/** A listed invitation or teammate in full: a teammate with scopes is read for them (the listing lacks them). */
async function completeListed(found: Live): Promise<Live | undefined> {
  if (found.outs.status === "pending" || found.inputs.admin) return found;
  const full = await details(found.outs.username!);
  return full ? acceptedLive(full) : undefined;
}

async function invite(i: TeammateInputs): Promise<Live> {
  const res = await sendgrid().request<ApiPending>("POST", PATH, { body: { email: i.email, scopes: i.scopes ?? [], is_admin: i.admin } });
  return { id: emailKey(res.body.email ?? i.email), inputs: i, outs: { status: "pending" } };
}

async function remove(found: Live & { token?: string }): Promise<void> {
  if (found.outs.status === "pending") await sendgrid().request("DELETE", `${PATH}/pending/${encodeURIComponent(found.token!)}`);
  else await sendgrid().request("DELETE", `${PATH}/${encodeURIComponent(found.outs.username!)}`);
}

export const teammate: KindDefinition<TeammateInputs & AccountInputs, TeammateOutputs> = perAccount<TeammateInputs, TeammateOutputs>({
  kind: "sendgrid:Teammate",
  title: "SendGrid teammate",
  entryKind: "sendgrid:teammate",
  yamlPath: "sendgrid.teammates",
  schema: "SendgridTeammate",
  docs: { page: "docs/resources/sendgrid.md", section: "Teammate" },
  loss: { what: "the person's access to the account: an accepted teammate must be invited again and accept" },
  risks: (i) => (i.admin ? ["admin: this person can do everything the account can, and manage teammates"] : []),
  fields: { email: { replaces: true }, admin: {}, scopes: {} },
  inputsOf: ({ props: p }) => ({ email: p.email, admin: p.admin, scopes: p.scopes }),
  outputs: ["status", "username"],
  stackOutputs: { status: { from: "status" } },
  normalize: (i) => inputs(i.email, i.admin, i.scopes),
  naturalKey: (i) => keyPart("email", i.email, { caseless: true }),

  create: invite,

  async read(id) {
    return find(emailKey(id));
  },

  async update(id, _olds, news) {
    const found = await find(emailKey(id));
    // Adoption calls update with what it found: an object already as desired is left alone.
    if (found && isDeepStrictEqual(teammate.normalize(found.inputs), news)) return found.outs;
    if (!found) throw new Error(`SendGrid teammate ${id}: neither an invitation nor a teammate has this email any more; run \`pulumi up --refresh\` to invite them again`);
    if (found.outs.status === "pending") {
      // SendGrid cannot change an invitation: withdraw it and send the new one.
      await remove(found);
      return (await invite(news)).outs;
    }
    await sendgrid().request("PATCH", `${PATH}/${encodeURIComponent(found.outs.username!)}`, {
      body: { scopes: news.scopes ?? [], is_admin: news.admin },
      idempotent: true,
    });
    return found.outs;
  },

  async delete(id) {
    const found = await find(emailKey(id));
    if (found) await remove(found);
  },

  existing: {
    // Two collections make up one listing: the invitations and the accepted teammates (the list
    // of teammates has no scopes: a candidate is then read in full, one call).
    scope: () => "account",
    async list() {
      const [pending, accepted] = await Promise.all([pendingInvites(), acceptedTeammates()]);
      return [...pending.map(pendingLive), ...accepted.map(acceptedLive)];
    },
    complete: completeListed,
    // Refresh through the same listing: an invitation or an admin is all there; a teammate with
    // scopes is read for them (gone since the listing: undefined).
    readsFromList: completeListed,
  },
  export: {
    async list() {
      const all = await teammate.existing!.list({} as TeammateInputs);
      const complete = await Promise.all(all.map((t) => teammate.existing!.complete!(t, t.inputs)));
      return complete.filter((t): t is Live => t !== undefined);
    },
    entry: ({ inputs: i }) => ({ label: i.email.split("@")[0]!, fields: compact(i.admin ? { email: i.email, admin: true } : { email: i.email, scopes: i.scopes }) }),
  },
});

/**
 * Mailtrap account access (`/api/account_accesses`, account-management document): what a person,
 * a user of the account or someone invited to it, may do on the account, its projects and its
 * inboxes. Natural key: the person's email (letter case ignored, as e-mail providers ignore it).
 *
 * What the document allows decides the life cycle:
 * - There is no create: Mailtrap's API lists accesses, changes their permissions
 *   (`PUT .../permissions/bulk`) and removes them, but cannot invite anyone. So an entry takes over
 *   the access of the person with its email, without `adopt` (`takesOver`); when there is none,
 *   `up` stops and says to invite the person from Mailtrap's web UI first. An access removed outside
 *   mailform therefore cannot be made again by `up`: it says so, naming the entry.
 * - `account` and `permissions` change in place with one bulk PUT: the permissions that differ are
 *   written (Mailtrap updates an existing resource/type pair and creates a new one), the ones the
 *   entry no longer grants are sent with `_destroy: true`.
 * - A delete removes the access: a user loses every permission on the account, an invitation is
 *   withdrawn. A different email is another person: the access is replaced (the new person's is
 *   taken over, the old person's removed).
 * - Pending or accepted is a state, not drift: the output `status` says `invited` (an Invite) or
 *   `member` (a User).
 * - The account's owner (access level 1000 on the account) cannot lose access: it is not listed
 *   for adoption, export or the unmanaged report.
 * - Refresh reads through the one listing (there is no read of one access).
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart, keyText } from "../natural-key";
import { mailtrap } from "../clients";
import { settingsFingerprint } from "../settings";
import { ACCESS_LEVELS, normalizePermissions, permissionEntries, permissionInputs, RESOURCE_TYPES, type AccessLevel, type PermissionTarget, type TokenPermission } from "./api-token";

export interface AccountAccessInputs {
  email: string;
  /** Access to the account as a whole; null for none. */
  account: AccessLevel | null;
  /** Projects and inboxes, as an API token's (sorted set, vendor ids). */
  permissions: TokenPermission[];
}

export interface AccountAccessOutputs {
  accessId: number;
  /** `invited` until the invitation is accepted (an Invite), then `member` (a User). */
  status: "invited" | "member";
  /** Whether the user signs in with two-factor authentication (users only). */
  twoFactorEnabled?: boolean;
}

interface ApiResource {
  resource_type: string;
  resource_id: number | string;
  access_level: number;
}

interface ApiAccess {
  id: number;
  specifier_type: string;
  specifier?: { id?: number; email?: string; name?: string; two_factor_authentication_enabled?: boolean };
  resources?: ApiResource[];
}

type Live = LiveObject<AccountAccessInputs, AccountAccessOutputs>;

const PATH = "/api/account_accesses";
const OWNER = 1000;
const LEVELS: Record<number, string> = { 1000: "owner", 100: "admin", 50: "viewer+", 10: "viewer", 1: "indeterminate" };

const emailKey = (email: unknown) => keyText(email, { caseless: true });
const level = (n: number): AccessLevel => (LEVELS[n] ?? String(n)) as AccessLevel;
const isOwner = (a: ApiAccess) => (a.resources ?? []).some((r) => r.resource_type === "account" && r.access_level === OWNER);

function toLive(a: ApiAccess): Live {
  const resources = a.resources ?? [];
  const account = resources.find((r) => r.resource_type === "account");
  // Types other than project/inbox (domain, billing, campaigns) are kept verbatim: they show as drift.
  const permissions = resources
    .filter((r) => r.resource_type !== "account")
    .map((r) => ({
      resourceType: (r.resource_type === "sandbox" || r.resource_type === "inbox" ? "inbox" : r.resource_type) as PermissionTarget,
      resourceId: Number(r.resource_id),
      accessLevel: level(r.access_level),
    }));
  return {
    id: String(a.id),
    inputs: { email: emailKey(a.specifier?.email), account: account ? level(account.access_level) : null, permissions: normalizePermissions(permissions) },
    outs: compact({
      accessId: a.id,
      status: a.specifier_type === "Invite" ? ("invited" as const) : ("member" as const),
      twoFactorEnabled: a.specifier_type === "User" ? a.specifier?.two_factor_authentication_enabled === true : undefined,
    }),
  };
}

async function listAll(): Promise<Live[]> {
  const res = await mailtrap().request<ApiAccess[] | { data?: ApiAccess[] }>("GET", PATH);
  const all = Array.isArray(res.body) ? res.body : (res.body.data ?? []);
  return all.filter((a) => a.specifier_type === "User" || a.specifier_type === "Invite").filter((a) => !isOwner(a)).map(toLive);
}

let knownAccount: { settings: string; id: Promise<number> } | undefined;

/** The account's id, for an account-level permission: the root of the permissions tree, read once per process and account. */
function accountId(): Promise<number> {
  if (knownAccount?.settings !== settingsFingerprint()) {
    const id = (async () => {
      const res = await mailtrap().request<{ id: number; type: string }[]>("GET", "/api/permissions/resources");
      const root = (Array.isArray(res.body) ? res.body : []).find((n) => n.type === "account");
      if (!root) throw new Error("Mailtrap: the permissions resources answer has no account; the token needs admin access to the account to manage account accesses");
      return root.id;
    })();
    id.catch(() => (knownAccount = undefined)); // a failed read is not remembered
    knownAccount = { settings: settingsFingerprint(), id };
  }
  return knownAccount.id;
}

const pairKey = (type: string, id: unknown) => `${type}\n${String(id)}`;

/** The bulk PUT body that turns `olds` into `news`: what differs, and `_destroy` for what is no longer granted. */
async function bulkBody(olds: Partial<AccountAccessInputs>, news: AccountAccessInputs): Promise<Record<string, unknown>[]> {
  const want = new Map<string, { resource_type: string; resource_id: string; access_level: string }>();
  const have = new Map<string, { resource_type: string; resource_id: string; level: string }>();
  for (const p of news.permissions) {
    const type = RESOURCE_TYPES[p.resourceType] ?? p.resourceType;
    want.set(pairKey(type, p.resourceId), { resource_type: type, resource_id: String(p.resourceId), access_level: p.accessLevel });
  }
  for (const p of normalizePermissions(olds.permissions)) {
    const type = RESOURCE_TYPES[p.resourceType] ?? p.resourceType;
    have.set(pairKey(type, p.resourceId), { resource_type: type, resource_id: String(p.resourceId), level: String(p.accessLevel) });
  }
  if (news.account !== (olds.account ?? null)) {
    const id = await accountId();
    if (news.account) want.set(pairKey("account", id), { resource_type: "account", resource_id: String(id), access_level: news.account });
    if (olds.account) have.set(pairKey("account", id), { resource_type: "account", resource_id: String(id), level: String(olds.account) });
  }
  const body: Record<string, unknown>[] = [];
  for (const [k, w] of want) if (have.get(k)?.level !== w.access_level) body.push(w);
  for (const [k, h] of have) if (!want.has(k)) body.push({ resource_type: h.resource_type, resource_id: h.resource_id, _destroy: true });
  return body;
}

export const accountAccess: KindDefinition<AccountAccessInputs, AccountAccessOutputs> = {
  kind: "mailtrap:AccountAccess",
  title: "Mailtrap account access",
  entryKind: "mailtrap:accountAccess",
  yamlPath: "mailtrap.accountAccesses",
  schema: "MailtrapAccountAccess",
  docs: { page: "docs/resources/mailtrap.md", section: "Account access" },
  loss: { what: "the person's access to the account (an invitation is withdrawn); only a new invitation from Mailtrap's web UI gives it back" },
  risks: (i) => [
    ...(i.account === "admin" ? ["account admin: this person can manage the whole account, its users and tokens"] : []),
    ...((Array.isArray(i.permissions) ? i.permissions : []).some((p) => p.accessLevel === "admin") ? ["admin access: they can change or delete what they are granted on"] : []),
  ],
  fields: { email: { replaces: true }, account: {}, permissions: {} },
  inputsOf: (e, ref) => ({
    email: e.props.email,
    account: e.props.account,
    permissions: permissionInputs(e.props.permissions, ref),
  }),
  outputs: ["accessId", "status", "twoFactorEnabled"],
  stackOutputs: { id: { from: "id" }, status: { from: "status" } },
  normalize: (i) => ({ email: emailKey(i.email), account: i.account ?? null, permissions: normalizePermissions(i.permissions) }),
  naturalKey: (i) => keyPart("email", i.email, { caseless: true }),
  takesOver: true,

  async create(inputs) {
    // Reached only when no access has this email (see `takesOver`).
    throw new Error(
      `Mailtrap account access for ${keyPart("email", inputs.email)}: nobody with this email has access to the account or an invitation to it, ` +
        `and Mailtrap's API cannot invite anyone. Invite ${inputs.email} from Mailtrap's web UI (Settings, User management), then run again.`,
    );
  },

  async read(id) {
    // No read of one access: the listing (which refresh reads through anyway).
    return (await listAll()).find((a) => a.id === id);
  },

  async update(id, olds, news) {
    const permissions = await bulkBody(olds, news);
    // Setting permissions to values is safe to repeat: the same body leaves the same access.
    if (permissions.length > 0) await mailtrap().request("PUT", `${PATH}/${id}/permissions/bulk`, { body: { permissions }, idempotent: true });
    return compact({ accessId: olds.accessId ?? Number(id), status: olds.status ?? "member", twoFactorEnabled: olds.twoFactorEnabled });
  },

  async delete(id) {
    await mailtrap().request("DELETE", `${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    list: listAll,
    // The listing carries the specifier and every permission, as no other read does.
    readsFromList: true,
  },
  export: {
    list: listAll,
    entry: ({ inputs: i }, refs) => {
      const label = i.email.split("@")[0]!;
      if (i.account !== null && !(i.account in ACCESS_LEVELS)) return { label, reason: `its ${i.account} access to the account, which a stack file cannot declare` };
      const permissions = permissionEntries(i.permissions, refs);
      if (typeof permissions === "string") return { label, reason: permissions };
      return { label, fields: compact({ email: i.email, account: i.account ?? undefined, permissions: permissions.length > 0 ? permissions : undefined }) };
    },
  },
};

/**
 * Mailtrap API token: a name and the permissions it grants on projects and inboxes.
 *
 * Mailtrap has no update for tokens (create, get, list, delete and reset only), so a change of the
 * name or of the permissions replaces the token: the old one is deleted first (the replacement
 * would otherwise collide with it on the natural key, its name), then a new one is created, with
 * a new secret.
 *
 * The secret `token` is returned by create (and reset) only, never by GET. It is a secret output;
 * a refresh cannot read it back, so read keeps the value already in state. An adopted token has
 * no `token` output: Mailtrap will not show it again.
 *
 * A reset (in the web UI, or any client) gives the token an expiry (`expires_at`: the value stops
 * working after a short grace period) and issues a new token with the same name and permissions,
 * whose value only that client saw. The stored `token` is then dead. So `expiresAt` is a managed
 * field that is always null in the desired state: a refresh shows the reset as drift that replaces
 * the token. The token the reset issued is never deleted (whoever reset it may have deployed its
 * value): the replacement finds it under the same name and `up` asks to adopt it (`adopt: true`,
 * its value then stays where the reset showed it) or to give the entry another name.
 *
 * Permissions are a set: they are sorted (and exact duplicates dropped) so that their order in
 * the stack file never shows up as a diff.
 */
import { compact, type KindDefinition, type LiveObject, type Ref } from "../resource";
import type { ExportRefs } from "../export-spec";
import { keyPart, keyText } from "../natural-key";
import { mailtrap } from "../clients";

/** What a permission applies to, in the stack file's words; anything else seen live is kept verbatim. */
export type PermissionTarget = "project" | "inbox";
export type AccessLevel = "admin" | "viewer";

export interface TokenPermission {
  resourceType: PermissionTarget;
  /** The vendor id of the project or inbox. */
  resourceId: number;
  accessLevel: AccessLevel;
}

export interface ApiTokenInputs {
  name: string;
  permissions: TokenPermission[];
  /** When the token stops working (set by a reset); null for a token mailform manages. */
  expiresAt?: string | null;
}

export interface ApiTokenOutputs {
  tokenId: number;
  /** The secret: present when mailform created the token, absent when it adopted it. */
  token?: string;
  last4Digits?: string;
}

interface ApiResource {
  resource_type: string;
  resource_id: number | string;
  access_level: number;
}

interface ApiToken {
  id: number;
  name: string;
  last_4_digits?: string;
  expires_at?: string | null;
  resources?: ApiResource[];
  token?: string;
}

/** Stack-file target -> the API's `resource_type` (v2 calls an inbox a sandbox). */
export const RESOURCE_TYPES: Record<PermissionTarget, string> = { project: "project", inbox: "sandbox" };
export const ACCESS_LEVELS: Record<AccessLevel, number> = { admin: 100, viewer: 10 };

function fromApi(r: ApiResource): TokenPermission {
  // `sandbox` in the current paths, `inbox` in the older account-scoped ones.
  const type = r.resource_type === "sandbox" || r.resource_type === "inbox" ? "inbox" : r.resource_type;
  const level = Object.entries(ACCESS_LEVELS).find(([, n]) => n === r.access_level)?.[0] ?? String(r.access_level);
  // Types other than project/inbox (account, domain) and other levels can only appear out of band:
  // they are kept verbatim so that they show up as drift.
  return { resourceType: type as PermissionTarget, resourceId: asId(r.resource_id), accessLevel: level as AccessLevel };
}

function toApi(p: TokenPermission): ApiResource {
  return {
    resource_type: RESOURCE_TYPES[p.resourceType] ?? p.resourceType,
    resource_id: p.resourceId,
    access_level: ACCESS_LEVELS[p.accessLevel] ?? Number(p.accessLevel),
  };
}

/** Numbers stay numbers; anything else (an unknown value during preview) is left alone. */
function asId(value: unknown): number {
  return typeof value === "string" && /^\d+$/.test(value) ? Number(value) : (value as number);
}

function compare(a: TokenPermission, b: TokenPermission): number {
  const key = (p: TokenPermission) => [String(p.resourceType), String(p.resourceId).padStart(20, "0"), String(p.accessLevel)];
  const [ka, kb] = [key(a), key(b)];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] < kb[i] ? -1 : 1;
  return 0;
}

/** Sorted, exact duplicates dropped, ids as numbers: the order in the stack file is not a change. */
export function normalizePermissions(permissions: readonly TokenPermission[] | undefined): TokenPermission[] {
  // During a preview the whole list is an unknown value when an id it needs is not known yet.
  if (permissions !== undefined && !Array.isArray(permissions)) return permissions as unknown as TokenPermission[];
  const sorted = (permissions ?? [])
    .map((p) => ({ resourceType: p.resourceType, resourceId: asId(p.resourceId), accessLevel: p.accessLevel }))
    .sort(compare);
  return sorted.filter((p, i) => i === 0 || compare(sorted[i - 1], p) !== 0);
}

/** A token's or an access's permissions as the stack file writes them, each target by key, as inputs holding their vendor ids (`ref`). */
export function permissionInputs(raw: unknown, ref: Ref): TokenPermission[] {
  // Each permission names a project (`project: staging`) or an inbox (`inbox: staging/qa`) entry by key and receives its vendor id.
  return ((raw ?? []) as { project?: string; inbox?: string; access: AccessLevel }[]).map((p) => {
    const kind: PermissionTarget = p.project !== undefined ? "project" : "inbox";
    return { resourceType: kind, resourceId: ref(`mailtrap:${kind}`, (p.project ?? p.inbox)!) as number, accessLevel: p.access };
  });
}

/** Live permissions as stack-file entries (`mailform export`), or why a stack file cannot name one. */
export function permissionEntries(permissions: readonly TokenPermission[], refs: ExportRefs): Record<string, string>[] | string {
  const out: Record<string, string>[] = [];
  for (const p of permissions) {
    const key = refs.key(`mailtrap:${p.resourceType}`, String(p.resourceId));
    if (!key || !(p.accessLevel in ACCESS_LEVELS)) return `a permission (${p.resourceType} ${p.resourceId}, ${p.accessLevel}) on something a stack file cannot name`;
    out.push({ [p.resourceType]: key, access: p.accessLevel });
  }
  return out;
}

function toLive(t: ApiToken, token?: string): LiveObject<ApiTokenInputs, ApiTokenOutputs> {
  return {
    id: String(t.id),
    inputs: { name: t.name, permissions: normalizePermissions((t.resources ?? []).map(fromApi)), expiresAt: t.expires_at ?? null },
    outs: compact({ tokenId: t.id, token: t.token ?? token, last4Digits: t.last_4_digits }),
  };
}

const PATH = "/api/api_tokens";

export const apiToken: KindDefinition<ApiTokenInputs, ApiTokenOutputs> = {
  kind: "mailtrap:ApiToken",
  title: "Mailtrap API token",
  entryKind: "mailtrap:apiToken",
  yamlPath: "mailtrap.apiTokens",
  schema: "MailtrapApiToken",
  docs: { page: "docs/resources/mailtrap.md", section: "API token" },
  loss: { what: "its token value, which callers hold" },
  risks: (i) =>
    (Array.isArray(i.permissions) ? i.permissions : []).some((p) => p.accessLevel === "admin")
      ? ["admin access: it can change or delete what it is granted on"]
      : [],
  fields: {
    name: { replaces: true },
    permissions: { replaces: true },
    expiresAt: { replaces: true, from: "none: a token mailform manages does not expire" },
  },
  inputsOf: (e, ref) => ({
    name: e.props.name,
    permissions: permissionInputs(e.props.permissions, ref),
    expiresAt: null,
  }),
  outputs: ["tokenId", "token", "last4Digits"],
  stackOutputs: { id: { from: "id" }, token: { from: "token" } },
  shownOnceSecret: true,
  secretOutputs: ["token"],
  // The name replaces: compared as the natural key is, so a difference Mailtrap does not see replaces nothing.
  normalize: (i) => ({ name: keyText(i.name), permissions: normalizePermissions(i.permissions), expiresAt: i.expiresAt ?? null }),
  naturalKey: (i) => keyPart("name", i.name),

  async create(inputs) {
    const res = await mailtrap().request<ApiToken>("POST", PATH, {
      body: { name: inputs.name, resources: inputs.permissions.map(toApi) },
    });
    return toLive(res.body);
  },

  async read(id, previous) {
    const res = await mailtrap().request<ApiToken>("GET", `${PATH}/${id}`, { accept: [404] });
    if (res.status === 404) return undefined;
    // GET never shows the secret: keep the one in state.
    return toLive(res.body, previous.token);
  },

  async update(id, olds, news) {
    // Reached only when adopting (every field replaces). Mailtrap cannot change a token in place.
    const differs = keyText(olds.name) !== news.name || JSON.stringify(normalizePermissions(olds.permissions)) !== JSON.stringify(news.permissions);
    if (differs) {
      throw new Error(
        `Mailtrap API token ${id} (name "${olds.name}") has other permissions than this entry, and Mailtrap ` +
          `cannot change a token's permissions. Make the entry's permissions match the token's, or delete the token and run again.`,
      );
    }
    return compact({ tokenId: olds.tokenId ?? Number(id), token: olds.token, last4Digits: olds.last4Digits });
  },

  async delete(id) {
    await mailtrap().request("DELETE", `${PATH}/${id}`);
  },

  existing: {
    scope: () => "account",
    async list() {
      const res = await mailtrap().request<ApiToken[]>("GET", PATH);
      // A token that has been reset (expires_at set) is on its way out; its successor carries the name.
      return res.body.filter((t) => !t.expires_at).map((t) => toLive(t));
    },
    // Listed with their permissions (ApiToken, as GET answers one); the secret stays in state.
    readsFromList: true,
  },
  export: {
    list: () => apiToken.existing!.list({} as ApiTokenInputs),
    entry: ({ inputs: i }, refs) => {
      const permissions = permissionEntries(i.permissions, refs);
      return typeof permissions === "string" ? { label: i.name, reason: permissions } : { label: i.name, fields: { name: i.name, permissions } };
    },
  },
};

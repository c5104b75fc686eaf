/**
 * SendGrid API key. Natural key (adoption): its name (names need not be unique at SendGrid; two
 * keys of the same name stop adoption with a message).
 *
 * - `scopes` is a sorted set; omitted means full access (SendGrid's own default). SendGrid assigns
 *   some scopes by itself, to every key (`2fa_required`, `sender_verification_eligible`) or on some
 *   accounts (`2fa_exempt`, `sender_verification_exempt`, `sender_verification_legacy`): they are
 *   dropped on both sides, so they never show as a diff. A key whose live scopes cover every
 *   scope of the account (`GET /v3/scopes`) reads back as full access when it was declared so.
 * - A rename is one PATCH. A change of scopes is one PUT (which carries the name too), after one
 *   GET of the key: the PUT sets every scope of the key, so the ones SendGrid assigned by itself
 *   that the key holds are sent back with it, never removed.
 * - `apiKey`, the secret, is returned by SendGrid once, when the key is created: it is kept in
 *   state as a secret output. Refresh cannot read it back, so it keeps the value from state; an
 *   adopted key has no known secret (`apiKey` stays unset) until it is replaced.
 */
import { isDeepStrictEqual } from "node:util";
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { setting } from "../settings";
import { sendgrid } from "../clients";
import { apiKeyDetails, apiKeyList, type ApiKeyDetails } from "./responses";
import { perAccount, type AccountInputs } from "./accounts";

export interface ApiKeyInputs {
  name: string;
  /** Sorted, without the scopes SendGrid grants every key; undefined = full access. */
  scopes?: string[];
}

export interface ApiKeyOutputs {
  apiKeyId: string;
  /** The secret, as shown once on create. */
  apiKey?: string;
}

/** Scopes SendGrid assigns by itself, whatever was asked for: to every key, or on some accounts. */
export const SERVICE_GRANTED_SCOPES: readonly string[] = [
  "2fa_required",
  "2fa_exempt",
  "sender_verification_eligible",
  "sender_verification_exempt",
  "sender_verification_legacy",
];

export function normalizeScopes(scopes: readonly string[] | undefined): string[] | undefined {
  if (scopes === undefined || scopes === null) return undefined;
  return [...new Set(scopes.map((s) => s.trim()))].filter((s) => s !== "" && !SERVICE_GRANTED_SCOPES.includes(s)).sort();
}

/** Every scope of the account, as the calling key sees it (for "full access"). */
let fullScopes: { key: unknown; scopes: Promise<string[]> } | undefined;
function accountScopes(): Promise<string[]> {
  const client = sendgrid();
  if (fullScopes?.key !== client) {
    fullScopes = {
      key: client,
      scopes: client.request<{ scopes: string[] }>("GET", "/scopes").then((r) => normalizeScopes(r.body.scopes) ?? []),
    };
    fullScopes.scopes.catch(() => (fullScopes = undefined));
  }
  return fullScopes.scopes;
}

async function toLive(d: ApiKeyDetails, previous?: Partial<ApiKeyInputs & ApiKeyOutputs>): Promise<LiveObject<ApiKeyInputs, ApiKeyOutputs>> {
  let scopes = normalizeScopes(d.scopes ?? []);
  if (previous && previous.scopes === undefined) {
    const all = await accountScopes();
    if (all.every((s) => scopes!.includes(s))) scopes = undefined;
  }
  const outs: ApiKeyOutputs = { apiKeyId: d.api_key_id };
  if (previous?.apiKey !== undefined) outs.apiKey = previous.apiKey;
  return { id: d.api_key_id, inputs: scopes === undefined ? { name: d.name } : { name: d.name, scopes }, outs };
}

async function details(id: string): Promise<ApiKeyDetails | undefined> {
  const res = await sendgrid().request("GET", `/api_keys/${encodeURIComponent(id)}`, { accept: [404] });
  if (res.status === 404) return undefined;
  return apiKeyDetails(res.body);
}

/** Every key of the account: `limit`/`offset` pages, following the `Link` header. */
async function listKeys(): Promise<{ api_key_id: string; name: string }[]> {
  const all: { api_key_id: string; name: string }[] = [];
  let offset = 0;
  for (let page = 0; page < 1000; page++) {
    const res = await sendgrid().request("GET", "/api_keys", {
      query: { limit: 500, offset: offset || undefined },
    });
    const items = apiKeyList(res.body);
    all.push(...items);
    const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get("link") ?? "");
    const nextOffset = next ? Number(new URL(next[1]!).searchParams.get("offset")) : NaN;
    if (!next || !(nextOffset > offset) || items.length === 0) break;
    offset = nextOffset;
  }
  return all;
}

export const apiKey: KindDefinition<ApiKeyInputs & AccountInputs, ApiKeyOutputs> = perAccount<ApiKeyInputs, ApiKeyOutputs>({
  kind: "sendgrid:ApiKey",
  title: "SendGrid API key",
  entryKind: "sendgrid:apiKey",
  yamlPath: "sendgrid.apiKeys",
  schema: "SendgridApiKey",
  docs: { page: "docs/resources/sendgrid.md", section: "API key" },
  loss: { what: "its key value, which callers hold" },
  risks: (i) => (i.scopes === undefined ? ["full access (no scopes): it can do everything the account can"] : []),
  fields: { name: {}, scopes: {} },
  inputsOf: (e) => ({ name: e.props.name, scopes: e.props.scopes }),
  outputs: ["apiKeyId", "apiKey"],
  shownOnceSecret: true,
  secretOutputs: ["apiKey"],
  stackOutputs: { id: { from: "id" }, apiKey: { from: "apiKey" } },
  normalize: (i) => (i.scopes === undefined || i.scopes === null ? { name: i.name } : { name: i.name, scopes: normalizeScopes(i.scopes) }),
  naturalKey: (i) => keyPart("name", i.name),

  async create(inputs) {
    const res = await sendgrid().request<{ api_key: string; api_key_id: string }>("POST", "/api_keys", {
      body: inputs.scopes === undefined ? { name: inputs.name } : { name: inputs.name, scopes: inputs.scopes },
    });
    return { id: res.body.api_key_id, inputs, outs: { apiKeyId: res.body.api_key_id, apiKey: res.body.api_key } };
  },

  async read(id, previous) {
    const d = await details(id);
    return d ? toLive(d, previous) : undefined;
  },

  async update(id, olds, news) {
    const path = `/api_keys/${encodeURIComponent(id)}`;
    if (!isDeepStrictEqual(olds.scopes, news.scopes)) {
      // PUT sets name and every scope together (and needs at least one): the scopes SendGrid
      // assigned by itself go back with it, as the key holds them now, or the PUT would drop them.
      const assigned = ((await details(id))?.scopes ?? []).filter((s) => SERVICE_GRANTED_SCOPES.includes(s));
      let scopes = [...(news.scopes ?? (await accountScopes())), ...assigned];
      if (scopes.length === 0) scopes = [...SERVICE_GRANTED_SCOPES.slice(0, 1)];
      await sendgrid().request("PUT", path, { body: { name: news.name, scopes } });
    } else if (olds.name !== news.name) {
      await sendgrid().request("PATCH", path, { body: { name: news.name }, idempotent: true });
    }
    const outs: ApiKeyOutputs = { apiKeyId: id };
    if (olds.apiKey !== undefined) outs.apiKey = olds.apiKey;
    return outs;
  },

  async delete(id) {
    await sendgrid().request("DELETE", `/api_keys/${encodeURIComponent(id)}`);
  },

  // A key is `SG.<api_key_id>.<secret>`.
  ownCredential: ({ id }) => id === setting("sendgridApiKey")?.split(".")[1],
  existing: {
    // The list has names only; candidates are then read in full (one call each).
    scope: () => "account",
    async list() {
      return (await listKeys()).map((k) => ({ id: k.api_key_id, inputs: { name: k.name }, outs: { apiKeyId: k.api_key_id } }));
    },

    async complete(found, desired) {
      const d = await details(found.id);
      // Compare scopes against the declared intent: full access when none are declared.
      return d ? toLive(d, desired.scopes === undefined ? {} : { scopes: desired.scopes }) : undefined;
    },
  },
  export: {
    async list() {
      // Read in full: full access (every scope of the account) is written as no `scopes`.
      const keys = await Promise.all((await listKeys()).map((k) => details(k.api_key_id)));
      return Promise.all(keys.filter((d): d is ApiKeyDetails => d !== undefined).map((d) => toLive(d, {})));
    },
    entry: ({ id, inputs: i }) =>
      // A key is `SG.<api_key_id>.<secret>`: the one mailform calls with is not handed over to it.
      apiKey.ownCredential!({ id } as LiveObject<ApiKeyInputs, ApiKeyOutputs>)
        ? { label: i.name, reason: "the key mailform itself calls SendGrid with: as an entry, removing it would delete mailform's own credential" }
        : { label: i.name, fields: compact({ ...i }) },
  },
});

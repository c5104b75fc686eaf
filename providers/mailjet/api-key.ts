/**
 * Mailjet API key (`/v3/REST/apikey`): a name and whether it is active. Both change in place (one
 * PUT with only what changed); `active: false` disables the key without deleting it.
 *
 * Outputs: `keyId`, the public `apiKey`, and `secretKey`, a secret output. Mailjet shows the
 * secret in the answer to the POST that created the key and never again, so:
 * - refresh (`read`) cannot see it and keeps the value already in state;
 * - an adopted key has no `secretKey` output (mailform did not create it);
 * - a key deleted out of band and created again by `up --refresh` gets a new secret, which
 *   replaces the old one in state and in the stack outputs.
 *
 * Natural key: the name, among the account's keys other than the master key (Mailjet does not
 * keep names unique: two keys with the entry's name make adoption refuse to guess).
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { setting } from "../settings";
import { mailjet } from "../clients";

export interface ApiKeyInputs {
  name: string;
  active: boolean;
}

export interface ApiKeyOutputs {
  keyId: number;
  /** The public half, Mailjet's `APIKey`: the Basic-auth user name. */
  apiKey: string;
  /** The secret half: present when mailform created the key, absent when it adopted it. */
  secretKey?: string;
}

interface ApiKey {
  ID: number;
  Name: string;
  IsActive: boolean;
  APIKey: string;
  SecretKey?: string;
  IsMaster?: boolean;
}

function toLive(k: ApiKey, secretKey?: string): LiveObject<ApiKeyInputs, ApiKeyOutputs> {
  return {
    id: String(k.ID),
    inputs: { name: k.Name, active: k.IsActive },
    outs: compact({ keyId: k.ID, apiKey: k.APIKey, secretKey: k.SecretKey ?? secretKey }),
  };
}

const PATH = "/apikey";

export const apiKey: KindDefinition<ApiKeyInputs, ApiKeyOutputs> = {
  kind: "mailjet:ApiKey",
  title: "Mailjet API key",
  entryKind: "mailjet:apiKey",
  yamlPath: "mailjet.apiKeys",
  schema: "MailjetApiKey",
  docs: { page: "docs/resources/mailjet.md", section: "API key" },
  loss: { what: "its key pair, which callers hold" },
  fields: { name: {}, active: {} },
  inputsOf: (e) => ({ name: e.props.name, active: e.props.active }),
  outputs: ["keyId", "apiKey", "secretKey"],
  shownOnceSecret: true,
  secretOutputs: ["secretKey"],
  stackOutputs: { id: { from: "id" }, apiKey: { from: "apiKey" }, secretKey: { from: "secretKey" } },
  normalize: (i) => ({ name: i.name, active: i.active ?? true }),
  naturalKey: (i) => keyPart("name", i.name),

  async create(inputs) {
    return toLive(await mailjet().create<ApiKey>(PATH, { Name: inputs.name, IsActive: inputs.active }));
  },

  async read(id, previous) {
    const live = await mailjet().get<ApiKey>(`${PATH}/${id}`);
    // GET never shows the secret: keep the one in state.
    return live && toLive(live, previous.secretKey);
  },

  async update(id, olds, news) {
    const changed = compact({
      Name: olds.name !== news.name ? news.name : undefined,
      IsActive: olds.active !== news.active ? news.active : undefined,
    });
    let apiKeyValue = olds.apiKey;
    if (Object.keys(changed).length > 0) {
      const updated = await mailjet().update<ApiKey>(`${PATH}/${id}`, changed);
      if (updated) apiKeyValue = updated.APIKey;
    }
    return compact({ keyId: olds.keyId ?? Number(id), apiKey: apiKeyValue, secretKey: olds.secretKey });
  },

  async delete(id) {
    await mailjet().delete(`${PATH}/${id}`);
  },

  ownCredential: ({ outs }) => outs.apiKey === setting("mailjetApiKey"),
  existing: {
    scope: () => "account",
    async list() {
      const keys = await mailjet().list<ApiKey>(PATH, { IsMaster: false });
      return keys.filter((k) => !k.IsMaster).map((k) => toLive(k));
    },
    // The secret key is never listed (nor read): state keeps it.
    readsFromList: true,
  },
  export: {
    list: () => apiKey.existing!.list({} as ApiKeyInputs),
    entry: (live) =>
      apiKey.ownCredential!(live)
        ? { label: live.inputs.name, reason: "the key mailform itself calls Mailjet with: as an entry, removing it would delete mailform's own credential" }
        : { label: live.inputs.name, fields: { ...live.inputs } },
  },
};

/**
 * SendGrid inbound parse setting (`/v3/user/webhooks/parse/settings`, tsg_webhooks_v3.json): mail
 * received at `hostname` (whose MX record points at SendGrid) is parsed and posted to `url`. The
 * hostname is the object's id at SendGrid and its natural key (letter case ignored, as DNS does);
 * SendGrid's update takes `url`, `spam_check` and `send_raw` only, so a different hostname
 * replaces the setting (the new one is created before the old one is deleted: they never share a
 * hostname). The listing carries every field: refresh reads through it.
 */
import { compact, type KindDefinition, type LiveObject } from "../resource";
import { keyPart } from "../natural-key";
import { urlCredentials, withoutCredentials } from "../url-credentials";
import { sendgrid } from "../clients";
import { hostText } from "./whitelabel";
import { perAccount, type AccountInputs } from "./accounts";

export interface ParseSettingInputs {
  hostname: string;
  url: string;
  spamCheck: boolean;
  sendRaw: boolean;
}

/** None: the hostname is its id at SendGrid (the Pulumi id) and an input. */
export type ParseSettingOutputs = Record<string, never>;

interface ApiParseSetting {
  hostname: string;
  url: string;
  spam_check?: boolean;
  send_raw?: boolean;
}

const PATH = "/user/webhooks/parse/settings";

function toLive(p: ApiParseSetting): LiveObject<ParseSettingInputs, ParseSettingOutputs> {
  const hostname = hostText(p.hostname);
  return { id: hostname, inputs: { hostname, url: p.url, spamCheck: p.spam_check === true, sendRaw: p.send_raw === true }, outs: {} };
}

const at = (hostname: string) => `${PATH}/${encodeURIComponent(hostname)}`;

export const parseSetting: KindDefinition<ParseSettingInputs & AccountInputs, ParseSettingOutputs> = perAccount<ParseSettingInputs, ParseSettingOutputs>({
  kind: "sendgrid:ParseSetting",
  title: "SendGrid inbound parse setting",
  entryKind: "sendgrid:parseSetting",
  yamlPath: "sendgrid.parseSettings",
  schema: "SendgridParseSetting",
  docs: { page: "docs/resources/sendgrid.md", section: "Inbound parse setting" },
  loss: { what: "the inbound route: mail received at the hostname is no longer posted to the URL until the setting is made again" },
  fields: { hostname: { replaces: true }, url: {}, spamCheck: {}, sendRaw: {} },
  inputsOf: ({ props: p }) => ({ hostname: p.hostname, url: p.url, spamCheck: p.spamCheck, sendRaw: p.sendRaw }),
  outputs: [],
  stackOutputs: { id: { from: "id" } },
  normalize: (i) => ({ hostname: hostText(i.hostname), url: String(i.url ?? "").trim(), spamCheck: i.spamCheck === true, sendRaw: i.sendRaw === true }),
  naturalKey: (i) => keyPart("hostname", i.hostname, { caseless: true }),

  async create(i) {
    const body = { hostname: i.hostname, url: i.url, spam_check: i.spamCheck, send_raw: i.sendRaw };
    return toLive((await sendgrid().request<ApiParseSetting>("POST", PATH, { body })).body);
  },

  async read(id) {
    const res = await sendgrid().request<ApiParseSetting>("GET", at(id), { accept: [404] });
    return res.status === 404 ? undefined : toLive(res.body);
  },

  async update(id, olds, news) {
    const changed = compact({
      url: olds.url !== news.url ? news.url : undefined,
      spam_check: olds.spamCheck !== news.spamCheck ? news.spamCheck : undefined,
      send_raw: olds.sendRaw !== news.sendRaw ? news.sendRaw : undefined,
    });
    if (Object.keys(changed).length > 0) await sendgrid().request("PATCH", at(id), { body: changed, idempotent: true });
    return {};
  },

  async delete(id) {
    await sendgrid().request("DELETE", at(id));
  },

  existing: {
    scope: () => "account",
    async list() {
      const body = (await sendgrid().request<{ result?: ApiParseSetting[] } | ApiParseSetting[]>("GET", PATH)).body;
      const all = Array.isArray(body) ? body : body?.result;
      if (!Array.isArray(all)) throw new Error(`SendGrid: GET ${PATH} answered in a shape mailform does not read; nothing was changed`);
      return all.map(toLive);
    },
    // The listing answers each setting as its own read does.
    readsFromList: true,
  },
  export: {
    list: () => parseSetting.existing!.list({} as ParseSettingInputs),
    entry: ({ inputs: i }) =>
      urlCredentials(i.url)
        ? { label: i.hostname, reason: `its URL (${withoutCredentials(i.url)}) carries credentials, which a stack file must not hold (it is kept in git)` }
        : { label: i.hostname, fields: { ...i } },
  },
});

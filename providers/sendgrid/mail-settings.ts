/**
 * SendGrid mail settings (tsg_mail_settings_v3.json): account settings applied to every message,
 * one part per setting at its own path (`/v3/mail_settings/footer`, ...). An account setting: one
 * entry per stack, never created nor deleted, and only what the entry declares is managed (see
 * docs/stack-format.md, "Account settings"). The bypass-list settings are not in SendGrid's
 * document (tsg_mail_settings_v3.json), so they are not managed.
 */
import { compact, neverCreatedNorDeleted, type KindDefinition } from "../resource";
import { settingParts } from "./setting-parts";
import { perAccount, type AccountInputs } from "./accounts";

type Toggle = { enabled?: boolean };
export interface MailSettingsInputs {
  addressAllowList?: Toggle & { list?: string[] };
  bouncePurge?: Toggle & { hardBounces?: number; softBounces?: number };
  footer?: Toggle & { html?: string; text?: string };
  forwardBounce?: Toggle & { email?: string };
  forwardSpam?: Toggle & { email?: string };
}
export type MailSettingsOutputs = Record<string, never>;

const parts = settingParts({
  addressAllowList: { path: "/mail_settings/address_whitelist", fields: { enabled: "enabled", list: "list" } },
  bouncePurge: { path: "/mail_settings/bounce_purge", fields: { enabled: "enabled", hardBounces: "hard_bounces", softBounces: "soft_bounces" } },
  footer: { path: "/mail_settings/footer", fields: { enabled: "enabled", html: "html_content", text: "plain_content" } },
  forwardBounce: { path: "/mail_settings/forward_bounce", fields: { enabled: "enabled", email: "email" } },
  forwardSpam: { path: "/mail_settings/forward_spam", fields: { enabled: "enabled", email: "email" } },
});

/** The allow list is a set: order and repeats carry nothing. */
const asSet = (list: string[] | undefined): string[] | undefined => (list ? [...new Set(list.map((s) => s.trim()))].sort() : undefined);

const normalize = (i: MailSettingsInputs): MailSettingsInputs =>
  compact({
    ...i,
    addressAllowList: i.addressAllowList && compact({ ...i.addressAllowList, list: asSet(i.addressAllowList.list) }),
  });

const ID = "mail_settings";

export const mailSettings: KindDefinition<MailSettingsInputs & AccountInputs, MailSettingsOutputs> = perAccount<MailSettingsInputs, MailSettingsOutputs>({
  kind: "sendgrid:MailSettings",
  title: "SendGrid mail settings",
  entryKind: "sendgrid:mailSettings",
  yamlPath: "sendgrid.mailSettings",
  schema: "SendgridMailSettings",
  docs: { page: "docs/resources/sendgrid.md", section: "Mail settings" },
  fields: { addressAllowList: {}, bouncePurge: {}, footer: {}, forwardBounce: {}, forwardSpam: {} },
  inputsOf: ({ props: p }) => Object.fromEntries(parts.names.map((n) => [n, p[n]])),
  outputs: [],
  stackOutputs: {},
  normalize,
  naturalKey: () => "the account's mail settings",
  singleton: { id: ID },

  async read(id, declared) {
    const live = await parts.read(id, declared as never);
    return { ...live, inputs: normalize(live.inputs as MailSettingsInputs) };
  },
  async update(_id, olds, news) {
    await parts.update(olds as never, news as never);
    return {};
  },
  ...neverCreatedNorDeleted("SendGrid mail settings"),

  export: {
    list: async () => [await mailSettings.read(ID, undefined as never)].filter((l) => l !== undefined),
    entry: (live) => ({ label: "account", fields: parts.exported(live.inputs as never) }),
  },
});

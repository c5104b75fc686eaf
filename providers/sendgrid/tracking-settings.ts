/**
 * SendGrid tracking settings (tsg_tracking_settings_v3.json): click, open, Google Analytics and
 * subscription tracking, one part per setting at its own path (`/v3/tracking_settings/click`, ...).
 * An account setting: one entry per stack, never created nor deleted, and only what the entry
 * declares is managed (see docs/stack-format.md, "Account settings"). Click tracking of plain-text
 * mail (`enable_text`) is shown by SendGrid but not writable through its API, so not managed.
 */
import { compact, neverCreatedNorDeleted, type KindDefinition } from "../resource";
import { settingParts } from "./setting-parts";
import { perAccount, type AccountInputs } from "./accounts";

type Toggle = { enabled?: boolean };
export interface TrackingSettingsInputs {
  click?: Toggle;
  open?: Toggle;
  googleAnalytics?: Toggle & { utmSource?: string; utmMedium?: string; utmTerm?: string; utmContent?: string; utmCampaign?: string };
  subscription?: Toggle & { html?: string; text?: string; landing?: string; url?: string; replace?: string };
}
export type TrackingSettingsOutputs = Record<string, never>;

const parts = settingParts({
  click: { path: "/tracking_settings/click", fields: { enabled: "enabled" } },
  open: { path: "/tracking_settings/open", fields: { enabled: "enabled" } },
  googleAnalytics: {
    path: "/tracking_settings/google_analytics",
    fields: { enabled: "enabled", utmSource: "utm_source", utmMedium: "utm_medium", utmTerm: "utm_term", utmContent: "utm_content", utmCampaign: "utm_campaign" },
  },
  subscription: {
    path: "/tracking_settings/subscription",
    fields: { enabled: "enabled", html: "html_content", text: "plain_content", landing: "landing", url: "url", replace: "replace" },
  },
});

const ID = "tracking_settings";

export const trackingSettings: KindDefinition<TrackingSettingsInputs & AccountInputs, TrackingSettingsOutputs> = perAccount<TrackingSettingsInputs, TrackingSettingsOutputs>({
  kind: "sendgrid:TrackingSettings",
  title: "SendGrid tracking settings",
  entryKind: "sendgrid:trackingSettings",
  yamlPath: "sendgrid.trackingSettings",
  schema: "SendgridTrackingSettings",
  docs: { page: "docs/resources/sendgrid.md", section: "Tracking settings" },
  fields: { click: {}, open: {}, googleAnalytics: {}, subscription: {} },
  inputsOf: ({ props: p }) => Object.fromEntries(parts.names.map((n) => [n, p[n]])),
  outputs: [],
  stackOutputs: {},
  normalize: (i) => compact({ ...i }),
  naturalKey: () => "the account's tracking settings",
  singleton: { id: ID },

  read: (id, declared) => parts.read(id, declared as never) as never,
  async update(_id, olds, news) {
    await parts.update(olds as never, news as never);
    return {};
  },
  ...neverCreatedNorDeleted("SendGrid tracking settings"),

  export: {
    list: async () => [(await parts.read(ID)) as never],
    entry: (live) => ({ label: "account", fields: parts.exported(live.inputs as never) }),
  },
});

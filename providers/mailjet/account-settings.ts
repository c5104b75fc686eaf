/**
 * Mailjet account settings (mailjet-sdk-types/Setting.ts, `AccountSetting`): the fields of the
 * account's `user` (locale, time zone) and `myprofile` (company, billing address for invoices,
 * website, VAT number) that a team reviews. An account setting: one entry per stack, never created
 * nor deleted, and only what the entry declares is managed (docs/stack-format.md, "Account
 * settings"): each object is read with one GET, and PUT with the declared fields that differ, only
 * when the entry declares one of its fields. Login data, names, phone and postal address are not managed.
 */
import { isDeepStrictEqual } from "node:util";
import { compact, neverCreatedNorDeleted, type KindDefinition } from "../resource";
import { mailjet } from "../clients";

export interface AccountSettingsInputs {
  locale?: string;
  timezone?: string;
  companyName?: string;
  billingEmail?: string;
  website?: string;
  vatNumber?: string;
}
export type AccountSettingsOutputs = Record<string, never>;

/** Each object's path and its fields, YAML name -> Mailjet name. */
const OBJECTS = {
  "/user": { locale: "Locale", timezone: "Timezone" },
  "/myprofile": { companyName: "CompanyName", billingEmail: "BillingEmail", website: "Website", vatNumber: "VATNumber" },
} as const satisfies Record<string, Partial<Record<keyof AccountSettingsInputs, string>>>;

type Fields = Record<string, string>;
const ID = "account";

export const accountSettings: KindDefinition<AccountSettingsInputs, AccountSettingsOutputs> = {
  kind: "mailjet:AccountSettings",
  title: "Mailjet account settings",
  entryKind: "mailjet:accountSettings",
  yamlPath: "mailjet.accountSettings",
  schema: "MailjetAccountSettings",
  docs: { page: "docs/resources/mailjet.md", section: "Account settings" },
  fields: { locale: {}, timezone: {}, companyName: {}, billingEmail: {}, website: {}, vatNumber: {} },
  inputsOf: ({ props: p }) => ({ locale: p.locale, timezone: p.timezone, companyName: p.companyName, billingEmail: p.billingEmail, website: p.website, vatNumber: p.vatNumber }),
  outputs: [],
  stackOutputs: {},
  normalize: (i) => compact({ ...i }),
  naturalKey: () => "the account's settings",
  singleton: { id: ID },

  async read(id, declared) {
    const inputs: Record<string, unknown> = {};
    for (const [path, fields] of Object.entries(OBJECTS) as [string, Fields][]) {
      if (declared && !Object.keys(fields).some((f) => (declared as Record<string, unknown>)[f] !== undefined)) continue;
      const live = (await mailjet().get<Record<string, unknown>>(path)) ?? {};
      for (const [yaml, api] of Object.entries(fields)) inputs[yaml] = live[api] ?? undefined;
    }
    return { id, inputs: compact(inputs) as AccountSettingsInputs, outs: {} };
  },

  async update(_id, olds, news) {
    for (const [path, fields] of Object.entries(OBJECTS) as [string, Fields][]) {
      const changed = Object.fromEntries(
        Object.entries(fields)
          .filter(([yaml]) => {
            const want = news[yaml as keyof AccountSettingsInputs];
            return want !== undefined && !isDeepStrictEqual(olds[yaml as keyof AccountSettingsInputs], want);
          })
          .map(([yaml, api]) => [api, news[yaml as keyof AccountSettingsInputs]]),
      );
      if (Object.keys(changed).length > 0) await mailjet().update(path, changed);
    }
    return {};
  },
  ...neverCreatedNorDeleted("Mailjet account settings"),

  export: {
    list: async () => [await accountSettings.read(ID, undefined as never)].filter((l) => l !== undefined),
    // Empty texts are unset: not written.
    entry: (live) => ({ label: "account", fields: Object.fromEntries(Object.entries(live.inputs).filter(([, v]) => v !== "")) }),
  },
};

/**
 * Credentials and endpoints, read inside the provider process at run time: from the stack's
 * config (`pulumi config set --secret mailform:<name> ...`) first, then from the vendors' usual
 * environment variables. They never enter resource inputs, the serialized provider or state.
 */

import { createHash } from "node:crypto";

export interface SettingSpec {
  /** Stack config key, without the `mailform:` namespace. */
  config: string;
  /** Environment variables consulted in order when the config key is absent. */
  env: string[];
  /** Used when neither is set (public endpoints only, never credentials). */
  fallback?: string;
  secret: boolean;
  /** What a user should do when it is missing. */
  hint: string;
}

export const SETTINGS = {
  mailtrapApiToken: {
    config: "mailtrapApiToken", env: ["MAILTRAP_API_TOKEN", "MAILTRAP_API_KEY"], secret: true,
    hint: "pulumi config set --secret mailform:mailtrapApiToken <token>, or export MAILTRAP_API_TOKEN",
  },
  mailtrapApiUrl: {
    config: "mailtrapApiUrl", env: ["MAILTRAP_API_URL"], fallback: "https://mailtrap.io", secret: false,
    hint: "pulumi config set mailform:mailtrapApiUrl <url>",
  },
  sendgridApiKey: {
    config: "sendgridApiKey", env: ["SENDGRID_API_KEY"], secret: true,
    hint: "pulumi config set --secret mailform:sendgridApiKey <key>, or export SENDGRID_API_KEY",
  },
  sendgridApiUrl: {
    config: "sendgridApiUrl", env: ["SENDGRID_API_URL"], fallback: "https://api.sendgrid.com", secret: false,
    hint: "pulumi config set mailform:sendgridApiUrl <url> (EU accounts: https://api.eu.sendgrid.com)",
  },
  sendgridOnBehalfOf: {
    config: "sendgridOnBehalfOf", env: ["SENDGRID_ON_BEHALF_OF"], secret: false,
    hint: "pulumi config set mailform:sendgridOnBehalfOf <subuser>",
  },
  mailjetApiKey: {
    config: "mailjetApiKey", env: ["MJ_APIKEY_PUBLIC", "MAILJET_API_KEY"], secret: true,
    hint: "pulumi config set --secret mailform:mailjetApiKey <key>, or export MJ_APIKEY_PUBLIC",
  },
  mailjetSecretKey: {
    config: "mailjetSecretKey", env: ["MJ_APIKEY_PRIVATE", "MAILJET_SECRET_KEY"], secret: true,
    hint: "pulumi config set --secret mailform:mailjetSecretKey <key>, or export MJ_APIKEY_PRIVATE",
  },
  mailjetApiUrl: {
    config: "mailjetApiUrl", env: ["MAILJET_API_URL"], fallback: "https://api.mailjet.com", secret: false,
    hint: "pulumi config set mailform:mailjetApiUrl <url>",
  },
  mailtrapRateLimit: {
    config: "mailtrapRateLimit", env: ["MAILTRAP_RATE_LIMIT"], fallback: "150/10s", secret: false,
    hint: "pulumi config set mailform:mailtrapRateLimit 150/10s (requests per period of your Mailtrap plan)",
  },
  sendgridRateLimit: {
    config: "sendgridRateLimit", env: ["SENDGRID_RATE_LIMIT"], fallback: "600/min", secret: false,
    hint: "pulumi config set mailform:sendgridRateLimit 600/min (requests per period of your SendGrid plan)",
  },
  mailjetRateLimit: {
    config: "mailjetRateLimit", env: ["MAILJET_RATE_LIMIT"], fallback: "300/min", secret: false,
    hint: "pulumi config set mailform:mailjetRateLimit 300/min (requests per period of your Mailjet plan)",
  },
  requestDeadline: {
    config: "requestDeadline", env: ["MAILFORM_REQUEST_DEADLINE"], fallback: "300", secret: false,
    hint: "pulumi config set mailform:requestDeadline 300 (seconds one vendor call may take, waits and retries included)",
  },
  runDeadline: {
    config: "runDeadline", env: ["MAILFORM_RUN_DEADLINE"], fallback: "3600", secret: false,
    hint: "pulumi config set mailform:runDeadline 3600 (seconds after which the provider makes no new vendor call)",
  },
} satisfies Record<string, SettingSpec>;

export type SettingName = keyof typeof SETTINGS;

/** Anything with the shape of Pulumi's config reader: `get("mailform:key")`. */
export interface ConfigSource {
  get(key: string): string | undefined;
}

let stackConfig: ConfigSource | undefined;

/** Called from the provider's `configure` with the stack's (decrypted) config. */
export function useStackConfig(config: ConfigSource): void {
  stackConfig = config;
}

export function setting(name: SettingName): string | undefined {
  const spec: SettingSpec = SETTINGS[name];
  const fromConfig = stackConfig?.get(`mailform:${spec.config}`);
  if (fromConfig) return fromConfig;
  for (const env of spec.env) {
    const value = process.env[env];
    if (value) return value;
  }
  return spec.fallback;
}

export function requireSetting(name: SettingName): string {
  const value = setting(name);
  if (!value) {
    throw new Error(`mailform: missing setting ${name}. Set it with: ${SETTINGS[name].hint}`);
  }
  return value;
}

/**
 * A digest of every setting in force (endpoints and credentials), so that what is remembered
 * about one account is never used for another.
 */
export function settingsFingerprint(): string {
  const values = (Object.keys(SETTINGS) as SettingName[]).map((name) => `${name}=${setting(name) ?? ""}`);
  return createHash("sha256").update(values.join("\n")).digest("hex").slice(0, 16);
}

/** Secrets an entry names by their stack config key (`configSecret`), read in this process: redacted too. */
const namedSecrets = new Set<string>();

/**
 * A secret an entry names by its stack config key (an event webhook's OAuth client secret:
 * `clientSecretConfig`), read from the stack's config at run time like the credentials, so it
 * never enters resource inputs, state or the stack file; from then on it is redacted wherever the
 * credentials are. `what` says who needs it, for the error when it is not set.
 */
export function configSecret(name: string, what: string): string {
  const value = stackConfig?.get(`mailform:${name}`);
  if (!value) {
    throw new Error(`${what}: the stack config key mailform:${name} is not set. Set it with: pulumi config set --secret mailform:${name} <secret>`);
  }
  namedSecrets.add(value);
  return value;
}

/** Every secret setting currently known, for redaction. */
export function secretValues(): string[] {
  return [
    ...(Object.keys(SETTINGS) as SettingName[])
      .filter((name) => SETTINGS[name].secret)
      .map((name) => setting(name))
      .filter((v): v is string => !!v),
    ...namedSecrets,
  ];
}

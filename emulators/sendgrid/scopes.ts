/**
 * SendGrid API key permissions. A key created without `scopes` gets every scope of the account
 * (full access). The service also grants every key a few scopes of its own (`2fa_required`,
 * `sender_verification_eligible`) whatever was asked for; they show up in every key's scopes.
 */

const crud = (prefix: string) => ["create", "read", "update", "delete"].map((op) => `${prefix}.${op}`);
const ru = (prefix: string) => [`${prefix}.read`, `${prefix}.update`];

/** Scopes a full-access key of the account holds (minus the service-granted ones). */
export const ALL_SCOPES: readonly string[] = [
  "access_settings.activity.read",
  ...crud("access_settings.whitelist"),
  ...crud("alerts"),
  ...crud("api_keys"),
  ...crud("asm.groups"),
  ...crud("asm.groups.suppressions"),
  ...crud("asm.suppressions.global"),
  "browsers.stats.read",
  ...crud("categories"),
  "categories.stats.read",
  "categories.stats.sums.read",
  "clients.desktop.stats.read",
  "clients.phone.stats.read",
  "clients.stats.read",
  "clients.tablet.stats.read",
  "clients.webmail.stats.read",
  "devices.stats.read",
  "email_activity.read",
  "geo.stats.read",
  ...crud("ips.pools"),
  "ips.read",
  ...crud("ips.warmup"),
  ...crud("mail.batch"),
  "mail.send",
  ...ru("mail_settings.bcc"),
  ...ru("mail_settings.bounce_purge"),
  ...ru("mail_settings.footer"),
  ...ru("mail_settings.forward_bounce"),
  ...ru("mail_settings.forward_spam"),
  "mail_settings.read",
  ...ru("mail_settings.template"),
  "mailbox_providers.stats.read",
  "messages.read",
  ...ru("partner_settings.new_relic"),
  "partner_settings.read",
  "stats.global.read",
  "stats.read",
  ...crud("subusers"),
  ...crud("suppression"),
  ...crud("suppression.bounces"),
  ...crud("suppression.blocks"),
  ...crud("suppression.invalid_emails"),
  ...crud("suppression.spam_reports"),
  ...crud("suppression.unsubscribes"),
  ...crud("teammates"),
  ...crud("templates"),
  ...crud("templates.versions"),
  ...crud("templates.versions.activate"),
  ...ru("tracking_settings.click"),
  ...ru("tracking_settings.google_analytics"),
  ...ru("tracking_settings.open"),
  "tracking_settings.read",
  ...ru("tracking_settings.subscription"),
  "user.account.read",
  "user.credits.read",
  ...crud("user.email"),
  ...crud("user.multifactor_authentication"),
  "user.password.update",
  ...ru("user.profile"),
  ...crud("user.scheduled_sends"),
  ...ru("user.settings.enforced_tls"),
  ...ru("user.timezone"),
  ...ru("user.username"),
  ...ru("user.webhooks.event.settings"),
  "user.webhooks.event.test.create",
  "user.webhooks.event.test.read",
  "user.webhooks.event.test.update",
  ...crud("user.webhooks.parse.settings"),
  "user.webhooks.parse.stats.read",
  ...crud("whitelabel"),
];

/** Scopes the service adds to every key, whatever the request asked for. */
export const SERVICE_GRANTED_SCOPES: readonly string[] = ["2fa_required", "sender_verification_eligible"];

const KNOWN = new Set([...ALL_SCOPES, ...SERVICE_GRANTED_SCOPES]);

export function isKnownScope(scope: string): boolean {
  return KNOWN.has(scope);
}

/** What a key holds: the requested scopes (all of them when none were asked for) plus the granted ones. */
export function grantedScopes(requested: readonly string[] | undefined): string[] {
  const base = requested === undefined ? ALL_SCOPES : requested;
  const out: string[] = [];
  for (const s of [...base, ...SERVICE_GRANTED_SCOPES]) if (!out.includes(s)) out.push(s);
  return out;
}

/** The scopes of the configured (parent) credential: full access. */
export const PARENT_SCOPES: readonly string[] = grantedScopes(undefined);

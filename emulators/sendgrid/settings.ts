/**
 * Account settings: objects every account has, read with GET and changed with PATCH, never
 * created or deleted. Mail settings (`/v3/mail_settings/...`, tsg_mail_settings_v3.json), tracking
 * settings (`/v3/tracking_settings/...`, tsg_tracking_settings_v3.json) and enforced TLS
 * (`/v3/user/settings/enforced_tls`, tsg_enforced_tls_v3.json). A PATCH changes only the fields it
 * carries and answers the whole setting; a field of the wrong type is a 400 naming it. New
 * accounts start with every setting off and its texts empty. Click tracking's `enable_text` is
 * shown but not writable (its PATCH body has `enabled` only), so a PATCH ignores it; subscription
 * tracking has no `url` (a `format: uri` field) until one is set. The legacy
 * template mail setting and the mail settings the documents do not describe (bypass lists, BCC,
 * spam check, plain content) are not emulated.
 */
import type { VendorStore } from "../core/store";
import type { EmuResponse } from "../core/types";
import { route, type SgContext } from "./context";
import { fail, objectBody } from "./errors";

type Check = (value: unknown) => boolean;
const bool: Check = (v) => typeof v === "boolean";
const text: Check = (v) => typeof v === "string";
const nullableText: Check = (v) => v === null || typeof v === "string";
const nullableInt: Check = (v) => v === null || (typeof v === "number" && Number.isInteger(v) && v >= 0);
const texts: Check = (v) => Array.isArray(v) && v.every((s) => typeof s === "string");
const url: Check = (v) => typeof v === "string" && /^https?:\/\/[^\s/]+/.test(v);
const tlsVersion: Check = (v) => v === 1.1 || v === 1.2 || v === 1.3;

const CHECK_WORDS = new Map<Check, string>([
  [bool, "a boolean"],
  [text, "a string"],
  [nullableText, "a string or null"],
  [nullableInt, "a whole number of days or null"],
  [texts, "a list of strings"],
  [url, "a URL"],
  [tlsVersion, "one of 1.1, 1.2, 1.3"],
]);

interface SettingSpec {
  path: string;
  /** The scope that reads it; the one that changes it ends in `.update` instead of `.read`. */
  scope: string;
  defaults: Record<string, unknown>;
  /** The writable fields and their checks; others in a PATCH body are ignored, as SendGrid does. */
  writable: Record<string, Check>;
}

const SETTINGS: readonly SettingSpec[] = [
  { path: "/v3/mail_settings/address_whitelist", scope: "mail_settings.address_whitelist", defaults: { enabled: false, list: [] }, writable: { enabled: bool, list: texts } },
  { path: "/v3/mail_settings/bounce_purge", scope: "mail_settings.bounce_purge", defaults: { enabled: false, soft_bounces: null, hard_bounces: null }, writable: { enabled: bool, soft_bounces: nullableInt, hard_bounces: nullableInt } },
  { path: "/v3/mail_settings/footer", scope: "mail_settings.footer", defaults: { enabled: false, html_content: "", plain_content: "" }, writable: { enabled: bool, html_content: text, plain_content: text } },
  { path: "/v3/mail_settings/forward_bounce", scope: "mail_settings.forward_bounce", defaults: { enabled: false, email: null }, writable: { enabled: bool, email: nullableText } },
  { path: "/v3/mail_settings/forward_spam", scope: "mail_settings.forward_spam", defaults: { enabled: false, email: "" }, writable: { enabled: bool, email: text } },
  { path: "/v3/tracking_settings/click", scope: "tracking_settings.click", defaults: { enable_text: false, enabled: false }, writable: { enabled: bool } },
  { path: "/v3/tracking_settings/open", scope: "tracking_settings.open", defaults: { enabled: false }, writable: { enabled: bool } },
  {
    path: "/v3/tracking_settings/google_analytics",
    scope: "tracking_settings.google_analytics",
    defaults: { enabled: false, utm_campaign: "", utm_content: "", utm_medium: "", utm_source: "", utm_term: "" },
    writable: { enabled: bool, utm_campaign: text, utm_content: text, utm_medium: text, utm_source: text, utm_term: text },
  },
  {
    path: "/v3/tracking_settings/subscription",
    scope: "tracking_settings.subscription",
    defaults: { enabled: false, html_content: "", landing: "", plain_content: "", replace: "" },
    writable: { enabled: bool, html_content: text, landing: text, plain_content: text, replace: text, url },
  },
  { path: "/v3/user/settings/enforced_tls", scope: "user.settings.enforced_tls", defaults: { require_tls: false, require_valid_cert: false, version: 1.1 }, writable: { require_tls: bool, require_valid_cert: bool, version: tlsVersion } },
];

const COLLECTION = "account_setting_values";

function settings(store: VendorStore) {
  return store.collection<Record<string, unknown>>(COLLECTION);
}

/** One setting of the caller's account (a subuser's are its own). */
function current(ctx: SgContext, spec: SettingSpec): Record<string, unknown> {
  return { ...spec.defaults, ...settings(ctx.store).get(`${ctx.caller.owner}\n${spec.path}`) };
}

function patch(ctx: SgContext, spec: SettingSpec): EmuResponse {
  const body = objectBody(ctx.body);
  const next = current(ctx, spec);
  for (const [field, check] of Object.entries(spec.writable)) {
    if (body[field] === undefined) continue;
    if (!check(body[field])) throw fail(400, `${field} must be ${CHECK_WORDS.get(check)}`, field);
    next[field] = body[field];
  }
  settings(ctx.store).set(`${ctx.caller.owner}\n${spec.path}`, next);
  return { status: 200, body: next };
}

/** `GET /v3/mail_settings`: every mail setting's name, title, description and whether it is on. */
function mailSettingsList(ctx: SgContext): EmuResponse {
  const mail = SETTINGS.filter((s) => s.path.startsWith("/v3/mail_settings/"));
  const offset = Number(ctx.req.query.get("offset") ?? 0) || 0;
  const limit = Number(ctx.req.query.get("limit") ?? 500) || 500;
  const result = mail.slice(offset, offset + limit).map((s) => {
    const name = s.path.split("/").pop()!;
    const title = name.split("_").map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
    return { title, enabled: current(ctx, s).enabled === true, name, description: `${title} mail setting.` };
  });
  return { status: 200, body: { result } };
}

/** `GET /v3/tracking_settings`: every tracking setting's name, title, description and whether it is on. */
function trackingSettingsList(ctx: SgContext): EmuResponse {
  const result = SETTINGS.filter((s) => s.path.startsWith("/v3/tracking_settings/")).map((s) => {
    const name = s.path.split("/").pop()!;
    const title = name.split("_").map((w) => w[0]!.toUpperCase() + w.slice(1)).join(" ");
    return { name, title, enabled: current(ctx, s).enabled === true, description: `${title} tracking setting.` };
  });
  return { status: 200, body: { result } };
}

export function settingsRoutes() {
  return [
    route("GET", "/v3/mail_settings", "mail_settings.read", mailSettingsList),
    route("GET", "/v3/tracking_settings", "tracking_settings.read", trackingSettingsList),
    ...SETTINGS.flatMap((spec) => [
      route("GET", spec.path, `${spec.scope}.read`, (ctx) => ({ status: 200, body: current(ctx, spec) })),
      route("PATCH", spec.path, `${spec.scope}.update`, (ctx) => patch(ctx, spec)),
    ]),
  ];
}

/**
 * The SendGrid v3 management API (`https://api.sendgrid.com` equivalent): transactional
 * templates and their versions, API keys, scopes, unsubscribe groups, event webhooks, domain
 * authentication and link branding, teammates, verified senders, inbound parse settings, the IP
 * allow list (enforced) and subusers.
 *
 * Auth: `Authorization: Bearer <key>` or Basic `<username>:<key>`, where the key is the
 * configured credential (full access) or a key created through the API (its scopes). Anything
 * else: 401 `{"errors":[{"field":null,"message":"authorization required"}]}`. `On-Behalf-Of`
 * acts for a subuser: its objects are separate from the account's. Every authenticated response
 * carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset` (epoch seconds).
 */
import type { AuthOutcome, EmuRequest, VendorModule } from "../core/types";
import type { EmulatorCredentials } from "../credentials";
import type { VendorStore } from "../core/store";
import { accountSettings, changeAccountSettings } from "./account";
import { apiKeyRoutes, apiKeys } from "./api-keys";
import type { Presented } from "./context";
import { sendgridError } from "./errors";
import { groupRoutes } from "./groups";
import { templateRoutes } from "./templates";
import { webhookRoutes } from "./webhooks";
import { settingsRoutes } from "./settings";
import { whitelabelRoutes } from "./whitelabel";
import { teammateRoutes } from "./teammates";
import { verifiedSenderRoutes } from "./verified-senders";
import { parseRoutes } from "./parse";
import { accessRoutes } from "./access";
import { subuserRoutes } from "./subusers";

/** Per key and window; the seed's example answers show limits of this order per endpoint. */
export const SENDGRID_RATE_LIMIT = { limit: 600, windowMs: 60_000 };

/** The key a request presents: a Bearer token, or the password of Basic credentials. */
export function presentedKey(req: EmuRequest): string | undefined {
  const authorization = req.headers.authorization ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1];
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(authorization);
  if (basic) {
    const decoded = Buffer.from(basic[1]!, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    if (colon >= 0) return decoded.slice(colon + 1) || undefined;
  }
  return undefined;
}

function authenticate(req: EmuRequest, credentials: EmulatorCredentials, store: VendorStore): AuthOutcome {
  const key = presentedKey(req);
  const unauthorized = { response: sendgridError(401) };
  if (key === undefined) return unauthorized;
  if (key === credentials.sendgrid.apiKey) {
    req.notes.sendgrid = { kind: "parent" } satisfies Presented;
    return { principal: "account" };
  }
  // A key created through the API: `SG.<api_key_id>.<secret>`.
  const created = /^SG\.([A-Za-z0-9_-]{22})\.[A-Za-z0-9_-]+$/.exec(key);
  const record = created ? apiKeys(store).get(created[1]!) : undefined;
  if (!record || record.api_key !== key) return unauthorized;
  req.notes.sendgrid = { kind: "key", keyId: record.api_key_id } satisfies Presented;
  return { principal: `key:${record.api_key_id}` };
}

export function createSendgridModule(): VendorModule {
  return {
    vendor: "sendgrid",
    accountSettings: {
      get: (store) => ({ ...accountSettings(store) }),
      put(store, change) {
        const after = changeAccountSettings(store, change);
        if (typeof after === "string") return after;
        // SendGrid assigns them to the account's keys as they are.
        for (const key of apiKeys(store).list()) {
          const missing = after.grantedScopes.filter((s) => !key.scopes.includes(s));
          if (missing.length > 0) apiKeys(store).set(key.api_key_id, { ...key, scopes: [...key.scopes, ...missing] });
        }
        return { ...after };
      },
    },
    routes: [...templateRoutes(), ...apiKeyRoutes(), ...groupRoutes(), ...webhookRoutes(), ...settingsRoutes(), ...whitelabelRoutes(), ...teammateRoutes(), ...verifiedSenderRoutes(), ...parseRoutes(), ...accessRoutes(), ...subuserRoutes()],
    authenticate,
    errorResponse: (status, message) => sendgridError(status, message),
    rateLimit: { ...SENDGRID_RATE_LIMIT },
    rateLimitHeaders: (info) => ({
      "X-RateLimit-Limit": String(info.limit),
      "X-RateLimit-Remaining": String(info.remaining),
      "X-RateLimit-Reset": String(Math.ceil(info.resetAt / 1000)),
    }),
  };
}

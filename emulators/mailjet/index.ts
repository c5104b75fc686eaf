/**
 * The Mailjet v3 REST API (`https://api.mailjet.com/v3/REST/...` equivalent): `template` with its
 * `detailcontent`, `apikey`, `contactslist`, `sender`, `eventcallbackurl`. Ground truth:
 * `../shared/specs/mailjet.md` and the Mailjet part of `conventions.md` / seed 000.
 *
 * HTTP Basic auth (public API key : secret key); the master key is the configured credential and
 * keys created through `apikey` work too while active. Anything else answers 401 in Mailjet's
 * error shape. Mailjet limits requests per minute; it documents no rate-limit headers, so the
 * emulator sends none (a 429 is the only signal).
 */
import type { AuthOutcome, EmuRequest, VendorModule } from "../core/types";
import type { VendorStore } from "../core/store";
import type { EmulatorCredentials } from "../credentials";
import { apikeySpec, authenticateKey } from "./apikeys";
import { AUTH_FAILURE, mailjetError } from "./errors";
import { accountRoutes } from "./account";
import { contactmetadataSpec, contactslistSpec, dnsSpec, eventcallbackurlSpec, parserouteSpec, senderSpec } from "./others";
import { restRoutes } from "./rest";
import { templateRoutes } from "./templates";

/** Per minute per API key. Mailjet publishes no figure for the REST API; this one is ours. */
export const MAILJET_RATE_LIMIT = { limit: 300, windowMs: 60_000 };

export const MAILJET_COLLECTIONS = ["apikey", "template", "template_detailcontent", "contactslist", "sender", "eventcallbackurl", "parseroute", "contactmetadata", "dns", "user", "myprofile"];

function basicCredentials(req: EmuRequest): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(req.headers.authorization ?? "");
  if (!m) return undefined;
  const decoded = Buffer.from(m[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function authenticate(req: EmuRequest, credentials: EmulatorCredentials, store: VendorStore): AuthOutcome {
  const basic = basicCredentials(req);
  const principal = basic && authenticateKey(store, credentials, basic.user, basic.password);
  if (!principal) {
    const response = mailjetError(401, AUTH_FAILURE);
    return { response: { ...response, headers: { "WWW-Authenticate": 'Basic realm="Provide an apikey and secretkey"' } } };
  }
  return { principal };
}

export function createMailjetModule(): VendorModule {
  return {
    vendor: "mailjet",
    routes: [
      ...templateRoutes(),
      ...restRoutes(apikeySpec),
      ...restRoutes(contactslistSpec),
      ...restRoutes(senderSpec),
      ...restRoutes(eventcallbackurlSpec),
      ...restRoutes(parserouteSpec),
      ...restRoutes(contactmetadataSpec),
      // Read-only: Mailjet makes a domain's entry with its first sender.
      ...restRoutes(dnsSpec).filter((r) => r.method === "GET"),
      ...accountRoutes(),
    ],
    authenticate,
    errorResponse: (status, message) => mailjetError(status, message),
    rateLimit: { ...MAILJET_RATE_LIMIT },
  };
}

/**
 * The Mailtrap management API (`https://mailtrap.io` equivalent): API v2 in both path
 * generations (`current` and `account-scoped`) and API v1, all over the same data.
 */
import type { AuthOutcome, EmuRequest, VendorModule } from "../core/types";
import type { EmulatorCredentials } from "../credentials";
import { accessRoutes } from "./accesses";
import { accountRoutes } from "./accounts";
import { domainRoutes } from "./domains";
import { mailtrapError } from "./errors";
import { sandboxRoutes } from "./sandboxes";
import { templateRoutes } from "./templates";
import { tokenRoutes } from "./tokens";
import { webhookRoutes } from "./webhooks";
import { isV1, parseV1Body, prepareV1, renderV1, v1Routes } from "./v1";

/** Documented: 150 requests per 10 seconds per token. */
export const MAILTRAP_RATE_LIMIT = { limit: 150, windowMs: 10_000 };

/** The token a request presents, by the forms its API generation accepts. */
export function presentedToken(req: EmuRequest): string | undefined {
  const header = req.headers["api-token"];
  if (typeof header === "string" && header !== "") return header;
  const authorization = req.headers.authorization ?? "";
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (bearer) return bearer[1];
  if (!isV1(req)) return undefined;
  const token = /^Token\s+token="?([^"\s]+)"?\s*$/i.exec(authorization);
  if (token) return token[1];
  return req.query.get("api_token") ?? undefined;
}

function authenticate(req: EmuRequest, credentials: EmulatorCredentials): AuthOutcome {
  const token = presentedToken(req);
  if (token === undefined || token !== credentials.mailtrap.apiToken) {
    return { response: mailtrapError(401, "Incorrect API token") };
  }
  return { principal: token };
}

export function createMailtrapModule(): VendorModule {
  return {
    vendor: "mailtrap",
    routes: [...accountRoutes(), ...sandboxRoutes(), ...templateRoutes(), ...tokenRoutes(), ...domainRoutes(), ...webhookRoutes(), ...accessRoutes(), ...v1Routes()],
    authenticate,
    errorResponse: (status, message) => mailtrapError(status, message),
    prepare: prepareV1,
    parseBody: parseV1Body,
    render: renderV1,
    rateLimit: { ...MAILTRAP_RATE_LIMIT },
    rateLimitHeaders: (info, req): Record<string, string> =>
      isV1(req) ? { "X-RATELIMIT-LIMIT": String(info.limit), "X-RATELIMIT-REMAINING": String(info.remaining) } : {},
  };
}

/**
 * The Mailtrap management API client: token auth, Mailtrap's error shapes, and the 150 requests
 * per 10 s limit paced by the shared client. API v2 uses the `current/` paths; the v1
 * API (companies, inboxes) is reached through the same client. Which paths projects and inboxes
 * use is decided in one table (`sandboxRoutes`, ./routes.ts), and nowhere else.
 */
import { VendorClient } from "../http/client";
import { parseRateLimit } from "../http/pacer";
import { requireSetting, secretValues, setting } from "../settings";

export { sandboxRoutes, type MailtrapApiVersion, type SandboxRoutes } from "./routes";

let cached: { key: string; client: VendorClient } | undefined;

export function mailtrap(): VendorClient {
  const baseUrl = setting("mailtrapApiUrl")!;
  const token = requireSetting("mailtrapApiToken");
  const key = `${baseUrl}\n${token}`;
  if (cached?.key !== key) {
    cached = {
      key,
      client: new VendorClient({
        vendor: "Mailtrap",
        baseUrl,
        authHeaders: () => ({ "Api-Token": token }),
        secrets: () => [token, ...secretValues()],
        errorText: mailtrapErrorText,
        baseUrlSetting: "mailtrapApiUrl",
        rate: parseRateLimit(setting("mailtrapRateLimit")!, "mailtrapRateLimit"),
      }),
    };
  }
  return cached.client;
}

/** Mailtrap answers `{error: "..."}`, `{errors: "..."}` or `{errors: {field: ["..."]}}`. */
export function mailtrapErrorText(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const b = body as { error?: unknown; errors?: unknown };
  if (typeof b.error === "string") return b.error;
  if (typeof b.errors === "string") return b.errors;
  if (Array.isArray(b.errors)) return b.errors.map(String).join("; ");
  if (b.errors && typeof b.errors === "object") {
    return Object.entries(b.errors as Record<string, unknown>)
      .map(([field, msgs]) => `${field} ${Array.isArray(msgs) ? msgs.join(", ") : String(msgs)}`)
      .join("; ");
  }
  return undefined;
}

/**
 * The SendGrid v3 API client: Bearer auth with the account's API key, `On-Behalf-Of` to act for a
 * subuser, SendGrid's `{"errors":[{field, message}]}` error text, and the rate limit paced by the
 * shared client (which also waits until `X-RateLimit-Reset`, epoch seconds, when none remain).
 */
import { VendorClient } from "../http/client";
import { parseRateLimit } from "../http/pacer";
import { requireSetting, secretValues, setting } from "../settings";
import { currentSubuser } from "./accounts";

const clients = new Map<string, VendorClient>();

/**
 * The client for the account the current call acts for: the subuser an entry names
 * (`onBehalfOf`, accounts.ts), else the stack-wide `sendgridOnBehalfOf`, else the parent. Each
 * account is its own client, and its own credential key for pacing (the header is part of it).
 */
export function sendgrid(): VendorClient {
  const baseUrl = `${setting("sendgridApiUrl")!.replace(/\/+$/, "")}/v3`;
  const apiKey = requireSetting("sendgridApiKey");
  const onBehalfOf = currentSubuser() ?? setting("sendgridOnBehalfOf");
  const key = `${baseUrl}\n${apiKey}\n${onBehalfOf ?? ""}`;
  let client = clients.get(key);
  if (!client) {
    client = new VendorClient({
      vendor: "SendGrid",
      baseUrl,
      authHeaders: () => ({ Authorization: `Bearer ${apiKey}`, ...(onBehalfOf ? { "On-Behalf-Of": onBehalfOf } : {}) }),
      secrets: () => [apiKey, ...secretValues()],
      errorText: sendgridErrorText,
      baseUrlSetting: "sendgridApiUrl",
      rate: parseRateLimit(setting("sendgridRateLimit")!, "sendgridRateLimit"),
    });
    clients.set(key, client);
  }
  return client;
}

/** `{"errors":[{"field":"name","message":"is required"}, ...]}` as `name: is required; ...`. */
export function sendgridErrorText(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const errors = (body as { errors?: unknown }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  return errors
    .map((e) => {
      if (!e || typeof e !== "object") return String(e);
      const { field, message } = e as { field?: unknown; message?: unknown };
      const text = typeof message === "string" ? message : JSON.stringify(e);
      return typeof field === "string" && field !== "" && field !== "null" ? `${field}: ${text}` : text;
    })
    .join("; ");
}

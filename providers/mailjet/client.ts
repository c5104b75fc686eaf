/**
 * The Mailjet v3 REST client: HTTP Basic auth (public API key : secret key), Mailjet's
 * `{ErrorInfo, ErrorMessage, StatusCode}` error text, the `{Count, Data, Total}` envelope unwrapped,
 * and PUT's 304 ("nothing changed") taken as a success.
 *
 * Mailjet limits requests per minute and sends no header saying when to come back: the shared
 * client paces to the limit and, after a 429, waits out the whole minute.
 */
import { VendorClient } from "../http/client";
import { parseRateLimit } from "../http/pacer";
import { requireSetting, secretValues, setting } from "../settings";

export interface Envelope<T> {
  Count: number;
  Data: T[];
  Total: number;
}

/** Objects per page when listing: Mailjet's maximum `Limit`. */
export const PAGE_SIZE = 1000;

export class MailjetApi {
  constructor(readonly http: VendorClient) {}

  /** The object at `path`, or undefined when Mailjet answers 404. */
  async get<T>(path: string): Promise<T | undefined> {
    const res = await this.http.request<Envelope<T>>("GET", path, { accept: [404] });
    return res.status === 404 ? undefined : first(res.body, "GET", path);
  }

  /** Every object of a collection matching `filters`, page by page. */
  async list<T>(path: string, filters: Record<string, string | number | boolean> = {}, pageSize = PAGE_SIZE): Promise<T[]> {
    const all: T[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const res = await this.http.request<Envelope<T>>("GET", path, { query: { ...filters, Limit: pageSize, Offset: offset } });
      const data = res.body?.Data ?? [];
      all.push(...data);
      // A short page is the last one (whatever `Total` counts).
      if (data.length < pageSize) return all;
    }
  }

  async create<T>(path: string, body: unknown): Promise<T> {
    const res = await this.http.request<Envelope<T>>("POST", path, { body });
    return first(res.body, "POST", path);
  }

  /** A POST that replaces a whole sub-object (e.g. a template's detailcontent): safe to repeat. */
  async upsert<T>(path: string, body: unknown): Promise<T> {
    const res = await this.http.request<Envelope<T>>("POST", path, { body, idempotent: true });
    return first(res.body, "POST", path);
  }

  /** PUT (Mailjet's PATCH): the updated object, or undefined when nothing changed (304). */
  async update<T>(path: string, body: unknown): Promise<T | undefined> {
    const res = await this.http.request<Envelope<T>>("PUT", path, { body, accept: [304] });
    return res.status === 304 ? undefined : first(res.body, "PUT", path);
  }

  async delete(path: string): Promise<void> {
    await this.http.request("DELETE", path);
  }
}

function first<T>(body: Envelope<T> | undefined, method: string, path: string): T {
  const item = body?.Data?.[0];
  if (item === undefined) throw new Error(`Mailjet: ${method} ${path} answered no object (expected {"Count", "Data", "Total"})`);
  return item;
}

let cached: { key: string; api: MailjetApi } | undefined;

export function mailjet(): MailjetApi {
  const baseUrl = `${setting("mailjetApiUrl")!.replace(/\/+$/, "")}/v3/REST`;
  const apiKey = requireSetting("mailjetApiKey");
  const secretKey = requireSetting("mailjetSecretKey");
  const key = `${baseUrl}\n${apiKey}\n${secretKey}`;
  if (cached?.key !== key) {
    const basic = Buffer.from(`${apiKey}:${secretKey}`).toString("base64");
    cached = {
      key,
      api: new MailjetApi(
        new VendorClient({
          vendor: "Mailjet",
          baseUrl,
          authHeaders: () => ({ Authorization: `Basic ${basic}` }),
          secrets: () => [apiKey, secretKey, basic, ...secretValues()],
          errorText: mailjetErrorText,
          baseUrlSetting: "mailjetApiUrl",
          rate: parseRateLimit(setting("mailjetRateLimit")!, "mailjetRateLimit"),
        }),
      ),
    };
  }
  return cached.api;
}

/** `{"ErrorInfo": "...", "ErrorMessage": "...", "StatusCode": n}` as `ErrorMessage (ErrorInfo)`. */
export function mailjetErrorText(body: unknown): string | undefined {
  if (!body || typeof body !== "object") return undefined;
  const { ErrorMessage: message, ErrorInfo: info } = body as { ErrorMessage?: unknown; ErrorInfo?: unknown };
  if (typeof message !== "string" || message === "") return undefined;
  return typeof info === "string" && info.trim() !== "" ? `${message} (${info})` : message;
}

/**
 * The one HTTP client every vendor client is built on: auth headers, a concurrency cap shared by
 * every resource in the provider process, retry of 429 and 5xx with backoff that honours the
 * vendor's rate-limit headers, and errors that carry the vendor's own message with secrets
 * redacted. Resources never build requests by hand.
 */
import pLimit from "p-limit";
import { VendorError, redact } from "./errors";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface VendorClientOptions {
  /** Display name used in messages, e.g. "Mailtrap". */
  vendor: string;
  baseUrl: string;
  /** Headers that authenticate a request. */
  authHeaders: () => Record<string, string>;
  /** Values that must never appear in an error message or log line. */
  secrets: () => string[];
  /** Pulls the vendor's own error text out of an error body. */
  errorText: (body: unknown) => string | undefined;
  /** Requests in flight at once, across all resources in this process. */
  concurrency?: number;
  /** Retries after the first attempt, for 429, 5xx and dropped connections. */
  maxRetries?: number;
  /** Upper bound for one backoff wait, in milliseconds. */
  maxBackoffMs?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Statuses that are answers, not errors (e.g. 404 on read, 304 on a no-op PUT). */
  accept?: number[];
  headers?: Record<string, string>;
}

export interface VendorResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

const RETRY_STATUSES = new Set([429, 500, 502, 503, 504]);

export class VendorClient {
  private readonly limit: ReturnType<typeof pLimit>;

  constructor(private readonly options: VendorClientOptions) {
    this.limit = pLimit(options.concurrency ?? 4);
  }

  get vendor(): string {
    return this.options.vendor;
  }

  request<T = unknown>(method: Method, path: string, opts: RequestOptions = {}): Promise<VendorResponse<T>> {
    return this.limit(() => this.withRetry<T>(method, path, opts));
  }

  private async withRetry<T>(method: Method, path: string, opts: RequestOptions): Promise<VendorResponse<T>> {
    const maxRetries = this.options.maxRetries ?? 5;
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await this.send(method, path, opts);
      } catch (cause) {
        // A dropped connection may have been processed; only idempotent calls are safe to repeat.
        // (A create that was processed is found again by adoption on the next run.)
        if (method !== "POST" && attempt < maxRetries) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw new VendorError({
          vendor: this.vendor, method, path, status: 0,
          message: redact(`no response (${(cause as Error).message})`, this.options.secrets()),
        });
      }
      if (RETRY_STATUSES.has(response.status) && attempt < maxRetries && (method !== "POST" || response.status === 429 || response.status === 503)) {
        await response.arrayBuffer().catch(() => undefined);
        await sleep(this.waitFor(response, attempt));
        continue;
      }
      const body = await readBody(response);
      if (response.ok || opts.accept?.includes(response.status)) {
        return { status: response.status, headers: response.headers, body: body as T };
      }
      const text = this.options.errorText(body) ?? (typeof body === "string" && body ? body : response.statusText);
      throw new VendorError({
        vendor: this.vendor, method, path, status: response.status,
        message: redact(text, this.options.secrets()),
      });
    }
  }

  private send(method: Method, path: string, opts: RequestOptions): Promise<Response> {
    const url = new URL(this.options.baseUrl.replace(/\/$/, "") + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: "application/json", ...this.options.authHeaders(), ...opts.headers };
    let payload: string | undefined;
    if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(opts.body);
    }
    return fetch(url, { method, headers, body: payload, signal: AbortSignal.timeout(60_000) });
  }

  /** Wait before retrying: the vendor's own reset hint when it gives one, else exponential backoff. */
  private waitFor(response: Response, attempt: number): number {
    const cap = this.options.maxBackoffMs ?? 60_000;
    const retryAfter = Number(response.headers.get("retry-after"));
    if (retryAfter > 0) return Math.min(retryAfter * 1000, cap);
    const reset = Number(response.headers.get("x-ratelimit-reset"));
    if (reset > 0) {
      // SendGrid sends epoch seconds; a small number is a count of seconds to wait.
      const ms = reset > 1e9 ? reset * 1000 - Date.now() : reset * 1000;
      if (ms > 0) return Math.min(ms + 50, cap);
    }
    return this.backoff(attempt);
  }

  private backoff(attempt: number): number {
    const cap = this.options.maxBackoffMs ?? 60_000;
    return Math.min(cap, 200 * 2 ** attempt) * (0.5 + Math.random() / 2);
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The one HTTP client every vendor client is built on: auth headers, pacing to the vendor's rate
 * limit (pacer.ts), retries decided per request by what the request may have done, a deadline per
 * request and per run, and errors that carry the vendor's own message (or the low-level cause)
 * with secrets redacted. Resources never build requests by hand.
 *
 * A 429 is waited out for as long as the vendor asks (`Retry-After`, `X-RateLimit-Reset`); one
 * without a hint pauses the credential for a backoff that starts at about a second and doubles up
 * to the vendor's window (pacer.ts), since it does not say the window is spent.
 *
 * Retry classes:
 * - a read (GET), or a write that sets values and so may be repeated (PUT, DELETE, and a PATCH or
 *   POST the caller marks `idempotent`): retried after 429, a server-side failure (408, 5xx, and
 *   the 52x a CDN in front of the vendor answers when it lost the origin), a dropped connection
 *   (before the answer or in the middle of its body) or a timeout;
 * - any other write (a create, a toggle, an action): retried only after 429, the one answer that
 *   guarantees nothing happened. Any other failure without a definite answer is raised with
 *   `outcomeUnknown`, so the caller looks at the vendor's state before it tries again.
 *
 * Redirects are never followed: a followed redirect turns a create POST into a GET and sends the
 * credential headers to whatever host the Location names (even from https to http). A 3xx the
 * caller did not ask for is an error that names the Location.
 */
import { createHash } from "node:crypto";
import pLimit from "p-limit";
import { VendorError, describeCause, redact } from "./errors";
import { pacerFor, sleep, type Pacer, type RateLimit } from "./pacer";
import { checkEndpoint } from "./endpoint";
import { deadlines } from "./deadlines";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface VendorClientOptions {
  /** Display name used in messages, e.g. "Mailtrap". */
  vendor: string;
  baseUrl: string;
  /** The setting the base URL comes from, named when it is refused. */
  baseUrlSetting: string;
  /** Headers that authenticate a request. */
  authHeaders: () => Record<string, string>;
  /** Values that must never appear in an error message or log line. */
  secrets: () => string[];
  /** Pulls the vendor's own error text out of an error body. */
  errorText: (body: unknown) => string | undefined;
  /** The vendor's rate limit for this credential. */
  rate: RateLimit;
  /** Requests in flight at once, across all resources in this process. */
  concurrency?: number;
  /** Retries after 5xx and dropped connections for calls that may be repeated. */
  maxRetries?: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  /** Statuses that are answers, not errors (e.g. 404 on read, 304 on a no-op PUT). */
  accept?: number[];
  headers?: Record<string, string>;
  /**
   * A POST or PATCH that only sets values, so repeating it after an unknown outcome is harmless.
   * PUT, DELETE and GET are taken as such already.
   */
  idempotent?: boolean;
}

export interface VendorResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/**
 * Answers that say the vendor (or the CDN in front of it) failed or gave up on this request, and may
 * or may not have carried it out: 408, the usual 5xx, and Cloudflare's 520-527 (origin error,
 * down, unreachable, timed out, TLS failures).
 */
const SERVER_ERRORS = new Set([408, 500, 502, 503, 504, 520, 521, 522, 523, 524, 525, 526, 527]);
/** Failures before any byte of the request reached the vendor. */
const NEVER_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);

export class VendorClient {
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly pacer: Pacer;

  constructor(private readonly options: VendorClientOptions) {
    checkEndpoint(options.baseUrl, options.baseUrlSetting);
    this.limit = pLimit(options.concurrency ?? 4);
    const credential = createHash("sha256").update(JSON.stringify(options.authHeaders())).digest("hex");
    this.pacer = pacerFor(`${options.vendor}\n${options.baseUrl}\n${credential}`, options.rate);
  }

  get vendor(): string {
    return this.options.vendor;
  }

  request<T = unknown>(method: Method, path: string, opts: RequestOptions = {}): Promise<VendorResponse<T>> {
    return this.limit(() => this.withRetry<T>(method, path, opts));
  }

  private async withRetry<T>(method: Method, path: string, opts: RequestOptions): Promise<VendorResponse<T>> {
    const repeatable = method === "GET" || method === "PUT" || method === "DELETE" || opts.idempotent === true;
    const maxRetries = this.options.maxRetries ?? 5;
    const { deadline, attemptMs, describe } = deadlines();
    const fail = (details: { status: number; message: string; code?: string; outcomeUnknown?: boolean }) =>
      new VendorError({
        vendor: this.vendor, method, path, ...details,
        message: redact(details.message, this.options.secrets()),
      });
    // The deadline ends the call; the error keeps the cause of the last failure, if any.
    const tooLate = (why: string, code = "EDEADLINE") => (waitMs: number) =>
      fail({
        status: 0,
        code,
        message: `${why}, and waiting ${Math.ceil(waitMs / 1000)} s more would pass ${describe}`,
      });

    for (let failures = 0; ; ) {
      const sentAt = await this.pacer.acquire(deadline, tooLate("waiting for the vendor's rate limit"));
      let response: Response | undefined;
      let body: unknown;
      try {
        response = await this.send(method, path, opts, Math.min(attemptMs, deadline - Date.now()));
        // The body is part of the answer: a connection that drops (or times out) in the middle of
        // it is a lost answer like one that drops before the status line.
        body = response.status === 429 ? await response.arrayBuffer().catch(() => undefined) : await readBody(response);
      } catch (cause) {
        const { code, text } = describeCause(cause);
        const why = `${code ? `${code}: ` : ""}${text}`;
        const message = response ? `the answer (${response.status}) was cut off (${why})` : `no response (${why})`;
        // A connection that was never made carried nothing: safe to repeat whatever the call.
        const neverSent = code !== undefined && NEVER_SENT.has(code);
        if (!repeatable && !neverSent) throw fail({ status: 0, code, message, outcomeUnknown: true });
        if (++failures > maxRetries) throw fail({ status: 0, code, message: `${message}, after ${failures} attempts` });
        await this.backoff(failures, deadline, tooLate(message, code));
        continue;
      }
      this.observeLimits(response);

      if (response.status === 429) {
        // 429 is the vendor's word that nothing happened: every class waits it out and tries again,
        // for exactly as long as the vendor asks; without a hint, for the credential's backoff.
        const hinted = this.rateLimitWait(response);
        if (hinted !== undefined) this.pacer.pauseUntil(Date.now() + hinted);
        else this.pacer.backOff(sentAt);
        continue;
      }
      if (response.status < 500 && !SERVER_ERRORS.has(response.status)) this.pacer.answered(sentAt);
      if (SERVER_ERRORS.has(response.status) && repeatable && failures < maxRetries) {
        failures++;
        await this.backoff(failures, deadline, tooLate(`answered ${response.status}`));
        continue;
      }
      if (response.ok || opts.accept?.includes(response.status)) {
        return { status: response.status, headers: response.headers, body: body as T };
      }
      if (response.status >= 300 && response.status < 400) {
        const to = response.headers.get("location");
        throw fail({
          status: response.status,
          message:
            `${to ? `redirected to ${describeLocation(to, response.url || this.options.baseUrl)}` : "a redirect without a Location"}; ` +
            `mailform does not follow redirects (the request and its credentials would go to another address). ` +
            `If the vendor's API has moved, set mailform:${this.options.baseUrlSetting} to its new address`,
          // A create or toggle answered with a redirect may have been carried out (303 See Other).
          outcomeUnknown: !repeatable,
        });
      }
      const text = this.options.errorText(body) ?? (typeof body === "string" && body ? body : response.statusText);
      throw fail({
        status: response.status,
        message: text,
        outcomeUnknown: !repeatable && SERVER_ERRORS.has(response.status),
      });
    }
  }

  private send(method: Method, path: string, opts: RequestOptions, timeoutMs: number): Promise<Response> {
    const url = new URL(this.options.baseUrl.replace(/\/$/, "") + path);
    for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Accept: "application/json", ...this.options.authHeaders(), ...opts.headers };
    let payload: string | undefined;
    if (opts.body !== undefined) {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(opts.body);
    }
    return fetch(url, { method, headers, body: payload, redirect: "manual", signal: AbortSignal.timeout(Math.max(1, timeoutMs)) });
  }

  /** A vendor that says no requests remain until a reset pauses every request on the credential. */
  private observeLimits(response: Response): void {
    if (response.headers.get("x-ratelimit-remaining")?.trim() !== "0") return;
    const reset = resetDelayMs(response.headers.get("x-ratelimit-reset"));
    if (reset !== undefined) this.pacer.pauseUntil(Date.now() + reset);
  }

  /** How long a 429 asks us to wait (`Retry-After`, else `X-RateLimit-Reset`); undefined without a hint. */
  private rateLimitWait(response: Response): number | undefined {
    return retryAfterMs(response.headers.get("retry-after")) ?? resetDelayMs(response.headers.get("x-ratelimit-reset"));
  }

  private async backoff(failures: number, deadline: number, tooLate: (waitMs: number) => Error): Promise<void> {
    const wait = Math.min(30_000, 250 * 2 ** failures) * (0.5 + Math.random() / 2);
    if (Date.now() + wait > deadline) throw tooLate(wait);
    await sleep(wait);
  }
}

/** `Retry-After` in either of its forms: delay-seconds or an HTTP date. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** `X-RateLimit-Reset`: epoch seconds (SendGrid) or, when small, seconds to wait. */
export function resetDelayMs(value: string | null, now = Date.now()): number | undefined {
  const reset = Number(value);
  if (value === null || value.trim() === "" || !Number.isFinite(reset) || reset < 0) return undefined;
  return reset > 1e9 ? Math.max(0, reset * 1000 - now) + 50 : reset * 1000;
}

/** Query parameters whose values are credentials in any vendor's URLs. */
const CREDENTIAL_PARAM = /token|key|secret|pass|auth|sig|session|code/i;

/**
 * A redirect's Location for a message: absolute (resolved against the request), with any user
 * info and the values of credential-like query parameters masked. (The caller's `redact` then
 * masks the configured secrets wherever they appear.)
 */
export function describeLocation(location: string, requestUrl: string): string {
  let url: URL;
  try {
    url = new URL(location, requestUrl);
  } catch {
    return JSON.stringify(location);
  }
  const userInfo = url.username || url.password ? "[redacted]@" : "";
  const query = [...url.searchParams]
    .map(([k, v]) => `${encodeURIComponent(k)}=${CREDENTIAL_PARAM.test(k) ? "[redacted]" : encodeURIComponent(v)}`)
    .join("&");
  return `${url.protocol}//${userInfo}${url.host}${url.pathname}${query ? `?${query}` : ""}${url.hash}`;
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

/**
 * The small framework every vendor emulator plugs into. A vendor module declares its routes, how
 * it authenticates, the shape of its error bodies, its rate-limit policy and headers; the core
 * (see `vendor-server.ts`) does the HTTP, counting, fault injection, rate limiting and storage.
 */
import type { IncomingHttpHeaders } from "node:http";
import type { EmulatorCredentials } from "../credentials";
import type { ResponseShapes } from "./shapes";
import type { VendorStore } from "./store";

export const VENDORS = ["mailtrap", "sendgrid", "mailjet"] as const;
export type VendorName = (typeof VENDORS)[number];

export function isVendorName(value: unknown): value is VendorName {
  return typeof value === "string" && (VENDORS as readonly string[]).includes(value);
}

export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS" | "HEAD";

/** One incoming request as vendor code sees it. */
export interface EmuRequest {
  method: string;
  /** Path without the query string, still percent-encoded; `prepare` may rewrite it. */
  path: string;
  /** The path as received, before `prepare`. */
  originalPath: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The peer's address (`127.0.0.1`; IPv4-mapped IPv6 addresses as plain IPv4). */
  remoteAddress: string;
  /** Free-form per-request notes a module keeps between its hooks (e.g. the chosen format). */
  notes: Record<string, unknown>;
}

/** What a handler answers. `body` is serialized as JSON unless `raw` is given. */
export interface EmuResponse {
  status: number;
  body?: unknown;
  raw?: { contentType: string; data: string | Buffer };
  headers?: Record<string, string>;
  /** Hints for the module's `render` hook (e.g. an XML root element name). */
  meta?: Record<string, unknown>;
}

/** Thrown by handlers to answer with a ready response (usually a vendor error). */
export class VendorHttpError extends Error {
  constructor(readonly response: EmuResponse) {
    super(`HTTP ${response.status}`);
  }
}

/** Thrown by a module's `parseBody` when the body cannot be read. */
export class BodyParseError extends Error {}

export interface RouteContext {
  req: EmuRequest;
  params: Record<string, string>;
  /** The parsed request body; `undefined` when the body is empty. */
  body: unknown;
  store: VendorStore;
  /** Who made the request, as decided by `authenticate` (the rate-limit key). */
  principal: string;
  credentials: EmulatorCredentials;
  /** Which of the alternative response shapes to serve (admin setting). */
  shapes: Readonly<ResponseShapes>;
}

export interface Route {
  method: HttpMethod;
  /** Path pattern with `{name}` parameters, e.g. `/api/projects/{project_id}`. */
  pattern: string;
  handle(ctx: RouteContext): EmuResponse | Promise<EmuResponse>;
}

export interface RateLimitPolicy {
  limit: number;
  windowMs: number;
}

export interface RateLimitInfo extends RateLimitPolicy {
  remaining: number;
  /** Epoch milliseconds at which the current window ends. */
  resetAt: number;
}

export type AuthOutcome = { principal: string } | { response: EmuResponse };

/**
 * Settings of the emulated account that the vendor applies by itself (the admin surface's
 * `GET|PUT /admin/account-settings/{vendor}`). Kept in the vendor's state: `POST /admin/reset`
 * clears them, state files keep them.
 */
export interface AccountSettingsHook {
  get(store: VendorStore): Record<string, unknown>;
  /** Applies a change; answers the settings after it, or what is wrong with the change. */
  put(store: VendorStore, change: unknown): Record<string, unknown> | string;
}

export interface VendorModule {
  vendor: VendorName;
  accountSettings?: AccountSettingsHook;
  routes: Route[];
  /**
   * Decides who is calling, or answers the vendor's own 401/403. `store` lets a vendor accept
   * credentials created through its own API (e.g. Mailjet sub-account API keys).
   */
  authenticate(req: EmuRequest, credentials: EmulatorCredentials, store: VendorStore): AuthOutcome;
  /** The vendor's error body for a status the core produces (400, 404, 405, 429, 500, 503...). */
  errorResponse(status: number, message: string, req: EmuRequest): EmuResponse;
  /** The documented limit; the admin surface can change it at run time. */
  rateLimit: RateLimitPolicy;
  /** Headers describing the limit, added to every authenticated response (and to 429s). */
  rateLimitHeaders?(info: RateLimitInfo, req: EmuRequest): Record<string, string>;
  /** Runs first: may rewrite `req.path` (e.g. strip a `.json` suffix) or note a format. */
  prepare?(req: EmuRequest): EmuResponse | void;
  /** Parses a non-empty body; throws `BodyParseError` when it is malformed. Default: JSON. */
  parseBody?(req: EmuRequest): unknown;
  /** Last look at a response before it is written (e.g. JSON to XML). */
  render?(res: EmuResponse, req: EmuRequest): EmuResponse;
}

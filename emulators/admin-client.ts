/**
 * A small typed client over the emulators' admin surface, for tests and benchmarks.
 *
 *   const admin = new AdminClient(emu.urls.admin);
 *   await admin.patchObject("mailtrap", "projects", id, { name: "drifted" });
 *   const counts = await admin.requestCounts();
 */
import type { RequestCountEntry, RequestCounts, RequestLogEntry } from "./core/counters";
import type { ActiveFault, FaultSpec } from "./core/faults";
import type { ResponseShapes } from "./core/shapes";
import type { VendorName } from "./core/types";

export type { RequestCountEntry, RequestCounts, RequestLogEntry } from "./core/counters";
export type { ActiveFault, FaultHint, FaultKind, FaultSpec } from "./core/faults";
export type { ResponseShapes } from "./core/shapes";

export interface RateLimitSetting {
  limit: number;
  windowMs: number;
  enabled: boolean;
}

export interface RateLimitChange {
  /** Absent: every vendor. */
  vendor?: VendorName;
  limit?: number;
  windowMs?: number;
  enabled?: boolean;
}

export class AdminError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${what} answered ${status}: ${JSON.stringify(body)}`);
  }
}

export class AdminClient {
  /** `baseUrl`: the admin base URL, e.g. `RunningEmulators.urls.admin`. */
  constructor(private readonly baseUrl: string) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    // The admin surface takes writes only as JSON (its guard against web pages posting to it).
    const res = await fetch(`${this.baseUrl}/admin${path}`, {
      method,
      headers: method === "GET" ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed: unknown = text === "" ? undefined : JSON.parse(text);
    if (!res.ok) throw new AdminError(res.status, parsed, `${method} /admin${path}`);
    return parsed as T;
  }

  /** Counts per vendor, method + route pattern and status (one entry per combination seen). */
  async requestCounts(): Promise<RequestCountEntry[]> {
    return (await this.requestSummary()).entries;
  }

  /** Counts with totals per vendor. */
  requestSummary(): Promise<RequestCounts> {
    return this.call("GET", "/requests");
  }

  /** Sum of counts matching every given filter (`route` is the pattern, e.g. `/api/projects/{project_id}`). */
  async countRequests(filter: Partial<Omit<RequestCountEntry, "count">> = {}): Promise<number> {
    const entries = await this.requestCounts();
    return entries
      .filter((e) => Object.entries(filter).every(([k, v]) => e[k as keyof RequestCountEntry] === v))
      .reduce((n, e) => n + e.count, 0);
  }

  /**
   * Each request answered (or dropped) since the last reset, oldest first: arrival and answer
   * times, the credential's fingerprint, the fault that decided it, its rate-limit headers.
   */
  async requestLog(filter: { vendor?: VendorName; after?: number } = {}): Promise<RequestLogEntry[]> {
    const query = new URLSearchParams();
    if (filter.vendor !== undefined) query.set("vendor", filter.vendor);
    if (filter.after !== undefined) query.set("after", String(filter.after));
    const { entries, truncated } = await this.call<{ entries: RequestLogEntry[]; truncated: boolean }>("GET", `/requests/log${query.size ? `?${query}` : ""}`);
    if (truncated) throw new Error("the emulators' request log overflowed since the last reset: reset the counters before a run you mean to read");
    return entries;
  }

  async resetRequestCounts(): Promise<void> {
    await this.call("POST", "/requests/reset");
  }

  /** Empties all vendor state and the request counters. */
  async reset(): Promise<void> {
    await this.call("POST", "/reset");
  }

  listObjects<T = Record<string, unknown>>(vendor: VendorName, collection: string): Promise<T[]> {
    return this.call("GET", `/objects/${vendor}/${encodeURIComponent(collection)}`);
  }

  getObject<T = Record<string, unknown>>(vendor: VendorName, collection: string, id: string | number): Promise<T> {
    return this.call("GET", objectPath(vendor, collection, id));
  }

  /** Out-of-band change: shallow-merges `patch` into the stored object (read-only fields too). */
  patchObject<T = Record<string, unknown>>(
    vendor: VendorName,
    collection: string,
    id: string | number,
    patch: Record<string, unknown>,
  ): Promise<T> {
    return this.call("PATCH", objectPath(vendor, collection, id), patch);
  }

  /** An object made outside the API (a person invited from the web UI): stored as given under `id`, replacing any. */
  putObject<T = Record<string, unknown>>(vendor: VendorName, collection: string, id: string | number, object: Record<string, unknown>): Promise<T> {
    return this.call("PUT", objectPath(vendor, collection, id), object);
  }

  /** Out-of-band delete of one stored object (no cascade). Answers the deleted object. */
  deleteObject<T = Record<string, unknown>>(vendor: VendorName, collection: string, id: string | number): Promise<T> {
    return this.call("DELETE", objectPath(vendor, collection, id));
  }

  addFault(spec: FaultSpec): Promise<ActiveFault> {
    return this.call("POST", "/faults", spec);
  }

  faults(): Promise<ActiveFault[]> {
    return this.call("GET", "/faults");
  }

  async clearFaults(): Promise<void> {
    await this.call("DELETE", "/faults");
  }

  /** The response shapes served where documents and live clients disagree (see `core/shapes.ts`). */
  responseShapes(): Promise<ResponseShapes> {
    return this.call("GET", "/response-shapes");
  }

  setResponseShapes(change: Partial<ResponseShapes>): Promise<ResponseShapes> {
    return this.call("PUT", "/response-shapes", change);
  }

  /** Settings of the emulated account the vendor applies by itself (SendGrid: `grantedScopes`). */
  accountSettings<T = Record<string, unknown>>(vendor: VendorName): Promise<T> {
    return this.call("GET", `/account-settings/${vendor}`);
  }

  setAccountSettings<T = Record<string, unknown>>(vendor: VendorName, change: Record<string, unknown>): Promise<T> {
    return this.call("PUT", `/account-settings/${vendor}`, change);
  }

  rateLimits(): Promise<Record<VendorName, RateLimitSetting>> {
    return this.call("GET", "/rate-limits");
  }

  setRateLimits(change: RateLimitChange): Promise<Record<VendorName, RateLimitSetting>> {
    return this.call("PUT", "/rate-limits", change);
  }

  /** Saves all vendor state to `file`, inside the emulator's state directory (default: its `stateFile`). */
  async saveState(file?: string): Promise<void> {
    await this.call("POST", "/state/save", file === undefined ? {} : { file });
  }

  /** Replaces all vendor state with the content of `file`, inside the state directory (default: its `stateFile`). */
  async loadState(file?: string): Promise<void> {
    await this.call("POST", "/state/load", file === undefined ? {} : { file });
  }
}

function objectPath(vendor: VendorName, collection: string, id: string | number): string {
  return `/objects/${vendor}/${encodeURIComponent(collection)}/${encodeURIComponent(String(id))}`;
}

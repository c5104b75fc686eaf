import type { VendorName } from "./types";

export interface RequestCountEntry {
  vendor: VendorName;
  method: string;
  /** The matched route pattern, or `(unmatched)`. */
  route: string;
  /** HTTP status, or `"dropped"` when a fault destroyed the connection. */
  status: string;
  count: number;
}

export interface RequestCounts {
  total: number;
  byVendor: Record<string, number>;
  entries: RequestCountEntry[];
}

/** One answered (or dropped) request, in the order answered. */
export interface RequestLogEntry {
  /** Increasing from 1 per emulator process (not restarted by a reset). */
  seq: number;
  vendor: VendorName;
  method: string;
  /** The matched route pattern, or `(unmatched)`. */
  route: string;
  path: string;
  /**
   * The same short fingerprint for every request that presents the same credential (a hash of its
   * `Authorization`, `Api-Token` and `api_token`; never the credential itself); `""` when none.
   */
  credential: string;
  /**
   * A short fingerprint of the request's query and body: the same when a request is sent again
   * (so a retry can be told from another request to the same path), never the text itself.
   */
  digest: string;
  /** Epoch ms when the request arrived, and when it was answered or dropped. */
  receivedAt: number;
  answeredAt: number;
  /** HTTP status, or `"dropped"`. */
  status: string;
  /** The fault that decided the answer, if one did. */
  fault?: number;
  /** The answer's rate-limit headers as sent (lower-case names): `retry-after`, `x-ratelimit-*`. */
  rateLimitHeaders?: Record<string, string>;
}

/** What the vendor server knows about a request when it answers it. */
export type RequestLogDetail = Omit<RequestLogEntry, "seq" | "vendor" | "method" | "route" | "status" | "answeredAt">;

/** The log keeps this many of the latest requests. */
export const REQUEST_LOG_CAPACITY = 100_000;

/** Counts requests per vendor, method + route pattern and status, and logs each one. */
export class RequestCounter {
  private counts = new Map<string, RequestCountEntry>();
  private entries: RequestLogEntry[] = [];
  private seq = 0;
  /** True once an entry was pushed out of the log since the last reset. */
  private truncated = false;

  add(vendor: VendorName, method: string, route: string, status: number | "dropped", detail?: RequestLogDetail): void {
    const key = `${vendor} ${method} ${route} ${status}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { vendor, method, route, status: String(status), count: 1 });
    if (!detail) return;
    this.entries.push({ seq: ++this.seq, vendor, method, route, status: String(status), answeredAt: Date.now(), ...detail });
    if (this.entries.length > REQUEST_LOG_CAPACITY) {
      this.entries.splice(0, this.entries.length - REQUEST_LOG_CAPACITY);
      this.truncated = true;
    }
  }

  snapshot(): RequestCounts {
    const entries = [...this.counts.values()].map((e) => ({ ...e }));
    const byVendor: Record<string, number> = {};
    let total = 0;
    for (const e of entries) {
      total += e.count;
      byVendor[e.vendor] = (byVendor[e.vendor] ?? 0) + e.count;
    }
    return { total, byVendor, entries };
  }

  /** The logged requests, oldest first, optionally of one vendor and after a sequence number. */
  log(filter: { vendor?: VendorName; after?: number } = {}): { entries: RequestLogEntry[]; truncated: boolean } {
    const entries = this.entries.filter((e) => (filter.vendor === undefined || e.vendor === filter.vendor) && (filter.after === undefined || e.seq > filter.after));
    return { entries, truncated: this.truncated };
  }

  reset(): void {
    this.counts.clear();
    this.entries = [];
    this.truncated = false;
  }
}

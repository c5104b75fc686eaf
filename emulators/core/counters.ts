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

/** Counts requests per vendor, method + route pattern and status. */
export class RequestCounter {
  private counts = new Map<string, RequestCountEntry>();

  add(vendor: VendorName, method: string, route: string, status: number | "dropped"): void {
    const key = `${vendor} ${method} ${route} ${status}`;
    const entry = this.counts.get(key);
    if (entry) entry.count += 1;
    else this.counts.set(key, { vendor, method, route, status: String(status), count: 1 });
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

  reset(): void {
    this.counts.clear();
  }
}

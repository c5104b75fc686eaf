import type { RateLimitInfo, RateLimitPolicy } from "./types";

/** Fixed-window limiter: `limit` requests per key per window; the window starts at the first hit. */
export class RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  constructor(
    public policy: RateLimitPolicy,
    public enabled: boolean,
  ) {}

  /** Records one request for `key`; `allowed` is false past the limit (when enabled). */
  hit(key: string, now = Date.now()): { allowed: boolean; info: RateLimitInfo } {
    const { limit, windowMs } = this.policy;
    let window = this.windows.get(key);
    if (!window || now >= window.start + windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
    }
    const allowed = !this.enabled || window.count < limit;
    if (allowed) window.count += 1;
    return {
      allowed,
      info: { limit, windowMs, remaining: Math.max(0, limit - window.count), resetAt: window.start + windowMs },
    };
  }

  /** The info a 429 fault reports: the window exhausted. */
  exhausted(now = Date.now()): RateLimitInfo {
    return { ...this.policy, remaining: 0, resetAt: now + this.policy.windowMs };
  }

  configure(policy: Partial<RateLimitPolicy>, enabled?: boolean): void {
    this.policy = { ...this.policy, ...policy };
    if (enabled !== undefined) this.enabled = enabled;
    this.windows.clear();
  }

  reset(): void {
    this.windows.clear();
  }
}

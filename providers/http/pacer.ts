/**
 * Pacing to a vendor's rate limit, shared by every request made with one credential in this
 * process. Requests are spaced so that no span of `windowMs` holds more than `limit` of them (a
 * sliding log: stricter than a token bucket, so it also never overruns a vendor that counts in
 * fixed windows, wherever those windows start). What the vendor says overrides the plan: a
 * `Remaining: 0` or a 429 with a hint (`Retry-After`, `X-RateLimit-Reset`) pauses every request on
 * the credential for exactly as long as the vendor asks.
 *
 * A 429 without a hint does not say the window is spent (vendors also answer it for short bursts,
 * per-endpoint limits and load shedding), so it pauses the credential for a backoff instead: about
 * a second, doubling with each further hint-less 429, never longer than the window, with up to a
 * quarter taken off at random so that processes sharing a credential do not come back in step.
 * 429s to requests that were already in flight together are one step, not one each; an answer to
 * a request sent after the last step starts the backoff over.
 *
 * A credential's budget is also shared with every other mailform process on the machine through
 * a file (shared-budget.ts): a slot is taken only when both this process's plan and the shared
 * window allow it, and a vendor's pause reaches every process.
 */
import { SharedBudget } from "./shared-budget";

export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  windowMs: number;
}

/**
 * Parses `150/10s`, `600/min`, `300/60s`, `5/s`: the form of the `mailform:<vendor>RateLimit`
 * settings; or `off`: mailform paces nothing and keeps no machine-wide budget (for emulators and
 * accounts whose limits are not in the way), while the vendor's own answers (a 429, no remaining
 * requests) still pause the credential as they say.
 */
export function parseRateLimit(text: string, setting: string): RateLimit {
  if (text.trim() === "off") return UNPACED;
  const m = /^\s*(\d+)\s*\/\s*(\d*(?:\.\d+)?)\s*(ms|s|sec|m|min|h)\s*$/.exec(text);
  const limit = m ? Number(m[1]) : NaN;
  const count = m && m[2] !== "" ? Number(m[2]) : 1;
  if (!m || !(limit >= 1) || !(count > 0)) {
    throw new Error(
      `mailform: ${setting} is "${text}"; expected requests per period, like 150/10s or 600/min, or off. ` +
        `Fix it with: pulumi config set mailform:${setting} 150/10s`,
    );
  }
  const unitMs = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 }[m[3] as "ms"];
  return { limit, windowMs: count * unitMs };
}

/** No pacing of mailform's own (the `off` setting). */
export const UNPACED: RateLimit = Object.freeze({ limit: Infinity, windowMs: 1000 });

/** Slack added to every window: the vendor counts a request when it arrives, not when it leaves. */
const ARRIVAL_SLACK_MS = 100;
/** The first pause after a 429 without a hint (or the window, when that is shorter). */
export const FIRST_BACKOFF_MS = 1000;
/** The share of a backoff step that jitter may take off. */
const JITTER = 0.25;

export class Pacer {
  /** Send times of the requests in the current window, oldest first. */
  private sent: number[] = [];
  /** No request leaves before this time (set by a vendor's "come back at" answer). */
  private pausedUntil = 0;
  /** Requests waiting for a slot, served in order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** The current step of the backoff after hint-less 429s; 0 when there is none. */
  private backoffStepMs = 0;
  /** When the backoff last took a step: a 429 to a request sent before then belongs to that step. */
  private steppedAt = -Infinity;

  constructor(
    readonly rate: RateLimit,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
    private readonly shared?: SharedBudget,
  ) {}

  /**
   * Resolves with the send time when a request may leave (pass it back to `backOff` or
   * `answered`), or rejects with `tooLate()`'s error when that would be past `deadline` (epoch ms):
   * a run fails on rate limits only when its deadline is spent.
   */
  acquire(deadline: number, tooLate: (waitMs: number) => Error): Promise<number> {
    const turn = this.queue.then(async () => {
      for (;;) {
        let wait = this.waitMs();
        if (wait <= 0) wait = this.sharedWaitMs();
        if (wait <= 0) break;
        if (this.now() + wait > deadline) throw tooLate(wait);
        await sleep(wait);
      }
      const at = this.now();
      this.sent.push(at);
      return at;
    });
    // The next request waits for this one's slot, whether or not this one gave up.
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /** The vendor says nothing more may be sent before `until` (epoch ms). */
  pauseUntil(until: number): void {
    if (until > this.pausedUntil) this.pausedUntil = until;
    try {
      this.shared?.pauseUntil(until);
    } catch {
      // as in sharedWaitMs: this process still pauses
    }
  }

  /**
   * A 429 without a hint answered a request sent at `sentAt`: pauses the credential for the next
   * step of the backoff (none when the request left before the last step: that step covers it).
   * Returns the pause from now, in ms.
   */
  backOff(sentAt: number): number {
    const now = this.now();
    if (sentAt < this.steppedAt) return Math.max(0, this.pausedUntil - now);
    const first = Math.min(FIRST_BACKOFF_MS, this.rate.windowMs);
    this.backoffStepMs = this.backoffStepMs === 0 ? first : Math.min(this.backoffStepMs * 2, this.rate.windowMs);
    this.steppedAt = now;
    const wait = this.backoffStepMs * (1 - JITTER * this.random());
    this.pauseUntil(now + wait);
    return Math.max(0, this.pausedUntil - now);
  }

  /**
   * The vendor handled a request sent at `sentAt` (any answer but a 429 or a server error): the
   * limit is not in the way, so the backoff starts over. An answer to a request sent before the
   * last step says nothing about the vendor since.
   */
  answered(sentAt: number): void {
    if (sentAt >= this.steppedAt) this.backoffStepMs = 0;
  }

  /** Takes a slot of the machine-wide budget, or says how long to wait for one (0 when there is none to share). */
  private sharedWaitMs(): number {
    if (!this.shared) return 0;
    try {
      return this.shared.take(this.now(), this.rate.limit, this.rate.windowMs + ARRIVAL_SLACK_MS);
    } catch {
      return 0; // the file cannot be used (disk full, permissions): this process paces alone
    }
  }

  /** How long the next request must wait for its slot. */
  private waitMs(): number {
    const now = this.now();
    const window = this.rate.windowMs + ARRIVAL_SLACK_MS;
    while (this.sent.length > 0 && this.sent[0]! <= now - window) this.sent.shift();
    const bySlot = this.sent.length < this.rate.limit ? 0 : this.sent[this.sent.length - this.rate.limit]! + window - now;
    return Math.max(bySlot, this.pausedUntil - now);
  }
}

/** One pacer per vendor credential, so that every resource kind shares the credential's budget. */
const pacers = new Map<string, Pacer>();

/** The machine-wide budget of `key`, or none where the cache directory cannot be written (paced alone then). */
function sharedBudget(key: string): SharedBudget | undefined {
  try {
    return new SharedBudget(key);
  } catch {
    return undefined;
  }
}

export function pacerFor(key: string, rate: RateLimit): Pacer {
  let pacer = pacers.get(key);
  if (!pacer || pacer.rate.limit !== rate.limit || pacer.rate.windowMs !== rate.windowMs) {
    // Unpaced, there is no window to share: no file is read or written per request.
    pacer = new Pacer(rate, Date.now, Math.random, Number.isFinite(rate.limit) ? sharedBudget(key) : undefined);
    pacers.set(key, pacer);
  }
  return pacer;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

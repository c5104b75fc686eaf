/**
 * Fault injection. Each fault applies to one vendor (optionally one route) and fires with a
 * probability drawn from its own PRNG, seeded from the emulator seed and the fault's ordinal, so
 * the same faults over the same requests fire the same way every run.
 */
import { mulberry32 } from "./prng";
import { isVendorName, type VendorName } from "./types";

export const FAULT_KINDS = ["429", "500", "503", "latency", "drop", "drop-after-commit", "500-after-commit", "503-after-commit"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * What happens to a hit request. Before the handler: answered (or dropped) without running it.
 * After commit: the handler runs and its change is kept, then the answer is lost, the way a load
 * balancer or a reset connection loses a write the vendor has already made.
 */
export type FaultOutcome = "429" | "500" | "503" | "drop";

/**
 * What an injected 429 says about when to come back (both kinds are seen in the wild):
 * - `"vendor"` (the default): the rate-limit headers the vendor sends with its own 429, saying the
 *   window is spent (SendGrid's `X-RateLimit-Reset` at the window's end; Mailtrap v1's
 *   `X-RATELIMIT-LIMIT` and `X-RATELIMIT-REMAINING: 0`, no reset; Mailjet and Mailtrap v2 none);
 * - `"none"`: no rate-limit header at all, as a burst limit, a per-endpoint limit or load shedding
 *   answers;
 * - a number of seconds n: `Retry-After: n` and no other rate-limit header (the vendors' reset
 *   headers count whole seconds from the epoch, so they would say a little more than n).
 */
export type FaultHint = "vendor" | "none" | number;

export interface FaultSpec {
  vendor: VendorName;
  /** `METHOD /pattern`, `/pattern` (any method) or a literal request path; absent = every route. */
  route?: string;
  kind: FaultKind;
  /** Probability in [0, 1] that a matching request is hit. */
  rate: number;
  /** Delay for `latency` faults (default 1000 ms). */
  latencyMs?: number;
  /** Fire at most this many times, then stop. */
  count?: number;
  /** For `429` faults: what the answer says about when to come back (default `"vendor"`). */
  hint?: FaultHint;
}

export interface ActiveFault extends FaultSpec {
  id: number;
  fired: number;
}

export interface FaultDecision {
  delayMs: number;
  /** A status to answer instead of the real handler, or "drop" to destroy the socket. */
  outcome?: FaultOutcome;
  /** Set for the `-after-commit` kinds: the handler runs first, then this replaces its answer. */
  afterCommit?: boolean;
  /** The fault that decided `outcome`. */
  faultId?: number;
  /** For a 429 outcome: the fault's hint. */
  hint?: FaultHint;
}

/** Checks a fault spec from the admin API; returns an error message or the normalized spec. */
export function validateFaultSpec(input: unknown): FaultSpec | string {
  if (!input || typeof input !== "object" || Array.isArray(input)) return "Expected a JSON object";
  const o = input as Record<string, unknown>;
  if (!isVendorName(o.vendor)) return "Expected `vendor` to be one of mailtrap, sendgrid, mailjet";
  if (!FAULT_KINDS.includes(o.kind as FaultKind)) return `Expected \`kind\` to be one of ${FAULT_KINDS.join(", ")}`;
  if (typeof o.rate !== "number" || !(o.rate >= 0 && o.rate <= 1)) return "Expected `rate` to be a number from 0 to 1";
  if (o.route !== undefined && typeof o.route !== "string") return "Expected `route` to be a string";
  if (o.latencyMs !== undefined && (typeof o.latencyMs !== "number" || o.latencyMs < 0))
    return "Expected `latencyMs` to be a number from 0 and up";
  if (o.count !== undefined && (!Number.isInteger(o.count) || (o.count as number) < 1))
    return "Expected `count` to be an integer from 1 and up";
  if (o.hint !== undefined) {
    if (o.kind !== "429") return "Expected `hint` only on a fault of kind 429";
    if (o.hint !== "vendor" && o.hint !== "none" && !(Number.isInteger(o.hint) && (o.hint as number) >= 0))
      return 'Expected `hint` to be "vendor", "none" or a whole number of seconds from 0 and up';
  }
  return {
    vendor: o.vendor,
    kind: o.kind as FaultKind,
    rate: o.rate,
    ...(o.route !== undefined ? { route: o.route as string } : {}),
    ...(o.latencyMs !== undefined ? { latencyMs: o.latencyMs as number } : {}),
    ...(o.count !== undefined ? { count: o.count as number } : {}),
    ...(o.hint !== undefined ? { hint: o.hint as FaultHint } : {}),
  };
}

export class FaultInjector {
  private faults: { fault: ActiveFault; random: () => number }[] = [];
  private ordinal = 0;

  constructor(private readonly seed: number) {}

  add(spec: FaultSpec): ActiveFault {
    this.ordinal += 1;
    const fault: ActiveFault = { ...spec, id: this.ordinal, fired: 0 };
    this.faults.push({ fault, random: mulberry32((this.seed ^ Math.imul(this.ordinal, 0x9e3779b1)) >>> 0) });
    return fault;
  }

  list(): ActiveFault[] {
    return this.faults.map(({ fault }) => ({ ...fault }));
  }

  /** Removes all faults and restarts the ordinals, so a new run draws the same numbers. */
  clear(): void {
    this.faults = [];
    this.ordinal = 0;
  }

  /** Takes back a firing that did not happen (an after-commit fault on a request no handler ran). */
  unfire(id: number): void {
    const entry = this.faults.find(({ fault }) => fault.id === id);
    if (entry && entry.fault.fired > 0) entry.fault.fired -= 1;
  }

  decide(vendor: VendorName, method: string, pattern: string | undefined, path: string): FaultDecision {
    const decision: FaultDecision = { delayMs: 0 };
    for (const entry of this.faults) {
      const { fault } = entry;
      if (fault.vendor !== vendor) continue;
      if (fault.count !== undefined && fault.fired >= fault.count) continue;
      if (fault.route !== undefined && !routeMatches(fault.route, method, pattern, path)) continue;
      // Draw for every matching request, so later decisions do not depend on earlier outcomes.
      const hit = entry.random() < fault.rate;
      if (!hit) continue;
      if (fault.kind === "latency") {
        fault.fired += 1;
        decision.delayMs += fault.latencyMs ?? 1000;
      } else if (decision.outcome === undefined) {
        fault.fired += 1;
        const afterCommit = fault.kind.endsWith("-after-commit");
        decision.outcome = fault.kind.replace("-after-commit", "") as FaultOutcome;
        if (afterCommit) decision.afterCommit = true;
        decision.faultId = fault.id;
        if (fault.kind === "429") decision.hint = fault.hint ?? "vendor";
      }
    }
    return decision;
  }
}

function routeMatches(route: string, method: string, pattern: string | undefined, path: string): boolean {
  const space = route.indexOf(" ");
  if (space > 0) {
    const [m, p] = [route.slice(0, space).toUpperCase(), route.slice(space + 1)];
    return m === method && (p === pattern || p === path);
  }
  return route === pattern || route === path;
}

/** Errors from vendor APIs, worded once for every vendor. */

export interface VendorErrorDetails {
  vendor: string;
  method: string;
  path: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** The vendor's own text, already redacted. */
  message: string;
  /** The low-level cause of a failure without an answer (ECONNREFUSED, ENOTFOUND, ETIMEDOUT, ...). */
  code?: string;
  /**
   * True when the vendor may have carried out a call that changes something even though it failed
   * (the answer was lost, or a 5xx came back): the caller must look before it tries again.
   */
  outcomeUnknown?: boolean;
}

export class VendorError extends Error {
  readonly details: VendorErrorDetails;

  constructor(details: VendorErrorDetails) {
    const status = details.status === 0 ? "failed" : `answered ${details.status}`;
    super(`${details.vendor}: ${details.method} ${details.path} ${status}: ${details.message}`);
    this.name = "VendorError";
    this.details = details;
  }

  get status(): number {
    return this.details.status;
  }

  get outcomeUnknown(): boolean {
    return this.details.outcomeUnknown === true;
  }
}

/** True for a failed call that changes something and may nevertheless have been carried out. */
export function outcomeUnknown(e: unknown): e is VendorError {
  return e instanceof VendorError && e.outcomeUnknown;
}

/** Replaces every occurrence of each secret with a marker. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  // Longest first, so a secret that contains another is masked whole.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join("[redacted]");
  }
  return out;
}

/**
 * The low-level reason a request got no answer, as `CODE: message` (e.g. `ECONNREFUSED: connect
 * ECONNREFUSED 127.0.0.1:4011`): fetch itself only says "fetch failed" and keeps the reason in
 * `cause`, sometimes nested, sometimes as an AggregateError of one per address tried.
 */
export function describeCause(error: unknown): { code?: string; text: string } {
  const seen = new Set<unknown>();
  let e: unknown = error;
  let deepest: { code?: string; text: string } = { text: error instanceof Error ? error.message : String(error) };
  while (e && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    const err = e as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown; errors?: unknown[] };
    const code = typeof err.code === "string" ? err.code : err.name === "TimeoutError" ? "ETIMEDOUT" : undefined;
    const message = typeof err.message === "string" && err.message ? err.message : deepest.text;
    if (code || message !== "fetch failed") deepest = { code: code ?? deepest.code, text: message };
    e = err.cause ?? (Array.isArray(err.errors) ? err.errors[0] : undefined);
  }
  return deepest;
}

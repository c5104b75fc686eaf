/** Errors from vendor APIs, worded once for every vendor. */

export interface VendorErrorDetails {
  vendor: string;
  method: string;
  path: string;
  /** HTTP status; 0 when no response arrived. */
  status: number;
  /** The vendor's own text, already redacted. */
  message: string;
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
}

/** Replaces every occurrence of each secret with a marker. */
export function redact(text: string, secrets: string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < 4) continue;
    out = out.split(secret).join("[redacted]");
  }
  return out;
}

/**
 * SendGrid's error bodies: `{"errors":[{"field": ..., "message": ...}]}`, with the lowercase
 * messages the v3 API uses for the statuses the core produces.
 */
import { charLength } from "../core/text";
import { VendorHttpError, type EmuResponse } from "../core/types";

export interface FieldError {
  field: string | null;
  message: string;
}

const CORE_MESSAGES: Record<number, string> = {
  401: "authorization required",
  403: "access forbidden",
  404: "resource not found",
  405: "method not allowed",
  406: "missing accept header",
  413: "request entity too large",
  429: "too many requests",
  500: "internal server error",
  503: "service unavailable",
};

export function errorBody(errors: FieldError[]): { errors: FieldError[] } {
  return { errors };
}

/** The body for a status the core produces; 400s keep the core's own wording (e.g. malformed JSON). */
export function sendgridError(status: number, message?: string, field: string | null = null): EmuResponse {
  const text = CORE_MESSAGES[status] ?? (message ?? "bad request").toLowerCase();
  return { status, body: errorBody([{ field, message: status === 400 && message ? message : text }]) };
}

export function fail(status: number, message: string, field: string | null = null): VendorHttpError {
  return new VendorHttpError({ status, body: errorBody([{ field, message }]) });
}

export function notFound(message = "resource not found"): VendorHttpError {
  return fail(404, message);
}

export function forbidden(message = "access forbidden"): VendorHttpError {
  return fail(403, message);
}

/** Collects field errors and throws one 400 carrying all of them. */
export class Validator {
  readonly errors: FieldError[] = [];

  add(field: string | null, message: string): void {
    this.errors.push({ field, message });
  }

  /** A string field; `required` means present and not blank. */
  string(
    source: Record<string, unknown>,
    field: string,
    rules: { required?: boolean; max?: number; maxBytes?: number; allowEmpty?: boolean } = {},
  ): string | undefined {
    const value = source[field];
    if (value === undefined || value === null) {
      if (rules.required) this.add(field, `${field} is required`);
      return undefined;
    }
    if (typeof value !== "string") {
      this.add(field, `${field} must be a string`);
      return undefined;
    }
    if (rules.required && !rules.allowEmpty && value.trim() === "") {
      this.add(field, `${field} is required`);
      return undefined;
    }
    if (rules.max !== undefined && charLength(value) > rules.max) {
      this.add(field, `${field} must be at most ${rules.max} characters`);
      return undefined;
    }
    if (rules.maxBytes !== undefined && Buffer.byteLength(value) > rules.maxBytes) {
      this.add(field, `${field} must be at most ${rules.maxBytes} bytes`);
      return undefined;
    }
    return value;
  }

  boolean(source: Record<string, unknown>, field: string): boolean | undefined {
    const value = source[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "boolean") {
      this.add(field, `${field} must be a boolean`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string | number>(source: Record<string, unknown>, field: string, allowed: readonly T[]): T | undefined {
    const value = source[field];
    if (value === undefined || value === null) return undefined;
    if (!allowed.includes(value as T)) {
      this.add(field, `${field} must be one of ${allowed.join(", ")}`);
      return undefined;
    }
    return value as T;
  }

  check(): void {
    if (this.errors.length > 0) throw new VendorHttpError({ status: 400, body: errorBody(this.errors) });
  }
}

/** The request body as an object, or SendGrid's 400 for anything else. */
export function objectBody(body: unknown, required = true): Record<string, unknown> {
  if (body === undefined && !required) return {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw fail(400, "request body must be a JSON object");
  }
  return body as Record<string, unknown>;
}

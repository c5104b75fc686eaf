/** Rails-style attribute validation producing Mailtrap's 422 `errors` map. */
import { charLength } from "../core/text";
import { paramMissing, unprocessable } from "./errors";

export type Errors = Record<string, string[]>;

export class Validator {
  readonly errors: Errors = {};

  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  /** A string attribute: `required` means present and not blank. Returns the value when valid. */
  string(
    source: Record<string, unknown>,
    field: string,
    rules: { required?: boolean; min?: number; max?: number },
  ): string | undefined {
    const value = source[field];
    if (value === undefined || value === null) {
      if (rules.required) this.add(field, "can't be blank");
      return undefined;
    }
    if (typeof value !== "string") {
      this.add(field, "is invalid");
      return undefined;
    }
    if (rules.required && value.trim() === "") {
      this.add(field, "can't be blank");
      return undefined;
    }
    if (rules.min !== undefined && charLength(value) < rules.min) {
      this.add(field, `is too short (minimum is ${rules.min} characters)`);
      return undefined;
    }
    if (rules.max !== undefined && charLength(value) > rules.max) {
      this.add(field, `is too long (maximum is ${rules.max} characters)`);
      return undefined;
    }
    return value;
  }

  boolean(source: Record<string, unknown>, field: string): boolean | undefined {
    const value = source[field];
    if (value === undefined) return undefined;
    if (typeof value !== "boolean") {
      this.add(field, "is not included in the list");
      return undefined;
    }
    return value;
  }

  /** Throws the 422 when anything failed. */
  check(): void {
    if (Object.keys(this.errors).length > 0) throw unprocessable(this.errors);
  }
}

/** `body[key]` as an object, or the 400 Rails answers for a missing/empty wrapper. */
export function requireWrapper(body: unknown, key: string): Record<string, unknown> {
  const value = isObject(body) ? body[key] : undefined;
  if (!isObject(value) || Object.keys(value).length === 0) throw paramMissing(key);
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A path id: a positive integer, or undefined (callers answer 404). */
export function parseId(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^[1-9][0-9]{0,15}$/.test(raw)) return undefined;
  return Number(raw);
}

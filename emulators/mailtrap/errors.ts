/** Mailtrap's error bodies, as documented in the OpenAPI components and the seed documents. */
import { VendorHttpError, type EmuResponse } from "../core/types";

/** Body for a status the core produces (401/404 `{error}`, 403/429 `{errors}` strings). */
export function mailtrapError(status: number, message: string): EmuResponse {
  switch (status) {
    case 401:
      return { status, body: { error: "Incorrect API token" } };
    case 403:
      return { status, body: { errors: "Account access forbidden" } };
    case 404:
      return { status, body: { error: "Not Found" } };
    case 429:
      return { status, body: { errors: "Rate limit exceeded" } };
    default:
      return { status, body: { error: message } };
  }
}

export function notFound(): VendorHttpError {
  return new VendorHttpError(mailtrapError(404, "Not Found"));
}

export function forbidden(): VendorHttpError {
  return new VendorHttpError(mailtrapError(403, "Account access forbidden"));
}

/** 400 for a missing wrapper object, worded like Rails' `params.require`. */
export function paramMissing(key: string): VendorHttpError {
  return new VendorHttpError({ status: 400, body: { error: `param is missing or the value is empty: ${key}` } });
}

/** 422 `{"errors":{"field":["message", ...]}}`. */
export function unprocessable(errors: Record<string, string[]>): VendorHttpError {
  return new VendorHttpError({ status: 422, body: { errors } });
}

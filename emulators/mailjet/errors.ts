/** Mailjet's error body, for every status: `{"ErrorInfo": "", "ErrorMessage": "...", "StatusCode": n}`. */
import { VendorHttpError, type EmuResponse } from "../core/types";

export function mailjetError(status: number, message: string, info = ""): EmuResponse {
  return { status, body: { ErrorInfo: info, ErrorMessage: message, StatusCode: status } };
}

/** Mailjet's wording for a failed Basic authentication. */
export const AUTH_FAILURE =
  "API key authentication/authorization failure. You may be unauthorized to access the API or your API key may be expired. Visit API keys management section to check your keys.";

export function badRequest(message: string, info = ""): VendorHttpError {
  return new VendorHttpError(mailjetError(400, message, info));
}

export function notFound(): VendorHttpError {
  return new VendorHttpError(mailjetError(404, "Object not found"));
}

export function forbidden(message: string): VendorHttpError {
  return new VendorHttpError(mailjetError(403, message));
}

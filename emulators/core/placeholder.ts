/**
 * Stand-ins for vendors whose emulator is not written yet: every path answers 404 in the
 * vendor's own error shape, so `RunningEmulators.urls` is always complete.
 */
import type { EmuResponse, VendorModule } from "./types";

/** SendGrid's error body: `{"errors":[{"field":null,"message":"..."}]}`. */
export function sendgridError(status: number, message: string, field: string | null = null): EmuResponse {
  return { status, body: { errors: [{ field, message }] } };
}

/** Mailjet's error body: `{"ErrorInfo":"","ErrorMessage":"...","StatusCode":n}`. */
export function mailjetError(status: number, message: string, info = ""): EmuResponse {
  return { status, body: { ErrorInfo: info, ErrorMessage: message, StatusCode: status } };
}

function placeholder(
  vendor: VendorModule["vendor"],
  errorResponse: VendorModule["errorResponse"],
  rateLimit: VendorModule["rateLimit"],
): VendorModule {
  return {
    vendor,
    routes: [],
    authenticate: () => ({ principal: "anonymous" }),
    errorResponse,
    rateLimit,
  };
}

export function createSendgridPlaceholder(): VendorModule {
  return placeholder("sendgrid", (status, message) => sendgridError(status, message.toLowerCase()), {
    limit: 600,
    windowMs: 60_000,
  });
}

export function createMailjetPlaceholder(): VendorModule {
  return placeholder("mailjet", (status, message) => mailjetError(status, message), {
    limit: 300,
    windowMs: 60_000,
  });
}

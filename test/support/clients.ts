/**
 * providers/clients.ts under vitest (vitest.config.ts aliases it here): the same functions, the
 * vendor clients imported up front, since vitest's module graph is not reached by the `require`
 * that loads them lazily there. That laziness is tested where it runs, in a `mailform validate`
 * process (test/config/cli.test.ts) and in the compiled providers (test/e2e).
 */
import { VendorError } from "../../providers/http/errors";

export { outcomeUnknown } from "../../providers/http/errors";
export { mailjet } from "../../providers/mailjet/client";
export { mailtrap } from "../../providers/mailtrap/client";
export { sandboxRoutes } from "../../providers/mailtrap/routes";
export { sendgrid } from "../../providers/sendgrid/client";
export const notFound = (e: unknown): boolean => e instanceof VendorError && e.status === 404;

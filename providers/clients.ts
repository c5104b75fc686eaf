/**
 * The vendor clients (and the HTTP error tests) as the kind definitions call them, each module
 * loaded at its first call: the definitions are also the catalogue `mailform validate` reads
 * (paths, fields, inputsOf, normalize, naturalKey), and that must load no vendor client and no HTTP
 * stack (test/config/cli.test.ts checks it). Under vitest, whose module graph `require` does not
 * reach, test/support/clients.ts stands in for this module (vitest.config.ts).
 */
import type * as Errors from "./http/errors";
import type * as Mailjet from "./mailjet/client";
import type * as Mailtrap from "./mailtrap/client";
import type * as Sendgrid from "./sendgrid/client";

export { sandboxRoutes } from "./mailtrap/routes";

const errors = () => require("./http/errors") as typeof Errors;

export const mailtrap = (): ReturnType<typeof Mailtrap.mailtrap> => (require("./mailtrap/client") as typeof Mailtrap).mailtrap();
export const sendgrid = (): ReturnType<typeof Sendgrid.sendgrid> => (require("./sendgrid/client") as typeof Sendgrid).sendgrid();
export const mailjet = (): ReturnType<typeof Mailjet.mailjet> => (require("./mailjet/client") as typeof Mailjet).mailjet();
export const outcomeUnknown = (e: unknown): e is Errors.VendorError => errors().outcomeUnknown(e);
/** A vendor's 404: the object is not there. */
export const notFound = (e: unknown): boolean => e instanceof errors().VendorError && e.status === 404;

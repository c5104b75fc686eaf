/**
 * The vendor clients (and the HTTP error test) as the kind definitions call them, each module
 * loaded at its first call: the definitions are also the catalogue `mailform validate` reads
 * (paths, fields, inputsOf, normalize, naturalKey), and that must load no vendor client and no HTTP
 * stack (test/config/cli.test.ts checks it).
 */
import type * as Errors from "./http/errors";
import type * as Mailjet from "./mailjet/client";
import type * as Mailtrap from "./mailtrap/client";
import type * as Sendgrid from "./sendgrid/client";

const mailtrapClient = () => require("./mailtrap/client") as typeof Mailtrap;

export const mailtrap = (): ReturnType<typeof Mailtrap.mailtrap> => mailtrapClient().mailtrap();
export const sandboxRoutes = (apiVersion: string | undefined): Mailtrap.SandboxRoutes => mailtrapClient().sandboxRoutes(apiVersion);
export const sendgrid = (): ReturnType<typeof Sendgrid.sendgrid> => (require("./sendgrid/client") as typeof Sendgrid).sendgrid();
export const mailjet = (): ReturnType<typeof Mailjet.mailjet> => (require("./mailjet/client") as typeof Mailjet).mailjet();
export const outcomeUnknown = (e: unknown): e is Errors.VendorError => (require("./http/errors") as typeof Errors).outcomeUnknown(e);

/**
 * Every resource kind mailform manages: the one list the program, the registry, the stack-file
 * checks and the parity test walk. Order matters only for readability; the program follows the
 * stack file's dependency order.
 */
import type { KindDefinition } from "./resource";
import { project as mailtrapProject } from "./mailtrap/project";
import { inbox as mailtrapInbox } from "./mailtrap/inbox";
import { emailTemplate as mailtrapEmailTemplate } from "./mailtrap/email-template";
import { apiToken as mailtrapApiToken } from "./mailtrap/api-token";
import { sendingDomain as mailtrapSendingDomain } from "./mailtrap/sending-domain";
import { template as sendgridTemplate } from "./sendgrid/template";
import { apiKey as sendgridApiKey } from "./sendgrid/api-key";
import { unsubscribeGroup as sendgridUnsubscribeGroup } from "./sendgrid/unsubscribe-group";
import { eventWebhook as sendgridEventWebhook } from "./sendgrid/event-webhook";
import { template as mailjetTemplate } from "./mailjet/template";
import { apiKey as mailjetApiKey } from "./mailjet/api-key";
import { contactList as mailjetContactList } from "./mailjet/contact-list";
import { sender as mailjetSender } from "./mailjet/sender";
import { eventCallback as mailjetEventCallback } from "./mailjet/event-callback";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const KINDS: readonly KindDefinition<any, any>[] = [
  mailtrapProject,
  mailtrapInbox,
  mailtrapEmailTemplate,
  mailtrapApiToken,
  mailtrapSendingDomain,
  sendgridTemplate,
  sendgridApiKey,
  sendgridUnsubscribeGroup,
  sendgridEventWebhook,
  mailjetTemplate,
  mailjetApiKey,
  mailjetContactList,
  mailjetSender,
  mailjetEventCallback,
];

/** Entry kinds that are not resources of their own but part of another kind's inputs. */
export const PART_OF: Record<string, string> = { "sendgrid:templateVersion": "sendgrid:template" };

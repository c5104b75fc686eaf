/**
 * Every resource kind mailform manages: the one list the program, the registry, the stack-file
 * checks and the parity test walk. Order matters: the stack file's entries are resolved and
 * registered kind by kind in this order, so a kind comes after the kinds its entries are nested in
 * or refer to. Loading this list loads no vendor client (providers/clients.ts).
 */
import type { KindContext, KindDefinition } from "./resource";
import { project as mailtrapProject } from "./mailtrap/project";
import { inbox as mailtrapInbox } from "./mailtrap/inbox";
import { emailTemplate as mailtrapEmailTemplate } from "./mailtrap/email-template";
import { apiToken as mailtrapApiToken } from "./mailtrap/api-token";
import { sendingDomain as mailtrapSendingDomain } from "./mailtrap/sending-domain";
import { webhook as mailtrapWebhook } from "./mailtrap/webhook";
import { accountAccess as mailtrapAccountAccess } from "./mailtrap/account-access";
import { template as sendgridTemplate } from "./sendgrid/template";
import { apiKey as sendgridApiKey } from "./sendgrid/api-key";
import { unsubscribeGroup as sendgridUnsubscribeGroup } from "./sendgrid/unsubscribe-group";
import { eventWebhook as sendgridEventWebhook } from "./sendgrid/event-webhook";
import { domainAuthentication as sendgridDomainAuthentication } from "./sendgrid/domain-authentication";
import { linkBranding as sendgridLinkBranding } from "./sendgrid/link-branding";
import { teammate as sendgridTeammate } from "./sendgrid/teammate";
import { verifiedSender as sendgridVerifiedSender } from "./sendgrid/verified-sender";
import { parseSetting as sendgridParseSetting } from "./sendgrid/parse-setting";
import { ipAllowList as sendgridIpAllowList } from "./sendgrid/ip-allow-list";
import { template as mailjetTemplate } from "./mailjet/template";
import { apiKey as mailjetApiKey } from "./mailjet/api-key";
import { contactList as mailjetContactList } from "./mailjet/contact-list";
import { sender as mailjetSender } from "./mailjet/sender";
import { eventCallback as mailjetEventCallback } from "./mailjet/event-callback";
import { mailSettings as sendgridMailSettings } from "./sendgrid/mail-settings";
import { trackingSettings as sendgridTrackingSettings } from "./sendgrid/tracking-settings";
import { enforcedTls as sendgridEnforcedTls } from "./sendgrid/enforced-tls";
import { parseRoute as mailjetParseRoute } from "./mailjet/parse-route";
import { contactProperty as mailjetContactProperty } from "./mailjet/contact-property";
import { accountSettings as mailjetAccountSettings } from "./mailjet/account-settings";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const KINDS: readonly KindDefinition<any, any>[] = [
  mailtrapProject,
  mailtrapInbox,
  mailtrapEmailTemplate,
  mailtrapApiToken,
  mailtrapSendingDomain,
  mailtrapWebhook,
  mailtrapAccountAccess,
  sendgridTemplate,
  sendgridApiKey,
  sendgridUnsubscribeGroup,
  sendgridEventWebhook,
  sendgridDomainAuthentication,
  sendgridLinkBranding,
  sendgridTeammate,
  sendgridVerifiedSender,
  sendgridParseSetting,
  sendgridIpAllowList,
  mailjetTemplate,
  mailjetApiKey,
  mailjetContactList,
  mailjetSender,
  mailjetEventCallback,
  sendgridMailSettings,
  sendgridTrackingSettings,
  sendgridEnforcedTls,
  mailjetParseRoute,
  mailjetContactProperty,
  mailjetAccountSettings,
];

/** What kinds may read of a stack file's data besides their own entries. */
export function kindContext(data: unknown): KindContext {
  const mailtrap = (data as { mailtrap?: { apiVersion?: unknown } } | null | undefined)?.mailtrap;
  return { mailtrapApiVersion: String(mailtrap?.apiVersion ?? "v2") };
}

/**
 * Every resource kind mailform manages, by Pulumi type token. The serialized stub in entry.ts
 * asks this registry for the implementation of its kind at run time.
 */
import type * as pulumi from "@pulumi/pulumi";
import { lifecycle, type KindDefinition } from "./resource";
import { project as mailtrapProject } from "./mailtrap/project";
import { template as sendgridTemplate } from "./sendgrid/template";
import { apiKey as sendgridApiKey } from "./sendgrid/api-key";
import { inbox as mailtrapInbox } from "./mailtrap/inbox";
import { emailTemplate as mailtrapEmailTemplate } from "./mailtrap/email-template";
import { apiToken as mailtrapApiToken } from "./mailtrap/api-token";
import { template as mailjetTemplate } from "./mailjet/template";
import { apiKey as mailjetApiKey } from "./mailjet/api-key";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const KINDS: KindDefinition<any, any>[] = [mailtrapProject, mailtrapInbox, mailtrapEmailTemplate, mailtrapApiToken, sendgridTemplate, sendgridApiKey, mailjetTemplate, mailjetApiKey];

const providers = new Map(KINDS.map((def) => [def.kind, lifecycle(def)]));

export function provider(kind: string): pulumi.dynamic.ResourceProvider {
  const found = providers.get(kind);
  if (!found) {
    throw new Error(`mailform: unknown resource kind ${kind}; this state was written by a newer mailform? Upgrade mailform.`);
  }
  return found;
}

/**
 * The `mailtrap:` section of a stack file as Pulumi resources: projects, their inboxes, email
 * templates and API tokens (whose permissions name projects and inboxes of the same file by key and
 * receive their vendor ids), with the entries' options, secret outputs marked secret, and stack
 * outputs:
 *
 *   mailtrap.projects.<key>.id
 *   mailtrap.inboxes.<project>/<inbox>.id
 *   mailtrap.inboxes.<project>/<inbox>.emailAddress   (when the inbox's address is on)
 *   mailtrap.inboxes.<project>/<inbox>.smtp           (secret: host, ports, username, password)
 *   mailtrap.emailTemplates.<key>.id
 *   mailtrap.apiTokens.<key>.id
 *   mailtrap.apiTokens.<key>.token                    (secret; absent for an adopted token)
 *
 * Inputs are handed over normalized by the kind itself (names trimmed, absent template bodies as
 * "", token permissions sorted), the way state stores them: the provider's diff would ignore the
 * difference anyway, but the engine's displayed diff compares raw inputs, and a drift preview should
 * name only the fields that really differ.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedStack, ResourceOptions } from "../config";
import { apiToken, normalizePermissions, type TokenPermission } from "../providers/mailtrap/api-token";
import { emailTemplate } from "../providers/mailtrap/email-template";
import { inbox } from "../providers/mailtrap/inbox";
import { project as projectKind } from "../providers/mailtrap/project";
import { setting, useStackConfig } from "../providers/settings";
import { VendorResource } from "./resource";

export type MailtrapSection = ResolvedStack["mailtrap"];
export type StackOutputs = Record<string, pulumi.Output<unknown>>;

export interface MailtrapResources {
  projects: Map<string, VendorResource>;
  inboxes: Map<string, VendorResource>;
  emailTemplates: Map<string, VendorResource>;
  apiTokens: Map<string, VendorResource>;
}

/** An output the provider returns beyond the inputs: declared (as undefined) so Pulumi exposes it. */
function declare(names: readonly string[]): Record<string, undefined> {
  return Object.fromEntries(names.map((n) => [n, undefined]));
}

function output<T>(res: VendorResource, name: string): pulumi.Output<T> {
  return (res as unknown as Record<string, pulumi.Output<T>>)[name];
}

function resourceOptions(o: ResourceOptions, extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions {
  // Explicit values: a child must not inherit `protect` from its parent project.
  return { protect: o.protect, retainOnDelete: o.retainOnDelete, ...extra };
}

/** The vendor id (a number) of a resource, from its Pulumi id. */
const vendorId = (res: VendorResource): pulumi.Output<number> => res.id.apply(Number);

/**
 * Fails when the stack file asks for API v1 but the provider, which reads
 * `mailform:mailtrapApiVersion` from stack config, would use v2.
 */
function checkApiVersion(section: MailtrapSection): void {
  useStackConfig({
    get: (key) => {
      const [namespace, name] = key.split(":");
      return new pulumi.Config(namespace).get(name);
    },
  });
  const configured = setting("mailtrapApiVersion") ?? "v2";
  if (section.apiVersion === "v1" && configured !== "v1") {
    throw new Error(
      `the stack file sets mailtrap.apiVersion: v1, but the provider is configured for ${configured}. ` +
        `Run: pulumi config set mailform:mailtrapApiVersion v1 (or remove apiVersion: v1 from the stack file).`,
    );
  }
}

export function registerMailtrap(section: MailtrapSection, outputs: StackOutputs): MailtrapResources {
  checkApiVersion(section);
  const made: MailtrapResources = { projects: new Map(), inboxes: new Map(), emailTemplates: new Map(), apiTokens: new Map() };

  for (const entry of section.projects) {
    const res = new VendorResource(
      "mailtrap:Project",
      entry.key,
      { ...projectKind.normalize({ name: entry.props.name }), adopt: entry.options.adopt, path: entry.address },
      resourceOptions(entry.options),
    );
    made.projects.set(entry.key, res);
    outputs[`mailtrap.projects.${entry.key}.id`] = res.id;
  }

  for (const entry of section.inboxes) {
    const project = made.projects.get(entry.project);
    if (!project) throw new Error(`${entry.address}: project "${entry.project}" is not declared`);
    const res = new VendorResource(
      "mailtrap:Inbox",
      entry.key,
      {
        // projectId is an output (a number once known); the kind's normalization of the rest:
        ...inbox.normalize({ projectId: 0, name: entry.props.name, emailUsername: entry.props.emailUsername }),
        projectId: vendorId(project),
        adopt: entry.options.adopt,
        path: entry.address,
        ...declare(["inboxId", "username", "password", "domain", "smtpPorts", "emailAddress"]),
      },
      resourceOptions(entry.options, { parent: project, additionalSecretOutputs: [...(inbox.secretOutputs ?? [])] }),
    );
    made.inboxes.set(entry.key, res);
    const prefix = `mailtrap.inboxes.${entry.key}`;
    outputs[`${prefix}.id`] = res.id;
    if (entry.props.emailUsername !== undefined) outputs[`${prefix}.emailAddress`] = output(res, "emailAddress");
    outputs[`${prefix}.smtp`] = pulumi.secret(
      pulumi.all([output(res, "domain"), output(res, "smtpPorts"), output(res, "username"), output(res, "password")]).apply(
        ([host, ports, username, password]) => ({ host, ports, username, password }),
      ),
    );
  }

  for (const entry of section.emailTemplates) {
    const res = new VendorResource(
      "mailtrap:EmailTemplate",
      entry.key,
      {
        ...emailTemplate.normalize({
          name: entry.props.name,
          category: entry.props.category,
          subject: entry.props.subject,
          bodyHtml: entry.props.html ?? "",
          bodyText: entry.props.text ?? "",
        }),
        adopt: entry.options.adopt,
        path: entry.address,
      },
      resourceOptions(entry.options),
    );
    made.emailTemplates.set(entry.key, res);
    outputs[`mailtrap.emailTemplates.${entry.key}.id`] = res.id;
  }

  for (const entry of section.apiTokens) {
    const permissions = (entry.props.permissions ?? []).map((p) => {
      const target = p.kind === "project" ? made.projects.get(p.key) : made.inboxes.get(p.key);
      if (!target) throw new Error(`${entry.address}: permission names ${p.kind} "${p.key}", which is not declared`);
      return pulumi.all([vendorId(target)]).apply(([resourceId]): TokenPermission => ({ resourceType: p.kind, resourceId, accessLevel: p.access }));
    });
    const res = new VendorResource(
      "mailtrap:ApiToken",
      entry.key,
      {
        name: apiToken.normalize({ name: entry.props.name, permissions: [] }).name,
        permissions: pulumi.all(permissions).apply(normalizePermissions),
        adopt: entry.options.adopt,
        path: entry.address,
        ...declare(["tokenId", "token", "last4Digits"]),
      },
      resourceOptions(entry.options, { additionalSecretOutputs: [...(apiToken.secretOutputs ?? [])] }),
    );
    made.apiTokens.set(entry.key, res);
    outputs[`mailtrap.apiTokens.${entry.key}.id`] = res.id;
    outputs[`mailtrap.apiTokens.${entry.key}.token`] = pulumi.secret(output<string | undefined>(res, "token"));
  }

  return made;
}

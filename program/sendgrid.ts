/**
 * The `sendgrid` section of a resolved stack as Pulumi resources: one `sendgrid:Template` per
 * template (its versions inside it, by key) and one `sendgrid:ApiKey` per API key.
 *
 * Stack outputs (flat names, like the other vendors'):
 * - `sendgrid.templates.<key>.id`, `sendgrid.templates.<key>.versionIds` ({versionKey: id})
 * - `sendgrid.apiKeys.<key>.id`, and `sendgrid.apiKeys.<key>.apiKey`: the key's secret, as a
 *   Pulumi secret (encrypted in state; `pulumi stack output --show-secrets` hands it on to CI).
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedStack, SendgridTemplateVersionEntry } from "../config";
import { apiKey as apiKeyKind } from "../providers/sendgrid/api-key";
import { template as templateKind, type TemplateInputs, type VersionInputs } from "../providers/sendgrid/template";
import { VendorResource } from "./resource";

type Outputs = Record<string, pulumi.Output<unknown>>;

/** Output properties a resource exposes: registered by naming them (unset) among its inputs. */
function outputOf<T>(res: VendorResource, name: string): pulumi.Output<T> {
  return (res as unknown as Record<string, pulumi.Output<T>>)[name]!;
}

function versionInputs(v: SendgridTemplateVersionEntry["props"]): VersionInputs {
  const out = {
    name: v.name,
    subject: v.subject,
    htmlContent: v.html,
    plainContent: v.text,
    generatePlainContent: v.generatePlainContent,
    editor: v.editor,
    testData: v.testData,
    active: v.active,
  };
  return Object.fromEntries(Object.entries(out).filter(([, value]) => value !== undefined)) as unknown as VersionInputs;
}

export function registerSendgrid(section: ResolvedStack["sendgrid"], outputs: Outputs): void {
  for (const t of section.templates) {
    const versions: Record<string, VersionInputs> = {};
    for (const v of section.versions.filter((entry) => entry.template === t.key)) {
      versions[v.key.slice(t.key.length + 1)] = versionInputs(v.props);
    }
    const res = new VendorResource(
      "sendgrid:Template",
      t.key,
      {
        ...templateKind.normalize({ name: t.props.name, generation: t.props.generation, versions } satisfies TemplateInputs),
        adopt: t.options.adopt,
        path: t.address,
        // Output properties, filled by the provider.
        templateId: undefined,
        versionIds: undefined,
      },
      { protect: t.options.protect, retainOnDelete: t.options.retainOnDelete },
    );
    outputs[`sendgrid.templates.${t.key}.id`] = res.id;
    outputs[`sendgrid.templates.${t.key}.versionIds`] = outputOf(res, "versionIds");
  }

  for (const k of section.apiKeys) {
    const res = new VendorResource(
      "sendgrid:ApiKey",
      k.key,
      {
        ...apiKeyKind.normalize({ name: k.props.name, ...(k.props.scopes !== undefined ? { scopes: [...k.props.scopes] } : {}) }),
        adopt: k.options.adopt,
        path: k.address,
        apiKeyId: undefined,
        apiKey: undefined,
      },
      { protect: k.options.protect, retainOnDelete: k.options.retainOnDelete, additionalSecretOutputs: [...(apiKeyKind.secretOutputs ?? [])] },
    );
    outputs[`sendgrid.apiKeys.${k.key}.id`] = res.id;
    outputs[`sendgrid.apiKeys.${k.key}.apiKey`] = pulumi.secret(outputOf<string | undefined>(res, "apiKey"));
  }
}

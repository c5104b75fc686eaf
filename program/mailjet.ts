/**
 * The `mailjet` section of a resolved stack as Pulumi resources: one `mailjet:Template` per
 * template (metadata and content together) and one `mailjet:ApiKey` per API key.
 *
 * Stack outputs (flat names, like the other vendors'):
 * - `mailjet.templates.<key>.id`: the template's Mailjet ID.
 * - `mailjet.apiKeys.<key>.id`, `mailjet.apiKeys.<key>.apiKey`: the key's ID and public half.
 * - `mailjet.apiKeys.<key>.secretKey`: the secret half, as a Pulumi secret (encrypted in state;
 *   `pulumi stack output --show-secrets` hands it on to CI). Mailjet shows it once, at creation:
 *   an adopted key has none.
 *
 * Inputs are handed over normalized by the kind itself (Mailjet's defaults filled in, sets
 * sorted), so the engine stores and shows the same values the provider compares: after a
 * refresh, a preview names only the fields that really differ (`editMode: "html" => "dnd"`),
 * not every default the stack file leaves out.
 */
import * as pulumi from "@pulumi/pulumi";
import type { ResolvedStack } from "../config";
import { apiKey as apiKeyKind } from "../providers/mailjet/api-key";
import { template as templateKind, type TemplateInputs } from "../providers/mailjet/template";
import { VendorResource } from "./resource";

type Outputs = Record<string, pulumi.Output<unknown>>;

/** Output properties a resource exposes: registered by naming them (unset) among its inputs. */
function outputOf<T>(res: VendorResource, name: string): pulumi.Output<T> {
  return (res as unknown as Record<string, pulumi.Output<T>>)[name]!;
}

const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

export function registerMailjet(section: ResolvedStack["mailjet"], outputs: Outputs): void {
  for (const t of section.templates) {
    const p = t.props;
    const res = new VendorResource(
      "mailjet:Template",
      t.key,
      {
        ...templateKind.normalize(
          defined({
            name: p.name,
            ownerType: p.ownerType,
            purposes: p.purposes && [...p.purposes],
            locale: p.locale,
            description: p.description,
            categories: p.categories && [...p.categories],
            editMode: p.editMode,
            isTextPartGenerationEnabled: p.isTextPartGenerationEnabled,
            content: p.content && defined({ headers: p.content.headers && { ...p.content.headers }, html: p.content.html, text: p.content.text, mjml: p.content.mjml }),
          }) as unknown as TemplateInputs,
        ),
        adopt: t.options.adopt,
        path: t.address,
        // Output properties, filled by the provider.
        templateId: undefined,
        ownerId: undefined,
      },
      { protect: t.options.protect, retainOnDelete: t.options.retainOnDelete },
    );
    outputs[`mailjet.templates.${t.key}.id`] = res.id;
  }

  for (const k of section.apiKeys) {
    const res = new VendorResource(
      "mailjet:ApiKey",
      k.key,
      {
        ...apiKeyKind.normalize(defined({ name: k.props.name, active: k.props.active }) as { name: string; active: boolean }),
        adopt: k.options.adopt,
        path: k.address,
        keyId: undefined,
        apiKey: undefined,
        secretKey: undefined,
      },
      { protect: k.options.protect, retainOnDelete: k.options.retainOnDelete, additionalSecretOutputs: [...(apiKeyKind.secretOutputs ?? [])] },
    );
    outputs[`mailjet.apiKeys.${k.key}.id`] = res.id;
    outputs[`mailjet.apiKeys.${k.key}.apiKey`] = outputOf<string>(res, "apiKey");
    outputs[`mailjet.apiKeys.${k.key}.secretKey`] = pulumi.secret(outputOf<string | undefined>(res, "secretKey"));
  }
}

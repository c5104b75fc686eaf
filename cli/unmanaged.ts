/**
 * The unmanaged-object scan of `mailform drift`: live objects of the managed kinds that no entry
 * of the stack declares and the stack's state does not hold (a full-access key made by hand, a
 * teammate invited from the web UI). Per kind, the stack file's `unmanaged:` policy says whether
 * they are reported and which names to leave out; API keys, tokens, teammates and Mailtrap account
 * accesses are reported by default. Costs one listing per reported kind and account (the adoption
 * listing, `existing.list`; the accounts are the vendor's default one and each SendGrid subuser the
 * stack's entries name),
 * plus one read per reported object whose listing is partial (a SendGrid key's scopes), so that
 * full access can be flagged. The credential the run itself calls with is never reported where
 * the vendor's listing can tell (SendGrid, Mailjet: `ownCredential`); Mailtrap's token list does
 * not say which token a request used, so there the policy's `ignore` names it.
 */
import * as path from "node:path";
import { loadStack } from "../config";
import { KINDS } from "../providers/kinds";
import type { KindDefinition, LiveObject } from "../providers/resource";
import * as settings from "../providers/settings";
import { stackConfig } from "./adopt-lookup";
import { managedIds, managedKey } from "./export";

/** Kinds reported unless the policy says `report: false`: who and what can act on the account. */
export const REPORTED_BY_DEFAULT: readonly string[] = ["sendgrid.apiKeys", "sendgrid.teammates", "mailtrap.apiTokens", "mailtrap.accountAccesses", "mailjet.apiKeys"];

/** The credential setting that says a vendor is configured for this stack. */
const CREDENTIAL: Record<string, string> = { mailtrap: "mailtrapApiToken", sendgrid: "sendgridApiKey", mailjet: "mailjetApiKey" };

export interface UnmanagedObject {
  vendor: string;
  kind: string;
  /** Where such objects are declared: `sendgrid.apiKeys`. */
  path: string;
  id: string;
  /** Its natural key as messages show it: `name "Ops"`. */
  name: string;
  /** Its managed fields under their YAML names (scopes, permissions). */
  fields: Record<string, unknown>;
  /** What a reviewer must not miss (`full access (no scopes): ...`). */
  risks: string[];
}

/** `*` matches any run of characters; everything else is itself. */
const matcher = (pattern: string) => new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`, "s");

/** The text of a natural key (`name "Ops"` -> `Ops`), for the policy's patterns. */
const keyValue = (naturalKey: string) => /"((?:[^"\\]|\\.)*)"/.exec(naturalKey)?.[1] ?? naturalKey;

/** The accounts (values of `field`) the stack's entries of `vendor` name. */
function accountsNamed(entries: readonly { address: string; props: Record<string, unknown> }[], vendor: string, field: string): string[] {
  return entries.filter((e) => e.address.startsWith(`${vendor}.`)).map((e) => e.props[field]).filter((v): v is string => typeof v === "string" && v.trim() !== "").map((v) => v.trim());
}

export async function scanUnmanaged(opts: { stack: string; cwd: string }): Promise<UnmanagedObject[]> {
  const file = path.join(opts.cwd, "stacks", `${opts.stack}.yaml`);
  const loaded = loadStack(file);
  if (!loaded.ok) throw new Error(`${file} is not valid; run mailform validate`);
  const policy = loaded.stack.unmanaged;
  const config = await stackConfig(opts.stack, opts.cwd);
  if (config) settings.useStackConfig({ get: (k) => config[k] });
  const managed = await managedIds(opts);

  const found: UnmanagedObject[][] = await Promise.all(
    (KINDS as KindDefinition<object, object>[])
      .filter((def) => !def.yamlPath.includes("*") && def.existing)
      .map(async (def) => {
        const p = policy[def.yamlPath];
        const vendor = def.kind.split(":")[0]!;
        // Only the accounts this stack manages: a vendor it declares entries of, whose credentials
        // its config holds, or whose kinds the policy names. Credentials for another vendor that are
        // only in the environment (used by other tools) are not this stack's.
        const credential = CREDENTIAL[vendor] as settings.SettingName;
        const inStack =
          p !== undefined ||
          loaded.stack.resources.some((r) => r.address.startsWith(`${vendor}.`)) ||
          !!config?.[`mailform:${settings.SETTINGS[credential].config}`];
        if (!inStack || !(p?.report ?? REPORTED_BY_DEFAULT.includes(def.yamlPath)) || !settings.setting(credential)) return [];
        const ignored = (p?.ignore ?? []).map(matcher);
        // Each account the stack's entries of this vendor name (SendGrid subusers), and the default one.
        const field = def.accountField as string | undefined;
        const accounts = field === undefined ? [undefined] : [...new Set([undefined, ...accountsNamed(loaded.stack.resources, vendor, field)])];
        const live = (await Promise.all(accounts.map((a) => def.existing!.list((a === undefined ? {} : { [field!]: a }) as object)))).flat();
        const strays = live.filter(
          (o) =>
            !managed.has(managedKey(def, o.id, o.inputs)) &&
            !def.ownCredential?.(o) &&
            !ignored.some((m) => m.test(keyValue(def.naturalKey(def.normalize(o.inputs))))),
        );
        const complete = await Promise.all(strays.map(async (o) => (def.existing!.complete ? await def.existing!.complete(o, (field === undefined ? {} : { [field]: (o.inputs as Record<string, unknown>)[field] }) as object) : o) ?? o));
        return complete.map((o: LiveObject<object, object>) => {
          const inputs = def.normalize(o.inputs);
          return {
            vendor,
            kind: def.kind.split(":")[1]!,
            path: def.yamlPath,
            id: o.id,
            name: def.naturalKey(inputs),
            fields: { ...inputs },
            risks: def.risks?.(inputs) ?? [],
          };
        });
      }),
  );
  return found.flat();
}

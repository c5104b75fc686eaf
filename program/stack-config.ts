/**
 * The stack's config as the front end checks it (config's `StackConfigLookup`): whether a key is
 * set, and whether as a secret; its values are never read here. Used by the program and the API.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfigLookup } from "../config";

export function stackConfigLookup(): StackConfigLookup {
  const config = pulumi.runtime.allConfig();
  // The language host lists the secret keys (Pulumi's own and ours, engine/langhost/run.go).
  const secretKeys = process.env.PULUMI_CONFIG_SECRET_KEYS;
  const secret = secretKeys === undefined ? undefined : new Set<string>(JSON.parse(secretKeys) as string[]);
  // Without that list, a key that is set counts as a secret.
  return (key) => (config[key] === undefined ? undefined : !secret || secret.has(key) ? "secret" : "plain");
}

/**
 * Every resource kind mailform manages, by Pulumi type token. The serialized stub in entry.ts
 * asks this registry for the implementation of its kind at run time.
 */
import type * as pulumi from "@pulumi/pulumi";
import { KINDS } from "./kinds";
import { lifecycle } from "./resource";

const providers = new Map(KINDS.map((def) => [def.kind, lifecycle(def)]));

export function provider(kind: string): pulumi.dynamic.ResourceProvider {
  const found = providers.get(kind);
  if (!found) {
    throw new Error(`mailform: unknown resource kind ${kind}; this state was written by a newer mailform? Upgrade mailform.`);
  }
  return found;
}

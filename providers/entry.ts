/**
 * The part of mailform that Pulumi serializes into state with every resource (`__provider`).
 *
 * It is deliberately tiny and stable: it captures only the resource kind and, at run time,
 * loads the implementation from `providers/runtime.cjs` in the project the engine runs in. So
 * state stays small, nothing heavy or native is serialized, credentials are never captured, a
 * new release of mailform changes no stored provider text, and the code that runs for update,
 * refresh and delete is always the current one. Changing this file changes every resource's
 * `__provider`: don't, without a reason.
 */
import type * as pulumi from "@pulumi/pulumi";

export function thinProvider(kind: string): pulumi.dynamic.ResourceProvider {
  // The dynamic-provider process runs in the Pulumi project's root directory. No `check`: the
  // life cycle normalizes inputs in diff, create and update, and every byte here is stored per
  // resource.
  const m = () => require(require("path").resolve("providers/runtime.cjs")).provider(kind);
  return {
    configure: (r) => m().configure(r),
    diff: (i, o, n) => m().diff(i, o, n),
    create: (n) => m().create(n),
    read: (i, p) => m().read(i, p),
    update: (i, o, n) => m().update(i, o, n),
    delete: (i, p) => m().delete(i, p),
  };
}

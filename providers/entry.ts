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
  // The dynamic-provider process runs with the Pulumi project directory as its working directory.
  const impl = () => require(require("path").resolve("providers/runtime.cjs")).provider(kind);
  return {
    configure: (req) => impl().configure(req),
    check: (olds, news) => impl().check(olds, news),
    diff: (id, olds, news) => impl().diff(id, olds, news),
    create: (inputs) => impl().create(inputs),
    read: (id, props) => impl().read(id, props),
    update: (id, olds, news) => impl().update(id, olds, news),
    delete: (id, props) => impl().delete(id, props),
  };
}

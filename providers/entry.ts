/**
 * The part of mailform that Pulumi serializes into state with every resource (`__provider`, stored
 * twice: in inputs and outputs).
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
  // One serialized function instead of one per operation: the dynamic-provider process calls
  // `configure` first on every provider it deserializes, synchronously before any other operation
  // can reach it, and `configure` replaces itself and the other operations with the current
  // implementation. The process runs in the project root. The cast: `create` arrives that way.
  return {
    configure(r) {
      return Object.assign(this, require(require("path").resolve("providers/runtime.cjs")).provider(kind)).configure(r);
    },
  } as pulumi.dynamic.ResourceProvider;
}

/**
 * The Pulumi program: the desired state in stacks/<stack>.yaml becomes one dynamic resource per
 * entry. Invalid input stops here, before any resource is registered or any API is called.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { formatErrors, loadStack } from "../config";
import { registerStack } from "./register";
import { stackConfigLookup } from "./stack-config";
import { withoutPromiseStackTraces } from "./resource";

const file = path.join("stacks", `${pulumi.getStack()}.yaml`);
if (!fs.existsSync(file)) {
  // An absent file is not an empty desired state: applying "nothing" would delete everything.
  throw new pulumi.RunError(`${file} not found: create it to describe the desired state of stack ${pulumi.getStack()} (see docs/stack-format.md)`);
}
// The secrets entries name by stack config key must be set, as secrets (program/stack-config.ts).
const loaded = loadStack(file, { stackConfig: stackConfigLookup() });
if (!loaded.ok) {
  // RunError prints the message alone: the located errors are the whole story, not a stack trace.
  throw new pulumi.RunError(`${file} is not valid:\n${formatErrors([...loaded.errors, ...loaded.warnings])}`);
}

/**
 * The resources are registered from a callback of their own (setImmediate), once the engine's
 * launcher has loaded this module: the SDK stores each resource's whole call stack in state (every
 * frame mapped through source maps as it is registered), and from there the stack holds only
 * mailform's frames: 5 instead of 13 (the launcher's and the module loader's), about 500 bytes
 * less per resource. Its source position is the same (program/register.ts). The SDK calls an
 * exported function and takes what it resolves to as the stack outputs.
 */
const registered = (): Promise<{ resources: Record<string, pulumi.Output<unknown>> }> =>
  new Promise((resolve, reject) =>
    setImmediate(() => {
      try {
        const outputs: Record<string, pulumi.Output<unknown>> = {};
        withoutPromiseStackTraces(() => registerStack(loaded.stack, outputs));
        resolve({ resources: outputs });
      } catch (e) {
        reject(e);
      }
    }),
  );
export = registered;

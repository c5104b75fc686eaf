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
 * The SDK calls an exported function and takes what it resolves to as the stack outputs. (Each
 * resource's source position is its entry in the stack file: program/resource.ts.)
 */
const registered = async (): Promise<{ resources: Record<string, pulumi.Output<unknown>> }> => {
  const outputs: Record<string, pulumi.Output<unknown>> = {};
  withoutPromiseStackTraces(() => registerStack(loaded.stack, outputs));
  return { resources: outputs };
};
export = registered;

/**
 * The Pulumi program: the desired state in stacks/<stack>.yaml becomes one dynamic resource per
 * entry. Invalid input stops here, before any resource is registered or any API is called.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { formatErrors, loadStack } from "../config";
import { registerMailtrap } from "./mailtrap";

const file = path.join("stacks", `${pulumi.getStack()}.yaml`);
const outputs: Record<string, pulumi.Output<unknown>> = {};
if (fs.existsSync(file)) {
  const loaded = loadStack(file);
  if (!loaded.ok) throw new Error(`${file} is not valid:\n${formatErrors([...loaded.errors, ...loaded.warnings])}`);
  registerMailtrap(loaded.stack.mailtrap, outputs);
}

export const resources = outputs;

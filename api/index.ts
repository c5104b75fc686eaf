/**
 * mailform's resources for Pulumi programs written in code (`import { mailtrap } from "mailform"`),
 * next to other infrastructure: each vendor's section takes what that section of a stack file
 * holds, typed by the types generated from schemas/stack.schema.json, and goes through the same
 * front end (schema, semantic checks, body files, natural keys) and the same registration as a
 * stack file: the same resources, providers and stack-output names.
 *
 *   const staging = mailtrap.resources({ projects: { staging: { name: "Staging" } } });
 *   export const projectId = staging["mailtrap.projects.staging.id"];
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { stringify } from "yaml";
import { formatErrors, loadStackText } from "../config";
import type { Stack } from "../config/stack.generated";
import { registerStack, type StackOutputs } from "../program/register";
import { withoutPromiseStackTraces } from "../program/resource";
import { stackConfigLookup } from "../program/stack-config";

export type * from "../config/stack.generated";
export type { StackOutputs };

type Vendor = keyof Stack;

export interface VendorSection<V extends Vendor> {
  /**
   * Registers one resource per entry of `desired` (the vendor's section of a stack file) and
   * returns their outputs under the names a stack file's stack outputs have
   * (`<vendor>.<collection>.<key>.<output>`). Invalid input throws before anything is registered,
   * naming the field; `{ file: ... }` bodies are read relative to the program's directory.
   */
  resources(desired: NonNullable<Stack[V]>): StackOutputs;
}

function section<V extends Vendor>(vendor: V): VendorSection<V> {
  return {
    resources(desired) {
      // Checked as the stack file it would be (one front end): errors name the fields as there.
      const origin = path.resolve(`mailform ${vendor}.resources()`);
      const loaded = loadStackText(origin, stringify({ [vendor]: desired }), { stackConfig: stackConfigLookup() });
      if (!loaded.ok) throw new pulumi.RunError(`${vendor}.resources(): the desired state is not valid:\n${formatErrors([...loaded.errors, ...loaded.warnings])}`);
      const outputs: StackOutputs = {};
      withoutPromiseStackTraces(() => registerStack(loaded.stack, outputs));
      return outputs;
    },
  };
}

export const mailtrap = section("mailtrap");
export const sendgrid = section("sendgrid");
export const mailjet = section("mailjet");

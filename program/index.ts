/**
 * The Pulumi program: the desired state in stacks/<stack>.yaml becomes one dynamic resource per
 * entry. Invalid input stops here, before any resource is registered or any API is called.
 */
import * as path from "node:path";
import * as fs from "node:fs";
import * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { VendorResource } from "./resource";

const file = path.join("stacks", `${pulumi.getStack()}.yaml`);
const desired = fs.existsSync(file) ? parse(fs.readFileSync(file, "utf8")) ?? {} : {};

const projects = desired.mailtrap?.projects ?? {};
const outputs: Record<string, pulumi.Output<unknown>> = {};
for (const [key, entry] of Object.entries<any>(projects)) {
  const res = new VendorResource("mailtrap:Project", key, { name: entry.name, adopt: entry.adopt, path: `mailtrap.projects.${key}` }, {
    protect: entry.protect,
    retainOnDelete: entry.retainOnDelete,
  });
  outputs[`mailtrap.projects.${key}.id`] = res.id;
}

export const resources = outputs;

/**
 * A new release of mailform (changed provider code) must not show up as a diff on an unchanged
 * stack, and the new code must be what runs for update, refresh and delete of resources created
 * by the old one. State stored with the earlier, larger stub (one serialized function per
 * operation) keeps working the same way.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { providerModule } from "../../providers/entry";
import { TestProject } from "../support/project";

const token = DEFAULT_CREDENTIALS.mailtrap.apiToken;
const stackYaml = (name: string) => `mailtrap:\n  projects:\n    upgrade:\n      name: ${name}\n`;

/** Simulates the next release: every operation of the project kind leaves a trace in a file. */
function releaseNewProviderCode(dir: string): string {
  const file = path.join(dir, "providers", "mailtrap", "project.ts");
  const trace = path.join(dir, "provider-v2.log");
  const source = fs.readFileSync(file, "utf8");
  let changed = `// mailform vNext\n${source}`;
  // A refresh reads projects through their listing (issue 20): `list` is its read.
  for (const op of ["list(inputs)", "update(id, olds, news)", "delete(id, props)"]) {
    const head = `async ${op} {`;
    expect(changed).toContain(head);
    const name = op.slice(0, op.indexOf("("));
    changed = changed.replace(head, `${head}\n    require("node:fs").appendFileSync(${JSON.stringify(trace)}, "${name}\\n");`);
  }
  fs.writeFileSync(file, changed);
  return trace;
}

let emu: RunningEmulators;
beforeAll(async () => {
  emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
});
afterAll(async () => {
  await emu?.close();
});

describe("provider code changes between releases", () => {
  let project: TestProject;
  beforeAll(async () => {
    project = await TestProject.create({ copyProviders: true, endpoints: { mailtrap: { url: emu.urls.mailtrap, token } } });
  });
  afterAll(() => project?.remove());

  it("shows no diff and runs the new code for update, refresh and delete", async () => {
    project.writeStack(stackYaml("Upgrade"));
    await project.up();
    const before = await project.exportState();
    const providerBefore = before.resources.find((r) => r.type === "pulumi-nodejs:dynamic/mailtrap:Project")?.outputs?.__provider;

    const trace = releaseNewProviderCode(project.dir);
    // Until the release is compiled, the provider refuses to run the stale dist/ (no silent old code).
    const stale = await project.run(["refresh", "--yes", "--skip-preview"]);
    expect(stale.code).not.toBe(0);
    expect(stale.stdout + stale.stderr).toContain("is out of date: providers/mailtrap/project.ts changed. Run: bash engine/setup.sh");
    await project.build();

    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect(fs.existsSync(trace)).toBe(false); // preview ran no CRUD operation

    project.writeStack(stackYaml("Upgrade renamed"));
    await project.up();
    const after = await project.exportState();
    const providerAfter = after.resources.find((r) => r.type === "pulumi-nodejs:dynamic/mailtrap:Project")?.outputs?.__provider;
    expect(providerBefore).toBeTypeOf("string");
    expect(providerAfter, "the stored provider text does not change with a release").toBe(providerBefore);

    await project.must(["refresh", "--yes", "--skip-preview"]);
    await project.destroy();
    expect(fs.readFileSync(trace, "utf8").trim().split("\n")).toEqual(["update", "list", "delete"]);
  });
});

/** `__provider` texts earlier releases stored for a mailtrap:Project, oldest first. */
const EARLIER_STUBS = [
  ["one serialized function per operation", "provider-stub-per-operation.txt"],
  ["one serialized configure function", "provider-stub-configure.txt"],
  // Until the npm package: providers/runtime.cjs by a path relative to the project directory.
  ["one line, the runtime by a project-relative path", "provider-stub-project-relative.txt"],
  // The first npm package: `mailform/providers/runtime.cjs`, resolved from the project's package.json.
  ["one line, the runtime resolved from package.json", "provider-stub-package-json.txt"],
] as const;

describe.each(EARLIER_STUBS)("state stored with an earlier stub (%s)", (_what, fixture) => {
  let project: TestProject;
  const earlierStub = fs.readFileSync(path.join(__dirname, "fixtures", fixture), "utf8");
  beforeAll(async () => {
    project = await TestProject.create({ endpoints: { mailtrap: { url: emu.urls.mailtrap, token } } });
  });
  afterAll(() => project?.remove());

  it("shows no diff, refreshes and deletes through the current code", async () => {
    project.writeStack(stackYaml("Earlier stub"));
    await project.up();
    const { text } = await project.exportState();
    const deployment = JSON.parse(text);
    const stored = deployment.deployment.resources.find((r: { type: string }) => r.type === "pulumi-nodejs:dynamic/mailtrap:Project");
    expect(earlierStub).toContain(`"mailtrap:Project"`);
    expect(earlierStub).not.toBe(stored.inputs.__provider);
    expect(Object.keys(stored.inputs), "adopt: false, the default, is not stored").not.toContain("adopt");
    stored.inputs.__provider = stored.outputs.__provider = earlierStub;
    const file = path.join(project.dir, "earlier.json");
    fs.writeFileSync(file, JSON.stringify(deployment));
    await project.must(["stack", "import", "--file", file]);

    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    const admin = new AdminClient(emu.urls.admin);
    await admin.patchObject("mailtrap", "projects", stored.id, { name: "Drifted" });
    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code, "read through the earlier stub sees the drift").not.toBe(0);
    expect(drift.stdout).toContain("Drifted");

    // Today's stub replaces the earlier one in inputs at the next up, and in outputs at the next
    // update of the object (an up with no change makes no vendor call to rewrite it).
    project.writeStack(stackYaml("Earlier stub renamed"));
    await project.up();
    const rewritten = (await project.exportState()).resources.find((r) => r.type === "pulumi-nodejs:dynamic/mailtrap:Project");
    expect(rewritten?.inputs?.__provider).toBe(providerModule("mailtrap:Project"));
    expect(rewritten?.outputs?.__provider).toBe(providerModule("mailtrap:Project"));

    await project.destroy();
    expect(await admin.listObjects("mailtrap", "projects")).toEqual([]);
  });
});

/**
 * The walking skeleton: a Mailtrap project through the real Pulumi CLI and engine against the
 * Mailtrap emulator: create, in-place rename, convergence, drift caught by refresh, repair,
 * destroy; plus what the engine stores per resource.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { AdminClient } from "../../emulators/admin-client";
import { TestProject } from "../support/project";
import { providerModule } from "../../providers/entry";

const token = DEFAULT_CREDENTIALS.mailtrap.apiToken;

async function liveProjects(emu: RunningEmulators): Promise<{ id: number; name: string }[]> {
  const res = await fetch(`${emu.urls.mailtrap}/api/projects`, { headers: { "Api-Token": token } });
  expect(res.status).toBe(200);
  return (await res.json()) as { id: number; name: string }[];
}

const stackYaml = (name: string) => `mailtrap:\n  projects:\n    staging:\n      name: ${name}\n`;

describe("walking skeleton: Mailtrap project through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: { mailtrap: { url: emu.urls.mailtrap, token } } });
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  let firstId: string;

  it("creates the project", async () => {
    project.writeStack(stackYaml("Staging"));
    await project.up();
    const live = await liveProjects(emu);
    expect(live.map((p) => p.name)).toEqual(["Staging"]);
    firstId = String(live[0].id);
  });

  it("renames it in place with one PATCH and converges", async () => {
    await admin.resetRequestCounts();
    project.writeStack(stackYaml("Staging EU"));
    await project.up();
    const live = await liveProjects(emu);
    expect(live).toEqual([expect.objectContaining({ id: Number(firstId), name: "Staging EU" })]);
    const counts = await admin.requestCounts();
    expect(counts.filter((c) => c.vendor === "mailtrap" && c.method === "POST")).toEqual([]);
    expect(counts.filter((c) => c.vendor === "mailtrap" && c.method === "PATCH").reduce((n, c) => n + c.count, 0)).toBe(1);

    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  });

  it("catches an out-of-band rename on refresh, names the field, and repairs it", async () => {
    await admin.patchObject("mailtrap", "projects", firstId, { name: "Renamed in the web UI" });

    const plain = await project.previewNoChanges();
    expect(plain.code, "without refresh the state still says converged").toBe(0);

    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    expect(drift.stdout).toMatch(/name\s*:\s*"Renamed in the web UI"\s*=>\s*"Staging EU"/);

    await project.up(["--refresh"]);
    expect((await liveProjects(emu)).map((p) => p.name)).toEqual(["Staging EU"]);
    const after = await project.previewNoChanges(["--refresh"]);
    expect(after.code, after.stdout).toBe(0);
  });

  it("recreates a project deleted out of band", async () => {
    await admin.deleteObject("mailtrap", "projects", firstId);
    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    await project.up(["--refresh"]);
    const live = await liveProjects(emu);
    expect(live.map((p) => p.name)).toEqual(["Staging EU"]);
    firstId = String(live[0].id);
  });

  it("stores no credential in plaintext and a small serialized provider", async () => {
    const state = await project.exportState();
    expect(state.text).not.toContain(token);
    const config = fs.readFileSync(path.join(project.dir, `Pulumi.${project.stack}.yaml`), "utf8");
    expect(config).not.toContain(token);
    const dynamic = state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    expect(dynamic.length).toBe(1);
    for (const r of dynamic) {
      // The one-line loader of its kind, and no bookkeeping besides the managed fields.
      expect(r.inputs?.__provider).toBe(providerModule(r.type.slice("pulumi-nodejs:dynamic/".length)));
      expect(r.outputs?.__provider).toBe(r.inputs?.__provider);
      expect(Buffer.byteLength(String(r.outputs?.__provider))).toBeLessThan(200);
      expect(Object.keys(r.inputs ?? {}).sort()).toEqual(["__provider", "apiVersion", "name"]);
      // Its source position is the entry in the stack file (line 3, column 5: its key), the whole
      // stack trace that one place.
      expect(r.sourcePosition).toBe(`project:///stacks/${project.stack}.yaml#3,5`);
      expect(r.stackTrace).toEqual([{ sourcePosition: r.sourcePosition }]);
    }
  });

  it("keeps the project's share links (bearer URLs) encrypted in state", async () => {
    const [live] = (await (
      await fetch(`${emu.urls.mailtrap}/api/projects`, { headers: { "Api-Token": token } })
    ).json()) as { share_links: { admin: string; viewer: string } }[];
    expect(live!.share_links.admin).toMatch(/^https?:\/\//);
    const state = await project.exportState();
    expect(state.text).not.toContain(live!.share_links.admin);
    expect(state.text).not.toContain(live!.share_links.viewer);
    const [resource] = state.resources.filter((r) => r.type.endsWith("mailtrap:Project"));
    expect(JSON.stringify(resource!.outputs?.shareLinks)).toContain("ciphertext");
  });

  it("destroys it", async () => {
    await project.destroy();
    expect(await liveProjects(emu)).toEqual([]);
  });
});

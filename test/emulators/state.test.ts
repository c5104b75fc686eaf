/** The state file: loaded at start, saved on close and on admin request, ids continue. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { request, TOKEN } from "./helpers";

const dir = mkdtempSync(join(tmpdir(), "mailform-emulator-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const mt = (base: string, method: string, path: string, body?: unknown) =>
  request(base, method, path, { body, headers: { "Api-Token": TOKEN } });

describe("state file", () => {
  it("round-trips through close() and a new start, ids continuing", async () => {
    const file = join(dir, "nested", "state.json");
    const first = await startEmulators({ stateFile: file });
    const project = (await mt(first.urls.mailtrap, "POST", "/api/projects", { project: { name: "Kept" } })).json;
    const sandbox = (await mt(first.urls.mailtrap, "POST", `/api/projects/${project.id}/sandboxes`, { sandbox: { name: "Kept box" } })).json;
    await new AdminClient(first.urls.admin).patchObject("mailtrap", "sandboxes", sandbox.id, { emails_count: 3 });
    await first.close();
    const saved = JSON.parse(readFileSync(file, "utf8"));
    expect(saved).toMatchObject({ format: "mailform-emulator-state", version: 1 });

    const second = await startEmulators({ stateFile: file });
    try {
      const reloaded = (await mt(second.urls.mailtrap, "GET", `/api/projects/${project.id}`)).json;
      expect(reloaded).toEqual({ ...project, sandboxes: [{ ...sandbox, emails_count: 3 }] });
      const next = (await mt(second.urls.mailtrap, "POST", "/api/projects", { project: { name: "New" } })).json;
      expect(next.id).toBe(project.id + 1);
    } finally {
      await second.close();
    }
  });

  it("saves and loads on admin request, replacing the state", async () => {
    const emu = await startEmulators({ stateDir: dir });
    const admin = new AdminClient(emu.urls.admin);
    try {
      const file = join(dir, "snapshot.json");
      await mt(emu.urls.mailtrap, "POST", "/api/projects", { project: { name: "Snapshot" } });
      await admin.saveState(file);
      await mt(emu.urls.mailtrap, "POST", "/api/projects", { project: { name: "After" } });
      expect((await mt(emu.urls.mailtrap, "GET", "/api/projects")).json).toHaveLength(2);
      await admin.loadState(file);
      expect((await mt(emu.urls.mailtrap, "GET", "/api/projects")).json.map((p: { name: string }) => p.name)).toEqual(["Snapshot"]);
      await admin.reset();
      expect((await mt(emu.urls.mailtrap, "GET", "/api/projects")).json).toEqual([]);
    } finally {
      await emu.close();
    }
  });

  it("refuses to load a file that is not a state file, and to save without a file", async () => {
    const emu = await startEmulators({ stateDir: dir });
    const admin = new AdminClient(emu.urls.admin);
    try {
      const bogus = join(dir, "bogus.json");
      writeFileSync(bogus, JSON.stringify({ hello: "world" }));
      await expect(admin.loadState(bogus)).rejects.toMatchObject({ status: 400 });
      await expect(admin.loadState(join(dir, "missing.json"))).rejects.toMatchObject({ status: 400 });
      await expect(admin.saveState()).rejects.toMatchObject({ status: 400 });
    } finally {
      await emu.close();
    }
  });

  it("fails to start on a corrupt state file rather than starting empty", async () => {
    const corrupt = join(dir, "corrupt.json");
    writeFileSync(corrupt, "{not json");
    await expect(startEmulators({ stateFile: corrupt })).rejects.toThrow();
  });
});

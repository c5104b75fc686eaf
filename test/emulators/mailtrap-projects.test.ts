/** Mailtrap projects and sandboxes over the v2 `current` paths, plus the admin objects surface. */
import { beforeEach, describe, expect, it } from "vitest";
import { ACCOUNT_ID, useEmulators } from "./helpers";

const t = useEmulators();

beforeEach(async () => {
  await t.admin.reset();
});

describe("Mailtrap projects (current paths)", () => {
  it("creates, reads, lists, renames and deletes a project", async () => {
    const created = await t.mt("POST", "/api/projects", { project: { name: "Staging" } });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ name: "Staging", sandboxes: [], permissions: { can_read: true } });
    expect(Number.isInteger(created.json.id)).toBe(true);
    const id = created.json.id as number;

    const second = await t.mt("POST", "/api/projects", { project: { name: "Production" } });
    expect(second.json.id).toBeGreaterThan(id);

    expect((await t.mt("GET", `/api/projects/${id}`)).json).toEqual(created.json);
    const list = await t.mt("GET", "/api/projects");
    expect(list.json.map((p: { name: string }) => p.name)).toEqual(["Staging", "Production"]);

    const renamed = await t.mt("PATCH", `/api/projects/${id}`, { project: { name: "Staging EU" } });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ id, name: "Staging EU" });

    const deleted = await t.mt("DELETE", `/api/projects/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ id });
    expect((await t.mt("GET", `/api/projects/${id}`)).status).toBe(404);
    expect((await t.mt("GET", `/api/projects/${id}`)).json).toEqual({ error: "Not Found" });
  });

  it("embeds the project's sandboxes and deletes them with the project", async () => {
    const { id } = (await t.mt("POST", "/api/projects", { project: { name: "Apps" } })).json;
    const sandbox = await t.mt("POST", `/api/projects/${id}/sandboxes`, { sandbox: { name: "QA" } });
    expect(sandbox.status).toBe(200);
    expect(sandbox.json).toMatchObject({ name: "QA", project_id: id, status: "active", smtp_ports: [25, 465, 587, 2525] });
    expect(typeof sandbox.json.username).toBe("string");
    expect(typeof sandbox.json.password).toBe("string");
    const project = (await t.mt("GET", `/api/projects/${id}`)).json;
    expect(project.sandboxes).toEqual([sandbox.json]);

    await t.mt("DELETE", `/api/projects/${id}`);
    expect((await t.mt("GET", `/api/sandboxes/${sandbox.json.id}`)).status).toBe(404);
    expect((await t.mt("GET", "/api/sandboxes")).json).toEqual([]);
  });

  it("validates the name: 2..100 characters, present, a string", async () => {
    const short = await t.mt("POST", "/api/projects", { project: { name: "x" } });
    expect(short.status).toBe(422);
    expect(short.json).toEqual({ errors: { name: ["is too short (minimum is 2 characters)"] } });
    const long = await t.mt("POST", "/api/projects", { project: { name: "x".repeat(101) } });
    expect(long.json).toEqual({ errors: { name: ["is too long (maximum is 100 characters)"] } });
    expect((await t.mt("POST", "/api/projects", { project: { name: 12 } })).status).toBe(422);
    expect((await t.mt("POST", "/api/projects", { project: { name: "  " } })).json).toEqual({
      errors: { name: ["can't be blank"] },
    });
    expect((await t.mt("POST", "/api/projects", { name: "no wrapper" })).status).toBe(400);
    expect((await t.mt("POST", "/api/projects", { project: { name: "x".repeat(100) } })).status).toBe(200);
    expect((await t.mt("GET", "/api/projects")).json).toHaveLength(1);
  });

  it("never hands out an id twice, not even after an admin reset", async () => {
    const before = (await t.mt("POST", "/api/projects", { project: { name: "Before" } })).json.id;
    await t.admin.reset();
    const after = (await t.mt("POST", "/api/projects", { project: { name: "After" } })).json.id;
    expect(after).toBeGreaterThan(before);
    expect((await t.mt("GET", `/api/projects/${before}`)).status).toBe(404);
  });

  it("answers 404 for unknown and non-numeric ids", async () => {
    for (const path of ["/api/projects/999999", "/api/projects/abc", "/api/projects/-1", "/api/sandboxes/1.5"]) {
      const res = await t.mt("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.json).toEqual({ error: "Not Found" });
    }
    expect((await t.mt("PATCH", "/api/projects/999999", { project: { name: "Nope" } })).status).toBe(404);
    expect((await t.mt("DELETE", "/api/projects/999999")).status).toBe(404);
  });

  it("serves the same data on the account-scoped paths, and 403 for another account", async () => {
    const { id } = (await t.mt("POST", `/api/accounts/${ACCOUNT_ID}/projects`, { project: { name: "Scoped" } })).json;
    await t.mt("POST", `/api/accounts/${ACCOUNT_ID}/projects/${id}/inboxes`, { inbox: { name: "Inbox" } });
    const current = (await t.mt("GET", `/api/projects/${id}`)).json;
    const scoped = (await t.mt("GET", `/api/accounts/${ACCOUNT_ID}/projects/${id}`)).json;
    expect(scoped.inboxes).toEqual(current.sandboxes);
    expect(scoped).not.toHaveProperty("sandboxes");
    const other = await t.mt("GET", `/api/accounts/${ACCOUNT_ID + 1}/projects`);
    expect(other.status).toBe(403);
    expect(other.json).toEqual({ errors: "Account access forbidden" });
  });
});

describe("admin objects and request counts", () => {
  it("changes and deletes stored objects out of band", async () => {
    const { id } = (await t.mt("POST", "/api/projects", { project: { name: "Staging" } })).json;
    const patched = await t.admin.patchObject("mailtrap", "projects", id, { name: "Renamed in the web UI" });
    expect(patched).toMatchObject({ id, name: "Renamed in the web UI" });
    expect((await t.mt("GET", `/api/projects/${id}`)).json.name).toBe("Renamed in the web UI");
    expect(await t.admin.listObjects("mailtrap", "projects")).toHaveLength(1);

    await t.admin.deleteObject("mailtrap", "projects", id);
    expect((await t.mt("GET", `/api/projects/${id}`)).status).toBe(404);
    await expect(t.admin.getObject("mailtrap", "projects", id)).rejects.toMatchObject({ status: 404 });
  });

  it("drifts read-only sandbox fields", async () => {
    const { id } = (await t.mt("POST", "/api/projects", { project: { name: "Apps" } })).json;
    const sandbox = (await t.mt("POST", `/api/projects/${id}/sandboxes`, { sandbox: { name: "QA" } })).json;
    await t.admin.patchObject("mailtrap", "sandboxes", sandbox.id, { status: "inactive", emails_count: 7 });
    expect((await t.mt("GET", `/api/sandboxes/${sandbox.id}`)).json).toMatchObject({ status: "inactive", emails_count: 7 });
  });

  it("counts requests per vendor, method + route pattern and status", async () => {
    await t.admin.resetRequestCounts();
    const { id } = (await t.mt("POST", "/api/projects", { project: { name: "Counted" } })).json;
    await t.mt("PATCH", `/api/projects/${id}`, { project: { name: "Counted 2" } });
    await t.mt("GET", "/api/projects/123456");
    await t.mt("GET", "/api/projects/123457");
    const counts = await t.admin.requestCounts();
    expect(counts).toEqual(
      expect.arrayContaining([
        { vendor: "mailtrap", method: "POST", route: "/api/projects", status: "200", count: 1 },
        { vendor: "mailtrap", method: "PATCH", route: "/api/projects/{project_id}", status: "200", count: 1 },
        { vendor: "mailtrap", method: "GET", route: "/api/projects/{project_id}", status: "404", count: 2 },
      ]),
    );
    expect(counts).toHaveLength(3);
    expect(await t.admin.countRequests({ vendor: "mailtrap", method: "GET" })).toBe(2);
    await t.admin.resetRequestCounts();
    expect(await t.admin.requestCounts()).toEqual([]);
  });

  it("starts SendGrid and Mailjet stand-ins that answer 404 in their own shapes", async () => {
    const sg = await fetch(`${t.emu.urls.sendgrid}/v3/no-such-endpoint`);
    expect(sg.status).toBe(404);
    expect(await sg.json()).toEqual({ errors: [{ field: null, message: expect.any(String) }] });
    const mj = await fetch(`${t.emu.urls.mailjet}/v3/REST/contact`);
    expect(mj.status).toBe(404);
    expect(await mj.json()).toMatchObject({ ErrorInfo: "", StatusCode: 404 });
    for (const url of Object.values(t.emu.urls)) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});

/**
 * SendGrid teammates through the real Pulumi CLI and engine against the emulator: invitations sent
 * and adopted, acceptance (a state, not drift), drift of scopes named in YAML terms, an invitation
 * withdrawn by hand sent again, in-place updates of `scopes` and `admin` (an accepted teammate
 * PATCHed, a pending invitation sent again), the replacement an email change makes, and the
 * `mailform export` round trip adopted with 0 writes. Each `pulumi up` costs seconds: each step
 * changes several entries at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";
import { adoptsWithNoWrite } from "../support/assertions";
import { vendorApi, type Live } from "../support/vendor-api";

type Doc = Record<string, any>;

describe("SendGrid teammates through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let second: TestProject | undefined;
  const doc: Doc = {
    sendgrid: {
      teammates: {
        ada: { email: "Ada@Example.com", scopes: ["templates.read", "stats.read"] },
        lead: { email: "lead@example.com", admin: true },
        hand: { email: "hand@example.com", scopes: ["mail.send"], adopt: true },
      },
    },
  };
  const write = () => project.writeStack(stringify(doc));
  const teammates = () => admin.listObjects<Live>("sendgrid", "teammates");
  const byEmail = async (email: string) => (await teammates()).find((t) => t.email === email);
  const writes = async () => (await admin.requestCounts()).filter((e) => e.method !== "GET");

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ stack: "team", endpoints: emulatedVendors(emu.urls) });
    // Invited by hand before mailform manages the account, with other scopes.
    await vendorApi(emu, "sendgrid", "POST", "/v3/teammates", { email: "hand@example.com", scopes: ["stats.read"], is_admin: false });
  }, 120_000);

  afterAll(async () => {
    project?.remove();
    second?.remove();
    await emu?.close();
  });

  it("invites, adopts a pending invitation by email, and sends it again with the entry's scopes", async () => {
    write();
    await project.up();
    const ada = await byEmail("ada@example.com");
    expect(ada).toMatchObject({ pending: true, is_admin: false });
    // SendGrid adds the scopes it grants by itself; they never show as a difference.
    expect(ada!.scopes).toEqual(expect.arrayContaining(["templates.read", "stats.read", "2fa_required"]));
    expect(await byEmail("lead@example.com")).toMatchObject({ pending: true, is_admin: true });
    const hand = await byEmail("hand@example.com");
    expect(hand).toMatchObject({ pending: true });
    expect(hand!.scopes).toContain("mail.send");
    expect(hand!.scopes).not.toContain("stats.read");
    expect((await teammates()).length).toBe(3);
    expect(((await project.outputs()).resources as Record<string, unknown>)["sendgrid.teammates.ada.status"]).toBe("pending");
    const quiet = await project.previewNoChanges(["--refresh"]);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
  }, 300_000);

  it("an accepted invitation is not drift; scopes changed and an invitation withdrawn by hand are, in YAML terms", async () => {
    await admin.patchObject("sendgrid", "teammates", "ada@example.com", { pending: false, username: "ada" });
    const none = await project.mailform(["drift"]);
    expect(none.code, none.stdout + none.stderr).toBe(0);

    await vendorApi(emu, "sendgrid", "PATCH", "/v3/teammates/ada", { scopes: ["templates.read"], is_admin: false });
    const lead = await byEmail("lead@example.com");
    await vendorApi(emu, "sendgrid", "DELETE", `/v3/teammates/pending/${lead!.token}`);
    const drift = await project.mailform(["drift", "--format", "json"]);
    expect(drift.code, drift.stderr).toBe(2);
    const report = JSON.parse(drift.stdout);
    const ada = report.objects.find((o: Live) => o.key === "sendgrid.teammates.ada");
    expect(ada).toMatchObject({ kind: "Teammate", status: "changed" });
    expect(ada.fields).toEqual([{ field: "scopes", desired: ["stats.read", "templates.read"], live: ["templates.read"] }]);
    expect(report.objects.find((o: Live) => o.key === "sendgrid.teammates.lead")).toMatchObject({ status: "deleted" });
  }, 300_000);

  it("updates in place: an accepted teammate with one PATCH, a pending invitation sent again; the withdrawn one invited again", async () => {
    doc.sendgrid.teammates.ada.scopes = ["mail.send"];
    doc.sendgrid.teammates.hand = { email: "hand@example.com", admin: true };
    write();
    await admin.resetRequestCounts();
    await project.up(["--refresh"]);
    const ada = await byEmail("ada@example.com");
    expect(ada).toMatchObject({ pending: false, username: "ada", is_admin: false });
    expect(ada!.scopes).toContain("mail.send");
    expect(ada!.scopes).not.toContain("templates.read");
    expect(await byEmail("hand@example.com")).toMatchObject({ pending: true, is_admin: true });
    expect(await byEmail("lead@example.com")).toMatchObject({ pending: true, is_admin: true });
    const w = await writes();
    expect(w.filter((e) => e.method === "PATCH").map((e) => [e.route, e.count])).toEqual([["/v3/teammates/{username}", 1]]);
    expect(((await project.outputs()).resources as Record<string, unknown>)["sendgrid.teammates.ada.status"]).toBe("accepted");
    // An accepted teammate turned admin: the same PATCH.
    doc.sendgrid.teammates.ada = { email: "ada@example.com", admin: true };
    write();
    await project.up();
    expect(await byEmail("ada@example.com")).toMatchObject({ pending: false, is_admin: true });
  }, 300_000);

  it("a new email replaces the teammate: the new address invited, the old teammate removed", async () => {
    doc.sendgrid.teammates.ada.email = "ada.lovelace@example.com";
    write();
    const up = await project.up();
    expect(up.stdout).toMatch(/replaced/);
    expect(await byEmail("ada@example.com")).toBeUndefined();
    expect(await byEmail("ada.lovelace@example.com")).toMatchObject({ pending: true, is_admin: true });
  }, 300_000);

  it("exports the teammates as entries that another stack adopts with no write", async () => {
    const run = await project.mailform(["export", "--out", "stacks/exported.yaml"]);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(project.dir, "stacks", "exported.yaml"), "utf8");
    expect(text).toMatch(/teammates:\n(\s+[\w-]+:\n\s+email: \S+\n(\s+(admin: true|scopes:\n(\s+- \S+\n)+)\n?)?\s+adopt: true\n)+/);
    expect(text.match(/email: /g)?.length).toBe(3);
    second = await adoptsWithNoWrite(text, emu, admin);
  }, 300_000);

  it("reports a hand-made full-access key, token and teammate as unmanaged (text, JSON, markdown; exit 2), one listing per kind, silenced by the policy", async () => {
    const key = await vendorApi(emu, "sendgrid", "POST", "/v3/api_keys", { name: "Made by hand" });
    await vendorApi(emu, "sendgrid", "POST", "/v3/teammates", { email: "stray@example.com", scopes: ["stats.read"], is_admin: false });
    const scratch = await vendorApi(emu, "mailtrap", "POST", "/api/projects", { project: { name: "Scratch" } });
    const token = await vendorApi(emu, "mailtrap", "POST", "/api/api_tokens", {
      name: "Hand token",
      resources: [{ resource_type: "project", resource_id: scratch.id, access_level: 100 }],
    });
    expect(token.id, JSON.stringify(token)).toBeDefined();

    await admin.resetRequestCounts();
    const json = await project.mailform(["drift", "--format", "json"]);
    expect(json.code, json.stdout + json.stderr).toBe(2);
    const report = JSON.parse(json.stdout);
    expect(report.objects).toEqual([]);
    const names = report.unmanaged.map((u: Live) => `${u.path} ${u.name}`).sort();
    expect(names).toEqual(['mailtrap.apiTokens name "Hand token"', 'sendgrid.apiKeys name "Made by hand"', 'sendgrid.teammates email "stray@example.com"']);
    const stray = report.unmanaged.find((u: Live) => u.path === "sendgrid.apiKeys");
    expect(stray).toMatchObject({ id: key.api_key_id, fields: { name: "Made by hand" } });
    expect(stray.risks.join()).toMatch(/full access/);
    // The key this run calls with is the account's own credential, never reported; the key
    // listing is read once, the one reported key once in full (its scopes).
    const counts = await admin.requestCounts();
    const gets = (route: string) => counts.filter((e) => e.method === "GET" && e.route === route).reduce((n, e) => n + e.count, 0);
    expect(gets("/v3/api_keys")).toBe(1);
    expect(gets("/v3/api_keys/{api_key_id}")).toBe(1);
    expect(counts.filter((e) => e.vendor === "mailtrap" && e.method === "GET" && /api_tokens$/.test(e.route)).reduce((n, e) => n + e.count, 0)).toBe(1);

    const text = await project.mailform(["drift"]);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/^\? unmanaged sendgrid ApiKey name "Made by hand" \(id [\w-]+, not declared under sendgrid\.apiKeys\); full access/m);
    expect(text.stdout).toMatch(/^\? unmanaged sendgrid Teammate email "stray@example.com" .*scopes: \["stats\.read"\]/m);
    expect(text.stdout).toMatch(/3 unmanaged object\(s\)/);
    const md = await project.mailform(["drift", "--format", "markdown"]);
    expect(md.code).toBe(2);
    expect(md.stdout).toMatch(/### Unmanaged: live objects no entry declares/);
    expect(md.stdout).toMatch(/\| sendgrid \| ApiKey \| `name "Made by hand"` \| [\w-]+ \| `sendgrid.apiKeys` \| \*\*full access/);
    expect(md.stdout).toMatch(/\| mailtrap \| ApiToken \| `name "Hand token"`/);

    doc.unmanaged = { "sendgrid.apiKeys": { ignore: ["Made by *"] }, "sendgrid.teammates": { ignore: ["*@example.com"] }, "mailtrap.apiTokens": { report: false } };
    write();
    const silenced = await project.mailform(["drift"]);
    expect(silenced.code, silenced.stdout + silenced.stderr).toBe(0);
    expect(silenced.stdout.trim()).toBe(`no drift in stack ${project.stack}`);
  }, 300_000);
});

/**
 * Mailtrap webhooks and account accesses through the real Pulumi CLI and engine against the
 * emulator: webhooks created with their signing secret (a secret output, never in plaintext in
 * state) and adopted; accesses of people invited from the web UI (the admin surface stands in for
 * it: Mailtrap's API cannot invite) taken over by email; drift named in YAML terms; in-place
 * updates with one PATCH or one bulk PUT; a replacement; an out-of-band delete recreated (a
 * webhook) or refused with what to do (an access: only the web UI can invite again); the loss of
 * a removed access in `mailform plan`; the `export` round trip adopted with 0 writes; unmanaged
 * accesses and webhooks in `mailform drift`. Each `pulumi up` costs seconds: each step changes
 * several entries at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { TestProject, emulatedVendors } from "../support/project";
import { adoptsWithNoWrite } from "../support/assertions";
import { vendorApi, type Live } from "../support/vendor-api";

type Doc = Record<string, any>;
const ACCOUNT = DEFAULT_CREDENTIALS.mailtrap.accountId;

describe("Mailtrap webhooks and account accesses through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let second: TestProject | undefined;
  const doc: Doc = {
    mailtrap: {
      projects: { staging: { name: "Staging", inboxes: { qa: { name: "QA" } } } },
      domains: { mail: { domainName: "mail.example.com", protect: false } },
      webhooks: {
        delivery: { url: "https://hooks.example.com/delivery", type: "email_sending", sendingStream: "transactional", events: ["delivery", "bounce"], domain: "mail" },
        audit: { url: "https://hooks.example.com/audit", type: "audit_log" },
        hand: { url: "https://hooks.example.com/hand", type: "email_sending", sendingStream: "bulk", events: ["open", "delivery"], adopt: true },
      },
      accountAccesses: {
        ada: { email: "Ada@Example.com", account: "viewer", permissions: [{ project: "staging", access: "admin" }] },
        grace: { email: "grace@example.com", permissions: [{ inbox: "staging/qa", access: "viewer" }] },
      },
    },
  };
  const write = () => project.writeStack(stringify(doc));
  const webhooks = () => admin.listObjects<Live>("mailtrap", "webhooks");
  const hookAt = async (url: string) => (await webhooks()).find((w) => w.url === url);
  const accesses = () => admin.listObjects<Live>("mailtrap", "account_accesses");
  const accessOf = async (email: string) => (await accesses()).find((a) => a.specifier.email.toLowerCase() === email);
  const counts = async () => (await admin.requestCounts()).filter((e) => e.vendor === "mailtrap");
  const writes = async () => (await counts()).filter((e) => e.method !== "GET").map((e) => `${e.method} ${e.route} ${e.count}`).sort();
  /** A person invited from Mailtrap's web UI: the admin surface stands in for it. */
  const invite = (id: number, email: string, type: "Invite" | "User", resources: Live[]) =>
    admin.putObject("mailtrap", "account_accesses", id, { specifier_type: type, specifier: { id, email, ...(type === "User" ? { name: email.split("@")[0], two_factor_authentication_enabled: false } : {}) }, resources });
  let handId: number;

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ stack: "mtaccess", endpoints: emulatedVendors(emu.urls) });
    // Before mailform manages the account: a webhook made by hand, and two people invited from the web UI.
    handId = (await vendorApi(emu, "mailtrap", "POST", "/api/webhooks", { webhook: { url: "https://hooks.example.com/hand", webhook_type: "email_sending", sending_stream: "bulk", event_types: ["delivery"] } })).data.id;
    await invite(7501, "ada@example.com", "Invite", [{ resource_id: ACCOUNT, resource_type: "account", access_level: 10 }]);
    await invite(7502, "grace@example.com", "User", [{ resource_id: ACCOUNT, resource_type: "account", access_level: 100 }]);
  }, 120_000);

  afterAll(async () => {
    project?.remove();
    second?.remove();
    await emu?.close();
  });

  it("creates webhooks with secret signing secrets, adopts one, and takes over invited people's accesses by email", async () => {
    write();
    await project.up();
    const delivery = await hookAt("https://hooks.example.com/delivery");
    const domain = (await admin.listObjects<Live>("mailtrap", "domains"))[0]!;
    expect(delivery).toMatchObject({ webhook_type: "email_sending", sending_stream: "transactional", event_types: ["bounce", "delivery"], domain_id: domain.id, active: true });
    expect(await hookAt("https://hooks.example.com/audit")).toMatchObject({ webhook_type: "audit_log" });
    expect(await hookAt("https://hooks.example.com/hand")).toMatchObject({ id: handId, event_types: ["delivery", "open"] });
    expect((await webhooks()).length).toBe(3);

    const staging = (await admin.listObjects<Live>("mailtrap", "projects"))[0]!;
    const qa = (await admin.listObjects<Live>("mailtrap", "sandboxes"))[0]!;
    expect((await accessOf("ada@example.com"))!.resources).toEqual([
      { resource_id: ACCOUNT, resource_type: "account", access_level: 10 },
      { resource_id: staging.id, resource_type: "project", access_level: 100 },
    ]);
    // Grace's account admin access is not in her entry: removed.
    expect((await accessOf("grace@example.com"))!.resources).toEqual([{ resource_id: qa.id, resource_type: "sandbox", access_level: 10 }]);

    const state = await project.exportState();
    for (const w of await webhooks()) expect(state.text.includes(w.signing_secret), "a signing secret in plaintext in state").toBe(false);
    const plain = (await project.outputs()).resources as Record<string, unknown>;
    expect(plain["mailtrap.webhooks.delivery.signingSecret"]).toBe("[secret]");
    expect(plain["mailtrap.accountAccesses.ada.status"]).toBe("invited");
    expect(plain["mailtrap.accountAccesses.grace.status"]).toBe("member");
    const shown = (await project.outputs(true)).resources as Record<string, unknown>;
    expect(shown["mailtrap.webhooks.delivery.signingSecret"]).toBe(delivery!.signing_secret);
    // Mailtrap never shows an adopted webhook's secret again.
    expect(shown["mailtrap.webhooks.hand.signingSecret"] ?? null).toBeNull();

    // A no-op preview calls nothing; a refresh lists each collection once.
    await admin.resetRequestCounts();
    const quiet = await project.previewNoChanges();
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
    expect(await counts()).toEqual([]);
    const refreshed = await project.previewNoChanges(["--refresh"]);
    expect(refreshed.code, refreshed.stdout + refreshed.stderr).toBe(0);
    const gets = (await counts()).map((e) => `${e.method} ${e.route} ${e.count}`).sort();
    expect(gets.filter((g) => /webhooks|account_accesses/.test(g))).toEqual(["GET /api/account_accesses 1", "GET /api/webhooks 1"]);
  }, 300_000);

  it("names drift in YAML terms; an accepted invitation is not drift", async () => {
    const delivery = (await hookAt("https://hooks.example.com/delivery"))!;
    await vendorApi(emu, "mailtrap", "PATCH", `/api/webhooks/${delivery.id}`, { webhook: { active: false, event_types: ["delivery"] } });
    await vendorApi(emu, "mailtrap", "DELETE", `/api/webhooks/${(await hookAt("https://hooks.example.com/audit"))!.id}`);
    const staging = (await admin.listObjects<Live>("mailtrap", "projects"))[0]!;
    await vendorApi(emu, "mailtrap", "PUT", "/api/account_accesses/7501/permissions/bulk", { permissions: [{ resource_id: String(staging.id), resource_type: "project", access_level: "viewer" }] });
    await admin.patchObject("mailtrap", "account_accesses", 7501, { specifier_type: "User", specifier: { id: 7501, email: "ada@example.com", name: "Ada", two_factor_authentication_enabled: true } });

    const drift = await project.mailform(["drift", "--format", "json"]);
    expect(drift.code, drift.stderr).toBe(2);
    const report = JSON.parse(drift.stdout);
    const byKey = (key: string) => report.objects.find((o: Live) => o.key === key);
    expect(byKey("mailtrap.webhooks.delivery")).toMatchObject({ kind: "Webhook", status: "changed" });
    expect(byKey("mailtrap.webhooks.delivery").fields.map((f: Live) => f.field).sort()).toEqual(["active", "events"]);
    expect(byKey("mailtrap.webhooks.audit")).toMatchObject({ status: "deleted" });
    expect(byKey("mailtrap.accountAccesses.ada")).toMatchObject({ kind: "AccountAccess", status: "changed" });
    expect(byKey("mailtrap.accountAccesses.ada").fields.map((f: Live) => f.field)).toEqual(["permissions"]);
    expect(report.objects.length).toBe(3);
  }, 300_000);

  it("repairs with one PATCH and one PUT, recreates the deleted webhook with a new secret, updates in place and replaces on a stream change", async () => {
    doc.mailtrap.webhooks.delivery.url = "https://hooks.example.com/delivery-v2";
    doc.mailtrap.webhooks.delivery.payloadFormat = "jsonlines";
    doc.mailtrap.webhooks.hand.sendingStream = "transactional";
    doc.mailtrap.accountAccesses.grace.account = "viewer";
    write();
    const before = (await hookAt("https://hooks.example.com/delivery"))!;
    await admin.resetRequestCounts();
    const up = await project.up(["--refresh"]);
    expect(up.stdout).toMatch(/replaced/);
    // The replaced webhook is deleted: the refresh's own diff of it does not count as keeping it.
    expect(up.stdout + up.stderr).not.toMatch(/was not deleted/);
    expect(await hookAt("https://hooks.example.com/delivery-v2")).toMatchObject({ id: before.id, active: true, payload_format: "jsonlines", event_types: ["bounce", "delivery"] });
    const audit = (await hookAt("https://hooks.example.com/audit"))!;
    const hand = (await hookAt("https://hooks.example.com/hand"))!;
    expect(hand).toMatchObject({ sending_stream: "transactional" });
    expect(hand.id).not.toBe(handId);
    expect((await webhooks()).length).toBe(3);
    expect(await writes()).toEqual([
      "DELETE /api/webhooks/{webhook_id} 1", // the replaced bulk-stream webhook, after its replacement exists
      "PATCH /api/webhooks/{webhook_id} 1",
      "POST /api/webhooks 2", // the audit webhook deleted out of band, and the replacement
      "PUT /api/account_accesses/{account_access_id}/permissions/bulk 2",
    ]);
    const shown = (await project.outputs(true)).resources as Record<string, unknown>;
    expect(shown["mailtrap.webhooks.audit.signingSecret"]).toBe(audit.signing_secret);
    expect(shown["mailtrap.webhooks.hand.signingSecret"]).toBe(hand.signing_secret);
    expect(shown["mailtrap.accountAccesses.ada.status"]).toBe("member");
    expect((await accessOf("ada@example.com"))!.resources).toContainEqual(expect.objectContaining({ resource_type: "project", access_level: 100 }));
    expect((await accessOf("grace@example.com"))!.resources).toContainEqual({ resource_id: ACCOUNT, resource_type: "account", access_level: 10 });
    const quiet = await project.previewNoChanges(["--refresh"]);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
  }, 300_000);

  it("an access removed out of band cannot be made again through the API: up says to invite the person, then converges", async () => {
    await vendorApi(emu, "mailtrap", "DELETE", "/api/account_accesses/7502");
    const failed = await project.run(["up", "--yes", "--skip-preview", "--refresh"]);
    expect(failed.code).not.toBe(0);
    expect(failed.stdout + failed.stderr).toMatch(/nobody with this email has access to the account or an invitation to it.*Invite grace@example.com from Mailtrap's web UI/s);
    await invite(7503, "grace@example.com", "Invite", []);
    await project.up(["--refresh"]);
    expect((await accessOf("grace@example.com"))!.resources.length).toBe(2);
    const quiet = await project.previewNoChanges(["--refresh"]);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
  }, 300_000);

  it("shows what removing an access loses in the plan, then removes it", async () => {
    delete doc.mailtrap.accountAccesses.ada;
    write();
    const plan = await project.mailform(["plan"]);
    expect(plan.stdout).toMatch(/\*\*delete\*\* AccountAccess `mailtrap\.accountAccesses\.ada` \(id 7501\).*Loses the person's access to the account/);
    await project.up();
    expect(await accessOf("ada@example.com")).toBeUndefined();
  }, 300_000);

  it("exports webhooks and accesses as entries that another stack adopts with no write", async () => {
    const run = await project.mailform(["export", "--out", "stacks/exported.yaml"]);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(project.dir, "stacks", "exported.yaml"), "utf8");
    expect(text).toMatch(/accountAccesses:\n\s+grace:\n\s+email: grace@example.com\n\s+account: viewer\n\s+permissions:\n\s+- inbox: [\w-]+\/[\w-]+\n\s+access: viewer\n\s+adopt: true/);
    expect(text.match(/url: https:\/\/hooks\.example\.com/g)?.length).toBe(3);
    second = await adoptsWithNoWrite(text, emu, admin);
  }, 300_000);

  it("reports an access invited by hand as unmanaged by default, a webhook when asked, one listing each, silenced by the policy", async () => {
    await invite(7510, "stray@example.com", "Invite", [{ resource_id: ACCOUNT, resource_type: "account", access_level: 100 }]);
    await vendorApi(emu, "mailtrap", "POST", "/api/webhooks", { webhook: { url: "https://stray.example.com/x", webhook_type: "audit_log" } });
    await admin.resetRequestCounts();
    const json = await project.mailform(["drift", "--format", "json"]);
    expect(json.code, json.stdout + json.stderr).toBe(2);
    const report = JSON.parse(json.stdout);
    expect(report.objects).toEqual([]);
    // The owner (7000) is never reported; the webhooks are not reported unless asked.
    expect(report.unmanaged.map((u: Live) => `${u.path} ${u.name}`)).toEqual(['mailtrap.accountAccesses email "stray@example.com"']);
    expect(report.unmanaged[0].risks.join()).toMatch(/account admin/);
    // One listing for the refresh of the declared accesses, one for the scan.
    expect((await counts()).filter((e) => e.method === "GET" && /account_accesses$/.test(e.route)).reduce((n, e) => n + e.count, 0)).toBe(2);

    doc.unmanaged = { "mailtrap.webhooks": { report: true } };
    write();
    const text = await project.mailform(["drift"]);
    expect(text.code).toBe(2);
    expect(text.stdout).toMatch(/^\? unmanaged mailtrap Webhook url "https:\/\/stray\.example\.com\/x", type audit_log/m);
    expect(text.stdout).toMatch(/^\? unmanaged mailtrap AccountAccess email "stray@example.com"/m);

    doc.unmanaged = { "mailtrap.webhooks": { report: true, ignore: ["https://stray.example.com/*"] }, "mailtrap.accountAccesses": { ignore: ["*@example.com"] } };
    write();
    const silenced = await project.mailform(["drift"]);
    expect(silenced.code, silenced.stdout + silenced.stderr).toBe(0);
  }, 300_000);
});

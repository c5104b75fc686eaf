/**
 * SendGrid's IP allow list and subusers (per-entry `onBehalfOf`) through the real Pulumi CLI and
 * engine against the emulator, which enforces the allow list and scopes every collection by the
 * `On-Behalf-Of` subuser. One stack manages the parent's and a subuser's objects (the same
 * template name in both, a subuser's template adopted); a list that would lock out the caller's own
 * address is refused by preview and by up before any write, naming the file, line and field; a
 * no-op preview makes no vendor call; drift is named in YAML terms in both accounts; an in-place
 * change of the list costs one POST and one DELETE; moving a key between accounts is a replace in
 * the plan; a hand-made key in the subuser is reported as unmanaged; `mailform export` writes both
 * accounts and another stack adopts the file with 0 writes.
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

type Doc = Record<string, any>;
type Obj = Record<string, any>;

const SUB = "eu-shop";

describe("SendGrid IP allow list and subusers through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let second: TestProject | undefined;
  let handTemplateId: string;
  const doc: Doc = {
    sendgrid: {
      templates: {
        welcome: { name: "Welcome", generation: "dynamic" },
        "welcome-eu": { name: "Welcome", generation: "dynamic", onBehalfOf: SUB, adopt: true },
      },
      apiKeys: { shop: { name: "Shop sender", scopes: ["mail.send"], onBehalfOf: SUB } },
      ipAllowLists: { office: { ips: ["127.0.0.1", "203.0.113.0/24"] } },
    },
  };
  const write = () => project.writeStack(stringify(doc));

  /** A SendGrid call with the account's key, for `subuser` when given. */
  async function sg(method: string, p: string, body?: unknown, subuser?: string): Promise<Obj> {
    const res = await fetch(`${emu.urls.sendgrid}${p}`, {
      method,
      headers: {
        Authorization: `Bearer ${DEFAULT_CREDENTIALS.sendgrid.apiKey}`,
        ...(subuser ? { "On-Behalf-Of": subuser } : {}),
        ...(body ? { "Content-Type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    expect(res.status, `${method} ${p}: ${text}`).toBeLessThan(300);
    return text ? JSON.parse(text) : {};
  }
  const owned = async (collection: string, owner: string) => (await admin.listObjects<Obj>("sendgrid", collection)).filter((o) => o.owner === owner);
  const ips = async (owner = "") => (await owned("access_whitelist", owner)).map((r) => r.ip).sort();
  const sendgridCalls = async () => (await admin.requestCounts()).filter((e) => e.vendor === "sendgrid");
  const writes = async () => (await sendgridCalls()).filter((e) => e.method !== "GET");

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ stack: "access", endpoints: emulatedVendors(emu.urls) });
    await sg("POST", "/v3/subusers", { username: SUB, email: "shop@example.com", password: "a long password", ips: [] });
    // Made by hand in the subuser before mailform manages it: adopted by `welcome-eu`.
    handTemplateId = (await sg("POST", "/v3/templates", { name: "Welcome", generation: "dynamic" }, SUB)).id;
  }, 120_000);

  afterAll(async () => {
    project?.remove();
    second?.remove();
    await emu?.close();
  });

  it("manages the parent's and the subuser's objects in one stack; a no-op preview calls nothing", async () => {
    write();
    await project.up();
    const parentTemplates = await owned("templates", "");
    const subTemplates = await owned("templates", SUB);
    expect(parentTemplates.map((t) => t.name)).toEqual(["Welcome"]);
    expect(subTemplates.map((t) => t.id), "the subuser's template adopted, none made beside it").toEqual([handTemplateId]);
    expect((await owned("api_keys", SUB)).map((k) => k.name)).toEqual(["Shop sender"]);
    expect(await owned("api_keys", "")).toEqual([]);
    expect(await ips()).toEqual(["127.0.0.1/32", "203.0.113.0/24"]);

    await admin.resetRequestCounts();
    const quiet = await project.previewNoChanges();
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
    expect(await sendgridCalls(), "vendor calls of a no-op preview").toEqual([]);
    const refreshed = await project.previewNoChanges(["--refresh"]);
    expect(refreshed.code, refreshed.stdout + refreshed.stderr).toBe(0);
  }, 300_000);

  it("refuses a list that would lock out the caller's address at preview and at up, before any write, naming file, line and field", async () => {
    doc.sendgrid.ipAllowLists.office.ips = ["203.0.113.0/24", "198.51.100.*"];
    write();
    const line = fs.readFileSync(path.join(project.dir, "stacks", "access.yaml"), "utf8").split("\n").findIndex((l) => /^\s+office:/.test(l)) + 1;
    await admin.resetRequestCounts();
    const preview = await project.run(["preview"]);
    expect(preview.code).not.toBe(0);
    const out = preview.stdout + preview.stderr;
    expect(out).toContain(`stacks/access.yaml:${line}:5 sendgrid.ipAllowLists.office.ips: this allow list would lock mailform out of the account`);
    expect(out).toContain("its requests come from 127.0.0.1");
    expect(out).toContain('Add "127.0.0.1"');
    const plan = await project.mailform(["plan"]);
    expect(plan.code).not.toBe(0);
    expect(plan.stdout + plan.stderr).toContain("sendgrid.ipAllowLists.office.ips: this allow list would lock mailform out");
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    expect(up.stdout + up.stderr).toContain("would lock mailform out");
    expect(await writes(), "nothing written").toEqual([]);
    expect(await ips()).toEqual(["127.0.0.1/32", "203.0.113.0/24"]);
    // Each refusal cost one read of the access activity.
    expect((await sendgridCalls()).filter((e) => e.route === "/v3/access_settings/activity").reduce((n, e) => n + e.count, 0)).toBeGreaterThan(0);
  }, 300_000);

  it("names drift in YAML terms in both accounts, and puts it back", async () => {
    doc.sendgrid.ipAllowLists.office.ips = ["127.0.0.1", "203.0.113.0/24"];
    write();
    await sg("POST", "/v3/access_settings/whitelist", { ips: [{ ip: "192.0.2.50" }] });
    await sg("PATCH", `/v3/templates/${handTemplateId}`, { name: "Welcome (edited)" }, SUB);
    const drift = await project.mailform(["drift", "--format", "json"]);
    expect(drift.code, drift.stderr).toBe(2);
    const report = JSON.parse(drift.stdout);
    const office = report.objects.find((o: Obj) => o.key === "sendgrid.ipAllowLists.office");
    expect(office).toMatchObject({ kind: "IpAllowList", status: "changed" });
    expect(office.fields).toEqual([{ field: "ips", desired: ["127.0.0.1/32", "203.0.113.0/24"], live: ["127.0.0.1/32", "192.0.2.50/32", "203.0.113.0/24"] }]);
    const eu = report.objects.find((o: Obj) => o.key === "sendgrid.templates.welcome-eu");
    expect(eu.fields).toEqual([{ field: "name", desired: "Welcome", live: "Welcome (edited)" }]);
    await project.up(["--refresh"]);
    expect(await ips()).toEqual(["127.0.0.1/32", "203.0.113.0/24"]);
    expect((await owned("templates", SUB))[0]!.name).toBe("Welcome");
  }, 300_000);

  it("changes the list in place with one POST and one DELETE; moving a key to the parent is a replace in the plan", async () => {
    doc.sendgrid.ipAllowLists.office.ips = ["127.0.0.0/8", "198.51.100.7"];
    delete doc.sendgrid.apiKeys.shop.onBehalfOf;
    write();
    const plan = await project.mailform(["plan"]);
    expect(plan.stdout).toMatch(/\*\*replace\*\* .*sendgrid\.apiKeys\.shop.*`onBehalfOf`/);
    expect(plan.stdout).toMatch(/\*\*update\*\* .*sendgrid\.ipAllowLists\.office/);
    const oldKey = (await owned("api_keys", SUB))[0]!;
    await admin.resetRequestCounts();
    await project.up();
    const w = (await writes()).filter((e) => e.route.startsWith("/v3/access_settings"));
    expect(w.map((e) => [e.method, e.count]).sort()).toEqual([["DELETE", 1], ["POST", 1]]);
    expect(await ips()).toEqual(["127.0.0.0/8", "198.51.100.7/32"]);
    expect(await owned("api_keys", SUB)).toEqual([]);
    const moved = await owned("api_keys", "");
    expect(moved.map((k) => k.name)).toEqual(["Shop sender"]);
    expect(moved[0]!.api_key_id).not.toBe(oldKey.api_key_id);
  }, 300_000);

  it("reports a hand-made key in the subuser as unmanaged, from the subuser's listing; the plan names what removing the list loses", async () => {
    // The stack's entries still name the subuser (`welcome-eu`): its account is scanned.
    await sg("POST", "/v3/api_keys", { name: "Made by hand" }, SUB);
    const drift = await project.mailform(["drift", "--format", "json"]);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    const names = JSON.parse(drift.stdout).unmanaged.map((u: Obj) => `${u.path} ${u.name}`);
    expect(names).toEqual([`sendgrid.apiKeys name "Made by hand" in subuser "${SUB}"`]);

    // Removing the allow list's entry is a delete that the plan names with what it loses.
    const office = doc.sendgrid.ipAllowLists;
    delete doc.sendgrid.ipAllowLists;
    write();
    const plan = await project.mailform(["plan"]);
    expect(plan.stdout).toMatch(/- \*\*delete\*\* .*sendgrid\.ipAllowLists\.office` \(id ip-allow-list\)\. \*\*Loses the restriction: every address may then use the account's keys and log in\.\*\*/);
    doc.sendgrid.ipAllowLists = office;
    write();
  }, 300_000);

  it("exports both accounts, the subuser's objects with onBehalfOf, and another stack adopts the file with no write", async () => {
    const run = await project.mailform(["export", "--vendor", "sendgrid", "--out", "stacks/exported.yaml"]);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(project.dir, "stacks", "exported.yaml"), "utf8");
    expect(text).toMatch(/ipAllowLists:\n\s+account:\n\s+ips:\n\s+- 127\.0\.0\.0\/8\n\s+- 198\.51\.100\.7\/32\n\s+adopt: true/);
    expect(text).toMatch(new RegExp(`eu-shop-welcome:\\n\\s+name: Welcome\\n\\s+generation: dynamic\\n(.*\\n)*?\\s+onBehalfOf: ${SUB}`));
    expect(text.match(new RegExp(`onBehalfOf: ${SUB}`, "g"))!.length).toBeGreaterThanOrEqual(2);
    second = await adoptsWithNoWrite(text, emu, admin);
  }, 300_000);
});

/**
 * Mailtrap webhooks and account accesses without the engine: what each field's change does, and
 * the life cycle against the in-process emulator (the signing secret shown once and kept, the one
 * PATCH or bulk PUT of what changed, an access taken over by email without `adopt`, a person never
 * invited refused with what to do). test/e2e/mailtrap-access.test.ts drives the same code through
 * the real CLI.
 */
import { describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { accountAccess } from "../../providers/mailtrap/account-access";
import { webhook } from "../../providers/mailtrap/webhook";
import { lifecycle, newRun } from "../../providers/resource";
import { vendorApi } from "../support/vendor-api";

const hook = { url: "https://hooks.example.com/a", type: "email_sending", sendingStream: "transactional", events: ["bounce", "delivery"] };

describe("Mailtrap webhook and account access: what a change of each field does", () => {
  it.each([
    ["url", { url: "https://hooks.example.com/b" }, []],
    ["active", { active: false }, []],
    ["payloadFormat", { payloadFormat: "jsonlines" }, []],
    ["events", { events: ["delivery"] }, []],
    ["sendingStream", { sendingStream: "bulk" }, ["sendingStream"]],
    ["domain", { domain: 6001 }, ["domain"]],
    ["type", { type: "campaigns", sendingStream: undefined }, ["type", "sendingStream"]],
  ])("webhook %s", async (_f, change, replaces) => {
    const diff = await lifecycle(webhook).diff!("1", hook, { ...hook, ...change });
    expect(diff.changes).toBe(true);
    expect(diff.replaces).toEqual(replaces);
    // Another natural key (URL, type, stream, domain): the new webhook is made before the old one goes.
    expect(diff.deleteBeforeReplace).toBe(false);
  });

  it("compares webhook events as a set and fills Mailtrap's defaults", async () => {
    const diff = await lifecycle(webhook).diff!("1", { ...hook, active: true, payloadFormat: "json" }, { ...hook, events: ["delivery", "bounce", "delivery"] });
    expect(diff.changes).toBe(false);
  });

  const access = { email: "ada@example.com", permissions: [{ resourceType: "project", resourceId: 1, accessLevel: "viewer" }] };
  it.each([
    ["account", { account: "viewer" }, []],
    ["permissions", { permissions: [{ resourceType: "project", resourceId: 1, accessLevel: "admin" }] }, []],
    ["email", { email: "grace@example.com" }, ["email"]],
  ])("account access %s", async (_f, change, replaces) => {
    const diff = await lifecycle(accountAccess).diff!("1", access, { ...access, ...change });
    expect(diff).toMatchObject({ changes: true, replaces });
  });

  it("compares an access's email without letter case", async () => {
    expect((await lifecycle(accountAccess).diff!("1", access, { ...access, email: " Ada@Example.COM" })).changes).toBe(false);
  });
});

describe("Mailtrap webhooks and account accesses against the emulator", () => {
  const ctx = useEmulators((urls) => ({ MAILTRAP_API_URL: urls.mailtrap, MAILTRAP_API_TOKEN: DEFAULT_CREDENTIALS.mailtrap.apiToken }));
  const writes = async () => (await ctx.admin.requestCounts()).filter((e) => e.vendor === "mailtrap" && e.method !== "GET").map((e) => `${e.method} ${e.route} ${e.count}`);

  it("creates a webhook with its signing secret, keeps the secret through refresh, and updates in one PATCH of what changed", async () => {
    const w = lifecycle(webhook);
    const created = await w.create!({ ...hook, payloadFormat: "json" });
    const stored = await ctx.admin.getObject<{ signing_secret: string; event_types: string[] }>("mailtrap", "webhooks", created.id);
    expect(created.outs.signingSecret).toBe(stored.signing_secret);
    expect(stored.event_types).toEqual(["bounce", "delivery"]);

    const read = await w.read!(created.id, created.outs);
    expect(read.props).toMatchObject({ signingSecret: stored.signing_secret, active: true, events: ["bounce", "delivery"], domain: null });

    await ctx.admin.resetRequestCounts();
    const updated = await w.update!(created.id, created.outs, { ...hook, active: false, events: ["delivery"] });
    expect(updated.outs).toMatchObject({ signingSecret: stored.signing_secret, webhookId: Number(created.id) });
    expect(await writes()).toEqual(["PATCH /api/webhooks/{webhook_id} 1"]);
    expect(await ctx.admin.getObject("mailtrap", "webhooks", created.id)).toMatchObject({ active: false, event_types: ["delivery"], url: hook.url, sending_stream: "transactional" });

    await w.delete!(created.id, updated.outs);
    expect((await w.read!(created.id, updated.outs)).id).toBeUndefined();
  });

  it("deletes a replaced object that a refresh diffed first (`up --refresh`): the refresh's diff does not keep it", async () => {
    const w = lifecycle(webhook);
    const created = await w.create!(hook);
    const props = { ...webhook.normalize(hook as never), ...created.outs };
    expect((await w.diff!(created.id, props, props)).changes).toBe(false); // the refresh's diff
    expect((await w.diff!(created.id, props, { ...hook, sendingStream: "bulk" })).replaces).toEqual(["sendingStream"]);
    await w.delete!(created.id, props);
    await expect(ctx.admin.getObject("mailtrap", "webhooks", created.id)).rejects.toThrow(/404|No mailtrap/);
  });

  it("takes over an invited person's access by email without adopt, writes only what differs, and refuses a person never invited", async () => {
    const project = await vendorApi(ctx.emu, "mailtrap", "POST", "/api/projects", { project: { name: "Staging" } });
    await ctx.admin.putObject("mailtrap", "account_accesses", 7301, {
      specifier_type: "Invite",
      specifier: { id: 91, email: "Ada@Example.com" },
      resources: [{ resource_id: project.id, resource_type: "project", access_level: 10 }],
    });
    const a = lifecycle(accountAccess);
    await ctx.admin.resetRequestCounts();
    const taken = await a.create!({ email: "ada@example.com", account: "viewer", permissions: [{ resourceType: "project", resourceId: project.id, accessLevel: "admin" }] });
    expect(taken.id).toBe("7301");
    expect(taken.outs).toMatchObject({ accessId: 7301, status: "invited" });
    expect(await writes()).toEqual(["PUT /api/account_accesses/{account_access_id}/permissions/bulk 1"]);
    const stored = await ctx.admin.getObject<{ resources: unknown[] }>("mailtrap", "account_accesses", 7301);
    expect(stored.resources).toEqual(
      expect.arrayContaining([
        { resource_id: project.id, resource_type: "project", access_level: 100 },
        { resource_id: DEFAULT_CREDENTIALS.mailtrap.accountId, resource_type: "account", access_level: 10 },
      ]),
    );

    // The invitation accepted: a state, not drift.
    await ctx.admin.patchObject("mailtrap", "account_accesses", 7301, { specifier_type: "User", specifier: { id: 5, email: "ada@example.com", name: "Ada", two_factor_authentication_enabled: true } });
    newRun(); // a later run: this one's listing is kept current with its own writes only
    const read = await a.read!(taken.id, taken.outs);
    expect(read.inputs).toEqual({ email: "ada@example.com", account: "viewer", permissions: [{ resourceType: "project", resourceId: project.id, accessLevel: "admin" }] });
    expect(read.props).toMatchObject({ status: "member", twoFactorEnabled: true });

    // Removing the account level and the project: destroyed in one PUT.
    await ctx.admin.resetRequestCounts();
    await a.update!(taken.id, read.props!, { email: "ada@example.com", permissions: [] });
    expect((await ctx.admin.getObject<{ resources: unknown[] }>("mailtrap", "account_accesses", 7301)).resources).toEqual([]);
    expect(await writes()).toEqual(["PUT /api/account_accesses/{account_access_id}/permissions/bulk 1"]);

    await expect(a.create!({ email: "nobody@example.com", permissions: [] })).rejects.toThrow(
      /nobody with this email has access to the account or an invitation to it.*Invite nobody@example.com from Mailtrap's web UI/,
    );

    await a.delete!(taken.id, read.props!);
    await expect(ctx.admin.getObject("mailtrap", "account_accesses", 7301)).rejects.toThrow(/404|No mailtrap/);
    // The owner is never a candidate: neither adopted nor listed.
    expect((await accountAccess.existing!.list({} as never)).map((l) => l.id)).toEqual([]);
  });
});

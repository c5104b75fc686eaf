/**
 * SendGrid's IP allow list and per-entry `onBehalfOf` (subusers), without the engine: the life
 * cycle against the in-process emulator, with the calls each step makes (the emulator's counters).
 * test/e2e/sendgrid-access.test.ts drives the same through the real CLI.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { ipAllowList } from "../../providers/sendgrid/ip-allow-list";
import { template } from "../../providers/sendgrid/template";
import { apiKey } from "../../providers/sendgrid/api-key";
import { mailSettings } from "../../providers/sendgrid/mail-settings";
import { lifecycle, newRun, SOURCE_INPUT } from "../../providers/resource";
import { loadStackText } from "../../config";

const KEY = DEFAULT_CREDENTIALS.sendgrid.apiKey;
const L = lifecycle(ipAllowList);
const T = lifecycle(template);
const K = lifecycle(apiKey);
const M = lifecycle(mailSettings);
const WL = "/v3/access_settings/whitelist";

describe("SendGrid IP allow list and subusers against the emulator", () => {
  const ctx = useEmulators((urls) => ({ SENDGRID_API_URL: urls.sendgrid, SENDGRID_API_KEY: KEY, SENDGRID_ON_BEHALF_OF: undefined }));

  beforeEach(async () => {
    await ctx.admin.reset();
  });

  async function calls(): Promise<string[]> {
    const counts = (await ctx.admin.requestCounts()).filter((c) => c.vendor === "sendgrid");
    await ctx.admin.resetRequestCounts();
    return counts.flatMap((c) => Array.from({ length: c.count }, () => `${c.method} ${c.route}`)).sort();
  }

  const sg = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${ctx.emu.urls.sendgrid}${path}`, {
      method,
      headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json", ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, json: res.status === 204 ? undefined : await res.json() };
  };
  /** The account's list as the emulator holds it (through the admin surface: no vendor call counted). */
  const liveIps = async (onBehalfOf = "") =>
    (await ctx.admin.listObjects<{ ip: string; owner: string }>("sendgrid", "access_whitelist")).filter((r) => r.owner === onBehalfOf).map((r) => r.ip).sort();
  const subuser = (username: string) => sg("POST", "/v3/subusers", { username, email: `${username}@example.com`, password: "a long password", ips: [] });

  it("refuses at check, before any write, a list that would lock out the caller's own address, naming file, line and field", async () => {
    const news = { ips: ["203.0.113.0/24", "198.51.100.*"], [SOURCE_INPUT]: "stacks/prod.yaml:31:5 sendgrid.ipAllowLists.office" };
    const checked = await L.check!({}, news);
    expect(checked.failures).toHaveLength(1);
    const [failure] = checked.failures!;
    expect(failure!.property).toBe("ips");
    expect(failure!.reason).toMatch(/^stacks\/prod\.yaml:31:5 sendgrid\.ipAllowLists\.office\.ips: this allow list would lock mailform out/);
    expect(failure!.reason).toContain("its requests come from 127.0.0.1");
    expect(failure!.reason).toContain('Add "127.0.0.1"');
    expect(checked.inputs, "the entry's place is never stored").not.toHaveProperty(SOURCE_INPUT);
    expect(await calls()).toEqual(["GET /v3/access_settings/activity"]);
    expect(await liveIps(), "nothing was written").toEqual([]);

    // A list that keeps the caller's address passes; an unchanged one is not even looked at.
    const ok = { ips: ["127.0.0.0/8", "203.0.113.0/24"] };
    expect((await L.check!({}, ok)).failures ?? []).toEqual([]);
    expect(await calls()).toEqual(["GET /v3/access_settings/activity"]);
    expect((await L.check!({ ips: ["127.0.0.0/8", "203.0.113.0/24"] }, { ips: ["203.0.113.0/24", "127.0.0.1/8"] })).failures ?? []).toEqual([]);
    expect(await calls(), "a no-op check makes no call").toEqual([]);
    // Emptying the list allows every address: nothing to check.
    expect((await L.check!(ok, { ips: [] })).failures ?? []).toEqual([]);
    expect(await calls()).toEqual([]);
  });

  it("creates, changes in place at the API's floor, reads drift as `ips`, and deletes every entry", async () => {
    const created = await L.create!({ ips: ["127.0.0.1", "10.*.*.*"] });
    expect(created.id).toBe("ip-allow-list");
    expect(await calls()).toEqual(["GET /v3/access_settings/whitelist", "POST /v3/access_settings/whitelist"]);
    expect(await liveIps()).toEqual(["10.0.0.0/8", "127.0.0.1/32"]);
    expect(created.outs.ips).toEqual(["10.0.0.0/8", "127.0.0.1/32"]);

    // One address out, one in: one POST and one DELETE, the rule ids from state.
    const updated = await L.update!(created.id, created.outs, { ips: ["127.0.0.1/32", "192.0.2.0/24"] });
    expect(await calls()).toEqual(["DELETE /v3/access_settings/whitelist", "POST /v3/access_settings/whitelist"]);
    expect(await liveIps()).toEqual(["127.0.0.1/32", "192.0.2.0/24"]);

    // Drift: an address added by hand shows up in `ips`.
    await sg("POST", WL, { ips: [{ ip: "198.51.100.7" }] });
    await calls();
    newRun();
    const read = await L.read!(created.id, updated.outs);
    expect(await calls()).toEqual(["GET /v3/access_settings/whitelist"]);
    expect(read.inputs!.ips).toEqual(["127.0.0.1/32", "192.0.2.0/24", "198.51.100.7/32"]);
    const diff = await L.diff!(created.id, read.props!, { ips: ["127.0.0.1/32", "192.0.2.0/24"] });
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual([]);

    // Delete (a run of its own) removes the entries added by hand too: the list is empty, every address allowed.
    newRun();
    await L.delete!(created.id, read.props!);
    expect(await calls()).toEqual(["DELETE /v3/access_settings/whitelist", "GET /v3/access_settings/whitelist"]);
    expect(await liveIps()).toEqual([]);
  });

  it("takes a live list over only with adopt, with no write when it matches", async () => {
    await sg("POST", WL, { ips: [{ ip: "127.0.0.1" }, { ip: "203.0.113.0/24" }] });
    await calls();
    await expect(L.create!({ ips: ["127.0.0.1/32", "203.0.113.0/24"] })).rejects.toThrow(/one already exists with the account's IP allow list .*adopt: true/s);
    newRun();
    await calls();
    const adopted = await L.create!({ ips: ["127.0.0.1/32", "203.0.113.0/24"], adopt: true });
    expect(await calls()).toEqual(["GET /v3/access_settings/whitelist"]);
    expect(Object.keys(adopted.outs.ruleIds).sort()).toEqual(["127.0.0.1/32", "203.0.113.0/24"]);
  });

  it("one stack, parent and subuser: the same template name in both, each in its own account", async () => {
    await subuser("eu-shop");
    const yaml = `
sendgrid:
  templates:
    welcome: { name: Welcome, generation: dynamic }
    welcome-eu: { name: Welcome, generation: dynamic, onBehalfOf: eu-shop }
  ipAllowLists:
    parent: { ips: [127.0.0.1] }
    eu: { ips: [127.0.0.0/8], onBehalfOf: eu-shop }
`;
    const loaded = loadStackText("stack.yaml", yaml);
    expect(loaded.ok ? [] : loaded.errors.map((e) => e.problem)).toEqual([]);
    const twice = loadStackText("stack.yaml", `sendgrid:\n  ipAllowLists:\n    a: { ips: [127.0.0.1], onBehalfOf: eu-shop }\n    b: { ips: [127.0.0.1], onBehalfOf: " eu-shop" }\n`);
    expect(twice.ok ? [] : twice.errors.map((e) => e.problem).join("\n")).toMatch(/IP allow list in subuser "eu-shop"/);

    const parent = await T.create!({ name: "Welcome", generation: "dynamic" });
    await calls();
    const sub = await T.create!({ name: "Welcome", generation: "dynamic", onBehalfOf: "eu-shop" });
    expect(sub.id).not.toBe(parent.id);
    expect(sub.outs.onBehalfOf).toBe("eu-shop");
    expect((await ctx.admin.getObject<{ owner: string }>("sendgrid", "templates", sub.id)).owner).toBe("eu-shop");
    // The subuser's listing, not the parent's: no "already exists" for the parent's template.
    const log = (await ctx.admin.requestLog({ vendor: "sendgrid" })).map((r) => r.path);
    expect(log.filter((p) => p.startsWith("/v3/templates")).length).toBeGreaterThan(0);

    // Refresh reads it in its account; a change of account replaces it, created before the old one goes.
    newRun();
    await calls();
    const read = await T.read!(sub.id, sub.outs);
    expect(read.inputs).toMatchObject({ name: "Welcome", onBehalfOf: "eu-shop" });
    expect(await calls(), "through the subuser's listing, no read of its own").toEqual(["GET /v3/templates"]);
    const move = await T.diff!(sub.id, read.props!, { name: "Welcome", generation: "dynamic" });
    expect(move.replaces).toEqual(["onBehalfOf"]);
    expect(move.deleteBeforeReplace ?? false).toBe(false);
    const stay = await T.diff!(sub.id, read.props!, { name: "Welcome", generation: "dynamic", onBehalfOf: "eu-shop" });
    expect(stay.changes).toBe(false);

    // Deleting the subuser's template (in a run of its own) leaves the parent's.
    newRun();
    await T.delete!(sub.id, read.props!);
    expect((await sg("GET", `/v3/templates/${parent.id}`)).status).toBe(200);
    expect((await sg("GET", `/v3/templates/${sub.id}`, undefined, { "On-Behalf-Of": "eu-shop" })).status).toBe(404);
  });

  it("adopts in the subuser's account only, and the subuser's allow list is its own", async () => {
    await subuser("eu-shop");
    const made = (await sg("POST", "/v3/api_keys", { name: "Shop key", scopes: ["mail.send"] }, { "On-Behalf-Of": "eu-shop" })).json;
    await calls();
    newRun();
    const adopted = await K.create!({ name: "Shop key", scopes: ["mail.send"], onBehalfOf: "eu-shop", adopt: true });
    expect(adopted.id).toBe(made.api_key_id);
    const writes = (await calls()).filter((c) => !c.startsWith("GET"));
    expect(writes, "adoption of a matching key writes nothing").toEqual([]);

    // The subuser's list locks out nobody calling for the parent.
    await L.create!({ ips: ["127.0.0.1"], onBehalfOf: "eu-shop" });
    expect(await liveIps("eu-shop")).toEqual(["127.0.0.1/32"]);
    expect(await liveIps()).toEqual([]);
    const checked = await L.check!({}, { ips: ["203.0.113.0/24"], onBehalfOf: "eu-shop" });
    expect(checked.failures?.[0]?.reason).toContain("127.0.0.1");
    expect(await calls()).toContain("GET /v3/access_settings/activity");
  });

  it("ids are per account: the parent's list kept in a run does not keep the subuser's from its delete", async () => {
    await subuser("eu-shop");
    const parent = await L.create!({ ips: ["127.0.0.1"] });
    const sub = await L.create!({ ips: ["127.0.0.1", "192.0.2.1"], onBehalfOf: "eu-shop" });
    expect(sub.id, "the same fixed id in both accounts").toBe(parent.id);
    newRun();
    expect((await L.diff!(parent.id, parent.outs, { ips: ["127.0.0.1"] })).changes).toBe(false); // the parent's resource keeps its list
    await L.delete!(sub.id, sub.outs); // the subuser's entry was removed in the same run
    expect(await liveIps("eu-shop")).toEqual([]);
    expect(await liveIps()).toEqual(["127.0.0.1/32"]);
  });

  it("an account setting: a change of onBehalfOf replaces it, declared or not", async () => {
    const olds = { footer: { enabled: true }, onBehalfOf: "eu-shop" };
    expect((await M.diff!("mail_settings", olds, { footer: { enabled: true } })).replaces).toEqual(["onBehalfOf"]);
    expect((await M.diff!("mail_settings", olds, { footer: { enabled: true }, onBehalfOf: "eu-shop" })).changes).toBe(false);
  });

  it("export lists the parent and every subuser, writing a subuser's objects with onBehalfOf", async () => {
    await subuser("eu-shop");
    await sg("POST", "/v3/templates", { name: "Welcome", generation: "dynamic" });
    await sg("POST", "/v3/templates", { name: "Welcome", generation: "dynamic" }, { "On-Behalf-Of": "eu-shop" });
    await sg("POST", WL, { ips: [{ ip: "127.0.0.1" }] }, { "On-Behalf-Of": "eu-shop" });
    const templates = await template.export!.list();
    const entries = templates.map((t) => template.export!.entry(t, { key: () => undefined }));
    expect(entries.map((e) => [e.label, "fields" in e ? e.fields.onBehalfOf : "-"])).toEqual([
      ["Welcome", undefined],
      ["eu-shop Welcome", "eu-shop"],
    ]);
    const lists = await ipAllowList.export!.list();
    expect(lists.map((l) => ipAllowList.export!.entry(l, { key: () => undefined }))).toEqual([
      { label: "eu-shop account", fields: { ips: ["127.0.0.1/32"], onBehalfOf: "eu-shop" } },
    ]);
  });
});

describe("each SendGrid account is paced under its own credential key", () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-pace-"));
  const ctx = useEmulators((urls) => ({ SENDGRID_API_URL: urls.sendgrid, SENDGRID_API_KEY: KEY, SENDGRID_ON_BEHALF_OF: undefined, MAILFORM_CACHE: cache }));
  afterAll(() => fs.rmSync(cache, { recursive: true, force: true }));

  it("the parent and two subusers: three rate budgets shared through the cache, one per account", async () => {
    for (const username of ["pace-a", "pace-b"]) {
      await fetch(`${ctx.emu.urls.sendgrid}/v3/subusers`, {
        method: "POST",
        headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
        body: JSON.stringify({ username, email: `${username}@example.com`, password: "a long password", ips: [] }),
      });
    }
    const budgets = () => fs.readdirSync(path.join(cache, "rate")).filter((f) => f.endsWith(".json"));
    await T.create!({ name: "Paced", generation: "dynamic" });
    expect(budgets()).toHaveLength(1);
    await T.create!({ name: "Paced", generation: "dynamic", onBehalfOf: "pace-a" });
    await T.create!({ name: "Paced", generation: "dynamic", onBehalfOf: "pace-b" });
    expect(budgets()).toHaveLength(3);
    await T.create!({ name: "Paced again", generation: "dynamic", onBehalfOf: "pace-a" });
    expect(budgets(), "the same account, the same budget").toHaveLength(3);
  });
});

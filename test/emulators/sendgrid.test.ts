/**
 * The SendGrid emulator beyond the contract table: auth (Bearer, Basic, created keys, scopes,
 * On-Behalf-Of), template pagination across pages, version rules, the API-key cap and paging,
 * unsubscribe groups, rate-limit headers and the 429.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { KNOWN_SENDGRID_SCOPES } from "../../config";
import { isKnownScope, SERVICE_GRANTED_SCOPES } from "../../emulators/sendgrid/scopes";
import { request, useEmulators, type Reply } from "./helpers";

const KEY = DEFAULT_CREDENTIALS.sendgrid.apiKey;
const t = useEmulators();

function sg(method: string, path: string, body?: unknown, headers: Record<string, string> = {}, key = KEY): Promise<Reply> {
  return request(t.emu.urls.sendgrid, method, path, { body, headers: { Authorization: `Bearer ${key}`, ...headers } });
}

beforeEach(async () => {
  await t.admin.reset();
});

describe("SendGrid auth", () => {
  it("answers 401 in SendGrid's shape without, or with a wrong, credential", async () => {
    const cases: Record<string, string>[] = [
      {},
      { Authorization: "Bearer SG.wrong.key" },
      { Authorization: "Token abc" },
      { Authorization: `Basic ${Buffer.from("user:not-the-key").toString("base64")}` },
    ];
    for (const headers of cases) {
      const res = await request(t.emu.urls.sendgrid, "GET", "/v3/templates?page_size=10", { headers });
      expect(res.status, JSON.stringify(headers)).toBe(401);
      expect(res.json).toEqual({ errors: [{ field: null, message: "authorization required" }] });
    }
  });

  it("accepts Basic credentials whose password is the key", async () => {
    const basic = Buffer.from(`apikey:${KEY}`).toString("base64");
    const res = await request(t.emu.urls.sendgrid, "GET", "/v3/scopes", { headers: { Authorization: `Basic ${basic}` } });
    expect(res.status).toBe(200);
    expect(res.json.scopes).toContain("templates.read");
  });

  it("authenticates created keys with their own scopes, and stops after delete", async () => {
    const created = await sg("POST", "/v3/api_keys", { name: "reader", scopes: ["templates.read"] });
    expect(created.status).toBe(201);
    const secret = created.json.api_key as string;
    expect((await sg("GET", "/v3/templates?page_size=5", undefined, {}, secret)).status).toBe(200);
    const denied = await sg("POST", "/v3/templates", { name: "x" }, {}, secret);
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ errors: [{ field: null, message: "access forbidden" }] });
    expect((await sg("GET", "/v3/scopes", undefined, {}, secret)).json.scopes.sort()).toEqual(
      ["templates.read", ...SERVICE_GRANTED_SCOPES].sort(),
    );
    await sg("DELETE", `/v3/api_keys/${created.json.api_key_id}`);
    expect((await sg("GET", "/v3/scopes", undefined, {}, secret)).status).toBe(401);
  });

  it("keeps a subuser's objects apart with On-Behalf-Of, for subusers that exist", async () => {
    const obo = { "On-Behalf-Of": "subuser-eu" };
    expect((await sg("GET", "/v3/templates?page_size=10", undefined, obo)).status, "no such subuser yet").toBe(403);
    const made = await sg("POST", "/v3/subusers", { username: "subuser-eu", email: "eu@example.com", password: "a long password", ips: [] });
    expect(made.status).toBe(200);
    expect((await sg("GET", "/v3/subusers?username=subuser-eu")).json).toEqual([{ disabled: false, email: "eu@example.com", id: made.json.user_id, username: "subuser-eu" }]);
    expect((await sg("GET", "/v3/subusers", undefined, obo)).status, "a subuser has no subusers").toBe(403);
    const mine = (await sg("POST", "/v3/templates", { name: "Parent" })).json;
    const theirs = (await sg("POST", "/v3/templates", { name: "Sub" }, obo)).json;
    const list = async (h: Record<string, string>) =>
      (await sg("GET", "/v3/templates?page_size=10", undefined, h)).json.result.map((x: { name: string }) => x.name);
    expect(await list({})).toEqual(["Parent"]);
    expect(await list(obo)).toEqual(["Sub"]);
    expect((await sg("GET", `/v3/templates/${theirs.id}`)).status).toBe(404);
    expect((await sg("GET", `/v3/templates/${mine.id}`, undefined, obo)).status).toBe(404);
    expect((await sg("DELETE", `/v3/templates/${theirs.id}`, undefined, obo)).status).toBe(204);
  });
});

describe("SendGrid IP allow list", () => {
  const WL = "/v3/access_settings/whitelist";
  it("stores entries as CIDR blocks, once each, and refuses what is not an IPv4 entry", async () => {
    const added = await sg("POST", WL, { ips: [{ ip: "127.0.0.1" }, { ip: "192.168.1.7" }, { ip: "10.*.*.*" }, { ip: "172.16.5.4/12" }, { ip: "192.168.1.7/32" }] });
    expect(added.status).toBe(201);
    expect(added.json.result.map((r: { ip: string }) => r.ip)).toEqual(["127.0.0.1/32", "192.168.1.7/32", "10.0.0.0/8", "172.16.0.0/12"]);
    const again = await sg("POST", WL, { ips: [{ ip: "10.1.2.3/8" }] });
    expect(again.json.result[0].id, "the same block is not added twice").toBe(added.json.result[2].id);
    for (const ip of ["300.1.1.1", "1.2.3", "1.*.3.4", "::1", "1.2.3.4/33"]) {
      expect((await sg("POST", WL, { ips: [{ ip }] })).status, ip).toBe(400);
    }
    expect((await sg("GET", WL)).json.result).toHaveLength(4);
  });

  it("locks out a caller whose address no entry covers, as the document warns, and records the attempt", async () => {
    const added = await sg("POST", WL, { ips: [{ ip: "127.0.0.1" }, { ip: "203.0.113.9" }] });
    const [loopback] = added.json.result as { id: number }[];
    expect((await sg("GET", "/v3/templates?page_size=10")).status).toBe(200);
    expect((await sg("DELETE", WL, { ids: [loopback!.id] })).status).toBe(204);
    const refused = await sg("GET", "/v3/templates?page_size=10");
    expect(refused.status).toBe(403);
    expect(refused.json).toEqual({ errors: [{ field: null, message: "access forbidden" }] });
    expect((await sg("GET", WL)).status, "the list itself is out of reach too").toBe(403);
    const activity = (await t.admin.listObjects("sendgrid", "access_activity")) as { ip: string; allowed: boolean }[];
    expect(activity.filter((a) => a.ip === "127.0.0.1").map((a) => a.allowed).sort()).toEqual([false, true]);
  });

  it("tells the caller's own address in the activity, newest first", async () => {
    await sg("GET", "/v3/scopes");
    const res = await sg("GET", "/v3/access_settings/activity?limit=1");
    expect(res.status).toBe(200);
    expect(res.json.result).toEqual([{ allowed: true, auth_method: "API", first_at: expect.any(Number), ip: "127.0.0.1", last_at: expect.any(Number), location: "Unknown" }]);
  });
});

describe("SendGrid templates and versions", () => {
  it("pages through templates with page_size + page_token and filters by generation", async () => {
    for (let i = 1; i <= 7; i++) await sg("POST", "/v3/templates", { name: `L${i}` });
    for (let i = 1; i <= 3; i++) await sg("POST", "/v3/templates", { name: `D${i}`, generation: "dynamic" });

    const names: string[] = [];
    let url: string | undefined = `/v3/templates?page_size=3`;
    let pages = 0;
    while (url) {
      const res = await sg("GET", url);
      expect(res.status).toBe(200);
      expect(res.json._metadata.count).toBe(7); // legacy only: the default generations filter
      names.push(...res.json.result.map((x: { name: string }) => x.name));
      url = res.json._metadata.next ? new URL(res.json._metadata.next).pathname + new URL(res.json._metadata.next).search : undefined;
      if (pages > 0) expect(res.json._metadata.prev).toBeDefined();
      pages++;
    }
    expect(pages).toBe(3);
    expect(names).toEqual(["L1", "L2", "L3", "L4", "L5", "L6", "L7"]);

    const dynamic = await sg("GET", "/v3/templates?page_size=200&generations=dynamic");
    expect(dynamic.json.result.map((x: { name: string }) => x.name)).toEqual(["D1", "D2", "D3"]);
    const both = await sg("GET", "/v3/templates?page_size=200&generations=legacy,dynamic");
    expect(both.json._metadata.count).toBe(10);
  });

  it("requires page_size 1..200 and a known generation", async () => {
    for (const q of ["", "?page_size=0", "?page_size=201", "?page_size=x", "?page_size=5&generations=modern", "?page_size=5&page_token=%%%"]) {
      const res = await sg("GET", `/v3/templates${q}`);
      expect(res.status, q).toBe(400);
      expect(res.json.errors[0].message).toEqual(expect.any(String));
    }
  });

  it("renames only: the generation is fixed", async () => {
    const tpl = (await sg("POST", "/v3/templates", { name: "Welcome", generation: "dynamic" })).json;
    expect(tpl).toMatchObject({ name: "Welcome", generation: "dynamic", versions: [] });
    const renamed = await sg("PATCH", `/v3/templates/${tpl.id}`, { name: "Welcome 2" });
    expect(renamed.json).toMatchObject({ id: tpl.id, name: "Welcome 2", generation: "dynamic" });
    const change = await sg("PATCH", `/v3/templates/${tpl.id}`, { generation: "legacy" });
    expect(change.status).toBe(400);
    expect(change.json.errors[0].field).toBe("generation");
    expect((await sg("POST", "/v3/templates", { name: "x".repeat(101) })).status).toBe(400);
    expect((await sg("POST", "/v3/templates", { name: "x", generation: "v3" })).status).toBe(400);
  });

  it("activates the first version, keeps one active, and limits html to 1 MiB", async () => {
    const tpl = (await sg("POST", "/v3/templates", { name: "T", generation: "dynamic" })).json;
    const base = `/v3/templates/${tpl.id}/versions`;
    const v1 = (await sg("POST", base, { name: "v1", subject: "s", html_content: "<p>Hello <b>you</b></p>", active: 0 })).json;
    expect(v1).toMatchObject({ active: 1, editor: "code", generate_plain_content: true, plain_content: "Hello you" });
    const v2 = (await sg("POST", base, { name: "v2", subject: "s", plain_content: "mine", generate_plain_content: false })).json;
    expect(v2).toMatchObject({ active: 0, plain_content: "mine" });
    const v3 = (await sg("POST", base, { name: "v3", subject: "s", active: 1, test_data: '{"a":1}' })).json;
    expect(v3).toMatchObject({ active: 1, test_data: '{"a":1}' });
    let live = (await sg("GET", `/v3/templates/${tpl.id}`)).json;
    expect(live.versions.map((v: { active: number }) => v.active)).toEqual([0, 0, 1]);
    expect(live.versions[0]).not.toHaveProperty("test_data");

    const activated = await sg("POST", `${base}/${v2.id}/activate`);
    expect(activated.json).toMatchObject({ id: v2.id, active: 1 });
    live = (await sg("GET", `/v3/templates/${tpl.id}`)).json;
    expect(live.versions.map((v: { active: number }) => v.active)).toEqual([0, 1, 0]);

    const patched = await sg("PATCH", `${base}/${v1.id}`, { name: "v1", subject: "new", editor: "design" });
    expect(patched.json).toMatchObject({ subject: "new", editor: "design", name: "v1", active: 0, html_content: v1.html_content });
    // The documented PATCH body requires name and subject, as the POST does.
    expect((await sg("PATCH", `${base}/${v1.id}`, { editor: "code" })).status).toBe(400);
    expect((await sg("GET", `${base}/${v3.id}`)).json.test_data).toBe('{"a":1}');

    const big = "x".repeat(1_048_577);
    const tooBig = await sg("POST", base, { name: "big", subject: "s", html_content: big });
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.errors[0].field).toBe("html_content");
    expect((await sg("POST", base, { name: "no subject" })).status).toBe(400);
    expect((await sg("POST", base, { name: "e", subject: "s", editor: "wysiwyg" })).status).toBe(400);

    expect((await sg("DELETE", `${base}/${v3.id}`)).status).toBe(204);
    expect((await sg("GET", `${base}/${v3.id}`)).status).toBe(404);
    expect((await sg("DELETE", `/v3/templates/${tpl.id}`)).status).toBe(204);
    expect((await sg("GET", `/v3/templates/${tpl.id}`)).json).toEqual({ errors: [{ field: null, message: "resource not found" }] });
  });
});

describe("SendGrid API keys", () => {
  it("shows the secret once, adds the granted scopes, renames with PATCH and rescopes with PUT", async () => {
    const created = await sg("POST", "/v3/api_keys", { name: "CI", scopes: ["mail.send"] });
    expect(created.status).toBe(201);
    expect(created.json.api_key).toMatch(/^SG\.[\w-]{22}\.[\w-]+$/);
    expect(created.json.scopes).toEqual(["mail.send", ...SERVICE_GRANTED_SCOPES]);
    const id = created.json.api_key_id;

    const one = await sg("GET", `/v3/api_keys/${id}`);
    expect(one.json).toEqual({ result: [{ api_key_id: id, name: "CI", scopes: ["mail.send", ...SERVICE_GRANTED_SCOPES] }] });
    expect(JSON.stringify(one.json)).not.toContain(created.json.api_key);

    expect((await sg("PATCH", `/v3/api_keys/${id}`, { name: "CI 2" })).json).toEqual({ api_key_id: id, name: "CI 2" });
    const put = await sg("PUT", `/v3/api_keys/${id}`, { name: "CI 2", scopes: ["templates.read"] });
    expect(put.json).toEqual({ api_key_id: id, name: "CI 2" });
    expect((await sg("GET", `/v3/api_keys/${id}`)).json.result[0].scopes).toEqual(["templates.read", ...SERVICE_GRANTED_SCOPES]);
    expect((await sg("PUT", `/v3/api_keys/${id}`, { name: "CI 2", scopes: [] })).status).toBe(400);
    expect((await sg("PUT", `/v3/api_keys/${id}`, { scopes: ["mail.send"] })).status).toBe(400);
    expect((await sg("POST", "/v3/api_keys", { name: "bad", scopes: ["no.such.scope"] })).status).toBe(400);

    const full = (await sg("POST", "/v3/api_keys", { name: "Full" })).json;
    expect(full.scopes).toEqual((await sg("GET", "/v3/scopes")).json.scopes);
  });

  it("an account setting makes SendGrid assign its own scopes: to the keys there are, to new ones, kept by a PUT only when sent back", async () => {
    const before = (await sg("POST", "/v3/api_keys", { name: "Before", scopes: ["mail.send"] })).json;
    expect(await t.admin.accountSettings("sendgrid")).toEqual({ grantedScopes: [] });
    const assigned = ["2fa_exempt", "sender_verification_exempt", "sender_verification_legacy"];
    // A scope SendGrid does not assign on this account cannot be sent: the caller does not hold it.
    expect((await sg("PUT", `/v3/api_keys/${before.api_key_id}`, { name: "Before", scopes: ["mail.send", "2fa_exempt"] })).status).toBe(403);
    expect(await t.admin.setAccountSettings("sendgrid", { grantedScopes: assigned })).toEqual({ grantedScopes: assigned });
    const scopesOf = async (id: string) => (await sg("GET", `/v3/api_keys/${id}`)).json.result[0].scopes as string[];
    expect(await scopesOf(before.api_key_id)).toEqual(["mail.send", ...SERVICE_GRANTED_SCOPES, ...assigned]);
    const after = (await sg("POST", "/v3/api_keys", { name: "After", scopes: ["mail.send"] })).json;
    expect(after.scopes).toEqual(["mail.send", ...SERVICE_GRANTED_SCOPES, ...assigned]);
    expect((await sg("GET", "/v3/scopes")).json.scopes).toEqual(expect.arrayContaining(assigned));
    // PUT sets the scopes it is given (plus those granted every key): left out, they are gone...
    await sg("PUT", `/v3/api_keys/${after.api_key_id}`, { name: "After", scopes: ["templates.read"] });
    expect(await scopesOf(after.api_key_id)).toEqual(["templates.read", ...SERVICE_GRANTED_SCOPES]);
    // ...sent back, they stay.
    expect((await sg("PUT", `/v3/api_keys/${before.api_key_id}`, { name: "Before", scopes: ["templates.read", ...assigned] })).status).toBe(200);
    expect(await scopesOf(before.api_key_id)).toEqual(["templates.read", ...assigned, ...SERVICE_GRANTED_SCOPES]);
    // Refused: unknown settings and scopes SendGrid does not assign by itself; reset clears the setting.
    await expect(t.admin.setAccountSettings("sendgrid", { grantedScopes: ["mail.send"] })).rejects.toThrow(/400/);
    await expect(t.admin.setAccountSettings("sendgrid", { grants: [] })).rejects.toThrow(/Unknown SendGrid account setting/);
    await expect(t.admin.setAccountSettings("mailjet", {})).rejects.toThrow(/404/);
    await t.admin.reset();
    expect(await t.admin.accountSettings("sendgrid")).toEqual({ grantedScopes: [] });
  });

  it("knows every scope the stack format offers", () => {
    expect(KNOWN_SENDGRID_SCOPES.filter((s) => !isKnownScope(s))).toEqual([]);
  });

  it("caps keys at 100 and pages the list with limit/offset and a Link header", async () => {
    for (let i = 0; i < 100; i++) expect((await sg("POST", "/v3/api_keys", { name: `k${i}` })).status).toBe(201);
    const over = await sg("POST", "/v3/api_keys", { name: "one too many" });
    expect(over.status).toBe(403);
    expect(over.json.errors[0].message).toMatch(/100/);

    const seen: string[] = [];
    let offset = 0;
    let pages = 0;
    for (;;) {
      const res = await sg("GET", `/v3/api_keys?limit=40&offset=${offset}`);
      expect(res.status).toBe(200);
      seen.push(...res.json.result.map((k: { name: string }) => k.name));
      pages++;
      const link = res.headers.get("link") ?? "";
      expect(link).toContain('rel="first"');
      expect(link).toMatch(/offset=80>; rel="last"; title="3"/);
      const next = /<[^>]*offset=(\d+)>; rel="next"/.exec(link);
      if (!next) break;
      offset = Number(next[1]);
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 100 }, (_, i) => `k${i}`));
    expect((await sg("GET", "/v3/api_keys?limit=501")).status).toBe(400);
    expect((await sg("GET", "/v3/api_keys?limit=0")).status).toBe(400);
  });
});

describe("SendGrid unsubscribe groups", () => {
  it("creates, lists by id, updates (201) and deletes, with one default group", async () => {
    const a = (await sg("POST", "/v3/asm/groups", { name: "Newsletters", description: "Monthly", is_default: true })).json;
    const b = (await sg("POST", "/v3/asm/groups", { name: "Product", description: "Tips", is_default: true })).json;
    expect((await sg("GET", `/v3/asm/groups/${a.id}`)).json.is_default).toBe(false);
    expect((await sg("GET", `/v3/asm/groups?id=${b.id}`)).json.map((g: { id: number }) => g.id)).toEqual([b.id]);
    expect((await sg("GET", "/v3/asm/groups")).json).toHaveLength(2);
    const updated = await sg("PATCH", `/v3/asm/groups/${a.id}`, { description: "Weekly" });
    expect(updated.status).toBe(201);
    expect(updated.json).toMatchObject({ id: a.id, name: "Newsletters", description: "Weekly", unsubscribes: 0 });
    expect((await sg("POST", "/v3/asm/groups", { name: "Newsletters", description: "dup" })).status).toBe(400);
    expect((await sg("POST", "/v3/asm/groups", { name: "x".repeat(31), description: "d" })).status).toBe(400);
    expect((await sg("DELETE", `/v3/asm/groups/${a.id}`)).status).toBe(204);
    expect((await sg("GET", `/v3/asm/groups/${a.id}`)).status).toBe(404);
  });
});

describe("SendGrid event webhooks", () => {
  it("account_status_change is set by PATCH and shown only with include=account_status_change", async () => {
    const W = "/v3/user/webhooks/event/settings";
    const created = await sg("POST", W, { url: "https://h.example.com/a", bounce: true, account_status_change: true });
    expect(created.status).toBe(201);
    expect(created.json).not.toHaveProperty("account_status_change");
    const id = created.json.id as string;
    const INCLUDE = "?include=account_status_change";
    expect((await sg("GET", `${W}/${id}`)).json).not.toHaveProperty("account_status_change");
    // Not in the create body (EventWebhookRequest): a new webhook has it off, as documented.
    expect((await sg("GET", `${W}/${id}${INCLUDE}`)).json).toMatchObject({ id, account_status_change: false, bounce: true });
    const patched = await sg("PATCH", `${W}/${id}${INCLUDE}`, { url: "https://h.example.com/a", account_status_change: true });
    expect(patched.json).toMatchObject({ account_status_change: true, bounce: true });
    expect((await sg("GET", `${W}/all${INCLUDE}`)).json.webhooks[0]).toMatchObject({ id, account_status_change: true });
    expect((await sg("GET", `${W}/all`)).json.webhooks[0]).not.toHaveProperty("account_status_change");
    expect((await sg("PATCH", `${W}/${id}`, { url: "https://h.example.com/a", account_status_change: "yes" })).status).toBe(400);
  });
});

describe("SendGrid rate limits", () => {
  it("sends X-RateLimit-* on every answer and a 429 past the limit, until the reset", async () => {
    await t.admin.setRateLimits({ vendor: "sendgrid", limit: 3, windowMs: 1500 });
    try {
      const before = Math.floor(Date.now() / 1000);
      const answers = [];
      for (let i = 0; i < 4; i++) answers.push(await sg("GET", "/v3/scopes"));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429]);
      expect(answers.map((a) => a.headers.get("x-ratelimit-remaining"))).toEqual(["2", "1", "0", "0"]);
      for (const a of answers) {
        expect(a.headers.get("x-ratelimit-limit")).toBe("3");
        const reset = Number(a.headers.get("x-ratelimit-reset"));
        expect(reset).toBeGreaterThanOrEqual(before);
        expect(reset).toBeLessThanOrEqual(before + 3);
      }
      expect(answers[3]!.json).toEqual({ errors: [{ field: null, message: "too many requests" }] });
      // Errors answered by a handler carry the headers too.
      await new Promise((r) => setTimeout(r, 1600));
      const missing = await sg("GET", "/v3/templates/nope");
      expect(missing.status).toBe(404);
      expect(missing.headers.get("x-ratelimit-remaining")).toBe("2");
    } finally {
      await t.admin.setRateLimits({ vendor: "sendgrid", limit: 600, windowMs: 60_000 });
    }
  });
});

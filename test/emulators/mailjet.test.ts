/**
 * The Mailjet v3 REST emulator: Basic auth, the `{Count, Data, Total}` envelope, PUT-as-PATCH and
 * its 304, pagination, sorting and filters, templates and their content, API keys, senders,
 * contact lists, event callback URLs, and the per-minute rate limit.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { USER_ID } from "../../emulators/mailjet/apikeys";
import { request, useEmulators, type Reply } from "./helpers";

const { apiKey, secretKey } = DEFAULT_CREDENTIALS.mailjet;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const MASTER = basic(apiKey, secretKey);

const t = useEmulators();

function mj(method: string, path: string, body?: unknown, auth = MASTER): Promise<Reply> {
  return request(t.emu.urls.mailjet, method, `/v3/REST${path}`, { body, headers: { Authorization: auth } });
}

function expectError(reply: Reply, status: number, message?: RegExp): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.json).toEqual({ ErrorInfo: expect.any(String), ErrorMessage: expect.any(String), StatusCode: status });
  if (message) expect(reply.json.ErrorMessage).toMatch(message);
}

async function created(path: string, body: unknown, auth = MASTER): Promise<any> {
  const reply = await mj("POST", path, body, auth);
  expect(reply.status, reply.text).toBe(201);
  return reply.json.Data[0];
}

beforeEach(async () => {
  await t.admin.reset();
  await t.admin.setRateLimits({ vendor: "mailjet", limit: 300, windowMs: 60_000, enabled: true });
});

describe("Mailjet authentication", () => {
  it("answers 401 in Mailjet's error shape without, or with wrong, Basic credentials", async () => {
    const cases: (string | undefined)[] = [
      undefined,
      basic(apiKey, "wrong-secret"),
      basic("wrong-key", secretKey),
      `Bearer ${secretKey}`,
      "Basic !!!not-base64",
      `Basic ${Buffer.from(apiKey).toString("base64")}`, // no colon
    ];
    for (const auth of cases) {
      const reply = await request(t.emu.urls.mailjet, "GET", "/v3/REST/template", { headers: auth ? { Authorization: auth } : {} });
      expectError(reply, 401, /authentication/);
      expect(reply.headers.get("www-authenticate")).toMatch(/^Basic /);
    }
    expect((await mj("GET", "/template")).status).toBe(200);
  });

  it("accepts a key created through the API while it is active, and lists the master key", async () => {
    const key = await created("/apikey", { Name: "Reporting" });
    expect(key).toMatchObject({ Name: "Reporting", IsActive: true, IsMaster: false });
    expect(key.APIKey).toMatch(/^[0-9a-f]{32}$/);
    expect(key.SecretKey).toMatch(/^[0-9a-f]{32}$/);
    const own = basic(key.APIKey, key.SecretKey);
    expect((await mj("GET", "/template", undefined, own)).status).toBe(200);
    expectError(await mj("GET", "/template", undefined, basic(key.APIKey, secretKey)), 401);

    expect((await mj("PUT", `/apikey/${key.ID}`, { IsActive: false })).status).toBe(200);
    expectError(await mj("GET", "/template", undefined, own), 401);

    const master = (await mj("GET", "/apikey?IsMaster=true")).json.Data;
    expect(master).toEqual([expect.objectContaining({ APIKey: apiKey, IsMaster: true, IsActive: true })]);
    expectError(await mj("DELETE", `/apikey/${master[0].ID}`), 403, /master/);
    expectError(await mj("PUT", `/apikey/${master[0].ID}`, { IsActive: false }), 400, /master/);
  });
});

describe("Mailjet envelope and PUT semantics", () => {
  it("wraps every GET/POST/PUT body, GET by id included; POST 201, DELETE 204", async () => {
    const post = await mj("POST", "/contactslist", { Name: "Newsletter" });
    expect(post.status).toBe(201);
    expect(post.json).toEqual({ Count: 1, Data: [expect.objectContaining({ Name: "Newsletter", IsDeleted: false })], Total: 1 });
    const id = post.json.Data[0].ID;

    const get = await mj("GET", `/contactslist/${id}`);
    expect(get.json).toEqual({ Count: 1, Data: [post.json.Data[0]], Total: 1 });

    const put = await mj("PUT", `/contactslist/${id}`, { Name: "Weekly" });
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ Count: 1, Data: [{ ...post.json.Data[0], Name: "Weekly" }], Total: 1 });

    const del = await mj("DELETE", `/contactslist/${id}`);
    expect(del.status).toBe(204);
    expect(del.text).toBe("");
    expectError(await mj("GET", `/contactslist/${id}`), 404, /not found/i);
    expectError(await mj("PUT", `/contactslist/${id}`, { Name: "x" }), 404);
    expectError(await mj("DELETE", `/contactslist/${id}`), 404);
  });

  it("changes only the given properties on PUT and answers 304 with no body when nothing changes", async () => {
    const list = await created("/contactslist", { Name: "Customers" });
    const same = await mj("PUT", `/contactslist/${list.ID}`, { Name: "Customers" });
    expect(same.status).toBe(304);
    expect(same.text).toBe("");
    expect((await mj("PUT", `/contactslist/${list.ID}`, {})).status).toBe(304);
    const flagged = await mj("PUT", `/contactslist/${list.ID}`, { IsDeleted: true });
    expect(flagged.json.Data[0]).toEqual({ ...list, IsDeleted: true });
  });

  it("refuses read-only, unknown and ill-typed properties with 400", async () => {
    const list = await created("/contactslist", { Name: "Leads" });
    expectError(await mj("PUT", `/contactslist/${list.ID}`, { SubscriberCount: 5 }), 400, /read-only/);
    expectError(await mj("PUT", `/contactslist/${list.ID}`, { Colour: "red" }), 400, /no property "Colour"/);
    expectError(await mj("PUT", `/contactslist/${list.ID}`, { IsDeleted: "yes" }), 400, /IsDeleted/);
    expectError(await mj("POST", "/contactslist", {}), 400, /Name.*required/);
    expectError(await mj("POST", "/contactslist", [{ Name: "x" }]), 400);
    const malformed = await request(t.emu.urls.mailjet, "POST", "/v3/REST/contactslist", {
      rawBody: "{nope",
      headers: { Authorization: MASTER, "content-type": "application/json" },
    });
    expectError(malformed, 400);
    expectError(await mj("POST", "/contactslist", { Name: "Leads" }), 400, /already exists/);
  });
});

describe("Mailjet pagination, sorting and counting", () => {
  beforeEach(async () => {
    for (let i = 1; i <= 25; i++) await created("/contactslist", { Name: `List ${String(i).padStart(2, "0")}` });
  });

  it("pages with Limit (default 10) and Offset; Count is the page, Total every match", async () => {
    const first = await mj("GET", "/contactslist");
    expect(first.json.Count).toBe(10);
    expect(first.json.Total).toBe(25);
    expect(first.json.Data[0].Name).toBe("List 01");

    const names: string[] = [];
    for (let offset = 0; ; offset += 7) {
      const page = (await mj("GET", `/contactslist?Limit=7&Offset=${offset}`)).json;
      expect(page.Count).toBe(page.Data.length);
      expect(page.Total).toBe(25);
      names.push(...page.Data.map((l: { Name: string }) => l.Name));
      if (page.Count < 7) break;
    }
    expect(names).toEqual(Array.from({ length: 25 }, (_, i) => `List ${String(i + 1).padStart(2, "0")}`));

    expect((await mj("GET", "/contactslist?Offset=100")).json).toEqual({ Count: 0, Data: [], Total: 25 });
    expect((await mj("GET", "/contactslist?Limit=5000")).json.Count).toBe(25); // clamped to 1000
    expect((await mj("GET", "/contactslist?limit=3&OFFSET=1")).json.Data[0].Name).toBe("List 02");
    expectError(await mj("GET", "/contactslist?Limit=-1"), 400, /Limit/);
    expectError(await mj("GET", "/contactslist?Offset=abc"), 400, /Offset/);
  });

  it("sorts with Sort=Prop [ASC|DESC] and counts with countOnly=1", async () => {
    const desc = (await mj("GET", "/contactslist?Sort=Name+DESC&Limit=3")).json.Data.map((l: { Name: string }) => l.Name);
    expect(desc).toEqual(["List 25", "List 24", "List 23"]);
    const encoded = await mj("GET", `/contactslist?Sort=${encodeURIComponent("ID DESC")}&Limit=1`);
    expect(encoded.json.Data[0].Name).toBe("List 25");
    expect((await mj("GET", "/contactslist?Sort=Name&Limit=1")).json.Data[0].Name).toBe("List 01");
    expectError(await mj("GET", "/contactslist?Sort=Colour"), 400, /Sort/);
    expectError(await mj("GET", "/contactslist?Sort=Name+SIDEWAYS"), 400, /Sort/);

    expect((await mj("GET", "/contactslist?countOnly=1")).json).toEqual({ Count: 25, Data: [], Total: 25 });
    expect((await mj("GET", "/contactslist?countOnly=1&Name=List%2003")).json).toEqual({ Count: 1, Data: [], Total: 1 });
    expectError(await mj("GET", "/contactslist?countOnly=yes"), 400);
    expectError(await mj("GET", "/contactslist?Colour=red"), 400, /Unknown filter/);
  });
});

describe("Mailjet templates", () => {
  it("creates with Mailjet's defaults and read-only fields, and addresses by ID or OwnerType|Name", async () => {
    const tpl = await created("/template", { Name: "Receipt", Purposes: ["transactional"] });
    expect(tpl).toEqual({
      ID: expect.any(Number),
      Author: "",
      Categories: [],
      Copyright: "",
      Description: "",
      EditMode: 1,
      IsStarred: false,
      IsTextPartGenerationEnabled: false,
      Locale: "en_US",
      Name: "Receipt",
      OwnerType: "apikey",
      Presets: "",
      Purposes: ["transactional"],
      OwnerId: expect.any(Number),
      Previews: [],
      CreatedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      LastUpdatedAt: expect.any(String),
      LocaleList: ["en_US"],
    });
    const master = (await mj("GET", "/apikey?IsMaster=true")).json.Data[0];
    expect(tpl.OwnerId).toBe(master.ID);
    for (const path of [`/template/${tpl.ID}`, "/template/apikey%7CReceipt", "/template/apikey|Receipt"]) {
      expect((await mj("GET", path)).json, path).toEqual({ Count: 1, Data: [tpl], Total: 1 });
    }
    expectError(await mj("GET", "/template/user%7CReceipt"), 404);
    expectError(await mj("GET", "/template/Receipt"), 404);
  });

  it("keeps (OwnerType, OwnerId, Name) unique, on create and on rename", async () => {
    const a = await created("/template", { Name: "Welcome" });
    expectError(await mj("POST", "/template", { Name: "Welcome" }), 400, /already exists/);
    const user = await created("/template", { Name: "Welcome", OwnerType: "user" });
    expect(user.OwnerId).not.toBe(a.OwnerId);
    const b = await created("/template", { Name: "Other" });
    expectError(await mj("PUT", `/template/${b.ID}`, { Name: "Welcome" }), 400, /already exists/);
  });

  it("updates only the given properties, refreshes LastUpdatedAt, moves a template to another OwnerType under its ID", async () => {
    const tpl = await created("/template", { Name: "Invoice", Categories: ["billing"] });
    await t.admin.patchObject("mailjet", "template", tpl.ID, { LastUpdatedAt: "2020-01-01T00:00:00Z" });
    const put = await mj("PUT", `/template/${tpl.ID}`, { Description: "Monthly", EditMode: 2 });
    expect(put.status).toBe(200);
    expect(put.json.Data[0]).toMatchObject({ Name: "Invoice", Categories: ["billing"], Description: "Monthly", EditMode: 2 });
    expect(put.json.Data[0].LastUpdatedAt).not.toBe("2020-01-01T00:00:00Z");
    expect((await mj("PUT", `/template/${tpl.ID}`, { Description: "Monthly" })).status).toBe(304);
    expect((await mj("PUT", `/template/${tpl.ID}`, { OwnerType: "apikey" })).status).toBe(304);
    const moved = await mj("PUT", `/template/${tpl.ID}`, { OwnerType: "user" });
    expect(moved.status).toBe(200);
    expect(moved.json.Data[0]).toMatchObject({ ID: tpl.ID, OwnerType: "user", OwnerId: USER_ID, Name: "Invoice" });
    expect((await mj("GET", "/template/user%7CInvoice")).json.Data[0].ID).toBe(tpl.ID);
    expect((await mj("PUT", `/template/${tpl.ID}`, { OwnerType: "apikey" })).json.Data[0]).toMatchObject({ OwnerType: "apikey", OwnerId: tpl.OwnerId });
    // Moving onto a name the other owner already has is the usual uniqueness 400.
    await created("/template", { Name: "Invoice", OwnerType: "global" });
    expectError(await mj("PUT", `/template/${tpl.ID}`, { OwnerType: "global" }), 400, /already exists/);
    for (const ro of ["ID", "OwnerId", "Previews", "CreatedAt", "LastUpdatedAt", "LocaleList"]) {
      expectError(await mj("PUT", `/template/${tpl.ID}`, { [ro]: tpl[ro] }), 400, /read-only/);
    }
    expectError(await mj("PUT", `/template/${tpl.ID}`, { EditMode: 7 }), 400, /EditMode/);
    expectError(await mj("PUT", `/template/${tpl.ID}`, { Purposes: ["spam"] }), 400, /Purposes/);
    expectError(await mj("PUT", `/template/${tpl.ID}`, { Locale: "english" }), 400, /Locale/);
    expectError(await mj("PUT", `/template/${tpl.ID}`, { Name: "" }), 400, /Name/);
  });

  it("filters lists by Name, OwnerType, EditMode, Categories and Purposes", async () => {
    await created("/template", { Name: "A", Categories: ["billing", "eu"], Purposes: ["transactional"], EditMode: 2 });
    await created("/template", { Name: "B", Categories: ["billing"], Purposes: ["marketing", "automation"] });
    await created("/template", { Name: "C", OwnerType: "user", Categories: ["eu"], EditMode: 4 });
    const names = async (q: string) => (await mj("GET", `/template?${q}`)).json.Data.map((x: { Name: string }) => x.Name);
    expect(await names("Name=B")).toEqual(["B"]);
    expect(await names("OwnerType=user")).toEqual(["C"]);
    expect(await names("EditMode=2")).toEqual(["A"]);
    expect(await names("Categories=eu")).toEqual(["A", "C"]);
    expect(await names("Categories=billing,eu&CategoriesSelectionMethod=containsall")).toEqual(["A"]);
    expect(await names("Categories=billing,eu&CategoriesSelectionMethod=containsany")).toEqual(["A", "B", "C"]);
    expect(await names("Purposes=automation")).toEqual(["B"]);
    expect(await names("Purposes=transactional,marketing&PurposesSelectionMethod=containsAll")).toEqual([]);
    expectError(await mj("GET", "/template?CategoriesSelectionMethod=most"), 400);
    expectError(await mj("GET", "/template?EditMode=html"), 400);
  });

  it("shows a key its own apikey templates and every user and global one", async () => {
    await created("/template", { Name: "Mine" });
    await created("/template", { Name: "Shared", OwnerType: "user" });
    const key = await created("/apikey", { Name: "Sub" });
    const sub = basic(key.APIKey, key.SecretKey);
    const subTpl = await created("/template", { Name: "Mine" }, sub); // same name, other owner: allowed
    expect(subTpl.OwnerId).toBe(key.ID);
    const seen = (await mj("GET", "/template", undefined, sub)).json.Data.map((x: { Name: string; OwnerType: string }) => `${x.OwnerType}|${x.Name}`);
    expect(seen).toEqual(["user|Shared", "apikey|Mine"]);
    expect((await mj("GET", "/template/apikey%7CMine", undefined, sub)).json.Data[0].ID).toBe(subTpl.ID);
  });

  it("replaces content on POST detailcontent, merges on PUT, 304 when unchanged", async () => {
    const tpl = await created("/template", { Name: "Content" });
    const path = `/template/${tpl.ID}/detailcontent`;
    expect((await mj("GET", path)).json).toEqual({
      Count: 1,
      Data: [{ Headers: {}, "Html-part": "", "Text-part": "", MJMLContent: "" }],
      Total: 1,
    });
    const full = { Headers: { From: "Shop <shop@example.com>", Subject: "Hi", "Reply-to": "help@example.com" }, "Html-part": "<p>Hi</p>", "Text-part": "Hi", MJMLContent: "<mjml/>" };
    const post = await mj("POST", path, full);
    expect(post.status).toBe(201);
    expect(post.json).toEqual({ Count: 1, Data: [full], Total: 1 });

    const merged = await mj("PUT", path, { "Text-part": "Hello" });
    expect(merged.status).toBe(200);
    expect(merged.json.Data[0]).toEqual({ ...full, "Text-part": "Hello" });
    expect((await mj("PUT", path, { "Text-part": "Hello" })).status).toBe(304);

    const replaced = await mj("POST", path, { "Html-part": "<p>Only</p>" });
    expect(replaced.json.Data[0]).toEqual({ Headers: {}, "Html-part": "<p>Only</p>", "Text-part": "", MJMLContent: "" });
    expect((await mj("GET", "/template/apikey%7CContent/detailcontent")).json.Data[0]["Html-part"]).toBe("<p>Only</p>");

    expectError(await mj("PUT", path, { Subject: "x" }), 400, /no property "Subject"/);
    expectError(await mj("POST", path, { Headers: { From: 1 } }), 400, /Headers/);
    expectError(await mj("POST", path, { "Html-part": 5 }), 400, /Html-part/);
    expectError(await mj("GET", "/template/999/detailcontent"), 404);

    expect((await mj("DELETE", `/template/${tpl.ID}`)).status).toBe(204);
    expect(await t.admin.listObjects("mailjet", "template_detailcontent")).toEqual([]);
  });
});

describe("Mailjet senders and event callback URLs", () => {
  it("keeps a sender's Email fixed and unique, addressable by ID or Email", async () => {
    const sender = await created("/sender", { Email: "shop@example.com", Name: "Shop" });
    expect(sender).toMatchObject({ EmailType: "unknown", IsDefaultSender: false, Status: "Inactive", DNSID: expect.any(Number) });
    // The domain's DNS entry, made with its first sender and shared by the domain's other senders.
    const dns = (await mj("GET", `/dns/${sender.DNSID}`)).json.Data[0];
    expect(dns).toMatchObject({ Domain: "example.com", DKIMRecordName: "mailjet._domainkey.example.com", SPFStatus: "Not checked", DKIMStatus: "Not checked" });
    expect((await mj("GET", "/dns/example.com")).json.Data[0].ID).toBe(sender.DNSID);
    expect((await created("/sender", { Email: "*@example.com" })).DNSID).toBe(sender.DNSID);
    expect((await mj("DELETE", `/dns/${sender.DNSID}`)).status).toBe(405);
    expect((await mj("GET", "/sender/shop@example.com")).json.Data[0].ID).toBe(sender.ID);
    expect((await mj("PUT", `/sender/${sender.ID}`, { Email: "shop@example.com" })).status).toBe(304);
    expectError(await mj("PUT", `/sender/${sender.ID}`, { Email: "other@example.com" }), 400, /cannot be changed/);
    expect((await mj("PUT", `/sender/${sender.ID}`, { Name: "The Shop", EmailType: "transactional" })).status).toBe(200);
    expectError(await mj("POST", "/sender", { Email: "shop@example.com" }), 400, /already exists/);
    expectError(await mj("POST", "/sender", { Email: "Shop@Example.COM" }), 400, /already exists/);
    expectError(await mj("POST", "/sender", { Email: "not-an-email" }), 400, /Email/);
    expectError(await mj("PUT", `/sender/${sender.ID}`, { Status: "Active" }), 400, /read-only/);
    await created("/sender", { Email: "*@example.org" });
    expect((await mj("GET", "/sender?Domain=example.org")).json.Count).toBe(1);
    expect((await mj("GET", "/sender?LocalPart=shop")).json.Data[0].Email).toBe("shop@example.com");
  });

  it("keeps one callback URL per event type and backup flag", async () => {
    const hook = await created("/eventcallbackurl", { Url: "https://hooks.example.com/mj" });
    const master = (await mj("GET", "/apikey?IsMaster=true")).json.Data[0];
    expect(hook).toEqual({ ID: expect.any(Number), APIKeyID: master.ID, EventType: "open", IsBackup: false, Status: "alive", Url: "https://hooks.example.com/mj", Version: 1 });
    expectError(await mj("POST", "/eventcallbackurl", { Url: "https://other.example.com" }), 400, /already exists/);
    await created("/eventcallbackurl", { Url: "https://other.example.com", IsBackup: true });
    await created("/eventcallbackurl", { Url: "https://other.example.com", EventType: "bounce", Version: 2 });
    expectError(await mj("POST", "/eventcallbackurl", { Url: "ftp://x", EventType: "click" }), 400, /Url/);
    expectError(await mj("POST", "/eventcallbackurl", { Url: "https://x.example", EventType: "read" }), 400, /EventType/);
    expectError(await mj("POST", "/eventcallbackurl", { Url: "https://x.example", EventType: "click", Version: 3 }), 400, /Version/);
    expectError(await mj("POST", "/eventcallbackurl", { Url: "https://x.example", EventType: "click", APIKeyID: 1 }), 400, /API key/);
    expect((await mj("PUT", `/eventcallbackurl/${hook.ID}`, { Status: "dead" })).json.Data[0].Status).toBe("dead");
    expect((await mj("GET", "/eventcallbackurl?EventType=bounce")).json.Data[0].Version).toBe(2);
  });
});

describe("Mailjet rate limit", () => {
  it("answers 429 past the per-minute limit, per API key, and counts every request", async () => {
    await t.admin.setRateLimits({ vendor: "mailjet", limit: 3, windowMs: 60_000 });
    const key = await created("/apikey", { Name: "Other" }); // request 1
    expect((await mj("GET", "/template")).status).toBe(200); // 2
    expect((await mj("GET", "/template")).status).toBe(200); // 3
    const limited = await mj("GET", "/template");
    expectError(limited, 429);
    expect((await mj("GET", "/template", undefined, basic(key.APIKey, key.SecretKey))).status).toBe(200);
    expect(await t.admin.countRequests({ vendor: "mailjet", status: "429" })).toBe(1);
    await t.admin.setRateLimits({ vendor: "mailjet", limit: 300 }); // a new window
    expect((await mj("GET", "/template")).status).toBe(200);
  });
});

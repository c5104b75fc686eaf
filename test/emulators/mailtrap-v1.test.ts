/** Mailtrap API v1: companies and inboxes over the v2 data, in JSON and XML. */
import { beforeEach, describe, expect, it } from "vitest";
import { fromXml } from "../../emulators/mailtrap/xml";
import { request, TOKEN, useEmulators } from "./helpers";

const t = useEmulators();
const auth = { "Api-Token": TOKEN };

beforeEach(async () => {
  await t.admin.reset();
});

const v1 = (method: string, path: string, opts: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}) =>
  request(t.emu.urls.mailtrap, method, path, { ...opts, headers: { ...auth, ...opts.headers } });

describe("Mailtrap API v1 in JSON", () => {
  it("creates, reads, updates and deletes a company and its inboxes, sharing data with v2", async () => {
    const company = await v1("POST", "/api/v1/companies", { body: { company: { name: "Legacy" } } });
    expect(company.status).toBe(201);
    expect(company.json).toMatchObject({ name: "Legacy", is_owner: true, inboxes: [] });
    const id = company.json.id;

    const inbox = await v1("POST", `/api/v1/companies/${id}/inboxes.json`, { body: { inbox: { name: "Old inbox" } } });
    expect(inbox.status).toBe(201);
    expect(inbox.json).toMatchObject({ name: "Old inbox", company_id: id, project_id: id });

    const v2 = await t.mt("GET", `/api/projects/${id}`);
    expect(v2.json.name).toBe("Legacy");
    expect(v2.json.sandboxes.map((s: { id: number }) => s.id)).toEqual([inbox.json.id]);

    expect((await v1("PATCH", `/api/v1/companies/${id}`, { body: { company: { name: "Legacy 2" } } })).json.name).toBe("Legacy 2");
    expect((await v1("PATCH", `/api/v1/inboxes/${inbox.json.id}`, { body: { inbox: { name: "Renamed" } } })).json.name).toBe("Renamed");
    expect((await t.mt("GET", `/api/sandboxes/${inbox.json.id}`)).json.name).toBe("Renamed");
    expect((await v1("GET", "/api/v1/inboxes")).json).toHaveLength(1);
    expect((await v1("GET", "/api/v1/companies")).json[0].inboxes[0].name).toBe("Renamed");

    const toggled = await v1("PATCH", `/api/v1/inboxes/${inbox.json.id}/toggle_email_username`);
    expect(toggled.json.email_username_enabled).toBe(true);

    const deleted = await v1("DELETE", `/api/v1/companies/${id}`);
    expect(deleted.status).toBe(200);
    expect((await v1("GET", `/api/v1/inboxes/${inbox.json.id}`)).status).toBe(404);
    expect((await v1("GET", `/api/v1/companies/${id}`)).json).toEqual({ error: "Not Found" });
  });

  it("sends X-RATELIMIT-LIMIT and X-RATELIMIT-REMAINING on v1 only", async () => {
    const first = await v1("GET", "/api/v1/companies");
    const second = await v1("GET", "/api/v1/companies");
    expect(first.headers.get("x-ratelimit-limit")).toBe("150");
    expect(Number(second.headers.get("x-ratelimit-remaining"))).toBe(Number(first.headers.get("x-ratelimit-remaining")) - 1);
    expect((await t.mt("GET", "/api/projects")).headers.get("x-ratelimit-limit")).toBeNull();
  });

  it("validates like v2", async () => {
    const res = await v1("POST", "/api/v1/companies", { body: { company: { name: "x" } } });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ errors: { name: ["is too short (minimum is 2 characters)"] } });
  });
});

describe("Mailtrap API v1 in XML", () => {
  it("answers XML for a .xml suffix, in Rails' to_xml shape", async () => {
    await v1("POST", "/api/v1/companies", { body: { company: { name: "Xml & Co" } } });
    const res = await v1("GET", "/api/v1/companies.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/xml/);
    expect(res.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<companies type="array">/);
    expect(res.text).toContain("<name>Xml &amp; Co</name>");
    expect(res.text).toContain('<is-owner type="boolean">true</is-owner>');
    const parsed = fromXml(res.text) as { companies: { name: string; id: number }[] };
    expect(parsed.companies[0]).toMatchObject({ name: "Xml & Co", id: expect.any(Number) });
  });

  it("answers XML when Accept asks for it, and JSON for .json whatever Accept says", async () => {
    const xml = await v1("GET", "/api/v1/user", { headers: { Accept: "application/xml" } });
    expect(xml.text).toMatch(/<user>\n {2}<id type="integer">\d+<\/id>/);
    const json = await v1("GET", "/api/v1/user.json", { headers: { Accept: "application/xml" } });
    expect(json.json).toMatchObject({ id: expect.any(Number) });
  });

  it("reads XML bodies and answers in XML", async () => {
    const created = await v1("POST", "/api/v1/companies", {
      rawBody: "<?xml version=\"1.0\"?><company><name>From XML</name></company>",
      headers: { "Content-Type": "application/xml" },
    });
    expect(created.status).toBe(201);
    expect(fromXml(created.text)).toMatchObject({ company: { name: "From XML", inboxes: [] } });
    expect((await t.mt("GET", "/api/projects")).json[0].name).toBe("From XML");
  });

  it("answers errors in XML too", async () => {
    const missing = await v1("GET", "/api/v1/inboxes/424242.xml");
    expect(missing.status).toBe(404);
    expect(fromXml(missing.text)).toEqual({ hash: { error: "Not Found" } });
    const unauthorized = await request(t.emu.urls.mailtrap, "GET", "/api/v1/user.xml");
    expect(unauthorized.status).toBe(401);
    expect(fromXml(unauthorized.text)).toEqual({ hash: { error: "Incorrect API token" } });
  });

  it("answers 400 for malformed XML and 406 for an Accept it cannot serve", async () => {
    const bad = await v1("POST", "/api/v1/companies", { rawBody: "<company><name>oops</company>", headers: { "Content-Type": "text/xml" } });
    expect(bad.status).toBe(400);
    expect(fromXml(bad.text)).toEqual({ hash: { error: expect.stringMatching(/^Malformed XML/) } });
    const notAcceptable = await v1("GET", "/api/v1/companies", { headers: { Accept: "text/csv" } });
    expect(notAcceptable.status).toBe(406);
    expect((await v1("GET", "/api/v1/companies")).json).toEqual([]);
  });
});

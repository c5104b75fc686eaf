/** Mailtrap behaviour beyond the schemas: validation, secrets, resets, cascades, malformed input. */
import { beforeEach, describe, expect, it } from "vitest";
import { ACCOUNT_ID, request, TOKEN, useEmulators } from "./helpers";

const t = useEmulators();

beforeEach(async () => {
  await t.admin.reset();
});

const project = async (name = "Project") => (await t.mt("POST", "/api/projects", { project: { name } })).json.id as number;
const sandbox = async () =>
  (await t.mt("POST", `/api/projects/${await project()}/sandboxes`, { sandbox: { name: "Box" } })).json as Record<string, any>;

describe("malformed input", () => {
  it.each([
    ["malformed JSON", "{\"project\": {\"name\": "],
    ["a JSON string", "\"just a string\""],
    ["a JSON array", "[1, 2]"],
    ["null", "null"],
    ["an empty wrapper", "{\"project\": {}}"],
    ["a wrapper of the wrong type", "{\"project\": \"Staging\"}"],
  ])("answers 400 in Mailtrap's shape for %s", async (_name, rawBody) => {
    const res = await request(t.emu.urls.mailtrap, "POST", "/api/projects", {
      rawBody,
      headers: { "Api-Token": TOKEN, "Content-Type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: expect.any(String) });
    expect((await t.mt("GET", "/api/projects")).json).toEqual([]);
  });

  it("reads v2 bodies as JSON only: an XML body is malformed JSON there", async () => {
    const res = await request(t.emu.urls.mailtrap, "POST", "/api/projects", {
      rawBody: "<project><name>Xml</name></project>",
      headers: { "Api-Token": TOKEN, "Content-Type": "application/xml" },
    });
    expect(res.status).toBe(400);
    expect(res.json).toEqual({ error: expect.stringMatching(/^Malformed JSON/) });
  });

  it.each([
    ["a number", 42],
    ["a boolean", true],
    ["an object", { first: "a" }],
    ["an array", ["a", "b"]],
  ])("answers 422 for a name that is %s", async (_name, name) => {
    const res = await t.mt("POST", "/api/projects", { project: { name } });
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ errors: { name: ["is invalid"] } });
  });

  it("answers 405 for an unsupported method on a known path, and keeps serving", async () => {
    const res = await t.mt("PUT", "/api/projects/1", { project: { name: "Put" } });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toContain("PATCH");
    expect((await t.mt("GET", "/api/projects")).status).toBe(200);
  });

  it("handles a large body without hanging", async () => {
    const res = await t.mt("POST", "/api/email_templates", {
      email_template: { name: "Big", category: "c", subject: "s", body_html: "x".repeat(2_000_000) },
    });
    expect(res.status).toBe(201);
    expect(res.json.body_html).toHaveLength(2_000_000);
  });
});

describe("sandboxes", () => {
  it("updates name and email_username only, and keeps email usernames unique", async () => {
    const a = await sandbox();
    const b = await sandbox();
    const updated = await t.mt("PATCH", `/api/sandboxes/${a.id}`, {
      sandbox: { name: "Renamed", email_username: "team-a", username: "ignored", status: "inactive" },
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ name: "Renamed", email_username: "team-a", username: a.username, status: "active" });
    const taken = await t.mt("PATCH", `/api/sandboxes/${b.id}`, { sandbox: { email_username: "team-a" } });
    expect(taken.status).toBe(422);
    expect(taken.json).toEqual({ errors: { email_username: ["has already been taken"] } });
    const invalid = await t.mt("PATCH", `/api/sandboxes/${b.id}`, { sandbox: { email_username: "not valid!" } });
    expect(invalid.json).toEqual({ errors: { email_username: ["is invalid"] } });
  });

  it("runs the actions", async () => {
    const box = await sandbox();
    await t.admin.patchObject("mailtrap", "sandboxes", box.id, { emails_count: 5, emails_unread_count: 3 });
    expect((await t.mt("PATCH", `/api/sandboxes/${box.id}/all_read`)).json).toMatchObject({ emails_count: 5, emails_unread_count: 0 });
    expect((await t.mt("PATCH", `/api/sandboxes/${box.id}/clean`)).json).toMatchObject({ emails_count: 0 });
    const reset = (await t.mt("PATCH", `/api/sandboxes/${box.id}/reset_credentials`)).json;
    expect(reset.password).not.toBe(box.password);
    expect((await t.mt("PATCH", `/api/sandboxes/${box.id}/toggle_email_username`)).json.email_username_enabled).toBe(true);
    expect((await t.mt("PATCH", `/api/sandboxes/${box.id}/toggle_email_username`)).json.email_username_enabled).toBe(false);
    expect((await t.mt("PATCH", `/api/sandboxes/${box.id}/reset_email_username`)).json.email_username).not.toBe(box.email_username);
  });

  it("answers a toggle that does not take (the admin knob email_username_toggle_ignored) with 200 and the sandbox unchanged, and never shows the knob", async () => {
    const box = await sandbox();
    await t.admin.patchObject("mailtrap", "sandboxes", box.id, { email_username_toggle_ignored: true });
    const toggled = await t.mt("PATCH", `/api/sandboxes/${box.id}/toggle_email_username`);
    expect(toggled.status).toBe(200);
    expect(toggled.json.email_username_enabled).toBe(false);
    expect(toggled.json).not.toHaveProperty("email_username_toggle_ignored");
    expect((await t.mt("GET", `/api/sandboxes/${box.id}`)).json).not.toHaveProperty("email_username_toggle_ignored");
    expect((await t.mt("GET", "/api/v1/inboxes/" + box.id)).json).not.toHaveProperty("email_username_toggle_ignored");
    await t.admin.patchObject("mailtrap", "sandboxes", box.id, { email_username_toggle_ignored: false });
    expect((await t.mt("PATCH", `/api/sandboxes/${box.id}/toggle_email_username`)).json.email_username_enabled).toBe(true);
  });

  it("deletes a sandbox and answers it", async () => {
    const box = await sandbox();
    const deleted = await t.mt("DELETE", `/api/sandboxes/${box.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual(box);
    expect((await t.mt("GET", `/api/projects/${box.project_id}`)).json.sandboxes).toEqual([]);
  });
});

describe("email templates", () => {
  it("creates 201, updates 200, deletes 204", async () => {
    const created = await t.mt("POST", "/api/email_templates", {
      email_template: { name: "Welcome", category: "Onboarding", subject: "Hi {{name}}", body_html: "<p>Hi</p>" },
    });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ name: "Welcome", body_text: "", body_html: "<p>Hi</p>", uuid: expect.any(String) });
    const updated = await t.mt("PATCH", `/api/email_templates/${created.json.id}`, {
      email_template: { name: "Welcome", category: "Onboarding", subject: "Hello" },
    });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ name: "Welcome", subject: "Hello", category: "Onboarding" });
    const scoped = await t.mt("GET", `/api/accounts/${ACCOUNT_ID}/email_templates/${created.json.id}`);
    expect(scoped.json).toEqual(updated.json);
    const deleted = await t.mt("DELETE", `/api/email_templates/${created.json.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect((await t.mt("GET", `/api/email_templates/${created.json.id}`)).status).toBe(404);
  });

  it("requires name, category and subject of at most 255 characters", async () => {
    const missing = await t.mt("POST", "/api/email_templates", { email_template: { name: "Only a name" } });
    expect(missing.status).toBe(422);
    expect(missing.json).toEqual({ errors: { category: ["can't be blank"], subject: ["can't be blank"] } });
    const long = await t.mt("POST", "/api/email_templates", { email_template: { name: "n".repeat(256), category: "c", subject: "s" } });
    expect(long.json).toEqual({ errors: { name: ["is too long (maximum is 255 characters)"] } });
    expect((await t.mt("POST", "/api/email_templates", { email_template: { name: "n".repeat(255), category: "c", subject: "s" } })).status).toBe(201);
  });

  it("requires name, category and subject in an update too (the one documented request body)", async () => {
    const created = await t.mt("POST", "/api/email_templates", { email_template: { name: "Welcome", category: "c", subject: "s" } });
    const partial = await t.mt("PATCH", `/api/email_templates/${created.json.id}`, { email_template: { subject: "Only a subject" } });
    expect(partial.status).toBe(422);
    expect(partial.json).toEqual({ errors: { name: ["can't be blank"], category: ["can't be blank"] } });
    expect((await t.mt("GET", `/api/email_templates/${created.json.id}`)).json.subject).toBe("s");
  });

  it("cannot clear a body once set: a blank body in an update leaves it as it is", async () => {
    const created = await t.mt("POST", "/api/email_templates", {
      email_template: { name: "Welcome", category: "c", subject: "s", body_html: "<p>Hi</p>", body_text: "Hi" },
    });
    const id = created.json.id;
    for (const blank of ["", null]) {
      const res = await t.mt("PATCH", `/api/email_templates/${id}`, {
        email_template: { name: "Welcome", category: "c", subject: "s2", body_html: blank, body_text: blank },
      });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ subject: "s2", body_html: "<p>Hi</p>", body_text: "Hi" });
    }
    const changed = await t.mt("PATCH", `/api/email_templates/${id}`, { email_template: { name: "Welcome", category: "c", subject: "s", body_text: "Hello" } });
    expect(changed.json).toMatchObject({ body_html: "<p>Hi</p>", body_text: "Hello" });
  });
});

describe("API tokens", () => {
  const create = (body: unknown, path = "/api/api_tokens") => t.mt("POST", path, body);
  const accountAdmin = [{ resource_type: "account", resource_id: ACCOUNT_ID, access_level: 100 }];

  it("shows the secret on create and reset only", async () => {
    const created = await create({ name: "CI", resources: accountAdmin });
    expect(created.status).toBe(200);
    expect(created.json.token).toMatch(/^[0-9a-f]{32}$/);
    expect(created.json.last_4_digits).toBe(created.json.token.slice(-4));
    const fetched = await t.mt("GET", `/api/api_tokens/${created.json.id}`);
    expect(fetched.json).not.toHaveProperty("token");
    expect(fetched.text).not.toContain(created.json.token);
    const list = await t.mt("GET", "/api/api_tokens");
    expect(list.text).not.toContain(created.json.token);
  });

  it("resets by expiring the token and issuing a new one with the same permissions, once", async () => {
    const created = (await create({ name: "CI", resources: accountAdmin })).json;
    const reset = await t.mt("POST", `/api/api_tokens/${created.id}/reset`);
    expect(reset.status).toBe(200);
    expect(reset.json).toMatchObject({ name: "CI", resources: created.resources, expires_at: null });
    expect(reset.json.id).not.toBe(created.id);
    expect(reset.json.token).not.toBe(created.token);
    const old = (await t.mt("GET", `/api/api_tokens/${created.id}`)).json;
    expect(Date.parse(old.expires_at)).toBeGreaterThan(Date.now());
    const again = await t.mt("POST", `/api/api_tokens/${created.id}/reset`);
    expect(again.status).toBe(422);
  });

  it("validates resources and shows inbox/sending_domain names on the older paths", async () => {
    const empty = await create({ name: "None", resources: [] });
    expect(empty.json).toEqual({ errors: { base: ["No permissions selected. Please choose at least one."] } });
    expect((await create({ resources: accountAdmin })).json).toEqual({ errors: { name: ["can't be blank"] } });
    expect((await create({ name: "Bad level", resources: [{ ...accountAdmin[0], access_level: 50 }] })).status).toBe(422);
    expect((await create({ name: "Other account", resources: [{ ...accountAdmin[0], resource_id: 1 }] })).status).toBe(422);
    const box = await sandbox();
    const scoped = await create(
      { name: "Inbox viewer", resources: [{ resource_type: "inbox", resource_id: box.id, access_level: 10 }] },
      `/api/accounts/${ACCOUNT_ID}/api_tokens`,
    );
    expect(scoped.status).toBe(200);
    expect(scoped.json.resources[0].resource_type).toBe("inbox");
    expect((await t.mt("GET", `/api/api_tokens/${scoped.json.id}`)).json.resources[0].resource_type).toBe("sandbox");
  });

  it("does not authenticate with created tokens (only the configured credential)", async () => {
    const created = (await create({ name: "CI", resources: accountAdmin })).json;
    const res = await request(t.emu.urls.mailtrap, "GET", "/api/projects", { headers: { "Api-Token": created.token } });
    expect(res.status).toBe(401);
  });
});

describe("sending domains", () => {
  it("creates with DNS records to set, updates tracking flags, lists under data, deletes 204", async () => {
    const created = await t.mt("POST", "/api/domains", { domain: { domain_name: "Mail.Example.com" } });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ domain_name: "mail.example.com", dns_verified: false, compliance_status: "unverified_dns" });
    expect(created.json.dns_records.map((r: { key: string }) => r.key)).toEqual([
      "verification",
      "spf",
      "dkim1",
      "dkim2",
      "dmarc",
      "link_verification",
    ]);
    const patched = await t.mt("PATCH", `/api/domains/${created.json.id}`, { domain: { click_tracking_enabled: false } });
    expect(patched.json).toMatchObject({ click_tracking_enabled: false, open_tracking_enabled: true });
    expect((await t.mt("PATCH", `/api/domains/${created.json.id}`, { domain: { click_tracking_enabled: "no" } })).status).toBe(422);
    expect((await t.mt("GET", `/api/accounts/${ACCOUNT_ID}/sending_domains`)).json.data).toEqual([patched.json]);
    const duplicate = await t.mt("POST", "/api/domains", { domain: { domain_name: "mail.example.com" } });
    expect(duplicate.json).toEqual({ errors: { domain_name: ["has already been taken"] } });
    expect((await t.mt("DELETE", `/api/domains/${created.json.id}`)).status).toBe(204);
    expect((await t.mt("GET", "/api/domains")).json).toEqual({ data: [] });
  });
});

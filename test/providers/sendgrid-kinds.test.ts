/**
 * The SendGrid kinds without the engine: what each field's change does (update or replace), the
 * normalizations, and the life cycle against the in-process emulator with the calls it makes.
 * test/e2e/sendgrid.test.ts drives the same code through the real CLI.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { alternativeShapes, documentedShapes } from "../../emulators/core/shapes";
import { apiKey, normalizeScopes } from "../../providers/sendgrid/api-key";
import { sendgridErrorText } from "../../providers/sendgrid/client";
import { normalizeTemplate, template } from "../../providers/sendgrid/template";
import { lifecycle, newRun } from "../../providers/resource";

const KEY = DEFAULT_CREDENTIALS.sendgrid.apiKey;
const T = lifecycle(template);
const K = lifecycle(apiKey);

const v1 = { name: "Welcome v1", subject: "Welcome {{name}}", html: "<p>Hi {{name}}</p>", testData: { name: "Ada" }, active: true };
const base = { name: "Welcome", generation: "dynamic", versions: { v1 } };

describe("SendGrid kinds: what a change of each field does", () => {
  const normalized = normalizeTemplate(base as never) as unknown as Record<string, unknown>;
  const withVersion = (patch: Record<string, unknown>) => ({ ...base, versions: { v1: { ...v1, ...patch } } });
  const cases: [string, ReturnType<typeof lifecycle>, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    ["template name", T, normalized, { ...base, name: "Hello" }, []],
    ["template generation", T, normalized, { ...base, generation: "legacy" }, ["generation"]],
    ["a version added", T, normalized, { ...base, versions: { v1, v2: { name: "v2", subject: "s" } } }, []],
    ["a version removed", T, normalized, { ...base, versions: {} }, []],
    ...(
      [
        ["name", "Other"],
        ["subject", "Other"],
        ["html", "<p>Other</p>"],
        ["text", "Other"],
        ["generatePlainContent", false],
        ["editor", "design"],
        ["testData", { name: "Grace" }],
      ] as const
    ).map(([field, value]): [string, ReturnType<typeof lifecycle>, Record<string, unknown>, Record<string, unknown>, string[]] => [
      `version ${field}`,
      T,
      normalized,
      withVersion({ [field]: value }),
      [],
    ]),
    ["key name", K, { name: "CI", scopes: ["mail.send"] }, { name: "CI 2", scopes: ["mail.send"] }, []],
    ["key scopes", K, { name: "CI", scopes: ["mail.send"] }, { name: "CI", scopes: ["mail.send", "templates.read"] }, []],
    ["key scopes to full access", K, { name: "CI", scopes: ["mail.send"] }, { name: "CI" }, []],
  ];

  it.each(cases)("%s", async (_what, provider, olds, news, replaces) => {
    const diff = await provider.diff!("1", { ...olds, adopt: false, path: "x" }, { ...news, adopt: true, path: "y" });
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual(replaces);
    expect(diff.deleteBeforeReplace ?? false).toBe(false);
    const again = await provider.diff!("1", olds, { ...olds, adopt: true });
    expect(again.changes, "options are not diffed").toBe(false);
  });

  it("applies SendGrid's defaults and the one-active-version rule", () => {
    expect(normalizeTemplate({ name: "T", versions: { b: { name: "b", subject: "s" }, a: { name: "a", subject: "s" } } })).toEqual({
      name: "T",
      generation: "legacy",
      versions: {
        a: { name: "a", subject: "s", html: "", generatePlainContent: true, editor: "code", active: true },
        b: { name: "b", subject: "s", html: "", generatePlainContent: true, editor: "code", active: false },
      },
    });
    // Given text means generation off; generated text is not managed; test data only on dynamic.
    const n = normalizeTemplate({
      name: "T",
      generation: "legacy",
      versions: {
        text: { name: "t", subject: "s", text: "mine", testData: { a: 1 } },
        gen: { name: "g", subject: "s", text: "ignored", generatePlainContent: true, active: true },
        empty: { name: "e", subject: "s", generatePlainContent: false },
      },
    });
    expect(n.versions!.text).toEqual({ name: "t", subject: "s", html: "", text: "mine", generatePlainContent: false, editor: "code", active: false });
    expect(n.versions!.gen).not.toHaveProperty("text");
    expect(n.versions!.empty).not.toHaveProperty("text");
    expect(() =>
      normalizeTemplate({ name: "T", versions: { a: { name: "a", subject: "s", active: true }, b: { name: "b", subject: "s", active: true } } }),
    ).toThrow(/versions a, b are all marked active/);
  });

  it("sorts scopes, drops duplicates and the scopes SendGrid grants every key", async () => {
    expect(normalizeScopes(["templates.read", "mail.send", "2fa_required", "mail.send", "sender_verification_eligible"])).toEqual([
      "mail.send",
      "templates.read",
    ]);
    const olds = { name: "CI", scopes: ["mail.send", "templates.read"] };
    expect((await K.diff!("1", olds, { name: "CI", scopes: ["templates.read", "2fa_required", "mail.send"] })).changes).toBe(false);
  });

  it("words SendGrid's errors with their fields", () => {
    expect(sendgridErrorText({ errors: [{ field: "name", message: "is required" }, { field: null, message: "too many requests" }] })).toBe(
      "name: is required; too many requests",
    );
    expect(sendgridErrorText({ error: "x" })).toBeUndefined();
  });
});

// Every shape a SendGrid read may come in (documented, and seen in clients of the live API).
const SHAPE_SETS = [
  { label: "documented response shapes", shapes: documentedShapes() },
  { label: "alternative response shapes", shapes: alternativeShapes() },
];

describe.each(SHAPE_SETS)("SendGrid kinds against the emulator, $label", ({ shapes }) => {
  const ctx = useEmulators((urls) => ({
    SENDGRID_API_URL: urls.sendgrid,
    SENDGRID_API_KEY: KEY,
    SENDGRID_ON_BEHALF_OF: undefined,
  }));

  beforeEach(async () => {
    await ctx.admin.reset();
    await ctx.admin.setResponseShapes(shapes);
  });

  async function calls(): Promise<string[]> {
    return (await ctx.admin.requestCounts())
      .filter((c) => c.vendor === "sendgrid")
      .flatMap((c) => Array.from({ length: c.count }, () => `${c.method} ${c.route}`))
      .sort();
  }

  it("creates a template with its versions, active one first, and reads it back unchanged", async () => {
    const desired = {
      name: "Welcome",
      generation: "dynamic",
      versions: {
        a: { name: "A", subject: "s", html: "<p>A</p>" },
        b: { name: "B", subject: "s", html: "<p>B</p>", text: "B text", testData: { x: [1, 2] }, active: true },
      },
    };
    const created = await T.create!(desired);
    const live = await ctx.admin.getObject<{ versions: { name: string; active: number }[] }>("sendgrid", "templates", created.id);
    expect(live.versions.map((v) => [v.name, v.active])).toEqual([
      ["B", 1],
      ["A", 0],
    ]);
    expect(Object.keys(created.outs.versionIds as object)).toEqual(["a", "b"]);
    const read = await T.read!(created.id, created.outs);
    const { __provider: _p, ...props } = read.props as Record<string, unknown>;
    expect(props).toEqual(created.outs);
    expect((await T.diff!(created.id, read.props!, desired)).changes).toBe(false);
  });

  it("treats a template without versions as having none, whether the map is empty or absent", async () => {
    const created = await T.create!({ name: "Empty", generation: "legacy", versions: {} });
    expect(created.outs).not.toHaveProperty("versions");
    const read = await T.read!(created.id, created.outs);
    expect(read.inputs).toEqual({ name: "Empty", generation: "legacy" });
    for (const news of [{ name: "Empty", generation: "legacy" }, { name: "Empty", generation: "legacy", versions: {} }]) {
      expect((await T.diff!(created.id, read.props!, news)).changes).toBe(false);
    }
  });

  it("makes the fewest calls: one PATCH per rename or changed version, one POST/DELETE per version, activate to switch", async () => {
    const desired = {
      name: "Welcome",
      generation: "dynamic",
      versions: { a: { name: "A", subject: "s" }, b: { name: "B", subject: "s" }, c: { name: "C", subject: "s" } },
    };
    const created = await T.create!(desired);
    const step = async (olds: Record<string, unknown>, news: Record<string, unknown>) => {
      await ctx.admin.resetRequestCounts();
      const { outs } = await T.update!(created.id, olds, news);
      return { outs, calls: await calls() };
    };

    const renamed = await step(created.outs, { ...desired, name: "Hello" });
    expect(renamed.calls).toEqual(["PATCH /v3/templates/{template_id}"]);

    const edited = { ...desired, name: "Hello", versions: { ...desired.versions, b: { name: "B", subject: "changed" } } };
    const e = await step(renamed.outs, edited);
    expect(e.calls).toEqual(["PATCH /v3/templates/{template_id}/versions/{version_id}"]);

    const switched = { ...edited, versions: { ...edited.versions, c: { name: "C", subject: "s", active: true } } };
    const s = await step(e.outs, switched);
    expect(s.calls).toEqual(["POST /v3/templates/{template_id}/versions/{version_id}/activate"]);

    const { a: _a, ...withoutA } = switched.versions;
    const changedSet = { ...switched, versions: { ...withoutA, d: { name: "D", subject: "s" } } };
    const c = await step(s.outs, changedSet);
    expect(c.calls).toEqual(["DELETE /v3/templates/{template_id}/versions/{version_id}", "POST /v3/templates/{template_id}/versions"]);
    expect(Object.keys(c.outs.versionIds as object)).toEqual(["b", "c", "d"]);

    const read = await T.read!(created.id, c.outs);
    expect((await T.diff!(created.id, read.props!, changedSet)).changes).toBe(false);
    const live = await ctx.admin.getObject<{ name: string; versions: { name: string; active: number; subject: string }[] }>(
      "sendgrid",
      "templates",
      created.id,
    );
    expect(live.name).toBe("Hello");
    expect(live.versions.map((v) => `${v.name}:${v.active}:${v.subject}`)).toEqual(["B:0:changed", "C:1:s", "D:0:s"]);
  });

  it("reads out-of-band versions under an unmanaged key and removes them on update", async () => {
    const desired = { name: "T", generation: "legacy", versions: { a: { name: "A", subject: "s" } } };
    const created = await T.create!(desired);
    const extra = await fetch(`${ctx.emu.urls.sendgrid}/v3/templates/${created.id}/versions`, {
      method: "POST",
      headers: { Authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "Sneaky", subject: "s", active: 1 }),
    }).then((r) => r.json() as Promise<{ id: string }>);
    const read = await T.read!(created.id, created.outs);
    const versions = (read.inputs as { versions: Record<string, { active: boolean }> }).versions;
    expect(Object.keys(versions)).toEqual(["a", `unmanaged:${extra.id}`]);
    expect(versions.a!.active).toBe(false);
    const diff = await T.diff!(created.id, read.props!, desired);
    expect(diff.changes).toBe(true);
    await ctx.admin.resetRequestCounts();
    const updated = await T.update!(created.id, read.props!, desired);
    expect(await calls()).toEqual([
      "DELETE /v3/templates/{template_id}/versions/{version_id}",
      "POST /v3/templates/{template_id}/versions/{version_id}/activate",
    ]);
    const again = await T.read!(created.id, updated.outs);
    expect((await T.diff!(created.id, again.props!, desired)).changes).toBe(false);
  });

  it("refuses an existing template of the same name and generation without adopt, takes it over with it", async () => {
    const existing = await T.create!({ name: "Adopt me", generation: "dynamic", versions: { x: { name: "Hello", subject: "old" } } });
    await T.create!({ name: "Adopt me", generation: "legacy" }); // other generation: another natural key
    await expect(
      T.create!({ name: "Adopt me", generation: "dynamic" }),
    ).rejects.toThrow(/SendGrid template: one already exists with name "Adopt me" and generation dynamic \(id [\w-]+\)\..*set `adopt: true`/);
    const adopted = await T.create!({
      name: "Adopt me",
      generation: "dynamic",
      versions: { hello: { name: "Hello", subject: "new" } },
      adopt: true,
    });
    expect(adopted.id).toBe(existing.id);
    expect(adopted.outs.versionIds).toEqual({ hello: (existing.outs.versionIds as Record<string, string>).x });
    const live = await ctx.admin.getObject<{ versions: { subject: string }[] }>("sendgrid", "templates", existing.id);
    expect(live.versions.map((v) => v.subject)).toEqual(["new"]);
  });

  it("keeps a key's secret from state on read, ignores granted scopes, PATCHes renames and PUTs scopes", async () => {
    const created = await K.create!({ name: "CI", scopes: ["templates.read", "mail.send"] });
    const secret = created.outs.apiKey as string;
    expect(secret).toMatch(/^SG\./);
    expect(created.outs.scopes).toEqual(["mail.send", "templates.read"]);
    const read = await K.read!(created.id, created.outs);
    expect(read.props).toMatchObject({ apiKey: secret, apiKeyId: created.id, name: "CI", scopes: ["mail.send", "templates.read"] });
    expect((await K.diff!(created.id, read.props!, { name: "CI", scopes: ["mail.send", "templates.read"] })).changes).toBe(false);

    await ctx.admin.resetRequestCounts();
    const renamed = await K.update!(created.id, read.props!, { name: "CI 2", scopes: ["mail.send", "templates.read"] });
    expect(await calls()).toEqual(["PATCH /v3/api_keys/{api_key_id}"]);
    expect(renamed.outs.apiKey).toBe(secret);
    await ctx.admin.resetRequestCounts();
    await K.update!(created.id, renamed.outs, { name: "CI 3", scopes: ["mail.send"] });
    // The key read first: the PUT sends back the scopes SendGrid assigned by itself.
    expect(await calls()).toEqual(["GET /v3/api_keys/{api_key_id}", "PUT /v3/api_keys/{api_key_id}"]);
    const stored = await ctx.admin.getObject<{ name: string; scopes: string[] }>("sendgrid", "api_keys", created.id);
    expect(stored).toMatchObject({ name: "CI 3", scopes: ["mail.send", "2fa_required", "sender_verification_eligible"] });
  });

  it("never fights the scopes SendGrid assigns by itself on some accounts: no drift, and a scope update keeps them", async () => {
    const ACCOUNT_SCOPES = ["2fa_exempt", "sender_verification_exempt", "sender_verification_legacy"];
    const stored = async (id: string) => (await ctx.admin.getObject<{ scopes: string[] }>("sendgrid", "api_keys", id)).scopes;
    const scoped = await K.create!({ name: "CI", scopes: ["mail.send"] });
    // After the keys were made, SendGrid starts assigning its own scopes on this account.
    await ctx.admin.setAccountSettings("sendgrid", { grantedScopes: ACCOUNT_SCOPES });
    expect(await stored(scoped.id)).toEqual(expect.arrayContaining(ACCOUNT_SCOPES));
    const full = await K.create!({ name: "Everything" });
    expect(await stored(full.id)).toEqual(expect.arrayContaining(ACCOUNT_SCOPES));

    // Refresh: no drift.
    const read = await K.read!(scoped.id, scoped.outs);
    expect(read.inputs).toEqual({ name: "CI", scopes: ["mail.send"] });
    expect((await K.diff!(scoped.id, read.props!, { name: "CI", scopes: ["mail.send"] })).changes).toBe(false);
    const fullRead = await K.read!(full.id, full.outs);
    expect(fullRead.inputs).toEqual({ name: "Everything" });

    // An update of the scopes sends back the ones SendGrid assigned (PUT sets every scope).
    await ctx.admin.resetRequestCounts();
    await K.update!(scoped.id, read.props!, { name: "CI", scopes: ["mail.send", "templates.read"] });
    expect(await calls()).toEqual(["GET /v3/api_keys/{api_key_id}", "PUT /v3/api_keys/{api_key_id}"]);
    expect((await stored(scoped.id)).sort()).toEqual(
      ["mail.send", "templates.read", "2fa_required", "sender_verification_eligible", ...ACCOUNT_SCOPES].sort(),
    );
    const after = await K.read!(scoped.id, read.props!);
    expect((await K.diff!(scoped.id, after.props!, { name: "CI", scopes: ["mail.send", "templates.read"] })).changes).toBe(false);
    // From full access to a few scopes, and back: the same.
    await K.update!(full.id, fullRead.props!, { name: "Everything", scopes: ["mail.send"] });
    expect(await stored(full.id)).toEqual(expect.arrayContaining(ACCOUNT_SCOPES));
    await K.update!(full.id, { name: "Everything", scopes: ["mail.send"], apiKeyId: full.id }, { name: "Everything" });
    expect(await stored(full.id)).toEqual(expect.arrayContaining(ACCOUNT_SCOPES));
    expect((await K.read!(full.id, { name: "Everything", apiKeyId: full.id })).inputs).toEqual({ name: "Everything" });
  });

  it("acts for a subuser with On-Behalf-Of when sendgridOnBehalfOf is set", async () => {
    await fetch(`${ctx.emu.urls.sendgrid}/v3/subusers`, {
      method: "POST",
      headers: { Authorization: `Bearer ${KEY}`, "Content-Type": "application/json" },
      body: JSON.stringify({ username: "eu-subuser", email: "eu@example.com", password: "a long password", ips: [] }),
    });
    process.env.SENDGRID_ON_BEHALF_OF = "eu-subuser";
    try {
      const created = await T.create!({ name: "Sub template", generation: "legacy" });
      const stored = await ctx.admin.getObject<{ owner: string }>("sendgrid", "templates", created.id);
      expect(stored.owner).toBe("eu-subuser");
      expect((await T.read!(created.id, created.outs)).id).toBe(created.id);
    } finally {
      delete process.env.SENDGRID_ON_BEHALF_OF;
    }
    const asParent = await fetch(`${ctx.emu.urls.sendgrid}/v3/templates?page_size=10`, { headers: { Authorization: `Bearer ${KEY}` } });
    const listed = (await asParent.json()) as { result?: unknown[]; templates?: unknown[] };
    expect(listed.result ?? listed.templates).toEqual([]);
  });

  it("waits out SendGrid's rate limit (X-RateLimit-Reset) and carries on", async () => {
    await ctx.admin.setRateLimits({ vendor: "sendgrid", limit: 2, windowMs: 1000 });
    try {
      const created = await T.create!({
        name: "Busy",
        generation: "dynamic",
        versions: { a: { name: "A", subject: "s" }, b: { name: "B", subject: "s" }, c: { name: "C", subject: "s" } },
      });
      const read = await T.read!(created.id, created.outs);
      expect(Object.keys((read.inputs as { versions: object }).versions)).toEqual(["a", "b", "c"]);
      const limited = (await ctx.admin.requestCounts()).filter((c) => c.vendor === "sendgrid" && c.status === "429");
      expect(limited.reduce((n, c) => n + c.count, 0)).toBeGreaterThan(0);
    } finally {
      await ctx.admin.setRateLimits({ vendor: "sendgrid", limit: 600, windowMs: 60_000 });
    }
  });

  it("reads a full-access key back as full access, and adopts by name only with adopt", async () => {
    const created = await K.create!({ name: "Everything" });
    expect(created.outs).not.toHaveProperty("scopes");
    const read = await K.read!(created.id, created.outs);
    expect(read.inputs).toEqual({ name: "Everything" });
    await expect(K.create!({ name: "Everything" })).rejects.toThrow(/set `adopt: true`/);
    const adopted = await K.create!({ name: "Everything", scopes: ["mail.send"], adopt: true });
    expect(adopted.id).toBe(created.id);
    expect(adopted.outs.apiKey).toBeUndefined();
    const stored = await ctx.admin.getObject<{ scopes: string[] }>("sendgrid", "api_keys", created.id);
    expect(stored.scopes).toEqual(["mail.send", "2fa_required", "sender_verification_eligible"]);
    // A later run deletes it (within the run that adopted it, a delete of the id is refused:
    // another entry holds it). Gone: read drops it, delete is quiet.
    newRun();
    await K.delete!(created.id, adopted.outs);
    expect((await K.read!(created.id, adopted.outs)).id).toBeUndefined();
    await K.delete!(created.id, adopted.outs);
  });
});

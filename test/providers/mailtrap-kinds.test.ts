/**
 * The Mailtrap kinds without the engine: what each field's change does (update or replace), the
 * normalizations, and the life cycle against the in-process emulator through API v2 and v1.
 * The end-to-end suite (test/e2e/mailtrap.test.ts) drives the same code through the real CLI.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { apiToken, normalizePermissions } from "../../providers/mailtrap/api-token";
import { emailTemplate } from "../../providers/mailtrap/email-template";
import { inbox } from "../../providers/mailtrap/inbox";
import { project } from "../../providers/mailtrap/project";
import { lifecycle, newRun } from "../../providers/resource";

const token = DEFAULT_CREDENTIALS.mailtrap.apiToken;

describe("Mailtrap kinds: what a change of each field does", () => {
  const cases: [string, ReturnType<typeof lifecycle>, Record<string, unknown>, Record<string, unknown>, string[]][] = [
    ["project name", lifecycle(project), { name: "A" }, { name: "B" }, []],
    ["inbox name", lifecycle(inbox), { projectId: 1, name: "A" }, { projectId: 1, name: "B" }, []],
    ["inbox emailUsername", lifecycle(inbox), { projectId: 1, name: "A" }, { projectId: 1, name: "A", emailUsername: "qa" }, []],
    ["inbox projectId", lifecycle(inbox), { projectId: 1, name: "A" }, { projectId: 2, name: "A" }, ["projectId"]],
    ...(["name", "category", "subject", "html", "text"] as const).map(
      (f): [string, ReturnType<typeof lifecycle>, Record<string, unknown>, Record<string, unknown>, string[]] => {
        const olds = { name: "n", category: "c", subject: "s", html: "h", text: "t" };
        return [`template ${f}`, lifecycle(emailTemplate), olds, { ...olds, [f]: "changed" }, []];
      },
    ),
    [
      "token name",
      lifecycle(apiToken),
      { name: "A", permissions: [] },
      { name: "B", permissions: [] },
      ["name"],
    ],
    [
      "token permissions",
      lifecycle(apiToken),
      { name: "A", permissions: [{ resourceType: "project", resourceId: 1, accessLevel: "viewer" }] },
      { name: "A", permissions: [{ resourceType: "project", resourceId: 1, accessLevel: "admin" }] },
      ["permissions"],
    ],
  ];

  it.each(cases)("%s", async (_what, provider, olds, news, replaces) => {
    const diff = await provider.diff!("1", { ...olds, adopt: false, path: "x" }, { ...news, adopt: true, path: "y" });
    expect(diff.changes).toBe(true);
    expect(diff.replaces ?? []).toEqual(replaces);
    const again = await provider.diff!("1", olds, { ...olds, adopt: true });
    expect(again.changes, "options are not diffed").toBe(false);
  });

  it("deletes before it replaces only when the replacement would collide with the old object (same natural key)", async () => {
    const project = { resourceType: "project", resourceId: 1, accessLevel: "admin" };
    const samename = await lifecycle(apiToken).diff!("1", { name: "A", permissions: [] }, { name: "A", permissions: [project] });
    expect(samename.replaces).toEqual(["permissions"]);
    expect(samename.deleteBeforeReplace, "same name: made first, the new token would collide with the old one").toBe(true);
    const renamed = await lifecycle(apiToken).diff!("1", { name: "A", permissions: [] }, { name: "B", permissions: [] });
    expect(renamed.deleteBeforeReplace, "another name: the old token stays until the new one exists").toBe(false);
    const inboxDiff = await lifecycle(inbox).diff!("1", { projectId: 1, name: "A" }, { projectId: 2, name: "A" });
    expect(inboxDiff.deleteBeforeReplace).toBe(false);
  });

  it("ignores the order of token permissions and exact duplicates", async () => {
    const a = [
      { resourceType: "project", resourceId: 7, accessLevel: "admin" },
      { resourceType: "inbox", resourceId: 30, accessLevel: "viewer" },
      { resourceType: "inbox", resourceId: 4, accessLevel: "viewer" },
    ] as const;
    const b = [a[2], a[0], a[1], a[0]];
    const olds = { name: "T", permissions: normalizePermissions([...a]) };
    expect((await lifecycle(apiToken).diff!("1", olds, { name: "T", permissions: b })).changes).toBe(false);
    expect(olds.permissions.map((p) => `${p.resourceType}:${p.resourceId}`)).toEqual(["inbox:4", "inbox:30", "project:7"]);
    // Ids arriving as strings (Mailtrap answers either) compare equal to numbers.
    expect(normalizePermissions([{ resourceType: "project", resourceId: "7" as unknown as number, accessLevel: "admin" }])).toEqual([
      { resourceType: "project", resourceId: 7, accessLevel: "admin" },
    ]);
  });

  it("diffs values still unknown during a preview (a referenced object not created yet) as changes", async () => {
    const unknown = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"; // the engine's unknown sentinel
    const token = await lifecycle(apiToken).diff!("1", { name: "T", permissions: [] }, { name: "T", permissions: unknown });
    expect(token).toMatchObject({ changes: true, replaces: ["permissions"] });
    const element = await lifecycle(apiToken).diff!("1", { name: "T", permissions: [] }, {
      name: "T",
      permissions: [{ resourceType: "project", resourceId: unknown, accessLevel: "admin" }],
    });
    expect(element).toMatchObject({ changes: true, replaces: ["permissions"] });
    const moved = await lifecycle(inbox).diff!("1", { projectId: 1, name: "A" }, { projectId: unknown, name: "A" });
    expect(moved).toMatchObject({ changes: true, replaces: ["projectId"] });
  });

  it("does not manage an absent (or empty) template body: whatever body is stored, no diff", async () => {
    const t = lifecycle(emailTemplate);
    for (const stored of [{ html: "", text: "" }, { html: "<p>Hi</p>", text: "Hi" }, {}]) {
      const olds = { name: "n", category: "c", subject: "s", ...stored };
      expect((await t.diff!("1", olds, { name: "n", category: "c", subject: "s" })).changes, JSON.stringify(stored)).toBe(false);
      expect((await t.diff!("1", olds, { name: "n", category: "c", subject: "s", html: "", text: "" })).changes, JSON.stringify(stored)).toBe(false);
    }
    expect((await t.diff!("1", { name: "n", category: "c", subject: "s" }, { name: "n", category: "c", subject: "s", html: "<p>Hi</p>" })).changes).toBe(true);
  });

  it("normalizes the stored side too: state written before a normalization or a field rename shows no change", async () => {
    // Stored by a release that neither trimmed names nor filled the API version in.
    expect((await lifecycle(project).diff!("1", { name: " Staging " }, { name: "Staging", apiVersion: "v2" })).changes).toBe(false);
    expect((await lifecycle(project).diff!("1", { name: " Staging " }, { name: "Staging", apiVersion: "v1" }))).toMatchObject({
      changes: true,
      replaces: [],
    });
    // Stored under the provider's earlier field names bodyHtml/bodyText.
    const legacy = { name: "n", category: "c", subject: "s", bodyHtml: "<p>Hi</p>", bodyText: "Hi" };
    const t = lifecycle(emailTemplate);
    expect((await t.diff!("1", legacy, { name: "n", category: "c", subject: "s", html: "<p>Hi</p>", text: "Hi" })).changes).toBe(false);
    expect(await t.diff!("1", legacy, { name: "n", category: "c", subject: "s", html: "<p>Other</p>", text: "Hi" })).toMatchObject({ changes: true });
  });
});

describe.each(["v2", "v1"] as const)("Mailtrap kinds against the emulator, API %s", (version) => {
  const ctx = useEmulators((urls) => ({
    MAILTRAP_API_URL: urls.mailtrap,
    MAILTRAP_API_TOKEN: token,
  }));

  beforeEach(async () => {
    await ctx.admin.reset();
  });

  async function routesUsed(): Promise<string[]> {
    return (await ctx.admin.requestCounts()).filter((c) => c.vendor === "mailtrap").map((c) => `${c.method} ${c.route}`);
  }

  it("creates, updates, reads and deletes a project and an inbox with its email address", async () => {
    const p = lifecycle(project);
    const i = lifecycle(inbox);
    const createdProject = await p.create!({ name: " Staging ", apiVersion: version });
    expect(createdProject.outs).toMatchObject({ name: "Staging", projectId: Number(createdProject.id) });
    const projectId = Number(createdProject.id);

    const created = await i.create!({ projectId, name: "QA", apiVersion: version, emailUsername: "qa-team" });
    expect(created.outs).toMatchObject({ projectId, name: "QA", emailUsername: "qa-team", emailAddress: "qa-team@inbox.mailtrap.io" });
    expect(created.outs.password).toEqual(expect.any(String));
    const stored = await ctx.admin.getObject<{ email_username_enabled: boolean; password: string }>("mailtrap", "sandboxes", created.id);
    expect(stored.email_username_enabled).toBe(true);
    expect(created.outs.password).toBe(stored.password);

    // Turning the address off toggles once; renaming is one PATCH.
    const updated = await i.update!(created.id, created.outs, { projectId, name: "QA 2", apiVersion: version });
    expect(updated.outs).toMatchObject({ name: "QA 2" });
    expect(updated.outs.emailAddress).toBeUndefined();
    expect((await ctx.admin.getObject<{ email_username_enabled: boolean }>("mailtrap", "sandboxes", created.id)).email_username_enabled).toBe(false);

    const read = await i.read!(created.id, updated.outs);
    expect(read.inputs).toMatchObject({ projectId, name: "QA 2" });
    expect(read.inputs).not.toHaveProperty("emailUsername");

    await i.delete!(created.id, updated.outs);
    await i.delete!(created.id, updated.outs); // already gone: fine
    expect((await i.read!(created.id, updated.outs)).id).toBeUndefined();
    await p.delete!(createdProject.id, createdProject.outs);

    const used = await routesUsed();
    if (version === "v1") {
      expect(used.every((r) => r.includes("/api/v1/")), used.join("\n")).toBe(true);
    } else {
      expect(used.some((r) => r.includes("/api/v1/")), used.join("\n")).toBe(false);
    }
  });

  it("refuses an existing inbox of the same name without adopt and takes it over with it", async () => {
    const p = lifecycle(project);
    const i = lifecycle(inbox);
    const { id } = await p.create!({ name: "Adoptive", apiVersion: version });
    const first = await i.create!({ projectId: Number(id), name: "Existing", apiVersion: version });
    await expect(i.create!({ projectId: Number(id), name: "Existing", apiVersion: version })).rejects.toThrow(
      /Mailtrap inbox: one already exists with name "Existing" in project \d+ \(id \d+\)\..*set `adopt: true`/,
    );
    const adopted = await i.create!({ projectId: Number(id), name: "Existing", apiVersion: version, emailUsername: "adopted", adopt: true });
    expect(adopted.id).toBe(first.id);
    expect(adopted.outs).toMatchObject({ emailUsername: "adopted", adopt: true });
  });
});

describe("Mailtrap email templates and API tokens against the emulator", () => {
  const ctx = useEmulators((urls) => ({
    MAILTRAP_API_URL: urls.mailtrap,
    MAILTRAP_API_TOKEN: token,
  }));

  it("updates one template field in one PATCH that Mailtrap accepts: name, category and subject are always sent, as the document requires", async () => {
    const t = lifecycle(emailTemplate);
    const created = await t.create!({ name: "Welcome", category: "onboarding", subject: "Hi {{name}}", html: "<p>Hi</p>" });
    expect(created.outs).toMatchObject({ html: "<p>Hi</p>", templateId: Number(created.id) });
    await ctx.admin.resetRequestCounts();
    const updated = await t.update!(created.id, created.outs, { name: "Welcome", category: "onboarding", subject: "Hello", html: "<p>Hi</p>" });
    expect(updated.outs).toMatchObject({ subject: "Hello", html: "<p>Hi</p>" });
    expect(await ctx.admin.getObject("mailtrap", "email_templates", created.id)).toMatchObject({
      name: "Welcome", category: "onboarding", subject: "Hello", body_html: "<p>Hi</p>", body_text: "",
    });
    expect(await ctx.admin.countRequests({ vendor: "mailtrap", method: "PATCH" })).toBe(1);
    await t.delete!(created.id, updated.outs);
    expect((await t.read!(created.id, updated.outs)).id).toBeUndefined();
  });

  it("a body removed from the stack file stays at Mailtrap (which cannot clear one) and shows no diff, run after run", async () => {
    const t = lifecycle(emailTemplate);
    const desired = { name: "Receipt", category: "billing", subject: "Your receipt", html: "<p>Thanks</p>", text: "Thanks" };
    const created = await t.create!(desired);
    let props: Record<string, unknown> = created.outs;
    // The user deletes `text:` from the entry. Each run: refresh, diff, and `up` when it says so.
    const { text: _removed, ...withoutText } = desired;
    const diffs: boolean[] = [];
    for (let run = 0; run < 3; run++) {
      newRun(); // a refresh after a hand edit is a later run: it lists afresh
      props = (await t.read!(created.id, props)).props!;
      const diff = await t.diff!(created.id, props, withoutText);
      diffs.push(diff.changes === true);
      if (diff.changes) props = (await t.update!(created.id, props, withoutText)).outs;
    }
    expect(diffs, "diff after each refresh").toEqual([false, false, false]);
    expect(await ctx.admin.getObject("mailtrap", "email_templates", created.id)).toMatchObject({ body_text: "Thanks", body_html: "<p>Thanks</p>" });
    // The body no longer in the file is not managed: a change made outside mailform is not drift...
    await ctx.admin.patchObject("mailtrap", "email_templates", created.id, { body_text: "Edited" });
    newRun(); // a refresh after a hand edit is a later run: it lists afresh
    props = (await t.read!(created.id, props)).props!;
    expect((await t.diff!(created.id, props, withoutText)).changes).toBe(false);
    // ...while one still in the file is.
    await ctx.admin.patchObject("mailtrap", "email_templates", created.id, { body_html: "<p>Edited</p>" });
    newRun(); // a refresh after a hand edit is a later run: it lists afresh
    props = (await t.read!(created.id, props)).props!;
    expect(props).toMatchObject({ html: "<p>Edited</p>" });
    expect(await t.diff!(created.id, props, withoutText)).toMatchObject({ changes: true, replaces: [] });
  });

  it("a token reset outside mailform shows on refresh as a token to replace; the token the reset issued is never deleted, and is adopted on request", async () => {
    const p = lifecycle(project);
    const k = lifecycle(apiToken);
    const { id: projectId } = await p.create!({ name: "Resets" });
    const entry = { name: "Deploy", permissions: [{ resourceType: "project", resourceId: Number(projectId), accessLevel: "admin" }] };
    const created = await k.create!(entry);
    // Reset in the web UI (the same call): the old value expires after a grace period, a new
    // token with the same name and permissions is issued, its value shown only there.
    const reset = await fetch(`${ctx.emu.urls.mailtrap}/api/api_tokens/${created.id}/reset`, { method: "POST", headers: { "Api-Token": token } });
    expect(reset.status).toBe(200);
    const successor = (await reset.json()) as { id: number };

    newRun(); // the refresh and `up` that follow are a later run: the listing is taken afresh
    const refreshed = await k.read!(created.id, created.outs);
    const diff = await k.diff!(created.id, refreshed.props!, entry);
    expect(diff, "refresh after the reset").toMatchObject({ changes: true, replaces: ["expiresAt"], deleteBeforeReplace: true });
    expect(refreshed.props).toMatchObject({ expiresAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), token: created.outs.token });

    // `up`: the replacement deletes the reset token only; its create meets the issued one and stops.
    await k.delete!(created.id, refreshed.props!);
    await expect(k.create!(entry)).rejects.toThrow(new RegExp(`one already exists with name "Deploy" \\(id ${successor.id}\\)`));
    const live = async () =>
      (await ctx.admin.listObjects<{ id: number; name: string }>("mailtrap", "api_tokens")).filter((t) => t.name === "Deploy").map((t) => t.id);
    expect(await live(), "whoever reset it may hold the issued token's value").toEqual([successor.id]);
    // With adopt: true the entry manages it, and converges.
    const adopted = await k.create!({ ...entry, adopt: true });
    expect(adopted.id).toBe(String(successor.id));
    expect(await live()).toEqual([successor.id]);
    expect((await k.diff!(adopted.id, (await k.read!(adopted.id, adopted.outs)).props!, entry)).changes).toBe(false);
  });

  it("keeps a token's secret from state on read and refuses to adopt one with other permissions", async () => {
    const p = lifecycle(project);
    const k = lifecycle(apiToken);
    const { id: projectId } = await p.create!({ name: "Tokens" });
    const permissions = [{ resourceType: "project", resourceId: Number(projectId), accessLevel: "admin" }];
    const created = await k.create!({ name: "CI", permissions });
    const secret = created.outs.token as string;
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    const stored = await ctx.admin.getObject<{ token: string; resources: unknown[] }>("mailtrap", "api_tokens", created.id);
    expect(stored.token).toBe(secret);

    const read = await k.read!(created.id, created.outs);
    expect(read.props).toMatchObject({ token: secret, name: "CI", permissions });

    await expect(k.create!({ name: "CI", permissions })).rejects.toThrow(/set `adopt: true`/);
    await expect(
      k.create!({ name: "CI", permissions: [{ ...permissions[0], accessLevel: "viewer" }], adopt: true }),
    ).rejects.toThrow(/cannot change a token's permissions/);
    const adopted = await k.create!({ name: "CI", permissions, adopt: true });
    expect(adopted.id).toBe(created.id);
    expect(adopted.outs.token).toBeUndefined();
  });
});

/**
 * Every Mailtrap kind through the real Pulumi CLI and engine against the Mailtrap emulator:
 * refusal and adoption of pre-existing objects, creation, in-place update of every updatable field,
 * replacement on the immutable ones, convergence after every `up`, out-of-band changes and deletes
 * caught by refresh (field by field) and repaired, no secret in plaintext in state, destroy; and
 * projects and inboxes through Mailtrap API v1.
 *
 * Each `pulumi up` costs seconds, so each step changes every kind at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { TestProject } from "../support/project";

const token = DEFAULT_CREDENTIALS.mailtrap.apiToken;

interface LiveProject { id: number; name: string }
interface LiveInbox { id: number; name: string; project_id: number; email_username: string; email_username_enabled: boolean; password: string; username: string }
interface LiveTemplate { id: number; name: string; category: string; subject: string; body_html: string; body_text: string }
interface LiveToken { id: number; name: string; token: string; resources: { resource_type: string; resource_id: number; access_level: number }[] }

/** Calls the emulated Mailtrap API as a user would (web UI stand-in for pre-existing objects). */
async function mailtrapApi<T>(emu: RunningEmulators, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${emu.urls.mailtrap}${path}`, {
    method,
    headers: { "Api-Token": token, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  expect(res.status, `${method} ${path}`).toBeLessThan(300);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Stored objects, secrets included (the admin surface shows objects as stored). */
async function live(admin: AdminClient) {
  return {
    projects: await admin.listObjects<LiveProject>("mailtrap", "projects"),
    inboxes: await admin.listObjects<LiveInbox>("mailtrap", "sandboxes"),
    templates: await admin.listObjects<LiveTemplate>("mailtrap", "email_templates"),
    tokens: await admin.listObjects<LiveToken>("mailtrap", "api_tokens"),
  };
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function byName<T extends { name: string }>(list: T[], name: string): T {
  const found = list.filter((o) => o.name === name);
  expect(found.map((o) => o.name), `exactly one "${name}" in ${JSON.stringify(list.map((o) => o.name))}`).toEqual([name]);
  return found[0];
}

const welcome = {
  name: "Welcome",
  category: "onboarding",
  subject: "Welcome, {{name}}",
  html: "<p>Hello {{name}}</p>",
  text: "Hello {{name}}",
};

/** The desired state the steps below edit. */
function baseStack() {
  return {
    mailtrap: {
      projects: {
        staging: {
          name: "Staging",
          inboxes: {
            qa: { name: "QA", emailUsername: "qa-team" } as Record<string, unknown>,
            dev: { name: "Dev" } as Record<string, unknown>,
            tmp: { name: "Temporary" } as Record<string, unknown>,
          },
        },
        legacy: {
          name: "Legacy",
          inboxes: { old: { name: "Legacy Inbox" } as Record<string, unknown> },
        } as Record<string, unknown> & { inboxes: Record<string, Record<string, unknown>> },
      },
      emailTemplates: {
        welcome: { ...welcome } as Record<string, unknown>,
        legacy: { name: "Legacy Template", category: "billing", subject: "Your invoice", retainOnDelete: true } as Record<string, unknown>,
      },
      apiTokens: {
        ci: {
          name: "CI deploy token",
          permissions: [
            { project: "staging", access: "admin" },
            { inbox: "staging/qa", access: "viewer" },
          ],
        } as Record<string, unknown>,
        deploy: { name: "Deploy", permissions: [{ inbox: "staging/dev", access: "viewer" }] } as Record<string, unknown>,
        legacy: { name: "Legacy token", permissions: [{ project: "legacy", access: "admin" }] } as Record<string, unknown>,
        temp: { name: "Temporary token", permissions: [{ project: "staging", access: "viewer" }] } as Record<string, unknown>,
      },
    },
  };
}

describe("Mailtrap kinds through the real engine (API v2)", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  const stack = baseStack();
  const write = () => project.writeStack(stringify(stack));
  /** Ids of the objects that must survive in-place updates. */
  const ids: Record<string, number> = {};
  let preexisting: { project: LiveProject; inbox: LiveInbox; template: LiveTemplate; token: LiveToken };

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: { mailtrap: { url: emu.urls.mailtrap, token } } });

    // Objects made by hand before mailform manages the account.
    const p = await mailtrapApi<LiveProject>(emu, "POST", "/api/projects", { project: { name: "Legacy" } });
    const i = await mailtrapApi<LiveInbox>(emu, "POST", `/api/projects/${p.id}/sandboxes`, { sandbox: { name: "Legacy Inbox" } });
    const t = await mailtrapApi<LiveTemplate>(emu, "POST", "/api/email_templates", {
      email_template: { name: "Legacy Template", category: "billing", subject: "Old subject" },
    });
    const k = await mailtrapApi<LiveToken>(emu, "POST", "/api/api_tokens", {
      name: "Legacy token",
      resources: [{ resource_type: "project", resource_id: p.id, access_level: 100 }],
    });
    preexisting = { project: p, inbox: i, template: t, token: k };
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("refuses to take over existing objects without adopt, and creates the rest", async () => {
    write();
    const refused = await project.run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(refused.code).not.toBe(0);
    const out = refused.stdout + refused.stderr;
    // The engine names the resource (type and key) above its provider's message.
    expect(out).toMatch(/mailtrap:Project \(legacy\):\s+error: Mailtrap project: one already exists with name "Legacy"/);
    expect(out).toMatch(/mailtrap:EmailTemplate \(legacy\):\s+error: Mailtrap email template: one already exists with name "Legacy Template"/);
    expect(out).toContain("set `adopt: true` on this entry");
    // (The legacy inbox and token wait for the legacy project: the next step refuses them.)

    const now = await live(admin);
    // Nothing duplicated, the pre-existing objects untouched.
    expect(byName(now.projects, "Legacy").id).toBe(preexisting.project.id);
    expect(byName(now.templates, "Legacy Template").subject).toBe("Old subject");
    expect(byName(now.tokens, "Legacy token").id).toBe(preexisting.token.id);
    // Everything else exists.
    const staging = byName(now.projects, "Staging");
    const qa = byName(now.inboxes, "QA");
    expect(qa).toMatchObject({ project_id: staging.id, email_username: "qa-team", email_username_enabled: true });
    expect(byName(now.inboxes, "Dev").email_username_enabled).toBe(false);
    expect(byName(now.templates, "Welcome")).toMatchObject({ category: "onboarding", subject: "Welcome, {{name}}", body_html: welcome.html, body_text: welcome.text });
    const ci = byName(now.tokens, "CI deploy token");
    expect(ci.resources).toEqual(
      expect.arrayContaining([
        { resource_type: "project", resource_id: staging.id, access_level: 100 },
        { resource_type: "sandbox", resource_id: qa.id, access_level: 10 },
      ]),
    );
  });

  it("adopts them with adopt: true (the inbox and token in the adopted project are refused until they have it too)", async () => {
    stack.mailtrap.projects.legacy.adopt = true;
    stack.mailtrap.emailTemplates.legacy.adopt = true;
    write();
    const refused = await project.run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(refused.code).not.toBe(0);
    const out = refused.stdout + refused.stderr;
    expect(out).toMatch(
      /mailtrap:Inbox \(legacy\/old\):\s+error: Mailtrap inbox: one already exists with name "Legacy Inbox" in project \d+/,
    );
    expect(out).toMatch(/mailtrap:ApiToken \(legacy\):\s+error: Mailtrap API token: one already exists with name "Legacy token"/);
    expect((await live(admin)).tokens.filter((t) => t.name === "Legacy token")).toHaveLength(1);

    stack.mailtrap.projects.legacy.inboxes.old = { name: "Legacy Inbox", emailUsername: "legacy-box", adopt: true };
    stack.mailtrap.apiTokens.legacy.adopt = true;
    write();
    await project.up();
    const now = await live(admin);
    expect(byName(now.projects, "Legacy").id).toBe(preexisting.project.id);
    // Adoption brings the object to the desired state.
    expect(byName(now.inboxes, "Legacy Inbox")).toMatchObject({ id: preexisting.inbox.id, email_username: "legacy-box", email_username_enabled: true });
    expect(byName(now.templates, "Legacy Template")).toMatchObject({ id: preexisting.template.id, subject: "Your invoice" });
    expect(byName(now.tokens, "Legacy token").id).toBe(preexisting.token.id);

    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);

    for (const [key, obj] of [
      ["staging", byName(now.projects, "Staging")],
      ["qa", byName(now.inboxes, "QA")],
      ["dev", byName(now.inboxes, "Dev")],
      ["old", byName(now.inboxes, "Legacy Inbox")],
      ["welcome", byName(now.templates, "Welcome")],
      ["ci", byName(now.tokens, "CI deploy token")],
      ["deploy", byName(now.tokens, "Deploy")],
      ["legacyToken", byName(now.tokens, "Legacy token")],
    ] as const) {
      ids[key] = obj.id;
    }
  });

  it("updates every updatable field in place, replaces tokens whose name or permissions change, ignores permission order", async () => {
    const s = stack.mailtrap;
    s.projects.staging.name = "Staging EU";
    s.projects.staging.inboxes.qa = { name: "QA team", emailUsername: "qa-crew" }; // rename, new username
    s.projects.staging.inboxes.dev = { name: "Dev", emailUsername: "dev-box" }; // address on
    s.projects.legacy.inboxes.old = { name: "Legacy Inbox", adopt: true }; // address off
    s.emailTemplates.welcome = { name: "Welcome v2", category: "lifecycle", subject: "Hi {{name}}", html: "<h1>Hi</h1>", text: "Hi" };
    s.apiTokens.ci.permissions = [...(s.apiTokens.ci.permissions as unknown[])].reverse(); // order only
    s.apiTokens.deploy.name = "Deploy v2"; // replaces
    s.apiTokens.legacy.permissions = [{ project: "legacy", access: "viewer" }]; // replaces
    write();
    await admin.resetRequestCounts();
    await project.up();

    const now = await live(admin);
    expect(byName(now.projects, "Staging EU").id).toBe(ids.staging);
    expect(byName(now.inboxes, "QA team")).toMatchObject({ id: ids.qa, email_username: "qa-crew", email_username_enabled: true });
    expect(byName(now.inboxes, "Dev")).toMatchObject({ id: ids.dev, email_username: "dev-box", email_username_enabled: true });
    expect(byName(now.inboxes, "Legacy Inbox")).toMatchObject({ id: ids.old, email_username_enabled: false });
    expect(byName(now.templates, "Welcome v2")).toMatchObject({
      id: ids.welcome, category: "lifecycle", subject: "Hi {{name}}", body_html: "<h1>Hi</h1>", body_text: "Hi",
    });
    expect(byName(now.tokens, "CI deploy token").id).toBe(ids.ci);
    const deploy = byName(now.tokens, "Deploy v2");
    expect(deploy.id).not.toBe(ids.deploy);
    const legacyToken = byName(now.tokens, "Legacy token");
    expect(legacyToken.id).not.toBe(ids.legacyToken);
    expect(legacyToken.resources).toEqual([{ resource_type: "project", resource_id: preexisting.project.id, access_level: 10 }]);
    expect(now.tokens.map((t) => t.id)).not.toContain(ids.deploy);
    expect(now.tokens.map((t) => t.id)).not.toContain(ids.legacyToken);

    // In place means PATCH: the only creates are the two replaced tokens.
    const creates = (await admin.requestCounts()).filter((c) => c.vendor === "mailtrap" && c.method === "POST");
    expect(creates.map((c) => [c.route, c.count])).toEqual([["/api/api_tokens", 2]]);

    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    ids.deploy = deploy.id;
    ids.legacyToken = legacyToken.id;
  });

  let ciToken: string;

  it("catches out-of-band changes of every managed field and out-of-band deletes on refresh, and repairs them", async () => {
    const before = await live(admin);
    ciToken = byName(before.tokens, "CI deploy token").token;
    const tmp = byName(before.inboxes, "Temporary");

    await admin.patchObject("mailtrap", "projects", ids.staging, { name: "Renamed in the UI" });
    await admin.patchObject("mailtrap", "sandboxes", ids.qa, { name: "qa (edited)", email_username: "someone-else" });
    await admin.patchObject("mailtrap", "sandboxes", ids.dev, { email_username_enabled: false });
    await admin.patchObject("mailtrap", "sandboxes", ids.old, { project_id: ids.staging }); // moved: cannot be undone in place
    await admin.patchObject("mailtrap", "email_templates", ids.welcome, {
      name: "Welcome (edited)", category: "edited", subject: "Edited", body_html: "<p>edited</p>", body_text: "edited",
    });
    await admin.patchObject("mailtrap", "api_tokens", ids.deploy, { name: "Deploy (edited)" });
    await admin.patchObject("mailtrap", "api_tokens", ids.legacyToken, {
      resources: [{ resource_type: "project", resource_id: preexisting.project.id, access_level: 100 }],
    });
    await admin.deleteObject("mailtrap", "projects", preexisting.project.id); // now empty: its inbox was moved
    await admin.deleteObject("mailtrap", "sandboxes", tmp.id);
    await admin.deleteObject("mailtrap", "email_templates", preexisting.template.id);
    await admin.deleteObject("mailtrap", "api_tokens", byName(before.tokens, "Temporary token").id);

    const plain = await project.previewNoChanges();
    expect(plain.code, "without refresh the state still says converged").toBe(0);

    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    const out = drift.stdout;
    const changed = (field: string, from: string, to: string) =>
      expect(out, out).toMatch(new RegExp(`${field}\\s*:\\s*"${escape(from)}"\\s*=>\\s*"${escape(to)}"`));
    changed("name", "Renamed in the UI", "Staging EU");
    changed("name", "qa (edited)", "QA team");
    changed("emailUsername", "someone-else", "qa-crew");
    expect(out).toMatch(/\+\s*emailUsername\s*:\s*"dev-box"/); // the address was turned off
    changed("name", "Welcome (edited)", "Welcome v2");
    changed("category", "edited", "lifecycle");
    changed("subject", "Edited", "Hi {{name}}");
    // The template's body drifts under its YAML names, never the provider's internal ones.
    changed("html", "<p>edited</p>", "<h1>Hi</h1>");
    changed("text", "edited", "Hi");
    expect(out).not.toMatch(/bodyHtml|bodyText/);
    changed("name", "Deploy (edited)", "Deploy v2");
    const replaced = (type: string, key: string) =>
      expect(out).toMatch(new RegExp(`\\+-\\s*pulumi-nodejs:dynamic/mailtrap:${type}: \\(replace\\)\\s*\\n(\\s*\\[id=\\d+\\]\\s*\\n)?\\s*\\[urn=[^\\]]*::${escape(key)}\\]`));
    replaced("ApiToken", "deploy");
    // The legacy token's permissions, as refresh read them; the token is replaced (its project too,
    // so during the preview its permissions are not known yet).
    expect(out).toMatch(/permissions: \[\s*~ \[0\]: \{\s*~ accessLevel\s*:\s*"viewer"\s*=>\s*"admin"/);
    replaced("ApiToken", "legacy");
    expect(out).toMatch(/projectId\s*:\s*\d+\s*=>\s*\d+/); // the moved inbox, as refresh read it
    replaced("Inbox", "legacy/old");
    // Deleted out of band: created again.
    for (const key of ["legacy", "staging/tmp", "temp"]) {
      expect(out).toMatch(new RegExp(`\\+\\s*pulumi-nodejs:dynamic/mailtrap:\\w+: \\(create\\)\\s*\\n\\s*\\[urn=[^\\]]*::${escape(key)}\\]`));
    }
    expect(out).toMatch(/\+\s*pulumi-nodejs:dynamic\/mailtrap:EmailTemplate: \(create\)\s*\n\s*\[urn=[^\]]*::legacy\]/);

    await project.up(["--refresh"]);
    const now = await live(admin);
    expect(byName(now.projects, "Staging EU").id).toBe(ids.staging);
    const legacy = byName(now.projects, "Legacy");
    expect(legacy.id).not.toBe(preexisting.project.id);
    expect(byName(now.inboxes, "QA team")).toMatchObject({ id: ids.qa, email_username: "qa-crew", email_username_enabled: true });
    expect(byName(now.inboxes, "Dev")).toMatchObject({ id: ids.dev, email_username: "dev-box", email_username_enabled: true });
    const old = byName(now.inboxes, "Legacy Inbox");
    expect(old.project_id).toBe(legacy.id);
    expect(old.id).not.toBe(ids.old);
    expect(now.inboxes.map((i) => i.id)).not.toContain(ids.old); // the moved one was deleted
    byName(now.inboxes, "Temporary");
    expect(byName(now.templates, "Welcome v2")).toMatchObject({
      id: ids.welcome, category: "lifecycle", subject: "Hi {{name}}", body_html: "<h1>Hi</h1>", body_text: "Hi",
    });
    byName(now.templates, "Legacy Template");
    expect(byName(now.tokens, "Deploy v2").id).not.toBe(ids.deploy);
    expect(byName(now.tokens, "Legacy token").resources).toEqual([{ resource_type: "project", resource_id: legacy.id, access_level: 10 }]);
    byName(now.tokens, "Temporary token");
    expect(byName(now.tokens, "CI deploy token").id).toBe(ids.ci);

    const after = await project.previewNoChanges(["--refresh"]);
    expect(after.code, after.stdout).toBe(0);
  });

  it("keeps shown-once secrets encrypted in state, and the token across refreshes", async () => {
    const now = await live(admin);
    const state = await project.exportState();
    const secrets = [token, ...now.inboxes.map((i) => i.password), ...now.tokens.map((t) => t.token)];
    for (const secret of secrets) expect(state.text.includes(secret), `a secret in plaintext in state`).toBe(false);

    const plain = (await project.outputs()).resources as Record<string, unknown>;
    expect(plain["mailtrap.inboxes.staging/qa.smtp"]).toBe("[secret]");
    expect(plain["mailtrap.apiTokens.ci.token"]).toBe("[secret]");

    const shown = (await project.outputs(true)).resources as Record<string, unknown>;
    const qa = byName(now.inboxes, "QA team");
    expect(shown["mailtrap.inboxes.staging/qa.smtp"]).toEqual({
      host: "sandbox.smtp.mailtrap.io", ports: [25, 465, 587, 2525], username: qa.username, password: qa.password,
    });
    expect(shown["mailtrap.inboxes.staging/qa.emailAddress"]).toBe("qa-crew@inbox.mailtrap.io");
    // Mailtrap never shows a token again; the refreshes above kept the value from state.
    expect(shown["mailtrap.apiTokens.ci.token"]).toBe(ciToken);
    expect(shown["mailtrap.apiTokens.deploy.token"]).toBe(byName(now.tokens, "Deploy v2").token);
  });

  it("destroys everything but what is marked retainOnDelete", async () => {
    await project.destroy();
    const now = await live(admin);
    expect(now.projects).toEqual([]);
    expect(now.inboxes).toEqual([]);
    expect(now.tokens).toEqual([]);
    expect(now.templates.map((t) => t.name)).toEqual(["Legacy Template"]);
  });
});

describe("Mailtrap projects and inboxes through API v1", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  const v1Stack = (projectName: string) =>
    stringify({
      mailtrap: {
        apiVersion: "v1",
        projects: { ops: { name: projectName, inboxes: { alerts: { name: "Alerts", emailUsername: "ops-alerts" } } } },
      },
    });

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ stack: "v1", endpoints: { mailtrap: { url: emu.urls.mailtrap, token } } });
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("creates, converges, catches drift, repairs and destroys using only v1 paths, chosen by the stack file alone", async () => {
    project.writeStack(v1Stack("Ops"));
    await admin.resetRequestCounts();
    await project.up();
    let now = await live(admin);
    const ops = byName(now.projects, "Ops");
    expect(byName(now.inboxes, "Alerts")).toMatchObject({ project_id: ops.id, email_username: "ops-alerts", email_username_enabled: true });
    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);

    const inbox = byName(now.inboxes, "Alerts");
    await admin.patchObject("mailtrap", "projects", ops.id, { name: "Ops (edited)" });
    await admin.patchObject("mailtrap", "sandboxes", inbox.id, { name: "Alerts (edited)", email_username: "other" });
    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    expect(drift.stdout).toMatch(/name\s*:\s*"Ops \(edited\)"\s*=>\s*"Ops"/);
    expect(drift.stdout).toMatch(/name\s*:\s*"Alerts \(edited\)"\s*=>\s*"Alerts"/);
    expect(drift.stdout).toMatch(/emailUsername\s*:\s*"other"\s*=>\s*"ops-alerts"/);

    project.writeStack(v1Stack("Operations"));
    await project.up(["--refresh"]);
    now = await live(admin);
    expect(byName(now.projects, "Operations").id).toBe(ops.id);
    expect(byName(now.inboxes, "Alerts")).toMatchObject({ id: inbox.id, email_username: "ops-alerts", email_username_enabled: true });

    await project.destroy();
    now = await live(admin);
    expect(now.projects).toEqual([]);
    expect(now.inboxes).toEqual([]);

    const routes = (await admin.requestCounts()).filter((c) => c.vendor === "mailtrap").map((c) => `${c.method} ${c.route}`);
    expect(routes.length).toBeGreaterThan(0);
    expect(routes.filter((r) => !r.includes(" /api/v1/")), "requests outside API v1").toEqual([]);
  });
});

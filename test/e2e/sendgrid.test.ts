/**
 * SendGrid through the real Pulumi CLI and engine against the in-process emulators: a template
 * with versions and two API keys are created, updated field by field in place, replaced when the
 * generation changes, drift (each managed field, and deletes) is caught by a refreshing preview
 * and repaired, existing objects are adopted only when asked, the state never holds a secret in
 * plaintext, and destroy removes everything.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { TestProject } from "../support/project";

const KEY = DEFAULT_CREDENTIALS.sendgrid.apiKey;

interface LiveVersion {
  id: string;
  name: string;
  subject: string;
  html_content: string;
  plain_content: string;
  generate_plain_content: boolean;
  editor: string;
  test_data?: string;
  active: number;
}
interface LiveTemplate {
  id: string;
  name: string;
  generation: string;
  versions: LiveVersion[];
}
interface LiveKey {
  api_key_id: string;
  api_key: string;
  name: string;
  scopes: string[];
}

type Doc = Record<string, any>;

/** The desired state the steps start from; each step edits a copy. */
function baseDoc(): Doc {
  return {
    sendgrid: {
      templates: {
        welcome: {
          name: "Welcome",
          generation: "dynamic",
          versions: {
            v1: {
              name: "Welcome v1",
              subject: "Welcome {{name}}",
              html: "<p>Hello {{name}}</p>",
              text: "Hello {{name}}",
              generatePlainContent: false,
              editor: "code",
              testData: { name: "Ada" },
              active: true,
            },
            v2: { name: "Welcome v2", subject: "Hi {{name}}", html: "<p>Hi {{name}}</p>" },
          },
        },
        placeholder: { name: "Placeholder", generation: "legacy" },
      },
      apiKeys: {
        ci: { name: "CI mail sender", scopes: ["mail.send", "templates.read"] },
        admin: { name: "Full access" },
      },
    },
  };
}

describe("SendGrid through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let doc: Doc;
  /** Secrets seen so far: none may appear in the state in plaintext. */
  const secrets = new Set<string>([KEY]);

  const sg = async (method: string, p: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${emu.urls.sendgrid}/v3${p}`, {
      method,
      headers: { Authorization: `Bearer ${KEY}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  const allTemplates = () => admin.listObjects<LiveTemplate>("sendgrid", "templates");
  /** Every template but the version-less placeholder that rides along unchanged. */
  const templates = async () => (await allTemplates()).filter((t) => t.name !== "Placeholder");
  const keys = async () => {
    const all = await admin.listObjects<LiveKey>("sendgrid", "api_keys");
    for (const k of all) secrets.add(k.api_key);
    return all;
  };
  const write = (d: Doc) => project.writeStack(stringify(d));
  const converged = async (extra: string[] = []) => {
    const preview = await project.previewNoChanges(extra);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  };
  const sendgridCalls = async () =>
    (await admin.requestCounts())
      .filter((c) => c.vendor === "sendgrid" && c.method !== "GET")
      .flatMap((c) => Array.from({ length: c.count }, () => `${c.method} ${c.route}`))
      .sort();
  /** The program's flat outputs (exported together as the `resources` stack output). */
  const outputs = async (): Promise<Record<string, any>> => {
    const all = (await project.outputs(true)) as Record<string, any>;
    return all.resources ?? all;
  };

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: { sendgrid: { url: emu.urls.sendgrid, apiKey: KEY } } });
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  let templateId: string;
  let v1Id: string;
  let ciId: string;
  let ciSecret: string;

  it("creates a template with its versions and two API keys, and converges", async () => {
    doc = baseDoc();
    write(doc);
    await project.up();
    const [t] = await templates();
    expect(t).toMatchObject({ name: "Welcome", generation: "dynamic" });
    expect(t!.versions.map((v) => [v.name, v.active])).toEqual([
      ["Welcome v1", 1],
      ["Welcome v2", 0],
    ]);
    expect(t!.versions[0]).toMatchObject({ plain_content: "Hello {{name}}", generate_plain_content: false, test_data: '{"name":"Ada"}' });
    templateId = t!.id;
    v1Id = t!.versions[0]!.id;
    expect((await allTemplates()).find((x) => x.name === "Placeholder")).toMatchObject({ generation: "legacy", versions: [] });

    const live = await keys();
    const ci = live.find((k) => k.name === "CI mail sender")!;
    expect(ci.scopes).toEqual(["mail.send", "templates.read", "2fa_required", "sender_verification_eligible"]);
    expect(live.find((k) => k.name === "Full access")!.scopes.length).toBeGreaterThan(100);
    ciId = ci.api_key_id;
    ciSecret = ci.api_key;

    const out = await outputs();
    expect(out["sendgrid.templates.welcome.id"]).toBe(templateId);
    expect(out["sendgrid.templates.welcome.versionIds"]).toEqual({ v1: v1Id, v2: t!.versions[1]!.id });
    expect(out["sendgrid.apiKeys.ci.id"]).toBe(ciId);
    expect(out["sendgrid.apiKeys.ci.apiKey"]).toBe(ciSecret);
    const plain = await project.outputs(false);
    expect(JSON.stringify(plain)).not.toContain(ciSecret);
    await converged();
  });

  it("updates every updatable field in place, with the fewest calls", async () => {
    // Template name; v1 subject, html, editor, test data; v2 name and its own text; a new v3 that
    // becomes the active version; the CI key's name.
    doc = baseDoc();
    const tpl = doc.sendgrid.templates.welcome;
    tpl.name = "Welcome aboard";
    Object.assign(tpl.versions.v1, { subject: "Welcome aboard {{name}}", html: "<p>Aboard {{name}}</p>", editor: "design", testData: { name: "Grace" } });
    delete tpl.versions.v1.active;
    Object.assign(tpl.versions.v2, { name: "Welcome v2 (short)", text: "Hi there", generatePlainContent: false });
    tpl.versions.v3 = { name: "Welcome v3", subject: "Hey {{name}}", html: "<p>Hey</p>", active: true };
    doc.sendgrid.apiKeys.ci.name = "CI sender";
    write(doc);
    await admin.resetRequestCounts();
    await project.up();
    expect(await sendgridCalls()).toEqual([
      "PATCH /v3/api_keys/{api_key_id}",
      "PATCH /v3/templates/{template_id}",
      "PATCH /v3/templates/{template_id}/versions/{version_id}",
      "PATCH /v3/templates/{template_id}/versions/{version_id}",
      "POST /v3/templates/{template_id}/versions",
    ]);
    let [t] = await templates();
    expect(t!.id).toBe(templateId);
    expect(t!.name).toBe("Welcome aboard");
    expect(t!.versions.map((v) => [v.name, v.active])).toEqual([
      ["Welcome v1", 0],
      ["Welcome v2 (short)", 0],
      ["Welcome v3", 1],
    ]);
    expect(t!.versions[0]).toMatchObject({ id: v1Id, subject: "Welcome aboard {{name}}", editor: "design", test_data: '{"name":"Grace"}' });
    expect(t!.versions[1]).toMatchObject({ plain_content: "Hi there", generate_plain_content: false });
    expect((await keys()).find((k) => k.api_key_id === ciId)!.name).toBe("CI sender");
    await converged();

    // The CI key's scopes (one PUT); v3 removed (one DELETE, v1 first by key becomes active again:
    // one activate); v2's text alone; v1 back to generated plain text.
    doc.sendgrid.apiKeys.ci.scopes = ["mail.send", "templates.read", "templates.versions.read"];
    delete tpl.versions.v3;
    tpl.versions.v2.text = "Hi there, again";
    delete tpl.versions.v1.text;
    tpl.versions.v1.generatePlainContent = true;
    write(doc);
    await admin.resetRequestCounts();
    await project.up();
    expect(await sendgridCalls()).toEqual([
      "DELETE /v3/templates/{template_id}/versions/{version_id}",
      "PATCH /v3/templates/{template_id}/versions/{version_id}",
      "PATCH /v3/templates/{template_id}/versions/{version_id}",
      "POST /v3/templates/{template_id}/versions/{version_id}/activate",
      "PUT /v3/api_keys/{api_key_id}",
    ]);
    [t] = await templates();
    expect(t!.versions.map((v) => [v.name, v.active, v.plain_content])).toEqual([
      ["Welcome v1", 1, "Aboard {{name}}"],
      ["Welcome v2 (short)", 0, "Hi there, again"],
    ]);
    const ci = (await keys()).find((k) => k.api_key_id === ciId)!;
    expect(ci.scopes).toEqual(["mail.send", "templates.read", "templates.versions.read", "2fa_required", "sender_verification_eligible"]);
    expect((await outputs())["sendgrid.apiKeys.ci.apiKey"], "the secret survives updates").toBe(ciSecret);
    await converged();
  });

  it("keeps the scopes SendGrid assigns by itself on the account: no drift on refresh, kept by a scope update", async () => {
    const assigned = ["2fa_exempt", "sender_verification_exempt", "sender_verification_legacy"];
    // After the keys were made, SendGrid starts assigning its own scopes on this account.
    await admin.setAccountSettings("sendgrid", { grantedScopes: assigned });
    try {
      for (const k of await keys()) expect(k.scopes, k.name).toEqual(expect.arrayContaining(assigned));
      await converged(["--refresh"]);

      doc.sendgrid.apiKeys.ci.scopes = ["mail.send", "templates.read"];
      write(doc);
      await admin.resetRequestCounts();
      await project.up();
      expect(await sendgridCalls()).toEqual(["PUT /v3/api_keys/{api_key_id}"]);
      const ci = (await keys()).find((k) => k.api_key_id === ciId)!;
      expect([...ci.scopes].sort()).toEqual(["mail.send", "templates.read", "2fa_required", "sender_verification_eligible", ...assigned].sort());
      await converged(["--refresh"]);
    } finally {
      await admin.setAccountSettings("sendgrid", { grantedScopes: [] });
    }
  });

  it("replaces the template when its generation changes", async () => {
    const tpl = doc.sendgrid.templates.welcome;
    tpl.generation = "legacy";
    delete tpl.versions.v1.testData; // dynamic templates only
    write(doc);
    const result = await project.up();
    expect(result.stdout).toMatch(/replaced/);
    const live = await templates();
    expect(live).toHaveLength(1);
    expect(live[0]).toMatchObject({ name: "Welcome aboard", generation: "legacy" });
    expect(live[0]!.id).not.toBe(templateId);
    templateId = live[0]!.id;
    v1Id = live[0]!.versions.find((v) => v.name === "Welcome v1")!.id;
    await converged();
  });

  it("catches drift of each managed field on refresh, names it, and repairs it", async () => {
    const v2Id = (await templates())[0]!.versions.find((v) => v.name === "Welcome v2 (short)")!.id;
    // Out of band, through the admin surface and the API itself.
    await admin.patchObject("sendgrid", "templates", templateId, { name: "Drifted template name" });
    await sg("PATCH", `/templates/${templateId}/versions/${v1Id}`, {
      name: "Drifted version name",
      subject: "Drifted subject",
      html_content: "<p>Drifted html</p>",
      editor: "code",
      generate_plain_content: false,
      plain_content: "Drifted plain text",
    });
    await sg("PATCH", `/templates/${templateId}/versions/${v2Id}`, { name: "Welcome v2 (short)", subject: "Hi {{name}}", plain_content: "Drifted v2 text" });
    await sg("POST", `/templates/${templateId}/versions/${v2Id}/activate`);
    const sneaky = await sg("POST", `/templates/${templateId}/versions`, { name: "Sneaky version", subject: "s" });
    await sg("PATCH", `/api_keys/${ciId}`, { name: "Drifted key name" });
    const full = (await keys()).find((k) => k.name === "Full access")!;
    await sg("PUT", `/api_keys/${full.api_key_id}`, { name: "Full access", scopes: ["mail.send"] });

    const plain = await project.previewNoChanges();
    expect(plain.code, "without refresh the state still says converged").toBe(0);
    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    for (const shown of [
      "Drifted template name",
      "Drifted version name",
      "Drifted subject",
      "Drifted html",
      "Drifted v2 text",
      `unmanaged:${sneaky.id}`,
      "Drifted key name",
      "scopes",
    ]) {
      expect(drift.stdout, shown).toContain(shown);
    }
    // v1's generated text is not managed, but switching generation off is drift.
    expect(drift.stdout).toMatch(/generatePlainContent\s*:\s*false\s*=>\s*true/);
    expect(drift.stdout).toMatch(/editor\s*:\s*"code"\s*=>\s*"design"/);
    // Inputs arrive normalized: what did not drift (v2's html, editor) is not marked as a change.
    expect(drift.stdout).not.toMatch(/[~+-] htmlContent\s*:\s*"<p>Hi \{\{name\}\}<\/p>"/);
    expect(drift.stdout).toMatch(/^\s+editor\s*:\s*"code"$/m);
    expect(drift.stdout).toMatch(/active\s*:\s*true\s*=>\s*false/);

    await project.up(["--refresh"]);
    await converged(["--refresh"]);
    const [t] = await templates();
    expect(t).toMatchObject({ id: templateId, name: "Welcome aboard" });
    expect(t!.versions.map((v) => [v.name, v.active, v.subject, v.generate_plain_content, v.plain_content])).toEqual([
      ["Welcome v1", 1, "Welcome aboard {{name}}", true, "Aboard {{name}}"],
      ["Welcome v2 (short)", 0, "Hi {{name}}", false, "Hi there, again"],
    ]);
    const live = await keys();
    expect(live.find((k) => k.api_key_id === ciId)!.name).toBe("CI sender");
    expect(live.find((k) => k.api_key_id === full.api_key_id)!.scopes.length).toBeGreaterThan(100);
    expect((await outputs())["sendgrid.apiKeys.ci.apiKey"], "refresh keeps the shown-once secret from state").toBe(ciSecret);
  });

  it("recreates a deleted version, template and key on refresh", async () => {
    await sg("DELETE", `/templates/${templateId}/versions/${v1Id}`);
    await sg("DELETE", `/api_keys/${ciId}`);
    let drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    expect(drift.stdout).toContain("Welcome v1");
    await project.up(["--refresh"]);
    await converged(["--refresh"]);
    let [t] = await templates();
    expect(t!.versions.map((v) => [v.name, v.active])).toEqual([
      ["Welcome v2 (short)", 0],
      ["Welcome v1", 1],
    ]);
    const ci = (await keys()).find((k) => k.name === "CI sender")!;
    expect(ci.api_key_id).not.toBe(ciId);
    ciId = ci.api_key_id;
    ciSecret = ci.api_key;
    expect((await outputs())["sendgrid.apiKeys.ci.apiKey"], "a recreated key has its new secret").toBe(ciSecret);

    await admin.deleteObject("sendgrid", "templates", templateId);
    drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    await project.up(["--refresh"]);
    await converged(["--refresh"]);
    [t] = await templates();
    expect(t!.id).not.toBe(templateId);
    expect(t!.versions.map((v) => v.name).sort()).toEqual(["Welcome v1", "Welcome v2 (short)"]);
    templateId = t!.id;
  });

  it("adopts existing objects only with adopt: true", async () => {
    const existing = await sg("POST", "/templates", { name: "Receipt", generation: "dynamic" });
    const version = await sg("POST", `/templates/${existing.id}/versions`, { name: "Receipt body", subject: "Old subject" });
    const existingKey = await sg("POST", "/api_keys", { name: "Legacy key", scopes: ["mail.send"] });
    secrets.add(existingKey.api_key);
    doc.sendgrid.templates.receipt = {
      name: "Receipt",
      generation: "dynamic",
      versions: { body: { name: "Receipt body", subject: "Your receipt", html: "<p>Thanks</p>" } },
    };
    doc.sendgrid.apiKeys.legacy = { name: "Legacy key", scopes: ["mail.send"] };
    write(doc);
    const refused = await project.run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/sendgrid:Template \(receipt\):\s+error: SendGrid template: one already exists with name "Receipt" and generation dynamic/);
    expect(refused.stdout + refused.stderr).toMatch(/sendgrid:ApiKey \(legacy\):\s+error: SendGrid API key: one already exists with name "Legacy key".*adopt: true/);

    doc.sendgrid.templates.receipt.adopt = true;
    doc.sendgrid.apiKeys.legacy.adopt = true;
    write(doc);
    await project.up();
    const receipt = (await templates()).find((t) => t.name === "Receipt")!;
    expect(receipt.id).toBe(existing.id);
    expect(receipt.versions).toEqual([expect.objectContaining({ id: version.id, subject: "Your receipt", active: 1 })]);
    const out = await outputs();
    expect(out["sendgrid.apiKeys.legacy.id"]).toBe(existingKey.api_key_id);
    expect(out["sendgrid.apiKeys.legacy.apiKey"] ?? undefined, "an adopted key's secret is unknown").toBeUndefined();
    expect((await keys()).filter((k) => k.name === "Legacy key")).toHaveLength(1);
    await converged();
  });

  it("never stores a secret or the credential in plaintext", async () => {
    await keys();
    const state = await project.exportState();
    for (const secret of secrets) expect(state.text).not.toContain(secret);
    const config = fs.readFileSync(path.join(project.dir, `Pulumi.${project.stack}.yaml`), "utf8");
    expect(config).not.toContain(KEY);
    const ci = state.resources.find((r) => r.type === "pulumi-nodejs:dynamic/sendgrid:ApiKey" && r.id === ciId)!;
    expect(ci.outputs?.apiKey).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
    const stored = fs.readdirSync(path.join(project.dir, ".state"), { recursive: true }).map(String);
    for (const file of stored) {
      const full = path.join(project.dir, ".state", file);
      if (!fs.statSync(full).isFile()) continue;
      const text = fs.readFileSync(full, "utf8");
      for (const secret of secrets) expect(text, file).not.toContain(secret);
    }
  });

  it("destroys everything", async () => {
    await project.destroy();
    expect(await allTemplates()).toEqual([]);
    expect(await keys()).toEqual([]);
  });
});

/**
 * Mailjet through the real Pulumi CLI and engine against the in-process emulators: two templates
 * (one with every field, one with the name only) and an API key are created, updated field by
 * field in place, replaced when the owner type changes, drift (each managed field, and deletes)
 * is caught by a refreshing preview and repaired, existing objects are adopted only when asked,
 * the state never holds the secret key or the credentials in plaintext, and destroy removes
 * everything.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { TestProject } from "../support/project";

const { apiKey: PUBLIC, secretKey: SECRET } = DEFAULT_CREDENTIALS.mailjet;
const AUTH = `Basic ${Buffer.from(`${PUBLIC}:${SECRET}`).toString("base64")}`;

interface LiveTemplate {
  ID: number;
  Name: string;
  OwnerType: string;
  Purposes: string[];
  Locale: string;
  Description: string;
  Categories: string[];
  EditMode: number;
  IsTextPartGenerationEnabled: boolean;
}
interface LiveContent {
  Headers: Record<string, string>;
  "Html-part": string;
  "Text-part": string;
  MJMLContent: string;
}
interface LiveKey {
  ID: number;
  Name: string;
  IsActive: boolean;
  IsMaster: boolean;
  APIKey: string;
  SecretKey?: string;
}

type Doc = Record<string, any>;

const RECEIPT_HTML = "<p>Thanks for your order, {{var:name}}</p>\n";

/** The desired state the steps start from; each step edits a copy. */
function baseDoc(): Doc {
  return {
    mailjet: {
      templates: {
        receipt: {
          name: "Receipt",
          ownerType: "apikey",
          purposes: ["transactional"],
          locale: "en_US",
          description: "Sent after payment",
          categories: ["billing"],
          editMode: "html",
          isTextPartGenerationEnabled: false,
          content: {
            headers: { From: "Shop <shop@example.com>", Subject: "Your receipt", "Reply-To": "help@example.com" },
            html: { file: "templates/receipt.html" },
            text: "Thanks for your order",
          },
        },
        // The name only: every other field is managed as Mailjet's default and must converge.
        plain: { name: "Plain" },
      },
      apiKeys: {
        reporting: { name: "Reporting", active: true },
      },
    },
  };
}

describe("Mailjet through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let doc: Doc;
  /** Secrets seen so far: none may appear in the state in plaintext. */
  const secrets = new Set<string>([SECRET]);

  const mj = async (method: string, p: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${emu.urls.mailjet}/v3/REST${p}`, {
      method,
      headers: { Authorization: AUTH, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${p} answered ${res.status}: ${text}`);
    return text ? JSON.parse(text).Data[0] : undefined;
  };
  const templates = () => admin.listObjects<LiveTemplate>("mailjet", "template");
  const template = async (name: string) => (await templates()).find((t) => t.Name === name);
  const content = (id: number) => mj("GET", `/template/${id}/detailcontent`) as Promise<LiveContent>;
  const keys = async () => {
    const all = (await admin.listObjects<LiveKey>("mailjet", "apikey")).filter((k) => !k.IsMaster);
    for (const k of all) if (k.SecretKey) secrets.add(k.SecretKey);
    return all;
  };
  const write = (d: Doc) => project.writeStack(stringify(d), { "templates/receipt.html": RECEIPT_HTML });
  const converged = async (extra: string[] = []) => {
    const preview = await project.previewNoChanges(extra);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  };
  const writes = async () =>
    (await admin.requestCounts())
      .filter((c) => c.vendor === "mailjet" && c.method !== "GET")
      .flatMap((c) => Array.from({ length: c.count }, () => `${c.method} ${c.route}`))
      .sort();
  /** The stack outputs (the program exports them under `resources`), secrets shown. */
  const outputs = async (showSecrets = true) => {
    const all = (await project.outputs(showSecrets)) as Record<string, any>;
    return (all.resources ?? all) as Record<string, any>;
  };

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: { mailjet: { url: emu.urls.mailjet, apiKey: PUBLIC, secretKey: SECRET } } });
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  let receiptId: number;
  let keyId: number;
  let keySecret: string;

  it("creates two templates and an API key, and converges", async () => {
    doc = baseDoc();
    write(doc);
    await project.up();

    const receipt = (await template("Receipt"))!;
    expect(receipt).toMatchObject({
      OwnerType: "apikey",
      Purposes: ["transactional"],
      Locale: "en_US",
      Description: "Sent after payment",
      Categories: ["billing"],
      EditMode: 2,
      IsTextPartGenerationEnabled: false,
    });
    receiptId = receipt.ID;
    expect(await content(receiptId)).toEqual({
      Headers: { From: "Shop <shop@example.com>", Subject: "Your receipt", "Reply-to": "help@example.com" },
      "Html-part": RECEIPT_HTML,
      "Text-part": "Thanks for your order",
      MJMLContent: "",
    });
    expect(await template("Plain")).toMatchObject({ EditMode: 1, Locale: "en_US", Purposes: [], Categories: [] });

    const [key] = await keys();
    expect(key).toMatchObject({ Name: "Reporting", IsActive: true });
    keyId = key!.ID;
    keySecret = key!.SecretKey!;

    const out = await outputs();
    expect(out["mailjet.templates.receipt.id"]).toBe(String(receiptId));
    expect(out["mailjet.apiKeys.reporting.id"]).toBe(String(keyId));
    expect(out["mailjet.apiKeys.reporting.apiKey"]).toBe(key!.APIKey);
    expect(out["mailjet.apiKeys.reporting.secretKey"]).toBe(keySecret);
    const plain = await outputs(false);
    expect(plain["mailjet.apiKeys.reporting.secretKey"]).toBe("[secret]");
    expect(JSON.stringify(plain)).not.toContain(keySecret);
    await converged();
  });

  it("updates every updatable field in place, with one PUT per object and one content POST", async () => {
    doc = baseDoc();
    const r = doc.mailjet.templates.receipt;
    Object.assign(r, {
      name: "Receipt v2",
      purposes: ["transactional", "automation"],
      locale: "fr_FR",
      description: "Sent after every payment",
      categories: ["billing", "eu"],
      editMode: "mjml",
      isTextPartGenerationEnabled: true,
    });
    r.content = {
      headers: { From: "Shop <billing@example.com>", Subject: "Votre reçu" },
      html: "<p>Merci</p>",
      mjml: "<mjml><mj-body><mj-text>Merci</mj-text></mj-body></mjml>",
    };
    doc.mailjet.apiKeys.reporting = { name: "Reporting (read only)", active: false };
    write(doc);
    await admin.resetRequestCounts();
    await project.up();
    expect(await writes()).toEqual(["POST /v3/REST/template/{id}/detailcontent", "PUT /v3/REST/apikey/{id}", "PUT /v3/REST/template/{id}"]);

    const receipt = (await templates()).find((t) => t.ID === receiptId)!;
    expect(receipt).toMatchObject({
      Name: "Receipt v2",
      Purposes: ["automation", "transactional"],
      Locale: "fr_FR",
      Description: "Sent after every payment",
      Categories: ["billing", "eu"],
      EditMode: 4,
      IsTextPartGenerationEnabled: true,
    });
    expect(await content(receiptId)).toEqual({
      Headers: { From: "Shop <billing@example.com>", Subject: "Votre reçu" },
      "Html-part": "<p>Merci</p>",
      "Text-part": "",
      MJMLContent: "<mjml><mj-body><mj-text>Merci</mj-text></mj-body></mjml>",
    });
    expect((await keys()).find((k) => k.ID === keyId)).toMatchObject({ Name: "Reporting (read only)", IsActive: false });
    expect((await outputs())["mailjet.apiKeys.reporting.secretKey"]).toBe(keySecret);
    await converged();
  });

  it("changes a template's ownerType in place: one PUT, the same template id", async () => {
    doc.mailjet.templates.receipt.ownerType = "user";
    write(doc);
    await admin.resetRequestCounts();
    await project.up();
    expect(await writes()).toEqual(["PUT /v3/REST/template/{id}"]);
    const receipt = (await template("Receipt v2"))!;
    expect(receipt.OwnerType).toBe("user");
    expect(receipt.ID).toBe(receiptId);
    expect((await content(receiptId))["Html-part"]).toBe("<p>Merci</p>");
    expect((await outputs())["mailjet.templates.receipt.id"]).toBe(String(receiptId));
    await converged();
  });

  it("catches an out-of-band change of each managed field on refresh, names it, and repairs it", async () => {
    // Metadata through the admin surface, content and the key through Mailjet's own API.
    await admin.patchObject("mailjet", "template", receiptId, {
      Name: "Receipt (edited)",
      Purposes: ["marketing"],
      Locale: "de_DE",
      Description: "edited",
      Categories: ["web-ui"],
      EditMode: 1,
      IsTextPartGenerationEnabled: false,
    });
    await mj("PUT", `/template/${receiptId}/detailcontent`, {
      Headers: { From: "Someone <else@example.com>", Subject: "Votre reçu", "Reply-To": "x@example.com" },
      "Html-part": "<p>edited</p>",
      "Text-part": "edited text",
      MJMLContent: "<mjml/>",
    });
    await mj("PUT", `/apikey/${keyId}`, { Name: "Reporting (edited)", IsActive: true });
    const plainId = (await template("Plain"))!.ID;
    await mj("PUT", `/template/${plainId}`, { EditMode: 2, Locale: "en_GB" });

    const stale = await project.previewNoChanges();
    expect(stale.code, "without refresh the state still says converged").toBe(0);

    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    // The refresh names each field with its state and live values: `~ name: "Receipt v2" => "Receipt (edited)"`.
    for (const [field, live] of [
      ["name", "Receipt (edited)"],
      ["description", "edited"],
      ["locale", "de_DE"],
      ["editMode", "dnd"],
      ["html", "<p>edited</p>"],
      ["text", "edited text"],
      ["mjml", "<mjml/>"],
      ["From", "Someone <else@example.com>"],
      ["Reply-To", "x@example.com"],
      ["name", "Reporting (edited)"],
      ["locale", "en_GB"],
    ]) {
      expect(drift.stdout, `${field} named in the diff`).toMatch(new RegExp(`[~+] ${escape(field!)}\\s*:.*"${escape(live!)}"`));
    }
    for (const [field, change] of [
      ["purposes", /~ \[0\]: "automation" => "marketing"/],
      ["categories", /~ \[0\]: "billing" => "web-ui"/],
      ["isTextPartGenerationEnabled", /~ isTextPartGenerationEnabled\s*: true => false/],
      ["active", /~ active\s*: false => true/],
    ] as const) {
      expect(drift.stdout, `${field} named in the diff`).toMatch(change);
    }
    // The update that follows names only what differs: a default the file leaves out is no change.
    expect(drift.stdout).toMatch(/~ editMode\s*: "html" => "dnd"/);
    expect(drift.stdout).toMatch(/- text\s*: "edited text"/); // the engine shows "" as absent
    expect(drift.stdout).not.toMatch(/- (categories|description|purposes)\s*:/);

    await project.up(["--refresh"]);
    const receipt = (await templates()).find((t) => t.ID === receiptId)!;
    expect(receipt).toMatchObject({ Name: "Receipt v2", Purposes: ["automation", "transactional"], Locale: "fr_FR", Categories: ["billing", "eu"], EditMode: 4, IsTextPartGenerationEnabled: true });
    expect(await content(receiptId)).toEqual({
      Headers: { From: "Shop <billing@example.com>", Subject: "Votre reçu" },
      "Html-part": "<p>Merci</p>",
      "Text-part": "",
      MJMLContent: "<mjml><mj-body><mj-text>Merci</mj-text></mj-body></mjml>",
    });
    expect(await template("Plain")).toMatchObject({ EditMode: 1, Locale: "en_US" });
    expect((await keys()).find((k) => k.ID === keyId)).toMatchObject({ Name: "Reporting (read only)", IsActive: false });
    // The secret is shown once: refresh cannot read it, and keeps the one in state.
    expect((await outputs())["mailjet.apiKeys.reporting.secretKey"]).toBe(keySecret);
    await converged(["--refresh"]);
  });

  it("recreates a template and an API key deleted out of band; the new key's secret replaces the old", async () => {
    await admin.deleteObject("mailjet", "template", receiptId);
    await admin.deleteObject("mailjet", "apikey", keyId);
    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    await project.up(["--refresh"]);
    const receipt = (await template("Receipt v2"))!;
    expect(receipt.ID).not.toBe(receiptId);
    receiptId = receipt.ID;
    expect((await content(receiptId))["Html-part"]).toBe("<p>Merci</p>");
    const key = (await keys()).find((k) => k.Name === "Reporting (read only)")!;
    expect(key.ID).not.toBe(keyId);
    keyId = key.ID;
    const out = await outputs();
    expect(out["mailjet.apiKeys.reporting.secretKey"]).toBe(key.SecretKey);
    expect(out["mailjet.apiKeys.reporting.secretKey"]).not.toBe(keySecret);
    keySecret = key.SecretKey!;
    await converged(["--refresh"]);
  });

  it("adopts a pre-existing template and API key only with adopt: true", async () => {
    const existing = await mj("POST", "/template", { Name: "Welcome", EditMode: 2, Description: "made by hand" });
    await mj("POST", `/template/${existing.ID}/detailcontent`, { "Html-part": "<p>by hand</p>" });
    const existingKey = await mj("POST", "/apikey", { Name: "Legacy" });
    secrets.add(existingKey.SecretKey);

    doc.mailjet.templates.welcome = { name: "Welcome", editMode: "html", content: { html: "<p>Welcome</p>" } };
    doc.mailjet.apiKeys.legacy = { name: "Legacy" };
    write(doc);
    const refused = await project.run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(refused.code).not.toBe(0);
    const said = refused.stdout + refused.stderr;
    expect(said).toMatch(/mailjet:Template \(welcome\):\s+error: Mailjet template: one already exists with ownerType "apikey" and name "Welcome" \(id \d+\)\. If another entry .*set `adopt: true`/);
    expect(said).toMatch(/mailjet:ApiKey \(legacy\):\s+error: Mailjet API key: one already exists with name "Legacy" \(id \d+\)\. If another entry .*set `adopt: true`/);
    expect((await templates()).filter((t) => t.Name === "Welcome")).toHaveLength(1);

    doc.mailjet.templates.welcome.adopt = true;
    doc.mailjet.apiKeys.legacy.adopt = true;
    write(doc);
    await project.up();
    const welcome = (await templates()).filter((t) => t.Name === "Welcome");
    expect(welcome.map((t) => t.ID)).toEqual([existing.ID]);
    expect(welcome[0]!.Description).toBe("");
    expect((await content(existing.ID))["Html-part"]).toBe("<p>Welcome</p>");
    const out = await outputs();
    expect(out["mailjet.templates.welcome.id"]).toBe(String(existing.ID));
    expect(out["mailjet.apiKeys.legacy.id"]).toBe(String(existingKey.ID));
    expect(out["mailjet.apiKeys.legacy.apiKey"]).toBe(existingKey.APIKey);
    expect(out["mailjet.apiKeys.legacy.secretKey"] ?? null, "Mailjet shows a secret once: an adopted key has none").toBeNull();
    await converged(["--refresh"]);
  });

  it("never stores the secret key or the credentials in plaintext", async () => {
    await keys();
    const state = await project.exportState();
    for (const secret of [...secrets, PUBLIC, AUTH.slice("Basic ".length)]) expect(state.text).not.toContain(secret);
    const key = state.resources.find((r) => r.type === "pulumi-nodejs:dynamic/mailjet:ApiKey" && r.id === String(keyId))!;
    expect(key.outputs!.secretKey).toMatchObject({ "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" });
    const config = fs.readFileSync(path.join(project.dir, `Pulumi.${project.stack}.yaml`), "utf8");
    for (const secret of [SECRET, PUBLIC]) expect(config).not.toContain(secret);
    for (const r of state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/mailjet:"))) {
      const serialized = String(r.outputs?.__provider ?? "");
      expect(Buffer.byteLength(serialized)).toBeLessThan(2048);
      for (const secret of [SECRET, PUBLIC]) expect(serialized).not.toContain(secret);
    }
  });

  it("destroys everything", async () => {
    await project.destroy();
    expect(await templates()).toEqual([]);
    expect(await keys()).toEqual([]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

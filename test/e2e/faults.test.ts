/**
 * A 200-resource stack across the three vendors, applied by the real engine while every vendor
 * misbehaves: 10% of requests answered 429, 5% answered 500/503 and 2% dropped, half of the 5xx
 * and drops after the vendor committed the change. One `pulumi up` must converge, the refresh
 * preview must then show no change, and the accounts must hold exactly the declared objects: no
 * duplicate from a repeated create, no orphan from a lost answer.
 *
 * The emulators' rate-limit windows are shortened to one second (with mailform's pacing told the
 * same), so that waiting out each 429 costs seconds rather than minutes; the logic is the same.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import type { FaultSpec } from "../../emulators/core/faults";
import type { VendorName } from "../../emulators/core/types";
import { TestProject, emulatedVendors } from "../support/project";

const VENDORS: VendorName[] = ["mailtrap", "sendgrid", "mailjet"];

/** 10 projects x 5 inboxes, 20 templates, 10 tokens; 30 + 20 SendGrid; 40 + 20 Mailjet: 200. */
function stack(): { doc: Record<string, unknown>; counts: Record<string, number> } {
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const projects = Object.fromEntries(
    range(10).map((p) => [
      `p${p}`,
      { name: `Project ${p}`, inboxes: Object.fromEntries(range(5).map((i) => [`i${i}`, { name: `Inbox ${i}`, ...(i === 0 ? { emailUsername: `chaos-${p}` } : {}) }])) },
    ]),
  );
  const doc = {
    mailtrap: {
      projects,
      emailTemplates: Object.fromEntries(range(20).map((t) => [`t${t}`, { name: `Template ${t}`, category: "chaos", subject: `Subject ${t}`, html: `<p>${t}</p>` }])),
      apiTokens: Object.fromEntries(range(10).map((t) => [`k${t}`, { name: `Token ${t}`, permissions: [{ project: `p${t}`, access: "viewer" }] }])),
    },
    sendgrid: {
      templates: Object.fromEntries(
        range(30).map((t) => [`t${t}`, { name: `Template ${t}`, generation: "dynamic", versions: { v1: { name: `V ${t}`, subject: `S ${t}`, html: `<p>${t}</p>` } } }]),
      ),
      apiKeys: Object.fromEntries(range(20).map((k) => [`k${k}`, { name: `Key ${k}`, scopes: ["mail.send"] }])),
    },
    mailjet: {
      templates: Object.fromEntries(range(40).map((t) => [`t${t}`, { name: `Template ${t}`, content: { html: `<p>${t}</p>`, text: `${t}` } }])),
      apiKeys: Object.fromEntries(range(20).map((k) => [`k${k}`, { name: `Key ${k}` }])),
    },
  };
  return { doc, counts: { projects: 10, sandboxes: 50, email_templates: 20, api_tokens: 10, templates: 30, api_keys: 20, template: 40, apikey: 20 } };
}

describe("200 resources converge in one run while every vendor misbehaves", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  const { doc, counts } = stack();

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 }, seed: 20261129 });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: emulatedVendors(emu.urls) });
    for (const vendor of VENDORS) {
      await admin.setRateLimits({ vendor, limit: 100, windowMs: 1000, enabled: true });
      await project.config(`${vendor}RateLimit`, "100/1s");
    }
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  async function injectFaults(): Promise<void> {
    const specs: Omit<FaultSpec, "vendor">[] = [
      { kind: "429", rate: 0.1 },
      { kind: "500", rate: 0.0125 },
      { kind: "503", rate: 0.0125 },
      { kind: "500-after-commit", rate: 0.0125 },
      { kind: "503-after-commit", rate: 0.0125 },
      { kind: "drop", rate: 0.01 },
      { kind: "drop-after-commit", rate: 0.01 },
    ];
    for (const vendor of VENDORS) for (const spec of specs) await admin.addFault({ vendor, ...spec } as FaultSpec);
  }

  /** Names per collection, master Mailjet key and SendGrid's own account key left out. */
  async function live(): Promise<Record<string, string[]>> {
    const names = async (vendor: VendorName, collection: string, field: string, keep: (o: Record<string, unknown>) => boolean = () => true) =>
      (await admin.listObjects<Record<string, unknown>>(vendor, collection)).filter(keep).map((o) => String(o[field]));
    // Inboxes are named per project: their natural key is project and name.
    const inboxes = (await admin.listObjects<{ project_id: number; name: string }>("mailtrap", "sandboxes")).map((s) => `${s.project_id}/${s.name}`);
    return {
      projects: await names("mailtrap", "projects", "name"),
      sandboxes: inboxes,
      email_templates: await names("mailtrap", "email_templates", "name"),
      api_tokens: await names("mailtrap", "api_tokens", "name", (t) => String(t.name).startsWith("Token ")),
      templates: await names("sendgrid", "templates", "name"),
      api_keys: await names("sendgrid", "api_keys", "name", (k) => String(k.name).startsWith("Key ")),
      template: await names("mailjet", "template", "Name"),
      apikey: await names("mailjet", "apikey", "Name", (k) => !k.IsMaster),
    };
  }

  it("one `up` creates every object exactly once", async () => {
    project.writeStack(stringify(doc));
    await injectFaults();
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up.code, `${up.stdout}\n${up.stderr}`).toBe(0);

    const fired = (await admin.faults()).reduce((n, f) => n + f.fired, 0);
    expect(fired).toBeGreaterThan(20); // the faults really happened

    const objects = await live();
    for (const [collection, expected] of Object.entries(counts)) {
      const names = objects[collection]!;
      expect(new Set(names).size, `${collection}: duplicates in ${names.join(", ")}`).toBe(names.length);
      expect(names.length, `${collection}: ${names.join(", ")}`).toBe(expected);
    }
    const state = await project.exportState();
    expect(state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length).toBe(200);
  }, 900_000);

  it("then the refresh preview shows no change, with the faults still on", async () => {
    const preview = await project.previewNoChanges(["--refresh"]);
    expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0);
  }, 600_000);
});

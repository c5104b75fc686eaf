/**
 * What each operation costs in vendor calls, counted by the emulators, for a mixed stack of every
 * original kind: `up` from empty lists each collection once (not once per create) and otherwise
 * makes only the calls the APIs require; a no-op preview makes none; a refresh reads each object
 * with one call where the API returns it in one.
 *
 * The floors the APIs set, per object (docs/resources/*.md say why):
 * - Mailtrap inbox with an address: create + set the username + switch the address on (3);
 * - Mailjet template with content: the template + its detailcontent (2 to create, 2 to read);
 * - SendGrid template: the template + one call per version (to create; a dynamic one also reads
 *   each version for its test data);
 * - everything else: 1 to create, 1 to read.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient, type RequestCountEntry } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";

const N = 4;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const doc = {
  mailtrap: {
    projects: Object.fromEntries(
      range(N).map((p) => [`p${p}`, { name: `Project ${p}`, inboxes: { qa: { name: "QA", emailUsername: `calls-${p}` }, dev: { name: "Dev" } } }]),
    ),
    emailTemplates: Object.fromEntries(range(N).map((t) => [`t${t}`, { name: `Template ${t}`, category: "c", subject: "s" }])),
    apiTokens: Object.fromEntries(range(N).map((t) => [`k${t}`, { name: `Token ${t}`, permissions: [{ project: `p${t}`, access: "viewer" }] }])),
  },
  sendgrid: {
    templates: Object.fromEntries(range(N).map((t) => [`t${t}`, { name: `Template ${t}`, generation: "legacy", versions: { v1: { name: "V1", subject: "s" } } }])),
    apiKeys: Object.fromEntries(range(N).map((k) => [`k${k}`, { name: `Key ${k}`, scopes: ["mail.send"] }])),
  },
  mailjet: {
    templates: Object.fromEntries(range(N).map((t) => [`t${t}`, { name: `Template ${t}`, content: { html: "<p>x</p>" } }])),
    apiKeys: Object.fromEntries(range(N).map((k) => [`k${k}`, { name: `Key ${k}` }])),
  },
};
/** Resources: N projects, 2N inboxes, N of each other kind. */
const RESOURCES = N * 3 + N * 6;

describe("vendor calls per operation", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: emulatedVendors(emu.urls) });
    project.writeStack(stringify(doc));
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  const count = (entries: RequestCountEntry[], method: string, route?: RegExp) =>
    entries.filter((e) => e.method === method && (!route || route.test(e.route))).reduce((n, e) => n + e.count, 0);

  it("up from empty: each collection listed once, otherwise only the calls the APIs require", async () => {
    await admin.resetRequestCounts();
    await project.up();
    const calls = await admin.requestCounts();
    const total = calls.reduce((n, e) => n + e.count, 0);

    // One listing per kind (Mailjet templates: per owner type), however many objects it creates;
    // no template is looked up by its `OwnerType|Name` key any more (kept as a bound: at most N).
    const lists = calls.filter((e) => e.method === "GET" && !/\{[^}]+\}$/.test(e.route));
    for (const l of lists) expect(l.count, `${l.vendor} GET ${l.route}`).toBe(1);
    const keyLookups = count(calls, "GET", /^\/v3\/REST\/template\/\{/);
    expect(keyLookups).toBeLessThanOrEqual(N);

    const floor =
      N /* projects */ + 2 * N /* inboxes */ + 2 * N /* QA address: username + switch */ + N /* email templates */ + N /* tokens */ +
      2 * N /* SendGrid templates + one version each */ + N /* SendGrid keys */ +
      2 * N /* Mailjet templates + content */ + N /* Mailjet keys */;
    const writes = calls.filter((e) => e.method !== "GET").reduce((n, e) => n + e.count, 0);
    expect(writes).toBe(floor);
    const perResource = total / RESOURCES;
    console.log(`up from empty: ${total} calls for ${RESOURCES} resources (${perResource.toFixed(2)} per resource; writes ${writes} = the APIs' floor, ${lists.length} listings, ${keyLookups} key look-ups)`);
    expect(total).toBeLessThanOrEqual(floor + lists.length + keyLookups);
  });

  it("a no-op preview makes no vendor call", async () => {
    await admin.resetRequestCounts();
    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout).toBe(0);
    expect((await admin.requestCounts()).reduce((n, e) => n + e.count, 0)).toBe(0);
  });

  it("a refresh reads each object with one call where the API returns it in one", async () => {
    await admin.resetRequestCounts();
    await project.must(["refresh", "--yes", "--skip-preview"]);
    const calls = await admin.requestCounts();
    const reads = (vendor: string, route: RegExp) => calls.filter((e) => e.vendor === vendor && route.test(e.route)).reduce((n, e) => n + e.count, 0);
    expect(reads("mailtrap", /^\/api\/projects\/\{[^}]+\}$/)).toBe(N);
    expect(reads("mailtrap", /^\/api\/sandboxes\/\{[^}]+\}$/)).toBe(2 * N);
    expect(reads("mailtrap", /^\/api\/email_templates\/\{[^}]+\}$/)).toBe(N);
    expect(reads("mailtrap", /^\/api\/api_tokens\/\{[^}]+\}$/)).toBe(N);
    expect(reads("sendgrid", /^\/v3\/templates\/\{[^}]+\}$/)).toBe(N);
    expect(reads("sendgrid", /^\/v3\/api_keys\/\{[^}]+\}$/)).toBe(N);
    expect(reads("mailjet", /^\/v3\/REST\/apikey\/\{[^}]+\}$/)).toBe(N);
    // Mailjet keeps a template's content apart: two calls, the API's floor.
    expect(reads("mailjet", /^\/v3\/REST\/template\/\{[^}]+\}(\/detailcontent)?$/)).toBe(2 * N);
    const total = calls.reduce((n, e) => n + e.count, 0);
    const oneCallKinds = RESOURCES - N; /* Mailjet templates */
    console.log(`refresh: ${total} calls for ${RESOURCES} resources (${(total / RESOURCES).toFixed(2)} per resource)`);
    expect(total).toBeLessThanOrEqual(Math.ceil(oneCallKinds * 1.1) + 2 * N);
  });
});

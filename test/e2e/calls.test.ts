/**
 * What each operation costs in vendor calls, counted by the emulators, for a mixed stack of every
 * kind: `up` from empty lists each collection once (not once per create) and otherwise makes only
 * the calls the APIs require; a no-op preview makes none; a refresh or `preview --refresh` lists
 * each collection once and reads per object only what the listing lacks.
 *
 * The floors the APIs set, per object (docs/resources/*.md say why):
 * - Mailtrap inbox with an address: create + set the username + switch the address on (3);
 * - Mailjet template with content: the template + its detailcontent (2 to create; on refresh the
 *   listing + 1 per template for the content, which no listing carries);
 * - SendGrid template: the template + one call per version (to create; on refresh the listing
 *   carries the versions' content, and a dynamic one reads a version for its test data only when
 *   the version's `updated_at` moved since mailform last knew it: none after mailform's own up);
 * - SendGrid API key: its listing lacks the scopes, so a refresh reads each key (1);
 * - Mailjet sender: create + a read of its domain entry for the DNS records (2; on refresh the
 *   domain entries are listed with the senders);
 * - SendGrid signed event webhook: create + the signing toggle (2; on refresh the listing carries
 *   the public key);
 * - Mailtrap account access: no create (Mailtrap cannot invite): taken over, one permissions PUT
 *   (1), and one read of the account's id per run for account-level permissions;
 * - everything else: 1 to create, none of its own on refresh (one listing per collection).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient, type RequestCountEntry } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";
import { vendorApi, type Live } from "../support/vendor-api";

const N = 4;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

const doc = {
  mailtrap: {
    projects: Object.fromEntries(
      range(N).map((p) => [`p${p}`, { name: `Project ${p}`, inboxes: { qa: { name: "QA", emailUsername: `calls-${p}` }, dev: { name: "Dev" } } }]),
    ),
    emailTemplates: Object.fromEntries(range(N).map((t) => [`t${t}`, { name: `Template ${t}`, category: "c", subject: "s" }])),
    apiTokens: Object.fromEntries(range(N).map((t) => [`k${t}`, { name: `Token ${t}`, permissions: [{ project: `p${t}`, access: "viewer" }] }])),
    domains: Object.fromEntries(range(N).map((d) => [`d${d}`, { domainName: `mail${d}.example.com` }])),
    webhooks: Object.fromEntries(
      range(N).map((w) => [`w${w}`, { url: `https://hooks.example.com/mt${w}`, type: "email_sending", sendingStream: "transactional", events: ["delivery"] }]),
    ),
    // People invited from the web UI before the run (see beforeAll).
    accountAccesses: Object.fromEntries(range(N).map((a) => [`a${a}`, { email: `person${a}@example.com`, account: "viewer", permissions: [{ project: `p${a}`, access: "viewer" }] }])),
  },
  sendgrid: {
    // Half legacy, half dynamic (whose versions' test data no listing carries).
    templates: Object.fromEntries(
      range(N).map((t) => [`t${t}`, { name: `Template ${t}`, generation: t % 2 ? "dynamic" : "legacy", versions: { v1: { name: "V1", subject: "s" } } }]),
    ),
    apiKeys: Object.fromEntries(range(N).map((k) => [`k${k}`, { name: `Key ${k}`, scopes: ["mail.send"] }])),
    unsubscribeGroups: Object.fromEntries(range(N).map((g) => [`g${g}`, { name: `Group ${g}`, description: "d" }])),
    // The first one signed: its own toggle after the create (1 more write), read back from the listing.
    eventWebhooks: Object.fromEntries(range(N).map((w) => [`w${w}`, { url: `https://hooks.example.com/${w}`, events: ["delivered"], ...(w === 0 ? { signed: true } : {}) }])),
    verifiedSenders: Object.fromEntries(range(N).map((v) => [`v${v}`, { fromEmail: `from${v}@example.com`, nickname: `Sender ${v}`, protect: false }])),
    parseSettings: Object.fromEntries(range(N).map((p) => [`p${p}`, { hostname: `parse${p}.example.com`, url: `https://inbound.example.com/${p}` }])),
  },
  mailjet: {
    templates: Object.fromEntries(range(N).map((t) => [`t${t}`, { name: `Template ${t}`, content: { html: "<p>x</p>" } }])),
    apiKeys: Object.fromEntries(range(N).map((k) => [`k${k}`, { name: `Key ${k}` }])),
    contactLists: Object.fromEntries(range(N).map((l) => [`l${l}`, { name: `List ${l}` }])),
    senders: Object.fromEntries(range(N).map((s) => [`s${s}`, { email: `sender${s}@example.com` }])),
    eventCallbacks: Object.fromEntries(["bounce", "click", "open", "spam"].slice(0, N).map((e) => [e, { eventType: e, url: `https://hooks.example.com/${e}` }])),
  },
};
/** Resources: 2N inboxes, N of each of the other 17 kinds. */
const RESOURCES = N * 2 + N * 17;

describe("vendor calls per operation", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: emulatedVendors(emu.urls) });
    project.writeStack(stringify(doc));
    // Mailtrap's API cannot invite: the people whose accesses the stack declares were invited in the web UI.
    for (const a of range(N)) {
      await admin.putObject("mailtrap", "account_accesses", 7601 + a, { specifier_type: "Invite", specifier: { id: 7601 + a, email: `person${a}@example.com` }, resources: [] });
    }
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
    // A sender's create answer lacks its domain's DNS records (outputs): one read of the domain entry each.
    const domainReads = count(calls, "GET", /^\/v3\/REST\/dns\/\{/);
    expect(domainReads).toBe(N);

    const floor =
      N /* projects */ + 2 * N /* inboxes */ + 2 * N /* QA address: username + switch */ + N /* email templates */ + N /* tokens */ +
      2 * N /* SendGrid templates + one version each */ + N /* SendGrid keys */ +
      2 * N /* Mailjet templates + content */ + N /* Mailjet keys */ +
      N /* Mailtrap domains */ + N /* groups */ + N /* webhooks */ + 1 /* one webhook signed */ + N /* contact lists */ + N /* senders */ + N /* callbacks */ +
      N /* SendGrid verified senders */ + N /* parse settings */ + N /* Mailtrap webhooks */ + N /* Mailtrap accesses: one permissions PUT each */;
    const writes = calls.filter((e) => e.method !== "GET").reduce((n, e) => n + e.count, 0);
    expect(writes).toBe(floor);
    const perResource = total / RESOURCES;
    console.log(`up from empty: ${total} calls for ${RESOURCES} resources (${perResource.toFixed(2)} per resource; writes ${writes} = the APIs' floor, ${lists.length} listings, ${keyLookups} key look-ups)`);
    expect(total).toBeLessThanOrEqual(floor + lists.length + keyLookups + domainReads);
  });

  it("a no-op preview makes no vendor call", async () => {
    await admin.resetRequestCounts();
    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout).toBe(0);
    expect((await admin.requestCounts()).reduce((n, e) => n + e.count, 0)).toBe(0);
  });

  /**
   * The calls a refresh (or `preview --refresh`) may make: per vendor and route, one listing per
   * collection and the per-object reads of what listings lack; nothing else.
   */
  function expectListingReads(calls: RequestCountEntry[], operation: string): number {
    const expected: Record<string, number> = {
      "mailtrap GET /api/projects": 1,
      "mailtrap GET /api/sandboxes": 1,
      "mailtrap GET /api/email_templates": 1,
      "mailtrap GET /api/api_tokens": 1,
      "mailtrap GET /api/domains": 1,
      "mailtrap GET /api/webhooks": 1,
      "mailtrap GET /api/account_accesses": 1,
      "sendgrid GET /v3/templates": 1,
      // Dynamic templates' versions are not read: their stamps have not moved since the up made them.
      // The key listing lacks scopes.
      "sendgrid GET /v3/api_keys/{api_key_id}": N,
      "sendgrid GET /v3/asm/groups": 1,
      "sendgrid GET /v3/user/webhooks/event/settings/all": 1,
      "sendgrid GET /v3/verified_senders": 1,
      "sendgrid GET /v3/user/webhooks/parse/settings": 1,
      "mailjet GET /v3/REST/template": 1,
      "mailjet GET /v3/REST/template/{id}/detailcontent": N,
      "mailjet GET /v3/REST/apikey": 1,
      "mailjet GET /v3/REST/contactslist": 1,
      "mailjet GET /v3/REST/sender": 1,
      // The senders' domain entries (DNS records, DKIM and SPF status), listed once.
      "mailjet GET /v3/REST/dns": 1,
      "mailjet GET /v3/REST/eventcallbackurl": 1,
    };
    const seen = Object.fromEntries(calls.filter((e) => e.count > 0).map((e) => [`${e.vendor} ${e.method} ${e.route}`, e.count]));
    expect(seen, operation).toEqual(expected);
    const total = calls.reduce((n, e) => n + e.count, 0);
    console.log(`${operation}: ${total} calls for ${RESOURCES} resources (${(total / RESOURCES).toFixed(2)} per resource)`);
    return total;
  }

  it("a refresh lists each collection once and reads per object only what the listing lacks", async () => {
    await admin.resetRequestCounts();
    await project.must(["refresh", "--yes", "--skip-preview"]);
    expectListingReads(await admin.requestCounts(), "refresh");
  });

  it("preview --refresh costs what a refresh costs, and still sees a change made outside mailform", async () => {
    await admin.resetRequestCounts();
    const same = await project.previewNoChanges(["--refresh"]);
    expect(same.code, same.stdout + same.stderr).toBe(0);
    expectListingReads(await admin.requestCounts(), "preview --refresh");

    // Test data no listing carries, edited outside mailform: its version's stamp moved, so that
    // version alone is read, and the drift is seen.
    const dynamic = (await admin.listObjects<Live>("sendgrid", "templates")).find((t) => t.name === "Template 1")!;
    const version = dynamic.versions[0]!;
    await new Promise((resolve) => setTimeout(resolve, 1100)); // a later second than any stamp so far
    await vendorApi(emu, "sendgrid", "PATCH", `/v3/templates/${dynamic.id}/versions/${version.id}`, {
      name: version.name, subject: version.subject, test_data: JSON.stringify({ edited: "outside" }),
    });
    await admin.resetRequestCounts();
    const testData = await project.previewNoChanges(["--refresh"]);
    expect(testData.code).not.toBe(0);
    expect(testData.stdout + testData.stderr).toMatch(/testData/);
    expect(testData.stdout + testData.stderr).toMatch(/edited[^\n]*outside/);
    const versionReads = count(await admin.requestCounts(), "GET", /^\/v3\/templates\/\{template_id\}\/versions\/\{version_id\}$/);
    expect(versionReads).toBe(1);
    await project.must(["up", "--yes", "--skip-preview", "--refresh"]);

    // Drift seen through the listings: an inbox renamed, a group's description, a contact list.
    const inbox = (await admin.listObjects<Live>("mailtrap", "sandboxes")).find((s) => s.name === "Dev")!;
    await vendorApi(emu, "mailtrap", "PATCH", `/api/sandboxes/${inbox.id}`, { sandbox: { name: "Dev (edited)" } });
    const group = (await admin.listObjects<Live>("sendgrid", "asm_groups")).find((g) => g.name === "Group 1")!;
    await vendorApi(emu, "sendgrid", "PATCH", `/v3/asm/groups/${group.id}`, { description: "edited" });
    const drifted = await project.previewNoChanges(["--refresh"]);
    expect(drifted.code).not.toBe(0);
    expect(drifted.stdout + drifted.stderr).toMatch(/Dev \(edited\)/);
    expect(drifted.stdout + drifted.stderr).toMatch(/description[^\n]*edited/);
  });
});

/**
 * The other kinds (Mailtrap webhooks and account accesses, SendGrid identity, teammates and account
 * settings, Mailjet parse routes, contact properties and account settings) in a stack of their own: a refresh costs what their docs sections say, per kind.
 */
describe("vendor calls of a refresh, the other kinds", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  const M = 2;

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: emulatedVendors(emu.urls) });
    // People invited from Mailtrap's web UI (its API cannot invite): the admin surface stands in for it.
    for (const a of range(M)) {
      await admin.putObject("mailtrap", "account_accesses", 9000 + a, { specifier_type: "Invite", specifier: { id: 9000 + a, email: `person${a}@example.com` }, resources: [] });
    }
    project.writeStack(
      stringify({
        mailtrap: {
          webhooks: Object.fromEntries(range(M).map((w) => [`w${w}`, { url: `https://hooks.example.com/mt${w}`, type: "audit_log", payloadFormat: "jsonlines" }])),
          accountAccesses: Object.fromEntries(range(M).map((a) => [`a${a}`, { email: `person${a}@example.com`, account: "viewer" }])),
        },
        sendgrid: {
          domainAuthentications: Object.fromEntries(range(M).map((d) => [`d${d}`, { domain: `auth${d}.example.com`, subdomain: "em", protect: false }])),
          linkBrandings: Object.fromEntries(range(M).map((l) => [`l${l}`, { domain: `links${l}.example.com`, subdomain: "url", protect: false }])),
          teammates: Object.fromEntries(range(M).map((t) => [`t${t}`, { email: `mate${t}@example.com`, scopes: ["templates.read"] }])),
          mailSettings: { account: { footer: { enabled: true, html: "<p>Example Inc.</p>" }, bouncePurge: { enabled: true, hardBounces: 30 } } },
          trackingSettings: { account: { open: { enabled: false } } },
          enforcedTls: { account: { requireTls: true } },
          verifiedSenders: Object.fromEntries(
            range(M).map((v) => [`v${v}`, { fromEmail: `orders${v}@example.com`, nickname: `Orders ${v}`, fromName: "Orders", replyTo: "help@example.com", address: "1234 Fake St", city: "San Francisco", country: "USA" }]),
          ),
        },
        mailjet: {
          parseRoutes: Object.fromEntries(range(M).map((r) => [`r${r}`, { url: `https://hooks.example.com/parse${r}` }])),
          contactProperties: Object.fromEntries(range(M).map((p) => [`p${p}`, { name: `prop${p}` }])),
          accountSettings: { account: { timezone: "UTC", companyName: "Example Inc." } },
        },
      }),
    );
    await project.up();
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("lists each collection once; settings read what the entry declares; teammates as documented", async () => {
    // One invitation accepted: a teammate with scopes, which the listing lacks.
    await admin.patchObject("sendgrid", "teammates", "mate0@example.com", { pending: false, username: "mate0" });
    await admin.resetRequestCounts();
    await project.must(["refresh", "--yes", "--skip-preview"]);
    const calls = await admin.requestCounts();
    const seen = Object.fromEntries(calls.filter((e) => e.count > 0).map((e) => [`${e.vendor} ${e.method} ${e.route}`, e.count]));
    expect(seen).toEqual({
      // One listing per collection serves every object.
      "mailtrap GET /api/webhooks": 1,
      "mailtrap GET /api/account_accesses": 1,
      "sendgrid GET /v3/whitelabel/domains": 1,
      "sendgrid GET /v3/whitelabel/links": 1,
      "sendgrid GET /v3/verified_senders": 1,
      "mailjet GET /v3/REST/parseroute": 1,
      "mailjet GET /v3/REST/contactmetadata": 1,
      // Teammates: both listings; an invitation needs nothing more, an accepted teammate one read for its scopes.
      "sendgrid GET /v3/teammates/pending": 1,
      "sendgrid GET /v3/teammates": 1,
      "sendgrid GET /v3/teammates/{username}": 1,
      // Account settings: one GET per setting (SendGrid) or resource (Mailjet) the entry declares.
      "sendgrid GET /v3/mail_settings/footer": 1,
      "sendgrid GET /v3/mail_settings/bounce_purge": 1,
      "sendgrid GET /v3/tracking_settings/open": 1,
      "sendgrid GET /v3/user/settings/enforced_tls": 1,
      "mailjet GET /v3/REST/user": 1,
      "mailjet GET /v3/REST/myprofile": 1,
    });
    const total = calls.reduce((n, e) => n + e.count, 0);
    console.log(`refresh, the other kinds: ${total} calls for ${9 * M + 4} resources`);
  });
});

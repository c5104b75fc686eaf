/**
 * SendGrid verified senders, inbound parse settings and signed event webhooks with OAuth, through
 * the real Pulumi CLI and engine against the emulator: creation and adoption at the APIs' floor, a
 * no-op preview with no call and a refresh through the listings, verification a state (not drift),
 * drift named in YAML terms and put back, an out-of-band delete recreated, in-place updates, the
 * replacements a new from address or hostname makes (created before the old one is deleted),
 * `protect` by default and `retainOnDelete`, the OAuth client secret read from stack config (never
 * in state, outputs or logs; sent once, and again only when the entry names another key), no
 * verification email sent again, and the `mailform export` round trip adopted with 0 writes.
 * Each `pulumi up` costs seconds: each step changes every kind at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient, type RequestCountEntry } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";
import { vendorApi, type Live } from "../support/vendor-api";

type Doc = Record<string, any>;

const SECRET = "oauth-client-secret-1111-never-shown";
const ROTATED = "oauth-client-secret-2222-never-shown";
const W = "/v3/user/webhooks/event/settings";
const PARSE = "/v3/user/webhooks/parse/settings";

const count = (entries: RequestCountEntry[], method: string, route: string) =>
  entries.filter((e) => e.vendor === "sendgrid" && e.method === method && e.route === route).reduce((n, e) => n + e.count, 0);

describe("SendGrid verified senders, inbound parse settings, signed webhooks with OAuth, through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let second: TestProject | undefined;
  const doc: Doc = {
    sendgrid: {
      verifiedSenders: {
        orders: { fromEmail: "Orders@Example.com", nickname: "Orders", fromName: "Example Orders", city: "Paris", protect: false },
        hand: { fromEmail: "hand@example.com", nickname: "Hand", adopt: true },
      },
      parseSettings: {
        replies: { hostname: "parse.example.com", url: "https://inbound.example.com/a", spamCheck: true },
        hand: { hostname: "In.Example.com", url: "https://inbound.example.com/hand", adopt: true },
      },
      eventWebhooks: {
        delivery: {
          url: "https://hooks.example.com/d",
          events: ["delivered", "bounce"],
          signed: true,
          oauth: { clientId: "sendgrid-events", tokenUrl: "https://auth.example.com/token", clientSecretConfig: "eventsOauthSecret" },
        },
      },
    },
  };
  const write = () => project.writeStack(stringify(doc));
  const senders = () => admin.listObjects<Live>("sendgrid", "verified_senders");
  const parses = () => admin.listObjects<Live>("sendgrid", "parse_settings");
  const hooks = () => admin.listObjects<Live>("sendgrid", "event_webhooks");
  const senderOf = async (email: string) => (await senders()).find((s) => s.from_email.toLowerCase() === email);
  const parseOf = async (hostname: string) => (await parses()).find((p) => p.hostname === hostname);
  const writes = async () => (await admin.requestCounts()).filter((e) => e.method !== "GET");
  /** Neither secret anywhere the engine keeps or prints. */
  const noSecretIn = (what: string, text: string) => {
    expect(text.includes(SECRET), `${what} holds the OAuth secret`).toBe(false);
    expect(text.includes(ROTATED), `${what} holds the rotated OAuth secret`).toBe(false);
  };
  const preexisting: Record<string, Live> = {};
  /** The stack as written makes the preview fail on a protected object, before any vendor call. */
  const refusedBeforeAnyCall = async () => {
    write();
    await admin.resetRequestCounts();
    const refused = await project.run(["preview"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/protect/);
    expect(await admin.countRequests({})).toBe(0);
  };

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ stack: "senders", endpoints: emulatedVendors(emu.urls) });
    await project.config("eventsOauthSecret", SECRET, true);
    // Made by hand before mailform manages the account.
    preexisting.sender = await vendorApi(emu, "sendgrid", "POST", "/v3/verified_senders", { nickname: "By hand", from_email: "Hand@example.com", reply_to: "hand@example.com" });
    await admin.patchObject("sendgrid", "verified_senders", String(preexisting.sender.id), { verified: true });
    preexisting.parse = await vendorApi(emu, "sendgrid", "POST", PARSE, { hostname: "in.example.com", url: "https://inbound.example.com/old" });
  }, 120_000);

  afterAll(async () => {
    project?.remove();
    second?.remove();
    await emu?.close();
  });

  it("creates and adopts at the APIs' floor; the secret reaches SendGrid only; a no-op preview makes no call; refresh reads the listings", async () => {
    write();
    await admin.resetRequestCounts();
    const up = await project.up();
    noSecretIn("up's output", up.stdout + up.stderr);
    const calls = await admin.requestCounts();
    expect(count(calls, "GET", "/v3/verified_senders")).toBe(1);
    expect(count(calls, "POST", "/v3/verified_senders")).toBe(1);
    expect(count(calls, "PATCH", "/v3/verified_senders/{id}"), "the adopted sender's nickname").toBe(1);
    expect(count(calls, "GET", PARSE)).toBe(1);
    expect(count(calls, "POST", PARSE)).toBe(1);
    expect(count(calls, "PATCH", `${PARSE}/{hostname}`), "the adopted setting's URL").toBe(1);
    expect(count(calls, "GET", `${W}/all`)).toBe(1);
    expect(count(calls, "POST", W)).toBe(1);
    expect(count(calls, "PATCH", `${W}/signed/{id}`), "signing: its own toggle after the create").toBe(1);
    expect(count(calls, "POST", "/v3/verified_senders/resend/{id}")).toBe(0);
    expect(calls.filter((e) => e.method === "DELETE")).toEqual([]);

    const orders = await senderOf("orders@example.com");
    expect(orders).toMatchObject({ nickname: "Orders", from_name: "Example Orders", city: "Paris", reply_to: "orders@example.com", verified: false, verification_emails: 1 });
    expect(await senderOf("hand@example.com")).toMatchObject({ id: preexisting.sender.id, nickname: "Hand", verified: true, verification_emails: 1 });
    expect(await parseOf("parse.example.com")).toMatchObject({ url: "https://inbound.example.com/a", spam_check: true, send_raw: false });
    expect(await parseOf("in.example.com")).toMatchObject({ url: "https://inbound.example.com/hand" });
    const [hook] = await hooks();
    expect(hook).toMatchObject({ signed: true, oauth_client_id: "sendgrid-events", oauth_token_url: "https://auth.example.com/token", oauth_client_secret: SECRET });

    const outputs = ((await project.outputs()) as Live).resources as Live;
    expect(outputs["sendgrid.verifiedSenders.orders.verified"]).toBe(false);
    expect(outputs["sendgrid.verifiedSenders.hand.verified"]).toBe(true);
    expect(outputs["sendgrid.parseSettings.replies.id"]).toBe("parse.example.com");
    expect(outputs["sendgrid.eventWebhooks.delivery.publicKey"]).toBe(hook!.public_key);
    expect(hook!.public_key).toMatch(/^[A-Za-z0-9+/]{40,}={0,2}$/);
    const state = await project.exportState();
    noSecretIn("the state", state.text);
    const stored = state.resources.find((r) => r.type.endsWith("sendgrid:EventWebhook"))!;
    expect(stored.outputs!.oauth).toEqual({ clientId: "sendgrid-events", tokenUrl: "https://auth.example.com/token", clientSecretConfig: "eventsOauthSecret" });

    await admin.resetRequestCounts();
    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect(await admin.countRequests({}), "vendor calls of a no-op preview").toBe(0);

    // Verified by its owner out of band: an output, not drift. A refresh lists each collection once.
    await admin.patchObject("sendgrid", "verified_senders", String(orders!.id), { verified: true });
    await admin.resetRequestCounts();
    const refreshed = await project.previewNoChanges(["--refresh"]);
    expect(refreshed.code, refreshed.stdout + refreshed.stderr).toBe(0);
    const reads = await admin.requestCounts();
    expect(count(reads, "GET", "/v3/verified_senders")).toBe(1);
    expect(count(reads, "GET", PARSE)).toBe(1);
    expect(count(reads, "GET", `${W}/all`)).toBe(1);
    expect(count(reads, "GET", `${PARSE}/{hostname}`) + count(reads, "GET", `${W}/{id}`) + count(reads, "GET", `${W}/signed/{id}`)).toBe(0);
    expect(reads.filter((e) => e.method !== "GET")).toEqual([]);
    await project.must(["refresh", "--yes", "--skip-preview"]);
    const refreshedState = (await project.exportState()).resources.find((r) => r.type.endsWith("sendgrid:VerifiedSender") && r.urn.endsWith("::orders"));
    expect(refreshedState!.outputs!.verified).toBe(true);
    expect((await senderOf("orders@example.com"))!.verification_emails, "no verification email sent again").toBe(1);
  });

  it("names drift in YAML terms; up --refresh puts it back, recreates what was deleted (a sender, a parse setting), and does not send the secret again", async () => {
    const orders = (await senderOf("orders@example.com"))!;
    const [hook] = await hooks();
    await vendorApi(emu, "sendgrid", "PATCH", `/v3/verified_senders/${orders.id}`, { nickname: "Orders", from_email: orders.from_email, reply_to: orders.reply_to, city: "Lyon" });
    await vendorApi(emu, "sendgrid", "PATCH", `${PARSE}/in.example.com`, { send_raw: true });
    await vendorApi(emu, "sendgrid", "DELETE", `${PARSE}/parse.example.com`);
    await vendorApi(emu, "sendgrid", "DELETE", `/v3/verified_senders/${preexisting.sender.id}`);
    await vendorApi(emu, "sendgrid", "PATCH", `${W}/signed/${hook!.id}`, { enabled: false });
    await vendorApi(emu, "sendgrid", "PATCH", `${W}/${hook!.id}`, { url: hook!.url, oauth_client_id: "someone-else", oauth_token_url: "https://auth.example.com/token" });
    // What SendGrid holds as the secret from now on; mailform must not send its own over it.
    await admin.patchObject("sendgrid", "event_webhooks", hook!.id, { oauth_client_secret: "set-by-hand" });

    const drift = await project.mailform(["drift", "--format", "json"]);
    expect(drift.code, drift.stderr).toBe(2);
    noSecretIn("drift's report", drift.stdout + drift.stderr);
    const report = JSON.parse(drift.stdout);
    const of = (key: string) => report.objects.find((o: Live) => o.key === key);
    expect(of("sendgrid.verifiedSenders.orders")).toMatchObject({ kind: "VerifiedSender", status: "changed", fields: [{ field: "city", desired: "Paris", live: "Lyon" }] });
    expect(of("sendgrid.parseSettings.hand")).toMatchObject({ kind: "ParseSetting", status: "changed", fields: [{ field: "sendRaw", desired: false, live: true }] });
    expect(of("sendgrid.parseSettings.replies")).toMatchObject({ status: "deleted" });
    const webhook = of("sendgrid.eventWebhooks.delivery");
    expect(webhook).toMatchObject({ kind: "EventWebhook", status: "changed" });
    expect(webhook.fields).toEqual([
      { field: "oauth.clientId", desired: "sendgrid-events", live: "someone-else" },
      { field: "signed", desired: true, live: false },
    ]);
    expect(of("sendgrid.verifiedSenders.hand")).toMatchObject({ status: "deleted" });

    await admin.resetRequestCounts();
    const up = await project.up(["--refresh"]);
    noSecretIn("up's output", up.stdout + up.stderr);
    expect(await senderOf("orders@example.com")).toMatchObject({ id: orders.id, city: "Paris", verified: true, verification_emails: 1 });
    expect(await parseOf("in.example.com")).toMatchObject({ send_raw: false });
    expect(await parseOf("parse.example.com")).toMatchObject({ url: "https://inbound.example.com/a", spam_check: true });
    // Made again: a new sender, which SendGrid emails for verification (its owner must verify it again).
    const hand = await senderOf("hand@example.com");
    expect(hand).toMatchObject({ nickname: "Hand", verified: false, verification_emails: 1 });
    expect(hand!.id).not.toBe(preexisting.sender.id);
    const [after] = await hooks();
    expect(after).toMatchObject({ id: hook!.id, signed: true, oauth_client_id: "sendgrid-events", oauth_client_secret: "set-by-hand" });
    expect(count(await admin.requestCounts(), "POST", "/v3/verified_senders/resend/{id}")).toBe(0);
    const quiet = await project.previewNoChanges(["--refresh"]);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
  });

  it("updates in place with one PATCH each; a new secret key sends the secret (a key missing or in plaintext is refused before any call); a new address or hostname replaces, created first", async () => {
    doc.sendgrid.verifiedSenders.orders.nickname = "Orders desk";
    delete doc.sendgrid.verifiedSenders.orders.city;
    doc.sendgrid.parseSettings.replies.url = "https://inbound.example.com/b";
    doc.sendgrid.eventWebhooks.delivery.oauth.clientSecretConfig = "eventsOauthSecret2";
    write();
    await admin.resetRequestCounts();
    // A key the stack's config lacks, then one set in plaintext: refused where it is named, before any call.
    const missing = await project.run(["preview"]);
    expect(missing.code).not.toBe(0);
    expect(missing.stdout + missing.stderr).toMatch(
      /senders\.yaml:\d+:\d+ +error +sendgrid\.eventWebhooks\.delivery\.oauth\.clientSecretConfig: the stack config key mailform:eventsOauthSecret2 is not set[\s\S]*fix: set it: pulumi config set --secret mailform:eventsOauthSecret2 <value>/,
    );
    // Pulumi itself balks at a key named like a secret: --plaintext is the mistake made on purpose.
    await project.must(["config", "set", "mailform:eventsOauthSecret2", "plaintext-by-mistake", "--plaintext"]);
    const plain = await project.run(["up", "--yes", "--skip-preview"]);
    expect(plain.code).not.toBe(0);
    expect(plain.stdout + plain.stderr).toMatch(/mailform:eventsOauthSecret2 holds the secret in plaintext/);
    expect(await admin.countRequests({}), "vendor calls before the key is set as a secret").toBe(0);

    await project.config("eventsOauthSecret2", ROTATED, true);
    const up = await project.up();
    noSecretIn("up's output", up.stdout + up.stderr);
    const w = await writes();
    expect(w.map((e) => `${e.method} ${e.route} ${e.count}`).sort()).toEqual(
      [`PATCH /v3/verified_senders/{id} 1`, `PATCH ${PARSE}/{hostname} 1`, `PATCH ${W}/{id} 1`].sort(),
    );
    expect(await senderOf("orders@example.com")).toMatchObject({ nickname: "Orders desk", city: "", verification_emails: 1 });
    expect(await parseOf("parse.example.com")).toMatchObject({ url: "https://inbound.example.com/b" });
    expect((await hooks())[0]).toMatchObject({ oauth_client_id: "sendgrid-events", oauth_client_secret: ROTATED });
    noSecretIn("the state", (await project.exportState()).text);

    // A protected sender (the default) refuses its replacement before any call.
    doc.sendgrid.verifiedSenders.hand.fromEmail = "hand.new@example.com";
    await refusedBeforeAnyCall();
    doc.sendgrid.verifiedSenders.hand.fromEmail = "hand@example.com";

    const old = (await senderOf("orders@example.com"))!;
    doc.sendgrid.verifiedSenders.orders.fromEmail = "shop@example.com";
    doc.sendgrid.parseSettings.replies.hostname = "reply.example.com";
    write();
    const seq = (await admin.requestLog({ vendor: "sendgrid" })).at(-1)?.seq ?? 0;
    const replaced = await project.up();
    expect(replaced.stdout).toMatch(/replaced/);
    const log = await admin.requestLog({ vendor: "sendgrid", after: seq });
    const at = (method: string, route: string) => log.findIndex((e) => e.method === method && e.route === route);
    expect(at("POST", "/v3/verified_senders"), "the new sender before the old one goes").toBeLessThan(at("DELETE", "/v3/verified_senders/{id}"));
    expect(at("POST", PARSE)).toBeLessThan(at("DELETE", `${PARSE}/{hostname}`));
    expect(await senderOf("orders@example.com")).toBeUndefined();
    expect(await senderOf("shop@example.com")).toMatchObject({ nickname: "Orders desk", verified: false, verification_emails: 1 });
    expect(old.id).not.toBe((await senderOf("shop@example.com"))!.id);
    expect(await parseOf("parse.example.com")).toBeUndefined();
    expect(await parseOf("reply.example.com")).toMatchObject({ url: "https://inbound.example.com/b", spam_check: true });
  });

  it("exports entries that another stack adopts with no write", async () => {
    const run = await project.mailform(["export", "--vendor", "sendgrid", "--out", "stacks/exported.yaml"]);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(path.join(project.dir, "stacks", "exported.yaml"), "utf8");
    noSecretIn("the exported file", text);
    expect(text).toMatch(/verifiedSenders:\n/);
    expect(text).toMatch(/fromEmail: shop@example\.com\n/);
    expect(text).toMatch(/parseSettings:\n/);
    expect(text).toMatch(/hostname: reply\.example\.com\n/);
    expect(text).toMatch(/signed: true\n/);
    expect(text).not.toMatch(/oauth/);
    second = await TestProject.create({ stack: "adopter", endpoints: emulatedVendors(emu.urls) });
    second.writeStack(text);
    await admin.resetRequestCounts();
    await second.up();
    expect(await writes(), "vendor writes during the adopting up").toEqual([]);
    const quiet = await second.previewNoChanges(["--refresh"]);
    expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
  });

  it("retainOnDelete leaves the objects; removing a protected sender's entry is refused until protect: false", async () => {
    doc.sendgrid.parseSettings.hand.retainOnDelete = true;
    doc.sendgrid.verifiedSenders.orders.retainOnDelete = true;
    write();
    await project.up();
    delete doc.sendgrid.parseSettings.hand;
    delete doc.sendgrid.verifiedSenders.orders;
    delete doc.sendgrid.verifiedSenders.hand;
    await refusedBeforeAnyCall();

    doc.sendgrid.verifiedSenders.hand = { fromEmail: "hand@example.com", nickname: "Hand", protect: false };
    write();
    await project.up();
    expect(await parseOf("in.example.com"), "retained").toBeDefined();
    expect(await senderOf("shop@example.com"), "retained").toBeDefined();
    delete doc.sendgrid.verifiedSenders.hand;
    write();
    await admin.resetRequestCounts();
    await project.up();
    expect(await senderOf("hand@example.com"), "deleted once protect: false was applied").toBeUndefined();
    expect(count(await admin.requestCounts(), "DELETE", "/v3/verified_senders/{id}")).toBe(1);
  });
});

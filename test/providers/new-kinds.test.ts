/**
 * The kinds added as one definition each, without the engine: what a change of each field does
 * (update or replace), their normalizations, and the life-cycle details the end-to-end suite
 * (test/e2e/new-kinds.test.ts) does not reach: a deleted Mailjet list restored in place, a sender
 * Mailjet shows as Deleted read as gone, a sending domain whose settings PATCH fails removed
 * again, SendGrid's limit on enabled webhooks shown in its own words, the calls each update makes.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { contactList } from "../../providers/mailjet/contact-list";
import { eventCallback } from "../../providers/mailjet/event-callback";
import { sender } from "../../providers/mailjet/sender";
import { sendingDomain } from "../../providers/mailtrap/sending-domain";
import { lifecycle, newRun } from "../../providers/resource";
import { eventWebhook } from "../../providers/sendgrid/event-webhook";
import { unsubscribeGroup } from "../../providers/sendgrid/unsubscribe-group";
import { useEmulators } from "../support/emulators";

const creds = DEFAULT_CREDENTIALS;
const D = lifecycle(sendingDomain);
const G = lifecycle(unsubscribeGroup);
const W = lifecycle(eventWebhook);
const L = lifecycle(contactList);
const S = lifecycle(sender);
const C = lifecycle(eventCallback);

type Row = [string, ReturnType<typeof lifecycle>, Record<string, unknown>, Record<string, unknown>, string[]];

describe("new kinds: what a change of each field does", () => {
  const domain = { domainName: "mail.example.com", openTracking: true, clickTracking: true, autoUnsubscribeLink: true };
  const group = { name: "News", description: "d", isDefault: false };
  const hook = { url: "https://h.example.com/a", enabled: true, events: ["bounce"], friendlyName: "F" };
  const list = { name: "L", isDeleted: false };
  const snd = { email: "a@example.com", name: "A", emailType: "unknown" };
  const cb = { eventType: "open", url: "https://h.example.com/o", status: "alive", version: 1 };
  const cases: Row[] = [
    ["domain domainName", D, domain, { ...domain, domainName: "other.example.com" }, ["domainName"]],
    ["domain openTracking", D, domain, { ...domain, openTracking: false }, []],
    ["domain clickTracking", D, domain, { ...domain, clickTracking: false }, []],
    ["domain autoUnsubscribeLink", D, domain, { ...domain, autoUnsubscribeLink: false }, []],
    ["group name", G, group, { ...group, name: "Other" }, []],
    ["group description", G, group, { ...group, description: "e" }, []],
    ["group isDefault", G, group, { ...group, isDefault: true }, []],
    ["webhook url", W, hook, { ...hook, url: "https://h.example.com/b" }, []],
    ["webhook enabled", W, hook, { ...hook, enabled: false }, []],
    ["webhook events", W, hook, { ...hook, events: ["open"] }, []],
    ["webhook events: account status change", W, hook, { ...hook, events: ["bounce", "accountStatusChange"] }, []],
    ["webhook friendlyName", W, hook, { ...hook, friendlyName: "G" }, []],
    ["list name", L, list, { ...list, name: "M" }, []],
    ["sender email", S, snd, { ...snd, email: "b@example.com" }, ["email"]],
    ["sender name", S, snd, { ...snd, name: "B" }, []],
    ["sender emailType", S, snd, { ...snd, emailType: "bulk" }, []],
    ["callback eventType", C, cb, { ...cb, eventType: "click" }, []],
    ["callback url", C, cb, { ...cb, url: "https://h.example.com/p" }, []],
    ["callback status", C, cb, { ...cb, status: "dead" }, []],
    ["callback version", C, cb, { ...cb, version: 2 }, []],
  ];
  it.each(cases)("%s", async (_name, kind, olds, news, replaces) => {
    expect(await kind.diff!("1", olds, news)).toMatchObject({ changes: true, replaces });
  });

  it("compares as the vendors store: domain names in lower case, defaults filled, event sets sorted", async () => {
    expect((await D.diff!("1", domain, { domainName: "Mail.Example.COM" })).changes).toBe(false);
    expect((await G.diff!("1", group, { name: "News", description: "d" })).changes).toBe(false);
    expect((await W.diff!("1", { ...hook, events: ["open", "bounce"] }, { ...hook, events: ["bounce", "open", "open"] })).changes).toBe(false);
    expect((await W.diff!("1", { url: hook.url, enabled: true, events: [] }, { url: hook.url, friendlyName: "" })).changes).toBe(false);
    expect((await L.diff!("1", list, { name: "L" })).changes).toBe(false);
    expect((await S.diff!("1", { email: "a@example.com", name: "", emailType: "unknown" }, { email: "a@example.com" })).changes).toBe(false);
    expect((await C.diff!("1", cb, { eventType: "open", url: cb.url })).changes).toBe(false);
  });
});

describe("new kinds against the emulators", () => {
  const ctx = useEmulators((urls) => ({
    MAILTRAP_API_URL: urls.mailtrap,
    MAILTRAP_API_TOKEN: creds.mailtrap.apiToken,
    SENDGRID_API_URL: urls.sendgrid,
    SENDGRID_API_KEY: creds.sendgrid.apiKey,
    SENDGRID_ON_BEHALF_OF: undefined,
    MAILJET_API_URL: urls.mailjet,
    MJ_APIKEY_PUBLIC: creds.mailjet.apiKey,
    MJ_APIKEY_PRIVATE: creds.mailjet.secretKey,
  }));
  const calls = async (vendor: string) =>
    (await ctx.admin.requestCounts()).filter((c) => c.vendor === vendor).map((c) => `${c.method} ${c.route} ${c.status}`);

  beforeEach(async () => {
    await ctx.admin.reset();
  });

  it("restores a Mailjet list deleted in the UI instead of creating an empty one", async () => {
    const created = await L.create!({ name: "Customers" });
    await ctx.admin.patchObject("mailjet", "contactslist", Number(created.id), { IsDeleted: true });
    newRun(); // a refresh after a hand edit is a later run: it lists afresh
    const read = await L.read!(created.id, created.outs);
    expect(read.inputs).toMatchObject({ name: "Customers", isDeleted: true });
    expect((await L.diff!(created.id, read.props!, { name: "Customers", isDeleted: false })).changes).toBe(true);
    await ctx.admin.resetRequestCounts();
    await L.update!(created.id, read.props!, { name: "Customers", isDeleted: false });
    expect(await calls("mailjet")).toEqual(["PUT /v3/REST/contactslist/{id} 200"]);
    expect(await ctx.admin.getObject("mailjet", "contactslist", created.id)).toMatchObject({ IsDeleted: false });
  });

  it("reads a sender Mailjet shows as Deleted as gone", async () => {
    const created = await S.create!({ email: "billing@example.com", name: "Billing" });
    expect(created.outs).toMatchObject({ status: "Inactive", emailType: "unknown" });
    await ctx.admin.patchObject("mailjet", "sender", Number(created.id), { Status: "Deleted" });
    newRun(); // a refresh after a hand edit is a later run: it lists afresh
    expect((await S.read!(created.id, created.outs)).id).toBeUndefined();
  });

  it("creates a domain, then PATCHes only the settings that differ from Mailtrap's, and removes it when that fails", async () => {
    await ctx.admin.resetRequestCounts();
    const created = await D.create!({ domainName: "Mail.Example.com", clickTracking: false });
    expect(created.outs).toMatchObject({ domainName: "mail.example.com", clickTracking: false, openTracking: true, dnsVerified: false });
    expect((created.outs.dnsRecords as unknown[]).length).toBeGreaterThan(0);
    // The list is the adoption look-up.
    expect(await calls("mailtrap")).toEqual(["GET /api/domains 200", "POST /api/domains 200", "PATCH /api/domains/{domain_id} 200"]);

    await ctx.admin.addFault({ vendor: "mailtrap", route: "PATCH /api/domains/{domain_id}", kind: "500", rate: 1, count: 10 });
    await expect(D.create!({ domainName: "two.example.com", openTracking: false })).rejects.toThrow(/Mailtrap/);
    await ctx.admin.clearFaults();
    expect((await ctx.admin.listObjects<{ domain_name: string }>("mailtrap", "domains")).map((d) => d.domain_name)).toEqual(["mail.example.com"]);
  });

  it("updates a group and a webhook with one PATCH of what changed, and shows SendGrid's limit on enabled webhooks", async () => {
    const g = await G.create!({ name: "News", description: "Monthly" });
    await ctx.admin.resetRequestCounts();
    await G.update!(g.id, g.outs, { name: "News", description: "Weekly", isDefault: false });
    expect(await calls("sendgrid")).toEqual(["PATCH /v3/asm/groups/{group_id} 201"]);

    const hooks = [];
    for (let i = 0; i < 5; i++) hooks.push(await W.create!({ url: `https://h.example.com/${i}`, events: ["open"] }));
    await expect(W.create!({ url: "https://h.example.com/6" })).rejects.toThrow(/maximum number of webhooks/);
    await ctx.admin.resetRequestCounts();
    const h = hooks[0]!;
    await W.update!(h.id, h.outs, { url: h.outs.url as string, enabled: false, events: ["open"] });
    expect(await calls("sendgrid")).toEqual(["PATCH /v3/user/webhooks/event/settings/{id} 200"]);
    const live = await ctx.admin.getObject("sendgrid", "event_webhooks", h.id);
    expect(live).toMatchObject({ enabled: false, open: true, click: false });
  });

  it("manages a webhook's account status change events (account_status_change): set, read back, drift repaired", async () => {
    const desired = { url: "https://h.example.com/status", events: ["bounce", "accountStatusChange"] };
    const created = await W.create!(desired);
    // SendGrid shows the flag only when asked (`?include=account_status_change`): read what it stored.
    const flag = async () => (await ctx.admin.getObject<{ account_status_change?: boolean }>("sendgrid", "event_webhooks", created.id)).account_status_change;
    expect(await flag()).toBe(true);
    const read = await W.read!(created.id, created.outs);
    expect([...(read.inputs as { events: string[] }).events].sort()).toEqual(["accountStatusChange", "bounce"]);
    expect((await W.diff!(created.id, read.props!, desired)).changes).toBe(false);

    // Turned off out of band: drift of events, and the update turns it back on.
    newRun(); // a refresh after a hand edit is a later run: it lists afresh
    await ctx.admin.patchObject("sendgrid", "event_webhooks", created.id, { account_status_change: false });
    const drifted = await W.read!(created.id, read.props!);
    expect(drifted.inputs).toMatchObject({ events: ["bounce"] });
    expect((await W.diff!(created.id, drifted.props!, desired)).changes).toBe(true);
    await ctx.admin.resetRequestCounts();
    await W.update!(created.id, drifted.props!, desired);
    expect(await calls("sendgrid")).toEqual(["PATCH /v3/user/webhooks/event/settings/{id} 200"]);
    expect(await flag()).toBe(true);

    // Left out of the entry: off, and a webhook made without it has it off.
    await W.update!(created.id, desired, { url: desired.url, events: ["bounce"] });
    expect(await flag()).toBe(false);
    const plain = await W.create!({ url: "https://h.example.com/plain", events: ["open"] });
    expect((await W.read!(plain.id, plain.outs)).inputs).toMatchObject({ events: ["open"] });
  });

  it("adopts a Mailjet event callback by event type only with adopt", async () => {
    const existing = await C.create!({ eventType: "bounce", url: "https://old.example.com/b" });
    await expect(C.create!({ eventType: "bounce", url: "https://new.example.com/b" })).rejects.toThrow(
      /Mailjet event callback URL: one already exists with event type "bounce" \(id \d+\)/,
    );
    const adopted = await C.create!({ eventType: "bounce", url: "https://new.example.com/b", adopt: true });
    expect(adopted.id).toBe(existing.id);
    expect(await ctx.admin.getObject("mailjet", "eventcallbackurl", existing.id)).toMatchObject({ Url: "https://new.example.com/b" });
  });
});

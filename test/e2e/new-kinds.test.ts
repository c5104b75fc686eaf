/**
 * The kinds added as one definition each (Mailtrap sending domains, SendGrid unsubscribe groups and
 * event webhooks, Mailjet contact lists, senders and event callback URLs) through the real Pulumi CLI and engine
 * against the emulators: refusal and adoption of existing objects by natural key, creation,
 * convergence, in-place update of every updatable field, replacement where the API cannot update,
 * drift of every managed field caught and named by its YAML name, out-of-band deletes recreated,
 * protect and retainOnDelete, the one-per-event-type rule refused before any call, destroy.
 *
 * Each `pulumi up` costs seconds, so each step changes every kind at once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";
import { vendorApi, type Live } from "../support/vendor-api";


type Doc = Record<string, any>;


async function live(admin: AdminClient) {
  return {
    domains: await admin.listObjects<Live>("mailtrap", "domains"),
    groups: await admin.listObjects<Live>("sendgrid", "asm_groups"),
    webhooks: await admin.listObjects<Live>("sendgrid", "event_webhooks"),
    lists: await admin.listObjects<Live>("mailjet", "contactslist"),
    senders: await admin.listObjects<Live>("mailjet", "sender"),
    callbacks: await admin.listObjects<Live>("mailjet", "eventcallbackurl"),
  };
}

/** The one object whose `field` is `value`. */
function one(list: Live[], field: string, value: unknown): Live {
  const found = list.filter((o) => o[field] === value);
  expect(found.length, `exactly one ${field}=${JSON.stringify(value)} in ${JSON.stringify(list.map((o) => o[field]))}`).toBe(1);
  return found[0]!;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The entries of kinds protected by default say `protect: false`: these tests replace and destroy them. */
function baseDoc(): Doc {
  return {
    mailtrap: {
      domains: {
        mail: { domainName: "Mail.Example.com", clickTracking: false, protect: false },
        adopted: { domainName: "adopted.example.com", adopt: true, protect: false },
      },
    },
    sendgrid: {
      unsubscribeGroups: {
        news: { name: "Newsletter", description: "Monthly news", isDefault: true, protect: false },
        offers: { name: "Offers", description: "Promotions", protect: false },
        adopted: { name: "Adopted group", description: "Made by hand", adopt: true, protect: false },
      },
      eventWebhooks: {
        delivery: { url: "https://hooks.example.com/delivery", events: ["delivered", "bounce", "bounce"], friendlyName: "Delivery" },
        adopted: { url: "https://hooks.example.com/adopted", adopt: true },
      },
    },
    mailjet: {
      contactLists: {
        customers: { name: "Customers", protect: false },
        kept: { name: "Kept list", retainOnDelete: true, protect: false },
        adopted: { name: "Adopted list", adopt: true, protect: false },
      },
      senders: {
        billing: { email: "billing@example.com", name: "Billing", emailType: "transactional", protect: false },
        adopted: { email: "adopted@example.com", adopt: true, protect: false },
      },
      eventCallbacks: {
        bounces: { eventType: "bounce", url: "https://hooks.example.com/bounce" },
        adopted: { eventType: "click", url: "https://hooks.example.com/click", adopt: true },
      },
    },
  };
}

describe("the kinds added as one definition each, through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let doc: Doc = baseDoc();
  const write = () => project.writeStack(stringify(doc));
  const ids: Record<string, any> = {};
  const preexisting: Record<string, Live> = {};

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({
      stack: "kinds",
      endpoints: emulatedVendors(emu.urls),
    });
    // Objects made by hand before mailform manages the accounts.
    preexisting.domain = await vendorApi(emu, "mailtrap", "POST", "/api/domains", { domain: { domain_name: "adopted.example.com" } });
    preexisting.group = await vendorApi(emu, "sendgrid", "POST", "/v3/asm/groups", { name: "Adopted group", description: "Old words" });
    preexisting.webhook = await vendorApi(emu, "sendgrid", "POST", "/v3/user/webhooks/event/settings", {
      url: "https://hooks.example.com/adopted",
      enabled: false,
      open: true,
    });
    preexisting.list = await vendorApi(emu, "mailjet", "POST", "/v3/REST/contactslist", { Name: "Adopted list" });
    preexisting.sender = await vendorApi(emu, "mailjet", "POST", "/v3/REST/sender", { Email: "adopted@example.com", Name: "Old" });
    preexisting.callback = await vendorApi(emu, "mailjet", "POST", "/v3/REST/eventcallbackurl", {
      EventType: "click",
      Url: "https://old.example.com/click",
    });
  }, 120_000);

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("refuses two callbacks for one event type before any call, naming both entries and the line", async () => {
    doc.mailjet.eventCallbacks.again = { eventType: "bounce", url: "https://hooks.example.com/other" };
    write();
    await admin.resetRequestCounts();
    const result = await project.run(["preview"]);
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(
      /kinds\.yaml:\d+:\d+.*\n?.*mailjet\.eventCallbacks\.again and mailjet\.eventCallbacks\.bounces would be the same Mailjet event callback URL: both have event type "bounce"/,
    );
    expect(await admin.countRequests({})).toBe(0);
    delete doc.mailjet.eventCallbacks.again;
  });

  it("refuses existing objects without adopt, then adopts them by natural key with it and creates the rest", async () => {
    const withoutAdopt = baseDoc();
    for (const section of [withoutAdopt.mailtrap.domains, withoutAdopt.sendgrid.unsubscribeGroups, withoutAdopt.sendgrid.eventWebhooks, withoutAdopt.mailjet.contactLists, withoutAdopt.mailjet.senders, withoutAdopt.mailjet.eventCallbacks])
      delete section.adopted.adopt;
    project.writeStack(stringify(withoutAdopt));
    const refused = await project.run(["up", "--yes", "--skip-preview", "--continue-on-error"]);
    expect(refused.code).not.toBe(0);
    const out = refused.stdout + refused.stderr;
    for (const [title, key] of [
      ["Mailtrap sending domain", 'domain name "adopted.example.com"'],
      ["SendGrid unsubscribe group", 'name "Adopted group"'],
      ["SendGrid event webhook", 'url "https://hooks.example.com/adopted"'],
      ["Mailjet contact list", 'name "Adopted list"'],
      ["Mailjet sender", 'email "adopted@example.com"'],
      ["Mailjet event callback URL", 'event type "click"'],
    ]) {
      // The engine names the resource (`(adopted)`) on the line above its provider's message.
      expect(out).toMatch(new RegExp(`\\(adopted\\):\\s+error: ${escape(title)}: one already exists with ${escape(key)} \\(id [\\w-]+\\)\\. If another entry .*set \`adopt: true\``));
    }

    write();
    await project.up();
    const now = await live(admin);
    // Adopted: the same objects, brought to the desired state.
    expect(one(now.domains, "domain_name", "adopted.example.com").id).toBe(preexisting.domain!.id);
    expect(one(now.groups, "name", "Adopted group")).toMatchObject({ id: preexisting.group!.id, description: "Made by hand" });
    expect(one(now.lists, "Name", "Adopted list").ID).toBe(preexisting.list!.ID);
    // Adopted and brought to the entry: enabled (mailform's default), no events.
    expect(one(now.webhooks, "url", "https://hooks.example.com/adopted")).toMatchObject({ id: preexisting.webhook!.id, enabled: true, open: false });
    expect(one(now.webhooks, "url", "https://hooks.example.com/delivery")).toMatchObject({
      enabled: true,
      delivered: true,
      bounce: true,
      open: false,
      friendly_name: "Delivery",
    });
    expect(one(now.senders, "Email", "adopted@example.com")).toMatchObject({ ID: preexisting.sender!.ID, Name: "" });
    expect(one(now.callbacks, "EventType", "click")).toMatchObject({ ID: preexisting.callback!.ID, Url: "https://hooks.example.com/click" });
    // Created, with Mailtrap's lower-case name and the settings PATCHed after create.
    const mail = one(now.domains, "domain_name", "mail.example.com");
    expect(mail).toMatchObject({ click_tracking_enabled: false, open_tracking_enabled: true });
    expect(one(now.groups, "name", "Newsletter")).toMatchObject({ description: "Monthly news", is_default: true });
    expect(one(now.senders, "Email", "billing@example.com")).toMatchObject({ Name: "Billing", EmailType: "transactional" });
    expect(one(now.callbacks, "EventType", "bounce")).toMatchObject({ Url: "https://hooks.example.com/bounce", Status: "alive", Version: 1 });
    Object.assign(ids, {
      mail: mail.id,
      news: one(now.groups, "name", "Newsletter").id,
      offers: one(now.groups, "name", "Offers").id,
      customers: one(now.lists, "Name", "Customers").ID,
      billing: one(now.senders, "Email", "billing@example.com").ID,
      bounces: one(now.callbacks, "EventType", "bounce").ID,
    });
    ids.delivery = one(now.webhooks, "url", "https://hooks.example.com/delivery").id;

    const preview = await project.previewNoChanges(["--refresh"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    const outputs = ((await project.outputs()) as Live).resources as Live;
    expect(outputs["mailtrap.domains.mail.id"]).toBe(String(mail.id));
    expect(outputs["mailtrap.domains.mail.dnsRecords"]).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: "TXT", name: "mail.example.com", value: expect.stringContaining("v=spf1") })]),
    );
    expect(outputs["sendgrid.unsubscribeGroups.news.id"]).toBe(String(ids.news));
    expect(outputs["mailjet.contactLists.customers.address"]).toEqual(expect.any(String));
    expect(outputs["mailjet.senders.billing.status"]).toBe("Inactive");
  });

  it("updates every updatable field in place and replaces a domain and a sender whose natural key changes", async () => {
    doc.mailtrap.domains.mail = { domainName: "mail.example.com", openTracking: false, clickTracking: true, autoUnsubscribeLink: false, protect: false };
    doc.mailtrap.domains.adopted.domainName = "renamed.example.com";
    doc.sendgrid.unsubscribeGroups.news = { name: "News", description: "Monthly news, shorter", isDefault: false, protect: false };
    doc.sendgrid.unsubscribeGroups.offers.isDefault = true;
    doc.sendgrid.eventWebhooks.delivery = { url: "https://hooks.example.com/delivery/v2", enabled: false, events: ["spamReport", "open", "click"] };
    doc.mailjet.contactLists.customers.name = "All customers";
    doc.mailjet.senders.billing = { email: "billing@example.com", name: "Billing team", emailType: "bulk", protect: false };
    doc.mailjet.senders.adopted.email = "hello@example.com";
    doc.mailjet.eventCallbacks.bounces = { eventType: "bounce", url: "https://hooks.example.com/v2/bounce", status: "dead", version: 2 };
    doc.mailjet.eventCallbacks.adopted.eventType = "open";
    write();
    await project.up();
    const now = await live(admin);
    expect(now.domains.find((d) => d.id === ids.mail)).toMatchObject({
      open_tracking_enabled: false,
      click_tracking_enabled: true,
      auto_unsubscribe_link_enabled: false,
    });
    expect(now.domains.map((d) => d.domain_name).sort()).toEqual(["mail.example.com", "renamed.example.com"]);
    expect(one(now.domains, "domain_name", "renamed.example.com").id).not.toBe(preexisting.domain!.id);
    expect(now.groups.find((g) => g.id === ids.news)).toMatchObject({ name: "News", description: "Monthly news, shorter", is_default: false });
    expect(now.groups.find((g) => g.id === ids.offers)).toMatchObject({ is_default: true });
    expect(now.webhooks.find((w) => w.id === ids.delivery)).toMatchObject({
      url: "https://hooks.example.com/delivery/v2",
      enabled: false,
      spam_report: true,
      open: true,
      click: true,
      delivered: false,
      bounce: false,
      friendly_name: null,
    });
    expect(now.lists.find((l) => l.ID === ids.customers)).toMatchObject({ Name: "All customers" });
    expect(now.senders.find((s) => s.ID === ids.billing)).toMatchObject({ Name: "Billing team", EmailType: "bulk" });
    expect(now.senders.map((s) => s.Email).sort()).toEqual(["billing@example.com", "hello@example.com"]);
    expect(now.callbacks.find((c) => c.ID === ids.bounces)).toMatchObject({ Url: "https://hooks.example.com/v2/bounce", Status: "dead", Version: 2 });
    expect(one(now.callbacks, "ID", preexisting.callback!.ID)).toMatchObject({ EventType: "open" });

    const preview = await project.previewNoChanges(["--refresh"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  });

  it("catches drift of every managed field by its YAML name, and out-of-band deletes, and repairs them", async () => {
    const before = await live(admin);
    await admin.patchObject("mailtrap", "domains", ids.mail!, { open_tracking_enabled: true, click_tracking_enabled: false, auto_unsubscribe_link_enabled: true });
    await admin.patchObject("sendgrid", "asm_groups", ids.news!, { name: "News (edited)", description: "edited", is_default: true });
    await admin.patchObject("sendgrid", "event_webhooks", ids.delivery as unknown as number, {
      url: "https://evil.example.com/hook",
      enabled: true,
      click: false,
      dropped: true,
      friendly_name: "Edited",
    });
    await admin.patchObject("mailjet", "contactslist", ids.customers!, { Name: "Customers (edited)" });
    await admin.patchObject("mailjet", "sender", ids.billing!, { Name: "Edited", EmailType: "unknown" });
    await admin.patchObject("mailjet", "eventcallbackurl", ids.bounces!, { Url: "https://evil.example.com/", Status: "alive", Version: 1 });
    await admin.patchObject("mailjet", "eventcallbackurl", preexisting.callback!.ID, { EventType: "spam" });
    // A list deleted in the Mailjet UI is kept, marked deleted.
    await admin.patchObject("mailjet", "contactslist", one(before.lists, "Name", "Kept list").ID, { IsDeleted: true });
    // Gone for good, out of band.
    await admin.deleteObject("mailtrap", "domains", one(before.domains, "domain_name", "renamed.example.com").id);
    await admin.deleteObject("sendgrid", "asm_groups", ids.offers!);
    await admin.deleteObject("sendgrid", "event_webhooks", preexisting.webhook!.id);
    await admin.deleteObject("mailjet", "sender", one(before.senders, "Email", "hello@example.com").ID);

    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    const out = drift.stdout;
    const changed = (field: string, from: string, to: string) =>
      expect(out, out).toMatch(new RegExp(`~ ${field}\\s*:\\s*${escape(from)}\\s*=>\\s*${escape(to)}`));
    changed("openTracking", "true", "false");
    changed("clickTracking", "false", "true");
    changed("autoUnsubscribeLink", "true", "false");
    changed("name", '"News (edited)"', '"News"');
    changed("description", '"edited"', '"Monthly news, shorter"');
    changed("isDefault", "true", "false");
    changed("url", '"https://evil.example.com/hook"', '"https://hooks.example.com/delivery/v2"');
    changed("enabled", "true", "false");
    expect(out).toMatch(/- friendlyName\s*:\s*"Edited"/);
    expect(out).toMatch(/events\s*:\s*\[[\s\S]*?"dropped"\s*=>\s*"click"/); // the event set, sorted, as refresh read it
    changed("name", '"Customers (edited)"', '"All customers"');
    changed("isDeleted", "true", "false");
    changed("name", '"Edited"', '"Billing team"');
    changed("emailType", '"unknown"', '"bulk"');
    changed("url", '"https://evil.example.com/"', '"https://hooks.example.com/v2/bounce"');
    changed("status", '"alive"', '"dead"');
    changed("version", "1", "2");
    changed("eventType", '"spam"', '"open"');
    // Fields are named as in the stack file, never as the vendors name them.
    expect(out).not.toMatch(/open_tracking_enabled|is_default|EmailType|IsDeleted|Url\b/);
    for (const [type, key] of [["mailtrap:SendingDomain", "adopted"], ["sendgrid:UnsubscribeGroup", "offers"], ["sendgrid:EventWebhook", "adopted"], ["mailjet:Sender", "adopted"]]) {
      expect(out).toMatch(new RegExp(`\\+\\s*pulumi-nodejs:dynamic/${escape(type)}: \\(create\\)\\s*\\n\\s*\\[urn=[^\\]]*::${key}\\]`));
    }

    await project.up(["--refresh"]);
    const now = await live(admin);
    expect(now.domains.find((d) => d.id === ids.mail)).toMatchObject({ open_tracking_enabled: false, click_tracking_enabled: true });
    expect(now.domains.map((d) => d.domain_name).sort()).toEqual(["mail.example.com", "renamed.example.com"]);
    expect(now.groups.find((g) => g.id === ids.news)).toMatchObject({ name: "News", is_default: false });
    expect(one(now.groups, "name", "Offers")).toMatchObject({ is_default: true });
    expect(now.webhooks.find((w) => w.id === ids.delivery)).toMatchObject({ url: "https://hooks.example.com/delivery/v2", enabled: false, click: true, dropped: false, friendly_name: null });
    expect(one(now.webhooks, "url", "https://hooks.example.com/adopted").id).not.toBe(preexisting.webhook!.id);
    expect(one(now.lists, "Name", "Kept list")).toMatchObject({ IsDeleted: false });
    expect(now.senders.map((s) => s.Email).sort()).toEqual(["billing@example.com", "hello@example.com"]);
    expect(now.callbacks.find((c) => c.ID === ids.bounces)).toMatchObject({ Url: "https://hooks.example.com/v2/bounce", Status: "dead", Version: 2 });
    const preview = await project.previewNoChanges(["--refresh"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  });

  it("refuses to delete a protected entry, keeps a retained one, and destroys the rest", async () => {
    doc.sendgrid.unsubscribeGroups.news.protect = true;
    write();
    await project.up();
    delete doc.sendgrid.unsubscribeGroups.news;
    delete doc.mailjet.contactLists.kept;
    write();
    const refused = await project.run(["up", "--yes", "--skip-preview"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/protect/);
    expect((await live(admin)).groups.some((g) => g.id === ids.news)).toBe(true);

    doc = baseDoc();
    doc.sendgrid.unsubscribeGroups.news.protect = false;
    // Retained when its entry went away above: back in the file, it is taken over again.
    doc.mailjet.contactLists.kept.adopt = true;
    doc.mailtrap.domains.adopted.domainName = "renamed.example.com";
    doc.mailjet.senders.adopted.email = "hello@example.com";
    doc.mailjet.eventCallbacks.adopted.eventType = "open";
    write();
    await project.up();
    await project.destroy();
    const now = await live(admin);
    expect(now.domains).toEqual([]);
    expect(now.groups).toEqual([]);
    expect(now.webhooks).toEqual([]);
    expect(now.lists.map((l) => l.Name)).toEqual(["Kept list"]);
    expect(now.senders).toEqual([]);
    expect(now.callbacks).toEqual([]);
  });
});

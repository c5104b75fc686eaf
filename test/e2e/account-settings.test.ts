/**
 * Account settings (SendGrid mail settings, tracking settings, enforced TLS; Mailjet account settings) through the real
 * Pulumi CLI and engine against the emulator: the first `up` takes over values set by hand and
 * writes only the declared fields that differ; fields left out are never changed nor drift; a
 * no-op preview calls nothing and a refresh reads each declared setting once; an out-of-band change
 * is named by `mailform drift` in YAML terms and corrected by the next `up`; every updatable field
 * changes in place with one PATCH per setting; removing an entry makes no call and leaves the values;
 * `mailform export` writes the current values and an `up` of that file writes nothing.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient, type RequestCountEntry } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";
import { vendorApi } from "../support/vendor-api";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const get = (emu: RunningEmulators, p: string) => vendorApi(emu, "sendgrid", "GET", `/v3${p}`);
const patch = (emu: RunningEmulators, p: string, body: unknown) => vendorApi(emu, "sendgrid", "PATCH", `/v3${p}`, body);

/** `METHOD route` -> count, SendGrid only. */
const byRoute = (calls: RequestCountEntry[]) =>
  Object.fromEntries(calls.filter((c) => c.vendor === "sendgrid").map((c) => [`${c.method} ${c.route}`, c.count]));

describe("account settings, through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  const doc: Doc = {
    sendgrid: {
      mailSettings: { account: { footer: { enabled: true, html: "<p>Example Inc.</p>" }, bouncePurge: { enabled: true, hardBounces: 30 } } },
      trackingSettings: { account: { open: { enabled: false } } },
      enforcedTls: { account: { requireTls: true } },
    },
    mailjet: { accountSettings: { account: { timezone: "UTC", companyName: "Example Inc." } } },
  };
  const mailjet = async (p: string) => vendorApi(emu, "mailjet", "GET", `/v3/REST${p}`);
  const write = () => project.writeStack(stringify(doc));

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ stack: "settings", endpoints: emulatedVendors(emu.urls) });
    // Set by hand before mailform manages the account.
    await patch(emu, "/mail_settings/footer", { enabled: true, html_content: "<p>Old</p>", plain_content: "Hand-written text" });
    await patch(emu, "/mail_settings/bounce_purge", { enabled: true, hard_bounces: 30 });
    await patch(emu, "/tracking_settings/open", { enabled: true });
    await patch(emu, "/tracking_settings/google_analytics", { enabled: true, utm_source: "by-hand" });
  }, 120_000);

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("takes the settings over, writing only the declared values that differ, and leaves the rest alone", async () => {
    write();
    await admin.resetRequestCounts();
    await project.up();
    // Read: each declared setting once. Written: the footer (html differs), open tracking and TLS; bounce purge already matched.
    expect(byRoute(await admin.requestCounts())).toEqual({
      "GET /v3/mail_settings/footer": 1,
      "GET /v3/mail_settings/bounce_purge": 1,
      "GET /v3/tracking_settings/open": 1,
      "GET /v3/user/settings/enforced_tls": 1,
      "PATCH /v3/mail_settings/footer": 1,
      "PATCH /v3/tracking_settings/open": 1,
      "PATCH /v3/user/settings/enforced_tls": 1,
    });
    expect(await get(emu, "/mail_settings/footer")).toEqual({ enabled: true, html_content: "<p>Example Inc.</p>", plain_content: "Hand-written text" });
    expect(await get(emu, "/tracking_settings/open")).toEqual({ enabled: false });
    expect(await get(emu, "/tracking_settings/google_analytics")).toMatchObject({ enabled: true, utm_source: "by-hand" });
    expect(await get(emu, "/user/settings/enforced_tls")).toEqual({ require_tls: true, require_valid_cert: false, version: 1.1 });
    const mailjetCalls = (await admin.requestCounts()).filter((c) => c.vendor === "mailjet").map((c) => `${c.method} ${c.route} ${c.count}`);
    expect(mailjetCalls.sort()).toEqual(["GET /v3/REST/myprofile 1", "GET /v3/REST/user 1", "PUT /v3/REST/myprofile 1", "PUT /v3/REST/user 1"]);
    expect(await mailjet("/user")).toMatchObject({ Timezone: "UTC", Locale: "en_US" });
    expect(await mailjet("/myprofile")).toMatchObject({ CompanyName: "Example Inc.", BillingEmail: "" });

    await admin.resetRequestCounts();
    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect(await admin.countRequests({})).toBe(0);
    const refreshed = await project.previewNoChanges(["--refresh"]);
    expect(refreshed.code, refreshed.stdout + refreshed.stderr).toBe(0);
    expect(byRoute(await admin.requestCounts())).toEqual({
      "GET /v3/mail_settings/footer": 1,
      "GET /v3/mail_settings/bounce_purge": 1,
      "GET /v3/tracking_settings/open": 1,
      "GET /v3/user/settings/enforced_tls": 1,
    });
    expect(await admin.countRequests({ vendor: "mailjet" })).toBe(2);
  });

  it("names an out-of-band change of a declared field in YAML terms, ignores undeclared ones, and puts it back", async () => {
    await patch(emu, "/tracking_settings/open", { enabled: true });
    await patch(emu, "/mail_settings/footer", { plain_content: "Changed by hand" });
    await patch(emu, "/user/settings/enforced_tls", { require_valid_cert: true });
    await vendorApi(emu, "mailjet", "PUT", "/v3/REST/user", { Locale: "de_DE" }); // not declared
    const drift = await project.mailform(["drift"]);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toMatch(/sendgrid\.trackingSettings\.account \(id tracking_settings\)\n\s+open\.enabled: desired false, live true\n/);
    expect(drift.stdout).toMatch(/1 object\(s\) differ \(1 changed, 1 field\(s\)/);
    expect(drift.stdout).not.toMatch(/mailSettings|enforcedTls|Changed by hand|accountSettings|locale/);

    await admin.resetRequestCounts();
    await project.up(["--refresh"]);
    const writes = (await admin.requestCounts()).filter((c) => c.method !== "GET");
    expect(writes.map((c) => `${c.method} ${c.route} ${c.count}`)).toEqual(["PATCH /v3/tracking_settings/open 1"]);
    expect(await get(emu, "/tracking_settings/open")).toEqual({ enabled: false });
    expect((await get(emu, "/mail_settings/footer")).plain_content).toBe("Changed by hand");
  });

  it("updates every declared field in place, one PATCH per changed setting with only its declared fields", async () => {
    doc.sendgrid.mailSettings.account = {
      addressAllowList: { enabled: true, list: ["example.org", "ops@example.com", "example.org"] },
      bouncePurge: { enabled: false, hardBounces: 60, softBounces: 7 },
      footer: { enabled: false, html: "<p>Example GmbH</p>", text: "Example GmbH" },
      forwardBounce: { enabled: true, email: "bounces@example.com" },
      forwardSpam: { enabled: true, email: "spam@example.com" },
    };
    doc.sendgrid.trackingSettings.account = {
      click: { enabled: true },
      open: { enabled: true },
      googleAnalytics: { enabled: false, utmSource: "newsletter", utmMedium: "email", utmTerm: "t", utmContent: "c", utmCampaign: "spring" },
      subscription: { enabled: true, html: "<p><% Unsubscribe %></p>", text: "Unsubscribe: <% %>", landing: "<p>Bye</p>", url: "https://example.com/bye", replace: "[unsub]" },
    };
    doc.sendgrid.enforcedTls.account = { requireTls: false, requireValidCert: false, version: 1.2 };
    doc.mailjet.accountSettings.account = { locale: "fr_FR", timezone: "Europe/Paris", companyName: "Example SAS", billingEmail: "billing@example.com", website: "https://example.com", vatNumber: "FR123" };
    write();
    await admin.resetRequestCounts();
    await project.up();
    const writes = (await admin.requestCounts()).filter((c) => c.method !== "GET" && c.vendor === "sendgrid");
    expect(writes.every((c) => c.method === "PATCH" && c.count === 1), JSON.stringify(writes)).toBe(true);
    expect(writes.length).toBe(10);
    expect(await admin.countRequests({ vendor: "mailjet", method: "PUT" })).toBe(2);
    expect(await mailjet("/user")).toMatchObject({ Locale: "fr_FR", Timezone: "Europe/Paris" });
    expect(await mailjet("/myprofile")).toMatchObject({ CompanyName: "Example SAS", BillingEmail: "billing@example.com", Website: "https://example.com", VATNumber: "FR123" });
    expect(await get(emu, "/mail_settings/address_whitelist")).toEqual({ enabled: true, list: ["example.org", "ops@example.com"] });
    expect(await get(emu, "/mail_settings/bounce_purge")).toEqual({ enabled: false, hard_bounces: 60, soft_bounces: 7 });
    expect(await get(emu, "/mail_settings/footer")).toEqual({ enabled: false, html_content: "<p>Example GmbH</p>", plain_content: "Example GmbH" });
    expect(await get(emu, "/mail_settings/forward_bounce")).toEqual({ enabled: true, email: "bounces@example.com" });
    expect(await get(emu, "/mail_settings/forward_spam")).toEqual({ enabled: true, email: "spam@example.com" });
    expect(await get(emu, "/tracking_settings/click")).toEqual({ enable_text: false, enabled: true });
    expect(await get(emu, "/tracking_settings/google_analytics")).toEqual({
      enabled: false, utm_source: "newsletter", utm_medium: "email", utm_term: "t", utm_content: "c", utm_campaign: "spring",
    });
    expect(await get(emu, "/tracking_settings/subscription")).toEqual({
      enabled: true, html_content: "<p><% Unsubscribe %></p>", plain_content: "Unsubscribe: <% %>", landing: "<p>Bye</p>", url: "https://example.com/bye", replace: "[unsub]",
    });
    expect(await get(emu, "/user/settings/enforced_tls")).toEqual({ require_tls: false, require_valid_cert: false, version: 1.2 });
  });

  it("stops managing a removed entry without a call, leaving its values; export writes the values back and an up of it writes nothing", async () => {
    delete doc.sendgrid.trackingSettings;
    write();
    await admin.resetRequestCounts();
    await project.up();
    expect((await admin.requestCounts()).filter((c) => c.method !== "GET")).toEqual([]);
    expect(await get(emu, "/tracking_settings/open")).toEqual({ enabled: true });

    const exported = await project.mailform(["export", "--stack", project.stack, "--force"]);
    expect(exported.code, exported.stderr).toBe(0);
    const file = path.join(project.dir, "stacks", `${project.stack}.yaml`);
    const back = parse(fs.readFileSync(file, "utf8")) as Doc;
    expect(back.sendgrid.trackingSettings.account).toEqual({
      click: { enabled: true },
      open: { enabled: true },
      googleAnalytics: { enabled: false, utmSource: "newsletter", utmMedium: "email", utmTerm: "t", utmContent: "c", utmCampaign: "spring" },
      subscription: { enabled: true, html: "<p><% Unsubscribe %></p>", text: "Unsubscribe: <% %>", landing: "<p>Bye</p>", url: "https://example.com/bye", replace: "[unsub]" },
    });
    expect(back.sendgrid.enforcedTls.account).toEqual({ requireTls: false, requireValidCert: false, version: 1.2 });
    expect(back.sendgrid.mailSettings.account.bouncePurge).toEqual({ enabled: false, hardBounces: 60, softBounces: 7 });
    expect(back.mailjet.accountSettings.account).toEqual({ locale: "fr_FR", timezone: "Europe/Paris", companyName: "Example SAS", billingEmail: "billing@example.com", website: "https://example.com", vatNumber: "FR123" });

    await admin.resetRequestCounts();
    await project.up();
    expect((await admin.requestCounts()).filter((c) => c.method !== "GET")).toEqual([]);
    const converged = await project.previewNoChanges(["--refresh"]);
    expect(converged.code, converged.stdout + converged.stderr).toBe(0);
  });
});

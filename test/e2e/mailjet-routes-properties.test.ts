/**
 * Mailjet parse routes and contact properties through the real Pulumi CLI and engine against the
 * emulator: adoption of objects made by hand, creation (a route with an address Mailjet assigns, an
 * output), the calls at the API's floor and none on a no-op preview, drift named in YAML terms, an
 * out-of-band delete recreated, every field updated in place, a property's namespace replaced, and
 * an export round trip with 0 writes. And a sender's domain records and DKIM/SPF status as outputs.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient, type RequestCountEntry } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";
import { MJ_AUTH, vendorApi, type Live } from "../support/vendor-api";

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const mailjetCalls = (calls: RequestCountEntry[]) =>
  Object.fromEntries(calls.filter((c) => c.vendor === "mailjet").map((c) => [`${c.method} ${c.route}`, c.count]));

describe("Mailjet parse routes and contact properties, through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let handMade: Live;
  const doc: Doc = {
    mailjet: {
      parseRoutes: {
        support: { url: "https://hooks.example.com/support", email: "support@parse.example.com", adopt: true },
        replies: { url: "https://hooks.example.com/replies" },
      },
      contactProperties: {
        plan: { name: "plan" },
        spend: { name: "spend", dataType: "float", namespace: "historic" },
        signup: { name: "signup_date", dataType: "datetime", adopt: true },
      },
      // protect: false lets the export step re-key the entry (the old key's delete is then skipped: held).
      senders: { billing: { email: "billing@mail.example.com", name: "Billing", protect: false } },
    },
  };
  const write = () => project.writeStack(stringify(doc));
  const routes = async () => admin.listObjects<Live>("mailjet", "parseroute");
  const properties = async () => admin.listObjects<Live>("mailjet", "contactmetadata");
  let handMadeProperty: Live;

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ stack: "parse", endpoints: emulatedVendors(emu.urls) });
    handMade = await vendorApi(emu, "mailjet", "POST", "/v3/REST/parseroute", { Url: "https://hooks.example.com/support" });
    handMadeProperty = await vendorApi(emu, "mailjet", "POST", "/v3/REST/contactmetadata", { Name: "signup_date" });
  }, 120_000);

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("adopts the route made by hand, creates the other with an assigned address, at the API's floor", async () => {
    write();
    await admin.resetRequestCounts();
    await project.up();
    // One listing for both adoption look-ups, one PUT (the adopted route's address), one POST.
    expect(mailjetCalls(await admin.requestCounts())).toEqual({
      "GET /v3/REST/parseroute": 1,
      "PUT /v3/REST/parseroute/{id}": 1,
      "POST /v3/REST/parseroute": 1,
      "GET /v3/REST/contactmetadata": 1,
      "PUT /v3/REST/contactmetadata/{id}": 1,
      "POST /v3/REST/contactmetadata": 2,
      "GET /v3/REST/sender": 1,
      "GET /v3/REST/dns": 1,
      "POST /v3/REST/sender": 1,
      "GET /v3/REST/dns/{id}": 1,
    });
    expect((await properties()).map((p) => `${p.Name} ${p.Datatype} ${p.NameSpace}`).sort()).toEqual([
      "plan str static",
      "signup_date datetime static",
      "spend float historic",
    ]);
    expect((await properties()).find((p) => p.Name === "signup_date")!.ID).toBe(handMadeProperty.ID);
    const live = await routes();
    expect(live.length).toBe(2);
    expect(live.find((r) => r.ID === handMade.ID)).toMatchObject({ Url: "https://hooks.example.com/support", Email: "support@parse.example.com" });
    const replies = live.find((r) => r.Url === "https://hooks.example.com/replies")!;
    expect(replies.Email).toMatch(/@parse-in1\.mailjet\.com$/);
    const outputs = ((await project.outputs()) as Live).resources as Live;
    expect(outputs["mailjet.parseRoutes.replies.address"]).toBe(replies.Email);
    expect(outputs["mailjet.parseRoutes.support.id"]).toBe(String(handMade.ID));
    // The sender's domain: the records to publish, as outputs for DNS as code.
    const [dns] = await admin.listObjects<Live>("mailjet", "dns");
    expect(outputs["mailjet.senders.billing.dnsRecords"]).toEqual([
      { type: "TXT", name: "mailjet._domainkey.mail.example.com", value: dns!.DKIMRecordValue, status: "Not checked" },
      { type: "TXT", name: "mail.example.com", value: "v=spf1 include:spf.mailjet.com ~all", status: "Not checked" },
      { type: "TXT", name: dns!.OwnerShipTokenRecordName, value: dns!.OwnerShipToken, status: "" },
    ]);

    await admin.resetRequestCounts();
    expect((await project.previewNoChanges()).code).toBe(0);
    expect(await admin.countRequests({})).toBe(0);
    expect((await project.previewNoChanges(["--refresh"])).code).toBe(0);
    expect(mailjetCalls(await admin.requestCounts())).toEqual({
      // One listing per collection (issue 20); the senders' domain entries listed with them.
      "GET /v3/REST/parseroute": 1,
      "GET /v3/REST/contactmetadata": 1,
      "GET /v3/REST/sender": 1,
      "GET /v3/REST/dns": 1,
    });
    // Mailjet checks the domain: the statuses follow on refresh, as outputs (not drift).
    await admin.patchObject("mailjet", "dns", dns!.ID, { SPFStatus: "OK", DKIMStatus: "OK" });
    const refreshed = await project.run(["refresh", "--yes"]);
    expect(refreshed.code, refreshed.stdout + refreshed.stderr).toBe(0);
    const state = await project.exportState();
    const sender = state.resources.find((r) => r.type.endsWith(":Sender"))! as Live;
    expect(sender.outputs).toMatchObject({ spfStatus: "OK", dkimStatus: "OK" });
  });

  it("names a URL changed by hand, recreates a route deleted by hand, and updates every field in place", async () => {
    const replies = (await routes()).find((r) => r.Url === "https://hooks.example.com/replies")!;
    await vendorApi(emu, "mailjet", "PUT", `/v3/REST/parseroute/${handMade.ID}`, { Url: "https://elsewhere.example.com/x" });
    const plan = (await properties()).find((p) => p.Name === "plan")!;
    await vendorApi(emu, "mailjet", "PUT", `/v3/REST/contactmetadata/${plan.ID}`, { Datatype: "int" });
    const deleted = await fetch(`${emu.urls.mailjet}/v3/REST/parseroute/${replies.ID}`, { method: "DELETE", headers: { Authorization: MJ_AUTH } });
    expect(deleted.status).toBe(204);
    const drift = await project.mailform(["drift"]);
    expect(drift.code, drift.stdout + drift.stderr).toBe(2);
    expect(drift.stdout).toMatch(/mailjet\.parseRoutes\.support.*\n\s+url: desired "?https:\/\/hooks\.example\.com\/support"?, live "?https:\/\/elsewhere\.example\.com\/x"?/);
    expect(drift.stdout).toMatch(/mailjet\.parseRoutes\.replies/);
    expect(drift.stdout).toMatch(/mailjet\.contactProperties\.plan.*\n\s+dataType: desired "?str"?, live "?int"?/);
    await project.up(["--refresh"]);
    expect((await routes()).map((r) => r.Url).sort()).toEqual(["https://hooks.example.com/replies", "https://hooks.example.com/support"]);

    doc.mailjet.parseRoutes.support = { url: "https://hooks.example.com/support-2", email: "help@parse.example.com" };
    doc.mailjet.parseRoutes.replies.email = "replies@parse.example.com";
    doc.mailjet.contactProperties.plan = { name: "tier", dataType: "int" };
    doc.mailjet.contactProperties.spend.namespace = "static";
    write();
    const ids = new Map((await routes()).map((r) => [r.Url, r.ID]));
    const propertyIds = new Map((await properties()).map((p) => [p.Name, p.ID]));
    await admin.resetRequestCounts();
    await project.up();
    // The namespace cannot change in place: the property is replaced, the old one deleted first (same
    // name); its create looks for an object with that name once (one listing per run), as every create does.
    expect(mailjetCalls(await admin.requestCounts())).toEqual({
      "PUT /v3/REST/parseroute/{id}": 2,
      "GET /v3/REST/contactmetadata": 1,
      "PUT /v3/REST/contactmetadata/{id}": 1,
      "DELETE /v3/REST/contactmetadata/{id}": 1,
      "POST /v3/REST/contactmetadata": 1,
    });
    const props = await properties();
    expect(props.find((p) => p.ID === propertyIds.get("plan"))).toMatchObject({ Name: "tier", Datatype: "int" });
    const spend = props.find((p) => p.Name === "spend")!;
    expect(spend.ID).not.toBe(propertyIds.get("spend"));
    expect(spend).toMatchObject({ Datatype: "float", NameSpace: "static" });
    const after = await routes();
    expect(after.find((r) => r.ID === ids.get("https://hooks.example.com/support"))).toMatchObject({ Url: "https://hooks.example.com/support-2", Email: "help@parse.example.com" });
    expect(after.find((r) => r.ID === ids.get("https://hooks.example.com/replies"))).toMatchObject({ Email: "replies@parse.example.com" });
  });

  it("exports the routes, and an up of the exported file writes nothing", async () => {
    const exported = await project.mailform(["export", "--stack", project.stack, "--force"]);
    expect(exported.code, exported.stderr).toBe(0);
    const back = parse(fs.readFileSync(path.join(project.dir, "stacks", `${project.stack}.yaml`), "utf8")) as Doc;
    expect(Object.values(back.mailjet.parseRoutes).map((e: any) => `${e.url} ${e.email} ${e.adopt}`).sort()).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      "https://hooks.example.com/replies replies@parse.example.com true",
      "https://hooks.example.com/support-2 help@parse.example.com true",
    ]);
    expect(Object.values(back.mailjet.contactProperties).map((e: any) => `${e.name} ${e.dataType} ${e.namespace}`).sort()).toEqual([ // eslint-disable-line @typescript-eslint/no-explicit-any
      "signup_date datetime static",
      "spend float static",
      "tier int static",
    ]);
    await admin.resetRequestCounts();
    await project.up();
    expect((await admin.requestCounts()).filter((c) => c.method !== "GET")).toEqual([]);
  });
});

/**
 * Sending identity through the real Pulumi CLI and engine against the emulators: SendGrid domain
 * authentication and link branding (create, adoption by natural key, in-place update of `isDefault`,
 * replacement of what SendGrid cannot change, drift named by YAML field, out-of-band deletes
 * recreated, protected by default, `mailform export` round trip with no write), the calls each
 * costs, and `mailform dns`: the records of every vendor's domains as JSON and as a zone-file
 * fragment that BIND's own `named-checkzone` accepts.
 *
 * Each `pulumi up` costs seconds, so each step changes every kind at once.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient, type RequestCountEntry } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";
import { vendorApi, type Live } from "../support/vendor-api";

type Doc = Record<string, any>;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const NAMED_CHECKZONE = spawnSync("sh", ["-c", "command -v named-checkzone"], { encoding: "utf8" }).stdout.trim();

function baseDoc(): Doc {
  return {
    mailtrap: { domains: { mail: { domainName: "mt.example.com", protect: false } } },
    sendgrid: {
      domainAuthentications: {
        main: { domain: "Example.com", subdomain: "em", customDkimSelector: "mf1", isDefault: true },
        // Its own selector: SendGrid's s1 is the adopted domain's CNAME, and a zone cannot hold a TXT beside it.
        manual: { domain: "example.com", subdomain: "bounces", automaticSecurity: false, customDkimSelector: "mf2", protect: false },
        adopted: { domain: "example.com", subdomain: "old", adopt: true },
      },
      linkBrandings: {
        links: { domain: "example.com", subdomain: "links", isDefault: true, protect: false },
        adopted: { domain: "example.com", subdomain: "click", adopt: true },
      },
    },
  };
}

async function live(admin: AdminClient) {
  return {
    domains: await admin.listObjects<Live>("sendgrid", "whitelabel_domains"),
    links: await admin.listObjects<Live>("sendgrid", "whitelabel_links"),
  };
}

/** The one object whose `subdomain` is `value`. */
function sub(list: Live[], value: string): Live {
  const found = list.filter((o) => o.subdomain === value);
  expect(found.length, `exactly one subdomain ${value} in ${JSON.stringify(list.map((o) => o.subdomain))}`).toBe(1);
  return found[0]!;
}

const count = (entries: RequestCountEntry[], method: string, route: RegExp) =>
  entries.filter((e) => e.vendor === "sendgrid" && e.method === method && route.test(e.route)).reduce((n, e) => n + e.count, 0);

describe("SendGrid domain authentication and link branding, and mailform dns, through the real engine", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let doc: Doc = baseDoc();
  const write = () => project.writeStack(stringify(doc));
  const ids: Record<string, number> = {};
  const preexisting: Record<string, Live> = {};

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ stack: "identity", endpoints: emulatedVendors(emu.urls) });
    // Made by hand before mailform manages the account; the adopted domain is the default one.
    preexisting.domain = await vendorApi(emu, "sendgrid", "POST", "/v3/whitelabel/domains", { domain: "example.com", subdomain: "OLD", default: true });
    preexisting.link = await vendorApi(emu, "sendgrid", "POST", "/v3/whitelabel/links", { domain: "example.com", subdomain: "click" });
  }, 120_000);

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("refuses two default entries before any call", async () => {
    doc.sendgrid.domainAuthentications.manual.isDefault = true;
    write();
    await admin.resetRequestCounts();
    const result = await project.run(["preview"]);
    delete doc.sendgrid.domainAuthentications.manual.isDefault;
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(
      /identity\.yaml:\d+:\d+\s+error\s+sendgrid\.domainAuthentications\.manual\.isDefault: sendgrid\.domainAuthentications\.manual and sendgrid\.domainAuthentications\.main both have isDefault: true; the vendor allows one/,
    );
    expect(await admin.countRequests({})).toBe(0);
  });

  it("creates and adopts at the APIs' floor, with the DNS records as outputs; a no-op preview makes no call", async () => {
    write();
    await admin.resetRequestCounts();
    await project.up();
    const calls = await admin.requestCounts();
    // One listing per kind, one POST per created object, one PATCH for the adopted domain that
    // stops being the default (the new default takes it anyway: SendGrid's rule; mailform asks once).
    expect(count(calls, "GET", /^\/v3\/whitelabel\/domains$/)).toBe(1);
    expect(count(calls, "GET", /^\/v3\/whitelabel\/links$/)).toBe(1);
    expect(count(calls, "POST", /^\/v3\/whitelabel\/domains$/)).toBe(2);
    expect(count(calls, "POST", /^\/v3\/whitelabel\/links$/)).toBe(1);
    expect(count(calls, "PATCH", /^\/v3\/whitelabel\/domains\/\{[^}]+\}$/)).toBeLessThanOrEqual(1);
    expect(count(calls, "PATCH", /^\/v3\/whitelabel\/links\/\{[^}]+\}$/)).toBe(0);
    expect(count(calls, "DELETE", /./)).toBe(0);

    const now = await live(admin);
    expect(sub(now.domains, "old").id, "adopted, not made again").toBe(preexisting.domain!.id);
    expect(sub(now.links, "click").id).toBe(preexisting.link!.id);
    expect(sub(now.domains, "em")).toMatchObject({ domain: "example.com", custom_dkim_selector: "mf1", automatic_security: true, default: true });
    expect(sub(now.domains, "bounces")).toMatchObject({ automatic_security: false, default: false });
    expect(sub(now.domains, "old")).toMatchObject({ default: false });
    expect(sub(now.links, "links")).toMatchObject({ default: true });
    ids.main = sub(now.domains, "em").id;
    ids.manual = sub(now.domains, "bounces").id;
    ids.links = sub(now.links, "links").id;

    const outputs = ((await project.outputs()) as Live).resources as Live;
    expect(outputs["sendgrid.domainAuthentications.main.id"]).toBe(String(ids.main));
    expect(outputs["sendgrid.domainAuthentications.main.valid"]).toBe(false);
    expect(outputs["sendgrid.domainAuthentications.main.dnsRecords"]).toEqual([
      { type: "CNAME", name: "em.example.com", value: "u1446226.wl.sendgrid.net", status: "invalid" },
      { type: "CNAME", name: "mf1._domainkey.example.com", value: "mf1.domainkey.u1446226.wl.sendgrid.net", status: "invalid" },
      { type: "CNAME", name: "mf12._domainkey.example.com", value: "mf12.domainkey.u1446226.wl.sendgrid.net", status: "invalid" },
    ]);
    expect((outputs["sendgrid.domainAuthentications.manual.dnsRecords"] as Live[]).map((r) => r.type)).toEqual(["MX", "TXT", "TXT"]);
    expect(outputs["sendgrid.linkBrandings.links.dnsRecords"]).toEqual([
      { type: "CNAME", name: "links.example.com", value: "sendgrid.net", status: "invalid" },
      { type: "CNAME", name: "1446226.example.com", value: "sendgrid.net", status: "invalid" },
    ]);

    await admin.resetRequestCounts();
    const preview = await project.previewNoChanges();
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    expect(await admin.countRequests({}), "vendor calls of a no-op preview").toBe(0);

    // A refresh lists each collection once (issue 20); validation published out of band is an output, not drift.
    await admin.patchObject("sendgrid", "whitelabel_domains", ids.main, { valid: true });
    await admin.resetRequestCounts();
    const refreshed = await project.previewNoChanges(["--refresh"]);
    expect(refreshed.code, refreshed.stdout + refreshed.stderr).toBe(0);
    const reads = await admin.requestCounts();
    expect(count(reads, "GET", /^\/v3\/whitelabel\/domains$/)).toBe(1);
    expect(count(reads, "GET", /^\/v3\/whitelabel\/links$/)).toBe(1);
    expect(count(reads, "GET", /^\/v3\/whitelabel\/(domains|links)\/\{[^}]+\}$/)).toBe(0);
    expect(reads.filter((e) => e.method !== "GET")).toEqual([]);
  });

  it("prints every vendor's records with mailform dns: sorted JSON, and a zone fragment named-checkzone accepts", async () => {
    await project.must(["refresh", "--yes", "--skip-preview"]);
    const json = await project.mailform(["dns", "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const { records, conflicts } = JSON.parse(json.stdout) as { records: Live[]; conflicts: string[] };
    expect(conflicts).toEqual([]);
    const keyOf = (r: Live) => `${r.name}\u0000${r.type}\u0000${r.value}\u0000${r.entry}`;
    expect(records.map(keyOf), "sorted by name, type, value, entry").toEqual(records.map(keyOf).sort());
    expect(new Set(records.map((r) => r.entry))).toEqual(
      new Set([
        "mailtrap.domains.mail",
        "sendgrid.domainAuthentications.main",
        "sendgrid.domainAuthentications.manual",
        "sendgrid.domainAuthentications.adopted",
        "sendgrid.linkBrandings.links",
        "sendgrid.linkBrandings.adopted",
      ]),
    );
    expect(records).toContainEqual({
      name: "mf1._domainkey.example.com",
      type: "CNAME",
      value: "mf1.domainkey.u1446226.wl.sendgrid.net",
      status: "valid",
      vendor: "sendgrid",
      entry: "sendgrid.domainAuthentications.main",
    });
    expect(records).toContainEqual(expect.objectContaining({ name: "_dmarc.mt.example.com", type: "TXT", vendor: "mailtrap" }));
    const dkimText = records.find((r) => r.entry === "sendgrid.domainAuthentications.manual" && r.name.includes("_domainkey"))!;
    expect(Buffer.byteLength(dkimText.value), "a TXT value longer than one zone-file string").toBeGreaterThan(255);
    const again = await project.mailform(["dns", "--format", "json"]);
    expect(again.stdout, "the same state, the same bytes").toBe(json.stdout);

    const bind = await project.mailform(["dns", "--format", "bind", "--ttl", "300"]);
    expect(bind.code, bind.stderr).toBe(0);
    expect(bind.stdout).toMatch(/^em\.example\.com\.\t300\tIN\tCNAME\tu1446226\.wl\.sendgrid\.net\.\t; sendgrid\.domainAuthentications\.main$/m);
    expect(bind.stdout).toMatch(/^bounces\.example\.com\.\t300\tIN\tMX\t10 mx\.sendgrid\.net\.\t/m);
    // The owner CNAME both link brandings ask for is one record, naming both entries.
    expect(bind.stdout.match(/^1446226\.example\.com\./gm)?.length).toBe(1);
    expect(bind.stdout).toMatch(/^1446226\.example\.com\..*; sendgrid\.linkBrandings\.adopted, sendgrid\.linkBrandings\.links$/m);
    const dataLines = bind.stdout.split("\n").filter((l) => l !== "" && !l.startsWith(";"));
    expect(dataLines.length).toBe(new Set(records.map((r) => `${r.name} ${r.type} ${r.value}`)).size);

    expect(NAMED_CHECKZONE, "named-checkzone (Debian bind9-utils; engine/test-services.sh installs it)").not.toBe("");
    const zone = path.join(project.dir, "example.com.zone");
    fs.writeFileSync(
      zone,
      ["$ORIGIN example.com.", "$TTL 3600", "@ IN SOA ns1.example.com. hostmaster.example.com. 1 7200 3600 1209600 3600", "@ IN NS ns1.example.com.", "ns1 IN A 192.0.2.1", bind.stdout].join("\n"),
    );
    const checked = spawnSync(NAMED_CHECKZONE, ["-k", "fail", "-n", "fail", "example.com", zone], { encoding: "utf8" });
    expect(checked.status, checked.stdout + checked.stderr).toBe(0);
    expect(checked.stdout).toMatch(/^OK$/m);
    // The check is real: a TXT string over 255 bytes, as a naive printer would write it, is refused.
    fs.appendFileSync(zone, `long IN TXT "${"x".repeat(300)}"\n`);
    expect(spawnSync(NAMED_CHECKZONE, ["example.com", zone], { encoding: "utf8" }).status).not.toBe(0);
  });

  it("updates isDefault in place, replaces what SendGrid cannot change, new before old", async () => {
    doc.sendgrid.domainAuthentications.main.isDefault = false;
    doc.sendgrid.domainAuthentications.manual = { domain: "example.com", subdomain: "returns", automaticSecurity: false, isDefault: true, protect: false };
    doc.sendgrid.linkBrandings.links.isDefault = false;
    doc.sendgrid.linkBrandings.adopted.isDefault = true;
    write();
    await admin.resetRequestCounts();
    await project.up();
    const calls = await admin.requestCounts();
    const now = await live(admin);
    expect(now.domains.find((d) => d.id === ids.main)).toMatchObject({ default: false, subdomain: "em" });
    expect(now.domains.some((d) => d.id === ids.manual), "the replaced one is deleted").toBe(false);
    expect(sub(now.domains, "returns")).toMatchObject({ automatic_security: false, default: true });
    expect(now.links.find((l) => l.id === ids.links)).toMatchObject({ default: false });
    expect(sub(now.links, "click")).toMatchObject({ id: preexisting.link!.id, default: true });
    expect(count(calls, "POST", /^\/v3\/whitelabel\/domains$/)).toBe(1);
    expect(count(calls, "DELETE", /^\/v3\/whitelabel\/domains\/\{[^}]+\}$/)).toBe(1);
    expect(count(calls, "POST", /^\/v3\/whitelabel\/links$/)).toBe(0);
    ids.manual = sub(now.domains, "returns").id;
    const preview = await project.previewNoChanges(["--refresh"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);
  });

  it("names drift by YAML field, recreates what was deleted out of band, and refuses to delete a protected entry", async () => {
    await admin.patchObject("sendgrid", "whitelabel_domains", ids.main, { default: true });
    await admin.patchObject("sendgrid", "whitelabel_domains", ids.manual, { default: false });
    await admin.deleteObject("sendgrid", "whitelabel_links", ids.links);
    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    expect(drift.stdout).toMatch(/~ isDefault\s*:\s*true\s*=>\s*false/);
    expect(drift.stdout).toMatch(/~ isDefault\s*:\s*false\s*=>\s*true/);
    expect(drift.stdout).not.toMatch(/\bdefault\s*:/);
    expect(drift.stdout).toMatch(new RegExp(`\\+\\s*pulumi-nodejs:dynamic/${escape("sendgrid:LinkBranding")}: \\(create\\)\\s*\\n\\s*\\[urn=[^\\]]*::links\\]`));
    await project.up(["--refresh"]);
    let now = await live(admin);
    expect(now.domains.find((d) => d.id === ids.main)).toMatchObject({ default: false });
    expect(now.domains.find((d) => d.id === ids.manual)).toMatchObject({ default: true });
    expect(sub(now.links, "links").id).not.toBe(ids.links);

    // Protected by default: removing the entry or replacing it fails before any call.
    const removed = baseDoc();
    Object.assign(removed.sendgrid.domainAuthentications, { manual: doc.sendgrid.domainAuthentications.manual });
    delete removed.sendgrid.domainAuthentications.main;
    removed.sendgrid.linkBrandings = doc.sendgrid.linkBrandings;
    project.writeStack(stringify(removed));
    await admin.resetRequestCounts();
    const refused = await project.run(["up", "--yes", "--skip-preview"]);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout + refused.stderr).toMatch(/protect/);
    expect((await admin.requestCounts()).filter((e) => e.method !== "GET")).toEqual([]);
    now = await live(admin);
    expect(now.domains.some((d) => d.id === ids.main)).toBe(true);
    write();
  });

  it("exports the account to a stack that a new stack adopts with no write", async () => {
    const copy = await TestProject.create({ stack: "copy", endpoints: emulatedVendors(emu.urls) });
    try {
      const exported = await copy.mailform(["export", "--vendor", "sendgrid", "--vendor", "mailtrap"]);
      expect(exported.code, exported.stderr).toBe(0);
      const text = fs.readFileSync(path.join(copy.dir, "stacks", "copy.yaml"), "utf8");
      const entries = parse(text) as Doc;
      expect(Object.values(entries.sendgrid.domainAuthentications)).toEqual(
        expect.arrayContaining([
          { domain: "example.com", subdomain: "em", customDkimSelector: "mf1", automaticSecurity: true, isDefault: false, adopt: true },
          { domain: "example.com", subdomain: "returns", automaticSecurity: false, isDefault: true, adopt: true },
        ]),
      );
      expect(Object.keys(entries.sendgrid.linkBrandings).length).toBe(2);
      await admin.resetRequestCounts();
      const up = await copy.up();
      expect(up.stdout).not.toMatch(/replaced|deleted/);
      expect((await admin.requestCounts()).filter((e) => e.method !== "GET"), "vendor writes during the adopting up").toEqual([]);
      const preview = await copy.previewNoChanges(["--refresh"]);
      expect(preview.code, preview.stdout + preview.stderr).toBe(0);
    } finally {
      copy.remove();
    }
  });
});

/**
 * `mailform export` round trip through the real Pulumi CLI against the emulators: accounts filled
 * through the vendor APIs with objects of every kind (awkward names: unicode, names differing only
 * by case, names that slugify to the same key, very long names), exported, validated, adopted by
 * `pulumi up` with no create, replace or delete, converged under a refresh, still converged without
 * `adopt: true`; a second export is byte-identical; no secret in the file or the output.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { TestProject, emulatedVendors } from "../support/project";
import { vendorApi, type Live } from "../support/vendor-api";

const creds = DEFAULT_CREDENTIALS;


const LONG = `A very long name ${"that goes on and on ".repeat(4)}`.trim();

/** Fills the three accounts; returns every secret the vendors showed (to scan for). */
/** Keys made to serve as the credential of an export (`own`): never handed over to mailform. */
interface Filled {
  secrets: string[];
  own: { sendgridKey: string; mailjetKey: string; mailjetSecret: string };
}

async function fill(emu: RunningEmulators): Promise<Filled> {
  const secrets: string[] = [creds.mailtrap.apiToken, creds.sendgrid.apiKey, creds.mailjet.secretKey];
  const mt = (m: string, p: string, b?: unknown) => vendorApi(emu, "mailtrap", m, p, b);
  const sg = (m: string, p: string, b?: unknown) => vendorApi(emu, "sendgrid", m, p, b);
  const mj = (m: string, p: string, b?: unknown) => vendorApi(emu, "mailjet", m, p, b);

  const staging = await mt("POST", "/api/projects", { project: { name: "Staging" } });
  const lower = await mt("POST", "/api/projects", { project: { name: "staging" } });
  await mt("POST", "/api/projects", { project: { name: "Staging!" } });
  await mt("POST", "/api/projects", { project: { name: "Ünïcødé ✉ projekt" } });
  await mt("POST", "/api/projects", { project: { name: LONG } });
  const qa = await mt("POST", `/api/projects/${staging.id}/sandboxes`, { sandbox: { name: "QA" } });
  await mt("PATCH", `/api/sandboxes/${qa.id}`, { sandbox: { email_username: "qa-box" } });
  await mt("PATCH", `/api/sandboxes/${qa.id}/toggle_email_username`);
  await mt("POST", `/api/projects/${staging.id}/sandboxes`, { sandbox: { name: "qa" } });
  await mt("POST", `/api/projects/${lower.id}/sandboxes`, { sandbox: { name: "QA" } });
  const inboxes = (await mt("GET", "/api/sandboxes")) as unknown as Live[];
  for (const i of inboxes) if (i.password) secrets.push(i.password);
  await mt("POST", "/api/email_templates", {
    email_template: { name: "Wélcome", category: "onboarding", subject: "Hi {{name}}", body_html: "<p>Hi ✉</p>\n", body_text: "Hi\n" },
  });
  await mt("POST", "/api/email_templates", { email_template: { name: "welcome", category: "x", subject: "Lower" } });
  const token = await mt("POST", "/api/api_tokens", {
    name: "CI token",
    resources: [
      { resource_type: "project", resource_id: staging.id, access_level: 100 },
      { resource_type: "sandbox", resource_id: qa.id, access_level: 10 },
    ],
  });
  secrets.push(token.token);
  await mt("POST", "/api/domains", { domain: { domain_name: "mail.example.com" } });

  const tpl = await sg("POST", "/v3/templates", { name: "Wélcome", generation: "dynamic" });
  await sg("POST", `/v3/templates/${tpl.id}/versions`, { name: "V1 ✉", subject: "Hi {{name}}", html_content: "<p>Hi</p>", active: 1 });
  await sg("POST", `/v3/templates/${tpl.id}/versions`, { name: "v2", subject: "Hi again", html_content: "<p>Again</p>", active: 0 });
  await sg("POST", "/v3/templates", { name: "welcome", generation: "legacy" });
  // Two versions of one name: adoption could not tell them apart, so it is not exportable.
  const twins = await sg("POST", "/v3/templates", { name: "Twins", generation: "dynamic" });
  for (const active of [1, 0]) await sg("POST", `/v3/templates/${twins.id}/versions`, { name: "Same", subject: "S", html_content: "<p>S</p>", active });
  secrets.push((await sg("POST", "/v3/api_keys", { name: "Mail send", scopes: ["mail.send"] })).api_key);
  secrets.push((await sg("POST", "/v3/api_keys", { name: "mail send" })).api_key);
  await sg("POST", "/v3/asm/groups", { name: "Newsletter ✉", description: "Monthly", is_default: true });
  await sg("POST", "/v3/user/webhooks/event/settings", { url: "https://hooks.example.com/sg", enabled: true, delivered: true, bounce: true });

  const mjTpl = await mj("POST", "/v3/REST/template", { Name: "Receipt ✉", Purposes: ["transactional"], Locale: "en_US" });
  await mj("POST", `/v3/REST/template/${mjTpl.ID}/detailcontent`, { Headers: { Subject: "Your receipt" }, "Html-part": "<p>Paid</p>", "Text-part": "Paid" });
  await mj("POST", "/v3/REST/template", { Name: "receipt ✉" });
  secrets.push((await mj("POST", "/v3/REST/apikey", { Name: "Sub key" })).SecretKey);
  const sgOwn = (await sg("POST", "/v3/api_keys", { name: "Own credential" })).api_key as string;
  const mjOwn = await mj("POST", "/v3/REST/apikey", { Name: "Own credential" });
  secrets.push(sgOwn, mjOwn.SecretKey);
  await mj("POST", "/v3/REST/contactslist", { Name: "Customers" });
  await mj("POST", "/v3/REST/contactslist", { Name: "customers" });
  await mj("POST", "/v3/REST/sender", { Email: "billing@example.com", Name: "Billing" });
  await mj("POST", "/v3/REST/eventcallbackurl", { EventType: "bounce", Url: "https://hooks.example.com/mj" });
  return { secrets: secrets.filter(Boolean), own: { sendgridKey: sgOwn, mailjetKey: mjOwn.APIKey, mailjetSecret: mjOwn.SecretKey } };
}

describe("mailform export: an account made by hand, brought under management", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let secrets: string[];
  let own: Filled["own"];
  const stackFile = () => path.join(project.dir, "stacks", `${project.stack}.yaml`);
  const exportArgs = ["export"];

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({
      stack: "exported",
      endpoints: emulatedVendors(emu.urls),
    });
    ({ secrets, own } = await fill(emu));
  }, 180_000);

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("works before the stack exists, from the environment, and refuses to overwrite without --force", async () => {
    const env = {
      ...project.env,
      MAILTRAP_API_URL: emu.urls.mailtrap,
      MAILTRAP_API_TOKEN: creds.mailtrap.apiToken,
      SENDGRID_API_URL: emu.urls.sendgrid,
      SENDGRID_API_KEY: own.sendgridKey,
      MAILJET_API_URL: emu.urls.mailjet,
      MJ_APIKEY_PUBLIC: own.mailjetKey,
      MJ_APIKEY_PRIVATE: own.mailjetSecret,
    };
    const fresh = await project.mailform(["export", "--stack", "fresh"], env, null);
    expect(fresh.code, fresh.stderr).toBe(0);
    expect(fresh.stderr).toMatch(/stack fresh does not exist yet: credentials and endpoints come from the environment/);
    expect(fresh.stderr).toMatch(/Mailtrap projects: 5 read/);
    // The keys the export itself calls with are named, not handed over to mailform to manage.
    const header = fs.readFileSync(path.join(project.dir, "stacks", "fresh.yaml"), "utf8");
    expect(header).toMatch(/^# - SendGrid API key "Own credential" \(id [\w-]+\): the key mailform itself calls SendGrid with/m);
    expect(header).toMatch(/^# - Mailjet API key "Own credential" \(id \d+\): the key mailform itself calls Mailjet with/m);
    for (const s of secrets) expect(header.includes(s) || fresh.stderr.includes(s)).toBe(false);
    const again = await project.mailform(["export", "--stack", "fresh"], env, null);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/stacks\/fresh\.yaml exists; pass --force/);
    fs.rmSync(path.join(project.dir, "stacks", "fresh.yaml"));
    fs.rmSync(path.join(project.dir, "stacks", "fresh-bodies"), { recursive: true });
  }, 120_000);

  it("writes a stack that validates, that `pulumi up` adopts with no create, replace or delete, and that stays converged", async () => {
    const run = await project.mailform(exportArgs);
    expect(run.code, run.stderr).toBe(0);
    const text = fs.readFileSync(stackFile(), "utf8");
    // Keys: readable, unique, deterministic; nested inboxes; references by key; bodies in files.
    expect(text).toMatch(/^ {4}staging:\n {6}name: Staging\n/m);
    expect(text).toMatch(/^ {4}staging-2:\n {6}name: Staging!\n/m);
    expect(text).toMatch(/^ {4}staging-3:\n {6}name: staging\n/m);
    expect(text).toMatch(/^ {4}unicode-projekt:\n {6}name: Ünïcødé ✉ projekt\n/m);
    expect(text).toMatch(/- project: staging\n\s+access: admin/);
    expect(text).toMatch(/- inbox: staging\/qa\n\s+access: viewer/);
    expect(text).toMatch(/html:\n\s+file: exported-bodies\//);
    // What a stack file cannot hold is named in the header, never dropped silently.
    expect(text).toMatch(/^# Not exported \(mailform cannot represent them\):\n# - SendGrid template "Twins" \(id [\w-]+\): two of its versions have the same name/m);
    expect(text.match(/^\s+adopt: true$/gm)?.length).toBe(27);
    for (const s of secrets) {
      expect(text.includes(s), "a secret in the stack file").toBe(false);
      expect((run.stdout + run.stderr).includes(s), "a secret in the output").toBe(false);
    }
    for (const f of fs.readdirSync(path.join(project.dir, "stacks", "exported-bodies"))) {
      const body = fs.readFileSync(path.join(project.dir, "stacks", "exported-bodies", f), "utf8");
      for (const s of secrets) expect(body.includes(s)).toBe(false);
    }

    const validate = await project.mailform(["validate", stackFile()], project.env, null);
    expect(validate.code, validate.stdout + validate.stderr).toBe(0);

    // Pulumi counts an adoption as its create step; the vendors say whether anything was made,
    // replaced or deleted: no write reaches them at all.
    await admin.resetRequestCounts();
    const up = await project.up();
    expect(up.stdout).not.toMatch(/replaced|deleted/);
    // ... and the run's diagnostics say, per object, which live object each entry adopted.
    const adopted = new Set(up.stdout.match(/adopted the live object id \S+ \(nothing was created\)/g));
    expect(adopted.size, up.stdout).toBe(27);
    const writes = (await admin.requestCounts()).filter((e) => e.method !== "GET");
    expect(writes, "vendor writes during the adopting up").toEqual([]);
    const state = await project.exportState();
    expect(state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length).toBeGreaterThanOrEqual(25);
    const preview = await project.previewNoChanges(["--refresh"]);
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);

    // Without `adopt: true` the objects are simply managed: still nothing to do.
    fs.writeFileSync(stackFile(), text.replace(/^\s+adopt: true\n/gm, ""));
    const after = await project.previewNoChanges(["--refresh"]);
    expect(after.code, after.stdout + after.stderr).toBe(0);
    fs.writeFileSync(stackFile(), text);
  }, 600_000);

  it("exports the same account to the same bytes, and only the unmanaged objects when asked", async () => {
    const before = fs.readFileSync(stackFile(), "utf8");
    const second = await project.mailform([...exportArgs, "--force"]);
    expect(second.code, second.stderr).toBe(0);
    expect(fs.readFileSync(stackFile(), "utf8")).toBe(before);

    await vendorApi(emu, "mailjet", "POST", "/v3/REST/contactslist", { Name: "Straggler" });
    const stragglers = await project.mailform([...exportArgs, "--only-unmanaged", "--out", "stacks/stragglers.yaml"]);
    expect(stragglers.code, stragglers.stderr).toBe(0);
    const doc = fs.readFileSync(path.join(project.dir, "stacks", "stragglers.yaml"), "utf8");
    expect(doc).toMatch(/contactLists:\n\s+straggler:\n\s+name: Straggler\n\s+adopt: true\n/);
    expect(doc.match(/^\s+adopt: true$/gm)?.length, doc).toBe(1);
  }, 300_000);
});


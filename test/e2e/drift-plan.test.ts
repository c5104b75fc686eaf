/**
 * `mailform drift` and `mailform plan` through the real CLI against the emulators: one stack with
 * every resource kind of the three vendors; out-of-band changes of their fields and out-of-band
 * deletes named per object and field in text, JSON and markdown; secrets never shown; exit codes
 * 0 / 2 / 1 (missing credentials, rejected credentials, vendor unreachable); the plan of a changed
 * stack file grouped by vendor, with replacements and protected objects that would block.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { useEmulators } from "../support/emulators";
import { TestProject, emulatedVendors } from "../support/project";

const creds = DEFAULT_CREDENTIALS;

const welcomeHtml = ["<h1>Welcome, {{name}}</h1>", "<p>Your account is ready.</p>", "<p>Sign in at {{url}}.</p>", "<p>Questions? Reply to this mail.</p>", "<p>The team</p>"].join("\n");

const stack = (opts: { projectName?: string; extraInbox?: boolean; generation?: string; reportingKey?: boolean; newsletter?: boolean } = {}) => `mailtrap:
  projects:
    staging:
      name: ${opts.projectName ?? "Staging"}
      inboxes:
        qa: { name: QA, emailUsername: qa-team }
        dev: { name: Dev }${opts.extraInbox ? "\n        ops: { name: Ops }" : ""}
  emailTemplates:
    welcome:
      name: Welcome
      category: onboarding
      subject: "Welcome, {{name}}"
      html: ${JSON.stringify(welcomeHtml)}
      text: "Welcome, {{name}}"
  apiTokens:
    ci:
      name: CI
      permissions:
        - project: staging
          access: viewer
sendgrid:
  templates:
    welcome:
      name: Welcome
      generation: ${opts.generation ?? "dynamic"}
      versions:
        v1:
          name: Welcome v1
          subject: "Welcome, {{name}}"
          html: "<p>Hello {{name}}</p>"
          active: true
  apiKeys:
    sender:
      name: Sender
      scopes: [mail.send]
mailjet:
  templates:
    receipt:
      name: Receipt
      ownerType: apikey
      purposes: [transactional]
      locale: en_US
      description: Sent after payment
      content:
        headers: { Subject: "Your receipt" }
        html: "<p>Thanks</p>"${opts.newsletter === false ? "" : `
    newsletter:
      name: Newsletter
      purposes: [marketing]
      protect: true`}
${opts.reportingKey === false ? "" : `  apiKeys:
    reporting:
      name: Reporting
      active: true
`}`;

interface DriftJson {
  drift: boolean;
  summary: string;
  objects: { vendor: string; kind: string; key: string; id?: string; status: string; fields: { field: string; desired: unknown; live: unknown; diff?: string }[] }[];
}

describe("mailform drift and mailform plan", () => {
  const ctx = useEmulators(() => ({
    // Only the stack's config may supply credentials here.
    MAILTRAP_API_TOKEN: undefined,
    SENDGRID_API_KEY: undefined,
    MJ_APIKEY_PUBLIC: undefined,
    MJ_APIKEY_PRIVATE: undefined,
  }));
  let project: TestProject;
  const secrets: string[] = [];

  beforeAll(async () => {
    project = await TestProject.create({
      endpoints: emulatedVendors(ctx.emu.urls),
    });
    // SendGrid's key from the environment, as a CI passes its secret store: refresh then reads it
    // from there (a key in stack config would be the one recorded at the last deployment).
    await project.must(["config", "rm", "mailform:sendgridApiKey"]);
    project.env.SENDGRID_API_KEY = creds.sendgrid.apiKey;
    project.writeStack(stack());
    await project.up();
  });

  afterAll(() => project?.remove());

  /** Every report must be free of every secret: credentials and the shown-once values. */
  function expectNoSecret(...texts: string[]) {
    for (const text of texts) for (const secret of secrets) expect(text.includes(secret), `a secret value appears in:\n${text}`).toBe(false);
  }

  it("exits 0 with a one-line summary when live matches the stack file", async () => {
    const r = await project.mailform(["drift"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(`no drift in stack ${project.stack}`);
  });

  it("names every drifted field of every kind, and deletes out of band, in text, JSON and markdown (exit 2)", async () => {
    const { admin } = ctx;
    const one = async <T extends Record<string, unknown>>(vendor: "mailtrap" | "sendgrid" | "mailjet", collection: string, match: (o: T) => boolean) =>
      (await admin.listObjects<T>(vendor, collection)).find(match)!;
    const project_ = await one<{ id: number; name: string }>("mailtrap", "projects", (o) => o.name === "Staging");
    const qa = await one<{ id: number; name: string }>("mailtrap", "sandboxes", (o) => o.name === "QA");
    const dev = await one<{ id: number; name: string }>("mailtrap", "sandboxes", (o) => o.name === "Dev");
    const tpl = await one<{ id: number; name: string }>("mailtrap", "email_templates", () => true);
    const token = await one<{ id: number; name: string; token: string }>("mailtrap", "api_tokens", (o) => o.name === "CI");
    const sgTpl = await one<{ id: string; name: string; versions: { id: string }[] }>("sendgrid", "templates", () => true);
    const sgKey = await one<{ api_key_id: string; name: string }>("sendgrid", "api_keys", (o) => o.name === "Sender");
    const receipt = await one<{ ID: number; Name: string }>("mailjet", "template", (o) => o.Name === "Receipt");
    const mjKey = await one<{ ID: number; Name: string }>("mailjet", "apikey", (o) => o.Name === "Reporting");

    await admin.patchObject("mailtrap", "projects", project_.id, { name: "Staging (web UI)" });
    await admin.patchObject("mailtrap", "sandboxes", qa.id, { email_username: "someone-else" });
    await admin.patchObject("mailtrap", "email_templates", tpl.id, {
      subject: "Edited subject",
      body_html: welcomeHtml.replace("<p>Your account is ready.</p>", "<p>Your account is almost ready.</p>"),
    });
    await admin.patchObject("mailtrap", "api_tokens", token.id, { name: "CI (web UI)" });
    await admin.deleteObject("mailtrap", "sandboxes", dev.id);
    // A token reset out of band: its new value must never be printed.
    const reset = await fetch(`${ctx.emu.urls.mailtrap}/api/accounts/${creds.mailtrap.accountId}/api_tokens/${token.id}/reset`, {
      method: "POST",
      headers: { "Api-Token": creds.mailtrap.apiToken },
    });
    expect(reset.status).toBe(200);
    secrets.push(((await reset.json()) as { token: string }).token);
    secrets.push(token.token, creds.mailtrap.apiToken, creds.sendgrid.apiKey, creds.mailjet.apiKey, creds.mailjet.secretKey);
    await admin.patchObject("sendgrid", "templates", sgTpl.id, { name: "Welcome (web UI)" });
    // A version's field and a template's content, through the vendors' own APIs.
    const sgRes = await fetch(`${ctx.emu.urls.sendgrid}/v3/templates/${sgTpl.id}/versions/${sgTpl.versions[0]!.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${creds.sendgrid.apiKey}`, "Content-Type": "application/json" },
      body: JSON.stringify({ name: "Welcome v1", subject: "Edited version subject" }),
    });
    expect(sgRes.status, await sgRes.clone().text()).toBe(200);
    const mjRes = await fetch(`${ctx.emu.urls.mailjet}/v3/REST/template/${receipt.ID}/detailcontent`, {
      method: "PUT",
      headers: { Authorization: `Basic ${Buffer.from(`${creds.mailjet.apiKey}:${creds.mailjet.secretKey}`).toString("base64")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ Headers: { Subject: "Your receipt" }, "Html-part": "<p>Thanks, edited</p>" }),
    });
    expect(mjRes.status, await mjRes.clone().text()).toBe(200);
    await admin.patchObject("sendgrid", "api_keys", sgKey.api_key_id, { name: "Sender (web UI)" });
    await admin.patchObject("mailjet", "template", receipt.ID, { Description: "edited in the web UI", Locale: "de_DE" });
    await admin.patchObject("mailjet", "apikey", mjKey.ID, { Name: "Reporting (web UI)" });

    const text = await project.mailform(["drift"]);
    const json = await project.mailform(["drift", "--format", "json"]);
    const md = await project.mailform(["drift", "--format", "markdown"]);
    for (const r of [text, json, md]) expect(r.code, r.stdout + r.stderr).toBe(2);
    expectNoSecret(text.stdout, text.stderr, json.stdout, md.stdout);

    const report = JSON.parse(json.stdout) as DriftJson;
    expect(report.drift).toBe(true);
    const obj = (key: string) => {
      const found = report.objects.filter((o) => o.key === key);
      expect(found, `${key} in ${JSON.stringify(report.objects.map((o) => o.key))}`).toHaveLength(1);
      return found[0]!;
    };
    const field = (key: string, desired: unknown, live: unknown) =>
      expect(obj(key).fields, key).toContainEqual(expect.objectContaining({ desired, live }));

    expect(obj("mailtrap.projects.staging")).toMatchObject({ vendor: "mailtrap", kind: "Project", id: String(project_.id), status: "changed" });
    expect(obj("mailtrap.projects.staging").fields).toEqual([{ field: "name", desired: "Staging", live: "Staging (web UI)" }]);
    field("mailtrap.projects.staging.inboxes.qa", "qa-team", "someone-else");
    field("mailtrap.emailTemplates.welcome", "Welcome, {{name}}", "Edited subject");
    const body = obj("mailtrap.emailTemplates.welcome").fields.find((f) => typeof f.diff === "string")!;
    expect(body.diff).toContain("-<p>Your account is ready.</p>");
    expect(body.diff).toContain("+<p>Your account is almost ready.</p>");
    expect(body.diff!.split("\n").length, "a short diff, not the whole body").toBeLessThan(10);
    field("mailtrap.apiTokens.ci", "CI", "CI (web UI)");
    // The reset: the token in the outputs now expires.
    expect(obj("mailtrap.apiTokens.ci").fields).toContainEqual({ field: "expiresAt", desired: null, live: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(obj("mailtrap.projects.staging.inboxes.dev")).toMatchObject({ status: "deleted", id: String(dev.id), kind: "Inbox" });
    field("sendgrid.templates.welcome", "Welcome", "Welcome (web UI)");
    field("sendgrid.apiKeys.sender", "Sender", "Sender (web UI)");
    // Nested inputs are named by their path: the version's subject.
    expect(obj("sendgrid.templates.welcome").fields).toContainEqual({ field: expect.stringMatching(/^versions\.v1\.subject$/), desired: "Welcome, {{name}}", live: "Edited version subject" });
    field("mailjet.templates.receipt", "<p>Thanks</p>", "<p>Thanks, edited</p>");
    field("mailjet.templates.receipt", "Sent after payment", "edited in the web UI");
    field("mailjet.templates.receipt", "en_US", "de_DE");
    field("mailjet.apiKeys.reporting", "Reporting", "Reporting (web UI)");
    expect(report.objects.filter((o) => o.status === "changed")).toHaveLength(8);
    expect(report.summary).toMatch(/9 object\(s\) differ \(8 changed, \d+ field\(s\); 1 deleted out of band\)/);

    // The text report: per object a header with vendor, kind, key and id; per field both values.
    expect(text.stdout).toContain(`~ mailtrap Project mailtrap.projects.staging (id ${project_.id})\n    name: desired "Staging", live "Staging (web UI)"`);
    expect(text.stdout).toContain(`- mailtrap Inbox mailtrap.projects.staging.inboxes.dev (id ${dev.id}): deleted out of band`);
    expect(text.stdout).toMatch(/\n {6}-<p>Your account is ready\.<\/p>\n {6}\+<p>Your account is almost ready\.<\/p>/);
    expect(text.stdout.trim().split("\n").pop()).toBe(report.summary);
    // Markdown for an issue: a table per object, bodies as diff blocks.
    expect(md.stdout).toContain("### Changed: mailjet Template `mailjet.templates.receipt`");
    expect(md.stdout).toMatch(/\| `\w+` \| `"en_US"` \| `"de_DE"` \|/);
    expect(md.stdout).toContain("```diff\n");
    expect(md.stdout).toContain("### Deleted out of band: mailtrap Inbox `mailtrap.projects.staging.inboxes.dev`");
  });

  it("exits 1 naming the cause: missing credentials, rejected credentials, vendor unreachable", async () => {
    const { SENDGRID_API_KEY: _, ...withoutKey } = project.env;
    const missing = await project.mailform(["drift"], withoutKey);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^mailform drift: missing credentials: .*missing setting sendgridApiKey/m);

    const rejected = await project.mailform(["drift"], { ...project.env, SENDGRID_API_KEY: "SG.wrong-key.wrong" });
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/^mailform drift: credentials rejected: .*SendGrid: GET \S+ answered 401/m);
    expect(rejected.stderr).not.toContain("SG.wrong-key.wrong");

    await ctx.admin.addFault({ vendor: "mailjet", kind: "drop", rate: 1 });
    try {
      const down = await project.mailform(["drift"]);
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(/^mailform drift: vendor unreachable: .*Mailjet: GET \S+ failed: /m);
    } finally {
      await ctx.admin.clearFaults();
    }
  });

  it("once `up --refresh` repaired it, only the token the out-of-band reset issued is left: unmanaged (exit 2)", async () => {
    await project.up(["--refresh"]);
    const r = await project.mailform(["drift", "--format", "json"]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    const report = JSON.parse(r.stdout);
    expect(report).toMatchObject({ drift: true, objects: [] });
    // Whoever reset the token may hold its value: mailform keeps it (never deletes it) and reports it.
    expect(report.unmanaged.map((u: { path: string; name: string }) => `${u.path} ${u.name}`)).toEqual(['mailtrap.apiTokens name "CI (web UI)"']);
    expectNoSecret(r.stdout, r.stderr);
  });

  it("plans a changed stack file as markdown grouped by vendor, with replace reasons and protected objects that block", async () => {
    project.writeStack(stack({ projectName: "Staging EU", extraInbox: true, generation: "legacy", reportingKey: false, newsletter: false }));
    const r = await project.mailform(["plan"]);
    expect(r.code, "a plan whose `up` would fail (a protected delete) fails its check").toBe(1);
    const md = r.stdout;
    expectNoSecret(md);
    expect(md).toContain("**1 to create, 1 to update, 1 to replace, 2 to delete**");
    const section = (title: string) => md.slice(md.indexOf(`### ${title}`)).split("\n### ")[0]!;
    expect(section("Mailtrap")).toContain("- **create** Inbox `mailtrap.projects.staging.inboxes.ops`");
    expect(section("Mailtrap")).toMatch(/- \*\*update\*\* Project `mailtrap.projects.staging` \(id \d+\): `name`: `"Staging"` → `"Staging EU"`/);
    expect(section("SendGrid")).toMatch(/- \*\*replace\*\* Template `sendgrid.templates.welcome` \(id [\w-]+\), because `generation` cannot change in place: `generation`: `"dynamic"` → `"legacy"`/);
    expect(section("Mailjet")).toMatch(/- \*\*delete\*\* ApiKey `mailjet.apiKeys.reporting` \(id \d+\)/);
    expect(section("Mailjet")).toMatch(/- \*\*delete\*\* Template `mailjet.templates.newsletter`/);
    expect(md).toMatch(/> \*\*This `up` would fail:\*\* 1 protected object\(s\) would be deleted/);
    expect(md).toMatch(/> - Mailjet Template `mailjet.templates.newsletter` \(id \d+\): delete/);
    // The plan changed nothing.
    const drift = await project.mailform(["drift"]);
    expect(drift.stdout).not.toContain("Staging EU");
  });
});

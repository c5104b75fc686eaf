/**
 * The plan a reviewer reads tells what the merge's `up --refresh` will do (issue 19), through the
 * real CLI: drift it overwrites, adoption as adoption, only the fields that force a replace,
 * options never as changes, every field of a create with risky values flagged, long bodies as a
 * diff, values that cannot render as markdown, the same order on every run; and a drift report that
 * fails still says why.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { emulatedVendors, TestProject } from "../support/project";

const paragraphs = (changed: number) =>
  Array.from({ length: 25 }, (_, i) => `<p>Paragraph ${i + 1}${i + 1 === changed ? " (reworded)" : ""}.</p>`).join("\n");

function stack(o: { adopt?: boolean; after?: boolean }): string {
  return `
mailtrap:
  projects:
    staging:
      name: ${o.after ? '"Staging_EU *beta* | <b>new</b>"' : "Staging"}${o.adopt ? "\n      adopt: true" : ""}
sendgrid:
  templates:
    welcome:
      name: ${o.after ? "Welcome 2" : "Welcome"}
      generation: ${o.after ? "legacy" : "dynamic"}
  apiKeys:
    ci:
      name: CI
      scopes: [mail.send${o.after ? ", templates.read, templates.create, templates.update, templates.delete, templates.versions.read, templates.versions.create, asm.groups.read" : ""}]${o.after ? "\n    ops:\n      name: Ops" : ""}
mailjet:
  templates:
    receipt:
      name: Receipt
      content:
        html: |
${paragraphs(o.after ? 20 : 0)
  .split("\n")
  .map((l) => `          ${l}`)
  .join("\n")}
  apiKeys:${o.after ? "\n    adopted:\n      name: Made by hand\n      adopt: true\n    unmade:\n      name: Nobody made this\n      adopt: true" : ""}
    reporting:
      name: Reporting
`;
}

describe("mailform plan tells the truth", () => {
  const ctx = useEmulators(() => ({}));
  let project: TestProject;
  let handMadeKeyId: number;

  beforeAll(async () => {
    project = await TestProject.create({ endpoints: emulatedVendors(ctx.emu.urls) });
    project.writeStack(stack({ adopt: true }));
    await project.up();
    // A project renamed in the web UI, and an API key made by hand that the change adopts.
    const [p] = await ctx.admin.listObjects<{ id: number }>("mailtrap", "projects");
    await ctx.admin.patchObject("mailtrap", "projects", p!.id, { name: "Renamed in the web UI" });
    const made = await fetch(`${ctx.emu.urls.mailjet}/v3/REST/apikey`, {
      method: "POST",
      headers: { Authorization: `Basic ${Buffer.from("mj-demo-public-0000:mj-demo-secret-0000").toString("base64")}`, "Content-Type": "application/json" },
      body: JSON.stringify({ Name: "Made by hand", ACL: "" }),
    });
    handMadeKeyId = ((await made.json()) as { Data: { ID: number }[] }).Data[0]!.ID;
  });

  it("shows what `up --refresh` will do, in the same order on every run", async () => {
    project.writeStack(stack({ after: true }));
    const first = await project.mailform(["plan"]);
    expect(first.code, first.stderr).toBe(0);
    const md = first.stdout;

    // Drift the merge overwrites is in the plan, marked as such (the plan refreshes, as `up --refresh` does).
    expect(md).toMatch(/\*\*update\*\* Project `mailtrap\.projects\.staging` \(id \d+\): `name`: `"Renamed in the web UI"` → .* \(drift: changed outside mailform/);
    // Values are inline code: nothing renders as bold, italics, HTML or a table cell.
    expect(md).toContain('`"Staging_EU *beta* \\| <b>new</b>"`');
    // Options are not vendor fields: removing `adopt: true` is no change.
    expect(md).not.toMatch(/`adopt`/);
    // Only the field that forces the replace is its reason.
    expect(md).toMatch(/\*\*replace\*\* Template `sendgrid\.templates\.welcome` \(id [\w-]+\), because `generation` cannot change in place/);
    // A create shows every field; a full-access key is flagged.
    expect(md).toMatch(/\*\*create\*\* ApiKey `sendgrid\.apiKeys\.ops`:\n {2}- `name`: `"Ops"`\n {2}- ⚠️ full access/);
    // A long value is shown whole: every scope a key gets is there to review.
    expect(md).toMatch(/\*\*update\*\* ApiKey `sendgrid\.apiKeys\.ci` .*"templates\.versions\.create"/);
    // Adoption reads as adoption, with the live object it takes over; an adopt: true entry with
    // no live object is a create.
    expect(md).toContain("1 to adopt");
    expect(md).toContain(`**adopt** ApiKey \`mailjet.apiKeys.adopted\`: takes over the live object id ${handMadeKeyId} with its identity`);
    expect(md).toContain("**create** ApiKey `mailjet.apiKeys.unmade` (adopt: true, but no live object has its identity):");
    // A change in paragraph 20 of a long body is shown as a diff, not cut.
    expect(md).toContain("-<p>Paragraph 20.</p>\n  +<p>Paragraph 20 (reworded).</p>");

    const again = await project.mailform(["plan"]);
    expect(again.stdout).toBe(md);
  });

  it("a drift report that cannot be made says why, in the file a workflow uploads", async () => {
    const env = { ...project.env, MAILTRAP_API_TOKEN: "", SENDGRID_API_KEY: "" };
    await project.run(["config", "rm", "mailform:mailtrapApiToken"]);
    try {
      const r = await project.mailform(["drift", "--format", "markdown"], env);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/\*\*Drift could not be checked: missing credentials\.\*\*/);
    } finally {
      await project.config("mailtrapApiToken", "mt-demo-token-0000", true);
    }
  });
});

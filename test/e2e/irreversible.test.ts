/**
 * Deletes and replacements that lose what the vendor cannot give back (issue 17), through the real
 * CLI: a replacement is made before its old object goes, so a refused create leaves the old one;
 * an unsubscribe group (its unsubscribes) is protected unless the entry consents; `mailform plan`
 * says what each delete or replace loses; a `movedFrom` that matches nothing is a located error.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { emulatedVendors, TestProject } from "../support/project";

describe("irreversible changes", () => {
  const ctx = useEmulators(() => ({}));
  let project: TestProject;

  afterAll(() => project?.remove());
  beforeEach(async () => {
    project?.remove();
    await ctx.admin.reset();
    project = await TestProject.create({ endpoints: emulatedVendors(ctx.emu.urls) });
  });

  it("a replacement whose create the vendor refuses leaves the old object live and in state", async () => {
    const stack = (domain: string) => `
mailtrap:
  domains:
    mail:
      domainName: ${domain}
      protect: false   # consent to replacing it (a sending domain is protected by default)
`;
    project.writeStack(stack("mail.example.com"));
    await project.up();
    const [old] = await ctx.admin.listObjects<{ id: number; domain_name: string }>("mailtrap", "domains");

    project.writeStack(stack("send.example.com"));
    const plan = await project.mailform(["plan"]);
    expect(plan.stdout).toMatch(/\*\*replace\*\* SendingDomain `mailtrap\.domains\.mail` \(id \d+\).*Loses its DNS verification/);

    // Every create of the new domain fails at the vendor.
    await ctx.admin.addFault({ vendor: "mailtrap", route: "POST /api/domains", kind: "500", rate: 1 });
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    await ctx.admin.clearFaults();

    const live = await ctx.admin.listObjects<{ id: number; domain_name: string }>("mailtrap", "domains");
    expect(live.map((d) => [d.id, d.domain_name])).toEqual([[old!.id, "mail.example.com"]]);
    const inState = (await project.exportState()).resources.filter((r) => r.type === "pulumi-nodejs:dynamic/mailtrap:SendingDomain");
    expect(inState.map((r) => r.id)).toEqual([String(old!.id)]);

    // Once the vendor accepts it, the replacement goes through: new first, then the old deleted.
    await project.up();
    const after = await ctx.admin.listObjects<{ domain_name: string }>("mailtrap", "domains");
    expect(after.map((d) => d.domain_name)).toEqual(["send.example.com"]);
  });

  it("removing an unsubscribe group fails before any call without consent; with consent it is deleted", async () => {
    const group = `
    newsletter:
      name: Newsletter
      description: Monthly news`;
    const stack = (body: string) => `sendgrid:\n  unsubscribeGroups:${body}\n    product:\n      name: Product updates\n      description: Launches\n`;
    project.writeStack(stack(group));
    await project.up();
    const [news] = (await ctx.admin.listObjects<{ id: number; name: string }>("sendgrid", "asm_groups")).filter((g) => g.name === "Newsletter");

    // Removed without consent: the preview fails, and nothing is called at SendGrid.
    project.writeStack(stack(""));
    await ctx.admin.resetRequestCounts();
    const preview = await project.run(["preview"]);
    expect(preview.code).not.toBe(0);
    expect(preview.stdout + preview.stderr).toMatch(/UnsubscribeGroup::newsletter.*cannot be deleted|protected/s);
    const plan = await project.mailform(["plan"]);
    expect(plan.stdout).toContain("**This `up` would fail:**");
    expect(plan.stdout).toContain(`UnsubscribeGroup \`sendgrid.unsubscribeGroups.newsletter\` (id ${news!.id}): delete, which loses its unsubscribes`);
    expect(plan.stdout).toContain("set `protect: false` on the entry");
    const up = await project.run(["up", "--yes", "--skip-preview"]);
    expect(up.code).not.toBe(0);
    const sendgridWrites = (await ctx.admin.requestCounts()).filter((c) => c.vendor === "sendgrid" && c.method !== "GET");
    expect(sendgridWrites).toEqual([]);
    expect((await ctx.admin.listObjects<{ name: string }>("sendgrid", "asm_groups")).map((g) => g.name).sort()).toEqual(["Newsletter", "Product updates"]);

    // Consent: the entry says protect: false (applied: no vendor call), then goes.
    project.writeStack(stack(`${group}\n      protect: false`));
    await project.up();
    project.writeStack(stack(""));
    const consented = await project.mailform(["plan"]);
    expect(consented.stdout).toContain("**Irreversible:**");
    expect(consented.stdout).toContain(`UnsubscribeGroup \`sendgrid.unsubscribeGroups.newsletter\` (id ${news!.id}): delete, loses its unsubscribes`);
    await project.up();
    expect((await ctx.admin.listObjects<{ name: string }>("sendgrid", "asm_groups")).map((g) => g.name)).toEqual(["Product updates"]);
  });

  it("plan refuses a movedFrom that matches nothing in the state, at its line", async () => {
    project.writeStack("mailjet:\n  apiKeys:\n    ci:\n      name: CI\n");
    await project.up();
    project.writeStack("mailjet:\n  apiKeys:\n    ci:\n      name: CI\n    deploy:\n      movedFrom: deploy-old\n      name: Deploy\n");
    const plan = await project.mailform(["plan"]);
    expect(plan.code).toBe(1);
    expect(plan.stderr).toMatch(/stacks\/e2e\.yaml:6:18: error \[MOVED_FROM_UNMATCHED\] mailjet\.apiKeys\.deploy\.movedFrom: deploy-old matches nothing/);
  });
});

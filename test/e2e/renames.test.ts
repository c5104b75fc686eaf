/**
 * Renaming an entry's key, the most common refactor of a stack file, never loses a live object
 * (issue 17): declared with `movedFrom`, it is a move with no vendor call; undeclared, following
 * every message mailform prints, every object keeps its id. A Mailtrap project with its inboxes and
 * a token that refers to them, a SendGrid template and a Mailjet API key, through the real CLI.
 */
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { emulatedVendors, TestProject } from "../support/project";

const before = `
mailtrap:
  projects:
    demo:
      name: mailform demo
      inboxes:
        qa: { name: QA }
        staging: { name: Staging }
  apiTokens:
    ci:
      name: mailform demo CI
      permissions:
        - { project: demo, access: admin }
        - { inbox: demo/qa, access: viewer }
sendgrid:
  templates:
    welcome:
      name: mailform welcome
      generation: dynamic
      versions:
        v1: { name: Welcome v1, subject: "Hi {{name}}", html: "<p>Hi</p>", active: true }
mailjet:
  apiKeys:
    ci:
      name: mailform CI key
`;

/** The same stack with every key renamed; `declared` adds `movedFrom`, `adopt` marks entries per message. */
function renamed(opts: { declared: boolean; adopt?: Set<string> }): string {
  const moved = (old: string) => (opts.declared ? `\n      movedFrom: ${old}` : "");
  const adopt = (what: string) => (opts.adopt?.has(what) ? "\n      adopt: true" : "");
  const adoptInbox = (what: string) => (opts.adopt?.has(what) ? ", adopt: true" : "");
  return `
mailtrap:
  projects:
    demo-main:${moved("demo")}${adopt("project")}
      name: mailform demo
      inboxes:
        qa: { name: QA${adoptInbox("qa")} }
        staging: { name: Staging${adoptInbox("staging")} }
  apiTokens:
    ci:
      name: mailform demo CI
      permissions:
        - { project: demo-main, access: admin }
        - { inbox: demo-main/qa, access: viewer }
sendgrid:
  templates:
    welcome-email:${moved("welcome")}${adopt("template")}
      name: mailform welcome
      generation: dynamic
      versions:
        v1: { name: Welcome v1, subject: "Hi {{name}}", html: "<p>Hi</p>", active: true }
mailjet:
  apiKeys:
    ci-key:${moved("ci")}${adopt("apiKey")}
      name: mailform CI key
`;
}

interface Live {
  id: number | string;
  name?: string;
  ID?: number;
  Name?: string;
}

describe("renaming entry keys", () => {
  const ctx = useEmulators(() => ({}));
  let project: TestProject;

  afterAll(() => project?.remove());
  beforeEach(async () => {
    project?.remove();
    await ctx.admin.reset();
    project = await TestProject.create({ endpoints: emulatedVendors(ctx.emu.urls) });
    project.writeStack(before);
    await project.up();
    await ctx.admin.resetRequestCounts();
  });

  /** Every live object's id, by what it is. */
  async function liveIds(): Promise<Record<string, string[]>> {
    const ids = (list: Live[]) => list.map((o) => String(o.id ?? o.ID)).sort();
    return {
      projects: ids(await ctx.admin.listObjects<Live>("mailtrap", "projects")),
      inboxes: ids(await ctx.admin.listObjects<Live>("mailtrap", "sandboxes")),
      tokens: ids(await ctx.admin.listObjects<Live>("mailtrap", "api_tokens")),
      templates: ids(await ctx.admin.listObjects<Live>("sendgrid", "templates")),
      apiKeys: ids(await ctx.admin.listObjects<Live>("mailjet", "apikey")),
    };
  }

  async function writes(): Promise<number> {
    const counts = await ctx.admin.requestCounts();
    return counts.filter((c) => c.method !== "GET").reduce((n, c) => n + c.count, 0);
  }

  it("declared with movedFrom: a move the plan names, no vendor write, every id kept", async () => {
    const ids = await liveIds();
    project.writeStack(renamed({ declared: true }));

    const plan = await project.mailform(["plan"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("**move** Project `mailtrap.projects.demo-main` (id");
    expect(plan.stdout).toContain("from `mailtrap.projects.demo`");
    expect(plan.stdout).toContain("**move** Inbox `mailtrap.projects.demo-main.inboxes.qa`");
    expect(plan.stdout).toContain("**move** Template `sendgrid.templates.welcome-email`");
    expect(plan.stdout).toContain("**move** ApiKey `mailjet.apiKeys.ci-key`");
    expect(plan.stdout).not.toMatch(/\*\*(create|delete|replace)\*\*/);

    await project.up();
    expect(await liveIds()).toEqual(ids);
    expect(await writes(), "a move calls no vendor write").toBe(0);
    const converged = await project.previewNoChanges(["--refresh"]);
    expect(converged.code, converged.stdout).toBe(0);
  });

  it("undeclared, following every message mailform prints: every live object keeps its id", async () => {
    const ids = await liveIds();
    project.writeStack(renamed({ declared: false }));

    // The plan pairs each delete with the create of the same name and says how to declare it.
    const plan = await project.mailform(["plan"]);
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toContain("probable rename");
    expect(plan.stdout).toContain("`movedFrom: demo` on `mailtrap.projects.demo-main`");
    expect(plan.stdout).toContain("`movedFrom: welcome` on `sendgrid.templates.welcome-email`");
    expect(plan.stdout).toContain("`movedFrom: ci` on `mailjet.apiKeys.ci-key`");

    // `up` refuses to make a second object; the user takes each message's advice to adopt, entry
    // by entry, as each error names it.
    const adopt = new Set<string>();
    const refusals: string[] = [];
    let last = "";
    for (let attempt = 0; attempt < 6; attempt++) {
      project.writeStack(renamed({ declared: false, adopt }));
      const up = await project.run(["up", "--yes", "--skip-preview"]);
      last = up.stdout + up.stderr;
      expect(await liveIds(), `live objects after up #${attempt + 1}:\n${last}`).toEqual(ids);
      if (up.code === 0) break;
      refusals.push(last);
      for (const [what, re] of [
        ["project", /Mailtrap project: one already exists/],
        ["qa", /Mailtrap inbox: one already exists with name "QA"/],
        ["staging", /Mailtrap inbox: one already exists with name "Staging"/],
        ["template", /SendGrid template: one already exists/],
        ["apiKey", /Mailjet API key: one already exists/],
      ] as const)
        if (re.test(last)) adopt.add(what);
    }
    expect(adopt).toEqual(new Set(["project", "qa", "staging", "template", "apiKey"]));
    const converged = await project.previewNoChanges(["--refresh"]);
    expect(converged.code, converged.stdout).toBe(0);
    // Each refusal named the rename first; the deletes of the old entries were skipped, saying so.
    for (const refusal of refusals) expect(refusal).toContain("declare the rename on this entry (`movedFrom: <old key>`)");
    expect(last).toMatch(/Mailtrap project id \d+ \(name "mailform demo"\) was not deleted: another resource of this stack holds it/);
    expect(last).toMatch(/Mailjet API key id \d+ .* was not deleted/);
  });
});

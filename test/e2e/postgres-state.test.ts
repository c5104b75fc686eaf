/**
 * Team state in PostgreSQL: the pinned CLI's own `postgres://` backend against a real PostgreSQL
 * server started for this suite. The life cycle (up, drift preview, repair, destroy); two `up` of
 * one stack at once (the stack lock lets at most one apply, no duplicate, state intact); and a
 * kill -9 of the CLI mid-`up`, recovered by the documented commands (docs/ci/README.md).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { pulumi } from "../../engine/pulumi";
import { useEmulators } from "../support/emulators";
import { TestProject, emulatedVendors } from "../support/project";
import { findPostgresBin, POSTGRES_MISSING, startPostgres, type RunningPostgres } from "../support/postgres";

const creds = DEFAULT_CREDENTIALS;

/** Pids whose working directory is `dir` (Linux /proc). */
function processesIn(dir: string): number[] {
  return fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p)).flatMap((p) => {
    try {
      return fs.readlinkSync(`/proc/${p}/cwd`) === dir && Number(p) !== process.pid ? [Number(p)] : [];
    } catch {
      return [];
    }
  });
}
const hasPostgres = findPostgresBin() !== undefined;
if (!hasPostgres) console.warn(`postgres-state tests skipped: ${POSTGRES_MISSING}`);

const stackYaml = (projectName: string) => `mailtrap:
  projects:
    staging:
      name: ${projectName}
      inboxes:
        qa: { name: QA }
        dev: { name: Dev }
sendgrid:
  templates:
    welcome:
      name: Welcome
      generation: dynamic
mailjet:
  templates:
    receipt:
      name: Receipt
      ownerType: apikey
      purposes: [transactional]
`;

describe.skipIf(!hasPostgres)("state in a real PostgreSQL (pulumi login postgres://)", () => {
  const ctx = useEmulators(() => ({}));
  let pg: RunningPostgres;
  let project: TestProject;

  beforeAll(async () => {
    pg = await startPostgres();
    project = await TestProject.create({
      backendUrl: pg.url,
      extraEnv: { PGPASSWORD: pg.password },
      endpoints: emulatedVendors(ctx.emu.urls),
    });
  });

  afterAll(() => {
    project?.remove();
    pg?.stop();
  });

  /** Every stored object per vendor collection, to count duplicates. */
  async function liveNames() {
    const names = async (vendor: "mailtrap" | "sendgrid" | "mailjet", collection: string) =>
      (await ctx.admin.listObjects<{ name: string }>(vendor, collection)).map((o) => o.name).sort();
    return {
      projects: await names("mailtrap", "projects"),
      inboxes: await names("mailtrap", "sandboxes"),
      sendgrid: await names("sendgrid", "templates"),
      mailjet: (await ctx.admin.listObjects<{ Name: string }>("mailjet", "template")).map((o) => o.Name).sort(),
    };
  }
  const converged = (projectName: string) => ({ projects: [projectName], inboxes: ["Dev", "QA"], sendgrid: ["Welcome"], mailjet: ["Receipt"] });

  it("keeps the stack's state in the database, not on disk, with no credential in it", async () => {
    // `pulumi login postgres://…` as the guide says (the commands below also get it as PULUMI_BACKEND_URL).
    const cli = (args: string[]) => pulumi(args, { cwd: project.dir, env: project.env });
    const login = await cli(["login", pg.url]);
    expect(login.code, login.stdout + login.stderr).toBe(0);
    const whoami = await cli(["whoami", "--verbose"]);
    expect(whoami.stdout).toContain(`Backend URL: ${pg.url}`);
    expect(login.stdout + login.stderr + whoami.stdout).not.toContain(pg.password);
    project.writeStack(stackYaml("Staging"));
    await project.up();
    expect(await liveNames()).toEqual(converged("Staging"));
    const keys = pg.sql("SELECT key FROM pulumi_state ORDER BY key").split("\n");
    expect(keys.filter((k) => k.endsWith("/.pulumi/stacks/mailform/e2e.json")), keys.join("\n")).toHaveLength(1);
    expect(fs.existsSync(path.join(project.dir, ".state")), "no file:// state folder").toBe(false);
    const stored = pg.sql("SELECT data::text FROM pulumi_state");
    expect(stored).not.toContain(creds.mailtrap.apiToken);
    expect(stored).not.toContain(creds.sendgrid.apiKey);
    expect(stored).not.toContain(creds.mailjet.secretKey);
    const state = await project.exportState();
    expect(state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length).toBe(5);
  });

  it("previews drift from the state in postgres and repairs it", async () => {
    const [live] = await ctx.admin.listObjects<{ id: number }>("mailtrap", "projects");
    await ctx.admin.patchObject("mailtrap", "projects", live.id, { name: "Renamed in the web UI" });
    const drift = await project.previewNoChanges(["--refresh"]);
    expect(drift.code).not.toBe(0);
    expect(drift.stdout).toMatch(/name\s*:\s*"Renamed in the web UI"\s*=>\s*"Staging"/);
    await project.up(["--refresh"]);
    expect(await liveNames()).toEqual(converged("Staging"));
    const after = await project.previewNoChanges(["--refresh"]);
    expect(after.code, after.stdout).toBe(0);
  });

  it("two `up` of one stack at once: at most one applies, the other fails on the lock; no duplicate, state intact", async () => {
    project.writeStack(stackYaml("Staging EU"));
    const [a, b] = await Promise.all([project.run(["up", "--yes", "--skip-preview"]), project.run(["up", "--yes", "--skip-preview"])]);
    const results = [a, b];
    const applied = results.filter((r) => r.code === 0);
    const refused = results.filter((r) => r.code !== 0);
    expect(applied.length, results.map((r) => r.stdout + r.stderr).join("\n----\n")).toBeLessThanOrEqual(1);
    for (const r of refused) {
      expect(r.stdout + r.stderr).toMatch(/the stack is currently locked/);
      expect(r.stdout + r.stderr).not.toContain(pg.password);
    }
    console.log(`concurrent up: ${applied.length} applied, ${refused.length} refused on the lock`);
    // Both may lose the race (each sees the other's lock); a later `up` then applies.
    if (applied.length === 0) await project.up();
    expect(await liveNames()).toEqual(converged("Staging EU"));
    const after = await project.previewNoChanges(["--refresh"]);
    expect(after.code, after.stdout).toBe(0);
    expect(pg.sql("SELECT count(*) FROM pulumi_state WHERE key LIKE '.pulumi/locks/%'")).toBe("0");
  });

  it("recovers from a kill -9 of the CLI mid-`up` by the documented commands, without a duplicate", async () => {
    project.writeStack(stackYaml("Staging EU").replace("        dev: { name: Dev }\n", "        dev: { name: Dev }\n        ops: { name: Ops }\n"));
    // The new inbox's create answers slowly, so the kill lands while it is in flight.
    await ctx.admin.addFault({ vendor: "mailtrap", route: "POST /api/projects/{project_id}/sandboxes", kind: "latency", latencyMs: 4000, rate: 1, count: 1 });
    const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--non-interactive", "--stack", project.stack], {
      cwd: project.dir,
      env: project.env,
      detached: true,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    try {
      const deadline = Date.now() + 120_000;
      while ((await ctx.admin.faults()).every((f) => f.fired === 0)) {
        if (Date.now() > deadline) throw new Error("the inbox create never started");
        await new Promise((r) => setTimeout(r, 100));
      }
      process.kill(child.pid!, "SIGKILL");
      await exited;
    } finally {
      // kill -9 leaves the CLI's children (language host, program, providers; some in process groups
      // of their own) running: stop every process still working in this test's project directory.
      for (const pid of processesIn(project.dir)) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // already gone
        }
      }
      await ctx.admin.clearFaults();
    }
    await new Promise((r) => setTimeout(r, 4500)); // the delayed create completes in the emulator

    const locked = await project.run(["up", "--yes", "--skip-preview"]);
    expect(locked.code).not.toBe(0);
    expect(locked.stdout + locked.stderr).toMatch(/the stack is currently locked/);

    // The killed run had created the inbox without recording it: the one documented command.
    const recovered = await project.mailform(["recover"]);
    expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0);
    const names = await liveNames();
    expect(names.inboxes).toEqual(["Dev", "Ops", "QA"]);
    expect(names).toEqual({ ...converged("Staging EU"), inboxes: ["Dev", "Ops", "QA"] });
    const after = await project.previewNoChanges(["--refresh"]);
    expect(after.code, after.stdout).toBe(0);
  });

  it("destroys everything with the state in postgres", async () => {
    await project.destroy();
    expect(await liveNames()).toEqual({ projects: [], inboxes: [], sendgrid: [], mailjet: [] });
    const state = await project.exportState();
    expect(state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"))).toEqual([]);
  });
});

/**
 * `pulumi up` killed as a CI timeout kills it (SIGKILL to the whole process group) at ten seeded
 * moments after its first vendor write, each while it replaces one batch of objects with the next
 * (creates and deletes on all three vendors, each call slowed to 250 ms). After each kill the provider stops calling the vendors, and the one documented
 * command, `mailform recover`, leaves the stack converged: the accounts hold exactly the declared
 * objects (no duplicate, no orphan, no leftover of the old batch) and a preview shows no change.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { mulberry32 } from "../../emulators/core/prng";
import { TestProject, emulatedVendors } from "../support/project";

const KILLS = 10;

/** Processes whose working directory is `dir` (the engine runs the program and providers there). */
function processesIn(dir: string): string[] {
  return fs.readdirSync("/proc").filter((pid) => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return fs.readlinkSync(`/proc/${pid}/cwd`) === dir;
    } catch {
      return false; // gone, or not ours to read
    }
  }).map((pid) => `${pid}: ${fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").slice(0, 120)}`);
}

/** Batch `b` of objects: 13 resources across the vendors, named after the batch. */
function batch(b: number): Record<string, unknown> {
  return {
    mailtrap: {
      projects: {
        [`a${b}`]: { name: `Batch ${b} A`, inboxes: { qa: { name: "QA", emailUsername: `qa-${b}` }, dev: { name: "Dev" } } },
        [`b${b}`]: { name: `Batch ${b} B`, inboxes: { qa: { name: "QA" }, dev: { name: "Dev" } } },
      },
      emailTemplates: { [`w${b}`]: { name: `Welcome ${b}`, category: "c", subject: "s" }, [`r${b}`]: { name: `Reset ${b}`, category: "c", subject: "s" } },
      apiTokens: { [`ci${b}`]: { name: `CI ${b}`, permissions: [{ project: `a${b}`, access: "viewer" }] } },
    },
    sendgrid: { apiKeys: { [`k${b}`]: { name: `Key ${b}`, scopes: ["mail.send"] }, [`l${b}`]: { name: `Other ${b}` } } },
    mailjet: { templates: { [`t${b}`]: { name: `Receipt ${b}`, content: { html: "<p>x</p>" } }, [`u${b}`]: { name: `Invoice ${b}` } } },
  };
}

describe("an interrupted up is recovered by one command", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  const random = mulberry32(8);

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: emulatedVendors(emu.urls) });
    project.writeStack(stringify(batch(0)));
    await project.up();
    // Every vendor call takes a moment, as over a real network, so a run lasts long enough for
    // the kills to land in the middle of its creates and deletes.
    for (const vendor of ["mailtrap", "sendgrid", "mailjet"] as const) await admin.addFault({ vendor, kind: "latency", latencyMs: 250, rate: 1 });
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  /** The names in the accounts, per collection, sorted (the accounts' own keys left out). */
  async function live(): Promise<Record<string, string[]>> {
    const list = async (vendor: "mailtrap" | "sendgrid" | "mailjet", collection: string, name: (o: Record<string, unknown>) => string | undefined) =>
      (await admin.listObjects<Record<string, unknown>>(vendor, collection)).map(name).filter((n): n is string => n !== undefined).sort();
    const projects = new Map((await admin.listObjects<{ id: number; name: string }>("mailtrap", "projects")).map((p) => [p.id, p.name]));
    return {
      projects: [...projects.values()].sort(),
      inboxes: await list("mailtrap", "sandboxes", (s) => `${projects.get(s.project_id as number)}/${s.name}`),
      emailTemplates: await list("mailtrap", "email_templates", (t) => String(t.name)),
      tokens: await list("mailtrap", "api_tokens", (t) => (String(t.name).startsWith("CI ") ? String(t.name) : undefined)),
      sendgridKeys: await list("sendgrid", "api_keys", (k) => (/^(Key|Other) /.test(String(k.name)) ? String(k.name) : undefined)),
      mailjetTemplates: await list("mailjet", "template", (t) => String(t.Name)),
    };
  }

  function declared(b: number): Record<string, string[]> {
    return {
      projects: [`Batch ${b} A`, `Batch ${b} B`],
      inboxes: [`Batch ${b} A/Dev`, `Batch ${b} A/QA`, `Batch ${b} B/Dev`, `Batch ${b} B/QA`],
      emailTemplates: [`Reset ${b}`, `Welcome ${b}`],
      tokens: [`CI ${b}`],
      sendgridKeys: [`Key ${b}`, `Other ${b}`],
      mailjetTemplates: [`Invoice ${b}`, `Receipt ${b}`],
    };
  }

  /** Vendor writes seen by the emulators so far. */
  const writes = async () => (await admin.requestCounts()).filter((e) => e.method !== "GET").reduce((n, e) => n + e.count, 0);

  /**
   * Starts `pulumi up` in a process group of its own and kills the whole group `ms` after its first
   * vendor write (so every kill lands while the run changes the accounts; at `ms` = 0, right then).
   */
  async function upKilledAfter(ms: number): Promise<string> {
    const before = await writes();
    const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", project.stack, "--non-interactive"], {
      cwd: project.dir,
      env: project.env,
      detached: true,
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d));
    child.stderr.on("data", (d: Buffer) => (output += d));
    let done = false;
    const exited = new Promise((resolve) => child.on("close", resolve)).then(() => (done = true));
    while (!done && (await writes()) === before) await new Promise((r) => setTimeout(r, 20));
    await Promise.race([new Promise((r) => setTimeout(r, ms)), exited]);
    try {
      process.kill(-child.pid!, "SIGKILL");
    } catch {
      // already finished
    }
    await exited;
    return output;
  }

  const recover = async () => {
    const r = await project.mailform(["recover"]);
    return { code: r.code, output: r.stdout + r.stderr };
  };

  /** The file backend's checkpoint of the stack. */
  const checkpoint = () => path.join(project.dir, ".state", ".pulumi", "stacks", "mailform", `${project.stack}.json`);

  it.each([
    ["an empty .attrs file beside the checkpoint", () => fs.writeFileSync(`${checkpoint()}.attrs`, "")],
    ["a checkpoint cut short", () => fs.writeFileSync(checkpoint(), fs.readFileSync(checkpoint(), "utf8").slice(0, 200))],
  ])("a stack left unloadable by %s, and locked by a dead process, is recovered", async (_what, damage) => {
    damage();
    const lockDir = path.join(project.dir, ".state", ".pulumi", "locks", "organization", "mailform", project.stack);
    fs.mkdirSync(lockDir, { recursive: true });
    // A lock held by a process that no longer exists (pid 2^22 + 1 is above Linux's pid_max).
    fs.writeFileSync(path.join(lockDir, "dead.json"), JSON.stringify({ pid: 4194305, username: "ci", hostname: os.hostname(), timestamp: new Date().toISOString() }));
    const broken = await project.run(["preview"]);
    expect(broken.code).not.toBe(0);
    const result = await recover();
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/removed the lock/);
    const preview = await project.previewNoChanges(["--refresh"]);
    expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0);
    expect(await live()).toEqual(declared(currentBatch));
  }, 300_000);

  it("refuses to touch a stack whose lock is held by a running process", async () => {
    const lockDir = path.join(project.dir, ".state", ".pulumi", "locks", "organization", "mailform", project.stack);
    fs.mkdirSync(lockDir, { recursive: true });
    const lock = path.join(lockDir, "alive.json");
    fs.writeFileSync(lock, JSON.stringify({ pid: process.pid, username: "ci", hostname: os.hostname(), timestamp: new Date().toISOString() }));
    const result = await recover();
    expect(result.code).toBe(1);
    expect(result.output).toContain(`is still running (pid ${process.pid})`);
    fs.rmSync(lock);
  });

  let currentBatch = 0;
  for (let k = 1; k <= KILLS; k++) {
    it(`kill ${k} of ${KILLS}: recovered and converged`, async () => {
      const ms = Math.floor(random() * 1500);
      project.writeStack(stringify(batch(k)));
      currentBatch = k;
      await upKilledAfter(ms);

      // The provider stops with the engine: no vendor call a moment after the kill.
      await new Promise((r) => setTimeout(r, 1000));
      const settled = (await admin.requestSummary()).entries.reduce((n, e) => n + e.count, 0);
      await new Promise((r) => setTimeout(r, 1500));
      const later = (await admin.requestSummary()).entries.reduce((n, e) => n + e.count, 0);
      expect(later, `vendor calls after the kill at ${ms} ms`).toBe(settled);
      expect(processesIn(project.dir), `processes left running after the kill at ${ms} ms`).toEqual([]);

      // Where the kill left things, for the log: how far the batch got, what the engine had recorded.
      const before = Object.values(await live()).flat();
      const made = Object.values(declared(k)).flat().filter((n) => before.includes(n)).length;
      const left = Object.values(declared(k - 1)).flat().filter((n) => before.includes(n)).length;

      const result = await recover();
      const pending = (result.output.match(/clearing pending/g) ?? []).length;
      console.log(`kill ${k} ${ms} ms after the first write: ${made}/13 new and ${left}/13 old objects live, ${pending} pending operations recorded; recover exit ${result.code}`);
      expect(result.code, `kill at ${ms} ms\n${result.output}`).toBe(0);
      expect(await live(), `kill at ${ms} ms\n${result.output}`).toEqual(declared(k));
      const preview = await project.previewNoChanges();
      expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0);
      // Every shown-once secret of the batch is readable in the stack outputs.
      const outputs = (await project.outputs(true)) as { resources: Record<string, unknown> };
      expect(outputs.resources[`mailtrap.apiTokens.ci${k}.token`]).toMatch(/^[0-9a-f]{32}$/);
      expect(outputs.resources[`sendgrid.apiKeys.k${k}.apiKey`]).toMatch(/^SG\./);
    }, 300_000);
  }
});

/**
 * A killed run stops calling the vendors whichever launcher ran the dynamic provider. Here it is
 * the SDK's own `pulumi-resource-pulumi-nodejs` (what `pulumi/actions` installs: a shell that runs
 * node as its child, with no watchdog), first on PATH instead of mailform's. Only the engine is
 * killed (kill -9 of the `pulumi` process, not its process group), in the middle of an `up` whose
 * every vendor call takes a second and is paced to two a second per vendor (as a plan's rate limit
 * paces a large run): the launcher shell outlives it, so the provider's own watchdog
 * (providers/watchdog.cjs) must end it. After a grace period (watchdog period + the calls already
 * sent, answered a latency later) the emulators' request counters must stop moving and no provider
 * process may be left.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { PROJECT_ROOT } from "../../engine/pulumi";
import { TestProject, emulatedVendors } from "../support/project";

const LATENCY_MS = 1000;
/** Watchdog period (1 s) + one latency for the calls already sent + a margin. */
const GRACE_MS = 1000 + LATENCY_MS + 1500;
const WATCH_MS = 6000;

interface Proc {
  pid: number;
  ppid: number;
  args: string;
}

/** Processes whose working directory is `dir` (the engine runs the program and providers there). */
function processesIn(dir: string): Proc[] {
  return fs.readdirSync("/proc").flatMap((pid) => {
    if (!/^\d+$/.test(pid)) return [];
    try {
      if (fs.readlinkSync(`/proc/${pid}/cwd`) !== dir) return [];
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      return [{ pid: Number(pid), ppid, args: fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ").trim() }];
    } catch {
      return []; // gone, or not ours to read
    }
  });
}
const providers = (dir: string) => processesIn(dir).filter((p) => p.args.includes("dynamic-provider"));

/** 24 objects whose creates take two or more calls each (a list, the create, a version or content). */
function stack(): Record<string, unknown> {
  const n = [1, 2, 3, 4, 5, 6];
  return {
    mailtrap: { emailTemplates: Object.fromEntries(n.map((i) => [`w${i}`, { name: `Welcome ${i}`, category: "c", subject: "s" }])) },
    sendgrid: {
      apiKeys: Object.fromEntries(n.map((i) => [`k${i}`, { name: `Key ${i}`, scopes: ["mail.send"] }])),
      templates: Object.fromEntries(n.map((i) => [`t${i}`, { name: `Template ${i}`, generation: "dynamic", versions: { v1: { name: "v1", subject: "s", html: "<p>x</p>", active: true } } }])),
    },
    mailjet: { templates: Object.fromEntries(n.map((i) => [`r${i}`, { name: `Receipt ${i}`, content: { html: "<p>x</p>" } }])) },
  };
}

describe("a killed engine's provider stops, with the SDK's standard launcher", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;
  let launcherDir: string;

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: emulatedVendors(emu.urls) });
    // The SDK's launcher, first on PATH: the engine prefers a plugin on PATH to the one beside it.
    launcherDir = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-sdk-launcher-"));
    fs.symlinkSync(
      path.join(PROJECT_ROOT, "node_modules", "@pulumi", "pulumi", "pulumi-resource-pulumi-nodejs"),
      path.join(launcherDir, "pulumi-resource-pulumi-nodejs"),
    );
  });

  afterAll(async () => {
    for (const p of project ? processesIn(project.dir) : []) {
      try {
        process.kill(p.pid, "SIGKILL"); // only what this test's run left in its own project
      } catch {
        // gone meanwhile
      }
    }
    project?.remove();
    if (launcherDir) fs.rmSync(launcherDir, { recursive: true, force: true });
    await emu?.close();
  });

  const total = async () => (await admin.requestSummary()).total;

  it("kill -9 of the engine mid-up: no vendor call after the grace period, no provider process left", async () => {
    project.writeStack(stringify(stack()));
    // Paced to two calls a second per vendor, as a plan's rate limit paces a large run: the creates
    // in flight at the kill would go on for many seconds.
    for (const vendor of ["mailtrap", "sendgrid", "mailjet"]) await project.config(`${vendor}RateLimit`, "2/1s");
    for (const vendor of ["mailtrap", "sendgrid", "mailjet"] as const) await admin.addFault({ vendor, kind: "latency", latencyMs: LATENCY_MS, rate: 1 });
    const env = { ...project.env, PATH: `${launcherDir}${path.delimiter}${project.env.PATH}` };
    const engine = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", project.stack, "--non-interactive"], { cwd: project.dir, env, detached: true });
    let output = "";
    engine.stdout.on("data", (d: Buffer) => (output += d));
    engine.stderr.on("data", (d: Buffer) => (output += d));
    const exited = new Promise((resolve) => engine.on("close", resolve));

    // Mid-run: the first calls are answered (a latency after the first listing went out) and
    // creates are on their way.
    const deadline = Date.now() + 60_000;
    while ((await total()) === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    const during = providers(project.dir);
    // The provider really runs under the SDK's launcher: its parent is the shell running it.
    expect(during.length, output).toBeGreaterThan(0);
    for (const p of during) {
      const parent = fs.readFileSync(`/proc/${p.ppid}/cmdline`, "utf8");
      expect(parent, "the provider's parent").toContain(path.join(launcherDir, "pulumi-resource-pulumi-nodejs"));
    }

    const atKill = await total();
    process.kill(engine.pid!, "SIGKILL"); // the engine alone, as a kill -9 of the CLI
    const killedAt = Date.now();
    await exited;

    // Calls answered over time after the kill.
    const timeline: { ms: number; calls: number }[] = [];
    while (Date.now() - killedAt < GRACE_MS + WATCH_MS) {
      await new Promise((r) => setTimeout(r, 250));
      timeline.push({ ms: Date.now() - killedAt, calls: (await total()) - atKill });
    }
    const afterGrace = timeline.filter((t) => t.ms >= GRACE_MS);
    const late = afterGrace.at(-1)!.calls - afterGrace[0]!.calls;
    const lastChange = timeline.reduce((ms, t, i) => (i > 0 && t.calls !== timeline[i - 1]!.calls ? t.ms : ms), 0);
    console.log(
      `standard launcher: ${timeline.at(-1)!.calls} calls answered after the kill, ${late} of them between ${GRACE_MS} ms and ${afterGrace.at(-1)!.ms} ms; ` +
        `last change at ${lastChange} ms; provider processes left: ${providers(project.dir).length}`,
    );
    expect(late, `vendor calls answered after the grace period (timeline ${JSON.stringify(timeline)})`).toBe(0);
    expect(providers(project.dir), "provider processes left after the kill").toEqual([]);
  }, 180_000);
});

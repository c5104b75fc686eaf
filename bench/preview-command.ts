/**
 * Benchmark: the whole `mailform preview --stack <s> --no-screenshots` of 200 changed templates (a
 * third of each vendor's template kind, bench/preview-templates.ts) against the emulators: the
 * engine's `preview --refresh --run-program --json` (program, refresh of every template through
 * the providers, diff), then the report (bench/preview.ts times that part alone). The templates
 * are created by an `up` first (not timed), then every one is changed in the stack file. Prints
 * the command's wall and CPU time, the engine preview's alone (the same `pulumi` invocation the
 * command makes, run on its own), and the vendor calls of the command (the emulators' counters)
 * against each vendor's documented limit per window. Target: < 10 s on 2 cores.
 *
 * The timed runs follow each other and the set-up within a minute, so the emulators enforce no
 * rate limit and mailform paces to none there (as `npm run bench` does): at the documented
 * limits, back-to-back runs would wait for windows the earlier runs spent. The command's calls
 * are checked to fit in one window of each vendor, so a single preview in a fresh window waits
 * for none.
 *
 *   npm run bench:preview:command [-- --count 200 --runs 3]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { startEmulators } from "../emulators";
import { AdminClient } from "../emulators/admin-client";
import { PROJECT_ROOT } from "../engine/pulumi";
import { TestProject, emulatedVendors } from "../test/support/project";
import { MAILJET_RATE_LIMIT } from "../emulators/mailjet";
import { MAILTRAP_RATE_LIMIT } from "../emulators/mailtrap";
import { SENDGRID_RATE_LIMIT } from "../emulators/sendgrid";
import { measure, UNPACED, type Measured } from "./measure";
import { benchTemplate, SAMPLE_DATA } from "./preview-templates";

const TARGET_SECONDS = 10;
const arg = (name: string, fallback: number) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const COUNT = arg("--count", 200);
const RUNS = arg("--runs", 3);

/** The stack file with every template at `marker`. */
function stackFile(marker: string): string {
  const doc: Record<string, Record<string, Record<string, unknown>>> = {};
  for (let i = 0; i < COUNT; i++) {
    const t = benchTemplate(i, marker);
    // Sample data is an option of Mailtrap's and Mailjet's entries (SendGrid's is testData, a field).
    const entry = t.vendor === "sendgrid" ? t.fields : { ...t.fields, sampleData: SAMPLE_DATA };
    ((doc[t.vendor] ??= {})[t.collection] ??= {})[t.key] = entry;
  }
  return stringify(doc, { lineWidth: 0 });
}

const MAILFORM = [process.execPath, path.join(PROJECT_ROOT, "cli", "mailform.cjs")];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<number> {
  const emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
  const admin = new AdminClient(emu.urls.admin);
  const project = await TestProject.create({ stack: "bench", endpoints: emulatedVendors(emu.urls) });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-bench-preview-command-"));
  try {
    await admin.setRateLimits({ enabled: false });
    const env = { ...project.env, ...UNPACED };
    project.writeStack(stackFile("old"));
    const setup = await measure(project.dir, env, project.stack, ["up", "--yes", "--skip-preview"]);
    if (!setup.ok) throw new Error(`set-up up failed\n${setup.output}`);
    console.log(`set-up: up of ${COUNT} templates in ${setup.seconds.toFixed(1)} s (not part of the figure)`);
    project.writeStack(stackFile("new"));
    const whole: Measured[] = [];
    const engine: Measured[] = [];
    let calls: { vendor: string; method: string; route: string; count: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      await admin.resetRequestCounts();
      const run = await measure(project.dir, env, project.stack, ["preview", "--out", out, "--no-screenshots"], MAILFORM);
      if (!run.ok) throw new Error(`mailform preview failed\n${run.output}`);
      if (!run.output.includes(`${COUNT} changed templates`)) throw new Error(`expected ${COUNT} changed templates: ${run.output}`);
      whole.push(run);
      calls = await admin.requestCounts();
      // The engine preview as the command runs it (cli/preview.ts runPreview), alone.
      engine.push(await measure(project.dir, env, project.stack, ["preview", "--json", "--refresh", "--run-program"]));
    }
    const total = median(whole.map((m) => m.seconds));
    const eng = median(engine.map((m) => m.seconds));
    const [cpu, engCpu] = [median(whole.map((m) => m.cpuSeconds)), median(engine.map((m) => m.cpuSeconds))];
    const perVendor = new Map<string, number>();
    for (const c of calls) perVendor.set(c.vendor, (perVendor.get(c.vendor) ?? 0) + c.count);
    const writes = calls.filter((c) => c.method !== "GET").reduce((n, c) => n + c.count, 0);
    console.log(`mailform preview --stack bench --no-screenshots: ${COUNT} changed templates, median of ${RUNS} runs`);
    console.log(`  wall ${total.toFixed(2)} s (runs ${whole.map((m) => m.seconds.toFixed(2)).join(", ")}; target < ${TARGET_SECONDS} s), CPU ${cpu.toFixed(2)} s`);
    console.log(
      `  engine preview --refresh alone: wall ${eng.toFixed(2)} s (runs ${engine.map((m) => m.seconds.toFixed(2)).join(", ")}), CPU ${engCpu.toFixed(2)} s: ` +
        `${((100 * eng) / total).toFixed(0)}% of the command's wall time, ${((100 * engCpu) / cpu).toFixed(0)}% of its CPU`,
    );
    const limits: Record<string, { limit: number; windowMs: number }> = { mailtrap: MAILTRAP_RATE_LIMIT, sendgrid: SENDGRID_RATE_LIMIT, mailjet: MAILJET_RATE_LIMIT };
    const fits = [...perVendor].every(([v, n]) => n <= limits[v]!.limit);
    console.log(
      `  vendor calls of one command: ${[...perVendor].map(([v, n]) => `${v} ${n} (documented limit ${limits[v]!.limit} per ${limits[v]!.windowMs / 1000} s)`).join(", ")}; writes ${writes}` +
        `; ${fits ? "each vendor's fit in one window" : "MORE than one window: pacing adds waits"}`,
    );
    for (const c of calls.sort((a, b) => b.count - a.count)) console.log(`    ${c.vendor} ${c.method} ${c.route}: ${c.count}`);
    console.log(`  load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores`);
    return writes === 0 && fits && total < TARGET_SECONDS ? 0 : 1;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
    project.remove();
    await emu.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);

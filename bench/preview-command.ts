/**
 * Benchmark: the whole `mailform preview --stack <s> --no-screenshots` of 200 changed templates (a
 * third of each vendor's template kind, bench/preview-templates.ts) against the emulators, with
 * their documented rate limits and mailform's default pacing: the engine's `preview --refresh
 * --run-program --json` (program, refresh of every template through the providers, diff), then
 * the report (bench/preview.ts times that part alone). The templates are created by an `up`
 * first (not timed), then every one is changed in the stack file. Prints the command's wall time,
 * the engine preview's alone (the same `pulumi` invocation the command makes, run on its own),
 * and the vendor calls of the command (the emulators' counters). Target: < 10 s on 2 cores.
 *
 *   npm run bench:preview:command [-- --count 200 --runs 3]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { startEmulators } from "../emulators";
import { AdminClient } from "../emulators/admin-client";
import { TestProject, emulatedVendors } from "../test/support/project";
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

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const seconds = async (f: () => Promise<unknown>) => {
  const start = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - start) / 1e9;
};

async function main(): Promise<number> {
  const emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
  const admin = new AdminClient(emu.urls.admin);
  const project = await TestProject.create({ stack: "bench", endpoints: emulatedVendors(emu.urls) });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-bench-preview-command-"));
  try {
    project.writeStack(stackFile("old"));
    const setup = await seconds(() => project.up());
    console.log(`set-up: up of ${COUNT} templates in ${setup.toFixed(1)} s (not part of the figure)`);
    project.writeStack(stackFile("new"));

    const whole: number[] = [];
    const engine: number[] = [];
    let calls: { vendor: string; method: string; route: string; count: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      await admin.resetRequestCounts();
      let printed = "";
      whole.push(
        await seconds(async () => {
          const res = await project.mailform(["preview", "--out", out, "--no-screenshots"]);
          if (res.code !== 0) throw new Error(`mailform preview exited ${res.code}\n${res.stdout}\n${res.stderr}`);
          printed = res.stdout;
        }),
      );
      if (!printed.includes(`${COUNT} changed templates`)) throw new Error(`expected ${COUNT} changed templates: ${printed}`);
      calls = await admin.requestCounts();
      // The engine preview as the command runs it (cli/preview.ts runPreview), alone.
      engine.push(await seconds(() => project.run(["preview", "--json", "--refresh", "--run-program"])));
    }
    const total = median(whole);
    const eng = median(engine);
    const perVendor = new Map<string, number>();
    for (const c of calls) perVendor.set(c.vendor, (perVendor.get(c.vendor) ?? 0) + c.count);
    const writes = calls.filter((c) => c.method !== "GET").reduce((n, c) => n + c.count, 0);
    console.log(`mailform preview --stack bench --no-screenshots: ${COUNT} changed templates, median of ${RUNS} runs`);
    console.log(`  wall ${total.toFixed(2)} s (runs ${whole.map((s) => s.toFixed(2)).join(", ")}; target < ${TARGET_SECONDS} s)`);
    console.log(`  engine preview --refresh alone ${eng.toFixed(2)} s (runs ${engine.map((s) => s.toFixed(2)).join(", ")}): ${((100 * eng) / total).toFixed(0)}% of the command`);
    console.log(`  vendor calls of one command: ${[...perVendor].map(([v, n]) => `${v} ${n}`).join(", ")}; writes ${writes}`);
    for (const c of calls.sort((a, b) => b.count - a.count)) console.log(`    ${c.vendor} ${c.method} ${c.route}: ${c.count}`);
    console.log(`  load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores`);
    return writes === 0 && total < TARGET_SECONDS ? 0 : 1;
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

/**
 * Benchmark: mailform against the engine's lean floor (bench/floor/: a no-op dynamic provider
 * registering the same resources on the same engine, with a one-line provider module and no
 * per-promise stack traces, as mailform registers its own), for N mixed resources across the three vendors
 * (bench/mixed-stack.ts), through the real Pulumi CLI against the emulators.
 *
 * For each N, R interleaved runs (floor, then mailform, operation by operation) of: up from empty,
 * no-op preview, preview --refresh, refresh, `mailform drift` (mailform only), destroy. Prints medians of wall time for both, their
 * ratio (always against the floor measured in the same run), their CPU seconds (the CLI and its
 * plugins; steadier than wall time on a shared machine) and that ratio, the vendor calls per operation (the
 * emulators' admin counters; the emulators enforce no rate limit there, and mailform's pacing is
 * `off` through its rate-limit settings), the peak resident memory of the largest process (GNU time's maxrss
 * over the CLI and its plugins), and state bytes per resource. Then, with the emulators' documented
 * rate limits on, mailform's `up` against the bound max(floor's up, calls / documented rate), and
 * against the lower bound a fixed window allows (it starts full, so small stacks can beat calls/rate).
 * Last, once, the runs of bench/rate-windows.ts at those limits: a drift check of 1,000 mixed
 * resources (`--drift-count`) in one window per vendor, and one SendGrid credential shared by two
 * concurrent ups, and by an up and the preview --refresh right after it.
 *
 *   npx tsx bench/apply.ts [--count 50 --count 200 | --count 50,200,500] [--runs 3] [--no-rate-limits] [--drift-count 1000]
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startEmulators, type RunningEmulators } from "../emulators";
import { AdminClient, type RequestCountEntry } from "../emulators/admin-client";
import { engineEnv, pulumi, PROJECT_ROOT } from "../engine/pulumi";
import { TestProject, emulatedVendors } from "../test/support/project";
import { measure, measureMailform, UNPACED, type Measured } from "./measure";
import { mixedStack, type FloorResource } from "./mixed-stack";
import { driftAtLimits, sharedCredential } from "./rate-windows";
import { callsSince, fmtCalls, LIMITS, median, medianCalls, printTable, RATES, totalCalls, VENDORS, type Calls } from "./vendors";

/** The operations timed for both, in order; `mailform` ones have no floor counterpart. */
const OPERATIONS: readonly { name: string; args: readonly string[]; mailform?: true }[] = [
  { name: "up (from empty)", args: ["up", "--yes", "--skip-preview"] },
  { name: "preview (no-op)", args: ["preview", "--expect-no-changes"] },
  { name: "preview --refresh", args: ["preview", "--refresh", "--expect-no-changes"] },
  { name: "refresh", args: ["refresh", "--yes", "--skip-preview"] },
  { name: "mailform drift", args: ["drift"], mailform: true },
  { name: "destroy", args: ["destroy", "--yes", "--skip-preview"] },
];
const UP = 0;
const DESTROY = OPERATIONS.length - 1;

function flags(): { counts: number[]; runs: number; rateLimited: boolean; driftCount: number } {
  const argv = process.argv.slice(2);
  const counts = argv.flatMap((a, i) => (a === "--count" ? argv[i + 1].split(",").map(Number) : []));
  const valueOf = (flag: string, fallback: number) => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : fallback);
  const runs = valueOf("--runs", 3);
  const driftCount = valueOf("--drift-count", 1000);
  if ([...counts, runs, driftCount].some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error("usage: bench/apply.ts [--count N[,N...]]... [--runs R] [--no-rate-limits] [--drift-count D] (N, R and D positive integers)");
  }
  return { counts: counts.length > 0 ? counts : [50, 200, 500], runs, rateLimited: !argv.includes("--no-rate-limits"), driftCount };
}

/** The floor: bench/floor/ laid out in a temp directory with its own state backend. */
class FloorProject {
  readonly stack = "floor";
  private constructor(
    readonly dir: string,
    readonly env: NodeJS.ProcessEnv,
  ) {}

  static async create(resources: FloorResource[]): Promise<FloorProject> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-floor-"));
    // Linked like mailform's program in TestProject, so both store the same source paths per resource.
    fs.copyFileSync(path.join(PROJECT_ROOT, "bench", "floor", "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    fs.symlinkSync(path.join(PROJECT_ROOT, "bench", "floor", "index.js"), path.join(dir, "index.js"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "floor", private: true, main: "index.js" }));
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(dir, "node_modules"));
    fs.writeFileSync(path.join(dir, "floor.json"), JSON.stringify(resources));
    const env = engineEnv({ stateDir: path.join(dir, ".state"), passphrase: "floor", home: path.join(dir, ".pulumi-home") });
    const project = new FloorProject(dir, env);
    const init = await pulumi(["stack", "init", project.stack], { cwd: dir, env });
    if (init.code !== 0) throw new Error(`floor: pulumi stack init failed\n${init.stderr}`);
    return project;
  }

  async exportState(): Promise<string> {
    const out = await pulumi(["stack", "export", "--stack", this.stack], { cwd: this.dir, env: this.env });
    return out.stdout;
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Bytes of `stack export` per dynamic resource. */
function stateBytesPerResource(text: string): { resources: number; bytes: number; providerBytes: number } {
  const resources: { type: string; outputs?: { __provider?: string } }[] = JSON.parse(text).deployment.resources ?? [];
  const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
  const providerBytes = Math.max(0, ...dynamic.map((r) => Buffer.byteLength(String(r.outputs?.__provider ?? ""))));
  return { resources: dynamic.length, bytes: Buffer.byteLength(text) / Math.max(1, dynamic.length), providerBytes };
}

interface Sample {
  floor: Measured[];
  mailform: Measured[];
  calls: Calls[];
}

function fail(what: string, m: Measured): never {
  throw new Error(`${what} failed after ${m.seconds.toFixed(1)} s:\n${m.output.slice(-3000)}`);
}

async function benchCount(emu: RunningEmulators, count: number, runs: number, rateLimited: boolean): Promise<void> {
  const admin = new AdminClient(emu.urls.admin);
  const { yaml, floor: floorResources } = mixedStack(count);
  const floor = await FloorProject.create(floorResources);
  const mailform = await TestProject.create({
    stack: "bench",
    endpoints: emulatedVendors(emu.urls),
  });
  mailform.writeStack(yaml);
  const samples: Sample[] = OPERATIONS.map(() => ({ floor: [], mailform: [], calls: [] }));
  let floorState = { resources: 0, bytes: 0, providerBytes: 0 };
  let mailformState = { resources: 0, bytes: 0, providerBytes: 0 };
  let refreshRoutes: RequestCountEntry[] = [];
  try {
    await admin.setRateLimits({ enabled: false });
    // The emulators enforce no limit here, so mailform paces to none either: these rows measure the
    // engine and the providers. Pacing to the documented limits is measured below.
    const unpaced = { ...mailform.env, ...UNPACED };
    for (let run = 0; run < runs; run++) {
      await admin.reset();
      for (const [i, op] of OPERATIONS.entries()) {
        if (op.args[0] === "destroy") {
          // State size is read at its fullest: after up and refresh, before destroy.
          floorState = stateBytesPerResource(await floor.exportState());
          mailformState = stateBytesPerResource((await mailform.exportState()).text);
        }
        if (!op.mailform) {
          const f = await measure(floor.dir, floor.env, floor.stack, op.args);
          if (!f.ok) fail(`floor: pulumi ${op.args.join(" ")}`, f);
          samples[i].floor.push(f);
        }
        await admin.resetRequestCounts();
        const m = await (op.mailform ? measureMailform : measure)(mailform.dir, unpaced, mailform.stack, op.args);
        if (!m.ok) fail(`mailform: ${op.mailform ? "mailform" : "pulumi"} ${op.args.join(" ")}`, m);
        samples[i].mailform.push(m);
        if (op.name === "refresh") refreshRoutes = await admin.requestCounts();
        samples[i].calls.push(await callsSince(admin));
      }
    }

    const rows: string[][] = [["operation", "floor s", "mailform s", "ratio", "CPU s floor/mailform", "CPU ratio", "vendor calls (mt/sg/mj)", "calls/res", "floor MiB", "mailform MiB"]];
    for (const [i, op] of OPERATIONS.entries()) {
      const s = samples[i];
      const fs_ = median(s.floor.map((x) => x.seconds));
      const ms = median(s.mailform.map((x) => x.seconds));
      const calls = medianCalls(s.calls);
      const total = totalCalls(calls);
      const none = op.mailform ? "-" : undefined;
      const fc = median(s.floor.map((x) => x.cpuSeconds));
      const mc = median(s.mailform.map((x) => x.cpuSeconds));
      rows.push([
        op.name, none ?? fs_.toFixed(2), ms.toFixed(2), none ?? `${(ms / fs_).toFixed(2)}x`,
        `${none ?? fc.toFixed(1)} / ${mc.toFixed(1)}`, none ?? `${(mc / fc).toFixed(2)}x`,
        fmtCalls(calls), (total / mailformState.resources).toFixed(2),
        none ?? median(s.floor.map((x) => x.maxRssMiB)).toFixed(0), median(s.mailform.map((x) => x.maxRssMiB)).toFixed(0),
      ]);
    }
    rows.push([
      "state bytes/resource", floorState.bytes.toFixed(0), mailformState.bytes.toFixed(0), `${(mailformState.bytes / floorState.bytes).toFixed(2)}x`,
      "", "", `__provider ${floorState.providerBytes} / ${mailformState.providerBytes} bytes`, "", "", "",
    ]);
    console.log(
      `\nN = ${count} requested (load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}), ${mailformState.resources} mailform resources (floor ${floorState.resources}); medians of ${runs} interleaved runs, ` +
        `rate limits off (the emulators enforce none; mailform's pacing is ${UNPACED.MAILTRAP_RATE_LIMIT})`,
    );
    printTable(rows);
    // Where a refresh's calls go: per vendor and route (the last run's).
    const routes = refreshRoutes.filter((e) => e.count > 0).sort((a, b) => b.count - a.count);
    console.log(`refresh calls by route: ${routes.map((e) => `${e.vendor} ${e.method} ${e.route} ${e.count}`).join("; ")}`);

    if (rateLimited) await rateLimitedUp(admin, mailform, median(samples[UP].floor.map((x) => x.seconds)), runs);
  } finally {
    floor.remove();
    mailform.remove();
  }
}

/** mailform's `up` at the documented rate limits, against max(floor's up, calls / documented rate). */
async function rateLimitedUp(admin: AdminClient, mailform: TestProject, floorUp: number, runs: number): Promise<void> {
  const times: number[] = [];
  const calls: Calls[] = [];
  const failures: string[] = [];
  for (let run = 0; run < runs; run++) {
    await admin.setRateLimits({ enabled: false });
    await admin.reset();
    await admin.setRateLimits({ enabled: true });
    const m = await measure(mailform.dir, mailform.env, mailform.stack, OPERATIONS[UP].args);
    calls.push(await callsSince(admin));
    if (m.ok) times.push(m.seconds);
    else failures.push(`${m.seconds.toFixed(1)} s: ${/error: (.*)/.exec(m.output)?.[1]?.slice(0, 160) ?? "failed"}`);
    // Clean up without limits: only `up` is being measured.
    await admin.setRateLimits({ enabled: false });
    const d = await measure(mailform.dir, mailform.env, mailform.stack, OPERATIONS[DESTROY].args);
    if (!d.ok) fail("mailform: destroy after the rate-limited up", d);
  }
  const c = medianCalls(calls);
  const byRate = Math.max(...VENDORS.map((v) => c[v] / RATES[v]));
  // A fixed window starts full, so calls/rate overstates the wait: the last call can come no
  // earlier than the start of the window it needs.
  const byWindow = Math.max(...VENDORS.map((v) => (LIMITS[v].windowMs / 1000) * Math.floor(Math.max(0, c[v] - 1) / LIMITS[v].limit)));
  const bound = Math.max(floorUp, byRate);
  const t = median(times);
  console.log(
    `rate limits on (${VENDORS.map((v) => `${v} ${RATES[v].toFixed(1)}/s`).join(", ")}): up succeeded in ${times.length} of ${runs} runs; ` +
      `median ${times.length ? `${t.toFixed(2)} s` : "n/a"}; calls ${fmtCalls(c)}; ` +
      `bound max(floor up ${floorUp.toFixed(2)} s, calls/rate ${byRate.toFixed(2)} s) = ${bound.toFixed(2)} s; ` +
      `ratio ${times.length ? `${(t / bound).toFixed(2)}x` : "n/a"}; ` +
      `window-aware lower bound max(floor up, last window's start ${byWindow.toFixed(2)} s) = ${Math.max(floorUp, byWindow).toFixed(2)} s`,
  );
  for (const f of failures) console.log(`  failed run: ${f}`);
}

async function main(): Promise<void> {
  const { counts, runs, rateLimited, driftCount } = flags();
  const start = process.hrtime.bigint();
  execFileSync("bash", [path.join(PROJECT_ROOT, "engine", "setup.sh")], { stdio: ["ignore", "pipe", "pipe"] });
  const setupSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`warm engine set-up (engine/setup.sh): ${setupSeconds.toFixed(2)} s; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`);
  const emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 }, rateLimits: false });
  try {
    for (const count of counts) await benchCount(emu, count, runs, rateLimited);
    if (rateLimited) {
      await driftAtLimits(emu, driftCount);
      await sharedCredential(emu);
    }
  } finally {
    await emu.close();
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

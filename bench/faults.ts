/**
 * Benchmark: the 200-resource stack of the fault suite (test/support/chaos.ts, shared with
 * test/e2e/faults.test.ts) applied by one `pulumi up` through the real CLI, at the vendors'
 * documented rate limits (enforced by the emulators, paced to by mailform's defaults), while 10% of
 * requests are answered 429 (without any hint unless `--hint` says otherwise), 5% 500/503 and 2%
 * dropped, half of the 5xx and drops after the vendor committed the change.
 *
 * Prints the time of the `up` against the budget, the vendor calls, the faults fired, the busiest
 * window per vendor against its limit (from the emulators' request log), the waits after hinted
 * 429s, and the objects the accounts hold against the state (duplicates, orphans, missing); then
 * proves convergence with `preview --refresh --expect-no-changes` (faults off). Exits 1 when the
 * `up` failed or passed the budget, left a duplicate, an orphan or a missing object, a window got
 * more than the limit, or the preview found a change.
 *
 *   npx tsx bench/faults.ts [--hint none|vendor|N[,N...]] [--seed N] [--budget SECONDS]
 *   npm run bench:faults
 */
import { execFileSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { startEmulators } from "../emulators";
import { AdminClient, type FaultHint } from "../emulators/admin-client";
import { PROJECT_ROOT } from "../engine/pulumi";
import { chaosStack, hintedWaits, injectChaos, refusedByLimit, tally, VENDORS, windowPeaks } from "../test/support/chaos";
import { TestProject, emulatedVendors } from "../test/support/project";
import { measure } from "./measure";

function flags(): { hints: FaultHint[]; seed: number; budget: number } {
  const argv = process.argv.slice(2);
  const value = (name: string) => {
    const at = argv.indexOf(name);
    return at >= 0 ? argv[at + 1] : undefined;
  };
  const hints = (value("--hint") ?? "none").split(",").map((h) => (h === "none" || h === "vendor" ? h : Number(h)));
  const seed = Number(value("--seed") ?? 20261129);
  const budget = Number(value("--budget") ?? 180);
  if (hints.some((h) => typeof h === "number" && !(Number.isInteger(h) && h >= 0)) || !Number.isInteger(seed) || !(budget > 0)) {
    throw new Error("usage: bench/faults.ts [--hint none|vendor|N[,N...]] [--seed N] [--budget SECONDS]");
  }
  return { hints, seed, budget };
}

async function main(): Promise<void> {
  const { hints, seed, budget } = flags();
  execFileSync("bash", [path.join(PROJECT_ROOT, "engine", "setup.sh")], { stdio: ["ignore", "pipe", "pipe"] });
  const emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 }, seed });
  const admin = new AdminClient(emu.urls.admin);
  const project = await TestProject.create({ stack: "bench", endpoints: emulatedVendors(emu.urls) });
  const failures: string[] = [];
  try {
    const limits = await admin.rateLimits();
    console.log(
      `bench:faults: 200 resources over ${VENDORS.join(", ")}; documented limits ${VENDORS.map((v) => `${v} ${limits[v].limit}/${limits[v].windowMs / 1000}s`).join(", ")}; ` +
        `10% 429 (hint ${hints.join("/")}), 5% 5xx, 2% dropped; seed ${seed}; ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(2)}`,
    );
    project.writeStack(stringify(chaosStack()));
    await injectChaos(admin, hints);
    await admin.resetRequestCounts();

    const up = await measure(project.dir, project.env, project.stack, ["up", "--yes", "--skip-preview"]);
    if (!up.ok) failures.push(`pulumi up failed:\n${up.output.slice(-3000)}`);
    if (up.seconds > budget) failures.push(`pulumi up took ${up.seconds.toFixed(1)} s, over the ${budget} s budget`);
    console.log(`pulumi up: ${up.seconds.toFixed(1)} s (${up.ok ? "exit 0" : "FAILED"}; budget ${budget} s); peak RSS ${up.maxRssMiB.toFixed(0)} MiB`);

    const { total, byVendor } = await admin.requestSummary();
    const faults = await admin.faults();
    const fired = (kinds: (k: string) => boolean) => faults.filter((f) => kinds(f.kind)).reduce((n, f) => n + f.fired, 0);
    console.log(
      `vendor calls: ${total} (${VENDORS.map((v) => `${v} ${byVendor[v] ?? 0}`).join(", ")}); faults fired: ` +
        `429 ${fired((k) => k === "429")}, 5xx ${fired((k) => /^50/.test(k))}, dropped ${fired((k) => k.startsWith("drop"))}`,
    );

    const log = await admin.requestLog();
    for (const w of windowPeaks(log)) {
      console.log(`busiest window: ${w.vendor} ${w.peak} requests in ${w.windowMs / 1000} s (limit ${w.limit})`);
      if (w.peak > w.limit) failures.push(`${w.vendor}: ${w.peak} requests in one window, over the limit of ${w.limit}`);
    }
    const refused = refusedByLimit(log).length;
    console.log(`429s from the emulated limit itself: ${refused}`);
    if (refused > 0) failures.push(`the emulated rate limit answered 429 ${refused} times`);
    const { waits } = hintedWaits(log);
    if (waits.length > 0) {
      // Where nothing else held the credential (no longer pause in flight, no full window), the wait is the hint's own.
      const alone = waits.filter((w) => !w.paced && w.dueMs === w.hintMs).map((w) => w.waitedMs - w.hintMs).sort((a, b) => a - b);
      const early = waits.filter((w) => w.waitedMs < w.hintMs - 5).length;
      console.log(
        `hinted 429s: ${waits.length}; retried before the hint: ${early}; where nothing else held the credential (${alone.length}), ` +
          `the retry came after the hint by median ${alone[Math.floor(alone.length / 2)] ?? 0} ms, max ${alone.at(-1) ?? 0} ms`,
      );
      if (early > 0) failures.push(`${early} hinted 429s were retried before their hint`);
    }

    const state = await project.exportState();
    const t = await tally(admin, state.resources);
    console.log(`accounts: duplicates ${t.duplicates}, orphans ${t.orphans}, missing ${t.missing}; resources in state ${state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/")).length}`);
    failures.push(...t.problems);

    await admin.clearFaults();
    const preview = await measure(project.dir, project.env, project.stack, ["preview", "--refresh", "--expect-no-changes"]);
    console.log(`preview --refresh --expect-no-changes (faults off): ${preview.ok ? "no changes" : "CHANGES"} (${preview.seconds.toFixed(1)} s)`);
    if (!preview.ok) failures.push(`the refresh preview found changes:\n${preview.output.slice(-3000)}`);
  } finally {
    project.remove();
    await emu.close();
  }
  if (failures.length > 0) {
    console.error(`FAILED:\n${failures.join("\n")}`);
    process.exit(1);
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

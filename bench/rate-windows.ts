/**
 * The benchmark's runs at the vendors' documented rate limits (bench/apply.ts calls them):
 *
 * - a nightly drift check (`mailform drift`) of 1,000 mixed resources (bench/mixed-stack.ts, shaped
 *   to the documented per-account caps) in a fresh window: per vendor its calls against one
 *   window's limit, the span from its first request to its last against the window, 429s;
 * - one SendGrid credential shared by two stacks (a shared mailform cache, as on one CI runner):
 *   two `pulumi up`s started together, and an `up` followed at once by a `preview --refresh`. For
 *   each: the 429s the emulator answered, and the time against the calls/rate bound.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import type { RunningEmulators } from "../emulators";
import { AdminClient } from "../emulators/admin-client";
import { TestProject, emulatedVendors } from "../test/support/project";
import { measure, measureMailform, UNPACED, type Measured } from "./measure";
import { mixedStack } from "./mixed-stack";
import { callsSince, fmtCalls, LIMITS, RATES, refusals, totalCalls, VENDORS } from "./vendors";

function fail(what: string, m: Measured): never {
  throw new Error(`${what} failed after ${m.seconds.toFixed(1)} s:\n${m.output.slice(-3000)}`);
}

/** The emulators with their documented limits on and fresh windows (configuring clears them). */
async function documentedLimits(admin: AdminClient, on: boolean): Promise<void> {
  for (const v of VENDORS) await admin.setRateLimits({ vendor: v, ...LIMITS[v], enabled: on });
}

/** `mailform drift` of `count` mixed resources at the documented limits, in a fresh window. */
export async function driftAtLimits(emu: RunningEmulators, count: number): Promise<void> {
  const admin = new AdminClient(emu.urls.admin);
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-bench-cache-"));
  const project = await TestProject.create({ stack: "drift", endpoints: emulatedVendors(emu.urls), extraEnv: { MAILFORM_CACHE: cache } });
  const { yaml, kinds } = mixedStack(count);
  project.writeStack(yaml);
  const unpaced = { ...project.env, ...UNPACED };
  try {
    await documentedLimits(admin, false);
    await admin.reset();
    const up = await measure(project.dir, unpaced, project.stack, ["up", "--yes", "--skip-preview"]);
    if (!up.ok) fail(`drift check: up of ${count} resources`, up);
    await documentedLimits(admin, true);
    await admin.resetRequestCounts();
    const since = Date.now();
    const drift = await measureMailform(project.dir, project.env, project.stack, ["drift"]);
    const log = await admin.requestLog();
    const refused = await refusals(admin);
    const calls = await callsSince(admin);
    const fits = VENDORS.map((v) => {
      const mine = log.filter((e) => e.vendor === v && e.receivedAt >= since);
      const span = mine.length ? (Math.max(...mine.map((e) => e.answeredAt)) - Math.min(...mine.map((e) => e.receivedAt))) / 1000 : 0;
      const budget = calls[v] <= LIMITS[v].limit ? "within one window's budget" : "MORE than one window's budget";
      const time = span <= LIMITS[v].windowMs / 1000 ? "first to last call within one window" : "first to last call longer than a window";
      return `${v} ${calls[v]} calls of ${LIMITS[v].limit} per ${LIMITS[v].windowMs / 1000} s (${budget}), ${refused[v]} x 429, span ${span.toFixed(1)} s (${time})`;
    });
    console.log(
      `\ndrift check (mailform drift) of ${count} mixed resources (${Object.entries(kinds).map(([k, n]) => `${n} ${k}`).join(", ")}) ` +
        `at the documented limits, fresh window: ${drift.ok ? "no drift" : "FAILED (exit not 0)"} in ${drift.seconds.toFixed(2)} s; ` +
        `calls ${fmtCalls(calls)} = ${(totalCalls(calls) / count).toFixed(2)} per resource\n  ${fits.join("\n  ")}`,
    );
    if (!drift.ok) console.log(drift.output.slice(-2000));
    await documentedLimits(admin, false);
    const d = await measure(project.dir, unpaced, project.stack, ["destroy", "--yes", "--skip-preview"]);
    if (!d.ok) fail("drift check: destroy", d);
  } finally {
    project.remove();
    fs.rmSync(cache, { recursive: true, force: true });
  }
}

/**
 * A SendGrid-only stack big enough that two of them (or one and its preview) need more than one
 * window: legacy templates with one version (2 calls each to create) and unsubscribe groups (1),
 * together within the account's 300 templates.
 */
function sendgridStack(name: string, templates: number, groups: number): string {
  return stringify({
    sendgrid: {
      templates: Object.fromEntries(
        Array.from({ length: templates }, (_, i) => [`t${i}`, { name: `${name} template ${i}`, generation: "legacy", versions: { v1: { name: "V1", subject: `Hello ${i}`, html: "<p>Hi</p>" } } }]),
      ),
      unsubscribeGroups: Object.fromEntries(Array.from({ length: groups }, (_, i) => [`g${i}`, { name: `${name} group ${i}`, description: "d", protect: false }])),
    },
  });
}

/**
 * Two stacks on one SendGrid credential at its documented limit. Each case runs twice: with no
 * limit anywhere (the engine's own time for it) and at the limit; its bound is the larger of that
 * time and calls / documented rate, as for the rate-limited up.
 */
export async function sharedCredential(emu: RunningEmulators): Promise<void> {
  const admin = new AdminClient(emu.urls.admin);
  const { sendgrid } = emulatedVendors(emu.urls);
  const projects: TestProject[] = [];
  const caches: string[] = [];
  /** Fresh projects on a fresh budget (a new cache each time) and fresh emulator windows. */
  const fresh = async (stacks: string[], templates: number, limited: boolean) => {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-bench-cache-"));
    caches.push(cache);
    const made: TestProject[] = [];
    for (const stack of stacks) {
      const p = await TestProject.create({ stack, endpoints: { sendgrid }, extraEnv: { MAILFORM_CACHE: cache, ...(limited ? {} : UNPACED) } });
      p.writeStack(sendgridStack(stack, templates, 60));
      projects.push(p);
      made.push(p);
    }
    await documentedLimits(admin, false);
    await admin.reset();
    await documentedLimits(admin, limited);
    return made;
  };
  const clean = async (ps: TestProject[]) => {
    await documentedLimits(admin, false);
    for (const p of ps) {
      const d = await measure(p.dir, { ...p.env, ...UNPACED }, p.stack, ["destroy", "--yes", "--skip-preview"]);
      if (!d.ok) fail(`shared credential: destroy ${p.stack}`, d);
    }
  };
  const must = (what: string, m: Measured) => (m.ok ? m : fail(what, m));
  /** Two ups started together: seconds until both ended. */
  const twoUps = async (limited: boolean) => {
    const pair = await fresh(["one", "two"], 140, limited);
    const started = Date.now();
    const ends = await Promise.all(
      pair.map(async (p) => {
        must(`two concurrent ups: up ${p.stack}`, await measure(p.dir, p.env, p.stack, ["up", "--yes", "--skip-preview"]));
        return (Date.now() - started) / 1000;
      }),
    );
    const refused = (await refusals(admin)).sendgrid;
    const calls = (await callsSince(admin)).sendgrid;
    await clean(pair);
    return { seconds: Math.max(...ends), ends, calls, refused };
  };
  /** An up that spends a window, and a preview --refresh started as it ends. */
  const upThenPreview = async (limited: boolean) => {
    const [solo] = await fresh(["solo"], 280, limited);
    const started = Date.now();
    const up = must("up then preview: up", await measure(solo!.dir, solo!.env, solo!.stack, ["up", "--yes", "--skip-preview"]));
    const upRefused = (await refusals(admin)).sendgrid;
    const upCalls = (await callsSince(admin)).sendgrid;
    const preview = must("up then preview: preview --refresh", await measure(solo!.dir, solo!.env, solo!.stack, ["preview", "--refresh", "--expect-no-changes"]));
    const seconds = (Date.now() - started) / 1000;
    const refused = (await refusals(admin)).sendgrid;
    const calls = (await callsSince(admin)).sendgrid;
    await clean([solo!]);
    return { seconds, up: up.seconds, preview: preview.seconds, upCalls, upRefused, calls: upCalls + calls, refused };
  };
  const verdict = (seconds: number, unlimited: number, calls: number) => {
    const byRate = calls / RATES.sendgrid;
    const bound = Math.max(unlimited, byRate);
    return `bound max(no limits ${unlimited.toFixed(1)} s, calls/rate ${byRate.toFixed(1)} s) = ${bound.toFixed(1)} s, ratio ${(seconds / bound).toFixed(2)}x`;
  };
  try {
    console.log(`\none SendGrid credential at its documented limit (${LIMITS.sendgrid.limit} per ${LIMITS.sendgrid.windowMs / 1000} s), shared by processes through one mailform cache:`);
    const pairFree = await twoUps(false);
    const pair = await twoUps(true);
    console.log(
      `  two ups of two stacks (140 templates + 60 groups each) started together: ended at ${pair.ends.map((s) => s.toFixed(1)).join(" s and ")} s, ` +
        `${pair.calls} calls, ${pair.refused} x 429; ${verdict(pair.seconds, pairFree.seconds, pair.calls)}`,
    );
    const soloFree = await upThenPreview(false);
    const solo = await upThenPreview(true);
    console.log(
      `  an up (280 templates + 60 groups: ${solo.upCalls} calls, ${solo.upRefused} x 429, ${solo.up.toFixed(1)} s) and at once a preview --refresh ` +
        `(${solo.calls - solo.upCalls} calls, ${solo.refused} x 429, ${solo.preview.toFixed(1)} s): together ${solo.seconds.toFixed(1)} s; ` +
        verdict(solo.seconds, soloFree.seconds, solo.calls),
    );
  } finally {
    for (const p of projects) p.remove();
    for (const c of caches) fs.rmSync(c, { recursive: true, force: true });
    await documentedLimits(admin, false);
  }
}

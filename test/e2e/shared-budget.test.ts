/**
 * One SendGrid credential's rate budget shared by every mailform process on the machine
 * (providers/http/shared-budget.ts): two `pulumi up`s of two stacks on one credential started
 * together, then a `preview --refresh` started as soon as they end, with the emulator enforcing
 * the limit, and no 429 seen by any of them (emulator counters).
 *
 * The limit is SendGrid's documented one scaled down (30 per 6 s instead of 600 per minute, the
 * same rule, enforced by the emulator as it enforces the real one) so that the runs cross several
 * windows in seconds. Each process alone would assume a full window and together they would
 * overrun it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";

const LIMIT = { limit: 30, windowMs: 6000 };
const GROUPS = 24;

describe("a SendGrid credential's rate budget shared across mailform processes", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let cache: string;
  const projects: TestProject[] = [];

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    await admin.setRateLimits({ vendor: "sendgrid", ...LIMIT, enabled: true });
    cache = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-cache-"));
    const { sendgrid } = emulatedVendors(emu.urls);
    for (const stack of ["one", "two"]) {
      const project = await TestProject.create({
        stack,
        endpoints: { sendgrid },
        extraEnv: { MAILFORM_CACHE: cache, SENDGRID_RATE_LIMIT: `${LIMIT.limit}/${LIMIT.windowMs / 1000}s` },
      });
      const groups = Object.fromEntries(Array.from({ length: GROUPS }, (_, i) => [`g${i}`, { name: `${stack} ${i}`, description: "d", protect: false }]));
      project.writeStack(stringify({ sendgrid: { unsubscribeGroups: groups } }));
      projects.push(project);
    }
  });

  afterAll(async () => {
    for (const p of projects) p.remove();
    if (cache) fs.rmSync(cache, { recursive: true, force: true });
    await emu?.close();
  });

  const sendgridCalls = async () => (await admin.requestCounts()).filter((e) => e.vendor === "sendgrid");
  const refusedOf = (calls: { status: string; count: number }[]) => calls.filter((e) => e.status === "429").reduce((n, e) => n + e.count, 0);

  it("two ups started together, then a preview --refresh at once: no 429, the credential never named on disk", async () => {
    await admin.resetRequestCounts();
    const started = Date.now();
    const ups = await Promise.all(projects.map((p) => p.run(["up", "--yes", "--skip-preview"])));
    const upSeconds = (Date.now() - started) / 1000;
    for (const up of ups) expect(up.code, up.stdout + up.stderr).toBe(0);
    const refusedDuringUps = refusedOf(await sendgridCalls());
    const previewStarted = Date.now();
    const preview = await projects[0]!.previewNoChanges(["--refresh"]);
    const previewSeconds = (Date.now() - previewStarted) / 1000;
    expect(preview.code, preview.stdout + preview.stderr).toBe(0);

    const calls = await sendgridCalls();
    const total = calls.reduce((n, e) => n + e.count, 0);
    const refused = refusedOf(calls);
    // Neither the ups together, nor the preview that followed them into a spent window, saw a 429.
    expect(refusedDuringUps, JSON.stringify(calls)).toBe(0);
    // Both stacks' groups were made: 2 listings + one create each.
    expect(calls.filter((e) => e.method === "POST" && e.status === "201").reduce((n, e) => n + e.count, 0)).toBe(2 * GROUPS);
    expect(refused, JSON.stringify(calls)).toBe(0);
    // The pace the limit allows: the two ups' calls need this many full windows after the first.
    const bound = (Math.ceil(total / LIMIT.limit) - 1) * (LIMIT.windowMs / 1000);
    console.log(
      `shared budget: ${total} SendGrid calls, 0 refused; two concurrent ups took ${upSeconds.toFixed(1)} s (calls/rate bound ${bound} s), ` +
        `the preview --refresh after them ${previewSeconds.toFixed(1)} s`,
    );

    // The budget file is named by a hash and holds send times only.
    const files = fs.readdirSync(path.join(cache, "rate"));
    expect(files.length).toBeGreaterThan(0);
    const key = emulatedVendors(emu.urls).sendgrid!.apiKey;
    for (const f of files) {
      expect(f).not.toContain(key);
      expect(fs.readFileSync(path.join(cache, "rate", f), "utf8")).not.toContain(key);
    }
  });
});

/**
 * Assertions shared by end-to-end tests. Kept apart from project.ts, which the benchmarks import
 * outside vitest (vitest cannot be loaded there).
 */
import { expect } from "vitest";
import type { AdminClient } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "./project";

/**
 * The export round trip's last step: a second project (stack `adopter`) on the same emulators
 * applies `text`, an exported stack file with `adopt: true` on every entry. Its `up` must make no
 * vendor write (of any vendor) and leave it converged (`preview --refresh --expect-no-changes`).
 * Returns the project, for the caller to remove.
 */
export async function adoptsWithNoWrite(text: string, emu: { urls: Parameters<typeof emulatedVendors>[0] }, admin: AdminClient): Promise<TestProject> {
  const second = await TestProject.create({ stack: "adopter", endpoints: emulatedVendors(emu.urls) });
  second.writeStack(text);
  await admin.resetRequestCounts();
  await second.up();
  const writes = (await admin.requestCounts()).filter((e) => e.method !== "GET");
  expect(writes, "vendor writes during the adopting up").toEqual([]);
  const quiet = await second.previewNoChanges(["--refresh"]);
  expect(quiet.code, quiet.stdout + quiet.stderr).toBe(0);
  return second;
}

/**
 * Writes that are safe to repeat, through the providers' life cycle against the emulators with
 * faults that lose an answer after the vendor committed the change: a create whose answer is lost
 * is found again by its natural key (never a second object), a shown-once secret is never left
 * behind unreadable, a lost toggle is read back rather than flipped twice, and each collection is
 * listed once per run however many objects are created.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { inbox } from "../../providers/mailtrap/inbox";
import { project } from "../../providers/mailtrap/project";
import { apiKey as sendgridKey } from "../../providers/sendgrid/api-key";
import { apiKey as mailjetKey } from "../../providers/mailjet/api-key";
import { lifecycle, newRun } from "../../providers/resource";
import type { FaultSpec } from "../../emulators/core/faults";

const creds = DEFAULT_CREDENTIALS;

describe("safe writes against the emulators", () => {
  const ctx = useEmulators((urls) => ({
    MAILTRAP_API_URL: urls.mailtrap,
    MAILTRAP_API_TOKEN: creds.mailtrap.apiToken,
    SENDGRID_API_URL: urls.sendgrid,
    SENDGRID_API_KEY: creds.sendgrid.apiKey,
    MAILJET_API_URL: urls.mailjet,
    MJ_APIKEY_PUBLIC: creds.mailjet.apiKey,
    MJ_APIKEY_PRIVATE: creds.mailjet.secretKey,
  }));
  const P = lifecycle(project);
  const I = lifecycle(inbox);
  const SK = lifecycle(sendgridKey);
  const MK = lifecycle(mailjetKey);
  /** A later run: the engine configures each kind's provider at its first use in a run. */
  const nextRun = () => Promise.all([P, I, SK, MK].map((p) => p.configure!({ config: { get: () => undefined } } as never)));

  beforeEach(async () => {
    await ctx.admin.reset();
    await ctx.admin.clearFaults();
  });

  const fault = (spec: Omit<FaultSpec, "rate"> & { rate?: number }) => ctx.admin.addFault({ rate: 1, count: 1, ...spec } as FaultSpec);

  it("never deletes an object another resource of the run took over or keeps; a later run's delete does", async () => {
    // An entry renamed without movedFrom, then adopted: the new resource takes the object over,
    // and the engine deletes the old resource afterwards, with the same id.
    const made = await P.create!({ name: "Renamed key" });
    newRun();
    const adopted = await P.create!({ name: "Renamed key", adopt: true });
    expect(adopted.id).toBe(made.id);
    await P.delete!(made.id, made.outs);
    expect((await ctx.admin.listObjects<{ id: number }>("mailtrap", "projects")).map((p) => String(p.id))).toEqual([made.id]);

    // Held by a resource the engine diffed and keeps (no replace): the same.
    newRun();
    const kept = await P.diff!(made.id, adopted.outs, { name: "Renamed key" });
    expect(kept.replaces ?? []).toEqual([]);
    await P.delete!(made.id, made.outs);
    expect(await ctx.admin.listObjects("mailtrap", "projects")).toHaveLength(1);

    // In a run where no resource holds it (the entry removed for good), a delete deletes.
    newRun();
    await P.delete!(made.id, made.outs);
    expect(await ctx.admin.listObjects("mailtrap", "projects")).toEqual([]);
  });

  it.each(["drop-after-commit", "500-after-commit", "503-after-commit"] as const)(
    "a project create whose answer is lost (%s) is taken from the account, not made twice",
    async (kind) => {
      await fault({ vendor: "mailtrap", route: "POST /api/projects", kind });
      const made = await P.create!({ name: "Lost answer" });
      const live = await ctx.admin.listObjects<{ id: number; name: string }>("mailtrap", "projects");
      expect(live.map((p) => p.name)).toEqual(["Lost answer"]);
      expect(made.id).toBe(String(live[0]!.id));
      expect(await ctx.admin.countRequests({ vendor: "mailtrap", method: "POST" })).toBe(1);
    },
  );

  it("a create lost before the vendor committed it is made again, once", async () => {
    await fault({ vendor: "mailtrap", route: "POST /api/projects", kind: "drop" });
    const made = await P.create!({ name: "Never arrived" });
    const live = await ctx.admin.listObjects<{ id: number; name: string }>("mailtrap", "projects");
    expect(live.map((p) => p.name)).toEqual(["Never arrived"]);
    expect(made.id).toBe(String(live[0]!.id));
  });

  it("a key whose create answer is lost is deleted and made again, so its shown-once secret is known (SendGrid)", async () => {
    await fault({ vendor: "sendgrid", route: "POST /v3/api_keys", kind: "503-after-commit" });
    const made = await SK.create!({ name: "CI", scopes: ["mail.send"] });
    const live = await ctx.admin.listObjects<{ api_key_id: string; name: string }>("sendgrid", "api_keys");
    const ci = live.filter((k) => k.name === "CI");
    expect(ci).toHaveLength(1);
    expect(made.id).toBe(ci[0]!.api_key_id);
    expect(made.outs.apiKey).toMatch(/^SG\./);
  });

  it("a key whose create answer is lost is deleted and made again (Mailjet)", async () => {
    await fault({ vendor: "mailjet", route: "POST /v3/REST/apikey", kind: "drop-after-commit" });
    const made = await MK.create!({ name: "Deploy" });
    const live = (await ctx.admin.listObjects<{ ID: number; Name: string }>("mailjet", "apikey")).filter((k) => k.Name === "Deploy");
    expect(live.map((k) => String(k.ID))).toEqual([made.id]);
    expect(made.outs.secretKey).toBeTypeOf("string");
  });

  it("a lost inbox address toggle is read back, not flipped a second time", async () => {
    const { id: projectId } = await P.create!({ name: "Toggles" });
    const made = await I.create!({ projectId: Number(projectId), name: "QA" });
    await fault({ vendor: "mailtrap", route: "PATCH /api/sandboxes/{sandbox_id}/toggle_email_username", kind: "drop-after-commit" });
    await I.update!(made.id, made.outs, { projectId: Number(projectId), name: "QA", emailUsername: "qa-team" });
    const live = await ctx.admin.getObject<{ email_username: string; email_username_enabled: boolean }>("mailtrap", "sandboxes", made.id);
    expect(live).toMatchObject({ email_username: "qa-team", email_username_enabled: true });
    expect(await ctx.admin.countRequests({ vendor: "mailtrap", method: "PATCH", route: "/api/sandboxes/{sandbox_id}/toggle_email_username" })).toBe(1);
  });

  it("an address toggle that Mailtrap answers 200 but does not take is tried a few times, then fails naming the inbox and the answer", async () => {
    const { id: projectId } = await P.create!({ name: "Toggles" });
    const made = await I.create!({ projectId: Number(projectId), name: "QA" });
    await ctx.admin.patchObject("mailtrap", "sandboxes", made.id, { email_username_toggle_ignored: true });
    await ctx.admin.resetRequestCounts();
    const update = I.update!(made.id, made.outs, { projectId: Number(projectId), name: "QA", emailUsername: "qa-team" });
    const outcome = await Promise.race([
      update.then(() => "finished without an error", (e: Error) => e),
      new Promise<string>((resolve) => setTimeout(() => resolve("still toggling after 15 s"), 15_000)),
    ]);
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).message).toMatch(
      new RegExp(`Mailtrap inbox ${made.id} \\("QA"\\): turning its email address on did not take: Mailtrap answered 200 to 3 toggles .*email_username_enabled is still false`),
    );
    const toggles = await ctx.admin.countRequests({ vendor: "mailtrap", method: "PATCH", route: "/api/sandboxes/{sandbox_id}/toggle_email_username" });
    expect(toggles).toBe(3);
  });

  it("lists each collection once per run, however many objects it creates, and still refuses a duplicate it made itself", async () => {
    await ctx.admin.resetRequestCounts();
    for (let i = 0; i < 8; i++) await P.create!({ name: `Project ${i}` });
    expect(await ctx.admin.countRequests({ vendor: "mailtrap", method: "GET" })).toBe(1);
    expect(await ctx.admin.countRequests({ vendor: "mailtrap", method: "POST" })).toBe(8);
    await expect(P.create!({ name: "Project 3" })).rejects.toThrow(/one already exists with name "Project 3"/);

    // A rename within the run frees the old name and takes the new one.
    const live = await ctx.admin.listObjects<{ id: number; name: string }>("mailtrap", "projects");
    const p0 = live.find((p) => p.name === "Project 0")!;
    await P.update!(String(p0.id), { name: "Project 0", projectId: p0.id }, { name: "Renamed" });
    await expect(P.create!({ name: "Renamed" })).rejects.toThrow(/one already exists/);
    await P.create!({ name: "Project 0" });
    // A delete within the run frees the name too.
    await P.delete!(String(p0.id), { name: "Renamed" });
    await P.create!({ name: "Renamed" });
    expect(await ctx.admin.countRequests({ vendor: "mailtrap", method: "GET" })).toBe(1);
  });

  it("a later run lists again, so it sees what others made in between", async () => {
    await P.create!({ name: "Mine" });
    await fetch(`${ctx.emu.urls.mailtrap}/api/projects`, {
      method: "POST",
      headers: { "Api-Token": creds.mailtrap.apiToken, "Content-Type": "application/json" },
      body: JSON.stringify({ project: { name: "Made in the web UI" } }),
    });
    await nextRun();
    await expect(P.create!({ name: "Made in the web UI" })).rejects.toThrow(/one already exists/);
  });
});

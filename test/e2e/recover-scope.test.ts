/**
 * `mailform recover` takes over only what the killed run left pending. A `pulumi up` is killed
 * (SIGKILL to its process group, as in interrupted.test.ts) while it creates a batch of objects;
 * then, by hand in the vendors' own APIs, someone makes a SendGrid API key and a Mailtrap project,
 * and a new stack entry takes each one's name. The killed run never started those entries, so the
 * recovering run must neither delete-and-remake the key nor adopt the project: recover fails for
 * them, naming them, and both keep their ids. The killed run's pending creates still recover: once
 * the new entries are taken out again, a second recover (the pending creates were cleared from the
 * state by the first; recover keeps them until it succeeds) converges the stack.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { TestProject, emulatedVendors } from "../support/project";
import { vendorApi } from "../support/vendor-api";

/** The batch the killed run creates: 12 objects across the vendors, keys and tokens among them. */
function batch(b: number): Record<string, unknown> {
  return {
    mailtrap: {
      projects: { [`a${b}`]: { name: `Batch ${b} A`, inboxes: { qa: { name: "QA" } } } },
      emailTemplates: { [`w${b}`]: { name: `Welcome ${b}`, category: "c", subject: "s" } },
      apiTokens: { [`ci${b}`]: { name: `CI ${b}`, permissions: [{ project: `a${b}`, access: "viewer" }] } },
    },
    sendgrid: { apiKeys: { [`k${b}`]: { name: `Key ${b}`, scopes: ["mail.send"] }, [`l${b}`]: { name: `Other ${b}` } } },
    mailjet: { templates: { [`t${b}`]: { name: `Receipt ${b}`, content: { html: "<p>x</p>" } }, [`u${b}`]: { name: `Invoice ${b}` } } },
  };
}

/** The batch plus two new entries named like the hand-made objects. */
function withNewEntries(b: number): Record<string, unknown> {
  const stack = batch(b) as { mailtrap: { projects: Record<string, unknown> }; sendgrid: { apiKeys: Record<string, unknown> } };
  stack.mailtrap.projects.hand = { name: "Hand Project" };
  stack.sendgrid.apiKeys.hand = { name: "Hand Key" };
  return stack;
}

describe("recover touches only what the killed run left pending", () => {
  let emu: RunningEmulators;
  let admin: AdminClient;
  let project: TestProject;

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    admin = new AdminClient(emu.urls.admin);
    project = await TestProject.create({ endpoints: emulatedVendors(emu.urls) });
    project.writeStack(stringify(batch(0)));
    await project.up();
    for (const vendor of ["mailtrap", "sendgrid", "mailjet"] as const) await admin.addFault({ vendor, kind: "latency", latencyMs: 250, rate: 1 });
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  /** Where recover keeps the stack's pending creates while its recovering run has not succeeded. */
  const carried = () => path.join(project.dir, ".mailform", "recover", `${project.stack}.json`);
  const writes = async () => (await admin.requestCounts()).filter((e) => e.method !== "GET").reduce((n, e) => n + e.count, 0);

  /** `pulumi up` in a process group of its own, killed whole `ms` after its first vendor write. */
  async function upKilledAfter(ms: number): Promise<void> {
    const before = await writes();
    const child = spawn("pulumi", ["up", "--yes", "--skip-preview", "--stack", project.stack, "--non-interactive"], { cwd: project.dir, env: project.env, detached: true });
    child.stdout.resume();
    child.stderr.resume();
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
  }

  const ids = async (vendor: "mailtrap" | "sendgrid", collection: string, name: string) =>
    (await admin.listObjects<Record<string, unknown>>(vendor, collection)).filter((o) => o.name === name).map((o) => String(o.api_key_id ?? o.id));

  /** Ids of batch `b`'s live objects, by a label; keys and tokens (made again on recovery) marked. */
  async function batchObjects(b: number): Promise<{ label: string; id: string; secret: boolean }[]> {
    const named = async (vendor: "mailtrap" | "sendgrid" | "mailjet", collection: string, names: string[], secret = false) =>
      (await admin.listObjects<Record<string, unknown>>(vendor, collection))
        .filter((o) => names.includes(String(o.name ?? o.Name)))
        .map((o) => ({ label: `${collection} "${o.name ?? o.Name}"`, id: String(o.api_key_id ?? o.id ?? o.ID), secret }));
    const projects = await named("mailtrap", "projects", [`Batch ${b} A`]);
    const inboxes = (await admin.listObjects<Record<string, unknown>>("mailtrap", "sandboxes"))
      .filter((s) => projects.some((p) => p.id === String(s.project_id)))
      .map((s) => ({ label: `inbox "${s.name}"`, id: String(s.id), secret: false }));
    return [
      ...projects,
      ...inboxes,
      ...(await named("mailtrap", "email_templates", [`Welcome ${b}`])),
      ...(await named("mailtrap", "api_tokens", [`CI ${b}`], true)),
      ...(await named("sendgrid", "api_keys", [`Key ${b}`, `Other ${b}`], true)),
      ...(await named("mailjet", "template", [`Receipt ${b}`, `Invoice ${b}`])),
    ];
  }
  const stateIds = async () => new Set((await project.exportState()).resources.map((r) => String(r.id)));

  it("a hand-made key and project named like new entries keep their ids; the killed run's pending creates recover", async () => {
    project.writeStack(stringify(batch(1)));
    await upKilledAfter(400);
    const pending = (JSON.parse((await project.must(["stack", "export"])).stdout) as { deployment: { pending_operations?: { type: string }[] } })
      .deployment.pending_operations?.filter((op) => op.type === "creating") ?? [];
    expect(pending.length, "creates the killed run left pending").toBeGreaterThan(0);
    // Objects the killed run made but did not record: what recover is for.
    const recorded = await stateIds();
    const orphans = (await batchObjects(1)).filter((o) => !recorded.has(o.id));
    expect(orphans.length, "objects the killed run made and did not record").toBeGreaterThan(0);

    // Made by hand, after the kill, in the vendors' own APIs; new entries take their names.
    const key = await vendorApi(emu, "sendgrid", "POST", "/v3/api_keys", { name: "Hand Key", scopes: ["mail.send"] });
    const handKey = String(key.api_key_id ?? key.result?.[0]?.api_key_id);
    const handProject = String((await vendorApi(emu, "mailtrap", "POST", "/api/projects", { project: { name: "Hand Project" } })).id);
    project.writeStack(stringify(withNewEntries(1)));

    const first = await project.mailform(["recover"]);
    const output = first.stdout + first.stderr;
    expect.soft(await ids("sendgrid", "api_keys", "Hand Key"), `the hand-made key after recover\n${output}`).toEqual([handKey]);
    expect.soft(await ids("mailtrap", "projects", "Hand Project"), "the hand-made project after recover").toEqual([handProject]);
    const state = await project.exportState();
    expect.soft(state.resources.map((r) => r.id).filter((id) => id === handKey || id === handProject), "hand-made objects taken into the state").toEqual([]);
    // Refused, naming what was found.
    expect(first.code, output).not.toBe(0);
    expect(output).toContain(`one already exists with name "Hand Key" (id ${handKey})`);
    expect(output).toMatch(/no pending create for it/);

    const afterFirst = await stateIds();
    console.log(`after the first recover, orphans in the state: ${orphans.filter((o) => afterFirst.has(o.id)).map((o) => o.label).join(", ") || "none"}; batch objects not in the state: ${(await batchObjects(1)).filter((o) => !afterFirst.has(o.id)).map((o) => o.label).join(", ")}`);

    // Without the new entries, recover again: the killed run's creates are recovered.
    project.writeStack(stringify(batch(1)));
    const second = await project.mailform(["recover"]);
    const said = (r: { stdout: string; stderr: string }) => (r.stdout + r.stderr).split("\n").filter((l) => /^mailform recover:|error:|adopt/.test(l.trim()));
    console.log([`${pending.length} pending creates after the kill; orphans: ${orphans.map((o) => o.label).join(", ")}`, "first recover:", ...said(first), "second recover:", ...said(second)].join("\n"));
    expect(second.code, second.stdout + second.stderr).toBe(0);
    const preview = await project.previewNoChanges();
    expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0);
    for (const [vendor, collection, name] of [
      ["mailtrap", "projects", "Batch 1 A"],
      ["mailtrap", "email_templates", "Welcome 1"],
      ["mailtrap", "api_tokens", "CI 1"],
      ["sendgrid", "api_keys", "Key 1"],
      ["sendgrid", "api_keys", "Other 1"],
    ] as const) {
      expect(await ids(vendor, collection, name), `${vendor} ${collection} "${name}"`).toHaveLength(1);
    }
    // Each orphan is in the state now: the same object, or (a key or token) made again.
    const now = await stateIds();
    for (const o of orphans) expect(now.has(o.id), `${o.label} (id ${o.id}) in the state`).toBe(!o.secret);
    expect((await batchObjects(1)).every((o) => now.has(o.id)), "every object of the batch in the state").toBe(true);
    const outputs = (await project.outputs(true)) as { resources: Record<string, unknown> };
    expect(outputs.resources["mailtrap.apiTokens.ci1.token"]).toMatch(/^[0-9a-f]{32}$/);
    expect(outputs.resources["sendgrid.apiKeys.k1.apiKey"]).toMatch(/^SG\./);
    // The hand-made objects are still there, as made; nothing is kept for a later recover.
    expect(await ids("sendgrid", "api_keys", "Hand Key")).toEqual([handKey]);
    expect(await ids("mailtrap", "projects", "Hand Project")).toEqual([handProject]);
    expect(fs.existsSync(carried())).toBe(false);
  }, 300_000);

  it("pending creates kept by a failed recover are forgotten once an update of the stack has succeeded since", async () => {
    // As if a recover an hour ago had kept a pending create of "Hand Key" and failed, and the
    // stack had been updated successfully since (the test above did so).
    const handKey = (await ids("sendgrid", "api_keys", "Hand Key"))[0]!;
    fs.mkdirSync(path.dirname(carried()), { recursive: true });
    const create = { urn: `urn:pulumi:${project.stack}::mailform::pulumi-nodejs:dynamic/sendgrid:ApiKey::hand`, type: "pulumi-nodejs:dynamic/sendgrid:ApiKey", inputs: { name: "Hand Key" } };
    fs.writeFileSync(carried(), JSON.stringify({ written: new Date(Date.now() - 3_600_000).toISOString(), creates: [create] }));
    project.writeStack(stringify(withNewEntries(1)));
    const result = await project.mailform(["recover"]);
    const output = result.stdout + result.stderr;
    expect(output).toMatch(/an update of the stack succeeded since an earlier recover kept 1 pending creates: forgetting them/);
    expect(await ids("sendgrid", "api_keys", "Hand Key"), output).toEqual([handKey]);
    expect(result.code).not.toBe(0);
  }, 300_000);
});

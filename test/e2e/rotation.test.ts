/**
 * Credential rotation: after `pulumi config set --secret` of a new key and the old key revoked at
 * the vendor, the refresh-based commands work with the new key when they run the program
 * (`--run-program`, which the README tells users to pass and `mailform drift` passes itself):
 * without it the engine refreshes with the provider configuration recorded at the last deployment.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { TestProject } from "../support/project";

const MASTER = DEFAULT_CREDENTIALS.mailjet;

describe("credential rotation", () => {
  let emu: RunningEmulators;
  let project: TestProject;

  /** A Mailjet call with the account's master key (the "web UI" of this test). */
  const mj = async (method: string, path: string, body?: unknown): Promise<{ ID: number; APIKey: string; SecretKey: string }> => {
    const res = await fetch(`${emu.urls.mailjet}/v3/REST${path}`, {
      method,
      headers: {
        Authorization: `Basic ${Buffer.from(`${MASTER.apiKey}:${MASTER.secretKey}`).toString("base64")}`,
        "Content-Type": "application/json",
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(res.status).toBeLessThan(300);
    return ((await res.json()) as { Data: { ID: number; APIKey: string; SecretKey: string }[] }).Data[0]!;
  };

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("refresh, drift previews and up use the new key once the program runs", async () => {
    const first = await mj("POST", "/apikey", { Name: "mailform CI 1" });
    project = await TestProject.create({ endpoints: { mailjet: { url: emu.urls.mailjet, apiKey: first.APIKey, secretKey: first.SecretKey } } });
    project.writeStack("mailjet:\n  templates:\n    receipt:\n      name: Receipt\n      ownerType: user\n");
    await project.up();

    // Rotate: a new key in stack config, the old one revoked.
    const second = await mj("POST", "/apikey", { Name: "mailform CI 2" });
    await project.config("mailjetApiKey", second.APIKey, true);
    await project.config("mailjetSecretKey", second.SecretKey, true);
    await mj("PUT", `/apikey/${first.ID}`, { IsActive: false });

    // The engine's default: refresh with the configuration recorded at the last deployment.
    const stale = await project.run(["preview", "--refresh", "--expect-no-changes"]);
    expect(stale.code).not.toBe(0);
    expect(`${stale.stdout}${stale.stderr}`).toContain("401");
    for (const secret of [first.SecretKey, second.SecretKey]) expect(`${stale.stdout}${stale.stderr}`).not.toContain(secret);

    // With the program run, the current configuration is used.
    const preview = await project.run(["preview", "--refresh", "--run-program", "--expect-no-changes", "--diff"]);
    expect(preview.code, `${preview.stdout}\n${preview.stderr}`).toBe(0);
    await project.must(["refresh", "--run-program", "--yes", "--skip-preview"]);
    await project.up(["--refresh", "--run-program"]);
    // And after that `up`, the new key is the recorded one: a plain refresh works too.
    const plain = await project.run(["preview", "--refresh", "--expect-no-changes"]);
    expect(plain.code, `${plain.stdout}\n${plain.stderr}`).toBe(0);
  });
});

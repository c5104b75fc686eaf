/**
 * Regression: a forced replacement (`pulumi up --replace`) of an entry with `adopt: true` must not
 * adopt the object it is replacing and then delete it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { TestProject } from "../support/project";

const token = DEFAULT_CREDENTIALS.mailtrap.apiToken;

describe("forced replacement of an adopting entry", () => {
  let emu: RunningEmulators;
  let project: TestProject;

  beforeAll(async () => {
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    project = await TestProject.create({ endpoints: { mailtrap: { url: emu.urls.mailtrap, token } } });
  });

  afterAll(async () => {
    project?.remove();
    await emu?.close();
  });

  it("leaves exactly one live project, the one the state points at", async () => {
    project.writeStack("mailtrap:\n  projects:\n    shared:\n      name: Shared\n      adopt: true\n");
    await project.up();
    const urn = (await project.exportState()).resources.find((r) => r.type === "pulumi-nodejs:dynamic/mailtrap:Project")!.urn;

    await project.up(["--replace", urn]);

    const res = await fetch(`${emu.urls.mailtrap}/api/projects`, { headers: { "Api-Token": token } });
    const live = (await res.json()) as { id: number; name: string }[];
    expect(live.map((p) => p.name)).toEqual(["Shared"]);
    const inState = (await project.exportState()).resources.find((r) => r.urn === urn)!;
    expect(inState.id).toBe(String(live[0].id));
    const converged = await project.previewNoChanges(["--refresh"]);
    expect(converged.code, converged.stdout).toBe(0);
  });
});

/**
 * `npm run demo`, the README's main job, run as it is in a copy of the project: `up` of
 * stacks/demo.yaml on the three emulated vendors, one out-of-band edit per vendor through the
 * vendors' own APIs, `mailform drift` exiting 2, `up --refresh`, and a converged preview.
 */
import * as fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { demo } from "../../cli/demo";
import { layOutProject } from "../support/project";

describe("npm run demo", () => {
  const dir = layOutProject({ copyStacks: true });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("converges, catches the hand edits as drift, repairs them and converges again", async () => {
    const code = await demo({ root: dir, ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    expect(code).toBe(0);
    // It ends with the preview of a template change, rendered with the sample data, and the stack file as it was.
    const page = fs.readFileSync(`${dir}/.mailform/preview/mailtrap.emailTemplates.welcome.html`, "utf8");
    expect(page).toContain('<span class="subject">Welcome to Acme, Ada</span>');
    expect(page).toContain('<span class="subject">Ada, welcome aboard Acme</span>');
    expect(fs.readFileSync(`${dir}/stacks/demo.yaml`, "utf8")).toContain('subject: "Welcome to {{company}}, {{name}}"');
  });
});

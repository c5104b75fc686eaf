/**
 * Invalid stack files through the real `pulumi preview`: the program stops before registering any
 * resource, so no vendor API is called (the emulators' counters stay at 0), and each located error
 * is printed once, in a few lines, without an engine message.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useEmulators } from "../support/emulators";
import { TestProject, emulatedVendors } from "../support/project";


/** Stack text (or bytes), and the `line:column` of each error `pulumi preview` must print once. */
const CASES: { name: string; stack: string | Buffer; errors: string[]; problem: RegExp }[] = [
  {
    name: "a repeated top-level section",
    stack: "mailtrap:\n  projects:\n    p:\n      name: Project\nsendgrid:\n  apiKeys:\n    k: { name: Key }\nsendgrid:\n  apiKeys:\n    j: { name: Other }\n",
    errors: ["8:1"],
    problem: /duplicate key "sendgrid" \(first defined on line 5\)/,
  },
  {
    name: "an escape sequence in a name",
    stack: 'mailjet:\n  apiKeys:\n    k:\n      name: "Key \\e[31m"\n',
    errors: ["4:18"],
    problem: /control character U\+001B \(ESC\)/,
  },
  {
    name: "nesting far too deep",
    stack: `mailtrap: ${"[".repeat(50_000)}${"]".repeat(50_000)}\n`,
    errors: ["1:74"],
    problem: /nests deeper than 64 levels/,
  },
  {
    name: "an unclosed bracket at the top level",
    stack: "{\nmailtrap:\n  projects:\n    p:\n      name: Project\n",
    errors: ["1:1"],
    problem: /this \{ is not closed/,
  },
  {
    name: "bytes that are not UTF-8",
    stack: Buffer.from("sendgrid:\n  apiKeys:\n    k:\n      name: Re\xe7u\n", "latin1"),
    errors: ["4:15"],
    problem: /is not UTF-8 text \(byte 0xE7 here\)/,
  },
];

describe("pulumi preview of invalid stacks", () => {
  const ctx = useEmulators(() => ({}));
  let project: TestProject;

  beforeAll(async () => {
    const { urls } = ctx.emu;
    project = await TestProject.create({
      endpoints: emulatedVendors(urls),
    });
  });

  afterAll(() => project?.remove());

  it.each(CASES)("$name: located error printed once, no vendor request", async ({ stack, errors, problem }) => {
    await ctx.admin.resetRequestCounts();
    fs.writeFileSync(path.join(project.dir, "stacks", `${project.stack}.yaml`), stack);
    const r = await project.run(["preview", "--non-interactive"]);
    const printed = r.stdout + r.stderr;
    expect(r.code, printed).not.toBe(0);
    expect(printed).toMatch(problem);
    for (const at of errors) expect(printed.split(`stacks/${project.stack}.yaml:${at}  error`).length - 1, printed).toBe(1);
    expect(printed.split("  error  ").length - 1, printed).toBe(errors.length);
    expect(printed).not.toMatch(/call stack|RangeError|at Object\.<anonymous>|node_modules/);
    expect(printed.length, printed).toBeLessThan(3000);
    expect((await ctx.admin.requestSummary()).total).toBe(0);
  });

  it("counts requests once the stack is valid (the zero above is not a disconnected counter)", async () => {
    await ctx.admin.resetRequestCounts();
    project.writeStack("mailtrap:\n  projects:\n    p:\n      name: Project\n");
    await project.up();
    expect((await ctx.admin.requestSummary()).byVendor.mailtrap ?? 0).toBeGreaterThan(0);
    await project.destroy();
  });
});

/**
 * engine/build.cjs: the program and providers run compiled, without tsx; set-up rebuilds only when a
 * source changed; a stale dist/ refuses to run and names the file and the command.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, load, staleness } from "../../engine/build.cjs";
import { PROJECT_ROOT } from "../../engine/pulumi";
import { formatErrors, loadStack } from "../../config";

/** Modules under node_modules/<dir> that a fresh node process has loaded after running `code`. */
function modulesAfter(code: string, cwd: string, dir = "tsx/"): string[] {
  const out = execFileSync(
    process.execPath,
    ["-e", `(async () => { ${code}; process.stdout.write(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes(${JSON.stringify(`/node_modules/${dir}`)})))) })();`],
    { cwd, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "ignore"] },
  );
  return JSON.parse(out);
}

/**
 * The program run against Pulumi's mocks instead of an engine, as stack `stack`: its module exports
 * the registration, called and awaited as the SDK does (statements for an async function's body).
 */
const programWithMocks = (stack: string) =>
  `require("@pulumi/pulumi").runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs }, "mailform", "${stack}", true);` +
  `await require("./dist/program.js")()`;

describe("compiled program and providers", () => {
  let root: string;

  beforeAll(async () => {
    // A checkout of its own: real copies of the sources, so they can be edited.
    root = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-build-"));
    for (const dir of ["api", "program", "providers", "config", "templates", "schemas", "engine"]) {
      fs.cpSync(path.join(PROJECT_ROOT, dir), path.join(root, dir), { recursive: true, filter: (src) => !src.includes(`${path.sep}langhost`) });
    }
    for (const file of ["package.json", "tsconfig.json"]) fs.copyFileSync(path.join(PROJECT_ROOT, file), path.join(root, file));
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(root, "node_modules"));
    fs.cpSync(path.join(PROJECT_ROOT, "stacks"), path.join(root, "stacks"), { recursive: true });
  });

  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  it("builds once, then only when a source's content changes", async () => {
    expect(staleness(root, true)).toContain("dist/manifest.json is missing");
    expect(await ensureBuilt(root)).toMatch(/^compiled program and providers .*: \d+ sources in \d+ ms$/);
    expect(staleness(root, true)).toBeUndefined();
    expect(await ensureBuilt(root)).toBeUndefined();

    const source = path.join(root, "providers", "http", "client.ts");
    fs.utimesSync(source, new Date(), new Date(Date.now() + 5000));
    expect(staleness(root, true), "a new mtime alone is no change").toBeUndefined();

    // A statement with an effect, so the bundler keeps it.
    fs.appendFileSync(source, "\nObject.assign(globalThis, { mailformRelease: 'release 2' });\n");
    expect(staleness(root, true)).toBe("providers/http/client.ts changed");
    expect(() => load(root, "providers")).toThrow(
      `mailform: the compiled code in ${path.join(root, "dist")} is out of date: providers/http/client.ts changed. Run: bash engine/setup.sh (or npm run build)`,
    );
    expect(await ensureBuilt(root)).toContain("(providers/http/client.ts changed)");
    expect(fs.readFileSync(path.join(root, "dist", "providers.js"), "utf8")).toContain("release 2");

    // Each process checks the sources of what it runs: a program-only change leaves the providers usable.
    fs.appendFileSync(path.join(root, "program", "resource.ts"), "\n// edited\n");
    expect(staleness(root, false, "program")).toBe("program/resource.ts changed");
    expect(staleness(root, false, "providers")).toBeUndefined();
    expect(typeof (load(root, "providers") as { provider?: unknown }).provider).toBe("function");
    expect(() => load(root, "program")).toThrow("program/resource.ts changed");
    // The program checks itself as it starts, as the engine runs it (package.json "main").
    const started = spawnSync(process.execPath, ["-e", `require("./dist/program.js")`], { cwd: root, encoding: "utf8" });
    expect(started.status).not.toBe(0);
    expect(started.stderr).toContain("is out of date: program/resource.ts changed. Run: bash engine/setup.sh");
  });

  it("runs the provider implementation and the program without loading tsx", async () => {
    await ensureBuilt(root);
    const providers = `const p = require("./providers/runtime.cjs"); if (typeof p.provider("mailtrap:Project").create !== "function") throw new Error("no provider")`;
    expect(modulesAfter(providers, root)).toEqual([]);
    // The program registers stacks/demo.yaml's resources.
    expect(modulesAfter(programWithMocks("demo"), root)).toEqual([]);
    // The same check sees tsx when it is there.
    expect(modulesAfter(`require("tsx/cjs/api").register(); require("./providers/registry.ts")`, root).length).toBeGreaterThan(0);
  });

  it("validates with the schema validator generated at build time, and the same errors", async () => {
    await ensureBuilt(root);
    // Only ajv's small run-time helpers load: no schema compiler.
    const ajv = modulesAfter(programWithMocks("demo"), root, "ajv/");
    expect(ajv.length).toBeGreaterThan(0);
    expect(ajv.every((m) => m.includes("/node_modules/ajv/dist/runtime/")), ajv.join("\n")).toBe(true);

    const stack = "generated-check";
    const file = path.join(root, "stacks", `${stack}.yaml`);
    fs.writeFileSync(file, "mailtrap:\n  projects:\n    staging:\n      nme: Staging\n");
    const run = spawnSync(process.execPath, ["-e", `(async () => { ${programWithMocks(stack)} })().catch((e) => { console.error(e.message); process.exit(1); });`], { cwd: root, encoding: "utf8" });
    const fromSources = loadStack(file);
    expect(fromSources.ok).toBe(false);
    const expected = formatErrors(fromSources.ok ? [] : fromSources.errors);
    expect(expected).toContain(":4:7");
    expect(run.stderr).toContain(expected.replaceAll(file, `stacks/${stack}.yaml`));

    // The generated code depends on the schema, which the bundle no longer imports itself.
    fs.appendFileSync(path.join(root, "schemas", "stack.schema.json"), "\n");
    expect(staleness(root, false, "program")).toBe("schemas/stack.schema.json changed");
  });
});

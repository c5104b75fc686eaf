/**
 * mailform as a team installs it: `npm pack` of this tree (its file list asserted, its size
 * printed), installed with `npm install` into a fresh repository outside the tree (no link to the
 * source), `npx mailform init`, then every command of the generated workflows run as GitHub would
 * run them (validate, plan, up, drift after an out-of-band edit), export, destroy, against the
 * emulators `mailform emulator` starts; and a TypeScript Pulumi program using the package's API,
 * type-checked (a wrong field type is refused) and run through the real engine.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AdminClient } from "../../emulators/admin-client";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { ensureEngine, PROJECT_ROOT } from "../../engine/pulumi";
import { run, show } from "../support/run";
import { packCurrent, teamEnv } from "../support/package";

const creds = DEFAULT_CREDENTIALS;
const STACK = "prod";

/** What the tarball may hold: the CLI, compiled code and its declarations, the engine set-up, docs, templates. */
const SHIPPED = [/^package\.json$/, /^README\.md$/, /^CHANGELOG\.md$/, /^cli\/mailform\.cjs$/, /^dist\/[a-z]+\.js$/, /^dist\/manifest\.json$/,
  /^dist\/types\/.+\.d\.ts$/, /^docs\/.+\.md$/, /^engine\/(setup\.sh|build\.cjs|pulumi-resource-pulumi-nodejs)$/, /^engine\/(cli|langhost)\/[a-z]+\.(go|mod|sum)$/,
  /^init\//, /^providers\/[a-z]+\.cjs$/, /^schemas\/stack\.schema\.json$/];
const REQUIRED = ["cli/mailform.cjs", "dist/cli.js", "dist/program.js", "dist/providers.js", "dist/api.js", "dist/types/api/index.d.ts",
  "providers/runtime.cjs", "schemas/stack.schema.json", "engine/setup.sh", "engine/cli/go.sum", "engine/langhost/main.go", "CHANGELOG.md",
  "init/workflows/mailform-plan.yml", "init/workflows/mailform-apply.yml", "init/workflows/mailform-drift.yml"];

/** A step's `run:` as GitHub's default shell runs it (bash -eo pipefail). */
const step = (line: string, cwd: string, env: NodeJS.ProcessEnv) => run("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", line], cwd, env);

/** The run lines of a generated workflow, in order. */
function runLines(file: string): string[] {
  const wf = parse(fs.readFileSync(file, "utf8")) as { jobs: Record<string, { steps: { run?: string }[] }> };
  return Object.values(wf.jobs).flatMap((j) => j.steps.flatMap((s) => (s.run ? s.run.split("\n").filter((l) => l.trim() && !l.trim().startsWith("#")) : [])));
}

let base: string;
let team: string;
let tarball: string;
let files: string[];
let emulator: ChildProcess | undefined;
let urls: Record<string, string>;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-package-"));
  // Packed once per run (and per content) with upgrade-package.test.ts: test/support/package.ts.
  const packed = await packCurrent();
  tarball = packed.tarball;
  files = packed.files;
  console.log(`mailform package: ${packed.filename}, ${(fs.statSync(tarball).size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${files.length} files`);

  team = path.join(base, "team");
  fs.mkdirSync(team);
  const install = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], team, process.env);
  if (install.code !== 0) throw new Error(`npm install of the tarball failed: ${show(install)}`);

  // The engine as every e2e test finds it (cached); the package's own set-up reuses the same builds.
  ensureEngine();
  env = { ...teamEnv(base), STACK };
  // The package's bin itself (a node script), so its PID is the emulators' process.
  emulator = spawn(path.join(team, "node_modules", ".bin", "mailform"), ["emulator", "--port-mailtrap", "0", "--port-sendgrid", "0", "--port-mailjet", "0", "--port-admin", "0"], { cwd: team, env });
  urls = await new Promise((resolve, reject) => {
    let out = "";
    emulator!.stdout!.on("data", (d: Buffer) => {
      out += d;
      const found = Object.fromEntries([...out.matchAll(/^(\w+) (http\S+)$/gm)].map((m) => [m[1], m[2]]));
      if (Object.keys(found).length === 4) resolve(found);
    });
    emulator!.on("exit", (code) => reject(new Error(`mailform emulator exited ${code}: ${out}`)));
  });
}, 240_000);

afterAll(() => {
  if (emulator?.pid) process.kill(emulator.pid, "SIGTERM");
  if (base) fs.rmSync(base, { recursive: true, force: true });
});

describe("the npm package", () => {
  it("holds what a team runs and nothing of tests, benches, fixtures, sources or source maps", () => {
    for (const f of files) expect(SHIPPED.some((re) => re.test(f)), `${f} should not be in the package`).toBe(true);
    expect(files.filter((f) => /(^|\/)(test|bench|fixtures?)\/|_test\.go$|\.map$|(?<!\.d)\.ts$/.test(f))).toEqual([]);
    for (const f of REQUIRED) expect(files).toContain(f);
    const pkg = JSON.parse(fs.readFileSync(path.join(team, "node_modules", "mailform", "package.json"), "utf8"));
    expect(pkg.private).toBeUndefined();
    // Installed from the tarball, not linked to this tree.
    expect(fs.lstatSync(path.join(team, "node_modules", "mailform")).isSymbolicLink()).toBe(false);
  });

  it("init, then the generated workflows' commands: validate, plan, up, drift after a hand edit; export; destroy", async () => {
    const mailform = (args: string[]) => run("npx", ["mailform", ...args], team, env);
    const init = await mailform(["init", "--stack", STACK]);
    expect(init.code, show(init)).toBe(0);
    const pkg = JSON.parse(fs.readFileSync(path.join(team, "package.json"), "utf8"));
    expect(pkg.main).toBe("node_modules/mailform/dist/program.js");
    expect(pkg.dependencies.mailform).toContain("mailform-0.1.0.tgz"); // what npm install wrote is kept
    const stackFile = path.join(team, "stacks", `${STACK}.yaml`);
    const schemaLine = /\$schema=(\S+)/.exec(fs.readFileSync(stackFile, "utf8"))![1]!;
    expect(fs.existsSync(path.resolve(path.dirname(stackFile), schemaLine)), schemaLine).toBe(true);
    // A second init overwrites nothing without --force.
    fs.appendFileSync(path.join(team, "README.md"), "\nOur own notes.\n");
    const again = await mailform(["init", "--stack", STACK]);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("README.md exists");
    expect(fs.readFileSync(path.join(team, "README.md"), "utf8")).toContain("Our own notes.");

    // The team's own additions: a SendGrid template whose body file sits in the team's repository.
    fs.mkdirSync(path.join(team, "stacks", "bodies"));
    fs.writeFileSync(path.join(team, "stacks", "bodies", "welcome.html"), "<p>Welcome from the team repository</p>\n");
    fs.appendFileSync(stackFile, [
      "sendgrid:", "  templates:", "    welcome:", "      name: Welcome", "      generation: dynamic", "      versions:", "        v1:",
      "          name: Welcome v1", "          subject: Hello", "          html: { file: bodies/welcome.html }", "          active: true", ""].join("\n"));

    const setup = async (args: string[]) => {
      const r = await mailform(["pulumi", ...args, "--stack", STACK, "--non-interactive"]);
      expect(r.code, show(r)).toBe(0);
    };
    await setup(["stack", "init"]);
    await setup(["config", "set", "mailform:mailtrapApiUrl", urls.mailtrap!]);
    await setup(["config", "set", "mailform:sendgridApiUrl", urls.sendgrid!]);

    const workflows = path.join(team, ".github", "workflows");
    const ran = new Set<string>();
    const workflow = async (name: string, expectCode: (line: string) => number = () => 0) => {
      for (const line of runLines(path.join(workflows, name))) {
        if (line === "npm ci" && ran.has(line)) continue; // one install is enough for the test
        ran.add(line);
        const r = await step(line, team, env);
        expect(r.code, `${name}: ${line}\n${show(r)}`).toBe(expectCode(line));
      }
    };

    await workflow("mailform-plan.yml");
    const firstPlan = fs.readFileSync(path.join(team, "plan.md"), "utf8");
    expect(firstPlan).toContain("**3 to create, 0 to update, 0 to replace, 0 to delete**");
    await workflow("mailform-apply.yml");
    const sg = await fetch(`${urls.sendgrid}/v3/templates?generations=dynamic&page_size=200`, { headers: { authorization: `Bearer ${creds.sendgrid.apiKey}` } });
    expect(JSON.stringify(await sg.json())).toContain("Welcome");

    // State names no path of this machine: it moves with the repository.
    const state = await mailform(["pulumi", "stack", "export", "--stack", STACK]);
    expect(state.stdout).toContain('(\\"mailform/provider\\")');
    expect(state.stdout).not.toContain(base);
    expect(state.stdout).not.toContain(PROJECT_ROOT);

    const admin = new AdminClient(urls.admin!);
    const [project] = await admin.listObjects<{ id: number; name: string }>("mailtrap", "projects");
    await admin.patchObject("mailtrap", "projects", project!.id, { name: "Renamed by hand" });
    await workflow("mailform-drift.yml", (line) => (line.includes("mailform drift") ? 2 : 0));
    expect(fs.readFileSync(path.join(team, "drift.md"), "utf8")).toContain("Renamed by hand");
    await workflow("mailform-plan.yml");
    expect(fs.readFileSync(path.join(team, "plan.md"), "utf8")).toMatch(/update\*\* Project `mailtrap\.projects\.staging`.*"Renamed by hand"/);

    const exported = await mailform(["export", "--stack", STACK, "--vendor", "mailtrap", "--out", "stacks/exported.yaml"]);
    expect(exported.code, show(exported)).toBe(0);
    const exportedSchema = /\$schema=(\S+)/.exec(fs.readFileSync(path.join(team, "stacks", "exported.yaml"), "utf8"))![1]!;
    expect(exportedSchema).toBe("../node_modules/mailform/schemas/stack.schema.json");
    expect((await mailform(["validate", "stacks/exported.yaml"])).code).toBe(0);
    fs.rmSync(path.join(team, "stacks", "exported.yaml"));

    await setup(["destroy", "--yes", "--skip-preview"]);
    expect(await admin.listObjects("mailtrap", "projects")).toEqual([]);
  }, 600_000);

  it("a TypeScript Pulumi program imports { mailtrap } from \"mailform\": typed args, the same resources and outputs", async () => {
    const infra = path.join(team, "infra");
    fs.mkdirSync(infra, { recursive: true });
    fs.writeFileSync(path.join(infra, "Pulumi.yaml"), "name: infra\nruntime:\n  name: nodejs\n  options:\n    typescript: false\n");
    // Its own entry point; mailform and @pulumi/pulumi resolve from the repository's node_modules.
    fs.writeFileSync(path.join(infra, "package.json"), JSON.stringify({ name: "infra", private: true, main: "index.js" }));
    // The example of docs/team-repository.md, as it is printed there.
    const example = /```ts\n([\s\S]*?)```/.exec(fs.readFileSync(path.join(PROJECT_ROOT, "docs", "team-repository.md"), "utf8"))![1]!;
    expect(example).toContain('name: "Staging"');
    const program = (name: string) => example.replace('name: "Staging"', `name: ${name}`);
    // A team's own compiler settings; no @types of its own: only the package's declarations.
    const tsc = (file: string) => {
      const compilerOptions = { module: "nodenext", moduleResolution: "nodenext", target: "ES2022", strict: true, skipLibCheck: true, types: [] };
      fs.writeFileSync(path.join(infra, "tsconfig.json"), JSON.stringify({ compilerOptions, files: [file] }));
      return run(process.execPath, [path.join(PROJECT_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "."], infra, env);
    };
    fs.writeFileSync(path.join(infra, "wrong.ts"), program("42"));
    const wrong = await tsc("wrong.ts");
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts.*Type 'number' is not assignable to type 'string'/s);
    fs.rmSync(path.join(infra, "wrong.ts"));
    fs.rmSync(path.join(infra, "wrong.js"), { force: true });
    fs.writeFileSync(path.join(infra, "index.ts"), program('"Staging"'));
    const ok = await tsc("index.ts");
    expect(ok.code, show(ok)).toBe(0);

    const pulumi = (args: string[]) => run(path.join(team, "node_modules", ".bin", "mailform"), ["pulumi", ...args, "--stack", "dev", "--non-interactive"], infra, env);
    const must = async (args: string[]) => {
      const r = await pulumi(args);
      expect(r.code, show(r)).toBe(0);
      return r;
    };
    await must(["stack", "init"]);
    await must(["config", "set", "mailform:mailtrapApiUrl", urls.mailtrap!]);
    await must(["config", "set", "mailform:sendgridApiUrl", urls.sendgrid!]);
    await must(["up", "--yes", "--skip-preview"]);
    const admin = new AdminClient(urls.admin!);
    const projects = await admin.listObjects<{ id: number; name: string }>("mailtrap", "projects");
    expect(projects.map((p) => p.name)).toEqual(["Staging"]);
    expect((await admin.listObjects<{ name: string }>("sendgrid", "api_keys")).map((k) => k.name)).toContain("App mail sender");
    expect((await must(["stack", "output", "stagingProjectId"])).stdout.trim()).toBe(String(projects[0]!.id));
    const converged = await pulumi(["preview", "--expect-no-changes"]);
    expect(converged.code, show(converged)).toBe(0);
    await must(["destroy", "--yes", "--skip-preview"]);
    expect(await admin.listObjects("mailtrap", "projects")).toEqual([]);
  }, 300_000);
});


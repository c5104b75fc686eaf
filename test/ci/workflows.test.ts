/**
 * The ready-to-copy GitHub Actions workflows in docs/ci/: valid for GitHub (checked by GitHub's own
 * published workflow schema and parser, @actions/workflow-parser), wired as docs/ci/README.md says
 * (pull request: validate + plan as a comment; merge to main: up; nightly: drift, failing, with the
 * report uploaded), credentials only from the secret store, and every `run:` step a command that
 * another test of this project exercises.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runInit } from "../../cli/init";
import { PROJECT_ROOT } from "../../engine/pulumi";

const CI_DIR = path.join(PROJECT_ROOT, "docs", "ci");
const workflows = fs.readdirSync(CI_DIR).filter((f) => f.endsWith(".yml"));

/** Each command a workflow may run, and the test that runs the same command (found by `needle`). */
const EXERCISED: { command: RegExp; test: string; needle: string }[] = [
  // Run by every end-to-end test through ensureEngine() (engine/pulumi.ts).
  { command: /^bash engine\/setup\.sh$/, test: "engine/pulumi.ts", needle: '"setup.sh"' },
  { command: /^npm run validate$/, test: "test/config/cli.test.ts", needle: 'mailform(["validate"])' },
  { command: /^set -o pipefail; npx mailform plan --stack "\$STACK" \| tee plan\.md$/, test: "test/e2e/drift-plan.test.ts", needle: '["plan"]' },
  { command: /^npx mailform drift --stack "\$STACK" --format markdown \| tee drift\.md$/, test: "test/e2e/drift-plan.test.ts", needle: '["drift", "--format", "markdown"]' },
  { command: /^npx mailform preview --stack "\$STACK" --out template-preview$/, test: "test/e2e/preview.test.ts", needle: '["preview", "--out", "out"]' },
  // Only appends the artifact's link (checked in "wires the pipeline" below).
  { command: /^echo "Templates rendered before and after: \$\{\{ steps\.preview\.outputs\.artifact-url \}\}" >> plan\.md$/, test: "test/ci/workflows.test.ts", needle: "artifact-url" },
  { command: /^pulumi up --yes --refresh --skip-preview --non-interactive --stack "\$STACK"$/, test: "test/e2e/postgres-state.test.ts", needle: 'project.up(["--refresh"])' },
];

const CREDENTIALS = ["PULUMI_BACKEND_URL", "PGPASSWORD", "PULUMI_CONFIG_PASSPHRASE", "MAILTRAP_API_TOKEN", "SENDGRID_API_KEY", "MJ_APIKEY_PUBLIC", "MJ_APIKEY_PRIVATE"];

interface Step {
  id?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  env?: Record<string, string>;
  jobs: Record<string, { steps: Step[] }>;
}

const load = (file: string) => parse(fs.readFileSync(path.join(CI_DIR, file), "utf8")) as Workflow;
const steps = (wf: Workflow) => Object.values(wf.jobs).flatMap((j) => j.steps);
const runs = (wf: Workflow) =>
  steps(wf).flatMap((s) => (s.run ? s.run.split("\n").map((l) => l.replace(/\s+#.*$/, "").trim()).filter((l) => l && !l.startsWith("#")) : []));

describe("docs/ci workflows", () => {
  it("has the three workflows the guide describes", () => {
    expect(workflows.sort()).toEqual(["apply.yml", "drift.yml", "pull-request.yml"]);
    const guide = fs.readFileSync(path.join(CI_DIR, "README.md"), "utf8");
    for (const f of workflows) expect(guide).toContain(`(${f})`);
    expect(fs.readFileSync(path.join(PROJECT_ROOT, "README.md"), "utf8")).toContain("(docs/ci/README.md)");
  });

  it.each(workflows)("%s is valid for GitHub's own workflow schema and parser", async (file) => {
    const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import("@actions/workflow-parser");
    const content = fs.readFileSync(path.join(CI_DIR, file), "utf8");
    const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(template.errors ?? []).toEqual([]);
    expect(template.jobs.length).toBeGreaterThan(0);
  });

  it("the parser rejects a broken workflow (the check above can fail)", async () => {
    const { parseWorkflow, NoOperationTraceWriter } = await import("@actions/workflow-parser");
    const broken = fs.readFileSync(path.join(CI_DIR, "drift.yml"), "utf8").replace("runs-on: ubuntu-latest", "runs_on: ubuntu-latest");
    const parsed = parseWorkflow({ name: "broken.yml", content: broken }, new NoOperationTraceWriter());
    expect(parsed.context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it.each(workflows)("%s runs only commands other tests exercise", (file) => {
    for (const line of runs(load(file))) {
      const known = EXERCISED.find((e) => e.command.test(line));
      expect(known, `"${line}" in ${file} is not a command any test runs`).toBeDefined();
      expect(fs.readFileSync(path.join(PROJECT_ROOT, known!.test), "utf8"), `${known!.test} runs ${line}`).toContain(known!.needle);
    }
  });

  it.each(workflows)("%s takes credentials from the secret store and installs the pinned Pulumi CLI", (file) => {
    const wf = load(file);
    for (const name of CREDENTIALS) expect(wf.env?.[name], `${file}: ${name}`).toBe(`\${{ secrets.${name} }}`);
    const version = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
    const setup = steps(wf).find((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(setup?.with?.["pulumi-version"]).toBe(version);
  });

  it("wires the pipeline: PR validate + plan comment, apply on main, nightly drift that uploads its report", () => {
    const pr = load("pull-request.yml");
    expect(Object.keys(pr.on)).toEqual(["pull_request"]);
    expect(runs(pr)).toEqual([
      "bash engine/setup.sh",
      "npm run validate",
      'set -o pipefail; npx mailform plan --stack "$STACK" | tee plan.md',
      'npx mailform preview --stack "$STACK" --out template-preview',
      'echo "Templates rendered before and after: ${{ steps.preview.outputs.artifact-url }}" >> plan.md',
    ]);
    // The template preview is uploaded even when the plan step fails, and its link goes into the comment.
    const names = steps(pr).map((s) => s.uses ?? s.run ?? "");
    const previewUpload = steps(pr).find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(previewUpload).toMatchObject({ id: "preview", if: "always()", with: { path: "template-preview/" } });
    expect(names.indexOf(previewUpload!.uses!)).toBeLessThan(names.findIndex((n) => n.startsWith("marocchino/sticky-pull-request-comment@")));
    expect(steps(pr).find((s) => s.run?.startsWith("npx mailform preview"))?.if).toBe("always()");
    // A plan whose `up` would fail fails the step; the comment is posted all the same.
    expect(steps(pr).find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))?.if).toBe("always()");
    expect(steps(pr).find((s) => s.uses?.startsWith("marocchino/sticky-pull-request-comment@"))?.with?.path).toBe("plan.md");

    const apply = load("apply.yml");
    expect(apply.on).toMatchObject({ push: { branches: ["main"] } });
    expect(runs(apply).pop()).toMatch(/^pulumi up /);

    // A change of the stacks' config or a mailform upgrade gets a plan and an apply too.
    for (const wf of [pr.on.pull_request, (apply.on as { push: unknown }).push] as { paths?: string[] }[])
      expect(wf.paths).toEqual(expect.arrayContaining(["stacks/**", "Pulumi.*.yaml", "package.json", "package-lock.json"]));

    const drift = load("drift.yml");
    expect(Object.keys(drift.on)).toContain("schedule");
    const upload = steps(drift).find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    expect(upload).toMatchObject({ if: "always()", with: { path: "drift.md" } });
  });

  it("the nightly drift report shows unmanaged objects: its command is the one whose markdown test/e2e/teammates.test.ts checks for them", () => {
    const drift = load("drift.yml");
    expect(runs(drift)).toContain('npx mailform drift --stack "$STACK" --format markdown | tee drift.md');
    const e2e = fs.readFileSync(path.join(__dirname, "..", "e2e", "teammates.test.ts"), "utf8");
    expect(e2e).toContain('project.mailform(["drift", "--format", "markdown"])');
    expect(e2e).toContain("### Unmanaged: live objects no entry declares");
    expect(fs.readFileSync(path.join(CI_DIR, "drift.yml"), "utf8")).toMatch(/^# .*no entry declares \(unmanaged objects/m);
  });
});

describe("the workflows `mailform init` writes into a team's repository", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-init-"));
  const stack = "eu-prod";
  const workflowsDir = path.join(dir, ".github", "workflows");
  let generated: string[] = [];
  beforeAll(() => {
    expect(runInit(["--dir", dir, "--stack", stack], () => undefined)).toBe(0);
    generated = fs.readdirSync(workflowsDir).sort();
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const loadGenerated = (file: string) => parse(fs.readFileSync(path.join(workflowsDir, file), "utf8")) as Workflow & { concurrency?: { group: string } };

  it("are the three, each valid for GitHub's own workflow schema and parser", async () => {
    expect(generated).toEqual(["mailform-apply.yml", "mailform-drift.yml", "mailform-plan.yml"]);
    const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = await import("@actions/workflow-parser");
    for (const file of generated) {
      const parsed = parseWorkflow({ name: file, content: fs.readFileSync(path.join(workflowsDir, file), "utf8") }, new NoOperationTraceWriter());
      expect(parsed.context.errors.getErrors().map((e) => e.message), file).toEqual([]);
      const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
      expect(template.errors ?? [], file).toEqual([]);
    }
  });

  it("trigger on config and version changes, queue per stack, explain forks, take credentials from secrets", () => {
    const plan = loadGenerated("mailform-plan.yml");
    const apply = loadGenerated("mailform-apply.yml");
    const drift = loadGenerated("mailform-drift.yml");
    for (const on of [plan.on.pull_request, (apply.on as { push: unknown }).push] as { paths?: string[] }[])
      expect(on.paths).toEqual(["stacks/**", "Pulumi.*.yaml", "package.json", "package-lock.json"]);
    // Apply and drift of one stack share a queue; a stack's plans replace each other per branch.
    expect(apply.concurrency?.group).toBe(`mailform-${stack}`);
    expect(drift.concurrency?.group).toBe(`mailform-${stack}`);
    expect(plan.concurrency?.group).toContain(`mailform-plan-${stack}-`);
    const planJob = (plan.jobs as Record<string, { if?: string }>).plan!;
    expect(planJob.if).toBe("github.event.pull_request.head.repo.full_name == github.repository");
    expect(fs.readFileSync(path.join(workflowsDir, "mailform-plan.yml"), "utf8")).toMatch(/fork no secrets/);
    const version = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> }).dependencies["@pulumi/pulumi"];
    for (const wf of [plan, apply, drift]) {
      expect(wf.env?.STACK).toBe(stack);
      for (const name of CREDENTIALS) expect(wf.env?.[name]).toBe(`\${{ secrets.${name} }}`);
      expect(steps(wf).find((s) => s.uses?.startsWith("pulumi/actions@"))?.with?.["pulumi-version"]).toBe(version);
    }
    expect(runs(apply).pop()).toBe('npx mailform pulumi up --yes --refresh --skip-preview --non-interactive --stack "$STACK"');
  });

  it("run only commands test/e2e/package.test.ts runs, literally, from an installed package", () => {
    const e2e = fs.readFileSync(path.join(PROJECT_ROOT, "test", "e2e", "package.test.ts"), "utf8");
    for (const file of generated) expect(e2e, `package.test.ts runs the steps of ${file}`).toContain(`workflow("${file}"`);
    expect(e2e).toContain("runLines(path.join(workflows, name))");
  });
});

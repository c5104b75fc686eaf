/**
 * A throw-away mailform project for end-to-end tests: laid out like a user's checkout (Pulumi.yaml,
 * program/, providers/, config/, schemas/, node_modules) in a temp directory, with its own file://
 * state backend and PULUMI_HOME, driven through the real Pulumi CLI.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { build } from "../../engine/build.cjs";
import { engineEnv, pulumi, PROJECT_ROOT, type PulumiResult } from "../../engine/pulumi";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { run } from "./run";

/** All three emulated vendors, with the emulators' demo credentials. */
export function emulatedVendors(urls: { mailtrap: string; sendgrid: string; mailjet: string }): VendorEndpoints {
  const c = DEFAULT_CREDENTIALS;
  return {
    mailtrap: { url: urls.mailtrap, token: c.mailtrap.apiToken },
    sendgrid: { url: urls.sendgrid, apiKey: c.sendgrid.apiKey },
    mailjet: { url: urls.mailjet, apiKey: c.mailjet.apiKey, secretKey: c.mailjet.secretKey },
  };
}

export interface VendorEndpoints {
  mailtrap?: { url: string; token: string };
  sendgrid?: { url: string; apiKey: string };
  mailjet?: { url: string; apiKey: string; secretKey: string };
}

export interface TestProjectOptions {
  stack?: string;
  /** Copy providers/ instead of linking it, so a test can change provider code. */
  copyProviders?: boolean;
  /** State in this backend (e.g. postgres://...) instead of a file:// folder in the project. */
  backendUrl?: string;
  /** Extra environment of every CLI run, e.g. PGPASSWORD for a postgres:// backend. */
  extraEnv?: Record<string, string>;
  endpoints: VendorEndpoints;
}

// The engine runs dist/program.js (package.json "main"); engine/build.cjs checks it and loads the providers.
const LINKED = ["api", "program", "config", "templates", "schemas", "engine", "node_modules", "package.json", "tsconfig.json"];
export const PASSPHRASE = "mailform-test-passphrase";

/**
 * A new temp directory laid out like a checkout: the code linked, Pulumi.yaml copied, providers/
 * copied when a test changes them. The caller adds stacks/ (or `copyStacks` copies this one's).
 */
export function layOutProject(opts: { copyProviders?: boolean; copyStacks?: boolean } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-e2e-"));
  for (const entry of LINKED) {
    const from = path.join(PROJECT_ROOT, entry);
    if (fs.existsSync(from)) fs.symlinkSync(from, path.join(dir, entry));
  }
  if (opts.copyProviders) {
    fs.cpSync(path.join(PROJECT_ROOT, "providers"), path.join(dir, "providers"), { recursive: true });
  } else {
    for (const entry of ["providers", "dist"]) fs.symlinkSync(path.join(PROJECT_ROOT, entry), path.join(dir, entry));
  }
  fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  if (opts.copyStacks) fs.cpSync(path.join(PROJECT_ROOT, "stacks"), path.join(dir, "stacks"), { recursive: true });
  return dir;
}

export class TestProject {
  readonly env: NodeJS.ProcessEnv;

  private constructor(
    readonly dir: string,
    readonly stack: string,
    stateDir: string,
    backendUrl?: string,
    extra?: Record<string, string>,
  ) {
    this.env = engineEnv({ stateDir, backendUrl, extra, passphrase: PASSPHRASE, home: path.join(dir, ".pulumi-home") });
  }

  static async create(opts: TestProjectOptions): Promise<TestProject> {
    const dir = layOutProject({ copyProviders: opts.copyProviders });
    fs.mkdirSync(path.join(dir, "stacks"));

    const project = new TestProject(dir, opts.stack ?? "e2e", path.join(dir, ".state"), opts.backendUrl, opts.extraEnv);
    // Copied providers run from this project's own dist/, as a checkout of their release would.
    if (opts.copyProviders) await project.build();
    await project.must(["stack", "init"]);
    const { mailtrap, sendgrid, mailjet } = opts.endpoints;
    if (mailtrap) {
      await project.config("mailtrapApiUrl", mailtrap.url);
      await project.config("mailtrapApiToken", mailtrap.token, true);
    }
    if (sendgrid) {
      await project.config("sendgridApiUrl", sendgrid.url);
      await project.config("sendgridApiKey", sendgrid.apiKey, true);
    }
    if (mailjet) {
      await project.config("mailjetApiUrl", mailjet.url);
      await project.config("mailjetApiKey", mailjet.apiKey, true);
      await project.config("mailjetSecretKey", mailjet.secretKey, true);
    }
    return project;
  }

  /** Compiles this project's program and providers into its dist/ (engine/build.cjs), as setup does. */
  async build(): Promise<void> {
    await build(this.dir);
  }

  /** Writes stacks/<stack>.yaml (and any extra files, relative to stacks/). */
  writeStack(yaml: string, files: Record<string, string> = {}): void {
    fs.writeFileSync(path.join(this.dir, "stacks", `${this.stack}.yaml`), yaml);
    for (const [name, text] of Object.entries(files)) {
      const target = path.join(this.dir, "stacks", name);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, text);
    }
  }

  config(key: string, value: string, secret = false): Promise<PulumiResult> {
    return this.must(["config", "set", `mailform:${key}`, value, ...(secret ? ["--secret"] : [])]);
  }

  run(args: string[]): Promise<PulumiResult> {
    return pulumi([...args, "--stack", this.stack], { cwd: this.dir, env: this.env });
  }

  /** Runs and fails the test, with the CLI's output, when the command fails. */
  async must(args: string[]): Promise<PulumiResult> {
    const result = await this.run(args);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} exited ${result.code}\n${result.stdout}\n${result.stderr}`);
    }
    return result;
  }

  up(extra: string[] = []): Promise<PulumiResult> {
    return this.must(["up", "--yes", "--skip-preview", ...extra]);
  }

  /** `preview --expect-no-changes`: code 0 when converged. */
  previewNoChanges(extra: string[] = []): Promise<PulumiResult> {
    return this.run(["preview", "--expect-no-changes", "--diff", ...extra]);
  }

  destroy(): Promise<PulumiResult> {
    return this.must(["destroy", "--yes", "--skip-preview"]);
  }

  /**
   * `mailform <args> --stack <stack>` through the package's bin, in this project, with its backend
   * and passphrase; `stack: null` adds no `--stack` (another stack, or a command without one).
   */
  mailform(args: string[], env: NodeJS.ProcessEnv = this.env, stack: string | null = this.stack): Promise<PulumiResult> {
    const stackArgs = stack === null ? [] : ["--stack", stack];
    return run(process.execPath, [path.join(PROJECT_ROOT, "cli", "mailform.cjs"), ...args, ...stackArgs], this.dir, env);
  }

  /** The stack's state as `pulumi stack export` prints it (secrets stay encrypted). */
  async exportState(): Promise<{ text: string; resources: StateResource[] }> {
    const { stdout } = await this.must(["stack", "export"]);
    const parsed = JSON.parse(stdout);
    return { text: stdout, resources: parsed.deployment.resources ?? [] };
  }

  async outputs(showSecrets = false): Promise<Record<string, unknown>> {
    const { stdout } = await this.must(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])]);
    return JSON.parse(stdout);
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
  /** Where the program registered it (`project:///...#line,column`). */
  sourcePosition?: string;
  /** The frames below it, innermost first (`{}` where a frame has no position). */
  stackTrace?: { sourcePosition?: string }[];
}

/**
 * An upgrade as a team makes it: the previous release's package (test/support/release.ts says
 * which commit that is; `git archive` of it, its own dependencies from npm's cache, its own
 * `npm pack`) installed into a fresh repository outside this tree, `mailform init`, `up` of a stack
 * with an entry of each vendor's main kinds against the emulators; then this tree's package
 * (packed once per run, shared with package.test.ts) installed over it. The state the previous
 * release wrote must read with no diff: `preview --expect-no-changes`, a refresh and
 * `up --expect-no-changes`, with 0 vendor writes (the emulators' counters) and the stack outputs
 * unchanged.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { startEmulators, type RunningEmulators } from "../../emulators";
import { AdminClient } from "../../emulators/admin-client";
import { ensureEngine, PROJECT_ROOT } from "../../engine/pulumi";
import { run, show } from "../support/run";
import { packCommit, packCurrent, teamEnv, type Packed } from "../support/package";
import { previousRelease } from "../support/release";

const STACK = "prod";

/** One entry of each vendor's main kinds (init's own file holds the Mailtrap project and inbox). */
const ENTRIES: Record<string, Record<string, Record<string, unknown>>> = {
  mailtrap: {
    emailTemplates: {
      welcome: { name: "Welcome", category: "onboarding", subject: "Welcome, {{name}}", html: "<p>Hello {{name}}</p>", text: "Hello {{name}}", sampleData: { name: "Ada" } },
    },
    apiTokens: { ci: { name: "CI", permissions: [{ project: "staging", access: "admin" }, { inbox: "staging/qa", access: "viewer" }] } },
    domains: { mail: { domainName: "mt.example.com" } },
  },
  sendgrid: {
    templates: {
      welcome: {
        name: "Welcome",
        generation: "dynamic",
        versions: { v1: { name: "Welcome v1", subject: "Welcome, {{name}}", html: "<p>Hello {{name}}</p>", text: "Hello {{name}}", testData: { name: "Ada" }, active: true } },
      },
    },
    apiKeys: { app: { name: "App mail sender", scopes: ["mail.send"] } },
    unsubscribeGroups: { news: { name: "Newsletter", description: "Monthly news" } },
    eventWebhooks: { delivery: { url: "https://hooks.example.com/sendgrid", events: ["delivered", "bounce"], friendlyName: "Delivery" } },
    domainAuthentications: { main: { domain: "example.com", subdomain: "em" } },
    linkBrandings: { links: { domain: "example.com", subdomain: "links" } },
  },
  mailjet: {
    templates: {
      receipt: {
        name: "Receipt",
        purposes: ["transactional"],
        content: { headers: { Subject: "Your receipt for order {{var:order_id}}" }, html: "<p>Order {{var:order_id}}</p>", text: "Order {{var:order_id}}" },
        sampleData: { order_id: "A-1" },
      },
    },
    apiKeys: { reporting: { name: "Reporting" } },
    contactLists: { customers: { name: "Customers" } },
    senders: { billing: { email: "billing@mail.example.com", name: "Billing" } },
    parseRoutes: { replies: { url: "https://hooks.example.com/replies" } },
    contactProperties: { plan: { name: "plan" } },
  },
};

/** ENTRIES without the kinds the release at `commit` does not know (its schema's vendor sections). */
function entriesKnownTo(commit: string): { entries: typeof ENTRIES; left: string[] } {
  const schema = JSON.parse(execFileSync("git", ["show", `${commit}:schemas/stack.schema.json`], { cwd: PROJECT_ROOT, encoding: "utf8" }));
  const left: string[] = [];
  const entries = Object.fromEntries(
    Object.entries(ENTRIES).map(([vendor, kinds]) => {
      const section = schema.definitions?.[`${vendor[0]!.toUpperCase()}${vendor.slice(1)}Section`]?.properties ?? {};
      left.push(...Object.keys(kinds).filter((k) => !(k in section)).map((k) => `${vendor}.${k}`));
      return [vendor, Object.fromEntries(Object.entries(kinds).filter(([k]) => k in section))];
    }),
  );
  return { entries, left };
}

const sha = (file: string) => crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");

const resolved = previousRelease(PROJECT_ROOT);
const release = resolved.skipped === undefined ? resolved : undefined;
if (!release) console.warn(`upgrade-package test skipped: ${resolved.skipped}`);
else console.log(`previous release: ${release.commit.slice(0, 12)}, ${release.how}${release.providersDiffer ? "" : " (same providers/: the run checks the harness only)"}`);

describe("which commit is the previous release (test/support/release.ts, on a made-up history)", () => {
  let repo: string;
  const git = (args: string[], cwd = repo) =>
    execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", ...args], { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  /** A commit writing these files (package.json: with or without prepack); its hash. */
  const commit = (message: string, files: { prepack?: boolean; providers?: string; changelog?: string }) => {
    fs.writeFileSync(path.join(repo, "package.json"), JSON.stringify({ name: "mailform", scripts: files.prepack ? { prepack: "node engine/pack.cjs" } : {} }));
    if (files.providers !== undefined) fs.writeFileSync(path.join(repo, "providers", "kind.ts"), files.providers);
    if (files.changelog !== undefined) fs.writeFileSync(path.join(repo, "CHANGELOG.md"), files.changelog);
    git(["add", "-A"]);
    git(["commit", "-q", "--allow-empty", "-m", message]);
    return git(["rev-parse", "HEAD"]);
  };
  let unpackaged: string, packageV1: string, sameProviders: string;
  beforeAll(() => {
    repo = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-release-"));
    git(["init", "-q"]);
    fs.mkdirSync(path.join(repo, "providers"));
    commit("before the package", { providers: "v0" });
    unpackaged = commit("providers change, still no package", { providers: "v0.5" });
    packageV1 = commit("the package", { prepack: true, providers: "v1" });
    sameProviders = commit("docs only", { prepack: true, changelog: "# Changelog\n\n## Unreleased\n" });
    commit("providers change", { prepack: true, providers: "v2" });
  });
  afterAll(() => fs.rmSync(repo, { recursive: true, force: true }));

  it("no release yet: the nearest packable first-parent ancestor whose providers differ, never one before the package", () => {
    expect(previousRelease(repo)).toMatchObject({ commit: sameProviders, providersDiffer: true });
    commit("tests only", { prepack: true });
    // HEAD~1 has HEAD's providers: the next one back that differs.
    expect(previousRelease(repo)).toMatchObject({ commit: sameProviders, providersDiffer: true });
  });

  it("every packable ancestor has HEAD's providers: the nearest one, said so (the older commit whose differ is no package)", () => {
    const head = git(["rev-parse", "HEAD"]);
    git(["checkout", "-q", "-b", "same", packageV1]);
    commit("docs only", { prepack: true });
    expect(previousRelease(repo)).toMatchObject({ commit: packageV1, providersDiffer: false });
    git(["checkout", "-q", "main"]);
    expect(git(["rev-parse", "HEAD"])).toBe(head);
  });

  it("CHANGELOG.md's last release: the commit that wrote its heading, or the commit it names", () => {
    const released = commit("release 0.2.0", { prepack: true, changelog: "# Changelog\n\n## Unreleased\n\n## 0.2.0\n\n- things\n" });
    commit("after the release", { prepack: true, providers: "v3", changelog: "# Changelog\n\n## Unreleased\n\n- more\n\n## 0.2.0\n\n- things\n" });
    expect(previousRelease(repo)).toMatchObject({ commit: released, how: expect.stringContaining("0.2.0") });
    commit("names its commit", { prepack: true, changelog: `# Changelog\n\n## Unreleased\n\n## 0.2.0 (${packageV1.slice(0, 9)})\n` });
    expect(previousRelease(repo)).toMatchObject({ commit: packageV1 });
  });

  it("a tag v* wins, except one on HEAD itself; a tag on a commit without prepack is no package", () => {
    git(["tag", "v0.1.0", sameProviders]);
    expect(previousRelease(repo)).toMatchObject({ commit: sameProviders, how: "tag v0.1.0" });
    git(["tag", "v0.3.0", "HEAD"]);
    expect(previousRelease(repo)).toMatchObject({ commit: sameProviders });
    git(["tag", "v0.2.9", unpackaged]);
    expect(previousRelease(repo).skipped).toMatch(/tag v0\.2\.9.*no prepack script/);
  });

  it("a clone without history, or no git at all: skipped, saying why", () => {
    const shallow = path.join(repo, "..", `${path.basename(repo)}-shallow`);
    git(["clone", "-q", "--depth", "1", `file://${repo}`, shallow], os.tmpdir());
    try {
      expect(previousRelease(shallow).skipped).toMatch(/shallow.*git fetch --unshallow/);
    } finally {
      fs.rmSync(shallow, { recursive: true, force: true });
    }
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-nogit-"));
    try {
      expect(previousRelease(plain).skipped).toMatch(/not a git checkout/);
    } finally {
      fs.rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe("an upgrade from the previous release's package", () => {
  let emu: RunningEmulators;
  let base: string;
  let team: string;
  let previous: Packed;
  let current: Packed;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    if (!release) return;
    const started = Date.now();
    [previous, current] = await Promise.all([packCommit(release.commit), packCurrent()]);
    console.log(`packed: previous ${previous.filename} (${release.commit.slice(0, 12)}), current ${current.filename}, in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    emu = await startEmulators({ ports: { mailtrap: 0, sendgrid: 0, mailjet: 0, admin: 0 } });
    base = fs.mkdtempSync(path.join(os.tmpdir(), "mailform-upgrade-"));
    team = path.join(base, "team");
    fs.mkdirSync(team);
    // The engine on PATH, as CI installs the pinned CLI: both releases run it, and an earlier
    // release whose engine/ sources differ does not build its own (minutes) for the test.
    const engineBin = ensureEngine();
    env = { ...teamEnv(base), PATH: `${engineBin}${path.delimiter}${process.env.PATH ?? ""}` };
  }, 300_000);

  afterAll(async () => {
    await emu?.close();
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  it("reads the state the previous release wrote with no diff and no vendor write", async (ctx) => {
    if (!release) return ctx.skip(resolved.skipped);
    const install = async (tarball: string) => {
      const r = await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", tarball], team, env);
      expect(r.code, `npm install ${tarball}: ${show(r)}`).toBe(0);
    };
    const mailform = (args: string[]) => run(path.join(team, "node_modules", ".bin", "mailform"), args, team, env);
    const must = async (args: string[]) => {
      const r = await mailform(args);
      expect(r.code, `mailform ${args.join(" ")}\n${show(r)}`).toBe(0);
      return r;
    };
    const pulumi = (args: string[]) => must(["pulumi", ...args, "--stack", STACK, "--non-interactive"]);
    const installed = path.join(team, "node_modules", "mailform", "dist", "providers.js");

    // The previous release, as the team had it.
    await install(previous.tarball);
    const previousProviders = sha(installed);
    await must(["init", "--stack", STACK]);
    const stackFile = path.join(team, "stacks", `${STACK}.yaml`);
    const written = fs.readFileSync(stackFile, "utf8");
    const { entries, left } = entriesKnownTo(release.commit);
    if (left.length > 0) console.log(`kinds the previous release lacks, left out: ${left.join(", ")}`);
    const doc = parse(written) as Record<string, Record<string, unknown>>;
    for (const [vendor, kinds] of Object.entries(entries)) doc[vendor] = { ...doc[vendor], ...kinds };
    const header = written.split("\n").filter((l) => l.startsWith("#")).join("\n");
    fs.writeFileSync(stackFile, `${header}\n${stringify(doc)}`);
    expect((await mailform(["validate"])).code, "the stack file is valid for the previous release").toBe(0);

    await pulumi(["stack", "init"]);
    for (const vendor of ["mailtrap", "sendgrid", "mailjet"] as const) await pulumi(["config", "set", `mailform:${vendor}ApiUrl`, emu.urls[vendor]]);
    await pulumi(["up", "--yes", "--skip-preview"]);
    const admin = new AdminClient(emu.urls.admin);
    // The program's one stack output: every entry's outputs by address.
    const outputs = async () => (JSON.parse((await pulumi(["stack", "output", "--json"])).stdout) as { resources: Record<string, unknown> }).resources;
    const before = await outputs();
    const declared = Object.values(entries).reduce((n, kinds) => n + Object.keys(kinds).length, 2 /* init's project and inbox */);
    expect(Object.keys(before).filter((k) => k.endsWith(".id")).length, JSON.stringify(before)).toBe(declared);

    // The upgrade: the current package installed over it.
    await install(current.tarball);
    const currentProviders = sha(installed);
    if (release.providersDiffer) expect(currentProviders, "the upgrade installed other provider code").not.toBe(previousProviders);
    expect((await mailform(["validate"])).code).toBe(0);

    await admin.resetRequestCounts();
    const steps = [
      ["preview", "--expect-no-changes", "--diff"],
      ["refresh", "--yes", "--skip-preview"],
      // After the refresh: the apply the team's next merge would run.
      ["up", "--yes", "--expect-no-changes"],
    ];
    for (const args of steps) await pulumi(args);
    const counts = await admin.requestCounts();
    const writes = counts.filter((e) => e.method !== "GET" && e.method !== "HEAD");
    expect(writes, "vendor writes after the upgrade").toEqual([]);
    const reads = counts.reduce((n, e) => n + e.count, 0);
    console.log(`after the upgrade: ${steps.map((s) => s[0]).join(", ")}: ${reads} vendor reads, ${writes.length} writes`);
    expect(reads, "the refreshes read the vendors").toBeGreaterThan(0);
    expect(await outputs(), "stack outputs after the upgrade and a refresh").toEqual(before);
  }, 600_000);
});

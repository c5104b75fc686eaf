/**
 * engine/setup.sh run several times at once (two terminals, parallel CI jobs on one runner) on an
 * empty cache: every run succeeds, prints the same directory, and the engine is built once.
 *
 * The build is a stand-in: a fake `go` first on PATH that logs each call, sleeps (so the runs
 * overlap) and writes a tiny `pulumi` answering the pinned version. The real cold build takes
 * about 7 minutes of CPU; the script's steps around it (locks, temporary names, renames, the
 * assembled directory) are the real ones. Each test has its own MAILFORM_CACHE, never the shared one.
 */
import { execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const VERSION = (JSON.parse(readFileSync(join(ROOT, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string }).version;
const scratch = mkdtempSync(join(tmpdir(), "mailform-setup-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A directory holding a fake `go` that logs its calls to `calls` and builds a stand-in binary. */
function fakeGo(dir: string, calls: string): string {
  const bin = join(dir, "fake-bin");
  const go = join(bin, "go");
  mkdirSync(bin, { recursive: true });
  writeFileSync(
    go,
    `#!/bin/sh
echo "go $*" >> "${calls}"
out=""
while [ $# -gt 0 ]; do
  if [ "$1" = "-o" ]; then out=$2; shift; fi
  shift
done
sleep 1
printf '#!/bin/sh\\necho v${VERSION}\\n' > "$out"
`,
  );
  chmodSync(go, 0o755);
  return bin;
}

function runSetup(cache: string, path: string, buildEngine = true): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, MAILFORM_CACHE: cache, MAILFORM_BUILD_ENGINE: "1", PATH: path };
    if (!buildEngine) delete env.MAILFORM_BUILD_ENGINE;
    const child = spawn("bash", [join(ROOT, "engine", "setup.sh")], {
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every file under `dir`, relative. */
function tree(dir: string, prefix = ""): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tree(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

describe("engine/setup.sh run concurrently", () => {
  it("three runs at once on an empty cache all succeed, agree, and build the CLI and the language host once", async () => {
    const dir = mkdtempSync(join(scratch, "three-"));
    const cache = join(dir, "cache");
    const calls = join(dir, "go-calls.log");
    const path = `${fakeGo(dir, calls)}:${process.env.PATH}`;

    const runs = await Promise.all([1, 2, 3].map(() => runSetup(cache, path)));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const dirs = runs.map((r) => r.stdout.trim().split("\n").at(-1)!);
    expect(new Set(dirs).size).toBe(1);
    const bin = dirs[0]!;
    expect(bin.startsWith(join(cache, "engine", "bin-"))).toBe(true);

    const builds = readFileSync(calls, "utf8").trim().split("\n");
    expect(builds).toHaveLength(2);
    expect(builds.filter((b) => b.includes("github.com/pulumi/pulumi/pkg/v3/cmd/pulumi"))).toHaveLength(1);
    // Two runs waited for the one building, and said so.
    expect(runs.filter((r) => r.stderr.includes("waiting for another mailform setup run")).length).toBeGreaterThanOrEqual(1);

    // The assembled directory works and nothing temporary is left behind.
    expect(tree(bin).sort()).toEqual(["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"]);
    expect(readlinkSync(join(bin, "pulumi-language-nodejs"))).toMatch(/langhost-[0-9a-f]+\/pulumi-language-nodejs$/);
    expect(statSync(join(bin, "pulumi-resource-pulumi-nodejs")).mode & 0o111).not.toBe(0);
    expect(tree(join(cache, "engine")).filter((f) => /\/\.|\.tmp$/.test(f))).toEqual([]);

    // A later run finds everything built.
    const again = await runSetup(cache, path);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout.trim()).toBe(bin);
    expect(readFileSync(calls, "utf8").trim().split("\n")).toHaveLength(2);
  }, 60_000);

  it("a failed build leaves no temporary file and no half-built CLI, and the next run builds it", async () => {
    const dir = mkdtempSync(join(scratch, "failed-"));
    const cache = join(dir, "cache");
    const calls = join(dir, "go-calls.log");
    const bin = fakeGo(dir, calls);
    const good = readFileSync(join(bin, "go"), "utf8");
    // This go writes part of its output, then fails.
    writeFileSync(join(bin, "go"), `#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = "-o" ] && out=$2; shift; done\necho partial > "$out"\nexit 1\n`);
    const failed = await runSetup(cache, `${bin}:${process.env.PATH}`);
    expect(failed.code).not.toBe(0);
    expect(failed.stderr).toMatch(/building the Pulumi CLI failed/);
    const engine = join(cache, "engine");
    expect(tree(engine).filter((f) => !f.endsWith("setup.lock"))).toEqual([]);

    writeFileSync(join(bin, "go"), good);
    const next = await runSetup(cache, `${bin}:${process.env.PATH}`);
    expect(next.code, next.stderr).toBe(0);
    expect(existsSync(join(next.stdout.trim(), "pulumi"))).toBe(true);
  }, 60_000);
});

/** A directory holding a stand-in Pulumi install: a `pulumi` answering the pinned version (saying where it is) and its language host. */
function fakePulumi(dir: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "pulumi"), `#!/bin/sh\n[ "$1" = where ] && { echo "${dir}"; exit 0; }\necho v${VERSION}\n`, { mode: 0o755 });
  writeFileSync(join(dir, "pulumi-language-nodejs"), "#!/bin/sh\nexit 0\n", { mode: 0o755 });
  return dir;
}

describe("engine/setup.sh with a pulumi on PATH", () => {
  it("each install found on PATH gets its own assembled directory, keyed by its real path and version; removing one leaves the others working", async () => {
    const dir = mkdtempSync(join(scratch, "found-"));
    const cache = join(dir, "cache");
    const calls = join(dir, "go-calls.log");
    const go = fakeGo(dir, calls);
    const a = fakePulumi(join(dir, "install-a"));
    const b = fakePulumi(join(dir, "tmp-b")); // a temporary install, as a test or a tool puts one on PATH
    const last = (r: { stdout: string }) => r.stdout.trim().split("\n").at(-1)!;
    const where = (bin: string) => execFileSync(join(bin, "pulumi"), ["where"], { encoding: "utf8" }).trim();

    const runA = await runSetup(cache, `${a}:${go}:${process.env.PATH}`, false);
    expect(runA.code, runA.stderr).toBe(0);
    expect(runA.stderr).toContain(`using ${a}/pulumi (v${VERSION})`);
    const binA = last(runA);
    expect(where(binA)).toBe(a);
    expect(readlinkSync(join(binA, "pulumi-language-nodejs"))).toBe(join(a, "pulumi-language-nodejs"));

    const runB = await runSetup(cache, `${b}:${go}:${process.env.PATH}`, false);
    expect(runB.code, runB.stderr).toBe(0);
    const binB = last(runB);
    expect.soft(binB, "the assembled directory of another install").not.toBe(binA);
    expect.soft(where(binB)).toBe(b);
    expect.soft(readlinkSync(join(binB, "pulumi-language-nodejs"))).toBe(join(b, "pulumi-language-nodejs"));
    // A's directory still holds A.
    expect.soft(where(binA), "install A's directory after a run with B").toBe(a);
    expect.soft(readlinkSync(join(binA, "pulumi-language-nodejs")), "install A's language host after a run with B").toBe(join(a, "pulumi-language-nodejs"));

    // The temporary install goes away: A's directory is untouched and a run with A finds it as it was.
    rmSync(b, { recursive: true, force: true });
    expect.soft(existsSync(readlinkSync(join(binA, "pulumi-language-nodejs"))), "install A's language host after B was removed").toBe(true);
    const again = await runSetup(cache, `${a}:${go}:${process.env.PATH}`, false);
    expect(again.code, again.stderr).toBe(0);
    expect(last(again)).toBe(binA);

    // A symlink to install A is install A.
    const linked = join(dir, "linked");
    mkdirSync(linked);
    symlinkSync(join(a, "pulumi"), join(linked, "pulumi"));
    const viaLink = await runSetup(cache, `${linked}:${go}:${process.env.PATH}`, false);
    expect(viaLink.code, viaLink.stderr).toBe(0);
    expect(last(viaLink)).toBe(binA);

    // Run from inside an assembled directory (a tool started with mailform's PATH runs setup again):
    // the directory's own pulumi is not an install, the one after it on PATH is.
    const nested = await runSetup(cache, `${binA}:${a}:${go}:${process.env.PATH}`, false);
    expect(nested.code, nested.stderr).toBe(0);
    expect(last(nested)).toBe(binA);

    // None of this built anything; the pinned build has a directory of its own.
    expect(existsSync(calls)).toBe(false);
    const pinned = await runSetup(cache, `${a}:${go}:${process.env.PATH}`);
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(new Set([binA, binB, last(pinned)]).size).toBe(3);
    expect(where(binA)).toBe(a);
  }, 60_000);
});

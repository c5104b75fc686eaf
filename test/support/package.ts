/**
 * Packed mailform tarballs for the package tests (test/e2e/package.test.ts, upgrade-package.test.ts):
 * `npm pack` of this tree, and of an earlier commit (`git archive`, its own dependencies from npm's
 * cache, its own prepack). Each is packed into `${os.tmpdir()}/mailform-packs/<key>/`, keyed by what
 * goes in (this tree's files and lock file, or the commit) with node's version, under an O_EXCL
 * lock: test files running side by side, and later runs of the same sources, pack once.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { alive } from "../../cli/recover";
import { DEFAULT_CREDENTIALS } from "../../emulators/credentials";
import { PROJECT_ROOT } from "../../engine/pulumi";

export interface Packed {
  tarball: string;
  /** The tarball's file name, e.g. `mailform-0.1.0.tgz`. */
  filename: string;
  /** Paths inside the package, sorted. */
  files: string[];
  unpackedSize: number;
}

const PACKS = path.join(os.tmpdir(), "mailform-packs");
/** Packs older than this are removed when another is made. */
const KEEP_MS = 24 * 3600_000;
/** A pack that takes longer than this is taken as dead (its lock is broken). */
const STALE_LOCK_MS = 10 * 60_000;

const git = (args: string[], cwd = PROJECT_ROOT) => execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** This tree's files as git sees them (tracked and new, ignored left out), or undefined outside git. */
function treeFiles(): string[] | undefined {
  try {
    return git(["ls-files", "-z", "--cached", "--others", "--exclude-standard"]).split("\0").filter(Boolean);
  } catch {
    return undefined;
  }
}

/**
 * The environment a team's repository runs mailform in, for a test under `base`: a file:// state
 * backend in base/state (made here), its own PULUMI_HOME, the emulators' credentials in the vendors'
 * usual variables.
 */
export function teamEnv(base: string): NodeJS.ProcessEnv {
  const c = DEFAULT_CREDENTIALS;
  fs.mkdirSync(path.join(base, "state"), { recursive: true });
  return {
    ...process.env,
    PULUMI_BACKEND_URL: `file://${path.join(base, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "team-passphrase",
    PULUMI_HOME: path.join(base, "pulumi-home"),
    MAILTRAP_API_TOKEN: c.mailtrap.apiToken,
    SENDGRID_API_KEY: c.sendgrid.apiKey,
    MJ_APIKEY_PUBLIC: c.mailjet.apiKey,
    MJ_APIKEY_PRIVATE: c.mailjet.secretKey,
    NO_COLOR: "1",
  };
}

/** The tarball of this tree as it is now (uncommitted edits included). */
export function packCurrent(): Promise<Packed> {
  const files = treeFiles();
  const hash = crypto.createHash("sha256").update(process.version);
  for (const f of files ?? []) {
    const abs = path.join(PROJECT_ROOT, f);
    const st = fs.lstatSync(abs, { throwIfNoEntry: false });
    if (!st) continue; // deleted, not yet committed
    hash.update(`\0${f}\0`).update(st.isSymbolicLink() ? `-> ${fs.readlinkSync(abs)}` : fs.readFileSync(abs));
  }
  // Without git, nothing says what changed: a key of its own each time.
  const key = files ? `tree-${hash.digest("hex").slice(0, 16)}` : `tree-${process.pid}-${Date.now()}`;
  return packOnce(key, (source) => {
    // Packed from a copy, so prepack's build never rewrites this tree's dist/ under other tests.
    if (files) {
      for (const f of files) {
        const from = path.join(PROJECT_ROOT, f);
        const st = fs.lstatSync(from, { throwIfNoEntry: false });
        if (!st) continue;
        const to = path.join(source, f);
        fs.mkdirSync(path.dirname(to), { recursive: true });
        if (st.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
        else fs.copyFileSync(from, to);
      }
    } else {
      const skip = new Set(["node_modules", "dist", ".git", ".pulumi-state", ".mailform"].map((d) => path.join(PROJECT_ROOT, d)));
      fs.cpSync(PROJECT_ROOT, source, { recursive: true, filter: (f) => !skip.has(f) });
    }
    fs.symlinkSync(path.join(PROJECT_ROOT, "node_modules"), path.join(source, "node_modules"));
  });
}

/**
 * The tarball of `commit` as that release packed itself: its tree by `git archive`, its own
 * dependencies installed from npm's cache (`npm ci --prefer-offline`), its own prepack.
 */
export function packCommit(commit: string): Promise<Packed> {
  const full = git(["rev-parse", "--verify", `${commit}^{commit}`]);
  return packOnce(`commit-${full}`, (source) => {
    const archive = path.join(path.dirname(source), "source.tar");
    git(["archive", "--format=tar", "-o", archive, full]);
    execFileSync("tar", ["-xf", archive, "-C", source]);
    fs.rmSync(archive);
    execFileSync("npm", ["ci", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: source, stdio: ["ignore", "pipe", "pipe"] });
  });
}

/** Packs with `prepare(sourceDir)` into PACKS/<key>/ unless another run did or is doing it. */
async function packOnce(key: string, prepare: (source: string) => void): Promise<Packed> {
  fs.mkdirSync(PACKS, { recursive: true });
  const dir = path.join(PACKS, key);
  const done = path.join(dir, "packed.json");
  const lock = path.join(PACKS, `${key}.lock`);
  for (;;) {
    if (fs.existsSync(done)) return reuse(dir, done);
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const st = fs.statSync(lock, { throwIfNoEntry: false });
      let holder = 0;
      try {
        holder = Number(fs.readFileSync(lock, "utf8"));
      } catch {
        continue; // released meanwhile
      }
      if (st && (Date.now() - st.mtimeMs > STALE_LOCK_MS || (holder > 0 && !alive(holder)))) fs.rmSync(lock, { force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (fs.existsSync(done)) return reuse(dir, done);
    prune();
    const work = fs.mkdtempSync(path.join(PACKS, `${key}.work-`));
    const source = path.join(work, "source");
    fs.mkdirSync(source);
    let out: string;
    try {
      prepare(source);
      out = execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: source, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    } catch (e) {
      fs.rmSync(work, { recursive: true, force: true });
      throw e;
    }
    const [packed] = JSON.parse(out) as { filename: string; files: { path: string }[]; unpackedSize: number }[];
    fs.rmSync(source, { recursive: true, force: true });
    const result: Packed = {
      tarball: path.join(dir, packed!.filename),
      filename: packed!.filename,
      files: packed!.files.map((f) => f.path).sort(),
      unpackedSize: packed!.unpackedSize,
    };
    // Whole or absent: the folder appears, its record inside, in one rename.
    fs.writeFileSync(path.join(work, "packed.json"), JSON.stringify(result));
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(work, dir);
    return result;
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** A pack made earlier, kept from pruning for another day. */
function reuse(dir: string, done: string): Packed {
  const now = new Date();
  fs.utimesSync(dir, now, now);
  return JSON.parse(fs.readFileSync(done, "utf8")) as Packed;
}

/** Removes packs (and abandoned work folders) not touched for a day. */
function prune(): void {
  for (const name of fs.readdirSync(PACKS)) {
    if (name.endsWith(".lock")) continue;
    const p = path.join(PACKS, name);
    const st = fs.statSync(p, { throwIfNoEntry: false });
    if (st && Date.now() - st.mtimeMs > KEEP_MS) fs.rmSync(p, { recursive: true, force: true });
  }
}

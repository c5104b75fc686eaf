/**
 * Which commit was the previous release of the checkout at `root`, for the upgrade test
 * (test/e2e/upgrade-package.test.ts), in this order:
 * 1. the newest tag `v*` reachable from HEAD that does not point at HEAD;
 * 2. else CHANGELOG.md's last release (its first `## ` heading other than "Unreleased"): the commit
 *    the heading names (a hash; a release made on another branch counts from its merge-base with
 *    HEAD), or else the first-parent commit of HEAD that wrote the heading;
 * 3. else (no release made yet) the nearest first-parent ancestor of HEAD that is a package
 *    (its package.json has a `prepack` script) and whose `providers/` differ from HEAD's, or, when
 *    every such ancestor has HEAD's providers, the nearest one.
 * A clone without history (shallow), a checkout without git, or no packable commit gives a reason
 * to skip instead.
 */
import { execFileSync } from "node:child_process";

export type PreviousRelease =
  | {
      commit: string;
      /** How it was found, for the test's log. */
      how: string;
      /** Whether its providers/ differ from HEAD's (otherwise the test checks the harness, not a change). */
      providersDiffer: boolean;
      skipped?: undefined;
    }
  | { skipped: string; commit?: undefined };

/** How far back the fallback looks for a packable commit. */
const MAX_WALK = 200;

export function previousRelease(root: string): PreviousRelease {
  const git = (...args: string[]) => execFileSync("git", args, { cwd: root, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();
  const tryGit = (...args: string[]) => {
    try {
      return git(...args);
    } catch {
      return undefined;
    }
  };
  if (tryGit("rev-parse", "--is-inside-work-tree") !== "true") return { skipped: `${root} is not a git checkout: no history to find the previous release in` };
  const head = tryGit("rev-parse", "--verify", "HEAD^{commit}");
  if (!head) return { skipped: "the checkout has no commit yet" };
  if (git("rev-parse", "--is-shallow-repository") === "true") {
    return { skipped: "this clone has no history (shallow): the previous release's commit is not in it (git fetch --unshallow to run this test)" };
  }
  const providers = (c: string) => tryGit("rev-parse", `${c}:providers`);
  const packable = (c: string) => {
    const text = tryGit("show", `${c}:package.json`);
    try {
      return text !== undefined && typeof JSON.parse(text)?.scripts?.prepack === "string";
    } catch {
      return false;
    }
  };
  const found = (commit: string, how: string): PreviousRelease => {
    if (!packable(commit)) return { skipped: `the previous release (${how}) is not a package: its package.json has no prepack script` };
    return { commit, how, providersDiffer: providers(commit) !== providers(head) };
  };

  const tags = git("tag", "--list", "v*", "--merged", "HEAD", "--sort=-v:refname").split("\n").filter(Boolean);
  for (const tag of tags) {
    const commit = git("rev-list", "-n", "1", tag);
    if (commit !== head) return found(commit, `tag ${tag}`);
  }

  const changelog = tryGit("show", "HEAD:CHANGELOG.md");
  const heading = changelog?.split("\n").find((l) => /^## /.test(l) && !/^##\s+unreleased\b/i.test(l));
  if (heading) {
    const named = /\b[0-9a-f]{7,40}\b/.exec(heading)?.[0];
    const commit = named && tryGit("rev-parse", "--verify", "--quiet", `${named}^{commit}`);
    if (commit) return found(git("merge-base", "HEAD", commit), `CHANGELOG.md's "${heading}"`);
    const writers = git("log", "--first-parent", "--reverse", "--format=%H", "-S", heading, "HEAD", "--", "CHANGELOG.md").split("\n").filter(Boolean);
    if (writers[0]) return found(writers[0], `the commit that wrote CHANGELOG.md's "${heading}"`);
    return { skipped: `CHANGELOG.md's last release "${heading}" names no commit of this history` };
  }

  let nearest: string | undefined;
  for (const commit of git("rev-list", "--first-parent", `--max-count=${MAX_WALK}`, "HEAD").split("\n").slice(1)) {
    if (!packable(commit)) break; // older commits predate the package
    nearest ??= commit;
    if (providers(commit) !== providers(head)) {
      return { commit, how: "no release yet: the nearest first-parent ancestor whose providers/ differ", providersDiffer: true };
    }
  }
  if (nearest) return { commit: nearest, how: "no release yet, and every packable ancestor has HEAD's providers/: the nearest one", providersDiffer: false };
  return { skipped: "no earlier commit of this history is a package (none has a prepack script)" };
}

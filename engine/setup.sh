#!/usr/bin/env bash
# Makes a working Pulumi engine available for mailform on a machine that has
# Node.js, npm and Go but no Pulumi: installs the npm dependencies, compiles the program and
# providers (engine/build.cjs), then finds
# or builds the pinned Pulumi CLI and our Node.js language host, and assembles
# them with the dynamic-provider launcher in one directory.
#
# Prints that directory as the last line of stdout; progress goes to stderr. There is one such
# directory per CLI: the pinned build's, and one per pulumi install found on PATH (keyed by its
# real path and version), so different installs never share or repoint one.
# A second run with everything cached takes a few seconds.
#
# Environment:
#   MAILFORM_CACHE        cache root (default: ${XDG_CACHE_HOME:-~/.cache}/mailform)
#   MAILFORM_BUILD_ENGINE=1  ignore a pulumi found on PATH and use the pinned build
#
# Runs at once (two terminals, parallel CI jobs on one runner) all succeed and build once: each
# step that installs, builds or assembles holds a lock (flock(1), from util-linux, which every
# Debian has), and every file is written under a unique temporary name beside its target and
# renamed into place, so nobody ever sees (or runs) a half-written file.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
say() { printf 'mailform setup: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Temporary files of this run, removed however it ends.
temps=()
cleanup() { [ ${#temps[@]} -eq 0 ] || rm -f "${temps[@]}"; }
trap cleanup EXIT
# tempfile TARGET: sets $tmp to a new unique name beside TARGET (same file system: `mv` is atomic).
tempfile() {
  tmp=$(mktemp "$(dirname "$1")/.$(basename "$1").XXXXXX") || die "cannot create a temporary file beside $1"
  temps+=("$tmp")
}

# lock FILE: holds an exclusive lock on FILE (on file descriptor 9, so one at a time) until unlock
# or exit. Without flock(1) the run goes on unlocked: still correct (unique names, atomic
# renames), but it may build twice.
lock() {
  if ! command -v flock >/dev/null; then
    say "flock(1) not found (util-linux): not waiting for other setup runs"
    return
  fi
  exec 9>>"$1"
  if ! flock -n 9; then
    say "waiting for another mailform setup run to finish ($1)"
    flock 9
  fi
}
unlock() { exec 9>&-; }

command -v node >/dev/null || die "node is not on PATH; install Node.js 20 first"
command -v npm >/dev/null || die "npm is not on PATH; install Node.js 20 (it ships npm) first"

# Installed from npm (node_modules/mailform in a team's repository): the team's npm install
# already placed the dependencies (hoisted beside this package) and the package holds its compiled
# output, so steps 1 and 1b are a checkout's only.
case "$root" in */node_modules/mailform) installed=1 ;; *) installed="" ;; esac

# 1. npm dependencies, only when the lock file changed since the last install. Checked under the
# lock, so a run that waited finds the install another run just made.
if [ -z "$installed" ]; then
mkdir -p "$root/.mailform"
lock "$root/.mailform/setup.lock"
if [ ! -f "$root/node_modules/.package-lock.json" ] ||
   [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
  # `npm install --no-save` installs exactly what the lock file pins, like `npm ci`, but npm 11's
  # `npm ci` rejects the lock files npm 11 itself writes (it leaves out other platforms' optional
  # packages, e.g. @rollup/rollup-darwin-*), so it cannot be used on a fresh clone.
  say "installing npm dependencies (npm install --no-save, as pinned by package-lock.json)"
  (cd "$root" && npm install --no-save --no-audit --no-fund --loglevel=error >&2)
fi
unlock

# 1b. The program and providers compiled into dist/, only when a source changed since the last build.
node "$root/engine/build.cjs" "$root" || die "compiling the program and providers failed (see above)"
fi
[ -f "$root/dist/program.js" ] || die "$root/dist/program.js is missing: the mailform package is incomplete; reinstall it (npm ci)"

# The SDK as node resolves it from here: the checkout's node_modules, or the team's (hoisted).
sdk=$(cd "$root" && node -p "require('node:path').dirname(require.resolve('@pulumi/pulumi/package.json'))") ||
  die "@pulumi/pulumi is not installed: run npm install (or npm ci) first"
# The engine version follows the SDK the program runs with: one pin, in package.json.
version=$(node -p "require('$sdk/package.json').version")
# Our copy of the SDK's dynamic-provider launcher (it execs node; see the file).
launcher="$root/engine/pulumi-resource-pulumi-nodejs"
[ -f "$sdk/cmd/dynamic-provider/index.js" ] ||
  die "@pulumi/pulumi is incomplete in node_modules: remove node_modules and run again"

cache=${MAILFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mailform}/engine
# Each build is keyed by what it is built from, so an edit rebuilds only what changed.
hash() { cat "$@" | sha256sum | cut -c1-12; }
cli_key="v$version-$( (echo "$version"; cat "$root/engine/cli/go.mod" "$root/engine/cli/go.sum") | sha256sum | cut -c1-12)"
# The host's build inputs, not its tests (the npm package ships none): a checkout and the package share a build.
langhost_sources=("$root"/engine/langhost/go.mod "$root"/engine/langhost/go.sum)
for f in "$root"/engine/langhost/*.go; do case "$f" in *_test.go) ;; *) langhost_sources+=("$f") ;; esac; done
langhost_key=$(hash "${langhost_sources[@]}")
mkdir -p "$cache/pulumi-$cli_key" "$cache/langhost-$langhost_key"
cache_real=$(readlink -f "$cache")
# Steps 2 to 4 under one lock on the cache: a run that waited finds the others' builds.
lock "$cache/setup.lock"

version_ok() { # true when $1 (like v3.250.1) is a 3.x release at or above the pin
  node -e '
    const [have, want] = process.argv.slice(1).map(v => v.replace(/^v/, "").split("-")[0].split(".").map(Number));
    const ok = have[0] === want[0] && (have[1] > want[1] || (have[1] === want[1] && have[2] >= want[2]));
    process.exit(ok ? 0 : 1);' "$1" "$version"
}

# 2. The CLI: the first one on PATH when its version fits, else the pinned build. What this cache
# assembled (a directory of step 4, put first on PATH by engine/pulumi.ts for the tools it starts)
# is not an install: it is skipped, and the next pulumi on PATH is the one found. The directory
# assembled for a found CLI is keyed by its real path and version, so each install has its own
# and a run with another pulumi on PATH (a temporary one, say) never repoints anyone else's.
cli=""
bin="$cache/bin-$cli_key-$langhost_key"
if [ "${MAILFORM_BUILD_ENGINE:-}" != 1 ]; then
  while IFS= read -r found; do
    real=$(readlink -f "$found") || continue
    case "$real" in "$cache"/* | "$cache_real"/*) continue ;; esac
    have=$("$found" version 2>/dev/null || true)
    if version_ok "$have"; then
      cli=$real
      bin="$cache/bin-found-$(printf '%s\n%s\n' "$real" "$have" | sha256sum | cut -c1-12)-$langhost_key"
      say "using $found ($have)"
    else
      say "ignoring $found ($have): mailform needs Pulumi v$version or a later 3.x"
    fi
    break
  done < <(type -ap pulumi 2>/dev/null || true)
fi
mkdir -p "$bin"
if [ -z "$cli" ]; then
  cli="$cache/pulumi-$cli_key/pulumi"
  if [ ! -x "$cli" ]; then
    command -v go >/dev/null || die "go is not on PATH: it is needed once to build the Pulumi CLI v$version"
    say "building the Pulumi CLI v$version from Go modules (first run only, several minutes)"
    start=$SECONDS
    tempfile "$cli"
    (cd "$root/engine/cli" &&
      go build -trimpath -mod=readonly \
        -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version" \
        -o "$tmp" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi >&2) ||
      die "building the Pulumi CLI failed (see above); the Go module proxy must be reachable on the first run"
    chmod 0755 "$tmp" && mv -f "$tmp" "$cli"
    say "built the Pulumi CLI in $((SECONDS - start))s"
  fi
fi

# 3. The Node.js language host: the one beside a found CLI (its real path, where the CLI itself
# looks), else ours.
langhost="$(dirname "$cli")/pulumi-language-nodejs"
if [ "$cli" = "$cache/pulumi-$cli_key/pulumi" ] || [ ! -x "$langhost" ]; then
  langhost="$cache/langhost-$langhost_key/pulumi-language-nodejs"
  if [ ! -x "$langhost" ]; then
    say "building the Node.js language host"
    tempfile "$langhost"
    (cd "$root/engine/langhost" && go build -trimpath -mod=readonly -o "$tmp" . >&2) ||
      die "building the language host failed (see above)"
    chmod 0755 "$tmp" && mv -f "$tmp" "$langhost"
  fi
fi

# 4. One directory for PATH: the CLI, the language host, the dynamic-provider launcher. Each is
# replaced by a rename only when it differs, so tests running from this directory never miss one.
# The CLI is linked, not symlinked: it looks for plugins beside its own resolved path.
if [ ! "$bin/pulumi" -ef "$cli" ] && ! cmp -s "$cli" "$bin/pulumi"; then
  tempfile "$bin/pulumi"
  ln -f "$cli" "$tmp" 2>/dev/null || cp -f "$cli" "$tmp"
  mv -f "$tmp" "$bin/pulumi"
fi
if [ "$(readlink "$bin/pulumi-language-nodejs" 2>/dev/null)" != "$langhost" ]; then
  tempfile "$bin/pulumi-language-nodejs"
  ln -sfn "$langhost" "$tmp"
  mv -f "$tmp" "$bin/pulumi-language-nodejs"
fi
if ! cmp -s "$launcher" "$bin/pulumi-resource-pulumi-nodejs"; then
  tempfile "$bin/pulumi-resource-pulumi-nodejs"
  cp -f "$launcher" "$tmp" && chmod 0755 "$tmp"
  mv -f "$tmp" "$bin/pulumi-resource-pulumi-nodejs"
fi
unlock
"$bin/pulumi" version >/dev/null || die "$bin/pulumi does not run"
echo "$bin"

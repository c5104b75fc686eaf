#!/usr/bin/env bash
# Installs the real servers the test suite starts on loopback, when this machine lacks them:
# PostgreSQL's server binaries (Debian keeps initdb and pg_ctl under /usr/lib/postgresql/<major>/bin)
# for the team-state tests. Needs root or password-less sudo; without either it says what to run,
# and those tests report themselves skipped with that reason.
set -euo pipefail
say() { printf 'mailform test services: %s\n' "$*" >&2; }

if ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then sudo=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"
else
  say "PostgreSQL's server binaries are missing and installing them needs root: run 'sudo apt-get install -y postgresql' (the team-state tests are skipped until then)"
  exit 0
fi
command -v apt-get >/dev/null || { say "no apt-get here: install PostgreSQL's server binaries yourself (the team-state tests are skipped until then)"; exit 0; }
say "installing PostgreSQL's server binaries (apt-get install postgresql)"
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null

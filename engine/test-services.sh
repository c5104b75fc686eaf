#!/usr/bin/env bash
# Installs the real programs the test suite runs, when this machine lacks them: PostgreSQL's server
# binaries (Debian keeps initdb and pg_ctl under /usr/lib/postgresql/<major>/bin) for the
# team-state tests, Debian's chromium (/usr/bin/chromium) for the screenshots of `mailform
# preview`, and BIND's named-checkzone (Debian's bind9-utils) that checks the zone fragment of
# `mailform dns`. Needs root or password-less sudo; without either it says what to run, and those
# tests report themselves skipped with that reason.
set -euo pipefail
say() { printf 'mailform test services: %s\n' "$*" >&2; }

missing=()
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v named-checkzone >/dev/null 2>&1 || missing+=(bind9-utils)
if [ ${#missing[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" -eq 0 ]; then sudo=""
elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo="sudo -n"
else
  say "${missing[*]} missing and installing needs root: run 'sudo apt-get install -y ${missing[*]}' (the tests that need them are skipped until then)"
  exit 0
fi
command -v apt-get >/dev/null || { say "no apt-get here: install ${missing[*]} yourself (the tests that need them are skipped until then)"; exit 0; }
say "installing ${missing[*]} (apt-get install)"
$sudo apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null

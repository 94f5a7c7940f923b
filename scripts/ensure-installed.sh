#!/usr/bin/env bash
# Installs whatever is missing on a fresh machine (npm packages, the embedded servers) and builds the code.
# Quiet when there is nothing to do; install output goes to var/log/install.log.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log
LOG=var/log/install.log

run_logged() { # what, command...
  local what=$1; shift
  echo "[setup] $what (details in $LOG)" >&2
  if ! "$@" >>"$LOG" 2>&1; then
    echo "[setup] FAILED: $what; last lines of $LOG:" >&2
    tail -n 30 "$LOG" >&2
    exit 1
  fi
}

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` honours the lock file; npm 11 `npm ci` rejects this lock for optional platform packages it omits.
  run_logged "installing npm packages" npm install --no-audit --no-fund
fi

if ! bash scripts/install-servers.sh --check; then
  run_logged "installing the embedded servers (temporal, ferretdb, slapd; first time takes a few minutes)" bash scripts/install-servers.sh
fi

# Incremental compile, and the prebuilt workflow bundle the worker loads in production.
run_logged_quiet() { "$@" >>"$LOG" 2>&1 || { echo "[setup] FAILED: $*" >&2; tail -n 40 "$LOG" >&2; exit 1; }; }
run_logged_quiet npx tsc -p tsconfig.build.json --incremental --tsBuildInfoFile var/tsbuildinfo
run_logged_quiet node dist/scripts/bundle-workflows.js

#!/usr/bin/env bash
# `npm test`: install what is missing, build, lint, typecheck, then unit and integration tests on real servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
echo "[test] lint + typecheck"
npx eslint . --max-warnings 0
npx tsc -p tsconfig.json --noEmit
echo "[test] jest"
# Integration suites share one set of servers; run files one or two at a time on a 2-core machine.
npx jest --ci --maxWorkers=2 "$@"

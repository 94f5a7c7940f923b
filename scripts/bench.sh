#!/usr/bin/env bash
# `npm run bench -- [--n 100000] [--page-size 2000] [--scenarios 1,2,...] [--keep] [--no-profile] [--out file]`:
# install what is missing, build, then run the end-to-end benchmark (bench/README.md) on its own servers.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-installed.sh
# Compute-rule micro-benchmark first (one core, a few seconds): evaluations per second of typical rules.
node dist/bench/scripting.js 3
exec node dist/bench/run.js "$@"

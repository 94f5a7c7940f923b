#!/usr/bin/env bash
# `npm start`: install what is missing, build, then start the embedded stack, the worker and the API.
set -euo pipefail
cd "$(dirname "$0")/.."
# Validate the settings before any install or build, so a bad value fails at once with one line.
if [ -f dist/src/settings-check.js ]; then node dist/src/settings-check.js; fi
bash scripts/ensure-installed.sh
exec node dist/src/cli.js start

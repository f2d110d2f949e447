#!/usr/bin/env bash
# KQL check (tests/kql/check.mjs): npm ci when node_modules is missing, then bind every query.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ ! -d "$here/node_modules" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >/dev/null)
fi
node "$here/check.mjs"

#!/usr/bin/env bash
# The end-to-end suite: the packaged .vsix installed into a real VS Code (code-server, installed once
# and cached by install-code-server.sh) and driven through Chromium. Screenshots of every step are
# written to artifacts/e2e (or $KASMLINT_E2E_ARTIFACTS), whose path is printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

KASMLINT_CODE_SERVER_DIR="$(bash scripts/install-code-server.sh)"
export KASMLINT_CODE_SERVER_DIR
export KASMLINT_E2E_ARTIFACTS="${KASMLINT_E2E_ARTIFACTS:-$PWD/artifacts/e2e}"

npm run --silent package >/dev/null
# The folders the suite makes (Kasm trees, certificates, dhparam files under os.tmpdir()) go to a
# folder of this run, removed at its end: each run left three in /tmp.
run_tmp="$(mktemp -d -t kasmlint-e2e-XXXXXX)"
trap 'rm -rf "$run_tmp"' EXIT
chmod 755 "$run_tmp"
export TMPDIR="$run_tmp"
status=0
node --test --test-concurrency=1 --test-reporter=spec out/test/e2e/*.e2e.js || status=$?
echo "end-to-end screenshots: $KASMLINT_E2E_ARTIFACTS"
exit "$status"

#!/usr/bin/env bash
# Runs the whole test suite on the built tests (out/test). What the tests need from Debian (nginx with
# its stream, mail and Lua modules, openssl) is installed here with apt-get when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-tools.sh

mapfile -t files < <(find out/test -name '*.test.js' | sort)
if [ "${#files[@]}" -eq 0 ]; then
  echo "no tests found under out/test (did the build run?)" >&2
  exit 1
fi
# Every folder the tests make (mkdtemp under os.tmpdir(), hundreds of nginx trees per run) and the
# CLI's code cache (server/src/cli/code-cache.ts) go to a folder of this run, removed at its end.
run_tmp="$(mktemp -d -t kasmlint-tests-XXXXXX)"
trap 'rm -rf "$run_tmp"' EXIT
# traversable as /tmp is: the real nginx's workers (another user) serve files some tests put in their folders
chmod 755 "$run_tmp"
export TMPDIR="$run_tmp"
export KASMLINT_CACHE_DIR="$run_tmp/code-cache"
mkdir -m 700 "$KASMLINT_CACHE_DIR"
# One file at a time: some tests rebuild dist/ (the packaging test) that others run.
node --test --test-concurrency=1 --test-reporter=spec "$@" "${files[@]}"

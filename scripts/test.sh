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
# The CLI's code cache (server/src/cli/code-cache.ts) of the tests' runs goes to a folder of this run.
KASMLINT_CACHE_DIR="$(mktemp -d)"
export KASMLINT_CACHE_DIR
trap 'rm -rf "$KASMLINT_CACHE_DIR"' EXIT
# One file at a time: some tests rebuild dist/ (the packaging test) that others run.
node --test --test-concurrency=1 --test-reporter=spec "$@" "${files[@]}"

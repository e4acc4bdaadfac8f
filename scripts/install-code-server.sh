#!/usr/bin/env bash
# Installs code-server 4.100.3 (VS Code 1.100.3 with a Node extension host, the last release whose
# engines.node is 20) and Debian's Chromium, for the end-to-end tests. code-server's install scripts
# download ripgrep, which this network does not allow, so it is installed without them and finished by
# hand (../shared/notes/real-clients.md). Cached outside the repository; reused when present.
# Prints the folder holding node_modules/code-server.
set -euo pipefail

dir="${KASMLINT_CODE_SERVER_DIR:-$HOME/.cache/kasmlint-tools/code-server-4.100.3}"
entry="$dir/node_modules/code-server/out/node/entry.js"
marker="$dir/.installed"

packages=()
command -v rg >/dev/null || packages+=(ripgrep)
[ -x /usr/lib/chromium/chromium ] || packages+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || packages+=(libkrb5-dev)
command -v pkg-config >/dev/null || packages+=(pkg-config)
if [ "${#packages[@]}" -gt 0 ]; then
  echo "installing with apt-get: ${packages[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1 \
    || { $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null; }
fi

if [ ! -f "$marker" ] || [ ! -f "$entry" ]; then
  echo "installing code-server 4.100.3 into $dir (a few minutes, once)" >&2
  rm -rf "$dir"
  mkdir -p "$dir"
  log="$dir/install.log"
  # Not `( ... ) || handle`: bash ignores set -e anywhere inside a command on the left of `||`.
  set +e
  (
    set -e
    cd "$dir"
    echo '{"private":true}' > package.json
    npm install --ignore-scripts --no-audit --no-fund code-server@4.100.3
    cd node_modules/code-server/lib/vscode
    npm install --omit=dev --ignore-scripts --no-audit --no-fund
    mkdir -p node_modules/@vscode/ripgrep/bin
    ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    npm_config_yes=true npm rebuild
    ln -sfn node_modules node_modules.asar
    cd extensions
    npm install --omit=dev --no-audit --no-fund
    cd "$dir"
    # argon2 is code-server's only native module (npm rebuild also runs code-server's postinstall,
    # would try to download ripgrep again, and fails: only argon2 matters, checked below)
    npm_config_yes=true npm rebuild argon2 || true
  ) >"$log" 2>&1
  status=$?
  set -e
  [ "$status" -eq 0 ] || { tail -50 "$log" >&2; exit 1; }
  # What the steps above must have produced, checked rather than trusted.
  for needed in "$entry" "$dir/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg"; do
    [ -e "$needed" ] || { echo "code-server install incomplete: $needed is missing (see $log)" >&2; exit 1; }
  done
  (cd "$dir" && node -e "require('argon2')" && cd node_modules/code-server/lib/vscode && node -e "require('node-pty')") >>"$log" 2>&1 \
    || { echo "code-server install incomplete: a native module did not build (see $log)" >&2; exit 1; }
  touch "$marker"
fi
echo "$dir"

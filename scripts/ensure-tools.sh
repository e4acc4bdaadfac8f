#!/usr/bin/env bash
# Installs, when missing, the real programs the tests compare us with or drive us from: Debian's nginx
# (with the stream, mail and Lua dynamic modules), openssl, and Neovim (a second LSP client).
# Needs root (or sudo) and Debian's package archive.
set -euo pipefail

packages=()
[ -x /usr/sbin/nginx ] || packages+=(nginx)
[ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || packages+=(libnginx-mod-stream)
[ -f /usr/lib/nginx/modules/ngx_mail_module.so ] || packages+=(libnginx-mod-mail)
[ -f /usr/lib/nginx/modules/ngx_http_lua_module.so ] || packages+=(libnginx-mod-http-lua libnginx-mod-http-ndk)
command -v openssl >/dev/null || packages+=(openssl)
command -v nvim >/dev/null || packages+=(neovim)
command -v python3 >/dev/null || packages+=(python3)

if [ "${#packages[@]}" -gt 0 ]; then
  echo "installing with apt-get: ${packages[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  # The package lists of a fresh machine may be missing or stale.
  $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null 2>&1 \
    || { $sudo apt-get update -qq && $sudo apt-get install -y --no-install-recommends "${packages[@]}" >/dev/null; }
fi

/usr/sbin/nginx -v 2>&1 | grep -q 'nginx/' || { echo "nginx is not usable" >&2; exit 1; }

# Microsoft's SARIF validator (a self-contained binary inside an npm package), kept outside the
# repository because of its size (43 MB).
tools="${KASMLINT_TOOLS_DIR:-$HOME/.cache/kasmlint-tools}"
multitool="$tools/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$multitool" ]; then
  echo "installing @microsoft/sarif-multitool-linux into $tools" >&2
  mkdir -p "$tools"
  [ -f "$tools/package.json" ] || echo '{"private":true}' > "$tools/package.json"
  npm install --prefix "$tools" --no-save --no-audit --no-fund @microsoft/sarif-multitool-linux@5.7.0 >"$tools/install.log" 2>&1 \
    || { cat "$tools/install.log" >&2; exit 1; }
  chmod +x "$multitool"
fi

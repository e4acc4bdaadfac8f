#!/usr/bin/env bash
# Installs, when missing, the real programs the tests compare us with: Debian's nginx (with the stream,
# mail and Lua dynamic modules) and openssl. Needs root (or sudo) and Debian's package archive.
set -euo pipefail

packages=()
[ -x /usr/sbin/nginx ] || packages+=(nginx)
[ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || packages+=(libnginx-mod-stream)
[ -f /usr/lib/nginx/modules/ngx_mail_module.so ] || packages+=(libnginx-mod-mail)
[ -f /usr/lib/nginx/modules/ngx_http_lua_module.so ] || packages+=(libnginx-mod-http-lua libnginx-mod-http-ndk)
command -v openssl >/dev/null || packages+=(openssl)

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

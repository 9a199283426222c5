#!/usr/bin/env bash
# Renders deploy/nginx.conf for one deployment, to stdout:
#
#   scripts/nginx_conf.sh DIST LISTEN "ARM_ORIGIN LOGIN_ORIGIN" [CONF]
#
# DIST is the built console (its index.html gives the loader's hash), LISTEN
# nginx's `listen` value (443 ssl, 127.0.0.1:8081, …), the third argument the
# origins the page may connect to besides itself (config.json's armEndpoint
# and authority). CONF defaults to deploy/nginx.conf.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dist="$(cd "$1" && pwd)"; listen="$2"; connect="$3"; conf="${4:-$root/deploy/nginx.conf}"
hash="$("$root/scripts/csp_hash.sh" "$dist/index.html")"
[ -n "$hash" ] || { echo "nginx_conf: no inline script in $dist/index.html" >&2; exit 1; }
sed -e "s|__ROOT__|$dist|g" -e "s|__LISTEN__|$listen|g" -e "s|__CONNECT_SRC__|$connect|g" \
    -e "s|__CSP_LOADER_HASH__|$hash|g" "$conf"

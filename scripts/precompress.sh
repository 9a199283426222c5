#!/usr/bin/env bash
# Writes FILE.gz (gzip -9) and FILE.br (brotli, quality 11) beside every
# .wasm, .js, .css, .html and .svg in a built dist/, so a host can send them
# as they are instead of compressing on each request (the emulator's console
# host does, tests/bundle_size.rs budgets the .gz files, deploy/nginx.conf has
# `gzip_static on`). Deterministic: no names or times in the .gz.
#
#   scripts/precompress.sh DIR
#
# Run by trunk's post_build hook (Trunk.toml) on the staging directory, after
# the loader's hash is filled into index.html.
set -euo pipefail
dir="${1:?usage: precompress.sh DIR}"
have_brotli=1
command -v brotli >/dev/null || { have_brotli=0; echo "precompress: no brotli on PATH (scripts/setup.sh installs it): .br skipped" >&2; }
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' \) -print0 |
  while IFS= read -r -d '' f; do
    gzip -9 -n -c "$f" > "$f.gz"
    if [ $have_brotli = 1 ]; then brotli -q 11 -f -o "$f.br" "$f"; fi
  done

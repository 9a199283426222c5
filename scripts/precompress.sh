#!/usr/bin/env bash
# Writes FILE.gz and FILE.br (brotli, quality 11) beside every .wasm, .js,
# .css, .html and .svg in a built dist/, so a host can send them as they are
# instead of compressing on each request (the emulator's console host does,
# tests/bundle_size.rs budgets the .gz files, deploy/nginx.conf has
# `gzip_static on`). Deterministic: no names or times in the .gz.
#
# The .gz comes from zopfli (scripts/setup.sh installs it): the same gzip
# format any browser reads, 4.7 % smaller than `gzip -9` on the console's
# release build (docs/size.md), at about 20 s of CPU for the whole build,
# spread over the cores. A debug build (trunk's $TRUNK_PROFILE) and a machine
# without zopfli get `gzip -9`, which takes no time.
#
#   scripts/precompress.sh DIR
#
# Run by trunk's post_build hook (Trunk.toml) on the staging directory, after
# the loader's hash is filled into index.html.
set -euo pipefail
dir="${1:?usage: precompress.sh DIR}"
gz="zopfli"
if [ "${TRUNK_PROFILE:-release}" = "debug" ]; then
  gz="gzip"
elif ! command -v zopfli >/dev/null; then
  gz="gzip"
  echo "precompress: no zopfli on PATH (scripts/setup.sh installs it): .gz by gzip -9, about 5 % larger" >&2
fi
have_brotli=1
command -v brotli >/dev/null || { have_brotli=0; echo "precompress: no brotli on PATH (scripts/setup.sh installs it): .br skipped" >&2; }
export gz have_brotli
# One file per job, as many jobs as cores: zopfli is the slow part of a release build's hook.
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' -o -name '*.svg' \) -print0 |
  xargs -0 -r -n 1 -P "$(nproc)" bash -c '
    set -euo pipefail
    f="$1"
    # zopfli writes no name and no time (MTIME 0) into the gzip header, like `gzip -n`.
    if [ "$gz" = zopfli ]; then zopfli --i5 -c "$f" > "$f.gz"; else gzip -9 -n -c "$f" > "$f.gz"; fi
    if [ "$have_brotli" = 1 ]; then brotli -q 11 -f -o "$f.br" "$f"; fi
  ' precompress

#!/usr/bin/env bash
# Prints the CSP hash source ('sha256-…', quoted as a policy needs it) of each
# inline <script> in a built index.html: trunk's module loader. The hash
# changes with every build, so a policy naming it is filled in after the build.
#
#   scripts/csp_hash.sh dist/index.html          -> 'sha256-AbC…='
#   scripts/csp_hash.sh --fill FILE HTML          replaces __CSP_LOADER_HASH__ in FILE
#
# Used by trunk's post_build hook (Trunk.toml, for index.html's <meta> policy)
# and at deploy time for deploy/nginx.conf (README "Hosting").
set -euo pipefail

hashes() {
  # The exact text between the tags, newlines included, as the browser hashes it.
  perl -0777 -ne 'while (m{<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>}gs) { print $1, "\0" }' "$1" |
    while IFS= read -r -d '' script; do
      printf "'sha256-%s' " "$(printf '%s' "$script" | openssl dgst -sha256 -binary | base64 -w0)"
    done | sed 's/ $//'
}

if [ "${1:-}" = "--fill" ]; then
  file="$2"; html="$3"
  h="$(hashes "$html")"
  [ -n "$h" ] || { echo "csp_hash: no inline script in $html" >&2; exit 1; }
  sed -i "s|__CSP_LOADER_HASH__|$h|g" "$file"
else
  hashes "${1:-dist/index.html}"
  echo
fi

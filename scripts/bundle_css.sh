#!/usr/bin/env bash
# The console's stylesheets as one file (issue 14). style/ keeps one file per concept (tokens, layout,
# components, …), each linked from index.html and copied by trunk; sent as they are, that is nine
# requests and nine gzip streams, with every comment and indent. This post_build step (Trunk.toml)
# concatenates them in index.html's order (so the cascade is unchanged), minifies the result in a
# release build with lightningcss (the engine trunk's own `minify` uses; scripts/setup.sh installs its
# CLI, pinned, from npm: trunk's `minify` would also rewrite index.html, which the next steps read),
# names it by its hash (the host caches .css as immutable) and puts one link in place of the nine.
# Measured 2026-12-02: 14,114 B gzip in nine files, 7,048 in one (docs/size.md).
#
#   scripts/bundle_css.sh DIR        (DIR: trunk's $TRUNK_STAGING_DIR; $TRUNK_PROFILE release|debug)
set -euo pipefail
dir="${1:?usage: bundle_css.sh DIR}"
html="$dir/index.html"
say() { echo "bundle_css: $*" >&2; }

# trunk writes each `data-trunk rel="css"` as `<link rel="stylesheet" href="/name-hash.css" integrity="…"/>`.
mapfile -t sheets < <(grep -o '<link rel="stylesheet" href="/[^"]*\.css"[^>]*>' "$html" | sed -E 's#.*href="/([^"]*)".*#\1#')
[ "${#sheets[@]}" -gt 0 ] || { say "index.html links no stylesheet"; exit 1; }

joined="$(mktemp --suffix=.css)"
for sheet in "${sheets[@]}"; do
  cat "$dir/$sheet"
  echo
done > "$joined"

if [ "${TRUNK_PROFILE:-debug}" = "release" ]; then
  command -v lightningcss >/dev/null || { say "no lightningcss on PATH: source scripts/setup.sh first"; exit 1; }
  lightningcss --minify "$joined" -o "$joined.min"
  mv "$joined.min" "$joined"
fi

name="console-$(sha256sum "$joined" | cut -c1-16).css"
mv "$joined" "$dir/$name"
chmod 644 "$dir/$name"
for sheet in "${sheets[@]}"; do rm "$dir/$sheet"; done
integrity="sha384-$(openssl dgst -sha384 -binary "$dir/$name" | base64 -w0)"

# The first link becomes the bundle's; the others go, with the line each was on.
LINK="<link rel=\"stylesheet\" href=\"/$name\" integrity=\"$integrity\"/>" perl -0777 -pi -e '
  my $n = 0;
  s{^[ \t]*<link rel="stylesheet" href="/[^"]*\.css"[^>]*>\n?}{ $n++ ? "" : "    $ENV{LINK}\n" }gme;
  $n > 0 or die "no stylesheet link replaced\n";
' "$html"
say "${#sheets[@]} stylesheets -> $name ($(wc -c < "$dir/$name") B)"

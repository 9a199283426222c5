#!/usr/bin/env bash
# The console's Rust pipeline, split into lazily loaded wasm chunks (issue 14). trunk 0.21 runs
# cargo → wasm-bindgen → wasm-opt in one step with no hook between cargo and wasm-bindgen, where the
# split has to happen; so index.html has no `data-trunk rel="rust"` and trunk's post_build hook
# (Trunk.toml) runs this script on its staging directory instead, the way cargo-leptos' `--split` does:
#
#   1. cargo builds the wasm32 binary with relocations kept (`-C link-arg=--emit-relocs`, the final
#      crate only: the dependencies stay those trunk would build, `--cfg erase_components` included);
#   2. wasm-split-cli (crate wasm_split_cli_support, installed by scripts/setup.sh) moves every function
#      reachable only through a `#[lazy]` / `#[lazy_route]` split point into its own `split_*.wasm`
#      (code shared by several splits into `chunk_*.wasm`) and writes `__wasm_split.js`, which fetches
#      and instantiates them against the main module's memory and table;
#   3. wasm-bindgen (exactly Cargo.lock's version) on the main module, keeping the linker's exports the
#      chunks import (`--keep-lld-exports`) and the names wasm-split matched (`--no-demangle`);
#   4. wasm-opt (npm binaryen, Trunk.toml's version) on the main module and on every chunk;
#   5. every file named with the cargo wasm's hash (the host caches .js/.wasm as immutable), copied into
#      DIR, and index.html given trunk's loader: the preloads and the inline module script (whose CSP
#      hash the hook fills in next).
#
#   scripts/build_split.sh DIR        (DIR: trunk's $TRUNK_STAGING_DIR; $TRUNK_PROFILE release|debug)
#
# Both wasm32 toolchains of scripts/setup.sh: its environment (the Debian fallback's PATH, build-std and
# CARGO_TARGET_DIR) reaches this script through trunk. index.html's Rust link is marked
# `data-trunk-skip`: without any Rust link trunk 0.21 would build the crate itself, unsplit.
set -euo pipefail
dir="${1:?usage: build_split.sh DIR}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
crate="acr-cmk-console"
# wasm-opt's level for the main module and the chunks (what `data-wasm-opt="z"` was for trunk).
wasm_opt_level="z"
profile="${TRUNK_PROFILE:-debug}"
target_dir="${CARGO_TARGET_DIR:-$root/target}"
say() { echo "build_split: $*" >&2; }

for tool in cargo wasm-split-cli wasm-bindgen; do
  command -v "$tool" >/dev/null || { say "no $tool on PATH: source scripts/setup.sh first"; exit 1; }
done

cargo_profile=()
out_profile="debug"
if [ "$profile" = "release" ]; then cargo_profile=(--release); out_profile="release"; fi

# 1. cargo, with relocations in the linked wasm (wasm-split needs them to move code between modules).
say "cargo ($profile, wasm32, --emit-relocs)"
(cd "$root" && cargo rustc --locked --offline "${cargo_profile[@]}" --target wasm32-unknown-unknown --bin "$crate" \
  -- -C link-arg=--emit-relocs)
input="$target_dir/wasm32-unknown-unknown/$out_profile/$crate.wasm"
[ -f "$input" ] || { say "cargo wrote no $input"; exit 1; }

hash="$(sha256sum "$input" | cut -c1-16)"
name="$crate-$hash"
work="$target_dir/wasm-split/$out_profile"
rm -rf "$work"
mkdir -p "$work/split" "$work/bindgen"

# 2. The split. The main module goes to wasm-bindgen; the chunks and the loader are final.
# The code splits share goes into five chunks (scripts/wasm-split-chunks.patch; stock wasm-split-cli
# makes one per set of splits, 134 here), grouped by the page loads that need them: what the sign-in
# page's preloads share with anything; then what the registry list shares with other splits; then the
# registry page's; then the tour's launcher's (the emulator shows it on every page); then the rest (the
# create flow, the fleet page, write mode, the decoder, the tour's open panel). A group is fetched whole
# by every split that needs a part of it.
chunk_groups="checked_token,demo_token;registries_page;registry_page;tour_frame"
say "wasm-split-cli (chunk groups: $chunk_groups)"
WASM_SPLIT_CHUNKS="$chunk_groups" wasm-split-cli "$input" "$work/split" --target web --out-name "$name"
ls "$work/split" >&2
chunks="$(find "$work/split" -name 'chunk_*.wasm' | wc -l)"
if [ "$chunks" -gt 5 ]; then
  say "$chunks shared chunks, at most 5 expected: this wasm-split-cli ($(command -v wasm-split-cli)) lacks scripts/wasm-split-chunks.patch; source scripts/setup.sh"
  exit 1
fi

# 3. wasm-bindgen on the main module only.
say "wasm-bindgen $(wasm-bindgen --version)"
wasm-bindgen --target=web --no-typescript --keep-lld-exports --no-demangle \
  --out-dir="$work/bindgen" --out-name="$name" "$work/split/$name.wasm"

# 4. wasm-opt on every module (release only, as trunk did). It warns "unknown name subsection with id 3"
# on wasm-split's modules: a newer part of the name section, which -Oz drops with the rest of it.
# The `producers` and `target_features` custom sections are for tools, not browsers: about 200 B in each
# of the 20 modules, 3,272 B gzip in all (docs/size.md).
opt() {
  if [ "$profile" = "release" ]; then
    wasm-opt "-O$wasm_opt_level" --strip-producers --strip-target-features "$1" -o "$2"
  else
    cp "$1" "$2"
  fi
}

# 5. Into DIR, every name carrying the hash. The loader's name is fixed by wasm-split-cli
# (`./__wasm_split.js`, the import module of the main wasm): only the JS `import … from` of it
# is renamed, not the imports object's key, which must match the wasm's import module.
loader="__wasm_split-$hash.js"
sed -E "s#from ([\"'])\./__wasm_split\.js([\"'])#from \1./$loader\2#g" "$work/bindgen/$name.js" > "$dir/$name.js"
grep -q "$loader" "$dir/$name.js" || { say "$name.js does not import ./__wasm_split.js: was anything split?"; exit 1; }
opt "$work/bindgen/${name}_bg.wasm" "$dir/${name}_bg.wasm"
cp "$work/split/__wasm_split.js" "$dir/$loader"
for chunk in "$work/split"/*.wasm; do
  base="$(basename "$chunk" .wasm)"
  [ "$base" = "$name" ] && continue
  opt "$chunk" "$dir/$base-$hash.wasm"
  sed -i "s#\"\./$base\.wasm\"#\"./$base-$hash.wasm\"#g" "$dir/$loader"
  grep -q "$base-$hash.wasm" "$dir/$loader" || { say "$loader does not name $base.wasm"; exit 1; }
done
grep -q "\./$name\.js" "$dir/$loader" || { say "$loader does not import ./$name.js"; exit 1; }

# trunk's loader, as trunk 0.21 writes it (TrunkApplicationStarted included: benches/page_load.rs
# waits for it), plus a modulepreload of the split loader, which the main JS imports.
sri() { echo "sha384-$(openssl dgst -sha384 -binary "$dir/$1" | base64 -w0)"; }
head_html="<link rel=\"modulepreload\" href=\"/$name.js\" crossorigin=\"anonymous\" integrity=\"$(sri "$name.js")\">\
<link rel=\"modulepreload\" href=\"/$loader\" crossorigin=\"anonymous\" integrity=\"$(sri "$loader")\">\
<link rel=\"preload\" href=\"/${name}_bg.wasm\" crossorigin=\"anonymous\" integrity=\"$(sri "${name}_bg.wasm")\" as=\"fetch\" type=\"application/wasm\">
<script type=\"module\">
import init, * as bindings from '/$name.js';
const wasm = await init({ module_or_path: '/${name}_bg.wasm' });


window.wasmBindings = bindings;


dispatchEvent(new CustomEvent(\"TrunkApplicationStarted\", {detail: {wasm}}));

</script>"
# In place of index.html's `<link data-trunk rel="rust" data-trunk-skip>` (trunk leaves it there).
HEAD_HTML="$head_html" perl -0777 -pi -e 's{<link[^>]*\bdata-trunk-skip\b[^>]*>}{$ENV{HEAD_HTML}} or die "no data-trunk-skip link\n"' "$dir/index.html"
say "$(cd "$dir" && ls -l "$name.js" "${name}_bg.wasm" "$loader" ./*-"$hash".wasm | awk '{print $5, $9}' | tr '\n' ' ')"

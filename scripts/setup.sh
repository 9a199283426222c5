#!/usr/bin/env bash
# Installs everything the console's build and tests need, idempotently: fast
# when already done. Sourced by scripts/demo.sh and scripts/test.sh, which then
# have PATH and the wasm build environment set.
#
#   ACR_CMK_WASM_TOOLCHAIN=debian   force the Debian fallback for wasm32 (see README "Building")
#   ACR_CMK_SETUP_BROWSER=1         also install Chromium, ChromeDriver and nginx (the tests need them)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tools="$root/.tools"
mkdir -p "$tools"
say() { echo "setup: $*" >&2; }

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "apt-get install ${missing[*]}"
  local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if [ $apt_updated -eq 0 ]; then $sudo apt-get update -qq >&2; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
}

export PATH="$HOME/.cargo/bin:$tools/npm/node_modules/.bin:$PATH"

# --- wasm32: rustup's target, or Debian's rustc-web with build-std -----------
wasm_mode="${ACR_CMK_WASM_TOOLCHAIN:-auto}"
if [ "$wasm_mode" != "debian" ]; then
  if rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown \
     || rustup target add wasm32-unknown-unknown >&2; then
    wasm_mode="rustup"
  else
    say "rustup could not install wasm32-unknown-unknown; falling back to Debian's rustc-web"
    wasm_mode="debian"
  fi
fi
wasm_env=()
if [ "$wasm_mode" = "debian" ]; then
  apt_install rustc-web cargo-web rust-web-src lld-22
  # Debian's rustc-web 1.96 ships no prebuilt std for wasm32: build it from
  # rust-web-src (/usr/lib/rustlib/src/rust). trunk runs the first `cargo` on
  # PATH, so /usr/bin goes first; the unstable flag reaches it through the env.
  # Its artifacts go to their own target dir: another rustc built them.
  wasm_env=(PATH="/usr/bin:$PATH" RUSTC_BOOTSTRAP=1 CARGO_UNSTABLE_BUILD_STD=std,panic_abort
            CARGO_TARGET_DIR="$root/target/debian-web")
fi
export ACR_CMK_WASM_TOOLCHAIN_USED="$wasm_mode"
say "wasm32 toolchain: $wasm_mode"

# Builds the console into dist/ with whichever wasm32 toolchain was chosen.
# Usage: trunk_build [--release]
trunk_build() {
  (cd "$root" && env "${wasm_env[@]}" trunk build "$@")
}

# --- trunk -------------------------------------------------------------------
# 0.22 needs rustc >= 1.96.1 (stable here is 1.95); 0.21.14 builds on stable.
trunk_version="0.21.14"
if ! "$HOME/.cargo/bin/trunk" --version 2>/dev/null | grep -qx "trunk $trunk_version"; then
  say "installing trunk $trunk_version (about 15 minutes on 2 cores, once)"
  cargo install "trunk@$trunk_version" --locked >&2
fi

# --- wasm-bindgen-cli: exactly the wasm-bindgen in Cargo.lock ----------------
wbg_version="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$root/Cargo.lock")"
if ! "$HOME/.cargo/bin/wasm-bindgen" --version 2>/dev/null | grep -qx "wasm-bindgen $wbg_version"; then
  say "installing wasm-bindgen-cli $wbg_version"
  # Not --locked: one of its locked dependencies is missing from the registry here.
  cargo install "wasm-bindgen-cli@$wbg_version" >&2
fi

# --- wasm-split-cli: splits the wasm at #[lazy] points (scripts/build_split.sh) -------
# The CLI of wasm_split_cli_support, the crate cargo-leptos' `--split` links; it reads the wasm
# before wasm-bindgen, so it does not depend on the wasm-bindgen version. Built from the registry's
# crate with scripts/wasm-split-chunks.patch applied (shared code in a few chunks instead of one per
# set of splits; issue 14), into .tools/wasm-split, so a stock wasm-split-cli elsewhere on PATH is
# never the one build_split.sh runs. The stamp names the version and the patch's hash.
wasm_split_version="0.2.4"
wasm_split_patch="$root/scripts/wasm-split-chunks.patch"
wasm_split_dir="$tools/wasm-split"
wasm_split_stamp="$wasm_split_dir/installed-$wasm_split_version-$(sha256sum "$wasm_split_patch" | cut -c1-16)"
if ! [ -f "$wasm_split_stamp" ] || ! [ -x "$wasm_split_dir/bin/wasm-split-cli" ]; then
  say "building wasm_split_cli_support $wasm_split_version with scripts/wasm-split-chunks.patch"
  cargo_home="${CARGO_HOME:-$HOME/.cargo}"
  find_crate() { ls "$cargo_home"/registry/cache/*/"wasm_split_cli_support-$wasm_split_version.crate" 2>/dev/null | head -n 1; }
  if [ -z "$(find_crate)" ]; then
    # The registry's .crate, fetched through a throwaway manifest that depends on it.
    fetch_dir="$(mktemp -d)"
    mkdir -p "$fetch_dir/src" && : > "$fetch_dir/src/lib.rs"
    printf '[package]\nname = "fetch-wasm-split"\nversion = "0.0.0"\nedition = "2021"\n[dependencies]\nwasm_split_cli_support = "=%s"\n' \
      "$wasm_split_version" > "$fetch_dir/Cargo.toml"
    (cd "$fetch_dir" && cargo fetch >&2)
    rm -rf "$fetch_dir"
  fi
  crate_file="$(find_crate)"
  [ -n "$crate_file" ] || { say "no wasm_split_cli_support-$wasm_split_version.crate after cargo fetch"; exit 1; }
  command -v patch >/dev/null || apt_install patch
  # Unpacked outside the repository: inside it, cargo would take the crate for a workspace member.
  src_dir="$(mktemp -d)"
  tar xzf "$crate_file" -C "$src_dir" --strip-components=1
  patch -s -d "$src_dir" -p1 < "$wasm_split_patch"
  rm -rf "$wasm_split_dir"
  cargo install --locked --path "$src_dir" --features build-binary --root "$wasm_split_dir" >&2
  rm -rf "$src_dir"
  touch "$wasm_split_stamp"
fi
export PATH="$wasm_split_dir/bin:$PATH"

# --- wasm-opt: npm's binaryen, the version Trunk.toml asks for -----------------
wasm_opt_version="$(sed -n 's/^wasm_opt = "version_\([0-9]*\)"/\1/p' "$root/Trunk.toml")"
if ! wasm-opt --version 2>/dev/null | grep -q "version $wasm_opt_version"; then
  say "installing binaryen@$wasm_opt_version from npm"
  npm install --silent --no-audit --no-fund --prefix "$tools/npm" "binaryen@$wasm_opt_version.0.0" >&2
fi

# --- axe-core: the accessibility checker the browser tests inject ----------------
axe_version="4.11.0"
if ! grep -qs "\"version\": \"$axe_version\"" "$tools/npm/node_modules/axe-core/package.json"; then
  say "installing axe-core@$axe_version from npm"
  npm install --silent --no-audit --no-fund --prefix "$tools/npm" "axe-core@$axe_version" >&2
fi
export ACR_CMK_AXE="$tools/npm/node_modules/axe-core/axe.min.js"

# --- lightningcss: minifies the one stylesheet scripts/bundle_css.sh makes of style/ (release builds) ---
lightningcss_version="1.30.2"
if ! grep -qs "\"version\": \"$lightningcss_version\"" "$tools/npm/node_modules/lightningcss-cli/package.json"; then
  say "installing lightningcss-cli@$lightningcss_version from npm"
  npm install --silent --no-audit --no-fund --prefix "$tools/npm" "lightningcss-cli@$lightningcss_version" >&2
fi

# --- brotli and zopfli: trunk's post_build hook writes a .br and a .gz beside each file (scripts/precompress.sh) ---
command -v brotli >/dev/null || apt_install brotli
command -v zopfli >/dev/null || apt_install zopfli

# --- Chromium and ChromeDriver for the browser tests ---------------------------
if [ "${ACR_CMK_SETUP_BROWSER:-0}" = "1" ]; then
  apt_install chromium chromium-driver
  # Korean glyphs for the screenshots and the presenter's demo (issue 15); without them
  # Chromium draws Hangul as empty boxes. Users' own systems bring their fonts.
  apt_install fonts-noto-cjk
  # tests/hosting.rs serves dist/ with deploy/nginx.conf through Debian's nginx,
  # run as the test's own child process (no service, no root needed).
  apt_install nginx
fi

# trunk builds with `cargo --offline` (Trunk.toml), so fetch crates first:
# for the host (tests) and for wasm32, whose std (built from source in the
# Debian fallback) has wasm-only dependencies such as dlmalloc.
(cd "$root" && cargo fetch >&2 && env "${wasm_env[@]}" cargo fetch --target wasm32-unknown-unknown >&2)

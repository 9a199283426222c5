#!/usr/bin/env bash
# Prints the figures we track (never asserted by tests; the size budget is, in tests/bundle_size.rs):
#  - release bundle size as served, per file (each lazy wasm chunk too), first load and total: raw, gzip,
#    brotli (benches/page_load.rs);
#  - the 20 largest wasm functions and the code by crate (scripts/wasm_sizes.py);
#  - a cold deep link to a registry: navigation start → status and → verdict, ARM requests and their
#    dependent waves; and time to first status after sign-in on a loaded page (headless Chromium).
#  - issue 14's goals, each with its figure and met / NOT met (the end of page_load's output);
#  - the emulator's GET throughput and p99 next to static servers (emulator/benches/load.rs);
#  - a soak of the emulator: mixed reads/writes with faults, RSS, world consistency (emulator/benches/soak.rs;
#    SOAK_SECS=N to shorten it, default 60);
#  - the fleet scenario's 10,000 registries through Resource Graph, the domain's join, search and CSV
#    (emulator/benches/fleet.rs), and the fleet page in headless Chromium: requests and time from sign-in
#    to 10,000 searchable rows, a search keystroke's update, the JS heap (tests/fleet.rs, printed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACR_CMK_SETUP_BROWSER=1 source scripts/setup.sh
trunk_build --release
# The yardstick: a minimal leptos app with the router, gloo-net and serde, same profile and cfg, unsplit
# (benches/minimal_app/); page_load prints the console's first load as a multiple of it.
(env "${wasm_env[@]}" trunk --config benches/minimal_app/Trunk.toml build --release)
bash scripts/precompress.sh target/minimal-app-dist

# Function names: the build's wasm-opt drops the name section, so optimize wasm-bindgen's output (the
# main module, after the split: scripts/build_split.sh) again the same way but keeping names (-g); its
# code section is byte for byte the size of the shipped one. The lazy chunks are not in this listing.
named="$(mktemp --suffix=.wasm)"
wasm_bg="$( (ls -t target/wasm-split/release/bindgen/*_bg.wasm target/debian-web/wasm-split/release/bindgen/*_bg.wasm 2>/dev/null || true) | head -1)"
opt_level="$(sed -n 's/^wasm_opt_level="\([^"]*\)"/\1/p' scripts/build_split.sh)"
wasm-opt "-O${opt_level:-z}" -g "$wasm_bg" -o "$named"
echo "wasm functions (wasm-opt -O${opt_level:-z} -g of $wasm_bg):"
python3 scripts/wasm_sizes.py "$named" 20
rm -f "$named"
ACR_CMK_DIST="$PWD/dist" ACR_CMK_MINIMAL_DIST="$PWD/target/minimal-app-dist" cargo bench --locked --bench page_load
# Emulator load check: GET throughput and p99 next to static servers of the same JSON.
cargo bench --locked -p acr-cmk-emulator --bench load
# Emulator soak: 16 connections of mixed reads and writes with the fault menu on (SOAK_SECS, default 60).
cargo bench --locked -p acr-cmk-emulator --bench soak
# The fleet: 10,000 registries through Resource Graph pages, joined, searched, exported.
cargo bench --locked -p acr-cmk-emulator --bench fleet
# The fleet page: sign-in to 10,000 searchable rows (requests, time), a keystroke, the JS heap.
ACR_CMK_DIST="$PWD/dist" cargo test --locked --test fleet the_fleet_loads_in_resource_graph_pages -- --nocapture 2>&1 | grep '^fleet:'

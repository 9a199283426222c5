#!/usr/bin/env bash
# Prints the figures we track (never asserted by tests):
#  - release bundle size: wasm and JS, raw and gzip;
#  - ARM requests and time to first status for the registry page (headless Chromium).
#  - the emulator's GET throughput and p99 next to static servers (emulator/benches/load.rs);
#  - a soak of the emulator: mixed reads/writes with faults, RSS, world consistency (emulator/benches/soak.rs;
#    SOAK_SECS=N to shorten it, default 60).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACR_CMK_SETUP_BROWSER=1 source scripts/setup.sh
trunk_build --release

echo "release bundle (dist/):"
for f in dist/*.wasm dist/*.js; do
  printf '  %-48s %8d B raw %8d B gzip -9\n' "$(basename "$f")" "$(wc -c < "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
ACR_CMK_DIST="$PWD/dist" cargo bench --locked --bench page_load
# Emulator load check: GET throughput and p99 next to static servers of the same JSON.
cargo bench --locked -p acr-cmk-emulator --bench load
# Emulator soak: 16 connections of mixed reads and writes with the fault menu on (SOAK_SECS, default 60).
cargo bench --locked -p acr-cmk-emulator --bench soak

#!/usr/bin/env bash
# The main job: builds the console (release), starts the emulator seeded with
# the demo scenario and serves the console beside it. Ctrl-C stops both.
#   ARM_PORT (default 8080): the emulated ARM endpoint
#   CONSOLE_PORT (default 8081): the console
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

trunk_build --release
cargo build --locked -p acr-cmk-emulator
exec "${CARGO_TARGET_DIR:-target}/debug/acr-cmk-emulator" --scenario demo \
  --listen "127.0.0.1:${ARM_PORT:-8080}" \
  --console-dir dist --console-listen "127.0.0.1:${CONSOLE_PORT:-8081}"

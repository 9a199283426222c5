#!/usr/bin/env bash
# Runs every test: the domain unit tests, the emulator's HTTP tests, and the
# browser end-to-end tests (headless Chromium against the release console and
# the emulator). Installs what it needs first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ACR_CMK_SETUP_BROWSER=1 source scripts/setup.sh
# A test run builds each crate once: incremental caches would only take disk (3.3 GB on a clean run).
export CARGO_INCREMENTAL=0

# Formatting first: it fails in a second, before the long builds.
if cargo fmt --version >/dev/null 2>&1; then
  cargo fmt --all --check
else
  echo "test: rustfmt is not installed; formatting NOT checked" >&2
fi

# The console and the emulator keep one-way imports (no module imports one that imports it back).
python3 scripts/module_cycles.py src >/dev/null || { python3 scripts/module_cycles.py src | tail -3; exit 1; }
python3 scripts/module_cycles.py emulator/src >/dev/null || { python3 scripts/module_cycles.py emulator/src | tail -3; exit 1; }

# The Azure CLI's install (minutes, network-bound, once per pinned version) overlaps the builds.
cli_log="$(mktemp)"
emulator/tests/cli/run.sh --install-only > "$cli_log" 2>&1 &
cli_install=$!

# The browser tests drive the bundle that ships: the release build in dist/.
trunk_build --release
cargo test --workspace --locked --no-run
# tests/az_preview.rs runs the console's previewed az commands with the pinned CLI: the install must be done.
wait "$cli_install" || { cat "$cli_log" >&2; echo "test: installing the Azure CLI failed" >&2; exit 1; }
cat "$cli_log" >&2
ACR_CMK_DIST="$PWD/dist" ACR_CMK_AZ="$PWD/.tools/cli-venv/bin/az" cargo test --workspace --locked --no-fail-fast
# The official Azure SDK for Python against the emulator over HTTPS (venv in .tools/sdk-venv).
emulator/tests/sdk/run.sh -q
# The seed article's az sessions with the real Azure CLI (pinned, venv in .tools/cli-venv) against the emulator.
emulator/tests/cli/run.sh

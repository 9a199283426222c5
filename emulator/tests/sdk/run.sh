#!/usr/bin/env bash
# The Azure SDK for Python wire-compatibility suite: creates (once) a virtual
# environment in .tools/sdk-venv with the official SDKs from PyPI, builds the
# emulator binary and runs pytest against it over HTTPS.
#   emulator/tests/sdk/run.sh [pytest args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
here="$root/emulator/tests/sdk"

source "$root/scripts/tools_venv.sh"
tools_venv sdk-venv "$here/requirements.txt"

cd "$root"
cargo build -q --locked -p acr-cmk-emulator --bin acr-cmk-emulator
export ACR_CMK_EMULATOR_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/acr-cmk-emulator"
cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"

#!/usr/bin/env bash
# The Azure SDK for Python wire-compatibility suite: creates (once) a virtual
# environment in .tools/sdk-venv with the official SDKs from PyPI, builds the
# emulator binary and runs pytest against it over HTTPS.
#   emulator/tests/sdk/run.sh [pytest args...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
here="$root/emulator/tests/sdk"
venv="$root/.tools/sdk-venv"
say() { echo "sdk-tests: $*" >&2; }

# python3 -m venv needs Debian's python3-venv on a bare Debian/Ubuntu.
if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
  say "installing python3-venv"
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >&2
fi

# Reinstall only when requirements.txt changed (its hash is kept in the venv).
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  say "creating $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$here/requirements.txt" >&2
  echo "$want" > "$stamp"
fi

cd "$root"
cargo build -q --locked -p acr-cmk-emulator --bin acr-cmk-emulator
export ACR_CMK_EMULATOR_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/acr-cmk-emulator"
cd "$here"
exec "$venv/bin/python" -m pytest -p no:cacheprovider "$@"

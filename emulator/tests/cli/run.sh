#!/usr/bin/env bash
# The seed article's az sessions with the real Azure CLI against the emulator:
# installs (once) the pinned CLI into .tools/cli-venv, builds the emulator,
# starts it over HTTPS with the vault proxy, points a fresh CLI configuration at
# it (az cloud register + az login --service-principal) and runs seed.sh.
#   emulator/tests/cli/run.sh                 install if needed, then run
#   emulator/tests/cli/run.sh --install-only  only the install (scripts/test.sh starts it early, in the background)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
here="$root/emulator/tests/cli"
say() { echo "cli-tests: $*" >&2; }

source "$root/scripts/tools_venv.sh"
tools_venv cli-venv "$here/requirements.txt" az

[ "${1:-}" = "--install-only" ] && exit 0

cd "$root"
cargo build -q --locked -p acr-cmk-emulator --bin acr-cmk-emulator
bin="${CARGO_TARGET_DIR:-$root/target}/debug/acr-cmk-emulator"

work="$(mktemp -d)"
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

"$bin" --listen 127.0.0.1:0 --tls --ca-out "$work/ca.pem" --vault-proxy-listen 127.0.0.1:0 \
  --scenario empty --lro-secs 1 --rotation-interval-secs 2 > "$work/emulator.out" 2>&1 &
emulator_pid=$!
for _ in $(seq 300); do
  grep -q '^listening on ' "$work/emulator.out" && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.out" >&2; exit 1; }
  sleep 0.2
done
grep -q '^listening on ' "$work/emulator.out" || { say "the emulator did not start"; cat "$work/emulator.out" >&2; exit 1; }
arm="$(sed -n 's/^listening on //p' "$work/emulator.out")"
proxy="$(sed -n 's/^vault proxy on //p' "$work/emulator.out")"
read -r tenant client secret < <(sed -n 's/^service principal: tenant \(\S*\) client-id \(\S*\) client-secret \(\S*\)$/\1 \2 \3/p' "$work/emulator.out")

# The recipe (emulator/README.md, "The Azure CLI"): a CLI configuration of its own,
# the emulator's CA, the proxy for {vault}.vault.azure.net and graph.microsoft.com only.
export AZURE_CONFIG_DIR="$work/azure"
export REQUESTS_CA_BUNDLE="$work/ca.pem"
export HTTPS_PROXY="$proxy" NO_PROXY="127.0.0.1,localhost"
export AZURE_CORE_INSTANCE_DISCOVERY=false AZURE_CORE_COLLECT_TELEMETRY=false AZURE_CORE_NO_COLOR=true AZURE_CORE_ONLY_SHOW_ERRORS=true
export AZ="$venv/bin/az"
say "azure-cli $("$AZ" version --query "\"azure-cli\"" --output tsv)"
"$AZ" cloud register --name Emulator --endpoint-resource-manager "$arm" --output none
"$AZ" cloud set --name Emulator --output none
"$AZ" login --service-principal --username "$client" --password "$secret" --tenant "$tenant" --output none
SUBSCRIPTION="$("$AZ" account show --query id --output tsv)"
export SUBSCRIPTION
say "signed in to $arm (subscription $SUBSCRIPTION)"

mkdir -p "$work/cwd" && cd "$work/cwd"
"$here/seed.sh"

# Sourced: `tools_venv NAME REQUIREMENTS [EXECUTABLE]` makes (once) the project's
# pinned Python tools environment .tools/NAME from REQUIREMENTS, and sets `venv`.
# It is made again only when REQUIREMENTS changes (its hash is kept in the venv)
# or EXECUTABLE (default: python) is missing from its bin/.
tools_venv() {
  local name="$1" requirements="$2" executable="${3:-python}"
  local root; root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  venv="$root/.tools/$name"
  # python3 -m venv needs Debian's python3-venv on a bare Debian/Ubuntu.
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    echo "$name: installing python3-venv" >&2
    local sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-venv >&2
  fi
  local stamp="$venv/.requirements.sha256" want
  want="$(sha256sum "$requirements" | cut -d' ' -f1)"
  if [ ! -x "$venv/bin/$executable" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    echo "$name: installing $(basename "$requirements") into $venv (minutes the first time)" >&2
    local started; started=$(date +%s)
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" >&2
    echo "$want" > "$stamp"
    echo "$name: installed in $(( $(date +%s) - started )) s" >&2
  fi
}

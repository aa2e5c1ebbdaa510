#!/usr/bin/env bash
# Renders images/icon.svg to images/icon.png (256×256, transparent corners) with headless Chromium
# (Debian package chromium). The PNG is committed: packaging does not need Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --default-background-color=00000000 \
  --window-size=256,256 --screenshot="$PWD/images/icon.png" "file://$PWD/images/icon.svg" 2>/dev/null
file images/icon.png

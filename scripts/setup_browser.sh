#!/usr/bin/env bash
# What the browser tests need besides .venv: Debian's chromium (never a browser downloaded by
# Playwright) and the JavaScript the service serves itself (axe-core, from the npm lockfile).
#   scripts/setup_browser.sh        -> /usr/bin/chromium, assistant/web/vendor/node_modules
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=/usr/bin/chromium
if [ ! -x "$chromium" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: $chromium is missing and apt-get is not available." >&2
    echo "       Install Debian/Ubuntu's 'chromium' package (or put a Chromium binary at $chromium)." >&2
    exit 1
  fi
  sudo=()
  [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  echo "==> Installing chromium with apt-get (for the browser tests; $(date +%H:%M:%S))"
  if ! "${sudo[@]}" apt-get install -y -q chromium >/dev/null; then
    "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" apt-get install -y -q chromium >/dev/null || {
      echo "error: could not install chromium with apt-get; install it by hand: apt-get install chromium" >&2
      exit 1
    }
  fi
fi

vendor=assistant/web/vendor
stamp="$vendor/node_modules/.package-lock.sha256"
want_hash=$(sha256sum "$vendor/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_hash" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is missing; install Node.js (apt-get install nodejs npm) for axe-core." >&2
    exit 1
  fi
  echo "==> npm ci in $vendor (axe-core, served by the app for the accessibility checks)"
  (cd "$vendor" && npm ci --no-audit --no-fund --silent)
  echo "$want_hash" > "$stamp"
fi

#!/usr/bin/env bash
# What the browser tests need besides .venv: Debian's chromium (never a browser downloaded by
# Playwright) and the JavaScript the service serves itself (axe-core for the accessibility checks and
# hangul-js for the kiosk's touch keyboard, from the npm lockfile).
#   scripts/setup_browser.sh        -> /usr/bin/chromium, assistant/web/vendor/node_modules
#   scripts/setup_browser.sh --web-only  -> only the served JavaScript (what `make run` needs)
set -euo pipefail
cd "$(dirname "$0")/.."
web_only=false
[ "${1:-}" = "--web-only" ] && web_only=true

chromium=/usr/bin/chromium
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
if ! $web_only && [ ! -x "$chromium" ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: $chromium is missing and apt-get is not available." >&2
    echo "       Install Debian/Ubuntu's 'chromium' package (or put a Chromium binary at $chromium)." >&2
    exit 1
  fi
  echo "==> Installing chromium with apt-get (for the browser tests; $(date +%H:%M:%S))"
  if ! "${sudo[@]}" apt-get install -y -q chromium >/dev/null; then
    "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" apt-get install -y -q chromium >/dev/null || {
      echo "error: could not install chromium with apt-get; install it by hand: apt-get install chromium" >&2
      exit 1
    }
  fi
fi

# Korean and emoji fonts for the browser, so screenshots show Hangul and the tiles' pictures instead
# of empty boxes (the pages name no web font: they use the system's, as a kiosk PC would).
if ! $web_only && command -v apt-get >/dev/null 2>&1 && command -v fc-list >/dev/null 2>&1; then
  fonts=()
  [ -n "$(fc-list :lang=ko 2>/dev/null | head -1)" ] || fonts+=(fonts-noto-cjk)
  fc-list 2>/dev/null | grep -qi emoji || fonts+=(fonts-noto-color-emoji)
  if [ ${#fonts[@]} -gt 0 ]; then
    echo "==> Installing ${fonts[*]} with apt-get (Hangul and emoji in the browser tests' screenshots)"
    "${sudo[@]}" apt-get install -y -q "${fonts[@]}" >/dev/null || echo "warning: ${fonts[*]} not installed; screenshots may show boxes" >&2
  fi
fi

vendor=assistant/web/vendor
stamp="$vendor/node_modules/.package-lock.sha256"
want_hash=$(sha256sum "$vendor/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want_hash" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: npm is missing; install Node.js (apt-get install nodejs npm) for axe-core and hangul-js." >&2
    exit 1
  fi
  echo "==> npm ci in $vendor (axe-core and hangul-js, served by the app: accessibility checks, kiosk keyboard)"
  (cd "$vendor" && npm ci --no-audit --no-fund --silent)
  echo "$want_hash" > "$stamp"
fi

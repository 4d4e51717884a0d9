#!/usr/bin/env bash
# Renders a check report (report.html) in headless Chromium to a PNG screenshot, for a visual check of
# the page without a display. Not run by CI. Needs Debian's chromium (apt-get install -y chromium).
# Usage: .ci/render-report.sh [REPORT_DIR] [OUT_PNG] [WIDTHxHEIGHT]
# Network is off (the page is self-contained); a throw-away profile directory is used.
set -euo pipefail
dir="${1:-idrelu-report}"
out="${2:-/tmp/report.png}"
size="${3:-1280,2400}"
html="$(cd "$dir" && pwd)/report.html"
[ -f "$html" ] || { echo "render-report: $html not found: run 'idrelu check --out $dir' first" >&2; exit 2; }
browser="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$browser" ] || { echo "render-report: chromium not found: apt-get install -y chromium" >&2; exit 2; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
  --disable-sync --no-first-run --user-data-dir="$profile" --screenshot="$out" --window-size="${size/x/,}" \
  "file://$html" 2>/dev/null
echo "render-report: wrote $out" >&2

#!/usr/bin/env bash
# Checks the HTML site of the bundled example, as a browser sees it from file://:
#   (1) links and #anchors are checked by one checker, `cargo test --test site_build`
#       (broken_links), not here; Chromium below fails on any request leaving file://;
#   (2) vnu (the Nu HTML Checker): zero errors;
#   (3) axe-core on the home, an organisation, a branch, the indicator and the rulebook page: no serious or
#       critical violation;
#   (4) headless Chromium: screenshots (1280×900 and 375 px wide) into <tmp>/screenshots/, no
#       console error, no request leaving file://, no sideways scrolling at 375 px, and a search
#       for a Chinese branch name that returns it;
#   (5) `dangjian serve` on a copy of the example in headless Chromium: the page reloads by
#       itself after a save, a broken record shows the error overlay, the fix removes it.
# Installs what is missing: apt (chromium, fonts-noto-cjk, default-jre-headless) and npm
# packages into .ci/node_modules (gitignored). Exits non-zero on any failure.
# Usage: .ci/site-checks.sh [TMPDIR]   (default: a fresh temporary folder, kept for inspection)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

TMP="${1:-$(mktemp -d -t dangjian-site.XXXXXX)}"
SITE="$TMP/site"
SHOTS="$TMP/screenshots"
mkdir -p "$TMP"
step() { printf '\n== %s\n' "$*"; }

step "tools"
apt_need=()
command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || apt_need+=(chromium)
fc-list 2>/dev/null | grep -i "Noto Sans CJK\|Noto Sans SC\|Source Han Sans" >/dev/null || apt_need+=(fonts-noto-cjk)
command -v java >/dev/null 2>&1 || apt_need+=(default-jre-headless)
command -v node >/dev/null 2>&1 || apt_need+=(nodejs npm)
if ((${#apt_need[@]})); then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_need[@]}"
fi
NODE_DIR=.ci/node_modules
if [ ! -d "$NODE_DIR/puppeteer-core" ] || [ ! -d "$NODE_DIR/axe-core" ] || [ ! -d "$NODE_DIR/vnu-jar" ]; then
  # Chromium comes from apt; puppeteer-core never downloads a browser.
  npm install --silent --no-audit --no-fund --no-save --prefix .ci puppeteer-core axe-core vnu-jar
fi
export CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser)}"

step "build the example site into $SITE"
rm -rf "$SITE"
cargo run --quiet --release -- build --root . --no-pdf --out "$SITE"

fail=0
step "(2) vnu: HTML validity"
VNU_JAR="$NODE_DIR/vnu-jar/build/dist/vnu.jar"
if java -jar "$VNU_JAR" --errors-only --skip-non-html "$SITE" 2>"$TMP/vnu.txt"; then
  echo "vnu: 0 errors in $(find "$SITE" -name '*.html' | wc -l) pages"
else
  cat "$TMP/vnu.txt"
  echo "vnu: $(grep -c 'error' "$TMP/vnu.txt" || true) errors"
  fail=1
fi

step "(3, 4) axe-core, Chromium from file://, search"
NODE_PATH="$PWD/$NODE_DIR" node .ci/site-check.js "$SITE" "$SHOTS" || fail=1

step "(5) dangjian serve in Chromium: live reload and the error overlay"
PROJECT="$TMP/serve-project"
rm -rf "$PROJECT" && mkdir -p "$PROJECT"
cp -r content indicators.yaml "$PROJECT/"
SERVE_LOG="$TMP/serve.log"
# The release binary `cargo run --release` built above (run directly, so the signal reaches it).
BIN="$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')/release/dangjian"
"$BIN" serve --root "$PROJECT" --port 0 2>"$SERVE_LOG" &
SERVE_PID=$!
for _ in $(seq 1 300); do grep -q "^已生成网站" "$SERVE_LOG" && break; sleep 0.2; done
URL="$(sed -n 's/^本地预览：\(http[^（]*\)（.*/\1/p' "$SERVE_LOG" | head -1)"
if [ -z "$URL" ]; then cat "$SERVE_LOG"; fail=1; else
  NODE_PATH="$PWD/$NODE_DIR" node .ci/serve-check.js "$URL" "$PROJECT" "$SHOTS" || fail=1
fi
kill -INT "$SERVE_PID" && wait "$SERVE_PID" || { echo "serve did not stop cleanly"; fail=1; }

step "result"
echo "site: $SITE"
echo "screenshots: $SHOTS"
if [ "$fail" -ne 0 ]; then
  echo "site checks FAILED"
  exit 1
fi
echo "site checks passed"

#!/usr/bin/env bash
# The capture inspector (/_contract/ui) in headless Chromium (run by .ci/run):
# scripts/check-ui.py says what it checks. Screenshots: target/ui-screenshots/.
# oha (crates.io) fills the capture with 100,000 requests for the scale check.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if ! [ -x /usr/bin/chromium ] || ! [ -x /usr/bin/chromedriver ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
command -v oha >/dev/null || cargo install --quiet --locked oha --version 1.10.0
python3 -m pip install --quiet --disable-pip-version-check "selenium==4.27.1" "requests==2.32.3"
(cd "$work" && npm install --silent --no-audit --no-fund "axe-core@4.10.2" >/dev/null)

cargo build -q -p indicative-cli
"$root/target/debug/indicative" serve --listen 127.0.0.1:0 --now 2023-11-15T00:00:00Z \
  --plan examples/plans/tracking-plan.yaml >"$work/serve.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve.out" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.out" | head -1)
python3 scripts/check-ui.py "$url" "$work/node_modules/axe-core/axe.min.js" "$root/target/ui-screenshots"
kill "$pid" && wait "$pid" 2>/dev/null || true

# Again with --admin-token: the page asks for the token.
token="ui-check-$RANDOM$RANDOM"
"$root/target/debug/indicative" serve --listen 127.0.0.1:0 --now 2023-11-15T00:00:00Z \
  --admin-token "$token" >"$work/serve-token.out" 2>&1 &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/serve-token.out" && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve-token.out" | head -1)
python3 scripts/check-ui.py "$url" "$work/node_modules/axe-core/axe.min.js" "$root/target/ui-screenshots" "$token"

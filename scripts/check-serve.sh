#!/usr/bin/env bash
# indicative serve under outside tools (run by .ci/run), on loopback only:
#  1. the README's flow: the Python examples (examples/serve/) send with
#     `requests` and with the client openapi-python-client generates from
#     schemas/openapi.json, wait for and verify the capture; then
#     `indicative capture report` exits 0 on that clean capture and 1 once a
#     rejected request is in it;
#  2. schemathesis against the server's own OpenAPI document
#     (/_contract/openapi.json), every phase, every check, two seeds:
#     zero failures (scripts/schemathesis.toml says which statuses each
#     check expects, and why).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

python3 -m pip install --quiet --disable-pip-version-check \
  "requests==2.32.3" "openapi-python-client==0.29.1" "schemathesis==4.32.5"
cargo build -q -p indicative-cli
indicative=$root/target/debug/indicative

# Starts a server on a free loopback port; prints its URL.
start() {
  local out=$work/serve-$RANDOM.out
  "$indicative" serve --listen 127.0.0.1:0 "$@" >"$out" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    if grep -q "listening on" "$out"; then
      grep -o 'http://127.0.0.1:[0-9]*' "$out" | head -1
      return
    fi
    sleep 0.1
  done
  echo "indicative serve did not start:" >&2
  cat "$out" >&2
  exit 1
}

echo "-- the README's flow, from Python"
url=$(start --profile strict --db "$work/capture.db")
(cd "$work" && openapi-python-client generate --path "$root/schemas/openapi.json" --output-path client --meta setup >/dev/null)
python3 -m pip install --quiet --disable-pip-version-check "$work/client"
INDICATIVE_URL=$url python3 examples/serve/with_requests.py
INDICATIVE_URL=$url python3 examples/serve/with_generated_client.py

echo "-- indicative capture report: a clean capture exits 0"
"$indicative" capture report "$url"
echo "-- and one with a rejected request exits 1"
python3 -c 'import requests, sys; requests.post(sys.argv[1] + "/service/event/batch",
    json={"apiKey": "Your-API-Key", "events": [{"eventName": "", "eventUniqueId": "user47"}]})' "$url"
status=0
"$indicative" capture report "$url" --format github || status=$?
if [ "$status" -ne 1 ]; then
  echo "capture report exited $status; expected 1" >&2
  exit 1
fi

echo "-- schemathesis against the served OpenAPI document"
url=$(start --profile strict)
for seed in 1 2; do
  st --config-file scripts/schemathesis.toml run "$url/_contract/openapi.json" \
    --checks all --max-examples 60 --seed "$seed" --workers 2 --no-color | tail -20
done

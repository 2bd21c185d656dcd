#!/usr/bin/env bash
# Real tools judge the generated documents in schemas/ (run by .ci/run):
#  1. both OpenAPI documents pass openapi-spec-validator and `redocly lint`
#     with no errors;
#  2. a Python client generated from schemas/openapi.json by
#     openapi-python-client installs, and its track_batch call, sent to a
#     loopback server that records it, makes a request that
#     `indicative lint --profile strict` accepts with no finding at all.
# The JSON Schemas' metaschema check and their agreement with the validator
# are Rust tests (tests/).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m pip install --quiet --disable-pip-version-check \
  "openapi-spec-validator==0.9.0" "openapi-python-client==0.29.1"
(cd "$work" && npm install --silent --no-audit --no-fund "@redocly/cli@2.77.0" >/dev/null)

for doc in schemas/openapi.json schemas/openapi-3.0.json; do
  echo "-- openapi-spec-validator $doc"
  python3 -m openapi_spec_validator "$doc"
  echo "-- redocly lint $doc"
  "$work/node_modules/.bin/redocly" lint --format=stylish "$doc" 2>&1 | grep -v "Node.js" | tail -3
done

echo "-- a Python client generated from schemas/openapi.json"
(cd "$work" && openapi-python-client generate --path "$root/schemas/openapi.json" --output-path client --meta setup >/dev/null)
python3 -m pip install --quiet --disable-pip-version-check "$work/client"

cargo build -q -p indicative-cli
python3 - "$work/capture.har" <<'PY'
import json, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from m_particle_analytics_formerly_indicative_rest_api_client import Client
from m_particle_analytics_formerly_indicative_rest_api_client.api.events import track_batch
from m_particle_analytics_formerly_indicative_rest_api_client.models import Batch, BatchEvent, Properties

captured = []

class Recorder(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        captured.append({"method": "POST", "path": self.path, "headers": dict(self.headers), "body": body})
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Recorder)
threading.Thread(target=server.serve_forever, daemon=True).start()
base = f"http://127.0.0.1:{server.server_port}"

batch = Batch(
    api_key="Your-API-Key",
    events=[
        BatchEvent(event_name="Registration", event_unique_id="user47",
                   properties=Properties.from_dict({"Gender": "Female", "Age": "23"})),
        BatchEvent(event_name="Log-In", event_unique_id="user752", event_time=1700000000000),
    ],
)
response = track_batch.sync_detailed(client=Client(base_url=base), body=batch)
server.shutdown()
assert response.status_code == 200, response
assert len(captured) == 1, captured
request = captured[0]
har = {"log": {"version": "1.2", "creator": {"name": "check-generated-documents", "version": "1"}, "entries": [{
    "request": {
        "method": request["method"],
        "url": "https://api.indicative.com" + request["path"],
        "headers": [{"name": k, "value": v} for k, v in request["headers"].items()],
        "postData": {"mimeType": request["headers"].get("Content-Type", ""), "text": request["body"]},
    }
}]}}
json.dump(har, open(sys.argv[1], "w"))
print("captured", request["method"], request["path"], request["headers"].get("Content-Type"))
PY
echo "-- the captured request, linted with the strict profile"
report=$(./target/debug/indicative lint "$work/capture.har" --profile strict --now 2023-11-15T00:00:00Z --format json)
python3 - "$report" <<'PY'
import json, sys
report = json.loads(sys.argv[1])
docs = report["documents"]
assert len(docs) == 1, report
doc = docs[0]
assert doc["kind"] == "batch", doc
assert doc["status"] == 200 and doc["diagnostics"] == [], doc
print("accepted: a batch of", "2 events, no finding")
PY
echo "generated documents: ok"

#!/usr/bin/env bash
# Real tools judge the generated documents in schemas/ (run by .ci/run):
#  1. both OpenAPI documents pass openapi-spec-validator and `redocly lint`
#     with no errors;
#  2. a Python client generated from schemas/openapi.json by
#     openapi-python-client installs, and its track_batch call, sent to a
#     loopback server that records it, makes a request that
#     `indicative lint --profile strict` accepts with no finding at all;
#  3. the same for the OpenAPI document exported from the example tracking
#     plan (`indicative plan export --to openapi`): it passes both
#     validators, and the typed per-event models of its Python client send
#     an event and a batch that `lint --plan --profile strict` accepts.
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
echo "-- the OpenAPI document exported from the example tracking plan"
plan=examples/plans/tracking-plan.yaml
./target/debug/indicative plan export --to openapi "$plan" --out "$work/plan-openapi.json"
python3 -m openapi_spec_validator "$work/plan-openapi.json"
"$work/node_modules/.bin/redocly" lint --format=stylish "$work/plan-openapi.json" 2>&1 | grep -v "Node.js" | tail -3
(cd "$work" && openapi-python-client generate --path "$work/plan-openapi.json" --output-path plan-client --meta setup >/dev/null)
python3 -m pip install --quiet --disable-pip-version-check "$work/plan-client"
python3 - "$work/plan-capture.har" <<'PY'
import datetime, json, sys, threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from acme_shop_planned_events_client import Client
from acme_shop_planned_events_client.api.events import track_planned_batch, track_planned_event
from acme_shop_planned_events_client.models import (
    CheckoutCompleted, CheckoutCompletedProperties, CheckoutCompletedPropertiesCurrency,
    PlannedBatch, ProductViewedBatchItem, ProductViewedBatchItemProperties, ProductViewedBatchItemPropertiesCurrency,
    SignUpBatchItem, SignUpBatchItemProperties, SignUpBatchItemPropertiesMethod,
)

captured = []

class Recorder(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
        captured.append({"path": self.path, "headers": dict(self.headers), "body": body})
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass

server = HTTPServer(("127.0.0.1", 0), Recorder)
threading.Thread(target=server.serve_forever, daemon=True).start()
client = Client(base_url=f"http://127.0.0.1:{server.server_port}")

paid = datetime.datetime(2023, 11, 14, 9, 15, 2, tzinfo=datetime.timezone.utc)
event = CheckoutCompleted(
    api_key="Your-API-Key", event_name="Checkout Completed", event_unique_id="user47",
    properties=CheckoutCompletedProperties(cart_id="c-0a1b2c3d", order_id="o-104211", total="24.90",
                                           currency=CheckoutCompletedPropertiesCurrency.EUR, paid_at=paid),
)
batch = PlannedBatch(api_key="Your-API-Key", events=[
    SignUpBatchItem(event_name="Sign Up", event_unique_id="user47",
                    properties=SignUpBatchItemProperties(method=SignUpBatchItemPropertiesMethod.GOOGLE)),
    ProductViewedBatchItem(event_name="Product Viewed", event_unique_id="user47",
                           properties=ProductViewedBatchItemProperties(product_id="p-1042", price="24.90",
                                                                       currency=ProductViewedBatchItemPropertiesCurrency.EUR)),
])
for response in [track_planned_event.sync_detailed(client=client, body=event),
                 track_planned_batch.sync_detailed(client=client, body=batch)]:
    assert response.status_code == 200, response
server.shutdown()
assert len(captured) == 2, captured
har = {"log": {"version": "1.2", "creator": {"name": "check-generated-documents", "version": "1"}, "entries": [{
    "request": {
        "method": "POST",
        "url": "https://api.indicative.com" + request["path"],
        "headers": [{"name": k, "value": v} for k, v in request["headers"].items()],
        "postData": {"mimeType": request["headers"].get("Content-Type", ""), "text": request["body"]},
    }
} for request in captured]}}
json.dump(har, open(sys.argv[1], "w"))
print("captured", [r["path"] for r in captured])
PY
echo "-- the captured requests, linted with the plan and the strict profile"
report=$(./target/debug/indicative lint "$work/plan-capture.har" --plan "$plan" --profile strict --now 2023-11-15T00:00:00Z --format json)
python3 - "$report" <<'PY'
import json, sys
report = json.loads(sys.argv[1])
docs = report["documents"]
assert [d["kind"] for d in docs] == ["event", "batch"], docs
for doc in docs:
    assert doc["status"] == 200 and doc["diagnostics"] == [], doc
print("accepted: a planned event and a planned batch, no finding")
PY
echo "generated documents: ok"

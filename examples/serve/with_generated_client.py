"""A client generated from schemas/openapi.json (openapi-python-client),
sending to `indicative serve`; the server then says what it captured.

    openapi-python-client generate --path schemas/openapi.json --output-path client --meta setup
    pip install ./client requests
    INDICATIVE_URL=http://127.0.0.1:9595 python3 examples/serve/with_generated_client.py
"""
import os

import requests
from m_particle_analytics_formerly_indicative_rest_api_client import Client
from m_particle_analytics_formerly_indicative_rest_api_client.api.events import track_batch, track_event
from m_particle_analytics_formerly_indicative_rest_api_client.models import Batch, BatchEvent, Event, Properties

BASE = os.environ.get("INDICATIVE_URL", "http://127.0.0.1:9595")
client = Client(base_url=BASE)
since = requests.get(f"{BASE}/_contract/health").json()["lastSeq"]

event = Event(api_key="Your-API-Key", event_name="Registration", event_unique_id="user47",
              properties=Properties.from_dict({"Gender": "Female", "Age": "23"}))
assert track_event.sync_detailed(client=client, body=event).status_code == 200
batch = Batch(api_key="Your-API-Key", events=[
    BatchEvent(event_name="Log-In", event_unique_id="user752", event_time=1700000000000),
    BatchEvent(event_name="Log-Out", event_unique_id="user752"),
])
assert track_batch.sync_detailed(client=client, body=batch).status_code == 200

# Everything the generated client sent is accepted with no finding at all.
verified = requests.post(f"{BASE}/_contract/verify", json={"since": since, "verdict": "good", "atLeast": 3, "atMost": 3})
assert verified.status_code == 200, verified.json()
print("generated client: 3 events sent, all captured as good")

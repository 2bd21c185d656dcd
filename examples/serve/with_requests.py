"""An integration test's view of `indicative serve`, with Python's requests.

Start the server (`indicative serve`), point the code under test at it
instead of https://api.indicative.com, then ask the server what was sent:
no sleeps (`wait` long-polls), no counting (`verify` states an expectation
and answers 417 with the nearest events when it is not met).

    INDICATIVE_URL=http://127.0.0.1:9595 python3 examples/serve/with_requests.py
"""
import os

import requests

BASE = os.environ.get("INDICATIVE_URL", "http://127.0.0.1:9595")
KEY = "Your-API-Key"

# What the code under test would send.
since = requests.get(f"{BASE}/_contract/health").json()["lastSeq"]
answer = requests.post(f"{BASE}/service/event", json={
    "apiKey": KEY, "eventName": "Sign Up", "eventUniqueId": "user47",
    "properties": {"method": "email", "plan": "pro"},
})
assert answer.status_code == 200, answer.text
requests.post(f"{BASE}/service/event/batch", json={"apiKey": KEY, "events": [
    {"eventName": "Log In", "eventUniqueId": "user47", "properties": {"method": "email"}},
    {"eventName": "Product Viewed", "eventUniqueId": "user47", "eventTime": "2023-11-15"},
]})

# Wait until both events of the batch arrived (here at once; in a real test,
# whenever the SDK flushes), then state what must hold.
waited = requests.get(f"{BASE}/_contract/wait", params={"since": since, "kind": "batch", "count": 2, "timeout": 5000})
assert waited.status_code == 200, waited.json()

verified = requests.post(f"{BASE}/_contract/verify", json={
    "since": since, "eventName": "Sign Up", "properties": {"plan": "pro"}, "verdict": "good", "atLeast": 1, "atMost": 1,
})
assert verified.status_code == 200, verified.json()

# A miss answers 417 and says how the nearest events differ.
missed = requests.post(f"{BASE}/_contract/verify", json={"since": since, "eventName": "Sign up"})
assert missed.status_code == 417
nearest = missed.json()["nearest"][0]
assert nearest["differences"] == ['eventName is "Sign Up", expected "Sign up"'], nearest
print("requests: sent 3 events; wait, verify and a 417 with the nearest event all behaved")

#!/usr/bin/env bash
# The SARIF output against the official SARIF 2.1.0 schema (run by .ci/run).
# `cargo test` checks it offline through serde-sarif's model, which is
# generated from the same schema; this script validates it against the
# schema itself, as published in the npm package @microsoft/jest-sarif, with
# Python's jsonschema.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m pip install --quiet --disable-pip-version-check "jsonschema==4.26.0"
(cd "$work" && npm pack --silent "@microsoft/jest-sarif@1.0.0-beta.0" >/dev/null && tar xzf microsoft-jest-sarif-1.0.0-beta.0.tgz)
schema="$work/package/lib/schemas/sarif-2.1.0-rtm.5.json"

cargo build -q -p indicative-cli
# As is, and cut to one result per rule (with the per-rule counts and a
# notification for each rule cut).
for limit in default 1; do
status=0
args=()
[ "$limit" = default ] || args=(--max-per-rule "$limit")
./target/debug/indicative lint examples/payloads --now 2023-11-15T00:00:00Z --format sarif "${args[@]}" > "$work/samples.sarif" || status=$?
# The bad samples make it exit 1; 2 would mean it could not run.
[ "$status" -le 1 ] || { echo "indicative lint exited $status" >&2; exit 1; }

python3 - "$schema" "$work/samples.sarif" <<'PY'
import json, sys
from jsonschema import Draft7Validator

schema = json.load(open(sys.argv[1]))
log = json.load(open(sys.argv[2]))
errors = sorted(Draft7Validator(schema).iter_errors(log), key=lambda e: list(e.absolute_path))
for error in errors[:20]:
    print("at /" + "/".join(map(str, error.absolute_path)) + ":", error.message, file=sys.stderr)
assert not errors, f"{len(errors)} SARIF 2.1.0 errors"
results = log["runs"][0]["results"]
assert results, "no results"
print(f"SARIF 2.1.0: valid ({len(results)} results, {len(log['runs'][0]['tool']['driver']['rules'])} rules)")
PY
done

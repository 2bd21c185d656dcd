#!/usr/bin/env bash
# One verdict under every validator (run by .ci/run). The differential
# corpus (tests/src/corpus.rs: near misses and generated payloads of every
# kind) is judged against the committed schemas by
#  - Python's `jsonschema` (patterns under Python's `re`), parsing with
#    `json.loads` as a Python service would (NaN and Infinity refused, as
#    RFC 8259 does);
#  - Ajv (patterns under ECMA-262, with the `u` flag), parsing with
#    `JSON.parse`;
# and then `tests/tests/validators.rs` compares their verdicts, and the
# jsonschema crate's under both its regex engines, with the strict profile's:
# every difference must be explained by a rule listed under `x-inexpressible`,
# and every listed rule must explain some difference. Then the patterns a
# tracking plan may hold, as its JSON Schema export writes them, are judged
# by both on texts where the engines part (line terminators, final line
# feeds, characters outside ASCII): each must agree with `lint --plan`.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 -m pip install --quiet --disable-pip-version-check "jsonschema==4.26.0"
(cd "$work" && npm install --silent --no-audit --no-fund "ajv@8.17.1" >/dev/null)

cargo run -q -p indicative-tests --bin validator-corpus > "$work/corpus.ndjson"
echo "-- $(wc -l < "$work/corpus.ndjson") payloads"
mkdir "$work/verdicts"

echo "-- Python jsonschema $(python3 -c 'import importlib.metadata as m; print(m.version("jsonschema"))')"
python3 - "$root/schemas" "$work/corpus.ndjson" > "$work/verdicts/python-jsonschema.ndjson" <<'PY'
import json, sys
from jsonschema import Draft202012Validator

schemas, corpus = sys.argv[1], sys.argv[2]
validators = {}

def refuse(name):
    raise ValueError(f"{name} is not JSON")

for line in open(corpus, encoding="utf-8"):
    case = json.loads(line)
    kind = case["kind"]
    if kind not in validators:
        schema = json.load(open(f"{schemas}/{kind}.schema.json", encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        validators[kind] = Draft202012Validator(schema)
    try:
        instance = json.loads(case["text"], parse_constant=refuse)
    except (ValueError, RecursionError):
        valid = None
    else:
        valid = validators[kind].is_valid(instance)
    print(json.dumps({"id": case["id"], "valid": valid}))
PY

echo "-- Ajv $(node -p "require('$work/node_modules/ajv/package.json').version") (draft 2020-12)"
node - "$root/schemas" "$work/corpus.ndjson" "$work/node_modules" > "$work/verdicts/ajv.ndjson" <<'JS'
const fs = require("fs");
const [schemas, corpus, modules] = process.argv.slice(2);
const Ajv2020 = require(`${modules}/ajv/dist/2020`).default;
// strict: false lets the x- keywords through; unicodeRegExp (the default)
// compiles each pattern with the `u` flag, as JSON Schema asks.
const ajv = new Ajv2020({ strict: false, validateFormats: false });
const validators = {};
const out = [];
for (const line of fs.readFileSync(corpus, "utf8").split("\n")) {
  if (!line) continue;
  const { id, kind, text } = JSON.parse(line);
  if (!validators[kind]) {
    validators[kind] = ajv.compile(JSON.parse(fs.readFileSync(`${schemas}/${kind}.schema.json`, "utf8")));
  }
  let valid = null;
  try {
    valid = validators[kind](JSON.parse(text));
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
  }
  out.push(JSON.stringify({ id, valid }));
}
fs.writeFileSync(1, out.join("\n") + "\n");
JS

echo "-- plan patterns: Python jsonschema and Ajv on exported property schemas, against lint --plan"
cargo run -q -p indicative-tests --bin plan-pattern-corpus > "$work/patterns.ndjson"
python3 - "$work/patterns.ndjson" > "$work/patterns-python.ndjson" <<'PY'
import json, sys
from jsonschema import Draft202012Validator
for line in open(sys.argv[1], encoding="utf-8"):
    case = json.loads(line)
    valid = Draft202012Validator(case["schema"]).is_valid(case["text"])
    print(json.dumps({"id": case["id"], "valid": valid}))
PY
node - "$work/patterns.ndjson" "$work/node_modules" > "$work/patterns-ajv.ndjson" <<'JS'
const fs = require("fs");
const [corpus, modules] = process.argv.slice(2);
const Ajv2020 = require(`${modules}/ajv/dist/2020`).default;
const ajv = new Ajv2020({ strict: false, validateFormats: false });
const out = [];
for (const line of fs.readFileSync(corpus, "utf8").split("\n")) {
  if (!line) continue;
  const { id, schema, text } = JSON.parse(line);
  out.push(JSON.stringify({ id, valid: ajv.validate(schema, text) }));
}
fs.writeFileSync(1, out.join("\n") + "\n");
JS
python3 - "$work/patterns.ndjson" "$work/patterns-python.ndjson" "$work/patterns-ajv.ndjson" <<'PY'
import json, sys
cases = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
wrong = []
for name, path in (("python-jsonschema", sys.argv[2]), ("ajv", sys.argv[3])):
    verdicts = {row["id"]: row["valid"] for row in map(json.loads, open(path, encoding="utf-8"))}
    assert len(verdicts) == len(cases), f"{name} judged {len(verdicts)} of {len(cases)}"
    for case in cases:
        if verdicts[case["id"]] != case["lint"]:
            wrong.append(f"{name}: pattern {case['pattern']!r} on {case['text']!r}: lint {case['lint']}, {name} {verdicts[case['id']]}")
print(f"-- {len(cases)} pattern cases, each judged alike by lint --plan, Python jsonschema and Ajv" if not wrong else "\n".join(wrong))
sys.exit(1 if wrong else 0)
PY

echo "-- the verdicts against the strict profile's"
INDICATIVE_FOREIGN_VERDICTS="$work/verdicts" cargo test -q -p indicative-tests --test validators -- --nocapture 2>&1 | grep -v "^$"
echo "validators: ok"

//! Writes the plan-pattern corpus as NDJSON for validators in other
//! languages (`scripts/check-validators.sh`): for each pattern a plan may
//! hold and each text, one `{"id", "pattern", "schema", "text", "lint"}`,
//! where `schema` is the property's schema as `indicative plan export --to
//! jsonschema` writes it and `lint` whether `indicative lint --plan` accepts
//! the text. Python's `jsonschema` and Ajv must give `lint` on every line.
//! Usage: `plan-pattern-corpus > corpus.ndjson`.

use std::io::{BufWriter, Write};

use indicative_contract::{LintOptions, RequestInfo, Rule, lint_body};
use indicative_plan::{EventSpec, Plan, PlanChecker, PropertySpec, PropertyType, SchemaVer};
use serde_json::Value;

/// Patterns a plan may hold, `.` and `$` among them.
const PATTERNS: &[&str] = &[
    "^[a-z]+ [0-9]+$",
    "^id-.{2}$",
    "^a.c",
    "x$",
    "^$",
    ".",
    "^[^@ ]+@[^@ ]+$",
    "^(?:ab|cd)+$",
    r"^\+?[0-9]{1,3}$",
    "^é+😀?$",
    r"^[\]\[-]+$",
    "^c-[0-9a-f]{8}$",
    "^[ \t]*$",
];

/// Texts, with the line terminators, final line feeds and characters
/// outside ASCII where engines part.
const TEXTS: &[&str] = &[
    "abc 12",
    "abc 12\n",
    "id-ab",
    "id-\rx",
    "id-\u{2028}x",
    "id-\u{2029}x",
    "id-\nx",
    "id-é😀",
    "a\rc",
    "abc",
    "abc\n",
    "x\n",
    "x",
    "\n",
    "",
    " \t",
    " \t\n",
    "a@b",
    "a@b\n",
    "abab",
    "abcd\n",
    "+12",
    "+12\n",
    "éé😀",
    "éé😀\n",
    "[-]",
    "c-0123abcd",
    "c-0123abcd\n",
    "\u{661}\u{662}",
    "a\u{85}c",
    "\u{2028}",
];

/// The schema of the property `p` in an exported schema: the object named
/// `p` that holds a `pattern`.
fn property_p(value: &Value) -> Option<&Value> {
    match value {
        Value::Object(map) => {
            map.get("p").filter(|p| p.get("pattern").is_some()).or_else(|| map.values().find_map(property_p))
        }
        Value::Array(items) => items.iter().find_map(property_p),
        _ => None,
    }
}

fn main() -> std::io::Result<()> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut id = 0;
    for pattern in PATTERNS {
        let mut plan = Plan::new("Patterns", SchemaVer::new(1, 0, 0));
        let property = PropertySpec { pattern: Some((*pattern).to_owned()), ..PropertySpec::of(PropertyType::String) };
        plan.events
            .insert("E".into(), EventSpec { properties: [("p".into(), property)].into(), ..EventSpec::default() });
        // Checked as a loaded plan is.
        let text = serde_json::to_string(&plan).expect("a plan serializes");
        let plan = Plan::from_text("patterns.json", &text).unwrap_or_else(|e| panic!("{pattern}: {e}"));
        let exported = indicative_plan::export::json_schemas(&plan);
        let schema = exported.iter().find_map(|(_, schema)| property_p(schema)).expect("the export holds the pattern");
        let options = LintOptions::new(0).with_checker(PlanChecker::new(&plan).shared());
        for text in TEXTS {
            let body =
                serde_json::json!({"apiKey": "K", "eventName": "E", "eventUniqueId": "u", "properties": {"p": text}});
            let report = lint_body(body.to_string().as_bytes(), &RequestInfo::default(), &options);
            let lint = !report.diagnostics.iter().any(|d| d.rule == Rule::PropertyPattern);
            let line = serde_json::json!({"id": id, "pattern": pattern, "schema": schema, "text": text, "lint": lint});
            writeln!(out, "{line}")?;
            id += 1;
        }
    }
    out.flush()
}

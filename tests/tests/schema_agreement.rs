//! The committed JSON Schemas (`schemas/`) say what the strict profile says:
//! for generated bodies of every kind, the `jsonschema` crate's verdict on the
//! kind's schema equals "no error" from the strict profile, except where a
//! rule the schema lists under `x-inexpressible` explains the difference.

use std::path::Path;
use std::sync::OnceLock;

use indicative_contract::{
    EVENT_TIME_ISO_PATTERN, LintOptions, Profile, Report, RequestInfo, RequestKind, Rule, lint_body, lint_query,
};
use indicative_tests::*;
use proptest::prelude::*;
use serde_json::Value;

fn strict() -> LintOptions {
    LintOptions::new(1_700_006_400_000).with_profile(Profile::Strict)
}

fn committed(kind: RequestKind) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas").join(format!("{}.schema.json", kind.name()));
    serde_json::from_slice(&std::fs::read(&path).expect("a committed schema")).expect("JSON")
}

fn validator(kind: RequestKind) -> &'static jsonschema::Validator {
    static VALIDATORS: OnceLock<Vec<(RequestKind, jsonschema::Validator)>> = OnceLock::new();
    let all = VALIDATORS.get_or_init(|| {
        RequestKind::ALL
            .into_iter()
            .map(|k| (k, jsonschema::validator_for(&committed(k)).expect("a schema compiles")))
            .collect()
    });
    &all.iter().find(|(k, _)| *k == kind).expect("every kind").1
}

/// Whether `value` is a string of the ISO syntax, or (in a GET) a decimal.
fn time_text(value: Option<&Value>, decimal_too: bool) -> bool {
    static ISO: OnceLock<jsonschema::Validator> = OnceLock::new();
    let iso = ISO.get_or_init(|| {
        jsonschema::validator_for(&serde_json::json!({"pattern": EVENT_TIME_ISO_PATTERN})).expect("pattern")
    });
    let Some(Value::String(text)) = value else { return false };
    iso.is_valid(&Value::String(text.clone()))
        || (decimal_too
            && !text.is_empty()
            && text.split_once('.').map_or(text.as_str(), |(i, _)| i).bytes().all(|b| b.is_ascii_digit()))
}

/// The engine's errors that no schema can state: calendar and range faults
/// of a well-shaped eventTime string, and the GET's count match.
fn only_inexpressible(report: &Report, instance: &Value, kind: RequestKind) -> bool {
    report.diagnostics.iter().filter(|d| d.severity == indicative_contract::Severity::Error).all(|d| match d.rule {
        Rule::InvalidEventTime | Rule::NegativeEventTime => {
            time_text(instance.pointer(&d.pointer), kind == RequestKind::EventQuery)
        }
        Rule::PropertyCountMismatch => kind == RequestKind::EventQuery,
        _ => false,
    })
}

fn agree(kind: RequestKind, report: &Report, instance: &Value, source: &str) -> Result<(), TestCaseError> {
    let schema_ok = validator(kind).is_valid(instance);
    let engine_ok = !report.has_errors();
    if schema_ok != engine_ok {
        prop_assert!(
            schema_ok && only_inexpressible(report, instance, kind),
            "{source}\nschema: {schema_ok}, strict: {engine_ok}\n{:#?}\nschema errors: {:?}",
            report.diagnostics,
            validator(kind).iter_errors(instance).map(|e| format!("{e} at {}", e.instance_path())).collect::<Vec<_>>()
        );
    }
    Ok(())
}

fn body(kind: RequestKind, body: &str) -> Result<(), TestCaseError> {
    let report = lint_body(body.as_bytes(), &RequestInfo::of_kind(kind), &strict());
    // A parsed document keeps a repeated member's last value only.
    let instance: Value = match serde_json::from_str(body) {
        Ok(instance) => instance,
        Err(e) => {
            // `1e400` has no f64, so no parsed document for a schema to judge:
            // the engine must refuse it.
            prop_assert!(e.to_string().contains("number out of range"), "{e}: {body}");
            prop_assert!(report.has_errors(), "{body}");
            return Ok(());
        }
    };
    if report.of(Rule::DuplicateKey).next().is_some() {
        // The engine checks every value of a repeated member: it is never
        // laxer than the schema, and on the document the schema sees, it agrees.
        prop_assert!(
            report.has_errors() || validator(kind).is_valid(&instance) || only_inexpressible(&report, &instance, kind),
            "{body}"
        );
        let deduplicated = serde_json::to_string(&instance).expect("JSON");
        let report = lint_body(deduplicated.as_bytes(), &RequestInfo::of_kind(kind), &strict());
        return agree(kind, &report, &instance, &deduplicated);
    }
    agree(kind, &report, &instance, body)
}

proptest! {
    #[test]
    fn event(b in object(EVENT.0, EVENT.1)) { body(RequestKind::Event, &b)?; }

    #[test]
    fn batch(b in object(BATCH.0, BATCH.1)) { body(RequestKind::Batch, &b)?; }

    #[test]
    fn identify(b in object(IDENTIFY.0, IDENTIFY.1)) { body(RequestKind::Identify, &b)?; }

    #[test]
    fn alias(b in object(ALIAS.0, ALIAS.1)) { body(RequestKind::Alias, &b)?; }

    #[test]
    fn suppress(b in object(SUPPRESS.0, SUPPRESS.1)) { body(RequestKind::Suppress, &b)?; }

    #[test]
    fn delete(b in object(DELETE.0, DELETE.1)) { body(RequestKind::Delete, &b)?; }

    #[test]
    fn event_query(params in prop::collection::vec(query_param(), 0..9)) {
        let query = params.join("&");
        let report = lint_query(&query, &RequestInfo::default(), &strict());
        let instance = query_as_object(&query);
        // A repeated single parameter: the first is read, as the object has it.
        agree(RequestKind::EventQuery, &report, &instance, &query)?;
    }
}

#[test]
fn every_committed_schema_passes_the_2020_12_metaschema() {
    for kind in RequestKind::ALL {
        let schema = committed(kind);
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{kind}");
        if let Err(error) = jsonschema::meta::validate(&schema) {
            panic!("{kind}: {error}");
        }
    }
    let report = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas/report.schema.json");
    let report: Value = serde_json::from_slice(&std::fs::read(report).expect("the report schema")).expect("JSON");
    assert!(jsonschema::meta::validate(&report).is_ok());
}

#[test]
fn the_schemas_reject_what_the_reference_forbids() {
    // A few readable anchors beside the generated cases.
    let event = validator(RequestKind::Event);
    assert!(event.is_valid(&serde_json::json!({"apiKey": "k", "eventName": "E", "eventUniqueId": "u", "properties": {"a": "b"}, "eventTime": 1_700_000_000_000_i64})));
    assert!(!event.is_valid(&serde_json::json!({"apiKey": "k", "eventName": "x".repeat(256), "eventUniqueId": "u"})));
    assert!(event.is_valid(&serde_json::json!({"apiKey": "k", "eventName": "é".repeat(255), "eventUniqueId": "u"})));
    assert!(!event.is_valid(&serde_json::json!({"apiKey": " \u{3000}", "eventName": "E", "eventUniqueId": "u"})));
    assert!(
        !event.is_valid(&serde_json::json!({"apiKey": "k", "eventName": "E", "eventUniqueId": "u", "eventTime": -1}))
    );
    assert!(!event.is_valid(
        &serde_json::json!({"apiKey": "k", "eventName": "E", "eventUniqueId": "u", "eventTime": "1700000000"})
    ));
    assert!(
        !event.is_valid(
            &serde_json::json!({"apiKey": "k", "eventName": "E", "eventUniqueId": "u", "properties": {"a": 1}})
        )
    );
    assert!(
        !event.is_valid(&serde_json::json!({"apiKey": "k", "eventName": "E", "eventUniqueId": "u", "extra": true}))
    );
    let batch = validator(RequestKind::Batch);
    assert!(batch.is_valid(
        &serde_json::json!({"apiKey": "k", "events": [{"eventName": "E", "eventUniqueId": "u", "apiKey": null}]})
    ));
}

//! The committed JSON Schemas (`schemas/`) say what the strict profile says:
//! for generated bodies of every kind, the `jsonschema` crate's verdict on the
//! kind's schema equals "no error" from the strict profile, except where a
//! rule the schema lists under `x-inexpressible` explains the difference.

use std::path::Path;

use indicative_contract::{RequestInfo, RequestKind, Rule, lint_body, lint_query};
use indicative_tests::corpus::Case;
use indicative_tests::differential::{Validators, committed, explain, listed, strict};
use indicative_tests::*;
use proptest::prelude::*;
use serde_json::Value;

fn validator(kind: RequestKind) -> &'static jsonschema::Validator {
    &Validators::get().fancy[&kind]
}

/// The schema and the strict profile agree on `case`, or a listed rule
/// explains why not (the same judge as the validators' differential).
fn agree(case: &Case, report: &indicative_contract::Report, instance: &Value) -> Result<(), TestCaseError> {
    let schema_ok = validator(case.kind).is_valid(instance);
    if schema_ok == report.has_errors() {
        match explain(case, report, Some(instance), schema_ok) {
            Ok(rules) => prop_assert!(rules.is_subset(&listed(case.kind)), "{rules:?} are not all listed\n{case:?}"),
            Err(why) => prop_assert!(
                false,
                "{why}\n{case:?}\nschema: {schema_ok}\n{:#?}\nschema errors: {:?}",
                report.diagnostics,
                validator(case.kind)
                    .iter_errors(instance)
                    .map(|e| format!("{e} at {}", e.instance_path()))
                    .collect::<Vec<_>>()
            ),
        }
    }
    Ok(())
}

fn body(kind: RequestKind, body: &str) -> Result<(), TestCaseError> {
    let report = lint_body(body.as_bytes(), &RequestInfo::of_kind(kind), &strict());
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
        // laxer than the schema, which sees the last.
        prop_assert!(report.has_errors() || validator(kind).is_valid(&instance), "{body}");
    }
    agree(&Case { kind, text: body.to_owned(), query: None, path_key: false }, &report, &instance)
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
        let case = Case { kind: RequestKind::EventQuery, text: instance.to_string(), query: Some(query), path_key: false };
        agree(&case, &report, &instance)?;
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

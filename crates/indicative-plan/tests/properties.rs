//! Property tests: a payload built from a plan's own values passes the
//! plan's lint, and each single mutation of it (the event renamed, a
//! required property dropped, an enum value nobody planned, a value of
//! another type) is caught. The loader never panics, whatever it is given.

mod common;

use std::collections::BTreeMap;

use common::{body, options, plan, values};
use indicative_contract::{RequestInfo, Rule, Status, lint_body};
use indicative_plan::{Plan, PropertyType};
use proptest::prelude::*;

fn plan_codes(report: &indicative_contract::Report) -> Vec<Rule> {
    report.diagnostics.iter().map(|d| d.rule).filter(|r| r.is_plan()).collect()
}

proptest! {
    #[test]
    fn payloads_built_from_the_plan_pass_it(plan in plan(), seed in any::<u64>()) {
        let options = options(&plan);
        for (name, event) in &plan.events {
            let body = body(name, &values(event, seed, true));
            let report = lint_body(body.as_bytes(), &RequestInfo::default(), &options);
            prop_assert_eq!(report.status, Status::Ok);
            prop_assert!(report.diagnostics.is_empty(), "{}: {:?}", body, report.diagnostics);
        }
    }

    #[test]
    fn each_single_mutation_is_caught(plan in plan(), seed in any::<u64>(), which in 0usize..4) {
        let options = options(&plan);
        let (name, event) = plan.events.iter().nth((seed % plan.events.len() as u64) as usize).expect("an event");
        let mut properties = values(event, seed, true);
        let lint = |name: &str, properties: &BTreeMap<String, String>| {
            plan_codes(&lint_body(body(name, properties).as_bytes(), &RequestInfo::default(), &options))
        };
        let expected = match which {
            0 => {
                let renamed = format!("{name} V2");
                prop_assert_eq!(lint(&renamed, &properties), [Rule::UnplannedEvent]);
                return Ok(());
            }
            1 => {
                let Some((dropped, _)) = event.properties.iter().find(|(_, s)| s.required) else { return Ok(()) };
                properties.remove(dropped);
                Rule::MissingProperty
            }
            2 => {
                let Some((enum_name, _)) = event.properties.iter().find(|(_, s)| s.kind == PropertyType::Enum) else { return Ok(()) };
                properties.insert(enum_name.clone(), "nobody planned this".into());
                Rule::PropertyEnum
            }
            _ => {
                let typed = event.properties.iter().find(|(_, s)| matches!(s.kind, PropertyType::Integer | PropertyType::Number | PropertyType::Boolean | PropertyType::Datetime));
                let Some((typed_name, _)) = typed else { return Ok(()) };
                properties.insert(typed_name.clone(), "twelve".into());
                Rule::PropertyType
            }
        };
        prop_assert_eq!(lint(name, &properties), [expected]);
    }

    #[test]
    fn the_loader_never_panics_on_mutated_plans(
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        as_json in any::<bool>(),
    ) {
        let example = include_str!("../../../examples/plans/tracking-plan.yaml");
        let text = if as_json { JSON_PLAN.to_owned() } else { example.to_owned() };
        let mut bytes = text.into_bytes();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            match byte % 3 {
                0 => bytes[i] = byte,
                1 => { bytes.remove(i); }
                _ => bytes.insert(i, b"{}[]:,-\"' \n#&*!|>"[usize::from(byte) % 17]),
            }
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Err(errors) = Plan::from_text("mutated", &text) {
            for error in errors.iter() {
                prop_assert!(error.line >= 1 && error.column >= 1);
            }
        }
    }

    #[test]
    fn the_loader_never_panics_on_any_text(text in "\\PC{0,200}") {
        let _ = Plan::from_text("any", &text);
    }
}

const JSON_PLAN: &str = r#"{"name": "P", "version": "1-0-0", "policy": "deny",
  "groups": {"g": {"properties": {"a": {"type": "string", "pattern": "^x"}}}},
  "events": {"E": {"include": ["g"], "status": "deprecated", "sunset": "2025-01-01",
    "properties": {"n": {"type": "integer", "min": 0, "max": 9, "required": true},
                   "c": {"type": "enum", "values": ["a", "b"]}}}},
  "userProperties": {"tier": {"type": "enum", "values": ["free", "pro"]}}}"#;

#[test]
fn the_json_plan_of_the_mutation_test_loads() {
    Plan::from_text("p.json", JSON_PLAN).expect("a sound JSON plan to start from");
}

proptest! {
    /// A plan written as YAML reads back as the same plan.
    #[test]
    fn written_plans_read_back_the_same(plan in plan(), description in prop::option::of("[!-~é][ -~é]{0,20}"), name in "[!-~]([ -~]{0,10}[!-~])?") {
        let mut plan = plan;
        plan.name = name;
        plan.description = description;
        let yaml = indicative_plan::write::to_yaml(&plan);
        let back = Plan::from_text("written.yaml", &yaml);
        prop_assert!(back.is_ok(), "{yaml}\n{}", back.err().map(|e| e.to_string()).unwrap_or_default());
        prop_assert_eq!(back.ok(), Some(plan));
    }

    /// The plan file's JSON Schema accepts every plan the loader accepts.
    #[test]
    fn the_plan_schema_accepts_every_plan(plan in plan()) {
        let value = serde_json::to_value(&plan).expect("JSON");
        prop_assert!(plan_schema_validator().is_valid(&value), "{value}");
    }
}

fn plan_schema_validator() -> &'static jsonschema::Validator {
    static VALIDATOR: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    VALIDATOR
        .get_or_init(|| jsonschema::validator_for(&indicative_plan::plan_schema()).expect("the plan schema compiles"))
}

#[test]
fn the_example_plan_round_trips_and_fits_its_schema() {
    let example = include_str!("../../../examples/plans/tracking-plan.yaml");
    let plan = Plan::from_text("tracking-plan.yaml", example).expect("loads");
    let yaml = indicative_plan::write::to_yaml(&plan);
    assert_eq!(Plan::from_text("written.yaml", &yaml).expect("reads back"), plan);
    let json = serde_json::to_value(&plan).expect("JSON");
    assert!(plan_schema_validator().is_valid(&json));
    let again =
        Plan::from_text("p.json", &serde_json::to_string_pretty(&json).expect("text")).expect("the JSON form loads");
    assert_eq!(again, plan);
    for (pointer, bad) in [
        ("/events/Sign Up/colour", serde_json::json!("red")),
        ("/version", serde_json::json!("1.0")),
        ("/events/Sign Up/properties/method/type", serde_json::json!("text")),
        ("/events/Sign Up/properties/method/maxLength", serde_json::json!(300)),
    ] {
        let mut broken = json.clone();
        let (parent, key) = pointer.rsplit_once('/').expect("a pointer");
        broken.pointer_mut(parent).and_then(|v| v.as_object_mut()).expect(parent).insert(key.to_owned(), bad);
        assert!(!plan_schema_validator().is_valid(&broken), "{pointer}");
    }
}

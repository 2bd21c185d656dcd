//! The outside check of the exported JSON Schemas: given to the `jsonschema`
//! crate, each event's schema accepts and rejects the same payloads as
//! `indicative lint --plan` in the strict profile, but where a schema says
//! it cannot (`x-inexpressible`: a number's range, since values are text).

mod common;

use std::collections::BTreeMap;

use common::{plan, values};
use indicative_contract::{LintOptions, Profile, RequestInfo, Rule, Severity, lint_body};
use indicative_plan::{Plan, PlanChecker, PropertyType};
use proptest::prelude::*;

/// The rules a schema cannot state (see each schema's `x-inexpressible`).
const INEXPRESSIBLE: [Rule; 1] = [Rule::PropertyRange];

fn lint_errors(plan: &Plan, body: &str) -> Vec<Rule> {
    let options =
        LintOptions::new(1_717_200_000_000).with_profile(Profile::Strict).with_checker(PlanChecker::new(plan).shared());
    let report = lint_body(body.as_bytes(), &RequestInfo::default(), &options);
    report.diagnostics.iter().filter(|d| d.severity == Severity::Error).map(|d| d.rule).collect()
}

/// One change to an event's planned values, or none.
fn mutate(event: &indicative_plan::EventSpec, properties: &mut BTreeMap<String, serde_json::Value>, how: usize) {
    let find = |pick: &dyn Fn(&indicative_plan::PropertySpec) -> bool| {
        event.properties.iter().find(|(_, s)| pick(s)).map(|(n, _)| n.clone())
    };
    match how {
        1 => {
            if let Some(name) = find(&|s| s.required) {
                properties.remove(&name);
            }
        }
        2 => {
            if let Some(name) = find(&|s| s.kind == PropertyType::Enum) {
                properties.insert(name, "nobody planned this".into());
            }
        }
        3 => {
            if let Some(name) = find(&|s| s.kind != PropertyType::String && s.kind != PropertyType::Enum) {
                properties.insert(name, "twelve".into());
            }
        }
        4 => {
            properties.insert("zz_unplanned".into(), "x".into());
        }
        5 => {
            if let Some((name, _)) = properties.iter().next() {
                let name = name.clone();
                properties.insert(name, 12.into());
            }
        }
        6 => {
            if let Some((name, _)) = properties.iter().next() {
                let name = name.clone();
                properties.insert(name, serde_json::Value::Null);
            }
        }
        7 => {
            // A final line feed, which Python's `$` would let through.
            let typed = |s: &indicative_plan::PropertySpec| {
                matches!(s.kind, PropertyType::Integer | PropertyType::Boolean | PropertyType::Datetime)
                    || s.pattern.is_some()
            };
            if let Some(name) = find(&typed)
                && let Some(serde_json::Value::String(text)) = properties.get_mut(&name)
            {
                text.push('\n');
            }
        }
        8 => {
            // A line terminator where a pattern's `.` stands, which only
            // ECMA-262's `.` refuses (and so every engine, as exported).
            if let Some(name) = find(&|s| s.pattern.as_deref().is_some_and(|p| p.contains('.')))
                && let Some(serde_json::Value::String(text)) = properties.get_mut(&name)
            {
                *text = format!("id-{}", ["\r", "\u{2028}", "\n"][text.len() % 3]).chars().chain(['x']).collect();
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.min(2048), ..ProptestConfig::default() })]

    #[test]
    fn exported_schemas_agree_with_the_plan_lint(plan in plan(), seed in any::<u64>(), how in 0usize..9) {
        let schemas: BTreeMap<String, jsonschema::Validator> = indicative_plan::export::json_schemas(&plan)
            .into_iter()
            .map(|(_, schema)| {
                let name = schema["properties"]["eventName"]["const"].as_str().expect("each schema names its event").to_owned();
                (name, jsonschema::validator_for(&schema).expect("the exported schema compiles"))
            })
            .collect();
        prop_assert_eq!(schemas.len(), plan.events.len());
        for (name, event) in &plan.events {
            let mut properties: BTreeMap<String, serde_json::Value> =
                values(event, seed, true).into_iter().map(|(k, v)| (k, v.into())).collect();
            mutate(event, &mut properties, how);
            let text = format!(
                r#"{{"apiKey":"K","eventName":{},"eventUniqueId":"u","properties":{}}}"#,
                serde_json::to_string(name).expect("JSON"),
                serde_json::to_string(&properties).expect("JSON")
            );
            let errors = lint_errors(&plan, &text);
            let linted = errors.is_empty();
            let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            let validated = schemas[name].is_valid(&value);
            let only_inexpressible = !errors.is_empty() && errors.iter().all(|r| INEXPRESSIBLE.contains(r));
            prop_assert!(
                linted == validated || (only_inexpressible && validated),
                "{text}\nlint errors: {errors:?}\nschema accepts: {validated}"
            );
        }
    }
}

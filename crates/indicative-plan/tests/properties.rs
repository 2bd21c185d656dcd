//! Property tests: a payload built from a plan's own values passes the
//! plan's lint, and each single mutation of it (the event renamed, a
//! required property dropped, an enum value nobody planned, a value of
//! another type) is caught. The loader never panics, whatever it is given.

use std::collections::BTreeMap;

use indicative_contract::{LintOptions, RequestInfo, Rule, Status, lint_body};
use indicative_plan::{EventSpec, Plan, PlanChecker, PropertySpec, PropertyType, SchemaVer};
use proptest::prelude::*;

const EVENT_NAMES: [&str; 8] = [
    "Sign Up",
    "Log In",
    "Checkout Completed",
    "Product Viewed",
    "Page Viewed",
    "Order Refunded",
    "Trial Ended",
    "Cart Viewed",
];
const WORDS: [&str; 8] = ["free", "pro", "enterprise", "USD", "EUR", "weekly", "monthly", "other value"];
/// Patterns with a way to make text that matches them.
const PATTERNS: [&str; 3] = ["^[a-z]{3}$", "^p-[0-9]+$", "^[A-Z0-9]{6}$"];

fn property() -> impl Strategy<Value = PropertySpec> {
    let kind = prop::sample::select(PropertyType::ALL.to_vec());
    (
        kind,
        any::<bool>(),
        0usize..PATTERNS.len() + 1,
        prop::option::of(0i64..50),
        prop::option::of(0i64..50),
        prop::sample::subsequence(WORDS.to_vec(), 1..4),
    )
        .prop_map(|(kind, required, pattern, a, b, values)| {
            let mut spec = PropertySpec::of(kind);
            spec.required = required;
            match kind {
                PropertyType::String => {
                    if let Some(p) = PATTERNS.get(pattern) {
                        spec.pattern = Some((*p).to_owned());
                    } else if let (Some(a), Some(b)) = (a, b) {
                        spec.min_length = Some(a.min(b) as u32);
                        spec.max_length = Some(a.max(b) as u32);
                    }
                }
                PropertyType::Integer | PropertyType::Number => {
                    let (lo, hi) = match (a, b) {
                        (Some(a), Some(b)) => (Some(a.min(b) as f64 - 10.0), Some(a.max(b) as f64)),
                        (a, b) => (a.map(|v| v as f64), b.map(|v| v as f64 + 5.0)),
                    };
                    spec.min = lo;
                    spec.max = hi;
                }
                PropertyType::Enum => spec.values = values.into_iter().map(str::to_owned).collect(),
                PropertyType::Boolean | PropertyType::Datetime => {}
            }
            spec
        })
}

fn plan() -> impl Strategy<Value = Plan> {
    let event = prop::collection::vec(property(), 0..6);
    prop::collection::btree_map(prop::sample::select(EVENT_NAMES.to_vec()), event, 1..5).prop_map(|events| {
        let mut plan = Plan::new("Generated", SchemaVer::new(1, 0, 0));
        for (name, properties) in events {
            let properties: BTreeMap<String, PropertySpec> =
                properties.into_iter().enumerate().map(|(i, spec)| (format!("prop_{i}"), spec)).collect();
            plan.events.insert(name.to_owned(), EventSpec { properties, ..EventSpec::default() });
        }
        plan
    })
}

/// A text of type and constraints `spec`, picked by `seed`.
fn value_for(spec: &PropertySpec, seed: u64) -> String {
    let pick = |n: u64| (seed % n.max(1)) as i64;
    match spec.kind {
        PropertyType::String => match spec.pattern.as_deref() {
            Some("^[a-z]{3}$") => ["abc", "xyz", "qed"][pick(3) as usize].to_owned(),
            Some("^p-[0-9]+$") => format!("p-{}", pick(10_000)),
            Some(_) => ["K7Q2ZP", "ABC123", "000000"][pick(3) as usize].to_owned(),
            None => {
                let min = spec.min_length.unwrap_or(0) as usize;
                let max = spec.max_length.map_or(min + 8, |m| m as usize);
                "é".repeat(min + pick((max - min + 1) as u64) as usize)
            }
        },
        PropertyType::Integer => {
            let lo = spec.min.map_or(-1000, |m| m.ceil() as i64);
            let hi = spec.max.map_or(lo + 2000, |m| m.floor() as i64);
            (lo + pick((hi - lo + 1).max(1) as u64)).to_string()
        }
        PropertyType::Number => {
            let lo = spec.min.unwrap_or(-1000.0);
            let hi = spec.max.unwrap_or(lo + 2000.0);
            let value = lo + (hi - lo) * (pick(101) as f64 / 100.0);
            let text = format!("{value:.2}");
            // Rounding may step over a bound: clamp to it, written exactly.
            if text.parse::<f64>().is_ok_and(|v| v < lo || v > hi) { format!("{lo}") } else { text }
        }
        PropertyType::Boolean => ["true", "false"][pick(2) as usize].to_owned(),
        PropertyType::Datetime => format!(
            "2024-0{}-1{}T0{}:30:00{}",
            1 + pick(9),
            pick(10),
            pick(10),
            ["Z", "+02:00", ".5-05:00"][pick(3) as usize]
        ),
        PropertyType::Enum => spec.values[pick(spec.values.len() as u64) as usize].clone(),
    }
}

fn options(plan: &Plan) -> LintOptions {
    LintOptions::new(1_717_200_000_000).with_checker(PlanChecker::new(plan).shared())
}

fn body(name: &str, properties: &BTreeMap<String, String>) -> String {
    let properties = serde_json::to_string(properties).expect("JSON");
    format!(
        r#"{{"apiKey":"K","eventName":{},"eventUniqueId":"u","properties":{properties}}}"#,
        serde_json::to_string(name).expect("JSON")
    )
}

/// The plan's values for each property of `event` (optional ones when `with_optional`).
fn values(event: &EventSpec, seed: u64, with_optional: bool) -> BTreeMap<String, String> {
    event
        .properties
        .iter()
        .enumerate()
        .filter(|(i, (_, spec))| spec.required || (with_optional && (seed >> i) & 1 == 1))
        .map(|(i, (name, spec))| (name.clone(), value_for(spec, seed.rotate_left(i as u32 * 7))))
        .collect()
}

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

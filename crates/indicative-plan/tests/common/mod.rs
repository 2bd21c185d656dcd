//! Generators shared by the property tests: plans, and the values they plan.

#![allow(dead_code)]

use std::collections::BTreeMap;

use indicative_contract::LintOptions;
use indicative_plan::{EventSpec, Plan, PlanChecker, Policy, PropertySpec, PropertyType, SchemaVer};
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
const PATTERNS: [&str; 4] = ["^[a-z]{3}$", "^p-[0-9]+$", "^[A-Z0-9]{6}$", "^id-.{2}$"];

pub fn property() -> impl Strategy<Value = PropertySpec> {
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

pub fn plan() -> impl Strategy<Value = Plan> {
    let event = prop::collection::vec(property(), 0..6);
    let policy = prop::sample::select(vec![Policy::Allow, Policy::Warn, Policy::Deny]);
    (prop::collection::btree_map(prop::sample::select(EVENT_NAMES.to_vec()), event, 1..5), policy).prop_map(
        |(events, policy)| {
            let mut plan = Plan::new("Generated", SchemaVer::new(1, 0, 0));
            plan.policy = policy;
            for (name, properties) in events {
                let properties: BTreeMap<String, PropertySpec> =
                    properties.into_iter().enumerate().map(|(i, spec)| (format!("prop_{i}"), spec)).collect();
                plan.events.insert(name.to_owned(), EventSpec { properties, ..EventSpec::default() });
            }
            plan
        },
    )
}

/// A text of type and constraints `spec`, picked by `seed`.
pub fn value_for(spec: &PropertySpec, seed: u64) -> String {
    let pick = |n: u64| (seed % n.max(1)) as i64;
    match spec.kind {
        PropertyType::String => match spec.pattern.as_deref() {
            Some("^[a-z]{3}$") => ["abc", "xyz", "qed"][pick(3) as usize].to_owned(),
            Some("^p-[0-9]+$") => format!("p-{}", pick(10_000)),
            Some("^id-.{2}$") => format!("id-{}", ["ab", "é😀", "- "][pick(3) as usize]),
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

pub fn options(plan: &Plan) -> LintOptions {
    LintOptions::new(1_717_200_000_000).with_checker(PlanChecker::new(plan).shared())
}

pub fn body(name: &str, properties: &BTreeMap<String, String>) -> String {
    let properties = serde_json::to_string(properties).expect("JSON");
    format!(
        r#"{{"apiKey":"K","eventName":{},"eventUniqueId":"u","properties":{properties}}}"#,
        serde_json::to_string(name).expect("JSON")
    )
}

/// The plan's values for each property of `event` (optional ones when `with_optional`).
pub fn values(event: &EventSpec, seed: u64, with_optional: bool) -> BTreeMap<String, String> {
    event
        .properties
        .iter()
        .enumerate()
        .filter(|(i, (_, spec))| spec.required || (with_optional && (seed >> i) & 1 == 1))
        .map(|(i, (name, spec))| (name.clone(), value_for(spec, seed.rotate_left(i as u32 * 7))))
        .collect()
}

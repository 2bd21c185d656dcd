//! Code generated from random valid plans compiles with no warning, and
//! every event it builds lints clean against its plan in the strict profile.
//!
//! The plans come from the plan crate's property-test generators (random
//! events, property types, constraints, enum values and policies, plus
//! random user properties). For each plan, the test writes the generated
//! module and a `main` that builds every event (and the user properties)
//! through the generated constructors, with values that the generators say
//! satisfy the plan, then lints each request and panics on any finding.
//! trybuild compiles and runs that program. `CODEGEN_PLANS` (default 16) and
//! `CODEGEN_SEED` (default fixed, so CI repeats) explore further.

#[path = "../../indicative-plan/tests/common/mod.rs"]
mod common;

use std::fmt::Write as _;

use indicative_plan::{Plan, PropertySpec, PropertyType};
use indicative_plan_rust::idents::{field_ident, type_ident};
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// A Rust expression of the generated field type of `spec`, whose text is
/// `value_for(spec, seed)`; `owner` is the generated struct's name.
fn value(owner: &str, property: &str, spec: &PropertySpec, seed: u64, module: &str) -> String {
    let text = common::value_for(spec, seed);
    match spec.kind {
        PropertyType::String => format!("{text:?}.to_owned()"),
        PropertyType::Integer => format!("{}i64", text.parse::<i64>().expect("an integer")),
        PropertyType::Number => format!("{:?}f64", text.parse::<f64>().expect("a number")),
        PropertyType::Boolean => text,
        PropertyType::Datetime => {
            format!("{text:?}.parse::<::indicative_contract::jiff::Timestamp>().expect(\"a timestamp\")")
        }
        PropertyType::Enum if spec.values.is_empty() => format!("{text:?}.to_owned()"),
        PropertyType::Enum => format!("{module}::{owner}{}::{}", type_ident(property), type_ident(&text)),
    }
}

/// Statements that build `var` of type `owner` with every required property
/// and, by `seed`, some optional ones.
fn build<'p>(
    out: &mut String,
    module: &str,
    owner: &str,
    var: &str,
    properties: impl Iterator<Item = (&'p str, &'p PropertySpec)>,
    seed: u64,
) {
    let properties: Vec<(&str, &PropertySpec)> = properties.collect();
    let args: Vec<String> = properties
        .iter()
        .enumerate()
        .filter(|(_, (_, spec))| spec.required)
        .map(|(i, (name, spec))| value(owner, name, spec, seed.rotate_left(i as u32 * 7), module))
        .collect();
    let _ = writeln!(out, "    let mut {var} = {module}::{owner}::new(\"user-1\", {});", args.join(", "));
    for (i, (name, spec)) in
        properties.iter().enumerate().filter(|(i, (_, spec))| !spec.required && (seed >> i) & 1 == 1)
    {
        let value = value(owner, name, spec, seed.rotate_left(i as u32 * 7), module);
        let _ = writeln!(out, "    {var}.{} = Some({value});", field_ident(name));
    }
}

fn program(plans: &[Plan]) -> String {
    let mut out = String::from(
        "#![deny(warnings)]\n#![allow(unused_mut)] // some events have no optional property to set\nuse indicative_contract::{TrackEvent, UserProperties};\n\nfn lint(plan: &str, body: Vec<u8>) {\n    let plan = indicative_plan::Plan::from_text(\"plan.yaml\", plan).expect(\"the plan loads\");\n    let options = indicative_contract::LintOptions::new(1_717_200_000_000)\n        .with_profile(indicative_contract::Profile::Strict)\n        .with_checker(indicative_plan::PlanChecker::new(&plan).shared());\n    let report = indicative_contract::lint_body(&body, &indicative_contract::RequestInfo::default(), &options);\n    assert!(report.diagnostics.is_empty(), \"{}: {:?}\", String::from_utf8_lossy(&body), report.diagnostics);\n}\n\n",
    );
    for (i, plan) in plans.iter().enumerate() {
        let items = indicative_plan_rust::codegen::items(plan).expect("no clash");
        let _ = writeln!(out, "#[allow(dead_code)]\nmod p{i} {{\n{items}\n}}\n");
    }
    out.push_str("fn main() {\n    let key = indicative_contract::ApiKey::new(\"K\").expect(\"a key\");\n");
    for (i, plan) in plans.iter().enumerate() {
        let module = format!("p{i}");
        let yaml = indicative_plan::write::to_yaml(plan);
        for (j, (name, event)) in plan.events.iter().enumerate() {
            let var = format!("e{i}_{j}");
            let seed = (i * 131 + j * 17) as u64;
            build(&mut out, &module, &type_ident(name), &var, plan.properties_of(event), seed);
            let _ = writeln!(
                out,
                "    lint({yaml:?}, serde_json::to_vec(&{var}.to_event(&key).expect(\"an event\")).expect(\"JSON\"));"
            );
        }
        if !plan.user_properties.is_empty() {
            let var = format!("u{i}");
            let users = plan.user_properties.iter().map(|(n, s)| (n.as_str(), s));
            // Every user property set: an identify that sets none changes
            // nothing, which the lint says (an `info`).
            build(&mut out, &module, "User", &var, users, u64::MAX);
            let _ = writeln!(
                out,
                "    lint({yaml:?}, serde_json::to_vec(&{var}.to_identify(&key).expect(\"an identify\")).expect(\"JSON\"));"
            );
        }
    }
    out.push_str("}\n");
    out
}

fn plans() -> Vec<Plan> {
    let count = std::env::var("CODEGEN_PLANS").ok().and_then(|n| n.parse().ok()).unwrap_or(16);
    let seed = std::env::var("CODEGEN_SEED").ok().and_then(|n| n.parse::<u64>().ok()).unwrap_or(20_261_201);
    let mut bytes = [0u8; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let mut runner = TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &bytes));
    let strategy = (common::plan(), proptest::collection::vec(common::property(), 0..4));
    let mut plans = Vec::new();
    while plans.len() < count {
        let (mut plan, users) = strategy.new_tree(&mut runner).expect("a plan").current();
        plan.user_properties = users.into_iter().enumerate().map(|(i, spec)| (format!("trait {i}"), spec)).collect();
        // The plan as a file, read back: what tracking_plan! would read.
        let plan = Plan::from_text("plan.yaml", &indicative_plan::write::to_yaml(&plan)).expect("a valid plan");
        if indicative_plan_rust::codegen::items(&plan).is_ok() {
            plans.push(plan);
        }
    }
    plans
}

#[test]
fn generated_code_compiles_and_its_events_lint_clean() {
    let plans = plans();
    assert!(plans.iter().map(|p| p.events.len()).sum::<usize>() >= plans.len());
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("generated-code");
    std::fs::create_dir_all(&dir).expect("a folder");
    let case = dir.join("random_plans.rs");
    std::fs::write(&case, program(&plans)).expect("written");
    trybuild::TestCases::new().pass(&case);
}

/// The events the generators make are what the test builds: a sanity check
/// of the helpers above, so that a clean lint means something.
#[test]
fn the_program_builds_every_event_of_every_plan() {
    let plans = plans();
    let text = program(&plans);
    let events: usize = plans.iter().map(|p| p.events.len()).sum();
    let users = plans.iter().filter(|p| !p.user_properties.is_empty()).count();
    assert_eq!(text.matches(".to_event(&key)").count(), events);
    assert_eq!(text.matches(".to_identify(&key)").count(), users);
}

//! Typed events checked against the tracking plan `examples/plans/tracking-plan.yaml`
//! at compile time, two ways:
//!
//! - by hand: `#[derive(TrackEvent)]` on a struct of our own; the crate's
//!   `Cargo.toml` names the plan (`[package.metadata.indicative] plan`), so a
//!   misspelled event name, a missing required property or a field of the
//!   wrong type does not compile;
//! - generated: `tracking_plan!` writes one struct per planned event (and
//!   an enum per `enum` property), which cannot drift from the plan; and the
//!   same code, printed by `indicative plan codegen rust` and committed
//!   (`src/generated.rs`), for teams that review generated code. The
//!   example checks that both give the same events.
//!
//! It prints a batch, linted against the API's rules and the plan.
//!
//! ```text
//! cargo run -p plan-rust-example
//! ```

use indicative_contract::{
    ApiKey, Batch, LintOptions, RequestInfo, ToPropertyValue, TrackEvent, UserProperties, lint_body,
};
use indicative_plan::{Plan, PlanChecker};

indicative_contract::tracking_plan!("../plans/tracking-plan.yaml");

/// The same plan's types, as `indicative plan codegen rust` printed them
/// (the CLI's tests check that this file is what it prints today).
#[allow(dead_code)]
mod generated;

/// How a user logs in: the plan's values for `method`.
#[derive(Debug, Clone, Copy, ToPropertyValue)]
enum Method {
    #[property(rename = "email")]
    Email,
    #[property(rename = "google")]
    Google,
}

/// The plan's "Log In", written by hand.
#[derive(Debug, TrackEvent)]
#[event(name = "Log In")]
struct LogIn {
    #[event(unique_id)]
    user: String,
    method: Method,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    use tracking_plan::{CheckoutCompleted, CheckoutCompletedCurrency, User, UserPlan};

    let api_key = ApiKey::new("example-api-key")?;
    let log_in = LogIn { user: "user-42".into(), method: Method::Google };
    let _other = LogIn { user: "user-7".into(), method: Method::Email };
    // `new` takes the required properties: the event's own, by name, then its groups'.
    let mut order =
        CheckoutCompleted::new("user-42", CheckoutCompletedCurrency::Eur, "o-123456".into(), 42.5, "c-0a1b2c3d".into());
    order.item_count = Some(3);
    order.paid_at = Some("2024-05-01T10:00:00Z".parse()?);
    let mut user = User::new("user-42");
    user.plan = Some(UserPlan::Pro);

    let batch = Batch { api_key: api_key.clone(), events: vec![log_in.to_batch_event()?, order.to_batch_event()?] };
    let body = serde_json::to_vec_pretty(&batch)?;
    println!("{}", String::from_utf8_lossy(&body));
    let identify = user.to_identify(&api_key)?;
    println!("{}", serde_json::to_string_pretty(&identify)?);

    // The committed code and the macro's give the same events.
    let mut committed = generated::CheckoutCompleted::new(
        "user-42",
        generated::CheckoutCompletedCurrency::Eur,
        "o-123456".into(),
        42.5,
        "c-0a1b2c3d".into(),
    );
    committed.item_count = Some(3);
    committed.paid_at = order.paid_at;
    assert_eq!(committed.to_batch_event()?, order.to_batch_event()?);
    let mut committed_user = generated::User::new("user-42");
    committed_user.plan = Some(generated::UserPlan::Pro);
    assert_eq!(committed_user.to_parts()?, user.to_parts()?);

    let plan = Plan::load(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../plans/tracking-plan.yaml")))?;
    let options = LintOptions::new(1_714_560_000_000).with_checker(PlanChecker::new(&plan).shared());
    let report = lint_body(&body, &RequestInfo::default(), &options);
    println!("linted against the API's rules and the plan: {} finding(s)", report.diagnostics.len());
    for diagnostic in &report.diagnostics {
        println!("  {} at {}: {}", diagnostic.rule.code(), diagnostic.pointer, diagnostic.message);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The example runs: its events build, the committed code agrees with
    /// the macro's, and the batch lints clean against the plan.
    #[test]
    fn the_example_runs() {
        super::main().expect("the example runs");
    }
}

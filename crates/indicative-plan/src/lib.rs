//! Tracking plans for the mParticle Analytics (formerly Indicative) REST API:
//! the team's own contract (its events, their properties and types, the user
//! properties), checked everywhere the API's is.
//!
//! - [`Plan::load`] reads a plan file (YAML or JSON) and checks it, with
//!   every mistake at its line and column;
//! - [`PlanChecker`] runs the plan's rules inside the lint engine's single
//!   pass (set it with [`LintOptions::with_checker`](indicative_contract::LintOptions::with_checker));
//! - `import`, `export`, `diff` and `coverage` turn other tools' plans into
//!   ours and back, compare versions, and measure captures against a plan.
//!
//! The file format and the rules are described in `docs/tracking-plans.md`.
//!
//! ```
//! use indicative_contract::{lint_body, LintOptions, RequestInfo};
//! use indicative_plan::{Plan, PlanChecker};
//!
//! let plan = Plan::from_text("tracking-plan.yaml", r#"
//! name: Shop
//! version: 1-0-0
//! events:
//!   Checkout Completed:
//!     properties:
//!       total: { type: number, required: true, min: 0 }
//! "#)?;
//! let options = LintOptions::new(1_700_000_000_000).with_checker(PlanChecker::new(&plan).shared());
//! let body = br#"{"apiKey":"K","eventName":"Checkout Completed","eventUniqueId":"u","properties":{"total":"$12"}}"#;
//! let report = lint_body(body, &RequestInfo::default(), &options);
//! assert_eq!(report.codes(), ["property-type"]);
//! assert_eq!(report.diagnostics[0].pointer, "/properties/total");
//! # Ok::<(), indicative_plan::PlanErrors>(())
//! ```

mod check;
pub mod coverage;
pub mod diff;
pub mod export;
pub mod import;
mod name_table;
pub mod write;

pub use check::PlanChecker;
// The model, its loader and the helpers on plan text live in
// `indicative-plan-model`, which the derive macros share without the lint
// engine; they are this crate's too.
pub use indicative_plan_model::{
    EventSpec, EventStatus, Group, Plan, PlanError, PlanErrors, Policy, PropertySpec, PropertyType, SchemaVer, pattern,
    suggest, values,
};

/// The JSON Schema (2020-12) of a plan file, for editors: `cargo xtask
/// codegen` writes it to `schemas/tracking-plan.schema.json`.
///
/// ```
/// let schema = indicative_plan::plan_schema();
/// assert_eq!(schema["title"], "Tracking plan");
/// assert!(schema["properties"]["events"].is_object());
/// ```
#[must_use]
pub fn plan_schema() -> serde_json::Value {
    let mut schema = schemars::SchemaGenerator::default().into_root_schema_for::<Plan>().to_value();
    // A file may name its schema, for editors that read `$schema`.
    schema["properties"]["$schema"] =
        serde_json::json!({"type": "string", "description": "The schema of this file, for editors."});
    schema["description"] = serde_json::json!(
        "A tracking plan for the mParticle Analytics (formerly Indicative) REST API: the team's events, their properties and types, and the user properties identify requests set. See docs/tracking-plans.md."
    );
    schema
}

//! The tracking plan as data: the team's events, their properties and types,
//! and the user properties, read from a plan file (YAML, or JSON) and checked,
//! with every mistake at its line and column.
//!
//! This crate is what every user of a plan shares: `indicative-plan` checks
//! payloads against it in the lint engine and imports, exports and diffs it;
//! the derive macros of `indicative-contract` check typed events against it
//! at compile time. It has no dependency on the lint engine, so a proc-macro
//! can read plans without building it. The file format is described in
//! `docs/tracking-plans.md`.
//!
//! ```
//! use indicative_plan_model::{Plan, PropertyType};
//!
//! let plan = Plan::from_text("tracking-plan.yaml", r#"
//! name: Shop
//! version: 1-0-0
//! events:
//!   Checkout Completed:
//!     properties:
//!       total: { type: number, required: true, min: 0 }
//! "#)?;
//! let total = &plan.events["Checkout Completed"].properties["total"];
//! assert_eq!((total.kind, total.required), (PropertyType::Number, true));
//!
//! let errors = Plan::from_text("p.yaml", "name: P\nversion: 1-0-0\nevents:\n  '': {}\n").unwrap_err();
//! assert_eq!(errors.iter().next().unwrap().line, 4);
//! # Ok::<(), indicative_plan_model::PlanErrors>(())
//! ```

mod checks;
mod fast;
mod fast_yaml;
mod load;
mod model;
pub mod pattern;
pub mod suggest;
pub mod values;
mod yaml;

pub use load::{PlanError, PlanErrors};

/// This crate's version: what keys a copy of a checked plan kept between
/// compilations (the derives' cache), so that a changed loader reads the
/// plan again.
///
/// ```
/// assert!(!indicative_plan_model::VERSION.is_empty());
/// ```
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub use model::{EventSpec, EventStatus, Group, Plan, Policy, PropertySpec, PropertyType, SchemaVer};

/// The first character of `text` that a plan cannot hold (a control
/// character other than tab and line breaks, a byte order mark, a
/// surrogate or a non-character: YAML's printable set), if any.
///
/// ```
/// assert_eq!(indicative_plan_model::unprintable("ctl\u{7}"), Some('\u{7}'));
/// assert_eq!(indicative_plan_model::unprintable("Sign Up ✓"), None);
/// ```
#[must_use]
pub fn unprintable(text: &str) -> Option<char> {
    yaml::first_unprintable(text).map(|(_, c)| c)
}

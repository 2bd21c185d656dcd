//! Tracking plans and Rust code.
//!
//! - [`codegen::items`]: the Rust types of a plan: one struct per planned
//!   event, a struct for the user properties, an enum per `enum` property,
//!   each with the derives of `indicative-contract`. It is what
//!   `indicative_contract::tracking_plan!` expands to and what
//!   `indicative plan codegen rust` prints.
//! - [`idents`]: the one rule that turns plan names into Rust identifiers.
//! - `status` (feature `status`): which planned events Rust sources
//!   instrument, read with `syn` (`indicative plan status`).
//!
//! ```
//! let plan = indicative_plan_model::Plan::from_text(
//!     "tracking-plan.yaml",
//!     "name: Shop\nversion: 1-0-0\nevents:\n  Order Completed:\n    properties:\n      total: { type: number, required: true }\n",
//! )?;
//! let code = indicative_plan_rust::codegen::items(&plan)?.to_string();
//! assert!(code.contains("pub struct OrderCompleted"));
//! assert!(code.contains("pub total : f64"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

pub mod codegen;
pub mod idents;
#[cfg(feature = "status")]
pub mod status;

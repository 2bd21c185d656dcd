//! Derive macros of `indicative-contract`; use them through its re-exports
//! (`indicative_contract::{TrackEvent, UserProperties, ToPropertyValue}`),
//! whose documentation has complete examples.
//!
//! Each derive parses its input into a raw model (`ast`), checks it with one
//! function per rule, collecting every mistake of one compile (`check`), and
//! only then expands it (`expand`); on errors, a stub impl keeps the
//! compiler from adding errors of its own.

mod ast;
mod check;
mod ctxt;
mod expand;
mod plan;
#[cfg(feature = "plan")]
mod plan_cache;
mod symbol;
#[cfg(feature = "plan")]
mod tracking_plan;

use proc_macro::TokenStream;

/// Derives `indicative_contract::TrackEvent` for a struct with named fields.
#[proc_macro_derive(TrackEvent, attributes(event))]
pub fn derive_track_event(input: TokenStream) -> TokenStream {
    expand::derive(input.into(), ast::Derive::TrackEvent).into()
}

/// Derives `indicative_contract::UserProperties` for a struct with named fields.
#[proc_macro_derive(UserProperties, attributes(user))]
pub fn derive_user_properties(input: TokenStream) -> TokenStream {
    expand::derive(input.into(), ast::Derive::UserProperties).into()
}

/// Derives `indicative_contract::ToPropertyValue` for a fieldless enum:
/// each variant stands for its name, or its `#[property(rename = "...")]`.
#[proc_macro_derive(ToPropertyValue, attributes(property))]
pub fn derive_to_property_value(input: TokenStream) -> TokenStream {
    expand::derive(input.into(), ast::Derive::ToPropertyValue).into()
}

/// Generates typed events from a tracking plan:
/// `tracking_plan!("tracking-plan.yaml")`, or
/// `tracking_plan!("tracking-plan.yaml" as shop)` to name the module (the
/// default is `tracking_plan`). The path is relative to the crate's manifest
/// directory.
#[cfg(feature = "plan")]
#[proc_macro]
pub fn tracking_plan(input: TokenStream) -> TokenStream {
    tracking_plan::expand(input.into()).into()
}

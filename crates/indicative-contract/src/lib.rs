//! The mParticle Analytics (formerly Indicative) REST ingestion API as a
//! checked contract.
//!
//! Two ways in, one rule set:
//!
//! - **Typed requests** ([`Event`], [`Batch`], [`Identify`], [`Alias`],
//!   [`Suppress`], [`Delete`], [`EventQuery`]) built from newtypes whose
//!   constructors enforce the contract, so an invalid request cannot be built.
//!   `Serialize` writes the wire format; `Deserialize` accepts exactly what the
//!   strict profile accepts.
//! - **The lint engine** ([`lint_body`], [`lint_query`], [`Linter`]) reads the
//!   bytes a service sends, in one pass, and reports every problem with a
//!   stable rule code, the HTTP status the API is predicted to answer, a JSON
//!   Pointer and a byte span.
//!
//! Both take their rules from the catalogue in [`Rule`]. The lint engine is
//! the `lint` feature, on by default; a crate that only builds typed
//! requests can turn it off (`default-features = false, features =
//! ["derive"]`) and build half as many dependencies.
//!
//! ```
//! # #[cfg(feature = "lint")] {
//! use indicative_contract::{Event, LintOptions, RequestInfo, Status, lint_body};
//!
//! // Build a request that cannot be invalid...
//! let event = Event::builder("Your-API-Key", "Registration", "user47")
//!     .property("Gender", "Female")
//!     .property("Age", 23)
//!     .build()?;
//! let body = serde_json::to_vec(&event).unwrap();
//!
//! // ...and lint bytes from anywhere.
//! let options = LintOptions::new(1_700_000_000_000);
//! assert_eq!(lint_body(&body, &RequestInfo::default(), &options).status, Status::Ok);
//!
//! let bad = br#"{"apiKey":"Your-API-Key","eventname":"Registration","eventUniqueId":"user47"}"#;
//! let report = lint_body(bad, &RequestInfo::default(), &options);
//! assert_eq!(report.codes(), ["missing-field", "unknown-field"]);
//! assert_eq!(report.diagnostics[1].help.as_deref(), Some("did you mean `eventName`?"));
//! assert_eq!(report.status, Status::Unprocessable);
//! # }
//! # Ok::<(), indicative_contract::ContractError>(())
//! ```

#[cfg(feature = "lint")]
mod diagnostic;
mod error;
#[cfg(feature = "lint")]
mod form;
#[cfg(feature = "lint")]
pub mod input;
#[cfg(feature = "lint")]
pub mod keys;
mod kind;
pub use indicative_contract_limits as limits;
#[cfg(feature = "lint")]
mod lint;
mod model;
pub mod plan_types;
mod rule;
#[cfg(feature = "schema")]
pub mod schema;
/// The `jiff` crate this one builds on: its `Timestamp` is what code generated
/// from a tracking plan (`tracking_plan!`) uses for `datetime` properties.
///
/// ```
/// let ts: indicative_contract::jiff::Timestamp = "2024-05-01T00:00:00Z".parse().unwrap();
/// assert_eq!(ts.as_second(), 1_714_521_600);
/// ```
pub use jiff;
mod time;
mod track;

#[cfg(feature = "lint")]
pub use diagnostic::{Diagnostic, Report, line_column};
pub use error::ContractError;
pub use kind::{DetectedKind, Endpoint, EndpointError, RequestKind};
#[cfg(feature = "lint")]
pub use lint::{
    EventChecker, EventView, Findings, LintOptions, Linter, Profile, PropertyView, RequestInfo, Target, ValueView,
    lint_body, lint_query, normalize_body, normalize_query,
};
pub use model::requests::{
    Alias, Batch, BatchBuilder, BatchEvent, Delete, Event, EventBuilder, EventQuery, Identify, Properties, Suppress,
};
pub use model::values::{
    AliasId, ApiKey, EventName, EventUniqueId, PropertyName, PropertyValue, QueryProperty, UniqueId,
};
pub use rule::{Rule, RuleDoc, Severity, Status};
pub use time::{EVENT_TIME_ISO_PATTERN, EventTime};
pub use track::{ToEventTime, ToPropertyValue, TrackEvent, UserProperties};

/// Derives [`TrackEvent`] (see there for an example). Attributes:
/// `#[event(name = "...")]` on the struct (default: its name), and on fields
/// `#[event(unique_id)]` (exactly one), `#[event(time)]` (at most one),
/// `#[event(rename = "...")]` and `#[event(skip)]`.
#[cfg(feature = "derive")]
pub use indicative_contract_derive::TrackEvent;

/// Derives [`UserProperties`] (see there for an example). Field attributes:
/// `#[user(unique_id)]` (exactly one), `#[user(rename = "...")]`, `#[user(skip)]`.
#[cfg(feature = "derive")]
pub use indicative_contract_derive::UserProperties;

/// Derives [`ToPropertyValue`] for a fieldless enum: each variant stands for
/// its name, or for `#[property(rename = "...")]`.
///
/// ```
/// use indicative_contract::ToPropertyValue;
/// #[derive(ToPropertyValue)]
/// enum Plan { Free, #[property(rename = "pro plan")] Pro }
/// assert_eq!(Plan::Pro.to_property_value().unwrap().as_str(), "pro plan");
/// ```
#[cfg(feature = "derive")]
pub use indicative_contract_derive::ToPropertyValue;

/// The types of a tracking plan, generated at compile time (the `plan`
/// feature): `tracking_plan!("tracking-plan.yaml")` expands to a module
/// `tracking_plan` (or `tracking_plan!("..." as name)`, to a module `name`)
/// with one struct per planned event deriving [`TrackEvent`], a struct `User`
/// of the user properties deriving [`UserProperties`], and an enum per `enum`
/// property deriving [`ToPropertyValue`]. Required properties are plain
/// fields, optional ones `Option`s; each struct has `new` taking the unique
/// id and the required properties. The path is relative to the crate's
/// manifest directory; the crate rebuilds when the plan changes.
/// `indicative plan codegen rust` prints the same code, for teams that
/// commit it. Plan names become Rust identifiers by one rule
/// (`docs/plan-rust.md`): `Sign Up` is `SignUp`, `order total` is
/// `order_total`.
///
/// ```
/// use indicative_contract::TrackEvent;
///
/// // This crate's test plan; yours is usually "tracking-plan.yaml".
/// indicative_contract::tracking_plan!("tests/ui/plans/shop.yaml" as shop);
///
/// let mut event = shop::SignUp::new("user-42", shop::SignUpMethod::Email);
/// event.age = Some(31);
/// let sent = event.to_batch_event()?;
/// assert_eq!(sent.event_name.as_str(), "Sign Up");
/// assert_eq!(sent.properties.unwrap().get("method").unwrap().as_str(), "email");
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
///
/// The example crate `examples/plan-rust` uses it on a real plan.
#[cfg(feature = "plan")]
pub use indicative_contract_derive::tracking_plan;

/// An [`EventName`] from a literal, checked at compile time: an empty name or
/// one over 255 characters fails the build.
///
/// ```
/// const SIGN_UP: indicative_contract::EventName = indicative_contract::event_name!("Sign Up");
/// assert_eq!(SIGN_UP.as_str(), "Sign Up");
/// ```
///
/// ```compile_fail
/// let empty = indicative_contract::event_name!("");
/// ```
#[macro_export]
macro_rules! event_name {
    ($name:literal) => {{
        const NAME: $crate::EventName = $crate::EventName::from_static($name);
        NAME
    }};
}

/// What the derived code calls; not a public interface.
#[doc(hidden)]
pub mod __private {
    pub use crate::track::unique_id_text;

    pub use crate::plan_types::{BooleanType, DatetimeType, EnumType, IntegerType, NumberType, StringType};
    use crate::plan_types::{FitsPlanType, PlanValues, first_unplanned};

    /// Compiles only when `T` fits the plan type `K` (the derives' check).
    pub const fn fits_plan_type<T: FitsPlanType<K> + ?Sized, K>() {}

    /// In a constant: fails the build with `message` when a value of `T`
    /// may be absent (the check of a required property's field).
    pub const fn require_present<T: FitsPlanType<K> + ?Sized, K>(message: &str) {
        if T::MAY_BE_ABSENT {
            panic!("{}", message);
        }
    }

    /// In a constant: fails the build, naming the variant, when `T` stands
    /// for a value that `planned` does not list.
    pub const fn require_planned_values<T: PlanValues + ?Sized>(planned: &[&str]) {
        if let Some(i) = first_unplanned(T::VALUES, planned) {
            panic!("{}", T::VALUES[i].2);
        }
    }
}

/// The README's code, compiled and run as a doctest so that it stays true.
#[doc = include_str!("../../../README.md")]
#[cfg(all(doctest, feature = "lint", feature = "derive"))]
pub struct ReadmeDoctests;

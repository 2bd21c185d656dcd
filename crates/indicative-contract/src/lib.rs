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
pub mod input;
mod kind;
pub use indicative_contract_limits as limits;
#[cfg(feature = "lint")]
mod lint;
mod model;
mod rule;
#[cfg(feature = "schema")]
pub mod schema;
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
}

/// The README's code, compiled and run as a doctest so that it stays true.
#[doc = include_str!("../../../README.md")]
#[cfg(all(doctest, feature = "lint", feature = "derive"))]
pub struct ReadmeDoctests;

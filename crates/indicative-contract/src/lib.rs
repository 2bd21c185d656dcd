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
//! Both take their rules from the catalogue in [`Rule`].
//!
//! ```
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
//! # Ok::<(), indicative_contract::ContractError>(())
//! ```

mod diagnostic;
mod error;
pub mod input;
mod kind;
pub mod limits;
mod lint;
mod model;
mod rule;
#[cfg(feature = "schema")]
pub mod schema;
mod time;

pub use diagnostic::{Diagnostic, Report, line_column};
pub use error::ContractError;
pub use kind::{DetectedKind, Endpoint, EndpointError, RequestKind};
pub use lint::{LintOptions, Linter, Profile, RequestInfo, lint_body, lint_query, normalize_body, normalize_query};
pub use model::requests::{
    Alias, Batch, BatchBuilder, BatchEvent, Delete, Event, EventBuilder, EventQuery, Identify, Properties, Suppress,
};
pub use model::values::{
    AliasId, ApiKey, EventName, EventUniqueId, PropertyName, PropertyValue, QueryProperty, UniqueId,
};
pub use rule::{Rule, Severity, Status};
pub use time::{EVENT_TIME_ISO_PATTERN, EventTime};

/// The README's code, compiled and run as a doctest so that it stays true.
#[doc = include_str!("../../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

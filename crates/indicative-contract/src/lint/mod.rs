//! The lint engine: bytes (or a GET URL) in, a [`Report`] out.
//!
//! A body is read in one pass by a pull reader (`reader.rs`): no value tree is
//! built, strings are borrowed where they have no escapes, and JSON Pointers,
//! key names and line/column are worked out only when a diagnostic is
//! reported.

mod body;
#[cfg(test)]
pub(crate) use body::array_items;
pub(crate) use body::skip_json_value;
mod checker;
mod checks;
mod marks;
mod normalize;
mod param;
pub(crate) mod query;
pub(crate) mod reader;
mod sink;
mod suggest;

use std::fmt;
use std::sync::Arc;

pub use checker::{EventChecker, EventView, Findings, PropertyView, Target, ValueView};
pub use normalize::{normalize_body, normalize_query};

use crate::diagnostic::Report;
use crate::kind::RequestKind;
use crate::limits::DEFAULT_MAX_BODY_BYTES;
use crate::rule::{Rule, Severity, Status};

/// Which reading of the contract to apply.
///
/// ```
/// use indicative_contract::Profile;
/// assert_eq!(Profile::parse("strict"), Some(Profile::Strict));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Profile {
    /// What the API is predicted to do: coercions are warnings.
    #[default]
    Default,
    /// The documented contract to the letter: the rules marked **S** are
    /// errors with status 400. What the generated JSON Schema accepts.
    Strict,
}

impl Profile {
    /// Reads `default` or `strict`.
    ///
    /// ```
    /// assert_eq!(indicative_contract::Profile::parse("lenient"), None);
    /// ```
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "default" => Some(Self::Default),
            "strict" => Some(Self::Strict),
            _ => None,
        }
    }

    /// The profile's name.
    ///
    /// ```
    /// assert_eq!(indicative_contract::Profile::Strict.as_str(), "strict");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Strict => "strict",
        }
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How to lint: the profile, per-rule severities, and the "now" that
/// `eventTime` is judged against.
///
/// ```
/// use indicative_contract::{LintOptions, Profile, Rule, Severity};
/// let options = LintOptions::new(1_700_000_000_000)
///     .with_profile(Profile::Strict)
///     .with_severity(Rule::EmptyBatch, Severity::Error)
///     .with_severity(Rule::UnknownField, Severity::Off);
/// assert_eq!(options.severity_of(Rule::EmptyBatch), Severity::Error);
/// assert_eq!(options.severity_of(Rule::UnknownField), Severity::Off);
/// assert_eq!(options.severity_of(Rule::CoercedToString), Severity::Error);
/// ```
#[derive(Clone)]
pub struct LintOptions {
    profile: Profile,
    overrides: [Option<Severity>; Rule::ALL.len()],
    now_millis: i64,
    max_body_bytes: usize,
    checker: Option<Arc<dyn EventChecker>>,
}

impl fmt::Debug for LintOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LintOptions")
            .field("profile", &self.profile)
            .field("overrides", &self.overrides)
            .field("now_millis", &self.now_millis)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("checker", &self.checker.as_ref().map(|_| "..."))
            .finish()
    }
}

/// Options are equal when they lint alike: the same settings and the same
/// checker (the same `Arc`), if any.
impl PartialEq for LintOptions {
    fn eq(&self, other: &Self) -> bool {
        self.profile == other.profile
            && self.overrides == other.overrides
            && self.now_millis == other.now_millis
            && self.max_body_bytes == other.max_body_bytes
            && match (&self.checker, &other.checker) {
                (None, None) => true,
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            }
    }
}

impl Eq for LintOptions {}

impl Default for LintOptions {
    /// The default profile, judged against the system clock's "now" at the
    /// time the options are made.
    fn default() -> Self {
        Self::new(jiff::Timestamp::now().as_millisecond())
    }
}

impl LintOptions {
    /// The default profile, judged against a fixed "now" (Unix milliseconds),
    /// for reproducible output.
    ///
    /// ```
    /// let options = indicative_contract::LintOptions::new(0);
    /// assert_eq!(options.now(), 0);
    /// ```
    #[must_use]
    pub const fn new(now_millis: i64) -> Self {
        Self {
            profile: Profile::Default,
            overrides: [None; Rule::ALL.len()],
            now_millis,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            checker: None,
        }
    }

    /// Sets a checker that sees every event and identify the engine reads
    /// (a tracking plan): its findings join the report. See [`EventChecker`].
    #[must_use]
    pub fn with_checker(mut self, checker: Arc<dyn EventChecker>) -> Self {
        self.checker = Some(checker);
        self
    }

    /// The checker in force, if any.
    ///
    /// ```
    /// assert!(indicative_contract::LintOptions::new(0).checker().is_none());
    /// ```
    #[must_use]
    pub fn checker(&self) -> Option<&dyn EventChecker> {
        self.checker.as_deref()
    }

    /// Sets the profile.
    ///
    /// ```
    /// use indicative_contract::{LintOptions, Profile};
    /// assert_eq!(LintOptions::new(0).with_profile(Profile::Strict).profile(), Profile::Strict);
    /// ```
    #[must_use]
    pub const fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }

    /// Sets one rule's severity, whatever the profile says (`Off` silences it).
    ///
    /// ```
    /// use indicative_contract::{LintOptions, Rule, Severity};
    /// let o = LintOptions::new(0).with_severity(Rule::TooLong, Severity::Warning);
    /// assert_eq!(o.severity_of(Rule::TooLong), Severity::Warning);
    /// ```
    #[must_use]
    pub const fn with_severity(mut self, rule: Rule, severity: Severity) -> Self {
        self.overrides[rule as usize] = Some(severity);
        self
    }

    /// Sets "now", in Unix milliseconds.
    ///
    /// ```
    /// assert_eq!(indicative_contract::LintOptions::new(0).with_now(5).now(), 5);
    /// ```
    #[must_use]
    pub const fn with_now(mut self, now_millis: i64) -> Self {
        self.now_millis = now_millis;
        self
    }

    /// Sets the largest body read (a larger one is `invalid-json`).
    ///
    /// ```
    /// use indicative_contract::{lint_body, LintOptions, RequestInfo};
    /// let o = LintOptions::new(0).with_max_body_bytes(4);
    /// assert_eq!(lint_body(b"{\"a\":1}", &RequestInfo::default(), &o).codes(), ["invalid-json"]);
    /// ```
    #[must_use]
    pub const fn with_max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }

    /// The profile in force.
    ///
    /// ```
    /// use indicative_contract::{LintOptions, Profile};
    /// assert_eq!(LintOptions::new(0).profile(), Profile::Default);
    /// ```
    #[must_use]
    pub const fn profile(&self) -> Profile {
        self.profile
    }

    /// The "now" in force, in Unix milliseconds.
    ///
    /// ```
    /// assert_eq!(indicative_contract::LintOptions::new(42).now(), 42);
    /// ```
    #[must_use]
    pub const fn now(&self) -> i64 {
        self.now_millis
    }

    /// The largest body read.
    ///
    /// ```
    /// assert_eq!(indicative_contract::LintOptions::new(0).max_body_bytes(), 64 << 20);
    /// ```
    #[must_use]
    pub const fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    /// The severity `rule` is reported with.
    ///
    /// ```
    /// use indicative_contract::{LintOptions, Rule, Severity};
    /// assert_eq!(LintOptions::new(0).severity_of(Rule::NullPropertyValue), Severity::Warning);
    /// ```
    #[must_use]
    pub const fn severity_of(&self, rule: Rule) -> Severity {
        if let Some(severity) = self.overrides[rule as usize] {
            return severity;
        }
        if matches!(self.profile, Profile::Strict) && rule.in_strict_profile() {
            return Severity::Error;
        }
        rule.default_severity()
    }

    /// The status `rule` predicts: its own, or 400 for the strict profile's
    /// rules under that profile. An override changes severity, not the prediction.
    ///
    /// ```
    /// use indicative_contract::{LintOptions, Profile, Rule, Status};
    /// assert_eq!(LintOptions::new(0).status_of(Rule::UnknownField), Status::Ok);
    /// assert_eq!(LintOptions::new(0).with_profile(Profile::Strict).status_of(Rule::UnknownField), Status::BadRequest);
    /// ```
    #[must_use]
    pub const fn status_of(&self, rule: Rule) -> Status {
        if matches!(self.profile, Profile::Strict) && rule.in_strict_profile() {
            Status::BadRequest
        } else {
            rule.status()
        }
    }
}

/// What is known about a request besides its body: all optional.
///
/// Give `method` and `path` for HTTP input (a HAR entry, a proxy log): then
/// the endpoint, the method and the content type are checked too, and the
/// path decides the kind and may carry the API key.
///
/// ```
/// use indicative_contract::{RequestInfo, RequestKind};
/// let info = RequestInfo::http("POST", "/service/identify/KEY", Some("application/json; charset=UTF-8"));
/// let info = RequestInfo { kind: Some(RequestKind::Identify), ..info };
/// assert_eq!(info.method.as_deref(), Some("POST"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestInfo {
    /// The request kind, when known; otherwise the path, then the body's shape, decide.
    pub kind: Option<RequestKind>,
    /// The HTTP method (HTTP input only).
    pub method: Option<String>,
    /// The request path or URL, with its query (HTTP input only, or a bare path
    /// that carries the key).
    pub path: Option<String>,
    /// The `Content-Type` header; `None` with a method means it was absent.
    pub content_type: Option<String>,
}

impl RequestInfo {
    /// The request kind alone.
    ///
    /// ```
    /// use indicative_contract::{RequestInfo, RequestKind};
    /// assert_eq!(RequestInfo::of_kind(RequestKind::Alias).kind, Some(RequestKind::Alias));
    /// ```
    #[must_use]
    pub fn of_kind(kind: RequestKind) -> Self {
        Self { kind: Some(kind), ..Self::default() }
    }

    /// An HTTP request: method, path (or URL) and content type.
    ///
    /// ```
    /// let info = indicative_contract::RequestInfo::http("GET", "/service/event?apiKey=k", None);
    /// assert_eq!(info.path.as_deref(), Some("/service/event?apiKey=k"));
    /// ```
    #[must_use]
    pub fn http(method: &str, path: &str, content_type: Option<&str>) -> Self {
        Self {
            kind: None,
            method: Some(method.to_owned()),
            path: Some(path.to_owned()),
            content_type: content_type.map(str::to_owned),
        }
    }
}

/// A lint engine that keeps its scratch buffers between calls: use one per
/// thread when linting many requests.
///
/// ```
/// use indicative_contract::{Linter, LintOptions, RequestInfo, Status};
/// let mut linter = Linter::new(LintOptions::new(1_700_000_000_000));
/// for body in [&br#"{"apiKey":"K","eventName":"E","eventUniqueId":"u"}"#[..], b"{}"] {
///     let report = linter.lint_body(body, &RequestInfo::default());
///     println!("{}", report.status);
/// }
/// assert_eq!(linter.verdict(br#"{"apiKey":"K","newId":"a","previousId":"b"}"#, &RequestInfo::default()), Status::Ok);
/// ```
#[derive(Debug, Default)]
pub struct Linter {
    options: LintOptions,
    scratch: body::Scratch,
}

impl Linter {
    /// A linter with `options`.
    ///
    /// ```
    /// let linter = indicative_contract::Linter::new(indicative_contract::LintOptions::new(0));
    /// assert_eq!(linter.options().now(), 0);
    /// ```
    #[must_use]
    pub fn new(options: LintOptions) -> Self {
        Self { options, scratch: body::Scratch::default() }
    }

    /// The options in force.
    ///
    /// ```
    /// assert_eq!(indicative_contract::Linter::default().options().profile(), indicative_contract::Profile::Default);
    /// ```
    #[must_use]
    pub const fn options(&self) -> &LintOptions {
        &self.options
    }

    /// Lints a POST body. See [`lint_body`].
    pub fn lint_body(&mut self, body: &[u8], request: &RequestInfo) -> Report {
        body::lint(body, request, &self.options, &mut self.scratch, false)
    }

    /// Lints a GET URL or query string. See [`lint_query`].
    pub fn lint_query(&mut self, url: &str, request: &RequestInfo) -> Report {
        query::lint(url, request, &self.options)
    }

    /// The predicted status of a POST body alone: the status of
    /// [`lint_body`](Self::lint_body)'s report, found faster when the kind is
    /// known before the body (given, or from the path), since reading stops
    /// as soon as an error decides it.
    ///
    /// ```
    /// use indicative_contract::{Linter, RequestInfo, Status};
    /// // No key (400) and no fields (422): the 400 wins.
    /// assert_eq!(Linter::default().verdict(b"{}", &RequestInfo::default()), Status::BadRequest);
    /// ```
    pub fn verdict(&mut self, body: &[u8], request: &RequestInfo) -> Status {
        body::lint(body, request, &self.options, &mut self.scratch, true).status
    }
}

/// Lints the bytes of a POST body.
///
/// Every rule of the contract is checked; the report holds each diagnostic
/// with its code, severity, predicted status, JSON Pointer, byte span,
/// message and help, the request kind, and the predicted status overall.
///
/// ```
/// use indicative_contract::{lint_body, LintOptions, RequestInfo, Status};
/// let body = br#"{"apiKey":"Your-API-Key","eventName":"Registration","eventUniqueId":"user47",
///                "properties":{"Gender":"Female","Age":23}}"#;
/// let report = lint_body(body, &RequestInfo::default(), &LintOptions::new(1_700_000_000_000));
/// assert_eq!(report.status, Status::Ok);
/// assert_eq!(report.codes(), ["non-string-property-value"]);
/// ```
#[must_use]
pub fn lint_body(body: &[u8], request: &RequestInfo, options: &LintOptions) -> Report {
    body::lint(body, request, options, &mut body::Scratch::default(), false)
}

/// Lints a GET request: a whole URL, a path with its query, or a bare query string.
///
/// ```
/// use indicative_contract::{lint_query, LintOptions, RequestInfo};
/// let url = "https://api.indicative.com/service/event?apiKey=K&eventName=EmailOpen&eventUniqueId=user123&propertyNames=prop1&propertyValues=val1&propertyNames=prop2";
/// let report = lint_query(url, &RequestInfo::default(), &LintOptions::new(0));
/// assert_eq!(report.codes(), ["property-count-mismatch"]);
/// assert_eq!(report.status.code(), 400);
/// // A bare query, with or without the `?` that `location.search` keeps.
/// let report = lint_query("?apiKey=K&eventName=E&eventUniqueId=u", &RequestInfo::default(), &LintOptions::new(0));
/// assert_eq!(report.status.code(), 200);
/// ```
#[must_use]
pub fn lint_query(url: &str, request: &RequestInfo, options: &LintOptions) -> Report {
    query::lint(url, request, options)
}

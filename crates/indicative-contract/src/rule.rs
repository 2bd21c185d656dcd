//! The rule catalogue: every rule of docs/contract.md, written once.
//!
//! The lint engine, the typed models' errors, the CLI's `explain` and the
//! generated documents all read their codes, severities, statuses and texts
//! from here.

use std::fmt;

/// How much a diagnostic matters.
///
/// ```
/// use indicative_contract::Severity;
/// assert!(Severity::Error > Severity::Warning);
/// assert_eq!(Severity::Warning.as_str(), "warning");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Not reported.
    Off,
    /// Accepted, worth knowing.
    Info,
    /// Accepted (200), but not as you may think.
    Warning,
    /// The API rejects the request.
    Error,
}

impl Severity {
    /// The lowercase name used in every output and configuration.
    ///
    /// ```
    /// assert_eq!(indicative_contract::Severity::Off.as_str(), "off");
    /// ```
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    /// Reads a severity name (`off`, `allow`, `info`, `warning`, `warn`, `error`, `deny`).
    ///
    /// ```
    /// use indicative_contract::Severity;
    /// assert_eq!(Severity::parse("warn"), Some(Severity::Warning));
    /// assert_eq!(Severity::parse("loud"), None);
    /// ```
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "off" | "allow" => Self::Off,
            "info" => Self::Info,
            "warning" | "warn" => Self::Warning,
            "error" | "deny" => Self::Error,
            _ => return None,
        })
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The HTTP status the API is predicted to answer.
///
/// [`Status::worst`] combines statuses: a request that reaches no endpoint is
/// answered 404 or 405 before its body is read; a malformed body (400) wins
/// over a broken constraint (422), as docs/contract.md decides.
///
/// ```
/// use indicative_contract::Status;
/// assert_eq!(Status::Unprocessable.worst(Status::BadRequest), Status::BadRequest);
/// assert_eq!(Status::Ok.worst(Status::Unprocessable).code(), 422);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    /// 200: accepted.
    Ok,
    /// 400: malformed, or the API key is missing or invalid.
    BadRequest,
    /// 404: the path is not one of the API's.
    NotFound,
    /// 405: the path does not take this method.
    MethodNotAllowed,
    /// 422: well-formed, but a value breaks a documented constraint.
    Unprocessable,
}

impl Status {
    /// The numeric HTTP status.
    ///
    /// ```
    /// assert_eq!(indicative_contract::Status::NotFound.code(), 404);
    /// ```
    #[must_use]
    pub const fn code(self) -> u16 {
        match self {
            Self::Ok => 200,
            Self::BadRequest => 400,
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Unprocessable => 422,
        }
    }

    /// The status of a numeric HTTP status, when it is one the contract predicts.
    ///
    /// ```
    /// use indicative_contract::Status;
    /// assert_eq!(Status::from_code(422), Some(Status::Unprocessable));
    /// assert_eq!(Status::from_code(429), None);
    /// ```
    #[must_use]
    pub const fn from_code(code: u16) -> Option<Self> {
        match code {
            200 => Some(Self::Ok),
            400 => Some(Self::BadRequest),
            404 => Some(Self::NotFound),
            405 => Some(Self::MethodNotAllowed),
            422 => Some(Self::Unprocessable),
            _ => None,
        }
    }

    const fn precedence(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::Unprocessable => 1,
            Self::BadRequest => 2,
            Self::MethodNotAllowed => 3,
            Self::NotFound => 4,
        }
    }

    /// The status answered when both `self` and `other` apply.
    ///
    /// ```
    /// use indicative_contract::Status;
    /// assert_eq!(Status::BadRequest.worst(Status::NotFound), Status::NotFound);
    /// ```
    #[must_use]
    pub const fn worst(self, other: Self) -> Self {
        if other.precedence() > self.precedence() { other } else { self }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code())
    }
}

macro_rules! rules {
    ($(
        $variant:ident = $code:literal, $severity:ident, $status:ident, strict: $strict:literal, plan: $plan:literal,
            summary: $summary:literal;
    )*) => {
        /// A rule of the contract, with its stable kebab-case code.
        ///
        /// ```
        /// use indicative_contract::{Rule, Severity, Status};
        /// let rule = Rule::from_code("too-long").unwrap();
        /// assert_eq!(rule, Rule::TooLong);
        /// assert_eq!((rule.default_severity(), rule.status()), (Severity::Error, Status::Unprocessable));
        /// assert!(Rule::UnknownField.in_strict_profile());
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Rule {
            $(
                #[doc = concat!("`", $code, "`: ", $summary, ".\n\n")]
                #[doc = include_str!(concat!("../docs/rules/", $code, ".md"))]
                $variant,
            )*
        }

        impl Rule {
            /// Every rule, in the order of docs/contract.md's table.
            pub const ALL: &'static [Rule] = &[$(Rule::$variant),*];

            /// The stable kebab-case code.
            #[must_use]
            pub const fn code(self) -> &'static str {
                match self { $(Rule::$variant => $code,)* }
            }

            /// The severity in the default profile.
            #[must_use]
            pub const fn default_severity(self) -> Severity {
                match self { $(Rule::$variant => Severity::$severity,)* }
            }

            /// The status predicted when the rule fires as an error in the
            /// default profile (200 for warnings and infos).
            #[must_use]
            pub const fn status(self) -> Status {
                match self { $(Rule::$variant => Status::$status,)* }
            }

            /// Whether the strict profile turns this rule into an error with
            /// status 400 (marked **S** in docs/contract.md).
            #[must_use]
            pub const fn in_strict_profile(self) -> bool {
                match self { $(Rule::$variant => $strict,)* }
            }

            /// Whether the rule checks a tracking plan rather than the API's
            /// contract. A plan rule predicts 200 whatever its severity: the
            /// API accepts what the team's plan refuses.
            #[must_use]
            pub const fn is_plan(self) -> bool {
                match self { $(Rule::$variant => $plan,)* }
            }

            /// One line saying when the rule fires.
            #[must_use]
            pub const fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// The rule's documentation, in Markdown: four sections, `What it
            /// flags`, `Why it matters`, `Example` and `Fix` (see [`Rule::doc`]),
            /// from `docs/rules/<code>.md`.
            #[must_use]
            pub const fn documentation(self) -> &'static str {
                match self { $(Rule::$variant => include_str!(concat!("../docs/rules/", $code, ".md")),)* }
            }
        }
    };
}

rules! {
    InvalidJson = "invalid-json", Error, BadRequest, strict: false, plan: false,
        summary: "the body is not well-formed JSON";
    NotAnObject = "not-an-object", Error, BadRequest, strict: false, plan: false,
        summary: "the body is not a JSON object";
    WrongType = "wrong-type", Error, BadRequest, strict: false, plan: false,
        summary: "a value of a type the API cannot read";
    MissingApiKey = "missing-api-key", Error, BadRequest, strict: false, plan: false,
        summary: "no API key in the body, the path or the query";
    InvalidApiKey = "invalid-api-key", Error, BadRequest, strict: false, plan: false,
        summary: "the API key is empty or blank (in a contract server, outside its allow-list)";
    MissingField = "missing-field", Error, Unprocessable, strict: false, plan: false,
        summary: "a required field is absent or null";
    EmptyField = "empty-field", Error, Unprocessable, strict: false, plan: false,
        summary: "a required string is empty";
    TooLong = "too-long", Error, Unprocessable, strict: false, plan: false,
        summary: "a name or id is over 255 characters";
    NegativeEventTime = "negative-event-time", Error, Unprocessable, strict: false, plan: false,
        summary: "eventTime is before 1970";
    InvalidEventTime = "invalid-event-time", Error, Unprocessable, strict: false, plan: false,
        summary: "eventTime is unreadable, impossible or out of range";
    PropertyCountMismatch = "property-count-mismatch", Error, BadRequest, strict: false, plan: false,
        summary: "GET: propertyNames and propertyValues differ in number";
    EmptyProperty = "empty-property", Error, Unprocessable, strict: false, plan: false,
        summary: "GET: an empty property name or value";
    InvalidQueryEncoding = "invalid-query-encoding", Error, BadRequest, strict: false, plan: false,
        summary: "GET: a malformed percent-escape, or a parameter that is not UTF-8";
    WrongContentType = "wrong-content-type", Error, BadRequest, strict: false, plan: false,
        summary: "a POST without Content-Type: application/json";
    UnknownEndpoint = "unknown-endpoint", Error, NotFound, strict: false, plan: false,
        summary: "the path is not one of the API's";
    MethodNotAllowed = "method-not-allowed", Error, MethodNotAllowed, strict: false, plan: false,
        summary: "the path does not take this method";
    CoercedToString = "coerced-to-string", Warning, Ok, strict: true, plan: false,
        summary: "a number or bool where a string is expected";
    NonStringPropertyValue = "non-string-property-value", Info, Ok, strict: true, plan: false,
        summary: "a number or bool property value, stored as its text";
    NullPropertyValue = "null-property-value", Warning, Ok, strict: true, plan: false,
        summary: "a null property value";
    PropertyValueTruncated = "property-value-truncated", Warning, Ok, strict: false, plan: false,
        summary: "a property value over 255 characters is truncated";
    PropertyNameLength = "property-name-length", Warning, Ok, strict: false, plan: false,
        summary: "a property name that is empty or over 255 characters";
    UnknownField = "unknown-field", Warning, Ok, strict: true, plan: false,
        summary: "a field the request kind does not have";
    BatchItemApiKey = "batch-item-api-key", Info, Ok, strict: false, plan: false,
        summary: "an apiKey inside a batch item is disregarded";
    BatchOverRecommendedSize = "batch-over-recommended-size", Warning, Ok, strict: false, plan: false,
        summary: "a batch of more than 100 events";
    EmptyBatch = "empty-batch", Warning, Ok, strict: false, plan: false,
        summary: "a batch with no events";
    PayloadOver1mb = "payload-over-1mb", Warning, Ok, strict: false, plan: false,
        summary: "a body over 1 MiB";
    ApiKeyConflict = "api-key-conflict", Warning, Ok, strict: false, plan: false,
        summary: "the body's API key differs from the path's";
    EventTimeFractional = "event-time-fractional", Warning, Ok, strict: false, plan: false,
        summary: "a numeric eventTime with a fraction";
    EventTimeStringNumber = "event-time-string-number", Info, Ok, strict: true, plan: false,
        summary: "a decimal string as eventTime in a POST body";
    EventTimeWithoutOffset = "event-time-without-offset", Warning, Ok, strict: false, plan: false,
        summary: "an ISO 8601 date-time without a zone";
    EventTimeImplausible = "event-time-implausible", Warning, Ok, strict: false, plan: false,
        summary: "an eventTime before 2000 or more than a day ahead";
    WhitespaceName = "whitespace-name", Warning, Ok, strict: false, plan: false,
        summary: "a name or id with white space at an end";
    Utf16Length = "utf16-length", Warning, Ok, strict: false, plan: false,
        summary: "over 255 UTF-16 code units though at most 255 characters";
    DuplicateKey = "duplicate-key", Warning, Ok, strict: false, plan: false,
        summary: "a repeated member name or single-valued parameter";
    AliasSameId = "alias-same-id", Warning, Ok, strict: false, plan: false,
        summary: "previousId equals newId";
    AliasIdLength = "alias-id-length", Warning, Ok, strict: false, plan: false,
        summary: "an alias id over 255 characters";
    IdentifyWithoutProperties = "identify-without-properties", Info, Ok, strict: false, plan: false,
        summary: "an identify with no properties";
    UnplannedEvent = "unplanned-event", Error, Ok, strict: false, plan: true,
        summary: "plan: an event the tracking plan does not have";
    DeprecatedEvent = "deprecated-event", Warning, Ok, strict: false, plan: true,
        summary: "plan: an event the tracking plan deprecates";
    MissingProperty = "missing-property", Error, Ok, strict: false, plan: true,
        summary: "plan: a required property is absent or null";
    UnplannedProperty = "unplanned-property", Error, Ok, strict: false, plan: true,
        summary: "plan: a property the event's plan does not have";
    PropertyType = "property-type", Error, Ok, strict: false, plan: true,
        summary: "plan: a value that is not of the planned type";
    PropertyEnum = "property-enum", Error, Ok, strict: false, plan: true,
        summary: "plan: a value that is not one of the planned values";
    PropertyPattern = "property-pattern", Error, Ok, strict: false, plan: true,
        summary: "plan: a value that does not match the planned pattern";
    PropertyRange = "property-range", Error, Ok, strict: false, plan: true,
        summary: "plan: a number outside the planned minimum and maximum";
    PropertyLength = "property-length", Error, Ok, strict: false, plan: true,
        summary: "plan: a value shorter or longer than the planned length";
    UnplannedUserProperty = "unplanned-user-property", Error, Ok, strict: false, plan: true,
        summary: "plan: an identify property the plan's user properties do not have";
}

impl Rule {
    /// Looks a rule up by its code.
    ///
    /// ```
    /// use indicative_contract::Rule;
    /// assert_eq!(Rule::from_code("empty-batch"), Some(Rule::EmptyBatch));
    /// assert_eq!(Rule::from_code("EmptyBatch"), None);
    /// ```
    #[must_use]
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|rule| rule.code() == code)
    }
}

/// A rule's documentation, in its four parts (each Markdown). Every rule has
/// all four; a test lints each example and each fix.
///
/// ```
/// use indicative_contract::Rule;
/// let doc = Rule::EmptyBatch.doc();
/// assert!(doc.flags.contains("`events`"));
/// assert!(doc.example.contains("\"events\": []"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleDoc {
    /// What it flags: exactly when the rule fires.
    pub flags: &'static str,
    /// Why it matters: what the API does with such a request, and what the team loses.
    pub why: &'static str,
    /// A request that the rule flags (one fenced code block, with a line of context).
    pub example: &'static str,
    /// The fix: a sentence and the corrected request.
    pub fix: &'static str,
}

impl RuleDoc {
    /// The headings of the four parts, in order.
    pub const HEADINGS: [&'static str; 4] = ["What it flags", "Why it matters", "Example", "Fix"];
}

impl Rule {
    /// The documentation in its four parts (an absent part is empty).
    ///
    /// ```
    /// let doc = indicative_contract::Rule::TooLong.doc();
    /// assert!(doc.why.contains("422"));
    /// assert!(doc.fix.contains("```json"));
    /// ```
    #[must_use]
    pub fn doc(self) -> RuleDoc {
        let text = self.documentation();
        let part = |heading: &str| {
            let marker = format!("## {heading}\n");
            let Some(start) = text.find(&marker).map(|at| at + marker.len()) else { return "" };
            let end = text[start..].find("\n## ").map_or(text.len(), |at| start + at);
            text[start..end].trim()
        };
        let [flags, why, example, fix] = RuleDoc::HEADINGS.map(part);
        RuleDoc { flags, why, example, fix }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &rule in Rule::ALL {
            assert!(seen.insert(rule.code()), "duplicate code {rule} (CONTRIBUTING.md, step 1)");
            assert!(
                rule.code().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{rule}: codes are kebab-case (CONTRIBUTING.md, step 1)"
            );
            assert_eq!(Rule::from_code(rule.code()), Some(rule));
            assert!(!rule.documentation().trim().is_empty(), "{rule} has no documentation");
        }
    }

    #[test]
    fn errors_predict_a_failure_and_others_predict_200() {
        for &rule in Rule::ALL {
            let is_error = rule.default_severity() == Severity::Error;
            if rule.is_plan() {
                assert_eq!(rule.status(), Status::Ok, "{rule}: a plan rule predicts 200 (CONTRIBUTING.md, step 1)");
                assert!(!rule.in_strict_profile(), "{rule}: the strict profile is the API's contract, not a plan's");
                continue;
            }
            assert_eq!(
                is_error,
                rule.status() != Status::Ok,
                "{rule}: an error predicts a failure, a warning or info predicts 200 (CONTRIBUTING.md, step 1)"
            );
            if rule.in_strict_profile() {
                assert!(!is_error, "{rule}: strict only changes non-errors");
            }
        }
    }
}

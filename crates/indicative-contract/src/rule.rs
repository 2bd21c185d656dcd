//! The rule catalogue: every rule of contract.md, written once.
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
/// over a broken constraint (422), as contract.md decides.
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
        $(#[doc = $doc:literal])*
        $variant:ident = $code:literal, $severity:ident, $status:ident, strict: $strict:literal,
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
            $( $(#[doc = $doc])* $variant, )*
        }

        impl Rule {
            /// Every rule, in the order of contract.md's table.
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
            /// status 400 (marked **S** in contract.md).
            #[must_use]
            pub const fn in_strict_profile(self) -> bool {
                match self { $(Rule::$variant => $strict,)* }
            }

            /// One line saying when the rule fires.
            #[must_use]
            pub const fn summary(self) -> &'static str {
                match self { $(Rule::$variant => $summary,)* }
            }

            /// The rule's longer documentation, in Markdown.
            #[must_use]
            pub const fn documentation(self) -> &'static str {
                match self { $(Rule::$variant => concat!($($doc, "\n"),*),)* }
            }
        }
    };
}

rules! {
    /// The body is not UTF-8, not JSON, nests deeper than 1000 levels, has a
    /// number literal over 1000 bytes or a lone surrogate escape, or is larger
    /// than the engine reads. The API cannot read it at all.
    InvalidJson = "invalid-json", Error, BadRequest, strict: false,
        summary: "the body is not well-formed JSON";
    /// The body is JSON, but not an object: every request body is one.
    NotAnObject = "not-an-object", Error, BadRequest, strict: false,
        summary: "the body is not a JSON object";
    /// An object or array where a string, a number or the `properties` object
    /// is expected. The API stores flat values: integrations flatten objects
    /// (`address_city`) and join arrays before sending. Also: `events` that is
    /// not an array, and a bool, object or array as `eventTime`.
    WrongType = "wrong-type", Error, BadRequest, strict: false,
        summary: "a value of a type the API cannot read";
    /// No API key in the body, the path or the query.
    MissingApiKey = "missing-api-key", Error, BadRequest, strict: false,
        summary: "no API key in the body, the path or the query";
    /// The API key is empty or blank.
    InvalidApiKey = "invalid-api-key", Error, BadRequest, strict: false,
        summary: "the API key is empty or blank";
    /// A required field is absent or null: `eventName`, `eventUniqueId`,
    /// `uniqueId`, `previousId`, `newId` or `events`.
    MissingField = "missing-field", Error, Unprocessable, strict: false,
        summary: "a required field is absent or null";
    /// A required string is `""`; the reference asks for 1 to 255 characters.
    EmptyField = "empty-field", Error, Unprocessable, strict: false,
        summary: "a required string is empty";
    /// `eventName`, `eventUniqueId`, `uniqueId`, or a GET `propertyNames` or
    /// `propertyValues` is over 255 characters (Unicode scalar values).
    TooLong = "too-long", Error, Unprocessable, strict: false,
        summary: "a name or id is over 255 characters";
    /// `eventTime` is negative, or an ISO 8601 time before 1970-01-01T00:00:00Z.
    NegativeEventTime = "negative-event-time", Error, Unprocessable, strict: false,
        summary: "eventTime is before 1970";
    /// `eventTime` cannot be read as a Unix time or ISO 8601 date-time, is an
    /// impossible date (2023-02-29), or is after 9999-12-31T23:59:59.999Z.
    InvalidEventTime = "invalid-event-time", Error, Unprocessable, strict: false,
        summary: "eventTime is unreadable, impossible or out of range";
    /// GET: the number of `propertyNames` differs from `propertyValues`.
    PropertyCountMismatch = "property-count-mismatch", Error, BadRequest, strict: false,
        summary: "GET: propertyNames and propertyValues differ in number";
    /// GET: an empty property name or value.
    EmptyProperty = "empty-property", Error, Unprocessable, strict: false,
        summary: "GET: an empty property name or value";
    /// HTTP input only: a POST whose `Content-Type` is not `application/json`
    /// (a `charset` parameter is fine).
    WrongContentType = "wrong-content-type", Error, BadRequest, strict: false,
        summary: "a POST without Content-Type: application/json";
    /// HTTP input only: the path is not one of the API's.
    UnknownEndpoint = "unknown-endpoint", Error, NotFound, strict: false,
        summary: "the path is not one of the API's";
    /// HTTP input only: the path does not take this method (only
    /// `/service/event` takes GET; everything takes POST).
    MethodNotAllowed = "method-not-allowed", Error, MethodNotAllowed, strict: false,
        summary: "the path does not take this method";
    /// A number or bool as `eventName`, an id or the API key: the API reads
    /// it as its text (`23` as `"23"`), but the reference types it String.
    CoercedToString = "coerced-to-string", Warning, Ok, strict: true,
        summary: "a number or bool where a string is expected";
    /// A number or bool property value: stored as its text.
    NonStringPropertyValue = "non-string-property-value", Info, Ok, strict: true,
        summary: "a number or bool property value, stored as its text";
    /// A null property value: the reference lists values as strings.
    NullPropertyValue = "null-property-value", Warning, Ok, strict: true,
        summary: "a null property value";
    /// A property value over 255 characters: the API keeps the first 255.
    PropertyValueTruncated = "property-value-truncated", Warning, Ok, strict: false,
        summary: "a property value over 255 characters is truncated";
    /// POST: a property name that is empty or over 255 characters.
    PropertyNameLength = "property-name-length", Warning, Ok, strict: false,
        summary: "a property name that is empty or over 255 characters";
    /// A field the request kind does not have; the API ignores it. The help
    /// names the field it most likely meant.
    UnknownField = "unknown-field", Warning, Ok, strict: true,
        summary: "a field the request kind does not have";
    /// An `apiKey` inside a batch item: disregarded by the API (a warning when
    /// it differs from the batch's key).
    BatchItemApiKey = "batch-item-api-key", Info, Ok, strict: false,
        summary: "an apiKey inside a batch item is disregarded";
    /// More than 100 events in a batch: the reference recommends up to 100.
    BatchOverRecommendedSize = "batch-over-recommended-size", Warning, Ok, strict: false,
        summary: "a batch of more than 100 events";
    /// `events: []`: nothing is recorded.
    EmptyBatch = "empty-batch", Warning, Ok, strict: false,
        summary: "a batch with no events";
    /// A body over 1 MiB: batching clients keep each request under it.
    PayloadOver1mb = "payload-over-1mb", Warning, Ok, strict: false,
        summary: "a body over 1 MiB";
    /// The body's API key differs from the path's.
    ApiKeyConflict = "api-key-conflict", Warning, Ok, strict: false,
        summary: "the body's API key differs from the path's";
    /// A numeric `eventTime` with a fraction.
    EventTimeFractional = "event-time-fractional", Warning, Ok, strict: false,
        summary: "a numeric eventTime with a fraction";
    /// A decimal string as `eventTime` in a POST body: read as a number.
    EventTimeStringNumber = "event-time-string-number", Info, Ok, strict: true,
        summary: "a decimal string as eventTime in a POST body";
    /// An ISO 8601 date-time without a zone: UTC is a guess.
    EventTimeWithoutOffset = "event-time-without-offset", Warning, Ok, strict: false,
        summary: "an ISO 8601 date-time without a zone";
    /// `eventTime` before 2000-01-01, or more than a day after "now".
    EventTimeImplausible = "event-time-implausible", Warning, Ok, strict: false,
        summary: "an eventTime before 2000 or more than a day ahead";
    /// A name or id that is blank, or has white space at either end.
    WhitespaceName = "whitespace-name", Warning, Ok, strict: false,
        summary: "a name or id with white space at an end";
    /// At most 255 characters but more than 255 UTF-16 code units: a server
    /// counting UTF-16 units would see it as too long.
    Utf16Length = "utf16-length", Warning, Ok, strict: false,
        summary: "over 255 UTF-16 code units though at most 255 characters";
    /// An object repeats a member name (the last one wins), or a GET repeats a
    /// single-valued parameter.
    DuplicateKey = "duplicate-key", Warning, Ok, strict: false,
        summary: "a repeated member name or single-valued parameter";
    /// `previousId` equals `newId`: the alias does nothing.
    AliasSameId = "alias-same-id", Warning, Ok, strict: false,
        summary: "previousId equals newId";
    /// An alias id over 255 characters: the reference gives no limit for these,
    /// but every other id has 255.
    AliasIdLength = "alias-id-length", Warning, Ok, strict: false,
        summary: "an alias id over 255 characters";
    /// An identify with no properties changes nothing.
    IdentifyWithoutProperties = "identify-without-properties", Info, Ok, strict: false,
        summary: "an identify with no properties";
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
            assert!(seen.insert(rule.code()), "duplicate code {rule}");
            assert!(rule.code().bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
            assert_eq!(Rule::from_code(rule.code()), Some(rule));
            assert!(!rule.documentation().trim().is_empty(), "{rule} has no documentation");
        }
        assert_eq!(Rule::ALL.len(), 36);
    }

    #[test]
    fn errors_predict_a_failure_and_others_predict_200() {
        for &rule in Rule::ALL {
            let is_error = rule.default_severity() == Severity::Error;
            assert_eq!(is_error, rule.status() != Status::Ok, "{rule}");
            if rule.in_strict_profile() {
                assert!(!is_error, "{rule}: strict only changes non-errors");
            }
        }
    }
}

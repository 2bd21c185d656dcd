//! What a lint reports: diagnostics, and the report that holds them.

use std::ops::Range;

use serde::Serialize;

use crate::kind::DetectedKind;
use crate::rule::{Rule, Severity, Status};

/// One problem found in a request.
///
/// ```
/// use indicative_contract::{lint_body, LintOptions, RequestInfo, Rule};
/// let body = br#"{"apiKey":"K","eventName":"","eventUniqueId":"u"}"#;
/// let report = lint_body(body, &RequestInfo::default(), &LintOptions::default());
/// let d = &report.diagnostics[0];
/// assert_eq!((d.rule, d.status.code(), d.pointer.as_str()), (Rule::EmptyField, 422, "/eventName"));
/// assert_eq!(&body[d.span.clone()], b"\"\"");
/// assert_eq!(d.line_column(body), (1, 27));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// The rule that fired.
    #[serde(rename = "code", serialize_with = "serialize_rule")]
    pub rule: Rule,
    /// Its severity after the profile and overrides.
    pub severity: Severity,
    /// The HTTP status this problem alone predicts (200 when accepted).
    #[serde(serialize_with = "serialize_status")]
    pub status: Status,
    /// An RFC 6901 JSON Pointer to the value (`/events/3/eventName`).
    pub pointer: String,
    /// The byte range of the value in the linted input.
    #[serde(skip)]
    pub span: Range<usize>,
    /// What is wrong. API keys appear masked.
    pub message: String,
    /// How to fix it, when there is something to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

fn serialize_rule<S: serde::Serializer>(rule: &Rule, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(rule.code())
}

fn serialize_status<S: serde::Serializer>(status: &Status, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u16(status.code())
}

impl serde::Serialize for Severity {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Diagnostic {
    /// The 1-based line and column (in characters) of the span's start in `source`.
    ///
    /// ```
    /// use indicative_contract::{lint_body, LintOptions, RequestInfo};
    /// let body = b"{\"apiKey\": \"K\", \"eventUniqueId\": \"u\",\n  \"eventName\": 12}";
    /// let report = lint_body(body, &RequestInfo::default(), &LintOptions::default());
    /// assert_eq!(report.codes(), ["coerced-to-string"]);
    /// assert_eq!(report.diagnostics[0].line_column(body), (2, 16));
    /// ```
    #[must_use]
    pub fn line_column(&self, source: &[u8]) -> (usize, usize) {
        line_column(source, self.span.start)
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `source`.
///
/// ```
/// assert_eq!(indicative_contract::line_column("aé\nb".as_bytes(), 4), (2, 1));
/// assert_eq!(indicative_contract::line_column("aéb".as_bytes(), 3), (1, 3));
/// ```
#[must_use]
pub fn line_column(source: &[u8], offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |at| at + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    // Count characters: every byte that is not a UTF-8 continuation byte.
    let column = before[line_start..].iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
    (line, column)
}

/// The result of linting one request.
///
/// ```
/// use indicative_contract::{lint_body, LintOptions, RequestInfo, RequestKind, Status};
/// let report = lint_body(br#"{"apiKey":"K","uniqueId":"u","properties":{"plan":"pro"}}"#,
///     &RequestInfo::default(), &LintOptions::default());
/// assert_eq!(report.kind.kind(), Some(RequestKind::Identify));
/// assert_eq!(report.status, Status::Ok);
/// assert!(report.diagnostics.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The request kind, and how it was known.
    pub kind: DetectedKind,
    /// The predicted HTTP status of the whole request.
    pub status: Status,
    /// Every problem, in the order they appear in the input.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Whether any diagnostic is an error.
    ///
    /// ```
    /// use indicative_contract::{lint_body, LintOptions, RequestInfo};
    /// assert!(lint_body(b"[]", &RequestInfo::default(), &LintOptions::default()).has_errors());
    /// ```
    #[must_use]
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// How many diagnostics have `severity`.
    ///
    /// ```
    /// use indicative_contract::{lint_body, LintOptions, RequestInfo, Severity};
    /// let r = lint_body(br#"{"apiKey":"K","events":[]}"#, &RequestInfo::default(), &LintOptions::default());
    /// assert_eq!(r.count(Severity::Warning), 1);
    /// ```
    #[must_use]
    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics.iter().filter(|d| d.severity == severity).count()
    }

    /// The diagnostics of one rule.
    ///
    /// ```
    /// use indicative_contract::{lint_body, LintOptions, RequestInfo, Rule};
    /// let r = lint_body(br#"{"apiKey":"K","eventName":"E","eventUniqueId":"u","x":1}"#, &RequestInfo::default(), &LintOptions::default());
    /// assert_eq!(r.of(Rule::UnknownField).count(), 1);
    /// ```
    pub fn of(&self, rule: Rule) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(move |d| d.rule == rule)
    }

    /// The rule codes of the diagnostics, in order: handy in tests.
    ///
    /// ```
    /// use indicative_contract::{lint_body, LintOptions, RequestInfo};
    /// let r = lint_body(b"{", &RequestInfo::default(), &LintOptions::default());
    /// assert_eq!(r.codes(), ["invalid-json"]);
    /// ```
    #[must_use]
    pub fn codes(&self) -> Vec<&'static str> {
        self.diagnostics.iter().map(|d| d.rule.code()).collect()
    }
}

/// Escapes one JSON Pointer reference token (RFC 6901: `~` and `/`).
pub(crate) fn push_pointer_token(pointer: &mut String, token: &str) {
    pointer.push('/');
    for c in token.chars() {
        match c {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            c => pointer.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        let mut p = String::new();
        push_pointer_token(&mut p, "properties");
        push_pointer_token(&mut p, "a/b~c");
        assert_eq!(p, "/properties/a~1b~0c");
    }

    #[test]
    fn line_column_counts_characters() {
        let src = "{\n😀\"x\"".as_bytes();
        assert_eq!(line_column(src, 0), (1, 1));
        assert_eq!(line_column(src, 2), (2, 1));
        assert_eq!(line_column(src, 6), (2, 2));
        assert_eq!(line_column(src, 999), (2, 5));
    }
}

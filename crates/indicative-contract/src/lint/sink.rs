//! Where diagnostics are collected: severity and status are resolved here,
//! and paths become JSON Pointers only when something is reported.

use std::ops::Range;

use crate::diagnostic::{Diagnostic, Report, push_pointer_token};
use crate::kind::DetectedKind;
use crate::lint::LintOptions;
use crate::lint::reader::decode_string_at;
use crate::rule::{Rule, Severity, Status};

/// One step of a path: a known field, an array index, or an object key that
/// is decoded from the input only when a pointer is rendered.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Seg {
    Name(&'static str),
    Index(usize),
    /// A key whose opening quote is the first `"` at or after this offset.
    Key(usize),
    /// A GET parameter's name, as the input has it: decoded in the pointer,
    /// as the query's object (its parameters by name) has it.
    Raw(usize, usize),
}

/// A path as a chain of steps on the stack: each step points to its parent.
/// Taking a step writes one small value and copies nothing; the chain
/// becomes a JSON Pointer only when something is reported. (A path held as
/// an array of steps, copied by value at every step, cost a store-forwarding
/// stall per property on the clean path.)
#[derive(Debug, Clone, Copy)]
pub(crate) struct Path<'p> {
    parent: Option<&'p Path<'p>>,
    seg: Option<Seg>,
}

/// The document itself: the empty pointer.
pub(crate) static ROOT: Path<'static> = Path { parent: None, seg: None };

impl Path<'_> {
    /// This path and one more step.
    pub(crate) const fn push(&self, seg: Seg) -> Path<'_> {
        Path { parent: Some(self), seg: Some(seg) }
    }

    pub(crate) fn render(&self, source: &[u8]) -> String {
        let mut steps = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            steps.extend(path.seg);
            at = path.parent;
        }
        let mut pointer = String::new();
        for seg in steps.into_iter().rev() {
            match seg {
                Seg::Name(name) => push_pointer_token(&mut pointer, name),
                Seg::Index(i) => push_pointer_token(&mut pointer, &i.to_string()),
                Seg::Key(from) => push_pointer_token(&mut pointer, &decode_string_at(source, from)),
                Seg::Raw(start, end) => {
                    let raw = String::from_utf8_lossy(&source[start..end]);
                    push_pointer_token(&mut pointer, &crate::lint::param::decode(&raw));
                }
            }
        }
        pointer
    }
}

/// The tag of diagnostics about the HTTP request, which no filter drops.
pub(crate) const HTTP_TAG: u16 = u16::MAX;

/// Collects diagnostics. `tag` marks which top-level field a diagnostic came
/// from, so that a body whose kind is told only at its end can drop the
/// findings inside fields that kind does not have.
pub(crate) struct Sink<'a> {
    pub(crate) source: &'a [u8],
    options: &'a LintOptions,
    diagnostics: Vec<Diagnostic>,
    tags: Vec<u16>,
    pub(crate) tag: u16,
    /// Set by a caller that wants only the verdict, and only when no later
    /// filtering can drop a finding (the kind was known before the body).
    pub(crate) stop_when_decided: bool,
    /// The top-level fields whose findings no later filtering drops (those
    /// of the kind known before the body).
    pub(crate) decisive_tags: u16,
    /// A finding that fixes the status (400, or 404 and 405 before them) was
    /// reported: reading on cannot change the verdict.
    pub(crate) decided: bool,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(source: &'a [u8], options: &'a LintOptions) -> Self {
        Self {
            source,
            options,
            diagnostics: Vec::new(),
            tags: Vec::new(),
            tag: 0,
            stop_when_decided: false,
            decisive_tags: 0,
            decided: false,
        }
    }

    /// The options in force.
    pub(crate) const fn options(&self) -> &LintOptions {
        self.options
    }

    /// The severity `rule` is reported with.
    pub(crate) fn severity(&self, rule: Rule) -> Severity {
        self.options.severity_of(rule)
    }

    /// Reports `rule` at `path` and `span`; the message is built only if the
    /// rule is on.
    pub(crate) fn emit(
        &mut self,
        rule: Rule,
        path: Path<'_>,
        span: Range<usize>,
        message: impl FnOnce() -> String,
        help: Option<String>,
    ) {
        let severity = self.options.severity_of(rule);
        self.emit_at(rule, severity, path, span, message, help);
    }

    /// Reports `rule` with a severity the caller chose (a rule whose severity
    /// depends on what was found).
    pub(crate) fn emit_at(
        &mut self,
        rule: Rule,
        severity: Severity,
        path: Path<'_>,
        span: Range<usize>,
        message: impl FnOnce() -> String,
        help: Option<String>,
    ) {
        if severity == Severity::Off {
            return;
        }
        let status = self.options.status_of(rule);
        // A key a message or pointer quotes where no rule expects one (a
        // parameter named `apiKey=KEY`, a query encoded twice) is hidden
        // as every key is.
        let masked = |text: String| match crate::keys::mask_loose(&text) {
            std::borrow::Cow::Borrowed(_) => text,
            std::borrow::Cow::Owned(masked) => masked,
        };
        self.diagnostics.push(Diagnostic {
            rule,
            severity,
            status,
            pointer: masked(path.render(self.source)),
            span,
            message: masked(message()),
            help: help.map(masked),
        });
        self.tags.push(self.tag);
        let kept = self.tag == 0 || self.tag == HTTP_TAG || self.tag & self.decisive_tags != 0;
        if self.stop_when_decided && kept && severity == Severity::Error && status.worst(Status::BadRequest) == status {
            self.decided = true;
        }
    }

    /// Drops the diagnostics whose tag is not in `keep` (a bit set). Untagged
    /// ones and those about the HTTP request ([`HTTP_TAG`]) are always kept.
    pub(crate) fn retain_tags(&mut self, keep: u16) {
        let kept = |t: u16| t == 0 || t == HTTP_TAG || t & keep != 0;
        if self.tags.iter().all(|&t| kept(t)) {
            return;
        }
        let mut tags = self.tags.iter();
        self.diagnostics.retain(|_| tags.next().is_some_and(|&t| kept(t)));
        self.tags.retain(|&t| kept(t));
    }

    /// Whether an error has been reported so far.
    pub(crate) fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }

    pub(crate) fn finish(mut self, kind: DetectedKind) -> Report {
        // Stable: findings at one place keep the order they were found in.
        self.diagnostics.sort_by_key(|d| d.span.start);
        let status = self.diagnostics.iter().fold(Status::Ok, |status, d| status.worst(d.status));
        Report { kind, status, diagnostics: self.diagnostics }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::reader::string_span_at;

    #[test]
    fn keys_are_found_and_decoded_lazily() {
        let src = br#"{ "a\/b" : 1, "c~d":2}"#;
        assert_eq!(string_span_at(src, 1), 2..8);
        assert_eq!(decode_string_at(src, 1), "a/b");
        let path = ROOT.push(Seg::Name("properties"));
        let path = path.push(Seg::Key(1));
        assert_eq!(path.push(Seg::Index(3)).render(src), "/properties/a~1b/3");
        assert_eq!(ROOT.push(Seg::Key(12)).render(src), "/c~0d");
        assert_eq!(ROOT.render(src), "");
    }
}

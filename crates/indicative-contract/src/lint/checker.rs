//! The one narrow door through which a checker outside the engine (a
//! tracking plan, for one) sees each event the engine reads, in the same
//! single pass.
//!
//! The engine knows nothing of what the checker checks. While it walks a
//! body it keeps only offsets (where each property's name and value are);
//! when the object is judged (its kind known) it hands the checker an
//! [`EventView`]: the event's name and its properties, each decoded only
//! when the checker asks for it, and borrowed from the input when it has no
//! escapes. The checker answers through [`Findings`], naming a [`Target`]
//! (the event, its name, a property); the engine turns that into a JSON
//! Pointer and a span. A GET query's event reaches the checker the same way.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use super::param::Param;
use super::reader::{Peek, decode_string_at, string_span_at};
use super::sink::{Path, Seg, Sink};
use crate::rule::{Rule, Severity};

/// Checks the events and user properties the engine reads. Set one with
/// [`LintOptions::with_checker`](super::LintOptions::with_checker).
///
/// ```
/// use std::sync::Arc;
/// use indicative_contract::{lint_body, EventChecker, EventView, Findings, LintOptions, RequestInfo, Rule, Target};
///
/// /// Refuses every event named "Test".
/// struct NoTests;
/// impl EventChecker for NoTests {
///     fn check_event(&self, event: &EventView<'_>, findings: &mut Findings<'_, '_>) {
///         if event.name() == Some("Test") {
///             findings.report(Rule::UnplannedEvent, Target::Name, || "no test events".into(), None);
///         }
///     }
/// }
///
/// let options = LintOptions::new(0).with_checker(Arc::new(NoTests));
/// let report = lint_body(br#"{"apiKey":"K","eventName":"Test","eventUniqueId":"u"}"#, &RequestInfo::default(), &options);
/// assert_eq!(report.codes(), ["unplanned-event"]);
/// assert_eq!(report.diagnostics[0].pointer, "/eventName");
/// assert_eq!(report.status.code(), 200); // the API would accept it
/// ```
pub trait EventChecker: Send + Sync {
    /// Checks one event: a POST event body, a batch item, or a GET event.
    fn check_event(&self, event: &EventView<'_>, findings: &mut Findings<'_, '_>);

    /// Checks the properties of an identify request.
    fn check_user(&self, user: &EventView<'_>, findings: &mut Findings<'_, '_>) {
        let _ = (user, findings);
    }
}

/// Where a finding points, in the event the checker was handed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// The event (or identify) as a whole: for what it lacks.
    Event,
    /// Its `eventName`. (Not `EventName`: a variant of that name would make
    /// rustc spell the model's `EventName` in full in its messages, and
    /// those messages differ with the features built; see `tests/ui`.)
    Name,
    /// The value of the property at this index of [`EventView::properties`].
    Property(usize),
    /// The name of the property at this index.
    PropertyName(usize),
}

/// A value as it was sent, before the API turns it into text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueView<'a> {
    /// A string, decoded.
    Text(Cow<'a, str>),
    /// A number literal, as written.
    Number(&'a str),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// An object or an array: the API cannot read it (the engine reports
    /// `wrong-type`).
    Unreadable,
}

impl ValueView<'_> {
    /// The text the API stores for this value: a string as it is, a number
    /// as written, a bool as `true` or `false`; `None` for null and for what
    /// cannot be read.
    ///
    /// ```
    /// use indicative_contract::ValueView;
    /// assert_eq!(ValueView::Number("12.50").stored_text().as_deref(), Some("12.50"));
    /// assert_eq!(ValueView::Bool(true).stored_text().as_deref(), Some("true"));
    /// assert_eq!(ValueView::Null.stored_text(), None);
    /// ```
    #[must_use]
    #[inline]
    pub fn stored_text(&self) -> Option<Cow<'_, str>> {
        match self {
            Self::Text(text) => Some(Cow::Borrowed(text)),
            Self::Number(literal) => Some(Cow::Borrowed(literal)),
            Self::Bool(value) => Some(Cow::Borrowed(if *value { "true" } else { "false" })),
            Self::Null | Self::Unreadable => None,
        }
    }
}

/// One property of an event: its name and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyView<'a> {
    /// The property's name, decoded.
    pub name: Cow<'a, str>,
    /// Its value.
    pub value: ValueView<'a>,
}

/// Where one property of a body stands: offsets only, so that keeping
/// them costs nothing on the clean path.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PropertyAt {
    pub(crate) name: NameAt,
    pub(crate) value: (usize, usize),
    pub(crate) kind: Peek,
    /// A string value written with escapes (decoded when asked for).
    pub(crate) escaped: bool,
}

/// Where a property's name stands.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NameAt {
    /// Its text, as it is in the input (no escapes).
    Raw(usize, usize),
    /// A name written with escapes, whose opening quote is the first `"` at
    /// or after this offset: decoded when asked for.
    Escaped(usize),
}

impl NameAt {
    /// Where `name`, as the reader gave it, stands in `source`: a slice of
    /// the input when it had no escapes (the reader decodes escaped ones
    /// into a buffer of its own).
    pub(crate) fn of(name: &str, source: &[u8], key_at: usize) -> Self {
        let start = (name.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
        if start <= source.len() && name.len() <= source.len() - start {
            Self::Raw(start, start + name.len())
        } else {
            Self::Escaped(key_at)
        }
    }

    fn span(self, source: &[u8]) -> Range<usize> {
        match self {
            // With its quotes.
            Self::Raw(start, end) => start.saturating_sub(1)..end + 1,
            Self::Escaped(key_at) => string_span_at(source, key_at),
        }
    }
}

/// Where an event's properties come from.
#[derive(Clone, Copy)]
enum Properties<'a> {
    Body(&'a [PropertyAt]),
    /// A GET query's `propertyNames` and `propertyValues`, paired in order.
    Query(&'a [Param<'a>], &'a [Param<'a>]),
}

/// An event (or an identify's user properties) as the engine read it.
#[derive(Clone)]
pub struct EventView<'a> {
    /// The input, checked as UTF-8.
    source: &'a str,
    name: Option<Cow<'a, str>>,
    properties: Properties<'a>,
}

impl fmt::Debug for EventView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventView").field("name", &self.name).field("properties", &self.len()).finish()
    }
}

/// The text of the JSON string at `span` (quotes included) of the input
/// (already checked as UTF-8): borrowed when it has no escapes.
#[inline]
fn string_at(source: &str, span: Range<usize>) -> Cow<'_, str> {
    let inner = source.get(span.start + 1..span.end.saturating_sub(1).max(span.start + 1)).unwrap_or_default();
    if !inner.contains('\\') {
        return Cow::Borrowed(inner);
    }
    Cow::Owned(decode_string_at(source.as_bytes(), span.start))
}

/// The value at `(start, end)` of kind `kind`; `escaped` says whether a
/// string has escapes (when the reader knows it).
#[inline]
fn value_at(source: &str, (start, end): (usize, usize), kind: Peek, escaped: Option<bool>) -> ValueView<'_> {
    match kind {
        Peek::String if escaped == Some(false) => {
            ValueView::Text(Cow::Borrowed(source.get(start + 1..end.saturating_sub(1)).unwrap_or_default()))
        }
        Peek::String => ValueView::Text(string_at(source, start..end)),
        Peek::Number => ValueView::Number(source.get(start..end).unwrap_or_default()),
        Peek::True => ValueView::Bool(true),
        Peek::False => ValueView::Bool(false),
        Peek::Null => ValueView::Null,
        Peek::Object | Peek::Array => ValueView::Unreadable,
    }
}

impl<'a> EventView<'a> {
    pub(crate) fn of_body(source: &'a str, name: Option<(Range<usize>, Peek)>, properties: &'a [PropertyAt]) -> Self {
        let name = name.and_then(|(span, kind)| match value_at(source, (span.start, span.end), kind, None) {
            ValueView::Text(text) => Some(text),
            ValueView::Number(literal) => Some(Cow::Borrowed(literal)),
            ValueView::Bool(value) => Some(Cow::Borrowed(if value { "true" } else { "false" })),
            _ => None,
        });
        Self { source, name, properties: Properties::Body(properties) }
    }

    pub(crate) fn of_query(
        source: &'a str,
        name: Option<&'a str>,
        names: &'a [Param<'a>],
        values: &'a [Param<'a>],
    ) -> Self {
        Self { source, name: name.map(Cow::Borrowed), properties: Properties::Query(names, values) }
    }

    /// The `eventName` as the API reads it (a number or bool as its text);
    /// `None` when absent, null, or not readable. Always `None` for an
    /// identify.
    #[must_use]
    #[inline]
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// How many properties the event has (a repeated name counts each time).
    #[must_use]
    #[inline]
    pub fn len(&self) -> usize {
        match self.properties {
            Properties::Body(found) => found.len(),
            Properties::Query(names, values) => names.len().min(values.len()),
        }
    }

    /// Whether the event has no properties.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The property at `index`, in the order sent.
    #[must_use]
    #[inline]
    pub fn property(&self, index: usize) -> Option<PropertyView<'a>> {
        match self.properties {
            Properties::Body(found) => found.get(index).map(|p| PropertyView {
                name: match p.name {
                    NameAt::Raw(start, end) => Cow::Borrowed(self.source.get(start..end).unwrap_or_default()),
                    NameAt::Escaped(key_at) => Cow::Owned(decode_string_at(self.source.as_bytes(), key_at)),
                },
                value: value_at(self.source, p.value, p.kind, Some(p.escaped)),
            }),
            Properties::Query(names, values) => names.get(index).zip(values.get(index)).map(|(n, v)| PropertyView {
                name: Cow::Borrowed(n.value.as_ref()),
                value: ValueView::Text(Cow::Borrowed(v.value.as_ref())),
            }),
        }
    }

    /// Every property, in the order sent.
    #[inline]
    pub fn properties(&self) -> impl Iterator<Item = PropertyView<'a>> + '_ {
        (0..self.len()).filter_map(|i| self.property(i))
    }
}

/// Where an event stands in the input, to turn a [`Target`] into a pointer
/// and a span.
pub(crate) enum Place<'p> {
    Body { path: Path<'p>, open: usize, name: Option<Range<usize>>, properties: &'p [PropertyAt] },
    Query { name: Option<Range<usize>>, names: &'p [Param<'p>], values: &'p [Param<'p>], whole: Range<usize> },
}

/// What a checker reports through: each finding goes into the report with
/// the rule's severity (after the profile and `--rule` overrides) and a
/// pointer to its target.
pub struct Findings<'s, 'a> {
    sink: &'s mut Sink<'a>,
    place: Place<'s>,
}

impl fmt::Debug for Findings<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Findings").finish_non_exhaustive()
    }
}

impl<'s, 'a> Findings<'s, 'a> {
    pub(crate) fn new(sink: &'s mut Sink<'a>, place: Place<'s>) -> Self {
        Self { sink, place }
    }

    /// The "now" of the lint, in Unix milliseconds (a sunset date is judged
    /// against it).
    #[must_use]
    pub fn now(&self) -> i64 {
        self.sink.options().now()
    }

    /// The severity `rule` is reported with (`Off` when silenced).
    #[must_use]
    #[inline]
    pub fn severity_of(&self, rule: Rule) -> Severity {
        self.sink.severity(rule)
    }

    /// Reports `rule` at `target`, with the rule's severity. The message is
    /// built only when the rule is on.
    pub fn report(&mut self, rule: Rule, target: Target, message: impl FnOnce() -> String, help: Option<String>) {
        let severity = self.sink.severity(rule);
        self.report_as(rule, severity, target, message, help);
    }

    /// Reports `rule` with a severity the checker chose (a policy that only
    /// warns, say); `Off` reports nothing.
    pub fn report_as(
        &mut self,
        rule: Rule,
        severity: Severity,
        target: Target,
        message: impl FnOnce() -> String,
        help: Option<String>,
    ) {
        let source = self.sink.source;
        match &self.place {
            Place::Body { path, open, name, properties } => {
                let root;
                let (path, span) = match target {
                    Target::Event => (*path, *open..*open + 1),
                    Target::Name => (path.push(Seg::Name("eventName")), name.clone().unwrap_or(*open..*open + 1)),
                    Target::Property(i) | Target::PropertyName(i) => {
                        let Some(p) = properties.get(i) else { return };
                        root = path.push(Seg::Name("properties"));
                        let span = match target {
                            Target::Property(_) => p.value.0..p.value.1,
                            _ => p.name.span(source),
                        };
                        let key_at = match p.name {
                            NameAt::Raw(start, _) => start.saturating_sub(1),
                            NameAt::Escaped(key_at) => key_at,
                        };
                        (root.push(Seg::Key(key_at)), span)
                    }
                };
                self.sink.emit_at(rule, severity, path, span, message, help);
            }
            Place::Query { name, names, values, whole } => {
                let (list, index, span) = match target {
                    Target::Event => (None, 0, whole.clone()),
                    Target::Name => (Some("eventName"), usize::MAX, name.clone().unwrap_or_else(|| whole.clone())),
                    Target::Property(i) => match values.get(i) {
                        Some(p) => (Some("propertyValues"), i, p.span.clone()),
                        None => return,
                    },
                    Target::PropertyName(i) => match names.get(i) {
                        Some(p) => (Some("propertyNames"), i, p.span.clone()),
                        None => return,
                    },
                };
                let root = super::sink::ROOT;
                let named;
                let path = match list {
                    None => root,
                    Some(field) if index == usize::MAX => root.push(Seg::Name(field)),
                    Some(field) => {
                        named = root.push(Seg::Name(field));
                        named.push(Seg::Index(index))
                    }
                };
                self.sink.emit_at(rule, severity, path, span, message, help);
            }
        }
    }
}

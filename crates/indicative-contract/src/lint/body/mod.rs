//! The single-pass body engine.
//!
//! One walk over the bytes with the pull reader of `reader.rs`. Every known field is
//! checked as it is read, whatever the request kind, because a body's kind
//! may be told only by fields that come later; findings are tagged with their
//! top-level field, and those inside a field the kind turns out not to have
//! are dropped at the end (that field is then reported as unknown).
//!
//! The rooms: `fields` (the field bits and kind detection), `keys` (repeated
//! property names), `skip` (values read without being looked at), `walk`
//! (the pass itself) and `finish` (the judgement after it). The rule
//! families a GET query shares live in `lint/checks/`.

mod fields;
mod finish;
mod keys;
mod skip;
mod walk;

use std::ops::Range;

#[cfg(test)]
pub(crate) use skip::array_items;

use self::fields::{API_KEY, fields_of};
use self::keys::KeyTable;
use super::checker::PropertyAt;
use super::checks::http::{HttpFacts, check_http, query_has_key};
use super::reader::{Peek, ReadError, Reader};
use super::sink::{ROOT, Sink};
use super::{EventChecker, LintOptions, RequestInfo};
use crate::diagnostic::Report;
use crate::kind::DetectedKind;
use crate::limits::RECOMMENDED_BODY_BYTES;
use crate::rule::Rule;

/// Buffers kept between lints by a [`super::Linter`].
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    tape: String,
    stack: Vec<bool>,
    keys: KeyTable,
    /// Where each property stands, kept only for a checker.
    properties: Vec<PropertyAt>,
}

/// Why reading stopped. Small (the fault is boxed), so that the `Result`
/// every read returns travels in registers.
pub(crate) enum Stop {
    /// Not a fault of the input: the verdict was decided, so reading stopped.
    Decided,
    /// The body is not well-formed JSON (or too deep).
    Fault(Box<Fault>),
}

pub(crate) struct Fault {
    at: usize,
    message: String,
}

impl Stop {
    fn fault(at: usize, message: String) -> Self {
        Self::Fault(Box::new(Fault { at, message }))
    }
}

/// Skips the value `first` starts (the reader is at it), as a body's unread
/// values are skipped: well-formed and at most [`crate::limits::MAX_DEPTH`]
/// deep, counting the value as `depth`. On a fault, where and why.
pub(crate) fn skip_json_value(
    reader: &mut Reader<'_>,
    stack: &mut Vec<bool>,
    first: Peek,
    depth: usize,
) -> Result<(), (usize, String)> {
    skip::skip_value(reader, stack, first, depth).map_err(|stop| match stop {
        Stop::Fault(fault) => (fault.at, fault.message),
        // Skipping decides no verdict.
        Stop::Decided => (reader.index(), "stopped".to_owned()),
    })
}

impl From<ReadError> for Stop {
    fn from(error: ReadError) -> Self {
        Self::fault(error.at, error.message.to_owned())
    }
}

/// What a text-like field held.
enum TextRead {
    Null,
    /// A string, or a number or bool read as its text; kept when asked.
    Text(Option<String>),
    /// An object or array (already reported).
    Invalid,
}

/// What was seen in one object: the body, or a batch item.
struct Seen {
    open: usize,
    present: u16,
    /// Fields whose (last) value was null.
    null: u16,
    /// Where each known field's key starts (searching from this offset).
    key_at: [usize; 9],
    unknown: Vec<usize>,
    api_key: Option<(TextRead, Range<usize>)>,
    properties: Option<usize>,
    previous_id: Option<(String, Range<usize>)>,
    new_id: Option<(String, Range<usize>)>,
    /// For a checker: the span and kind of `eventName`'s value, and where
    /// this object's properties start in the engine's list.
    event_name: Option<(Range<usize>, Peek)>,
    properties_from: usize,
}

impl Seen {
    fn new(open: usize, properties_from: usize) -> Self {
        Self {
            open,
            present: 0,
            null: 0,
            key_at: [0; 9],
            unknown: Vec::new(),
            api_key: None,
            properties: None,
            previous_id: None,
            new_id: None,
            event_name: None,
            properties_from,
        }
    }

    fn open_span(&self) -> Range<usize> {
        self.open..self.open + 1
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Body,
    Item,
}

struct Engine<'a, 's> {
    reader: Reader<'a>,
    sink: Sink<'a>,
    stack: &'s mut Vec<bool>,
    keys: &'s mut KeyTable,
    now_millis: i64,
    /// Batch items' `apiKey`s: (item index, span, text), compared with the batch's at the end.
    item_keys: Vec<(usize, Range<usize>, Option<String>)>,
    /// The index of the batch item being read.
    item: usize,
    /// The checker, when there is one and the whole report is wanted.
    checker: Option<&'a dyn EventChecker>,
    /// Where each property of the objects being read stands (for the checker).
    properties: &'s mut Vec<PropertyAt>,
}

/// Lints a body. With `verdict_only`, reading stops as soon as the status
/// is decided (only the status of the report is then meaningful).
pub(crate) fn lint(
    body: &[u8],
    request: &RequestInfo,
    options: &LintOptions,
    scratch: &mut Scratch,
    verdict_only: bool,
) -> Report {
    let mut sink = Sink::new(body, options);
    sink.stop_when_decided = verdict_only;
    let mut http = check_http(&mut sink, HttpFacts::of(request));
    http.query_key = query_has_key(request);
    if sink.decided {
        return sink.finish(DetectedKind::Unknown);
    }
    if http.refused {
        // HTTP answers 404 or 405 before the body is read: nothing in it is
        // reported (docs/contract.md).
        return sink.finish(http.kind.map_or(DetectedKind::Unknown, DetectedKind::Given));
    }
    let given = request.kind.or(http.kind);
    // A finding can decide only if no later filtering may drop it: the kind
    // must be known before the body, and the finding be in one of its fields.
    sink.stop_when_decided = verdict_only && given.is_some();
    sink.decisive_tags = given.map_or(0, |kind| fields_of(kind) | API_KEY);
    if body.len() > options.max_body_bytes {
        sink.emit(
            Rule::InvalidJson,
            ROOT,
            0..0,
            || format!("the body is {} bytes; the engine reads at most {}", body.len(), options.max_body_bytes),
            None,
        );
        return sink.finish(DetectedKind::Unknown);
    }
    if body.len() > RECOMMENDED_BODY_BYTES {
        sink.emit(
            Rule::PayloadOver1mb,
            ROOT,
            0..0,
            || format!("the body is {} bytes, over 1 MiB", body.len()),
            Some("split it into smaller batches".into()),
        );
    }
    if body.starts_with(b"\xEF\xBB\xBF") {
        sink.emit(
            Rule::InvalidJson,
            ROOT,
            0..3,
            || "the body starts with a byte order mark".into(),
            Some("JSON sent over a network must not start with one (RFC 8259, section 8.1)".into()),
        );
        return sink.finish(DetectedKind::Unknown);
    }

    let tape = std::mem::take(&mut scratch.tape);
    let reader = match Reader::with_tape(body, tape) {
        Ok(reader) => reader,
        Err(error) => {
            let at = error.at;
            sink.emit(
                Rule::InvalidJson,
                ROOT,
                at..(at + 1).min(body.len()),
                || error.message.to_owned(),
                Some("JSON text is UTF-8".into()),
            );
            return sink.finish(DetectedKind::Unknown);
        }
    };
    let mut engine = Engine {
        reader,
        sink,
        stack: &mut scratch.stack,
        keys: &mut scratch.keys,
        now_millis: options.now(),
        item_keys: Vec::new(),
        item: 0,
        checker: if verdict_only { None } else { options.checker() },
        properties: &mut scratch.properties,
    };
    engine.properties.clear();
    let outcome = engine.document(given, &http);
    let Engine { reader, mut sink, .. } = engine;
    scratch.tape = reader.into_tape();
    match outcome {
        Ok(kind) => sink.finish(kind),
        Err(Stop::Decided) => sink.finish(given.map_or(DetectedKind::Unknown, DetectedKind::Given)),
        Err(Stop::Fault(stop)) => {
            // Nothing in a body the API cannot parse is read: only the parse
            // error stands, beside what was found about the HTTP request.
            sink.retain_tags(0);
            let span = character_at(body, stop.at);
            let help = json_help(body, span.start);
            sink.emit(Rule::InvalidJson, ROOT, span, || stop.message, help);
            sink.finish(DetectedKind::Unknown)
        }
    }
}

/// The whole character of UTF-8 `body` at byte `at` (or the empty end), so
/// that a span never splits one.
fn character_at(body: &[u8], at: usize) -> std::ops::Range<usize> {
    let mut start = at.min(body.len());
    while start > 0 && start < body.len() && body[start] & 0xC0 == 0x80 {
        start -= 1;
    }
    let width = match body.get(start) {
        None => 0,
        Some(&lead) if lead >= 0xF0 => 4,
        Some(&lead) if lead >= 0xE0 => 3,
        Some(&lead) if lead >= 0xC0 => 2,
        Some(_) => 1,
    };
    start..(start + width).min(body.len())
}

/// A hint for the mistakes broken encoders make, by what stands where parsing stopped.
fn json_help(body: &[u8], at: usize) -> Option<String> {
    let rest = &body[at.min(body.len())..];
    let before = &body[..at.min(body.len())];
    let hint = if rest.starts_with(b"NaN") || rest.starts_with(b"Infinity") || rest.starts_with(b"-Infinity") {
        "NaN and Infinity are not JSON numbers: send null, or leave the value out"
    } else if rest.starts_with(b"\\'") || (before.ends_with(b"\\") && rest.starts_with(b"'")) {
        "\\' is not a JSON escape: write ' as it is"
    } else if rest.starts_with(b"'") {
        "JSON strings take double quotes"
    } else if rest.is_empty() {
        "the body ends too soon: is it cut off?"
    } else {
        return None;
    };
    Some(hint.into())
}

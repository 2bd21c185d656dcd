//! The single-pass body engine.
//!
//! One walk over the bytes with the pull reader of `reader.rs`. Every known field is
//! checked as it is read, whatever the request kind, because a body's kind
//! may be told only by fields that come later; findings are tagged with their
//! top-level field, and those inside a field the kind turns out not to have
//! are dropped at the end (that field is then reported as unknown).

use std::hash::Hasher;
use std::ops::Range;

use super::reader::{KnownKeys, Peek, ReadError, Reader};

use super::sink::{HTTP_TAG, Path, ROOT, Seg, Sink, decode_key, key_span};
use super::suggest::did_you_mean;
use super::{LintOptions, RequestInfo};
use crate::diagnostic::Report;
use crate::kind::{DetectedKind, Endpoint, EndpointError, RequestKind, kinds_phrase};
use crate::limits::{
    MAX_DEPTH, MAX_NUMBER_BYTES, MAX_TEXT_CHARS, PLAUSIBLE_FUTURE_MILLIS, PLAUSIBLE_SINCE_MILLIS,
    RECOMMENDED_BATCH_SIZE, RECOMMENDED_BODY_BYTES, TextLength, has_edge_whitespace, mask_api_key,
};
use crate::model::values::{TextBound, text_error};
use crate::rule::{Rule, Severity};
use crate::time::{integer_to_millis, number_to_millis, text_to_millis};

/// Buffers kept between lints by a [`super::Linter`].
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    tape: String,
    stack: Vec<bool>,
    keys: KeyTable,
}

/// The property names of one `properties` object, to find repeats. The
/// first [`FEW_KEYS`] are compared in a list (most objects are small, and a
/// scan of a few hashes beats a table's random access); past that, an
/// open-addressing table whose slots belong to the object whose generation
/// they carry, so starting the next object clears nothing. Property objects
/// never nest (an object as a value is skipped), so one table serves.
#[derive(Debug, Default)]
pub(crate) struct KeyTable {
    few: [(u64, usize); FEW_KEYS],
    slots: Vec<Slot>,
    generation: u32,
    count: usize,
}

const FEW_KEYS: usize = 8;

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    hash: u64,
    at: usize,
    generation: u32,
}

impl KeyTable {
    fn start(&mut self) {
        self.count = 0;
    }

    fn index(&self, hash: u64) -> usize {
        // The high bits of an Fx hash are the well-mixed ones.
        (hash >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    /// Records the key at `at`, or returns where an equal key (same hash,
    /// and `same` confirms it) was recorded before.
    fn insert(&mut self, hash: u64, at: usize, same: impl Fn(usize) -> bool) -> Option<usize> {
        if self.count < FEW_KEYS {
            let earlier = self.few[..self.count].iter().find(|&&(h, earlier)| h == hash && same(earlier));
            if let Some(&(_, earlier)) = earlier {
                return Some(earlier);
            }
            self.few[self.count] = (hash, at);
            self.count += 1;
            return None;
        }
        if self.count == FEW_KEYS {
            self.open_table();
        }
        if (self.count + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.index(hash);
        loop {
            let slot = self.slots[i];
            if slot.generation != self.generation {
                self.slots[i] = Slot { hash, at, generation: self.generation };
                self.count += 1;
                return None;
            }
            if slot.hash == hash && same(slot.at) {
                return Some(slot.at);
            }
            i = (i + 1) & mask;
        }
    }

    /// Moves the listed keys into the table, under a new generation.
    fn open_table(&mut self) {
        if self.slots.is_empty() {
            self.slots = vec![Slot::default(); 64];
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.slots.fill(Slot::default());
            self.generation = 1;
        }
        let mask = self.slots.len() - 1;
        for (hash, at) in self.few {
            let mut i = self.index(hash);
            while self.slots[i].generation == self.generation {
                i = (i + 1) & mask;
            }
            self.slots[i] = Slot { hash, at, generation: self.generation };
        }
    }

    fn grow(&mut self) {
        let generation = self.generation;
        let doubled = vec![Slot::default(); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|s| s.generation == generation) {
            let mut i = self.index(slot.hash);
            while self.slots[i].generation == generation {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

// The top-level fields, as bits.
pub(crate) const API_KEY: u16 = 1 << 0;
pub(crate) const EVENT_NAME: u16 = 1 << 1;
pub(crate) const EVENT_UNIQUE_ID: u16 = 1 << 2;
pub(crate) const PROPERTIES: u16 = 1 << 3;
pub(crate) const EVENT_TIME: u16 = 1 << 4;
pub(crate) const EVENTS: u16 = 1 << 5;
pub(crate) const UNIQUE_ID: u16 = 1 << 6;
pub(crate) const PREVIOUS_ID: u16 = 1 << 7;
pub(crate) const NEW_ID: u16 = 1 << 8;

const FIELDS: [(&str, u16); 9] = [
    ("apiKey", API_KEY),
    ("eventName", EVENT_NAME),
    ("eventUniqueId", EVENT_UNIQUE_ID),
    ("properties", PROPERTIES),
    ("eventTime", EVENT_TIME),
    ("events", EVENTS),
    ("uniqueId", UNIQUE_ID),
    ("previousId", PREVIOUS_ID),
    ("newId", NEW_ID),
];

const EVENT_FIELDS: u16 = API_KEY | EVENT_NAME | EVENT_UNIQUE_ID | PROPERTIES | EVENT_TIME;

fn field_of(key: &str) -> u16 {
    match key {
        "apiKey" => API_KEY,
        "eventName" => EVENT_NAME,
        "eventUniqueId" => EVENT_UNIQUE_ID,
        "properties" => PROPERTIES,
        "eventTime" => EVENT_TIME,
        "events" => EVENTS,
        "uniqueId" => UNIQUE_ID,
        "previousId" => PREVIOUS_ID,
        "newId" => NEW_ID,
        _ => 0,
    }
}

/// The top-level fields, recognised from their raw bytes.
static FIELD_KEYS: KnownKeys = KnownKeys::new(&FIELDS, field_of);

fn name_of(bit: u16) -> &'static str {
    FIELDS.iter().find(|&&(_, b)| b == bit).map_or("", |&(name, _)| name)
}

fn names_in(bits: u16) -> impl Iterator<Item = &'static str> + Clone {
    FIELDS.iter().filter(move |&&(_, b)| bits & b != 0).map(|&(name, _)| name)
}

pub(crate) const fn fields_of(kind: RequestKind) -> u16 {
    match kind {
        RequestKind::Event | RequestKind::EventQuery => EVENT_FIELDS,
        RequestKind::Batch => API_KEY | EVENTS,
        RequestKind::Identify => API_KEY | UNIQUE_ID | PROPERTIES,
        RequestKind::Alias => API_KEY | PREVIOUS_ID | NEW_ID,
        RequestKind::Suppress | RequestKind::Delete => API_KEY | UNIQUE_ID,
    }
}

pub(crate) const fn required_of(kind: RequestKind) -> u16 {
    match kind {
        RequestKind::Event | RequestKind::EventQuery => EVENT_NAME | EVENT_UNIQUE_ID,
        RequestKind::Batch => EVENTS,
        RequestKind::Identify | RequestKind::Suppress | RequestKind::Delete => UNIQUE_ID,
        RequestKind::Alias => PREVIOUS_ID | NEW_ID,
    }
}

const POST_KINDS: [RequestKind; 6] = [
    RequestKind::Event,
    RequestKind::Batch,
    RequestKind::Identify,
    RequestKind::Alias,
    RequestKind::Suppress,
    RequestKind::Delete,
];

/// The kinds whose fields best explain `present`: each kind scores the
/// fields it has minus the ones it does not; the API key tells nothing.
/// Filled into a stack array (the count is returned): this runs per body,
/// so the answers for every set of fields are worked out at compile time.
pub(crate) fn detect(present: u16) -> ([RequestKind; 6], usize) {
    let best = DETECTED[usize::from(present) % DETECTED.len()];
    let mut found = [RequestKind::Event; 6];
    let mut count = 0;
    for (i, kind) in POST_KINDS.into_iter().enumerate() {
        if best & (1 << i) != 0 {
            found[count] = kind;
            count += 1;
        }
    }
    (found, count)
}

/// For every set of the nine top-level fields, which of [`POST_KINDS`]
/// score best (bit i for kind i).
static DETECTED: [u8; 1 << FIELDS.len()] = {
    let mut table = [0; 1 << FIELDS.len()];
    let mut present = 0;
    while present < table.len() {
        table[present] = best_kinds(present as u16);
        present += 1;
    }
    table
};

const fn best_kinds(present: u16) -> u8 {
    let present = present & !API_KEY;
    let mut best = i32::MIN;
    let mut kinds = 0;
    let mut i = 0;
    while i < POST_KINDS.len() {
        let fields = fields_of(POST_KINDS[i]);
        if present & fields != 0 {
            let score = (present & fields).count_ones() as i32 - (present & !fields).count_ones() as i32;
            if score > best {
                best = score;
                kinds = 1 << i;
            } else if score == best {
                kinds |= 1 << i;
            }
        }
        i += 1;
    }
    kinds
}

/// Whom a message speaks of: rendered only when a diagnostic is reported.
#[derive(Clone, Copy)]
enum Whom<'k> {
    Request,
    Item,
    Kinds(&'k [RequestKind]),
}

impl Whom<'_> {
    fn phrase(self) -> String {
        match self {
            Self::Request => "a request".into(),
            Self::Item => "a batch item".into(),
            Self::Kinds(kinds) => format!("{} requests", kinds_phrase(kinds)),
        }
    }
}

/// Text shown in a message: at most 60 characters of it.
pub(crate) fn shown(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{:?}…", &text[..at]),
        None => format!("{text:?}"),
    }
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
}

impl Seen {
    fn new(open: usize) -> Self {
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
    j: Reader<'a>,
    sink: Sink<'a>,
    stack: &'s mut Vec<bool>,
    keys: &'s mut KeyTable,
    now_millis: i64,
    /// Batch items' `apiKey`s: (item index, span, text), compared with the batch's at the end.
    item_keys: Vec<(usize, Range<usize>, Option<String>)>,
    /// The index of the batch item being read.
    item: usize,
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
    let http = check_http(&mut sink, request);
    if sink.decided {
        return sink.finish(DetectedKind::Unknown);
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
        j: reader,
        sink,
        stack: &mut scratch.stack,
        keys: &mut scratch.keys,
        now_millis: options.now_millis(),
        item_keys: Vec::new(),
        item: 0,
    };
    let outcome = engine.document(given, &http);
    let Engine { j, mut sink, .. } = engine;
    scratch.tape = j.into_tape();
    match outcome {
        Ok(kind) => sink.finish(kind),
        Err(Stop::Decided) => sink.finish(given.map_or(DetectedKind::Unknown, DetectedKind::Given)),
        Err(Stop::Fault(stop)) => {
            // Nothing in a body the API cannot parse is read: only the parse
            // error stands, beside what was found about the HTTP request.
            sink.retain_tags(0);
            let at = stop.at.min(body.len());
            sink.emit(Rule::InvalidJson, ROOT, at..(at + 1).min(body.len()), || stop.message, json_help(body, at));
            sink.finish(DetectedKind::Unknown)
        }
    }
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

/// A path with every segment after the second masked: a key may stand
/// there, and keys are never shown in full.
fn masked_path(path: &str) -> String {
    path.split('/')
        .enumerate()
        .map(|(i, segment)| if i > 2 && !segment.is_empty() { mask_api_key(segment) } else { segment.to_owned() })
        .collect::<Vec<_>>()
        .join("/")
}

/// What the HTTP layer told: the endpoint's kind and where the key may be.
#[derive(Default)]
pub(crate) struct Http {
    pub(crate) kind: Option<RequestKind>,
    pub(crate) path_key: Option<String>,
    pub(crate) query_key: bool,
}

/// Checks the method, path and content type of HTTP input. Diagnostics made
/// here carry [`HTTP_TAG`], so that no later filtering drops them.
pub(crate) fn check_http(sink: &mut Sink<'_>, request: &RequestInfo) -> Http {
    let mut http = Http::default();
    let Some(path) = request.path.as_deref() else { return http };
    if let Some((_, query)) = path.split_once('?') {
        http.query_key = form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "apiKey");
    }
    let saved = std::mem::replace(&mut sink.tag, HTTP_TAG);
    let method = request.method.as_deref();
    match Endpoint::resolve(method.unwrap_or("POST"), path) {
        Ok(endpoint) => {
            http.kind = Some(endpoint.kind);
            http.path_key = endpoint.path_api_key;
        }
        Err(EndpointError::UnknownPath) => sink.emit(
            Rule::UnknownEndpoint,
            ROOT,
            0..0,
            || format!("{} is not one of the API's paths", shown(&masked_path(crate::kind::path_of(path)))),
            Some("the endpoints are /service/event, /service/event/batch, /service/identify, /service/alias, /service/suppress and /service/delete".into()),
        ),
        Err(EndpointError::MethodNotAllowed { kind }) => {
            http.kind = Some(kind);
            sink.emit(
                Rule::MethodNotAllowed,
                ROOT,
                0..0,
                || format!("{} does not take {}", kind.path(), method.unwrap_or("POST")),
                Some("every endpoint takes POST; only /service/event (without a key in the path) takes GET".into()),
            );
        }
    }
    let is_post = method.is_some_and(|m| !m.eq_ignore_ascii_case("GET"));
    if is_post {
        let media = request.content_type.as_deref().map(|ct| ct.split(';').next().unwrap_or_default().trim());
        if !media.is_some_and(|m| m.eq_ignore_ascii_case("application/json")) {
            sink.emit(
                Rule::WrongContentType,
                ROOT,
                0..0,
                || match request.content_type.as_deref() {
                    Some(ct) => format!("the Content-Type is {}, not application/json", shown(ct)),
                    None => "the request has no Content-Type header".into(),
                },
                Some("send Content-Type: application/json".into()),
            );
        }
    }
    sink.tag = saved;
    http
}

fn fx_hash(text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
}

fn type_name(peek: Peek) -> &'static str {
    match peek {
        Peek::Object => "an object",
        Peek::Array => "an array",
        Peek::String => "a string",
        Peek::Null => "null",
        Peek::True | Peek::False => "a bool",
        _ => "a number",
    }
}

impl Engine<'_, '_> {
    fn at(&self) -> usize {
        self.j.index()
    }

    fn deeper(&self, depth: usize) -> Result<(), Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::fault(self.at(), format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    /// Reads a number literal and returns its byte range.
    fn number(&mut self) -> Result<Range<usize>, Stop> {
        number(&mut self.j)
    }

    fn skip(&mut self, first: Peek, depth: usize) -> Result<(), Stop> {
        skip_value(&mut self.j, self.stack, first, depth)
    }

    fn document(&mut self, given: Option<RequestKind>, http: &Http) -> Result<DetectedKind, Stop> {
        let peek = self.j.peek()?;
        if peek != Peek::Object {
            let start = self.at();
            self.skip(peek, 1)?;
            self.j.finish()?;
            let end = self.at();
            self.sink.emit(
                Rule::NotAnObject,
                ROOT,
                start..end,
                || format!("the body is {}, not a JSON object", type_name(peek)),
                (peek == Peek::Array)
                    .then(|| "to send many events, use a batch: {\"apiKey\": ..., \"events\": [...]}".into()),
            );
            return Ok(DetectedKind::Unknown);
        }
        // A GET body is read as the event it stands for.
        let given = given.map(|k| if k == RequestKind::EventQuery { RequestKind::Event } else { k });
        let mut seen = Seen::new(self.at());
        self.object(Role::Body, &ROOT, 1, &mut seen)?;
        self.j.finish()?;
        Ok(self.finish_body(&seen, given, http))
    }

    /// Reads one object (the body or a batch item), checking each field.
    /// Fills `seen` (made at the object's opening brace by the caller: a
    /// `Seen` returned by value was reloaded right after it was written).
    fn object(&mut self, role: Role, path: &Path<'_>, depth: usize, seen: &mut Seen) -> Result<(), Stop> {
        self.deeper(depth)?;
        let mut key_at = self.at() + 1;
        let mut key = self.j.object_first_known(&FIELD_KEYS)?;
        while let Some(bit) = key {
            let allowed = match role {
                Role::Body => bit != 0,
                Role::Item => bit & EVENT_FIELDS != 0,
            };
            if allowed {
                let index = bit.trailing_zeros() as usize;
                if seen.present & bit != 0 {
                    let first = seen.key_at[index];
                    self.sink.emit(
                        Rule::DuplicateKey,
                        path.push(Seg::Name(name_of(bit))),
                        key_span(self.sink.source, key_at),
                        || format!("{} is given twice; the last value is used", name_of(bit)),
                        Some(format!("the first is at byte {}", key_span(self.sink.source, first).start)),
                    );
                } else {
                    seen.key_at[index] = key_at;
                }
                seen.present |= bit;
                let saved = self.sink.tag;
                if role == Role::Body {
                    self.sink.tag = bit;
                }
                let result = self.field(bit, role, path, depth + 1, seen);
                self.sink.tag = saved;
                result?;
                if self.sink.decided {
                    return Err(Stop::Decided);
                }
            } else {
                let peek = self.j.peek()?;
                self.skip(peek, depth + 1)?;
                seen.unknown.push(key_at);
            }
            key_at = self.at();
            key = self.j.object_next_known(&FIELD_KEYS)?;
        }
        Ok(())
    }

    fn field(&mut self, bit: u16, role: Role, path: &Path<'_>, depth: usize, seen: &mut Seen) -> Result<(), Stop> {
        let name = name_of(bit);
        let here = path.push(Seg::Name(name));
        let start = self.at();
        let null = match bit {
            API_KEY => {
                // A batch item's key is disregarded: only its type matters.
                let bound = if role == Role::Item { TextBound::Unbounded } else { TextBound::ApiKey };
                // The body's key is read again from its span only when it
                // must be compared (check_api_key): no copy on the clean path.
                let read = self.text(&here, bound, name, role == Role::Item, depth)?;
                let span = start..self.at();
                let null = matches!(read, TextRead::Null);
                if role == Role::Item {
                    if let TextRead::Text(text) = read {
                        self.item_keys.push((self.item, span, text));
                    }
                } else {
                    seen.api_key = Some((read, span));
                }
                null
            }
            EVENT_NAME | EVENT_UNIQUE_ID | UNIQUE_ID => {
                matches!(self.text(&here, TextBound::Required255, name, false, depth)?, TextRead::Null)
            }
            PREVIOUS_ID | NEW_ID => {
                let read = self.text(&here, TextBound::RequiredNonEmpty, name, true, depth)?;
                let kept = match &read {
                    TextRead::Text(Some(text)) => Some((text.clone(), start..self.at())),
                    _ => None,
                };
                if bit == PREVIOUS_ID {
                    seen.previous_id = kept
                } else {
                    seen.new_id = kept
                }
                matches!(read, TextRead::Null)
            }
            PROPERTIES => {
                seen.properties = self.properties(&here, depth)?;
                false
            }
            EVENT_TIME => self.event_time(&here)?,
            _ => self.events(&here, depth)?,
        };
        if null {
            seen.null |= bit
        } else {
            seen.null &= !bit
        }
        Ok(())
    }

    /// Reads a field the reference types String.
    fn text(
        &mut self,
        path: &Path<'_>,
        bound: TextBound,
        label: &str,
        keep: bool,
        depth: usize,
    ) -> Result<TextRead, Stop> {
        let peek = self.j.peek()?;
        let start = self.at();
        if peek == Peek::String {
            let text = self.j.str()?;
            let kept = keep.then(|| text.to_owned());
            if needs_check(text) {
                // Off the clean path: decode the string again to report on it.
                let span = start..self.at();
                let text = decode_key(self.sink.source, start);
                check_text(&mut self.sink, *path, span, bound, label, &text);
            }
            return Ok(TextRead::Text(kept));
        }
        let literal = match peek {
            Peek::Null => {
                self.j.literal(Peek::Null)?;
                return Ok(TextRead::Null);
            }
            Peek::Object | Peek::Array => {
                self.skip(peek, depth)?;
                self.sink.emit(
                    Rule::WrongType,
                    *path,
                    start..self.at(),
                    || format!("{label} is {}; the API expects a string", type_name(peek)),
                    None,
                );
                return Ok(TextRead::Invalid);
            }
            Peek::True | Peek::False => {
                self.j.literal(peek)?;
                start..self.at()
            }
            _ => self.number()?,
        };
        let source = self.sink.source;
        let text = std::str::from_utf8(&source[literal.clone()]).unwrap_or_default();
        let is_key = bound == TextBound::ApiKey;
        self.sink.emit(
            Rule::CoercedToString,
            *path,
            literal.clone(),
            || {
                let what = type_name(peek);
                if is_key {
                    format!("{label} is {what}; the API reads it as the text {}", mask_api_key(text))
                } else {
                    format!("{label} is {what}; the API reads it as the string \"{text}\"")
                }
            },
            Some(format!("write it as a string: \"{}\"", if is_key { mask_api_key(text) } else { text.to_owned() })),
        );
        check_text(&mut self.sink, *path, literal, bound, label, text);
        Ok(TextRead::Text(keep.then(|| text.to_owned())))
    }

    /// Reads `properties`; returns how many there are (`None` when null or invalid).
    fn properties(&mut self, path: &Path<'_>, depth: usize) -> Result<Option<usize>, Stop> {
        let peek = self.j.peek()?;
        let start = self.at();
        if peek == Peek::Null {
            self.j.literal(Peek::Null)?;
            return Ok(None);
        }
        if peek != Peek::Object {
            self.skip(peek, depth)?;
            self.sink.emit(
                Rule::WrongType,
                *path,
                start..self.at(),
                || format!("properties is {}; the API expects an object of names to values", type_name(peek)),
                None,
            );
            return Ok(None);
        }
        self.deeper(depth)?;
        self.keys.start();
        let mut key_at = start + 1;
        let mut key = self.j.object_first()?;
        let mut count = 0;
        while let Some(name) = key {
            let source = self.sink.source;
            if let Some(first) = self.keys.insert(fx_hash(name), key_at, |earlier| decode_key(source, earlier) == name)
            {
                self.sink.emit(
                    Rule::DuplicateKey,
                    path.push(Seg::Key(key_at)),
                    key_span(source, key_at),
                    || format!("property {} is given twice; the last value is used", shown(name)),
                    Some(format!("the first is at byte {}", key_span(source, first).start)),
                );
            }
            if name.is_empty() || TextLength::may_exceed(name) {
                property_name_length(&mut self.sink, name, *path, key_at);
            }
            count += 1;
            self.property_value(path, key_at, depth + 1)?;
            if self.sink.decided {
                return Err(Stop::Decided);
            }
            key_at = self.at();
            key = self.j.object_next()?;
        }
        Ok(Some(count))
    }

    /// Reads the value of the property whose key is at `key_at` in the
    /// object at `parent`. Its path is built only when something is reported:
    /// building it for every property cost a store-forwarding stall each.
    fn property_value(&mut self, parent: &Path<'_>, key_at: usize, depth: usize) -> Result<(), Stop> {
        let path = || parent.push(Seg::Key(key_at));
        let peek = self.j.peek()?;
        let start = self.at();
        match peek {
            Peek::String => {
                // Not decoded unless it may be too long: its raw text bounds
                // the decoded one.
                if self.j.skip_str()? <= MAX_TEXT_CHARS {
                    return Ok(());
                }
                let value = decode_key(self.sink.source, start);
                if !TextLength::may_exceed(&value) {
                    return Ok(());
                }
                let len = TextLength::of(&value);
                let span = start..self.j.index();
                if !len.fits() {
                    self.sink.emit(
                        Rule::PropertyValueTruncated,
                        path(),
                        span,
                        || {
                            format!(
                                "the value is {} characters long; the API keeps the first {MAX_TEXT_CHARS}",
                                len.chars
                            )
                        },
                        None,
                    );
                } else if len.utf16_overflows() {
                    emit_utf16(&mut self.sink, path(), span, "the value", len);
                }
            }
            Peek::Null => {
                self.j.literal(Peek::Null)?;
                self.sink.emit(
                    Rule::NullPropertyValue,
                    path(),
                    start..self.at(),
                    || "the value is null; the reference lists property values as strings".into(),
                    Some("leave the property out, or send a string".into()),
                );
            }
            Peek::Object | Peek::Array => {
                self.skip(peek, depth)?;
                self.sink.emit(
                    Rule::WrongType,
                    path(),
                    start..self.at(),
                    || format!("the value is {}; the API stores flat values", type_name(peek)),
                    Some(if peek == Peek::Object {
                        "flatten nested objects into names such as address_city".into()
                    } else {
                        "join the array into one string, or send one property per item".into()
                    }),
                );
            }
            _ => {
                let literal = if peek == Peek::True || peek == Peek::False {
                    self.j.literal(peek)?;
                    start..self.at()
                } else {
                    self.number()?
                };
                let source = self.sink.source;
                self.sink.emit(
                    Rule::NonStringPropertyValue,
                    path(),
                    literal.clone(),
                    || {
                        let text = String::from_utf8_lossy(&source[literal]);
                        format!("the value is {}; the API stores it as the string \"{text}\"", type_name(peek))
                    },
                    None,
                );
            }
        }
        Ok(())
    }

    /// Reads `eventTime`; returns whether it was null.
    fn event_time(&mut self, path: &Path<'_>) -> Result<bool, Stop> {
        let peek = self.j.peek()?;
        let start = self.at();
        match peek {
            Peek::Null => {
                self.j.literal(Peek::Null)?;
                return Ok(true);
            }
            Peek::String => {
                let text = self.j.str()?;
                let clean = text_to_millis(text).is_ok_and(|r| {
                    !r.decimal && !r.fractional && !r.without_offset && plausible(r.millis, self.now_millis)
                });
                if !clean {
                    let span = start..self.at();
                    let text = decode_key(self.sink.source, start);
                    check_time_text(&mut self.sink, *path, span, &text, false, self.now_millis);
                }
            }
            Peek::Object | Peek::Array | Peek::True | Peek::False => {
                self.skip(peek, 2)?;
                self.sink.emit(
                    Rule::WrongType,
                    *path,
                    start..self.at(),
                    || format!("eventTime is {}; the API expects a Unix time or an ISO 8601 string", type_name(peek)),
                    None,
                );
            }
            _ => {
                let literal = self.number()?;
                let text = self.j.text(literal.clone());
                // Most times are integers: read them without floating point.
                let (millis, fractional) = match integer_literal(text) {
                    Some(integer) => (integer_to_millis(integer), false),
                    None => {
                        let value: f64 = text.parse().unwrap_or(f64::INFINITY);
                        (number_to_millis(value), value.fract() != 0.0)
                    }
                };
                match millis {
                    Err(problem) => self.sink.emit(problem.rule(), *path, literal, || problem.message(text), None),
                    Ok(millis) => {
                        if fractional {
                            emit_fractional(&mut self.sink, *path, literal.clone(), text);
                        }
                        check_plausible(&mut self.sink, *path, literal, millis, self.now_millis);
                    }
                }
            }
        }
        Ok(false)
    }

    /// Reads `events`; returns whether it was null.
    fn events(&mut self, path: &Path<'_>, depth: usize) -> Result<bool, Stop> {
        let peek = self.j.peek()?;
        let start = self.at();
        if peek == Peek::Null {
            self.j.literal(Peek::Null)?;
            return Ok(true);
        }
        if peek != Peek::Array {
            self.skip(peek, depth)?;
            self.sink.emit(
                Rule::WrongType,
                *path,
                start..self.at(),
                || format!("events is {}; the API expects an array of events", type_name(peek)),
                None,
            );
            return Ok(false);
        }
        self.deeper(depth)?;
        let mut count = 0;
        let mut next = self.j.array_first()?;
        while let Some(item) = next {
            let here = path.push(Seg::Index(count));
            if item == Peek::Object {
                self.item = count;
                let mut seen = Seen::new(self.at());
                self.object(Role::Item, &here, depth + 1, &mut seen)?;
                self.finish_item(&seen, here);
            } else {
                let item_start = self.at();
                self.skip(item, depth + 1)?;
                self.sink.emit(
                    Rule::WrongType,
                    here,
                    item_start..self.at(),
                    || format!("a batch item is {}; the API expects an event object", type_name(item)),
                    None,
                );
            }
            count += 1;
            if self.sink.decided {
                return Err(Stop::Decided);
            }
            next = self.j.array_next()?;
        }
        let span = start..self.at();
        if count == 0 {
            self.sink.emit(
                Rule::EmptyBatch,
                *path,
                span,
                || "the batch has no events; nothing is recorded".into(),
                None,
            );
        } else if count > RECOMMENDED_BATCH_SIZE {
            self.sink.emit(
                Rule::BatchOverRecommendedSize,
                *path,
                span,
                || format!("the batch has {count} events; the reference recommends up to {RECOMMENDED_BATCH_SIZE}"),
                Some("split it into batches of 100".into()),
            );
        }
        Ok(false)
    }

    fn finish_item(&mut self, seen: &Seen, path: Path<'_>) {
        let kinds = [RequestKind::Event];
        self.report_unknown(seen, path, EVENT_FIELDS, &kinds, Whom::Item);
        self.report_missing(seen, path, required_of(RequestKind::Event), Whom::Item);
    }

    fn finish_body(&mut self, seen: &Seen, given: Option<RequestKind>, http: &Http) -> DetectedKind {
        let path = ROOT;
        let (found, count) = match given {
            Some(kind) => ([kind; 6], 1),
            None => detect(seen.present),
        };
        let kinds = &found[..count];
        let detected = match (given, kinds) {
            (Some(kind), _) => DetectedKind::Given(kind),
            (None, []) => DetectedKind::Unknown,
            (None, [kind]) => DetectedKind::Detected(*kind),
            (None, many) => DetectedKind::Ambiguous(many.to_vec()),
        };
        if kinds.is_empty() {
            let all = FIELDS.iter().fold(0, |bits, &(_, bit)| bits | bit);
            self.report_unknown(seen, path, all, &[], Whom::Request);
            self.sink.emit(
                Rule::MissingField,
                path,
                seen.open_span(),
                || "the body has none of the fields that make a request: eventName and eventUniqueId (event), events (batch), uniqueId (identify, suppress, delete), previousId and newId (alias)".into(),
                None,
            );
        } else {
            let allowed = kinds.iter().fold(API_KEY, |bits, &k| bits | fields_of(k));
            let required = kinds.iter().fold(u16::MAX, |bits, &k| bits & required_of(k));
            self.sink.retain_tags(allowed);
            self.report_unknown(seen, path, allowed, kinds, Whom::Kinds(kinds));
            self.report_missing(seen, path, required, Whom::Kinds(kinds));
        }
        self.check_api_key(seen, http);
        match detected.kind() {
            Some(RequestKind::Identify) if seen.properties.unwrap_or(0) == 0 => self.sink.emit(
                Rule::IdentifyWithoutProperties,
                path.push(Seg::Name("properties")),
                seen.open_span(),
                || "the identify has no properties, so it changes nothing".into(),
                None,
            ),
            Some(RequestKind::Alias) => {
                if let (Some((previous, _)), Some((new, span))) = (&seen.previous_id, &seen.new_id)
                    && previous == new
                {
                    self.sink.emit(
                        Rule::AliasSameId,
                        path.push(Seg::Name("newId")),
                        span.clone(),
                        || format!("previousId and newId are both {}; the alias does nothing", shown(new)),
                        None,
                    );
                }
            }
            _ => {}
        }
        detected
    }

    /// Reports the fields of `seen` outside `allowed`: the known fields of
    /// other kinds, and names no kind has.
    fn report_unknown(&mut self, seen: &Seen, path: Path<'_>, allowed: u16, kinds: &[RequestKind], whom: Whom<'_>) {
        if seen.unknown.is_empty() && seen.present & !allowed == 0 {
            return;
        }
        let source = self.sink.source;
        let foreign = FIELDS.iter().filter(|&&(_, bit)| seen.present & bit != 0 && allowed & bit == 0);
        let places =
            foreign.map(|&(_, bit)| seen.key_at[bit.trailing_zeros() as usize]).chain(seen.unknown.iter().copied());
        let places: Vec<usize> = places.collect();
        for at in places {
            let name = decode_key(source, at);
            let help = did_you_mean(&name, names_in(allowed)).map(|m| format!("did you mean `{m}`?")).or_else(|| {
                let bit = field_of(&name);
                let owners: Vec<RequestKind> =
                    POST_KINDS.into_iter().filter(|&k| fields_of(k) & bit != 0 && !kinds.contains(&k)).collect();
                match (name.as_str(), owners.is_empty()) {
                    ("uniqueId", _) if allowed & EVENT_UNIQUE_ID != 0 => {
                        Some("an event names its user with `eventUniqueId`".into())
                    }
                    ("eventUniqueId", _) if allowed & UNIQUE_ID != 0 => {
                        Some("this kind names its user with `uniqueId`".into())
                    }
                    (_, false) => Some(format!("`{name}` is a field of {} requests", kinds_phrase(&owners))),
                    (_, true) => None,
                }
            });
            self.sink.emit(
                Rule::UnknownField,
                path.push(Seg::Key(at)),
                key_span(source, at),
                || format!("{} is not a field of {}; the API ignores it", shown(&name), whom.phrase()),
                help,
            );
        }
    }

    fn report_missing(&mut self, seen: &Seen, path: Path<'_>, required: u16, whom: Whom<'_>) {
        if required & (!seen.present | seen.null) == 0 {
            return;
        }
        for &(name, bit) in &FIELDS {
            if required & bit == 0 {
                continue;
            }
            if seen.present & bit == 0 {
                self.sink.emit(
                    Rule::MissingField,
                    path.push(Seg::Name(name)),
                    seen.open_span(),
                    || format!("{name} is required in {}", whom.phrase()),
                    None,
                );
            } else if seen.null & bit != 0 {
                let span = key_span(self.sink.source, seen.key_at[bit.trailing_zeros() as usize]);
                self.sink.emit(
                    Rule::MissingField,
                    path.push(Seg::Name(name)),
                    span,
                    || format!("{name} is null; it is required in {}", whom.phrase()),
                    None,
                );
            }
        }
    }

    fn check_api_key(&mut self, seen: &Seen, http: &Http) {
        let path = ROOT.push(Seg::Name("apiKey"));
        // The key's text, when there is something to compare it with.
        let compared = http.path_key.is_some() || !self.item_keys.is_empty();
        let text = match &seen.api_key {
            Some((TextRead::Text(_), span)) if compared => Some(value_text(self.sink.source, span.clone())),
            _ => None,
        };
        let body_key = match &seen.api_key {
            Some((TextRead::Text(_), span)) => Some((text.as_deref(), span.clone())),
            Some((TextRead::Invalid, span)) => Some((None, span.clone())),
            Some((TextRead::Null, _)) | None => None,
        };
        if body_key.is_none() && http.path_key.is_none() && !http.query_key {
            self.sink.emit(
                Rule::MissingApiKey,
                path,
                seen.open_span(),
                || "no API key in the body, the path or the query".into(),
                Some("add \"apiKey\" to the body, or send to /service/<endpoint>/<key>".into()),
            );
        }
        if let Some(path_key) = http.path_key.as_deref() {
            if crate::limits::is_blank(path_key) {
                self.sink.emit(Rule::InvalidApiKey, ROOT, 0..0, || "the API key in the path is blank".into(), None);
            }
            if let Some((Some(body_text), span)) = &body_key
                && *body_text != path_key
            {
                self.sink.emit(
                    Rule::ApiKeyConflict,
                    path,
                    span.clone(),
                    || {
                        format!(
                            "the body's apiKey {} differs from the path's {}",
                            mask_api_key(body_text),
                            mask_api_key(path_key)
                        )
                    },
                    Some("send one key, in the body or in the path".into()),
                );
            }
        }
        let batch_key = body_key.and_then(|(text, _)| text);
        if self.item_keys.is_empty() {
            return;
        }
        let events = ROOT.push(Seg::Name("events"));
        for (item, span, text) in std::mem::take(&mut self.item_keys) {
            let item = events.push(Seg::Index(item));
            let item_path = item.push(Seg::Name("apiKey"));
            let differs = matches!((batch_key, text.as_deref()), (Some(batch), Some(item)) if batch != item);
            let severity = self.sink_severity(Rule::BatchItemApiKey, differs);
            if let Some(severity) = severity {
                self.sink.emit_at(
                    Rule::BatchItemApiKey,
                    severity,
                    item_path,
                    span,
                    || {
                        if differs {
                            "this item's apiKey differs from the batch's; the API disregards it and uses the batch's"
                                .into()
                        } else {
                            "an apiKey inside a batch item is disregarded".into()
                        }
                    },
                    Some("leave apiKey out of batch items".into()),
                );
            }
        }
    }

    /// The severity of `batch-item-api-key`: raised to a warning when the keys differ.
    fn sink_severity(&self, rule: Rule, raise: bool) -> Option<Severity> {
        match self.sink.severity(rule) {
            Severity::Off => None,
            severity if raise => Some(severity.max(Severity::Warning)),
            severity => Some(severity),
        }
    }
}

/// The value of a literal of 1 to 15 ASCII digits (exact as an `f64`).
fn integer_literal(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 15 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Eight digits at once when there are eight (times are 10 or 13 digits).
    let (head, tail) = if bytes.len() >= 8 { bytes.split_at(8) } else { (&[][..], bytes) };
    let mut value = match head.first_chunk::<8>() {
        Some(&eight) => eight_digits(eight),
        None => 0,
    };
    for &b in tail {
        value = value * 10 + u64::from(b - b'0');
    }
    Some(value)
}

/// The value of eight ASCII digits, by pairs, fours and eights in one word.
const fn eight_digits(digits: [u8; 8]) -> u64 {
    let mut word = u64::from_le_bytes(digits) - 0x3030_3030_3030_3030;
    word = (word * 10 + (word >> 8)) & 0x00ff_00ff_00ff_00ff;
    word = (word * 100 + (word >> 16)) & 0x0000_ffff_0000_ffff;
    (word * 10_000 + (word >> 32)) & 0xffff_ffff
}

/// The text of a string or literal value whose span (possibly with leading
/// whitespace) is given: a string decoded, a number or bool as written.
fn value_text(source: &[u8], span: Range<usize>) -> String {
    let start = span.start + source[span.clone()].iter().take_while(|b| b.is_ascii_whitespace()).count();
    if source.get(start) == Some(&b'"') {
        decode_key(source, start)
    } else {
        String::from_utf8_lossy(&source[start..span.end]).trim_end().to_owned()
    }
}

/// Whether a string may have a finding: cheap, so that the
/// clean path does no more than this.
fn needs_check(text: &str) -> bool {
    // Every finding, under any bound, needs one of these: emptiness, length,
    // or white space at an end (a blank key is all white space).
    text.is_empty() || TextLength::may_exceed(text) || has_edge_whitespace(text)
}

fn plausible(millis: i64, now_millis: i64) -> bool {
    (PLAUSIBLE_SINCE_MILLIS..=now_millis.saturating_add(PLAUSIBLE_FUTURE_MILLIS)).contains(&millis)
}

/// Reads a number literal and returns its byte range, refusing one longer
/// than the limit.
fn number(j: &mut Reader<'_>) -> Result<Range<usize>, Stop> {
    let Range { start, end } = j.number()?;
    if end - start > MAX_NUMBER_BYTES {
        return Err(Stop::fault(
            start,
            format!("a number literal of {} bytes; the limit is {MAX_NUMBER_BYTES}", end - start),
        ));
    }
    Ok(start..end)
}

/// Skips a value of any shape without recursion, checking that it is
/// well-formed (strings included) and not nested past the limit; `depth` is
/// the depth of the value itself (the body is 1).
pub(crate) fn skip_value(j: &mut Reader<'_>, stack: &mut Vec<bool>, first: Peek, depth: usize) -> Result<(), Stop> {
    stack.clear();
    let mut peek = first;
    loop {
        // Read the value `peek` starts, or step into it.
        match peek {
            Peek::Array | Peek::Object => {
                if depth + stack.len() > MAX_DEPTH {
                    return Err(Stop::fault(j.index(), format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                if peek == Peek::Array {
                    if let Some(next) = j.array_first()? {
                        stack.push(true);
                        peek = next;
                        continue;
                    }
                } else if j.object_first()?.is_some() {
                    stack.push(false);
                    peek = j.peek()?;
                    continue;
                }
            }
            Peek::String => {
                j.str()?;
            }
            Peek::Null => j.literal(Peek::Null)?,
            Peek::True | Peek::False => {
                j.literal(peek)?;
            }
            _ => {
                number(j)?;
            }
        }
        // The value is done: move on in its parent, closing finished ones.
        loop {
            match stack.last() {
                None => return Ok(()),
                Some(true) => {
                    if let Some(next) = j.array_next()? {
                        peek = next;
                        break;
                    }
                }
                Some(false) => {
                    if j.object_next()?.is_some() {
                        peek = j.peek()?;
                        break;
                    }
                }
            }
            stack.pop();
        }
    }
}

/// The byte ranges of the items of a top-level JSON array, or `None` when
/// `source` is not a well-formed array.
pub(crate) fn array_items(source: &[u8]) -> Option<Vec<Range<usize>>> {
    let mut j = Reader::new(source).ok()?;
    let mut stack = Vec::new();
    if j.peek().ok()? != Peek::Array {
        return None;
    }
    let mut items = Vec::new();
    let mut next = j.array_first().ok()?;
    while let Some(peek) = next {
        let start = j.index();
        skip_value(&mut j, &mut stack, peek, 2).ok()?;
        items.push(start..j.index());
        next = j.array_next().ok()?;
    }
    j.finish().ok()?;
    Some(items)
}

/// Warns about a property name that is empty, or over 255 characters or
/// UTF-16 code units.
fn property_name_length(sink: &mut Sink<'_>, name: &str, path: Path<'_>, key_at: usize) {
    let len = TextLength::of(name);
    let span = key_span(sink.source, key_at);
    if name.is_empty() || !len.fits() {
        sink.emit(
            Rule::PropertyNameLength,
            path.push(Seg::Key(key_at)),
            span,
            || match len.chars {
                0 => "a property name is empty".to_owned(),
                n => format!("a property name is {n} characters long, over {MAX_TEXT_CHARS}"),
            },
            Some("use names of 1 to 255 characters".into()),
        );
    } else if len.utf16_overflows() {
        emit_utf16(sink, path.push(Seg::Key(key_at)), span, "a property name", len);
    }
}

/// The checks of a text field after its error rules: white space, UTF-16
/// length, and the alias ids' length.
pub(crate) fn check_text(
    sink: &mut Sink<'_>,
    path: Path<'_>,
    span: Range<usize>,
    bound: TextBound,
    label: &str,
    text: &str,
) {
    let len = TextLength::of(text);
    if let Some((rule, message)) = text_error(bound, label, text) {
        sink.emit(rule, path, span, || message, None);
        return;
    }
    if matches!(bound, TextBound::Required255 | TextBound::RequiredNonEmpty) && has_edge_whitespace(text) {
        sink.emit(
            Rule::WhitespaceName,
            path,
            span.clone(),
            || format!("{label} {} has white space at an end", shown(text)),
            Some("trim it: the API keeps the white space, so \"a \" and \"a\" differ".into()),
        );
    }
    match bound {
        TextBound::Required255 | TextBound::QueryProperty if len.utf16_overflows() => {
            emit_utf16(sink, path, span, label, len)
        }
        TextBound::RequiredNonEmpty if len.chars > MAX_TEXT_CHARS => sink.emit(
            Rule::AliasIdLength,
            path,
            span,
            || format!("{label} is {} characters long; every other id is limited to {MAX_TEXT_CHARS}", len.chars),
            None,
        ),
        _ => {}
    }
}

fn emit_utf16(sink: &mut Sink<'_>, path: Path<'_>, span: Range<usize>, label: &str, len: TextLength) {
    sink.emit(
        Rule::Utf16Length,
        path,
        span,
        || format!("{label} is {} characters but {} UTF-16 code units; a server counting UTF-16 units would see it as too long", len.chars, len.utf16_units),
        None,
    );
}

fn emit_fractional(sink: &mut Sink<'_>, path: Path<'_>, span: Range<usize>, text: &str) {
    sink.emit(
        Rule::EventTimeFractional,
        path,
        span,
        || format!("eventTime {text} has a fraction"),
        Some("send whole milliseconds".into()),
    );
}

/// Checks a string `eventTime`: in a POST body (`query == false`) a decimal
/// string is noted; in a GET query it is the only way to send a number.
pub(crate) fn check_time_text(
    sink: &mut Sink<'_>,
    path: Path<'_>,
    span: Range<usize>,
    text: &str,
    query: bool,
    now_millis: i64,
) {
    match text_to_millis(text) {
        Err(problem) => sink.emit(problem.rule(), path, span, || problem.message(&shown(text)), None),
        Ok(reading) => {
            if reading.decimal && !query {
                sink.emit(
                    Rule::EventTimeStringNumber,
                    path,
                    span.clone(),
                    || {
                        format!(
                            "eventTime {} is a number written as a string; the API reads it as a number",
                            shown(text)
                        )
                    },
                    Some(format!("send it as a JSON number: {text}")),
                );
            }
            if reading.fractional {
                emit_fractional(sink, path, span.clone(), text);
            }
            if reading.without_offset {
                sink.emit(
                    Rule::EventTimeWithoutOffset,
                    path,
                    span.clone(),
                    || format!("eventTime {} has no zone; UTC is assumed", shown(text)),
                    Some("add Z or an offset such as +00:00".into()),
                );
            }
            check_plausible(sink, path, span, reading.millis, now_millis);
        }
    }
}

fn check_plausible(sink: &mut Sink<'_>, path: Path<'_>, span: Range<usize>, millis: i64, now_millis: i64) {
    let when = || jiff::Timestamp::from_millisecond(millis).map_or_else(|_| format!("{millis} ms"), |t| t.to_string());
    if millis < PLAUSIBLE_SINCE_MILLIS {
        sink.emit(
            Rule::EventTimeImplausible,
            path,
            span,
            || format!("eventTime is {}, before 2000", when()),
            Some("a number below 1e11 is read as seconds: was it meant as milliseconds?".into()),
        );
    } else if millis > now_millis.saturating_add(PLAUSIBLE_FUTURE_MILLIS) {
        sink.emit(
            Rule::EventTimeImplausible,
            path,
            span,
            || format!("eventTime is {}, more than a day in the future", when()),
            Some("a number from 1e11 on is read as milliseconds: was it meant as seconds?".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_keys_are_read_as_field_of_reads_them() {
        // Each field name, and near misses: a letter's case flipped, cut
        // short, grown at either end, escaped, followed by white space; each
        // after `{` and after `,`, followed by inputs of several lengths
        // (the raw comparison needs 16 bytes) and by a missing colon.
        let mut keys: Vec<String> = vec!["\"\"".into(), "\"a\"".into(), "\"😀😀😀😀😀😀😀\"".into(), "\"\\\"\"".into()];
        for (name, _) in FIELDS {
            keys.push(format!("\"{name}\""));
            keys.push(format!("\"{name}\" "));
            keys.push(format!("\"{name}x\""));
            keys.push(format!("\"x{name}\""));
            keys.push(format!("\"{}\"", &name[..name.len() - 1]));
            keys.push(format!("\"\\u{:04x}{}\"", name.as_bytes()[0], &name[1..]));
            keys.push(format!("\"{}\\n\"", name));
            for i in 0..name.len() {
                let mut bytes = name.as_bytes().to_vec();
                bytes[i] ^= 0x20;
                keys.push(format!("\"{}\"", String::from_utf8(bytes).unwrap()));
            }
        }
        let tails = ["", "}", ":", ":1}", ": 1 }", "1}", ":\"a value long enough to fill the window\"}"];
        for key in &keys {
            for tail in tails {
                for before in ["{", "{\"a\":1,", "{ \"a\" : 1 , "] {
                    let body = format!("{before}{key}{tail}");
                    let read = |known: bool| {
                        let mut r = Reader::new(body.as_bytes())?;
                        let mut first =
                            if known { r.object_first_known(&FIELD_KEYS)? } else { r.object_first()?.map(field_of) };
                        if before != "{" {
                            assert_eq!(first, Some(0), "{body}");
                            r.number()?;
                            first =
                                if known { r.object_next_known(&FIELD_KEYS)? } else { r.object_next()?.map(field_of) };
                        }
                        Ok::<_, ReadError>((first, r.index()))
                    };
                    assert_eq!(read(true), read(false), "{body}");
                }
            }
        }
        // Every name is found, and at the same place.
        for (name, bit) in FIELDS {
            let body = format!("{{\"{name}\":\"a value long enough to fill the window\"}}");
            let mut r = Reader::new(body.as_bytes()).unwrap();
            assert_eq!(r.object_first_known(&FIELD_KEYS).unwrap(), Some(bit));
            assert_eq!(r.index(), name.len() + 4);
        }
    }

    #[test]
    fn integer_literals_read_as_parse_reads_them() {
        for len in 1..=15 {
            for fill in [b'0', b'1', b'5', b'9'] {
                for first in [b'1', b'9'] {
                    let mut text = vec![fill; len];
                    text[0] = first;
                    text[len - 1] = b'7';
                    let text = String::from_utf8(text).unwrap();
                    assert_eq!(integer_literal(&text), text.parse().ok(), "{text}");
                }
            }
        }
        for text in ["1700000000123", "99999999999", "0", "", "1234567890123456", "12.5", "-5", "1e3", "12345678x"] {
            let expected = (text.len() <= 15).then(|| text.parse().ok()).flatten();
            assert_eq!(integer_literal(text), expected, "{text}");
        }
    }

    /// The compile-time table gives, for every set of fields, the kinds a
    /// direct scoring finds, in the same order.
    #[test]
    fn detection_table_agrees_with_scoring() {
        for present in 0..1u16 << FIELDS.len() {
            let without_key = present & !API_KEY;
            let score = |kind| {
                let fields = fields_of(kind);
                (without_key & fields).count_ones() as i32 - (without_key & !fields).count_ones() as i32
            };
            let candidates: Vec<RequestKind> =
                POST_KINDS.into_iter().filter(|&k| without_key & fields_of(k) != 0).collect();
            let best = candidates.iter().map(|&k| score(k)).max();
            let expected: Vec<RequestKind> = candidates.into_iter().filter(|&k| Some(score(k)) == best).collect();
            let (found, count) = detect(present);
            assert_eq!(found[..count], expected[..], "{present:#b}");
        }
        // One field of each kind's own, for the record.
        assert_eq!(detect(EVENTS).0[..detect(EVENTS).1], [RequestKind::Batch]);
        assert_eq!(detect(UNIQUE_ID).1, 3);
    }

    /// The table against a plain search, for objects of every size around
    /// the list's capacity and the table's growth, one after another (so
    /// stale slots of earlier objects are present), with one repeat placed
    /// at every pair of positions.
    #[test]
    fn key_table_finds_every_repeat_and_nothing_else() {
        let mut table = KeyTable::default();
        // Hashes that all probe from slot 0, and well-spread ones.
        let hashes: [fn(usize) -> u64; 2] =
            [|k| (k / 2) as u64, |k| ((k / 2) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)];
        for (len, hash) in [0, 1, 2, FEW_KEYS - 1, FEW_KEYS, FEW_KEYS + 1, 20, 33, 70]
            .into_iter()
            .flat_map(|len| hashes.map(|h| (len, h)))
        {
            for first in 0..len {
                for second in first + 1..len {
                    // Keys are their positions, except that `second` repeats `first`;
                    // hashes collide in pairs, so `same` must tell them apart.
                    let keys: Vec<usize> = (0..len).map(|i| if i == second { first } else { i }).collect();
                    table.start();
                    for (at, &key) in keys.iter().enumerate() {
                        let found = table.insert(hash(key), at, |earlier| keys[earlier] == key);
                        let expected = keys[..at].iter().position(|&k| k == key);
                        assert_eq!(found, expected, "len {len}, repeat {first}/{second}, at {at}");
                    }
                }
            }
        }
    }
}

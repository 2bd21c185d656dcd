//! The walk: one pass over the body, each known field checked as it is read.

use std::ops::Range;

use super::fields::{
    API_KEY, EVENT_FIELDS, EVENT_NAME, EVENT_TIME, EVENT_UNIQUE_ID, FIELD_KEYS, NEW_ID, PREVIOUS_ID, PROPERTIES,
    UNIQUE_ID, name_of,
};
use super::keys::fx_hash;
use super::skip::{number, skip_value};
use super::{Engine, Role, Seen, Stop, TextRead};
use crate::kind::{DetectedKind, RequestKind};
use crate::limits::{MAX_DEPTH, MAX_TEXT_CHARS, RECOMMENDED_BATCH_SIZE, TextLength, mask_api_key};
use crate::lint::checker::{NameAt, PropertyAt};
use crate::lint::checks::excerpt;
use crate::lint::checks::http::Http;
use crate::lint::checks::text::{check_text, emit_utf16, needs_check, property_name_length};
use crate::lint::checks::time::{check_plausible, check_time_text, emit_fractional, integer_literal, plausible};
use crate::lint::reader::{Peek, decode_string_at, string_span_at};
use crate::lint::sink::{Path, ROOT, Seg};
use crate::model::values::TextBound;
use crate::rule::Rule;
use crate::time::{integer_to_millis, number_to_millis, text_to_millis};

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
        self.reader.index()
    }

    fn deeper(&self, depth: usize) -> Result<(), Stop> {
        if depth > MAX_DEPTH {
            return Err(Stop::fault(self.at(), format!("nesting deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    /// Reads a number literal and returns its byte range.
    fn number(&mut self) -> Result<Range<usize>, Stop> {
        number(&mut self.reader)
    }

    fn skip(&mut self, first: Peek, depth: usize) -> Result<(), Stop> {
        skip_value(&mut self.reader, self.stack, first, depth)
    }

    pub(super) fn document(&mut self, given: Option<RequestKind>, http: &Http) -> Result<DetectedKind, Stop> {
        let peek = self.reader.peek()?;
        if peek != Peek::Object {
            let start = self.at();
            self.skip(peek, 1)?;
            self.reader.finish()?;
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
        let mut seen = Seen::new(self.at(), self.properties.len());
        self.object(Role::Body, &ROOT, 1, &mut seen)?;
        self.reader.finish()?;
        Ok(self.finish_body(&seen, given, http))
    }

    /// Reads one object (the body or a batch item), checking each field.
    /// Fills `seen` (made at the object's opening brace by the caller: a
    /// `Seen` returned by value was reloaded right after it was written).
    fn object(&mut self, role: Role, path: &Path<'_>, depth: usize, seen: &mut Seen) -> Result<(), Stop> {
        self.deeper(depth)?;
        let mut key_at = self.at() + 1;
        let mut key = self.reader.object_first_known(&FIELD_KEYS)?;
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
                        string_span_at(self.sink.source, key_at),
                        || format!("{} is given twice; the last value is used", name_of(bit)),
                        Some(format!("the first is at byte {}", string_span_at(self.sink.source, first).start)),
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
                let peek = self.reader.peek()?;
                self.skip(peek, depth + 1)?;
                seen.unknown.push(key_at);
            }
            key_at = self.at();
            key = self.reader.object_next_known(&FIELD_KEYS)?;
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
            EVENT_NAME if self.checker.is_some() => {
                // The checker is handed the name: keep where it stands.
                let peek = self.reader.peek()?;
                let at = self.at();
                let null = matches!(self.text(&here, TextBound::Required255, name, false, depth)?, TextRead::Null);
                seen.event_name = (!null).then(|| (at..self.at(), peek));
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
                // A repeated `properties`: the last one is the one used.
                self.properties.truncate(seen.properties_from);
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
        let peek = self.reader.peek()?;
        let start = self.at();
        if peek == Peek::String {
            let text = self.reader.str()?;
            let kept = keep.then(|| text.to_owned());
            if needs_check(text) {
                // Off the clean path: decode the string again to report on it.
                let span = start..self.at();
                let text = decode_string_at(self.sink.source, start);
                check_text(&mut self.sink, *path, span, bound, label, &text);
            }
            return Ok(TextRead::Text(kept));
        }
        let literal = match peek {
            Peek::Null => {
                self.reader.literal(Peek::Null)?;
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
                self.reader.literal(peek)?;
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
        let peek = self.reader.peek()?;
        let start = self.at();
        if peek == Peek::Null {
            self.reader.literal(Peek::Null)?;
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
        let mut key = self.reader.object_first()?;
        let mut count = 0;
        while let Some(name) = key {
            let source = self.sink.source;
            if let Some(first) =
                self.keys.insert(fx_hash(name), key_at, |earlier| decode_string_at(source, earlier) == name)
            {
                self.sink.emit(
                    Rule::DuplicateKey,
                    path.push(Seg::Key(key_at)),
                    string_span_at(source, key_at),
                    || format!("property {} is given twice; the last value is used", excerpt(name)),
                    Some(format!("the first is at byte {}", string_span_at(source, first).start)),
                );
            }
            if name.is_empty() || TextLength::may_exceed(name) {
                property_name_length(&mut self.sink, name, *path, key_at);
            }
            count += 1;
            let name_at = self.checker.is_some().then(|| NameAt::of(name, source, key_at));
            let (value_start, kind, escaped) = self.property_value(path, key_at, depth + 1)?;
            if let Some(name) = name_at {
                self.properties.push(PropertyAt { name, value: (value_start, self.at()), kind, escaped });
            }
            if self.sink.decided {
                return Err(Stop::Decided);
            }
            key_at = self.at();
            key = self.reader.object_next()?;
        }
        Ok(Some(count))
    }

    /// Reads the value of the property whose key is at `key_at` in the
    /// object at `parent`. Its path is built only when something is reported:
    /// building it for every property cost a store-forwarding stall each.
    /// Returns where the value starts, its kind, and whether it is a string
    /// with escapes.
    fn property_value(&mut self, parent: &Path<'_>, key_at: usize, depth: usize) -> Result<(usize, Peek, bool), Stop> {
        let path = || parent.push(Seg::Key(key_at));
        let peek = self.reader.peek()?;
        let start = self.at();
        let mut escaped = false;
        match peek {
            Peek::String => {
                // Not decoded unless it may be too long: its raw text bounds
                // the decoded one.
                let raw;
                (raw, escaped) = self.reader.skip_str()?;
                if raw <= MAX_TEXT_CHARS {
                    return Ok((start, peek, escaped));
                }
                let value = decode_string_at(self.sink.source, start);
                if !TextLength::may_exceed(&value) {
                    return Ok((start, peek, escaped));
                }
                let len = TextLength::of(&value);
                let span = start..self.reader.index();
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
                self.reader.literal(Peek::Null)?;
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
                    self.reader.literal(peek)?;
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
        Ok((start, peek, escaped))
    }

    /// Reads `eventTime`; returns whether it was null.
    fn event_time(&mut self, path: &Path<'_>) -> Result<bool, Stop> {
        let peek = self.reader.peek()?;
        let start = self.at();
        match peek {
            Peek::Null => {
                self.reader.literal(Peek::Null)?;
                return Ok(true);
            }
            Peek::String => {
                let text = self.reader.str()?;
                let clean = text_to_millis(text).is_ok_and(|r| {
                    !r.decimal && !r.fractional && !r.without_offset && plausible(r.millis, self.now_millis)
                });
                if !clean {
                    let span = start..self.at();
                    let text = decode_string_at(self.sink.source, start);
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
                let text = self.reader.text(literal.clone());
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
                        check_plausible(&mut self.sink, *path, literal, millis, self.now_millis, true);
                    }
                }
            }
        }
        Ok(false)
    }

    /// Reads `events`; returns whether it was null.
    fn events(&mut self, path: &Path<'_>, depth: usize) -> Result<bool, Stop> {
        let peek = self.reader.peek()?;
        let start = self.at();
        if peek == Peek::Null {
            self.reader.literal(Peek::Null)?;
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
        let mut next = self.reader.array_first()?;
        while let Some(item) = next {
            let here = path.push(Seg::Index(count));
            if item == Peek::Object {
                self.item = count;
                let mut seen = Seen::new(self.at(), self.properties.len());
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
            next = self.reader.array_next()?;
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
}

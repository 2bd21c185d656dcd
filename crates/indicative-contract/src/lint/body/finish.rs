//! The judgement after the walk: the kind, the fields it lacks or does not
//! have, the API key against the path's and the batch items', and the
//! checks that need the whole request.

use std::ops::Range;

use super::fields::{
    API_KEY, EVENT_FIELDS, EVENT_UNIQUE_ID, FIELDS, POST_KINDS, UNIQUE_ID, detect, field_of, fields_of, names_in,
    required_of,
};
use super::{Engine, Seen, TextRead};
use crate::kind::{DetectedKind, RequestKind, kinds_phrase};
use crate::limits::mask_api_key;
use crate::lint::checker::{EventView, Findings, Place};
use crate::lint::checks::excerpt;
use crate::lint::checks::http::Http;
use crate::lint::reader::{decode_string_at, string_span_at};
use crate::lint::sink::{Path, ROOT, Seg};
use crate::lint::suggest::did_you_mean;
use crate::rule::{Rule, Severity};

/// Subject a message speaks of: rendered only when a diagnostic is reported.
#[derive(Clone, Copy)]
enum Subject<'k> {
    Request,
    Item,
    Kinds(&'k [RequestKind]),
}

impl Subject<'_> {
    fn phrase(self) -> String {
        match self {
            Self::Request => "a request".into(),
            Self::Item => "a batch item".into(),
            Self::Kinds(kinds) => format!("{} requests", kinds_phrase(kinds)),
        }
    }
}

impl Engine<'_, '_> {
    pub(super) fn finish_item(&mut self, seen: &Seen, path: Path<'_>) {
        let kinds = [RequestKind::Event];
        self.report_unknown(seen, path, EVENT_FIELDS, &kinds, Subject::Item);
        self.report_missing(seen, path, required_of(RequestKind::Event), Subject::Item);
        self.hand_to_checker(seen, path, false);
        // The next item's properties take this one's place.
        self.properties.truncate(seen.properties_from);
    }

    /// Hands the event (or, with `user`, the identify) read into `seen` to
    /// the checker, if there is one.
    fn hand_to_checker(&mut self, seen: &Seen, path: Path<'_>, user: bool) {
        let Some(checker) = self.checker else { return };
        let properties = &self.properties[seen.properties_from.min(self.properties.len())..];
        let name = if user { None } else { seen.event_name.clone() };
        let view = EventView::of_body(self.reader.source_text(), name.clone(), properties);
        let place = Place::Body { path, open: seen.open, name: name.map(|(span, _)| span), properties };
        let mut findings = Findings::new(&mut self.sink, place);
        if user {
            checker.check_user(&view, &mut findings);
        } else {
            checker.check_event(&view, &mut findings);
        }
    }

    pub(super) fn finish_body(&mut self, seen: &Seen, given: Option<RequestKind>, http: &Http) -> DetectedKind {
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
            self.report_unknown(seen, path, all, &[], Subject::Request);
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
            self.report_unknown(seen, path, allowed, kinds, Subject::Kinds(kinds));
            self.report_missing(seen, path, required, Subject::Kinds(kinds));
        }
        self.check_api_key(seen, http);
        match detected.kind() {
            Some(RequestKind::Event) => self.hand_to_checker(seen, path, false),
            Some(RequestKind::Identify) => self.hand_to_checker(seen, path, true),
            _ => {}
        }
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
                        || format!("previousId and newId are both {}; the alias does nothing", excerpt(new)),
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
    fn report_unknown(&mut self, seen: &Seen, path: Path<'_>, allowed: u16, kinds: &[RequestKind], whom: Subject<'_>) {
        if seen.unknown.is_empty() && seen.present & !allowed == 0 {
            return;
        }
        let source = self.sink.source;
        let foreign = FIELDS.iter().filter(|&&(_, bit)| seen.present & bit != 0 && allowed & bit == 0);
        let places =
            foreign.map(|&(_, bit)| seen.key_at[bit.trailing_zeros() as usize]).chain(seen.unknown.iter().copied());
        let places: Vec<usize> = places.collect();
        for at in places {
            let name = decode_string_at(source, at);
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
                string_span_at(source, at),
                || format!("{} is not a field of {}; the API ignores it", excerpt(&name), whom.phrase()),
                help,
            );
        }
    }

    fn report_missing(&mut self, seen: &Seen, path: Path<'_>, required: u16, whom: Subject<'_>) {
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
                let span = string_span_at(self.sink.source, seen.key_at[bit.trailing_zeros() as usize]);
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
            let severity = self.item_key_severity(Rule::BatchItemApiKey, differs);
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
    fn item_key_severity(&self, rule: Rule, raise: bool) -> Option<Severity> {
        match self.sink.severity(rule) {
            Severity::Off => None,
            severity if raise => Some(severity.max(Severity::Warning)),
            severity => Some(severity),
        }
    }
}

/// The text of a string or literal value whose span (possibly with leading
/// whitespace) is given: a string decoded, a number or bool as written.
fn value_text(source: &[u8], span: Range<usize>) -> String {
    let start = span.start + source[span.clone()].iter().take_while(|b| b.is_ascii_whitespace()).count();
    if source.get(start) == Some(&b'"') {
        decode_string_at(source, start)
    } else {
        String::from_utf8_lossy(&source[start..span.end]).trim_end().to_owned()
    }
}

//! GET `/service/event`: the query string linted, and read into an
//! [`EventQuery`] ([`EventQuery::from_query`] lives here, beside the parser
//! it shares with the lint: the model does not depend on the engine).

use std::borrow::Cow;

use super::checker::{EventView, Findings, Place};
use super::checks::excerpt;
use super::checks::http::{HttpFacts, check_http};
use super::checks::text::check_text;
use super::checks::time::check_time_text;
use super::param::decode_escaped;
pub(crate) use super::param::{EncodingFault, Param};
use super::sink::{ROOT, Seg, Sink};
use super::suggest::did_you_mean;
use super::{LintOptions, Profile, RequestInfo};
use crate::diagnostic::Report;
use crate::error::ContractError;
use crate::kind::{DetectedKind, RequestKind};
use crate::model::requests::EventQuery;
use crate::model::values::{ApiKey, EventName, EventUniqueId, QueryProperty, TextBound};
use crate::rule::{Rule, Severity};
use crate::time::EventTime;

const SINGLE: [&str; 4] = ["apiKey", "eventName", "eventUniqueId", "eventTime"];

/// Up to this many property names, repeats are found by comparing each
/// with those before it.
const SCANNED_NAMES: usize = 16;
const NAMES: [&str; 6] = ["apiKey", "eventName", "eventUniqueId", "eventTime", "propertyNames", "propertyValues"];

/// The first fault of a raw `name=value` piece that starts at `offset`: a
/// `%` not followed by two hex digits, or bytes (escaped or not) that do
/// not decode to UTF-8 in the name or in the value.
fn encoding_fault(piece: &str, offset: usize) -> Option<EncodingFault> {
    let bytes = piece.as_bytes();
    // Text is UTF-8 already: only escapes can break it.
    memchr::memchr(b'%', bytes)?;
    // The decoded bytes of the part being read (the name, then the value),
    // each with where it starts in `piece`.
    let mut decoded = Vec::new();
    let mut from = Vec::new();
    let utf8_fault = |decoded: &[u8], from: &[usize]| {
        std::str::from_utf8(decoded).err().map(|e| EncodingFault { at: offset + from[e.valid_up_to()], not_utf8: true })
    };
    let mut in_value = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                let Some(&[high, low]) = hex else {
                    return Some(EncodingFault { at: offset + i, not_utf8: false });
                };
                let digit = |b: u8| (b as char).to_digit(16).unwrap_or_default() as u8;
                decoded.push(digit(high) << 4 | digit(low));
                from.push(i);
                i += 3;
            }
            b'=' if !in_value => {
                if let Some(fault) = utf8_fault(&decoded, &from) {
                    return Some(fault);
                }
                decoded.clear();
                from.clear();
                in_value = true;
                i += 1;
            }
            byte => {
                decoded.push(byte);
                from.push(i);
                i += 1;
            }
        }
    }
    utf8_fault(&decoded, &from)
}

/// A query read once: the first of each single-valued parameter, the
/// property lists, and everything else.
#[derive(Default)]
pub(crate) struct Parsed<'a> {
    pub(crate) single: [Option<Param<'a>>; 4],
    pub(crate) repeats: Vec<Param<'a>>,
    pub(crate) names: Vec<Param<'a>>,
    pub(crate) values: Vec<Param<'a>>,
    pub(crate) unknown: Vec<Param<'a>>,
}

/// Splits a URL, a path with a query, or a bare query into the path (if
/// any) and the query with its offset in the input.
pub(crate) fn split(input: &str) -> (Option<&str>, &str, usize) {
    let input = input.split('#').next().unwrap_or_default();
    match input.find('?') {
        // A bare query as `location.search` gives it (`?apiKey=...`).
        Some(0) => (None, &input[1..], 1),
        Some(at) => (Some(&input[..at]), &input[at + 1..], at + 1),
        // A URL with no query; `://` after a `=` or `&` is in a parameter's
        // value (`ref=https://...`), so the input is a bare query.
        None if input.starts_with('/') || input.find("://").is_some_and(|at| !input[..at].contains(['=', '&'])) => {
            (Some(input), "", input.len())
        }
        None => (None, input, 0),
    }
}

pub(crate) fn parse<'a>(query: &'a str, offset: usize) -> Parsed<'a> {
    let mut parsed = Parsed::default();
    let bytes = query.as_bytes();
    // The separators and escapes are found 64 bytes at a time (see
    // `marks.rs`): a byte-by-byte loop over every piece cost ten
    // instructions a byte, and a search restarted at each mark its setup.
    let mut marks = super::marks::Marks::new(bytes);
    let mut start = 0;
    let mut equals = None;
    // Whether the name, and the value, have anything to decode; whether
    // the piece has a `%` (whose encoding may be broken).
    let mut escapes = [false, false];
    let mut percents = false;
    loop {
        let mark = marks.next();
        match mark.map(|at| bytes[at]) {
            Some(b'=') if equals.is_none() => {
                equals = mark;
                continue;
            }
            Some(b'=') => continue,
            Some(byte @ (b'+' | b'%')) => {
                escapes[usize::from(equals.is_some())] = true;
                percents |= byte == b'%';
                continue;
            }
            _ => {}
        }
        // A `&`, or the end of the query.
        let end = mark.unwrap_or(bytes.len());
        if start < end {
            let read = |part: &'a str, escaped: bool| if escaped { decode_escaped(part) } else { Cow::Borrowed(part) };
            let (piece, span) = (&query[start..end], offset + start..offset + end);
            let (name, value) = match equals {
                Some(at) => (read(&query[start..at], escapes[0]), read(&query[at + 1..end], escapes[1])),
                None => (read(piece, escapes[0]), Cow::Borrowed("")),
            };
            let fault = if percents { encoding_fault(piece, span.start) } else { None };
            let param = Param { name, value, span, fault };
            // One `match` on the name: compiled to a switch on its length,
            // then one comparison.
            let slot = match &*param.name {
                "apiKey" => 0,
                "eventName" => 1,
                "eventUniqueId" => 2,
                "eventTime" => 3,
                "propertyNames" => 4,
                "propertyValues" => 5,
                _ => 6,
            };
            match slot {
                0..4 => match &parsed.single[slot] {
                    Some(_) => parsed.repeats.push(param),
                    None => parsed.single[slot] = Some(param),
                },
                4 => parsed.names.push(param),
                5 => parsed.values.push(param),
                _ => parsed.unknown.push(param),
            }
        }
        if mark.is_none() {
            return parsed;
        }
        start = end + 1;
        equals = None;
        escapes = [false, false];
        percents = false;
    }
}

pub(crate) fn lint(input: &str, request: &RequestInfo, options: &LintOptions) -> Report {
    let parts = split(input);
    lint_parsed(input, parts, &parse(parts.1, parts.2), request, options)
}

/// Lints a query already split from `input` (its path, query and the
/// query's offset: see [`split`]) and parsed.
fn lint_parsed(
    input: &str,
    (path, query, offset): (Option<&str>, &str, usize),
    parsed: &Parsed<'_>,
    request: &RequestInfo,
    options: &LintOptions,
) -> Report {
    let source = input.as_bytes();
    let mut sink = Sink::new(source, options);
    let facts = match (&request.path, path) {
        (Some(_), _) => HttpFacts::of(request),
        (None, Some(_)) => HttpFacts {
            method: Some(request.method.as_deref().unwrap_or("GET")),
            path: Some(input),
            content_type: None,
        },
        (None, None) => HttpFacts::default(),
    };
    let http = check_http(&mut sink, facts);
    let whole = offset..offset + query.len();
    if sink.has_errors() {
        // A request that reaches no GET endpoint (404, 405) has its
        // parameters read by no one.
        return sink.finish(DetectedKind::Given(http.kind.unwrap_or(RequestKind::EventQuery)));
    }
    let root = ROOT;
    if report_encoding_faults(&mut sink, parsed) {
        // Servers in front of the API refuse such a query before it is read.
        return sink.finish(DetectedKind::Given(http.kind.unwrap_or(RequestKind::EventQuery)));
    }

    for param in &parsed.repeats {
        sink.emit(
            Rule::DuplicateKey,
            root.push(Seg::Name(SINGLE.iter().find(|&&n| n == param.name).copied().unwrap_or_default())),
            param.span.clone(),
            || format!("{} is given more than once; the first value is used", param.name),
            None,
        );
    }
    for param in &parsed.unknown {
        let name_end =
            param.span.start + source[param.span.clone()].iter().position(|&b| b == b'=').unwrap_or(param.span.len());
        sink.emit(
            Rule::UnknownField,
            root.push(Seg::Raw(param.span.start, name_end)),
            param.span.clone(),
            || format!("{} is not a parameter of the GET event; the API ignores it", excerpt(&param.name)),
            did_you_mean(param.name.trim(), NAMES).map(|m| format!("did you mean `{m}`?")),
        );
    }
    let [api_key, event_name, event_unique_id, event_time] = &parsed.single;
    match api_key {
        Some(key) => check_text(
            &mut sink,
            root.push(Seg::Name("apiKey")),
            key.span.clone(),
            TextBound::ApiKey,
            "apiKey",
            &key.value,
        ),
        None if http.path_key.is_none() => sink.emit(
            Rule::MissingApiKey,
            root.push(Seg::Name("apiKey")),
            whole.clone(),
            || "no apiKey parameter".into(),
            Some("add apiKey=<your key> to the query".into()),
        ),
        None => {}
    }
    for (param, name) in [(event_name, "eventName"), (event_unique_id, "eventUniqueId")] {
        match param {
            Some(p) => check_text(
                &mut sink,
                root.push(Seg::Name(name)),
                p.span.clone(),
                TextBound::Required255,
                name,
                &p.value,
            ),
            None => sink.emit(
                Rule::MissingField,
                root.push(Seg::Name(name)),
                whole.clone(),
                || format!("{name} is required"),
                None,
            ),
        }
    }
    if let Some(time) = event_time {
        check_time_text(
            &mut sink,
            root.push(Seg::Name("eventTime")),
            time.span.clone(),
            &time.value,
            true,
            options.now(),
        );
    }
    for (list, name) in [(&parsed.names, "propertyNames"), (&parsed.values, "propertyValues")] {
        for (i, param) in list.iter().enumerate() {
            let label = if name == "propertyNames" { "a property name" } else { "a property value" };
            check_text(
                &mut sink,
                root.push(Seg::Name(name)).push(Seg::Index(i)),
                param.span.clone(),
                TextBound::QueryProperty,
                label,
                &param.value,
            );
        }
    }
    let (names, values) = (parsed.names.len(), parsed.values.len());
    if names != values {
        let extra = if names > values { &parsed.names[values] } else { &parsed.values[names] };
        sink.emit(
            Rule::PropertyCountMismatch,
            root.push(Seg::Name(if names > values { "propertyNames" } else { "propertyValues" }))
                .push(Seg::Index(names.min(values))),
            extra.span.clone(),
            || format!("{names} propertyNames but {values} propertyValues; they must pair up"),
            Some("send each propertyNames=<name> followed by its propertyValues=<value>".into()),
        );
    }
    // A few names are compared with each other; more go through a set, so
    // that a query of any length costs linear time.
    let mut seen = (parsed.names.len() > SCANNED_NAMES)
        .then(|| rustc_hash::FxHashSet::with_capacity_and_hasher(parsed.names.len(), Default::default()));
    for (i, param) in parsed.names.iter().enumerate() {
        let repeated = match &mut seen {
            Some(seen) => !seen.insert(param.value.as_ref()),
            None => parsed.names[..i].iter().any(|earlier| earlier.value == param.value),
        };
        if repeated {
            sink.emit(
                Rule::DuplicateKey,
                root.push(Seg::Name("propertyNames")).push(Seg::Index(i)),
                param.span.clone(),
                || format!("property {} is given twice", excerpt(&param.value)),
                None,
            );
        }
    }
    if let Some(checker) = options.checker() {
        let view =
            EventView::of_query(input, event_name.as_ref().map(|p| p.value.as_ref()), &parsed.names, &parsed.values);
        let place = Place::Query {
            name: event_name.as_ref().map(|p| p.span.clone()),
            names: &parsed.names,
            values: &parsed.values,
            whole,
        };
        checker.check_event(&view, &mut Findings::new(&mut sink, place));
    }
    sink.finish(DetectedKind::Given(http.kind.unwrap_or(RequestKind::EventQuery)))
}

/// Reports every parameter whose encoding is broken; returns whether there was one.
fn report_encoding_faults(sink: &mut Sink<'_>, parsed: &Parsed<'_>) -> bool {
    let source = sink.source;
    let mut any = false;
    let lists = [("propertyNames", &parsed.names), ("propertyValues", &parsed.values)];
    let listed = lists.iter().flat_map(|&(name, list)| list.iter().enumerate().map(move |(i, p)| (Some((name, i)), p)));
    let others = parsed.single.iter().flatten().chain(&parsed.repeats).chain(&parsed.unknown).map(|p| (None, p));
    for (place, param) in listed.chain(others) {
        let Some(fault) = param.fault else { continue };
        any = true;
        // The `%` and what follows of its escape, never part of a character.
        let end = if source.get(fault.at) == Some(&b'%') {
            fault.at + 1 + source[fault.at + 1..].iter().take(2).take_while(|b| b.is_ascii()).count()
        } else {
            fault.at
                + std::str::from_utf8(&source[fault.at..]).ok().and_then(|s| s.chars().next()).map_or(1, char::len_utf8)
        };
        let span = fault.at..end.min(param.span.end);
        let raw = String::from_utf8_lossy(&source[span.clone()]).into_owned();
        let name_end =
            param.span.start + source[param.span.clone()].iter().position(|&b| b == b'=').unwrap_or(param.span.len());
        let single = SINGLE.iter().find(|&&n| n == param.name).copied();
        let named = |name: &'static str| ROOT.push(Seg::Name(name));
        let (list_root, single_root, raw_root);
        let path = match (place, single) {
            (Some((name, i)), _) => {
                list_root = named(name);
                list_root.push(Seg::Index(i))
            }
            (None, Some(name)) => {
                single_root = named(name);
                single_root
            }
            (None, None) => {
                raw_root = ROOT.push(Seg::Raw(param.span.start, name_end));
                raw_root
            }
        };
        let label = String::from_utf8_lossy(&source[param.span.start..name_end]).into_owned();
        sink.emit(
            Rule::InvalidQueryEncoding,
            path,
            span,
            || {
                if fault.not_utf8 {
                    format!("the parameter {} does not decode to UTF-8 (at `{raw}`)", excerpt(&label))
                } else {
                    format!("the parameter {} has a `%` that starts no escape: `{raw}`", excerpt(&label))
                }
            },
            Some("percent-encode names and values as UTF-8, each byte as %XX (encodeURIComponent in JavaScript, urllib.parse.quote in Python)".into()),
        );
    }
    any
}

impl EventQuery {
    /// Reads a query string (or a whole URL) as the strict profile does
    /// (with the `lint` feature, on by default: the query's parser is the
    /// lint engine's).
    ///
    /// # Errors
    ///
    /// The first error the strict profile reports, with its rule.
    ///
    /// ```
    /// use indicative_contract::{EventQuery, Rule};
    /// let err = EventQuery::from_query("apiKey=K&eventName=E&eventUniqueId=u&propertyNames=a").unwrap_err();
    /// assert_eq!(err.rule(), Rule::PropertyCountMismatch);
    /// ```
    pub fn from_query(input: &str) -> Result<Self, ContractError> {
        let options = LintOptions::new(0).with_profile(Profile::Strict);
        let parts = split(input);
        let parsed = parse(parts.1, parts.2);
        let report = lint_parsed(input, parts, &parsed, &RequestInfo::default(), &options);
        if let Some(error) = report.diagnostics.iter().find(|d| d.severity == Severity::Error) {
            return Err(ContractError::new(error.rule, error.message.clone()));
        }
        let value = |slot: usize| parsed.single[slot].as_ref().map(|p| p.value.as_ref()).unwrap_or_default();
        let properties = parsed
            .names
            .iter()
            .zip(&parsed.values)
            .map(|(n, v)| Ok((QueryProperty::new(n.value.as_ref())?, QueryProperty::new(v.value.as_ref())?)))
            .collect::<Result<_, ContractError>>()?;
        let event_time = match &parsed.single[3] {
            // A GET sends every number as text: here a decimal string is the number.
            Some(p) if crate::time::is_decimal_string(&p.value) => {
                Some(EventTime::from_number(p.value.parse().unwrap_or(f64::INFINITY))?)
            }
            Some(p) => Some(EventTime::parse(&p.value)?),
            None => None,
        };
        Ok(Self {
            api_key: ApiKey::new(value(0))?,
            event_name: EventName::new(value(1))?,
            event_unique_id: EventUniqueId::new(value(2))?,
            properties,
            event_time,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// Repeated property names are found the same way in a short query
    /// (compared one by one) and a long one (through a set).
    #[test]
    fn repeated_property_names_are_found_in_queries_of_any_length() {
        for count in [5, super::SCANNED_NAMES + 30] {
            // Every fifth name repeats the one four before it.
            let names: Vec<String> =
                (0..count).map(|i| if i % 5 == 4 { format!("p{}", i - 4) } else { format!("p{i}") }).collect();
            let query: String = names.iter().map(|n| format!("&propertyNames={n}&propertyValues=v")).collect();
            let input = format!("/service/event?apiKey=k&eventName=e&eventUniqueId=u{query}");
            let report = super::lint(&input, &super::RequestInfo::default(), &super::LintOptions::new(0));
            let repeated: Vec<&str> = report
                .diagnostics
                .iter()
                .filter(|d| d.rule.code() == "duplicate-key")
                .map(|d| d.pointer.as_str())
                .collect();
            let expected: Vec<String> = (4..count).step_by(5).map(|i| format!("/propertyNames/{i}")).collect();
            assert_eq!(repeated, expected, "{count} names");
        }
    }

    proptest! {
        /// Names and values read as `form_urlencoded` reads them.
        #[test]
        fn decode_agrees_with_form_urlencoded(piece in "([a-z=+ é]|%[0-9A-Fa-fG]{0,2}|%[EF][0-9A-F]%[89AB][0-9A-F]){0,12}") {
            let expected = form_urlencoded::parse(piece.as_bytes()).next().unwrap_or_default();
            let parsed = super::parse(&piece, 0);
            let param = parsed.single.iter().flatten().chain(&parsed.repeats).chain(&parsed.names)
                .chain(&parsed.values).chain(&parsed.unknown).next();
            match param {
                Some(param) => {
                    prop_assert_eq!(&param.name, &expected.0);
                    prop_assert_eq!(&param.value, &expected.1);
                }
                None => prop_assert!(piece.is_empty() || piece.split('&').all(str::is_empty)),
            }
        }

        /// A whole query is read as `form_urlencoded` reads it, and each
        /// parameter is filed under its decoded name: the first of each
        /// single one, the repeats after it, the property names and values,
        /// the rest.
        #[test]
        fn every_parameter_is_filed_under_its_name(pieces in prop::collection::vec((
            prop::sample::select(vec!["apiKey", "eventName", "eventUniqueId", "eventTime", "propertyNames",
                "propertyValues", "other", "api%4Bey", "property+Names", "eventname", ""]),
            "[a-z+%\u{e9}=]{0,6}",
        ), 0..12)) {
            let query = pieces.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join("&");
            let expected: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
            let parsed = super::parse(&query, 0);
            let mut all: Vec<&super::Param<'_>> = parsed.single.iter().flatten().chain(&parsed.repeats)
                .chain(&parsed.names).chain(&parsed.values).chain(&parsed.unknown).collect();
            all.sort_by_key(|p| p.span.start);
            let read: Vec<(String, String)> = all.iter().map(|p| (p.name.to_string(), p.value.to_string())).collect();
            prop_assert_eq!(&read, &expected, "{}", query);
            let named = |name: &str| expected.iter().filter(|(n, _)| n == name).map(|(_, v)| v.clone()).collect::<Vec<_>>();
            let values = |list: &[super::Param<'_>]| list.iter().map(|p| p.value.to_string()).collect::<Vec<_>>();
            for (slot, name) in super::SINGLE.iter().enumerate() {
                prop_assert_eq!(parsed.single[slot].as_ref().map(|p| p.value.to_string()), named(name).first().cloned());
            }
            let repeated: usize = super::SINGLE.iter().map(|name| named(name).len().saturating_sub(1)).sum();
            prop_assert_eq!(parsed.repeats.len(), repeated);
            prop_assert_eq!(values(&parsed.names), named("propertyNames"));
            prop_assert_eq!(values(&parsed.values), named("propertyValues"));
        }
    }
}

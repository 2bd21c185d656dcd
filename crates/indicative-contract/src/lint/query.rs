//! GET `/service/event`: the query string linted, and read into an
//! [`EventQuery`] ([`EventQuery::from_query`] lives here, beside the parser
//! it shares with the lint: the model does not depend on the engine).

use std::borrow::Cow;
use std::ops::Range;

use super::checks::excerpt;
use super::checks::http::check_http;
use super::checks::text::check_text;
use super::checks::time::check_time_text;
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
const NAMES: [&str; 6] = ["apiKey", "eventName", "eventUniqueId", "eventTime", "propertyNames", "propertyValues"];

/// One `name=value` pair, decoded, with its place in the input.
pub(crate) struct Param<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) value: Cow<'a, str>,
    pub(crate) span: Range<usize>,
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
        Some(at) => (Some(&input[..at]), &input[at + 1..], at + 1),
        None if input.starts_with('/') || input.contains("://") => (Some(input), "", input.len()),
        None => (None, input, 0),
    }
}

pub(crate) fn parse(query: &str, offset: usize) -> Parsed<'_> {
    let mut parsed = Parsed::default();
    let mut at = offset;
    for piece in query.split('&') {
        let span = at..at + piece.len();
        at += piece.len() + 1;
        if piece.is_empty() {
            continue;
        }
        let (name, value) = form_urlencoded::parse(piece.as_bytes()).next().unwrap_or_default();
        let param = Param { name, value, span };
        if let Some(slot) = SINGLE.iter().position(|&n| n == param.name) {
            match &parsed.single[slot] {
                Some(_) => parsed.repeats.push(param),
                None => parsed.single[slot] = Some(param),
            }
        } else if param.name == "propertyNames" {
            parsed.names.push(param);
        } else if param.name == "propertyValues" {
            parsed.values.push(param);
        } else {
            parsed.unknown.push(param);
        }
    }
    parsed
}

pub(crate) fn lint(input: &str, request: &RequestInfo, options: &LintOptions) -> Report {
    let (_, query, offset) = split(input);
    lint_parsed(input, &parse(query, offset), request, options)
}

/// Lints a query already parsed from `input`.
fn lint_parsed(input: &str, parsed: &Parsed<'_>, request: &RequestInfo, options: &LintOptions) -> Report {
    let source = input.as_bytes();
    let mut sink = Sink::new(source, options);
    let (path, query, offset) = split(input);
    let http_request = match (&request.path, path) {
        (Some(_), _) => request.clone(),
        (None, Some(_)) => RequestInfo::http(request.method.as_deref().unwrap_or("GET"), input, None),
        (None, None) => RequestInfo::default(),
    };
    let http = check_http(&mut sink, &http_request);
    let whole = offset..offset + query.len();
    if sink.has_errors() {
        // A request that reaches no GET endpoint (404, 405) has its
        // parameters read by no one.
        return sink.finish(DetectedKind::Given(http.kind.unwrap_or(RequestKind::EventQuery)));
    }
    let root = ROOT;

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
    for (i, param) in parsed.names.iter().enumerate() {
        if parsed.names[..i].iter().any(|earlier| earlier.value == param.value) {
            sink.emit(
                Rule::DuplicateKey,
                root.push(Seg::Name("propertyNames")).push(Seg::Index(i)),
                param.span.clone(),
                || format!("property {} is given twice", excerpt(&param.value)),
                None,
            );
        }
    }
    sink.finish(DetectedKind::Given(http.kind.unwrap_or(RequestKind::EventQuery)))
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
        let (_, query, offset) = split(input);
        let parsed = parse(query, offset);
        let report = lint_parsed(input, &parsed, &RequestInfo::default(), &options);
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

//! The fuzz targets' bodies and the invariants they check beyond "no
//! panic", as plain functions: `fuzz/fuzz_targets/` calls them under
//! libFuzzer (`cargo xtask fuzz`), and `tests/tests/fuzz_regressions.rs`
//! replays the committed seeds and every input that once failed through
//! them on the stable toolchain.

#![allow(clippy::missing_panics_doc)]

use std::cell::RefCell;

use indicative_contract::input::array::ArrayCutter;
use indicative_contract::input::{Format, HarCutter, Payload, is_array, split as split_input};
use indicative_contract::{
    LintOptions, Linter, Profile, Report, RequestInfo, RequestKind, Rule, Status, line_column, lint_body as lint,
    lint_query as lint_get, normalize_body, normalize_query,
};
use indicative_plan::Plan;
use serde_json::Value;

use crate::corpus::Case;
use crate::query_as_object;

/// The request kinds a selector byte picks from (`None`: detected from the body).
pub const KINDS: [Option<RequestKind>; 8] = [
    None,
    Some(RequestKind::Event),
    Some(RequestKind::Batch),
    Some(RequestKind::Identify),
    Some(RequestKind::Alias),
    Some(RequestKind::Suppress),
    Some(RequestKind::Delete),
    Some(RequestKind::Event),
];

/// The fixed "now" of every target, so that a crash replays.
pub const NOW: i64 = 1_700_006_400_000;

/// The report's status is the worst of its diagnostics' statuses, and every
/// span lies inside `source`, on character boundaries when it is UTF-8.
///
/// # Panics
///
/// When an invariant does not hold.
pub fn check_report(report: &Report, source: &[u8]) {
    let worst = report.diagnostics.iter().fold(Status::Ok, |worst, d| worst.worst(d.status));
    assert_eq!(report.status, worst, "the status is not the worst of {:#?}", report.diagnostics);
    let text = std::str::from_utf8(source).ok();
    for d in &report.diagnostics {
        assert!(d.span.start <= d.span.end && d.span.end <= source.len(), "{d:?} outside {} bytes", source.len());
        if let Some(text) = text {
            assert!(
                text.is_char_boundary(d.span.start) && text.is_char_boundary(d.span.end),
                "{d:?} splits a character"
            );
        }
        assert!(d.pointer.is_empty() || d.pointer.starts_with('/'), "{d:?}: not a JSON Pointer");
        assert!(!d.message.is_empty(), "{d:?}: no message");
    }
}

/// Every pointer resolves in `document`, or names a member that is missing
/// (`missing-field`, `missing-api-key`, `identify-without-properties`) of a
/// value that is there.
///
/// # Panics
///
/// When a pointer leads nowhere.
pub fn check_pointers(report: &Report, document: &Value) {
    check_pointers_with(report, |pointer| document.pointer(pointer).is_some(), document, document);
}

/// [`check_pointers`] on a JSON body whose objects may repeat a member: the
/// engine checks every value of a repeated member (contract: `duplicate-key`),
/// where `serde_json::Value` keeps only the last, so a pointer resolves when
/// it leads to a value in the document read with every member kept.
///
/// # Panics
///
/// When a pointer leads nowhere, or the body is not JSON.
pub fn check_body_pointers(report: &Report, body: &[u8]) {
    let document: Document = serde_json::from_slice(body).expect("the caller has read the body as JSON");
    let value: Value = serde_json::from_slice(body).expect("the caller has read the body as JSON");
    let shown = String::from_utf8_lossy(body);
    check_pointers_with(report, |pointer| document.resolves(pointer), &value, &shown);
}

/// Every pointer that leads to a value in `value`, the root's included.
fn pointers_in(value: &Value, at: &mut String, out: &mut Vec<String>) {
    out.push(at.clone());
    let len = at.len();
    let mut enter = |token: &str, item: &Value, at: &mut String| {
        at.push('/');
        at.push_str(&token.replace('~', "~0").replace('/', "~1"));
        pointers_in(item, at, out);
        at.truncate(len);
    };
    match value {
        Value::Object(members) => members.iter().for_each(|(name, item)| enter(name, item, at)),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, item)| enter(&i.to_string(), item, at)),
        _ => {}
    }
}

/// `resolves`, or a pointer that the report shows with a key-like text in
/// it masked (a parameter named `x apiKey:KEY`: every message, help and
/// pointer has its keys hidden) is one of `value`'s, masked.
fn check_pointers_with(report: &Report, resolves: impl Fn(&str) -> bool, value: &Value, shown: &dyn std::fmt::Display) {
    let masked = std::cell::OnceCell::new();
    let resolves = |pointer: &str| {
        resolves(pointer)
            || masked
                .get_or_init(|| {
                    let mut all = Vec::new();
                    pointers_in(value, &mut String::new(), &mut all);
                    all.iter().map(|p| indicative_contract::keys::mask_loose(p).into_owned()).collect::<Vec<_>>()
                })
                .iter()
                .any(|p| p == pointer)
    };
    for d in &report.diagnostics {
        if resolves(&d.pointer) {
            continue;
        }
        let parent = d.pointer.rsplit_once('/').map_or("", |(parent, _)| parent);
        assert!(
            matches!(d.rule, Rule::MissingField | Rule::MissingApiKey | Rule::IdentifyWithoutProperties)
                && resolves(parent),
            "{} at {:?} does not resolve in {shown}",
            d.rule.code(),
            d.pointer
        );
    }
}

/// A JSON document read with every member of every object kept, in order,
/// repeated names included; a scalar is kept only as being one (a pointer
/// may end at it, but goes through none).
enum Document {
    Scalar,
    Array(Vec<Document>),
    Object(Vec<(String, Document)>),
}

impl Document {
    /// Whether the JSON Pointer (RFC 6901) leads to a value, taking at each
    /// repeated member any of its values.
    fn resolves(&self, pointer: &str) -> bool {
        if pointer.is_empty() {
            return true;
        }
        let Some(rest) = pointer.strip_prefix('/') else { return false };
        let tokens: Vec<String> = rest.split('/').map(|t| t.replace("~1", "/").replace("~0", "~")).collect();
        self.walk(&tokens)
    }

    fn walk(&self, tokens: &[String]) -> bool {
        let Some((token, rest)) = tokens.split_first() else { return true };
        match self {
            Document::Scalar => false,
            Document::Array(items) => {
                // As serde_json reads an index: digits, no sign, no leading zero.
                let canonical = !token.starts_with('+') && (token.len() == 1 || !token.starts_with('0'));
                canonical && token.parse::<usize>().ok().and_then(|i| items.get(i)).is_some_and(|item| item.walk(rest))
            }
            Document::Object(members) => members.iter().any(|(name, value)| name == token && value.walk(rest)),
        }
    }
}

impl<'de> serde::Deserialize<'de> for Document {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Read;
        impl<'de> serde::de::Visitor<'de> for Read {
            type Value = Document;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Document, E> {
                Ok(Document::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Document, E> {
                Ok(Document::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Document, E> {
                Ok(Document::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Document, E> {
                Ok(Document::Scalar)
            }
            fn visit_str<E>(self, _: &str) -> Result<Document, E> {
                Ok(Document::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Document, E> {
                Ok(Document::Scalar)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Document, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Document::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Document, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry::<String, Document>()? {
                    members.push(member);
                }
                Ok(Document::Object(members))
            }
        }
        deserializer.deserialize_any(Read)
    }
}

/// Where the engine (strict profile) and the jsonschema crate differ on
/// `case`, a rule listed under the schema's `x-inexpressible` explains it.
///
/// # Panics
///
/// When the difference is unexplained.
pub fn check_schema_agreement(case: &Case, report: &Report) {
    use crate::differential::{Validators, explain, listed};
    let instance: Option<Value> = serde_json::from_str(&case.text).ok();
    let validators = Validators::get();
    for (engine, all) in [("fancy-regex", &validators.fancy), ("regex", &validators.regex)] {
        let validator_ok = instance.as_ref().is_some_and(|i| all[&case.kind].is_valid(i));
        if validator_ok != report.has_errors() {
            continue;
        }
        match explain(case, report, instance.as_ref(), validator_ok) {
            Ok(rules) => {
                let listed = listed(case.kind);
                assert!(
                    rules.is_subset(&listed),
                    "{:?} explain a difference under {engine}, but only {listed:?} are listed\n{case:?}",
                    rules
                );
            }
            Err(why) => panic!("{why} (schema under {engine}: {validator_ok})\n{case:?}\n{:#?}", report.diagnostics),
        }
    }
}

thread_local! {
    /// One linter per profile, reused as the CLI reuses them, so that a
    /// scratch buffer leaking from one body to the next shows.
    static LINTERS: RefCell<[Linter; 2]> = RefCell::new([
        Linter::new(LintOptions::new(NOW)),
        Linter::new(LintOptions::new(NOW).with_profile(Profile::Strict)),
    ]);
}

/// `lint_body` for every kind (given, or detected), both profiles, the key in
/// the body or the path, with and without the HTTP request. The first byte
/// picks these; the rest is the body.
pub fn lint_body(data: &[u8]) {
    let Some((&selector, body)) = data.split_first() else { return };
    let kind = KINDS[usize::from(selector & 7)];
    let strict = selector & 8 != 0;
    let path_key = selector & 16 != 0 && kind.is_some_and(|k| k.takes_key_in_path());
    let http = selector & 32 != 0;
    let path = kind.map(|k| if path_key { format!("{}/K3y-in-path", k.path()) } else { k.path().to_owned() });
    let request = match (&path, http) {
        (Some(path), true) => {
            RequestInfo { kind, ..RequestInfo::http("POST", path, Some("application/json; charset=UTF-8")) }
        }
        (path, _) => RequestInfo { kind, path: path.clone().filter(|_| path_key), ..RequestInfo::default() },
    };
    let options = LintOptions::new(NOW).with_profile(if strict { Profile::Strict } else { Profile::Default });

    let report = lint(body, &request, &options);
    check_report(&report, body);
    LINTERS.with_borrow_mut(|linters| {
        let linter = &mut linters[usize::from(strict)];
        assert_eq!(linter.lint_body(body, &request), report, "a reused linter differs from a new one");
        assert_eq!(linter.verdict(body, &request), report.status, "the verdict differs from the report's status");
    });

    match serde_json::from_slice::<Value>(body) {
        Ok(_) => check_body_pointers(&report, body),
        // serde_json stops at 128 levels, the engine at 1000; and serde_json
        // refuses a number with no f64 (`8e7000000`), which JSON allows and
        // the engine reads (an eventTime that large is invalid-event-time).
        Err(e) if e.to_string().contains("recursion limit") || e.to_string().contains("number out of range") => {}
        Err(e) => assert!(report.has_errors(), "serde_json refuses it ({e}), the engine accepts it"),
    }

    // What the API is predicted to store lints without an error.
    if let Some(mut stored) = normalize_body(body, &report, &request) {
        let now = Value::from("now");
        if let Some(object) = stored.as_object_mut() {
            object.retain(|_, v| *v != now);
        }
        for item in stored.get_mut("events").and_then(Value::as_array_mut).into_iter().flatten() {
            if let Some(object) = item.as_object_mut() {
                object.retain(|_, v| *v != now);
            }
        }
        let bytes = serde_json::to_vec(&stored).expect("JSON");
        let again = lint(&bytes, &RequestInfo { kind: report.kind.kind(), ..RequestInfo::default() }, &options);
        assert!(!again.has_errors(), "the stored form {stored} has errors: {:#?}", again.diagnostics);
    }

    // The strict profile is the schema, outside x-inexpressible.
    if strict
        && !http
        && let (Some(kind), Ok(text)) = (kind, std::str::from_utf8(body))
    {
        let case = Case { kind, text: text.to_owned(), query: None, path_key };
        check_schema_agreement(&case, &report);
    }
}

/// `lint_query` on a query string, a path with a query, or a URL, in both
/// profiles, with and without the HTTP request. The first byte picks these;
/// the rest is the query.
pub fn lint_query(data: &[u8]) {
    let Some((&selector, rest)) = data.split_first() else { return };
    let query = String::from_utf8_lossy(rest);
    let strict = selector & 1 != 0;
    let url = match (selector >> 1) & 3 {
        0 => query.clone().into_owned(),
        1 => format!("/service/event?{query}"),
        2 => format!("https://api.indicative.com/service/event?{query}"),
        _ => format!("/service/event/batch?{query}"),
    };
    let request = if selector & 8 != 0 { RequestInfo::http("GET", &url, None) } else { RequestInfo::default() };
    let options = LintOptions::new(NOW).with_profile(if strict { Profile::Strict } else { Profile::Default });

    let report = lint_get(&url, &request, &options);
    check_report(&report, url.as_bytes());
    if report.status.code() == 200 {
        assert!(normalize_query(&url, &report).is_some(), "accepted, but nothing to store");
    }

    // A bare query, as the differential reads it: its parameters as an object.
    let bare = (selector >> 1) & 3 == 0 && selector & 8 == 0;
    let plain = !query.contains(['?', '#']) && !query.starts_with('/') && !query.starts_with("http");
    if bare && plain {
        let object = query_as_object(&query);
        check_pointers(&report, &object);
        if strict {
            let case = Case {
                kind: RequestKind::EventQuery,
                text: object.to_string(),
                query: Some(query.into_owned()),
                path_key: false,
            };
            check_schema_agreement(&case, &report);
        }
    }
}

/// Input splitting: JSON (one payload or an array), NDJSON, URL lists and
/// HAR. The first byte picks the format and, for arrays, the size of the
/// blocks a streaming reader feeds the cutter; the rest is the file.
pub fn split(data: &[u8]) {
    let Some((&selector, content)) = data.split_first() else { return };
    let format = [Format::Json, Format::Ndjson, Format::Urls, Format::Har][usize::from(selector & 3)];
    if format == Format::Har {
        // Streamed in blocks of any size, a HAR is cut into the same
        // entries, with the same verdict; and one that serde_json reads as
        // a HAR is one.
        let whole = cut_har(content, content.len());
        assert_eq!(cut_har(content, usize::from(selector >> 2)), whole);
        #[derive(serde::Deserialize)]
        struct Har {
            #[allow(dead_code)]
            log: Log,
        }
        #[derive(serde::Deserialize)]
        struct Log {
            #[allow(dead_code)]
            entries: Vec<serde::de::IgnoredAny>,
        }
        // (Read as a `Value` too: serde_json checks the UTF-8 and the
        // surrogates of the strings it ignores less than of those it reads.)
        if serde_json::from_slice::<Har>(content).is_ok() && serde_json::from_slice::<Value>(content).is_ok() {
            assert_eq!(whole.1, None, "serde_json reads a HAR here");
        }
    }
    let Ok(documents) = split_input(format, content) else {
        assert_eq!(format, Format::Har, "only a HAR file may fail to split");
        return;
    };
    let mut linter = Linter::new(LintOptions::new(NOW));
    // Where the last document was placed, so that each is placed from
    // there (from the file's start each time, a file of many documents
    // took time of the square of its size, and one input could run for
    // minutes past the fuzz step's time cap).
    let mut placed = (0, (1, 1));
    for (index, document) in documents.iter().enumerate() {
        assert_eq!(document.index, index);
        if let Some(offset) = document.offset {
            // A document that stands verbatim in the file is found where it
            // says, at the line and column it says.
            if format != Format::Urls || std::str::from_utf8(content).is_ok() {
                assert_eq!(content.get(offset..offset + document.source().len()), Some(document.source()));
            }
            placed = place_from(content, placed, offset);
            assert_eq!((document.line, document.column), placed.1, "document {index}");
        }
        check_report(&document.lint(&mut linter), document.source());
        if format == Format::Har {
            assert!(matches!(document.payload, Payload::Body { .. } | Payload::Query { .. }));
        }
    }

    if format == Format::Json && is_array(content) {
        // Streamed in blocks of any size, the cutter cuts the same items.
        let block = usize::from(selector >> 2).max(1);
        let mut cutter = ArrayCutter::new();
        let mut items = Vec::new();
        let mut base = 0;
        let mut end = 0;
        while end < content.len() {
            end = (end + block).min(content.len());
            cutter.feed(&content[base..end], base, &mut items);
            base = cutter.pending_from().unwrap_or(end);
        }
        cutter.finish(content.len(), &mut items);
        let streamed: Vec<&[u8]> = items.iter().map(|item| &content[item.range.clone()]).collect();
        let whole: Vec<&[u8]> = documents.iter().map(|d| d.source()).collect();
        assert_eq!(streamed, whole, "blocks of {block} bytes");

        // An array that serde_json reads is cut into its items.
        if let Ok(Value::Array(values)) = serde_json::from_slice::<Value>(content) {
            assert_eq!(documents.len(), values.len(), "items");
            for (document, value) in documents.iter().zip(&values) {
                let read: Value = serde_json::from_slice(document.source()).expect("an item of a valid array is JSON");
                assert_eq!(&read, value);
            }
        }
    }
}

/// The line and column of byte `offset` in `content`, given those of an
/// earlier offset (`from`, as `(offset, (line, column))`); counted from the
/// start when `offset` is before it. Agrees with [`line_column`], which
/// counts from the start each time (checked in a test).
fn place_from(content: &[u8], from: (usize, (usize, usize)), offset: usize) -> (usize, (usize, usize)) {
    let (start, (line, column)) = from;
    if offset < start {
        return (offset, line_column(content, offset));
    }
    let between = &content[start.min(content.len())..offset.min(content.len())];
    let place = match between.iter().rposition(|&b| b == b'\n') {
        Some(last) => {
            let lines = between.iter().filter(|&&b| b == b'\n').count();
            let column = between[last + 1..].iter().filter(|&&b| (b & 0xC0) != 0x80).count() + 1;
            (line + lines, column)
        }
        None => (line, column + between.iter().filter(|&&b| (b & 0xC0) != 0x80).count()),
    };
    (offset, place)
}

/// A HAR's entries (as text) and error, fed to the cutter `block` bytes at a
/// time as a streaming reader does.
fn cut_har(content: &[u8], block: usize) -> (Vec<&[u8]>, Option<String>) {
    let block = block.max(1);
    let mut cutter = HarCutter::new();
    let mut items = Vec::new();
    let (mut base, mut end) = (0, 0);
    while end < content.len() {
        end = (end + block).min(content.len());
        cutter.feed(&content[base..end], base, &mut items);
        base = cutter.pending_from().unwrap_or(end);
    }
    cutter.finish(content.len(), &mut items);
    (items.iter().map(|item| &content[item.range.clone()]).collect(), cutter.error().map(ToString::to_string))
}

/// The config file (`indicative.toml`): read as `indicative lint` reads it.
pub fn config(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(message) = indicative_cli::check_config(text) {
        // Every fault names the file it is in.
        assert!(message.starts_with("indicative.toml: "), "{message}");
    }
}

/// The tracking plan loader (YAML and JSON): every mistake has a place in
/// the text, and a plan that loads is written back as the same plan.
pub fn plan(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Plan::from_text("p.yaml", text) {
        Err(errors) => {
            // YAML breaks lines at a line feed, a carriage return, or both.
            let lines = 1 + text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
            let mut last = (0, 0);
            for error in errors.iter() {
                assert!(error.line >= 1 && error.line <= lines, "{error} of {lines} lines");
                assert!(error.column >= 1, "{error}");
                assert!(!error.message.is_empty());
                assert!((error.line, error.column) >= last, "errors out of order");
                last = (error.line, error.column);
            }
        }
        Ok(plan) => {
            let yaml = indicative_plan::write::to_yaml(&plan);
            match Plan::from_text("again.yaml", &yaml) {
                Ok(again) => assert_eq!(again, plan, "{yaml}"),
                Err(errors) => panic!("the written plan does not load:\n{errors}\n{yaml}"),
            }
            let _ = indicative_plan::export::json_schemas(&plan);
            let _ = indicative_plan::export::openapi(&plan);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Document, line_column, place_from};

    #[test]
    fn places_counted_on_from_the_last_agree_with_counting_from_the_start() {
        let text = "a\u{e9}\nb\n\nc\u{1F600}d\r\ne".as_bytes();
        // Every offset from every earlier one (and from later ones, which
        // count from the start).
        for from in 0..=text.len() {
            for offset in 0..=text.len() + 1 {
                let start = (from, line_column(text, from));
                assert_eq!(place_from(text, start, offset), (offset, line_column(text, offset)), "{from} to {offset}");
            }
        }
    }

    #[test]
    fn a_pointer_resolves_in_any_value_of_a_repeated_member() {
        let document: Document =
            serde_json::from_str(r#"{"properties": {"a": 1}, "properties": 2, "events": [{"x~/y": 0}]}"#).unwrap();
        for pointer in ["", "/properties", "/properties/a", "/events/0", "/events/0/x~0~1y"] {
            assert!(document.resolves(pointer), "{pointer}");
        }
        for pointer in [
            "properties",
            "/properties/b",
            "/properties/a/0",
            "/events/1",
            "/events/00",
            "/events/+0",
            "/events/0/x~/y",
        ] {
            assert!(!document.resolves(pointer), "{pointer}");
        }
    }
}

//! The differential corpus: payloads of every kind that validators in other
//! languages judge against the committed schemas, beside the engine's strict
//! profile (`tests/tests/validators.rs`, `scripts/check-validators.sh`).
//!
//! It holds hand-picked near misses (trailing line feeds and carriage
//! returns, astral characters at the 255 boundary, raw and escaped, offsets
//! that cross 1970 or 9999, leap days and leap seconds, lone surrogate
//! escapes, bad percent-escapes, a key in the path) and bodies drawn from the
//! generators of this crate with a fixed seed, so that every run, in every
//! language, judges the same payloads.

use indicative_contract::RequestKind;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::{ALIAS, BATCH, DELETE, EVENT, IDENTIFY, SUPPRESS, object, query_as_object, query_param};

/// One payload of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// The request kind, whose schema judges `text`.
    pub kind: RequestKind,
    /// The JSON text a validator parses: the body, or for a GET the query as
    /// the event-query schema sees it ([`query_as_object`]).
    pub text: String,
    /// A GET's raw query, which the engine lints.
    pub query: Option<String>,
    /// The API key given in the path (`/service/<kind>/KEY`) instead of the body.
    pub path_key: bool,
}

impl Case {
    fn body(kind: RequestKind, text: impl Into<String>) -> Self {
        Self { kind, text: text.into(), query: None, path_key: false }
    }

    fn query(query: impl Into<String>) -> Self {
        let query = query.into();
        let text = query_as_object(&query).to_string();
        Self { kind: RequestKind::EventQuery, text, query: Some(query), path_key: false }
    }
}

/// How many generated payloads of each kind the corpus holds.
pub const GENERATED_PER_KIND: usize = 1500;

/// The corpus: the near misses, then the generated payloads, always the same.
///
/// ```
/// let corpus = indicative_tests::corpus::corpus();
/// assert_eq!(corpus, indicative_tests::corpus::corpus());
/// assert!(corpus.iter().any(|case| case.text.contains("\\ud800")));
/// ```
#[must_use]
pub fn corpus() -> Vec<Case> {
    let mut cases = near_misses();
    let post = [
        (RequestKind::Event, EVENT),
        (RequestKind::Batch, BATCH),
        (RequestKind::Identify, IDENTIFY),
        (RequestKind::Alias, ALIAS),
        (RequestKind::Suppress, SUPPRESS),
        (RequestKind::Delete, DELETE),
    ];
    for (seed, (kind, (fields, foreign))) in (1u8..).zip(post) {
        let mut runner = seeded(seed);
        let strategy = object(fields, foreign);
        cases.extend((0..GENERATED_PER_KIND).map(|_| Case::body(kind, draw(&strategy, &mut runner))));
    }
    let mut runner = seeded(99);
    let strategy = proptest::collection::vec(query_param(), 0..9).prop_map(|params| params.join("&"));
    cases.extend((0..GENERATED_PER_KIND).map(|_| Case::query(draw(&strategy, &mut runner))));
    cases
}

fn seeded(seed: u8) -> TestRunner {
    TestRunner::new_with_rng(Config::default(), TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]))
}

fn draw<S: Strategy>(strategy: &S, runner: &mut TestRunner) -> S::Value {
    strategy.new_tree(runner).expect("the generators never reject").current()
}

/// An event body with `member` (JSON text of `"name":value`) beside valid fields.
fn event_with(member: &str) -> String {
    let mut fields = vec![r#""apiKey":"3f2a9c7e-5b1d""#, r#""eventName":"Checkout""#, r#""eventUniqueId":"user47""#];
    let name = member.split_once(':').map_or("", |(name, _)| name);
    fields.retain(|field| !field.starts_with(name));
    fields.push(member);
    format!("{{{}}}", fields.join(","))
}

/// Texts at and around the 255-character limit, raw and escaped.
fn around_the_limit() -> Vec<String> {
    let mut texts = Vec::new();
    for unit in ["a", "é", "😀", "\\u00e9", "\\ud83d\\ude00", "\\ud800"] {
        for n in [254, 255, 256] {
            texts.push(unit.repeat(n));
        }
    }
    texts.push(format!("{}ab", "😀".repeat(254)));
    texts.push(format!("{}a", "😀".repeat(254)));
    texts
}

fn near_misses() -> Vec<Case> {
    let mut cases = Vec::new();
    let times = [
        // Line ends after and before a valid time: `$` in Python's `re`.
        "2018-07-22\\n",
        "2018-07-22T00:03:57Z\\n",
        "2018-07-22T00:03:57.886Z\\n",
        "2018-07-22\\r",
        "\\n2018-07-22",
        "2018-07-22\\n\\n",
        "2018-07-22 ",
        "2018-07-22T00:03:57+00:00\\n",
        // Offsets, at and past their bounds, and across 1970 and 9999.
        "2023-11-14T21:55:03+05:30",
        "2023-11-14T21:55:03-23:59",
        "2023-11-14T21:55:03+24:00",
        "2023-11-14T21:55:03+0530",
        "2023-11-14T21:55:03z",
        "1970-01-01T00:00:00+00:01",
        "1970-01-01T00:59:59+01:00",
        "1969-12-31T23:59:59-00:01",
        "9999-12-31T23:59:59.999Z",
        "9999-12-31T23:59:59.999-00:01",
        "9999-12-31T23:00:00+01:00",
        // Leap days and leap seconds.
        "2024-02-29",
        "2023-02-29",
        "2000-02-29T12:00:00Z",
        "2100-02-29T12:00:00Z",
        "2024-04-31",
        "2016-12-31T23:59:60Z",
        "2023-11-14T21:55:03.1234567891Z",
        "2023-11-14T21:55:03",
        "2023-11-14t21:55:03Z",
        "２０２３-11-14",
        "2023-11-14T21:55:03\\u0000",
    ];
    for time in times {
        cases.push(Case::body(RequestKind::Event, event_with(&format!(r#""eventTime":"{time}""#))));
        cases.push(Case::body(
            RequestKind::Batch,
            format!(r#"{{"apiKey":"3f2a9c7e-5b1d","events":[{}]}}"#, event_with(&format!(r#""eventTime":"{time}""#))),
        ));
    }
    for number in ["0", "-0", "1e11", "253402300799999", "253402300800000", "1.5e12", "1700000000.5", "-1e-9"] {
        cases.push(Case::body(RequestKind::Event, event_with(&format!(r#""eventTime":{number}"#))));
    }
    for text in around_the_limit() {
        cases.push(Case::body(RequestKind::Event, event_with(&format!(r#""eventName":"{text}""#))));
        cases.push(Case::body(RequestKind::Identify, format!(r#"{{"apiKey":"k","uniqueId":"{text}"}}"#)));
        cases.push(Case::body(RequestKind::Alias, format!(r#"{{"apiKey":"k","previousId":"{text}","newId":"b"}}"#)));
        cases.push(Case::body(RequestKind::Event, event_with(&format!(r#""properties":{{"{text}":"{text}"}}"#))));
    }
    // Lone surrogates, and a pair in the wrong order, everywhere a text goes.
    for lone in ["\\ud800", "\\udc00", "\\ud83d", "\\ude00\\ud83d", "a\\udfffb"] {
        cases.push(Case::body(RequestKind::Event, event_with(&format!(r#""eventName":"{lone}""#))));
        cases.push(Case::body(RequestKind::Event, event_with(&format!(r#""properties":{{"{lone}":"v"}}"#))));
        cases.push(Case::body(RequestKind::Suppress, format!(r#"{{"apiKey":"k","uniqueId":"{lone}"}}"#)));
        cases.push(Case::body(RequestKind::Delete, format!(r#"{{"apiKey":"{lone}","uniqueId":"u"}}"#)));
        cases.push(Case::body(
            RequestKind::Identify,
            format!(r#"{{"apiKey":"k","uniqueId":"u","properties":{{"p":"{lone}"}}}}"#),
        ));
        cases.push(Case::body(RequestKind::Alias, format!(r#"{{"apiKey":"k","previousId":"a","newId":"{lone}"}}"#)));
        cases.push(Case::body(
            RequestKind::Batch,
            format!(r#"{{"apiKey":"k","events":[{}]}}"#, event_with(&format!(r#""eventUniqueId":"{lone}""#))),
        ));
    }
    // Keys: blank in every way the schema's pattern names, and line feeds.
    for key in ["\\n", "k\\n", "\\u2028", "\\u00a0\\u3000", "\\u200b", "\\ufeff", "\\u0085"] {
        cases.push(Case::body(RequestKind::Alias, format!(r#"{{"apiKey":"{key}","previousId":"a","newId":"b"}}"#)));
    }
    // Repeated members: the first value bad, the last good, and the reverse.
    cases.push(Case::body(RequestKind::Event, r#"{"apiKey":"k","eventName":"","eventName":"E","eventUniqueId":"u"}"#));
    cases.push(Case::body(RequestKind::Event, r#"{"apiKey":"k","eventName":"E","eventName":"","eventUniqueId":"u"}"#));
    cases.push(Case::body(RequestKind::Identify, r#"{"apiKey":"k","uniqueId":{},"uniqueId":"u"}"#));
    cases.push(Case::body(RequestKind::Event, event_with(r#""properties":{"a":{},"a":"b"}"#)));
    // A key in the path, none in the body.
    for kind in RequestKind::ALL.into_iter().filter(|kind| kind.takes_key_in_path()) {
        let body = match kind {
            RequestKind::Event => r#"{"eventName":"E","eventUniqueId":"u"}"#,
            RequestKind::Alias => r#"{"previousId":"a","newId":"b"}"#,
            _ => r#"{"uniqueId":"u"}"#,
        };
        cases.push(Case { path_key: true, ..Case::body(kind, body) });
    }
    // GET queries: time near misses, bad escapes, the 255 boundary.
    let base = "apiKey=k&eventName=E&eventUniqueId=u";
    for time in [
        "2018-07-22%0A",
        "2018-07-22T00:03:57Z%0A",
        "1700000000000%0A",
        "1700000000000%0D",
        "%0A1700000000000",
        "253402300799999",
        "253402300800000",
        "99999999999999999999",
        "1700000000.5",
        "2023-02-29",
        "1969-12-31T23:59:59Z",
        "1970-01-01T00:00:00%2B00:01",
        "1970-01-01T00:00:00+00:01",
    ] {
        cases.push(Case::query(format!("{base}&eventTime={time}")));
    }
    for bad in ["%", "%4", "%G1", "%FF", "%E2%82", "a%", "%ED%A0%80", "%C0%AF"] {
        cases.push(Case::query(format!("{base}&propertyNames=n&propertyValues={bad}")));
        cases.push(Case::query(format!("apiKey=k&eventName={bad}&eventUniqueId=u")));
    }
    for unit in ["a", "%C3%A9", "%F0%9F%98%80"] {
        for n in [254, 255, 256] {
            let text = unit.repeat(n);
            cases.push(Case::query(format!("{base}&propertyNames={text}&propertyValues=v")));
            cases.push(Case::query(format!("apiKey=k&eventName={text}&eventUniqueId=u")));
        }
    }
    cases.push(Case::query(format!("{base}&propertyNames=a&propertyNames=b&propertyValues=1")));
    cases.push(Case::query(format!("{base}&eventName=&eventName=F")));
    cases.push(Case::query(format!("{base}&eventName=F&eventName=")));
    cases.push(Case::query(format!("{base}&apiKey=%0A")));
    cases.push(Case::query("apiKey=%0A&eventName=E&eventUniqueId=u"));
    cases
}

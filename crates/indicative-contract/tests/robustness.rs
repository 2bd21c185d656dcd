//! No input makes the engine panic, and it tells well-formed JSON from
//! malformed JSON exactly as serde_json does.

use indicative_contract::input::{Format, split};
use indicative_contract::{LintOptions, Linter, RequestInfo, Rule, lint_body, lint_query, normalize_body};
use proptest::prelude::*;

const VALID: &[&str] = &[
    r#"{"apiKey":"Your-API-Key","eventName":"Registration","eventUniqueId":"user47","properties":{"Gender":"Female","Age":"23"}}"#,
    r#"{"apiKey":"K","events":[{"eventName":"A","eventUniqueId":"u","eventTime":1700000000000},{"eventName":"B","eventUniqueId":"v","properties":{"x":"\u00e9\ud83d\ude00"}}]}"#,
    r#"{"apiKey":"K","uniqueId":"u","properties":{"plan":"pro","n":1.5e3,"ok":true,"z":null}}"#,
    r#"{"apiKey":"K","previousId":"anon-1","newId":"user47"}"#,
    r#"{"apiKey":"K","eventName":"E","eventUniqueId":"u","eventTime":"2023-11-14T21:55:03.123+00:00"}"#,
];

/// Whether serde_json reads `bytes` as one JSON document (into a `Value`:
/// `IgnoredAny` skips strings without checking their UTF-8). Its f64 numbers
/// stop at about 1.8e308, where a JSON reader of big decimals does not: a
/// number out of that range is not a syntax error, so such cases are skipped.
fn serde_verdict(bytes: &[u8]) -> Option<bool> {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(_) => Some(true),
        Err(e) if e.to_string().contains("number out of range") => None,
        // serde_json stops at 128 levels; the engine reads 1000 (Jackson's default).
        Err(e) if e.to_string().contains("recursion limit") => None,
        Err(_) => Some(false),
    }
}

fn check(bytes: &[u8]) -> Result<(), TestCaseError> {
    let options = LintOptions::new(1_700_006_400_000);
    let report = lint_body(bytes, &RequestInfo::default(), &options);
    let invalid = report.of(Rule::InvalidJson).count() > 0;
    if let Some(valid) = serde_verdict(bytes) {
        prop_assert_eq!(valid, !invalid, "{:?}\n{:#?}", String::from_utf8_lossy(bytes), report.diagnostics);
    }
    for d in &report.diagnostics {
        prop_assert!(
            d.span.start <= d.span.end && d.span.end <= bytes.len(),
            "span {:?} outside {} bytes",
            d.span,
            bytes.len()
        );
        prop_assert!(d.pointer.is_empty() || d.pointer.starts_with('/'));
    }
    // The normalized form never panics either.
    let _ = normalize_body(bytes, &report, &RequestInfo::default());
    Ok(())
}

/// One edit to a byte string.
#[derive(Debug, Clone)]
enum Edit {
    Delete(usize),
    Insert(usize, u8),
    Replace(usize, u8),
    Truncate(usize),
    Duplicate(usize, usize),
}

fn apply(mut bytes: Vec<u8>, edits: &[Edit]) -> Vec<u8> {
    for edit in edits {
        let len = bytes.len().max(1);
        match *edit {
            Edit::Delete(at) if !bytes.is_empty() => {
                bytes.remove(at % len);
            }
            Edit::Insert(at, b) => bytes.insert(at % (bytes.len() + 1), b),
            Edit::Replace(at, b) if !bytes.is_empty() => bytes[at % len] = b,
            Edit::Truncate(at) => bytes.truncate(at % (bytes.len() + 1)),
            Edit::Duplicate(at, n) if !bytes.is_empty() => {
                let start = at % len;
                let end = (start + n % 16).min(bytes.len());
                let piece = bytes[start..end].to_vec();
                bytes.splice(start..start, piece);
            }
            _ => {}
        }
    }
    bytes
}

fn json_byte() -> impl Strategy<Value = u8> {
    prop_oneof![
        4 => prop::sample::select(b"{}[]\":,\\ntrufalsel0123456789-+.eE \t\n/u'".to_vec()),
        1 => any::<u8>(),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        any::<usize>().prop_map(Edit::Delete),
        (any::<usize>(), json_byte()).prop_map(|(a, b)| Edit::Insert(a, b)),
        (any::<usize>(), json_byte()).prop_map(|(a, b)| Edit::Replace(a, b)),
        any::<usize>().prop_map(Edit::Truncate),
        (any::<usize>(), any::<usize>()).prop_map(|(a, n)| Edit::Duplicate(a, n)),
    ]
}

proptest! {
    #[test]
    fn arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        check(&bytes)?;
    }

    #[test]
    fn json_like_bytes(bytes in prop::collection::vec(json_byte(), 0..256)) {
        check(&bytes)?;
    }

    #[test]
    fn mutated_valid_payloads(index in 0..VALID.len(), edits in prop::collection::vec(edit(), 1..6)) {
        check(&apply(VALID[index].as_bytes().to_vec(), &edits))?;
    }

    #[test]
    fn arbitrary_queries(query in "[a-zA-Z=&%0-9+?/:. _-]{0,200}") {
        let report = lint_query(&query, &RequestInfo::default(), &LintOptions::new(0));
        for d in &report.diagnostics {
            prop_assert!(d.span.end <= query.len());
        }
    }

    #[test]
    fn arbitrary_files(bytes in prop::collection::vec(json_byte(), 0..300)) {
        let mut linter = Linter::new(LintOptions::new(0));
        for format in [Format::Json, Format::Ndjson, Format::Urls, Format::Har] {
            if let Ok(docs) = split(format, &bytes) {
                for doc in docs {
                    let _ = doc.lint(&mut linter);
                }
            }
        }
    }
}

#[test]
fn deep_nesting_is_a_400_not_a_crash() {
    for body in ["[".repeat(100_000), "{\"a\":".repeat(100_000), format!("{{\"properties\":{}", "[".repeat(100_000))] {
        let report = lint_body(body.as_bytes(), &RequestInfo::default(), &LintOptions::new(0));
        assert_eq!(report.codes(), ["invalid-json"], "{}", &body[..20]);
        assert_eq!(report.status.code(), 400);
    }
}

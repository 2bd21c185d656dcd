//! Every rule of docs/contract.md: cases that trigger it, and neighbours that do not.

use indicative_contract::{
    LintOptions, Profile, Report, RequestInfo, RequestKind, Rule, Severity, Status, lint_body, lint_query,
};

/// 2023-11-15T00:00:00Z.
const NOW: i64 = 1_700_006_400_000;

fn options() -> LintOptions {
    LintOptions::new(NOW)
}

fn lint(json: &str) -> Report {
    lint_body(json.as_bytes(), &RequestInfo::default(), &options())
}

fn lint_as(kind: RequestKind, json: &str) -> Report {
    lint_body(json.as_bytes(), &RequestInfo::of_kind(kind), &options())
}

fn query(url: &str) -> Report {
    lint_query(url, &RequestInfo::default(), &options())
}

#[track_caller]
fn assert_codes(report: &Report, expected: &[&str]) {
    assert_eq!(report.codes(), expected, "{report:#?}");
}

/// An event body with `field` (raw JSON) added.
fn event_with(field: &str) -> String {
    format!(r#"{{"apiKey":"K","eventName":"E","eventUniqueId":"u",{field}}}"#)
}

/// An event body with `eventName` set to the raw JSON `value`.
fn event_name(value: &str) -> String {
    format!(r#"{{"apiKey":"K","eventName":{value},"eventUniqueId":"u"}}"#)
}

#[test]
fn clean_requests_of_every_kind_have_no_diagnostics() {
    for (json, kind) in [
        (
            r#"{"apiKey":"K","eventName":"E","eventUniqueId":"u","properties":{"a":"b"},"eventTime":1700000000000}"#,
            RequestKind::Event,
        ),
        (r#"{"apiKey":"K","events":[{"eventName":"E","eventUniqueId":"u"}]}"#, RequestKind::Batch),
        (r#"{"apiKey":"K","uniqueId":"u","properties":{"a":"b"}}"#, RequestKind::Identify),
        (r#"{"apiKey":"K","previousId":"a","newId":"b"}"#, RequestKind::Alias),
    ] {
        let report = lint(json);
        assert_codes(&report, &[]);
        assert_eq!(report.kind.kind(), Some(kind));
        assert_eq!(report.status, Status::Ok);
    }
    for kind in [RequestKind::Suppress, RequestKind::Delete] {
        assert_codes(&lint_as(kind, r#"{"apiKey":"K","uniqueId":"u"}"#), &[]);
    }
    assert_codes(&query("/service/event?apiKey=K&eventName=E&eventUniqueId=u&propertyNames=a&propertyValues=b"), &[]);
}

#[test]
fn invalid_json() {
    for body in [
        &b"{"[..],
        b"",
        b"{\"apiKey\":\"K\",}",
        b"{\"a\": NaN}",
        b"{\"a\": 'x'}",
        b"{\"a\": \"\\'\"}",
        b"{\"a\": \"\xff\"}",
        b"{\"a\": \"\\ud800\"}",
        b"{\"a\": \"\\udc00\\ud800\"}",
        b"{\"a\": 01}",
        b"{} {}",
        b"\xEF\xBB\xBF{}",
    ] {
        let report = lint_body(body, &RequestInfo::default(), &options());
        assert_codes(&report, &["invalid-json"]);
        assert_eq!(report.status, Status::BadRequest);
    }
    let help = |body: &[u8]| lint_body(body, &RequestInfo::default(), &options()).diagnostics[0].help.clone();
    assert_eq!(
        help(b"{\"a\": NaN}").as_deref(),
        Some("NaN and Infinity are not JSON numbers: send null, or leave the value out")
    );
    assert_eq!(help(b"{\"a\": \"it\\'s\"}").as_deref(), Some("\\' is not a JSON escape: write ' as it is"));
    assert_eq!(help(b"{\"a\": 'x'}").as_deref(), Some("JSON strings take double quotes"));
    assert_eq!(help(b"{\"a\": ").as_deref(), Some("the body ends too soon: is it cut off?"));
    // Neighbours: escapes, a surrogate pair, and white space are fine.
    assert_codes(&lint(&event_name(r#""\u00e9\ud83d\ude00\/\nE""#)), &[]);
    assert_codes(&lint(&format!(" \n\t{}\n ", event_name(r#""E""#))), &[]);
}

#[test]
fn invalid_json_bounds_depth_and_number_length() {
    // 100,000 nested arrays: a 400, not a stack overflow.
    let deep = "[".repeat(100_000);
    assert_codes(&lint(&deep), &["invalid-json"]);
    let deep_value = event_with(&format!(r#""x":{}1{}"#, "[".repeat(2000), "]".repeat(2000)));
    let report = lint(&deep_value);
    assert_codes(&report, &["invalid-json"]);
    assert!(report.diagnostics[0].message.contains("nesting deeper than 1000"));
    // 998 levels inside an unknown field (1000 in all) are read.
    let ok_depth = event_with(&format!(r#""x":{}1{}"#, "[".repeat(998), "]".repeat(998)));
    assert_codes(&lint(&ok_depth), &["unknown-field"]);
    let long_number = event_with(&format!(r#""properties":{{"n":{}}}"#, "1".repeat(1001)));
    assert_codes(&lint(&long_number), &["invalid-json"]);
    let number = event_with(&format!(r#""properties":{{"n":{}}}"#, "1".repeat(1000)));
    assert_codes(&lint(&number), &["non-string-property-value"]);
    let small = LintOptions::new(NOW).with_max_body_bytes(10);
    assert_codes(&lint_body(event_name("\"E\"").as_bytes(), &RequestInfo::default(), &small), &["invalid-json"]);
}

#[test]
fn not_an_object() {
    for body in ["[]", "[{\"apiKey\":\"K\"}]", "\"event\"", "42", "null", "true"] {
        let report = lint(body);
        assert_codes(&report, &["not-an-object"]);
        assert_eq!(report.status, Status::BadRequest);
    }
    // A broken array is invalid JSON first.
    assert_codes(&lint("[1,"), &["invalid-json"]);
}

#[test]
fn wrong_type() {
    for (json, pointer) in [
        (event_name("{}"), "/eventName"),
        (event_name("[\"E\"]"), "/eventName"),
        (event_with(r#""properties":[]"#), "/properties"),
        (event_with(r#""properties":"a=b""#), "/properties"),
        (event_with(r#""properties":{"address":{"city":"Lyon"}}"#), "/properties/address"),
        (event_with(r#""properties":{"tags":["a","b"]}"#), "/properties/tags"),
        (event_with(r#""eventTime":true"#), "/eventTime"),
        (event_with(r#""eventTime":{"s":1}"#), "/eventTime"),
        (r#"{"apiKey":"K","events":{"eventName":"E"}}"#.to_owned(), "/events"),
        (r#"{"apiKey":"K","events":["E"]}"#.to_owned(), "/events/0"),
        (r#"{"apiKey":{"k":1},"uniqueId":"u","properties":{"a":"b"}}"#.to_owned(), "/apiKey"),
    ] {
        let report = lint(&json);
        let found: Vec<_> = report.of(Rule::WrongType).map(|d| d.pointer.as_str()).collect();
        assert_eq!(found, [pointer], "{json}: {report:#?}");
        assert_eq!(report.status, Status::BadRequest, "{json}");
    }
    // Neighbours: scalars are coerced, not wrong.
    assert!(lint(&event_with(r#""properties":{"n":1,"b":false}"#)).of(Rule::WrongType).next().is_none());
    assert!(lint(&event_with(r#""properties":null"#)).diagnostics.is_empty());
}

#[test]
fn missing_api_key() {
    let report = lint(r#"{"eventName":"E","eventUniqueId":"u"}"#);
    assert_codes(&report, &["missing-api-key"]);
    assert_eq!((report.status, report.diagnostics[0].pointer.as_str()), (Status::BadRequest, "/apiKey"));
    assert_codes(&lint(r#"{"apiKey":null,"eventName":"E","eventUniqueId":"u"}"#), &["missing-api-key"]);
    // Neighbours: a key in the path, or in the query, is enough.
    let in_path = RequestInfo::http("POST", "/service/event/KEY", Some("application/json"));
    assert_codes(&lint_body(br#"{"eventName":"E","eventUniqueId":"u"}"#, &in_path, &options()), &[]);
    let in_query = RequestInfo::http("POST", "/service/event?apiKey=KEY", Some("application/json"));
    assert_codes(&lint_body(br#"{"eventName":"E","eventUniqueId":"u"}"#, &in_query, &options()), &[]);
    // Batch items' keys do not count.
    let batch = r#"{"events":[{"apiKey":"K","eventName":"E","eventUniqueId":"u"}]}"#;
    assert!(lint(batch).codes().contains(&"missing-api-key"));
    assert_codes(&query("/service/event?eventName=E&eventUniqueId=u"), &["missing-api-key"]);
}

#[test]
fn invalid_api_key() {
    for key in [r#""""#, r#""   ""#, r#""\t""#] {
        let report = lint(&format!(r#"{{"apiKey":{key},"eventName":"E","eventUniqueId":"u"}}"#));
        assert_codes(&report, &["invalid-api-key"]);
        assert_eq!(report.status, Status::BadRequest);
    }
    let blank_path = RequestInfo::http("POST", "/service/event/%20", Some("application/json"));
    assert_codes(
        &lint_body(br#"{"eventName":"E","eventUniqueId":"u"}"#, &blank_path, &options()),
        &["invalid-api-key"],
    );
    assert_codes(&query("/service/event?apiKey=&eventName=E&eventUniqueId=u"), &["invalid-api-key"]);
    // Neighbour: a key with inner spaces is a key.
    assert_codes(&lint(r#"{"apiKey":"a b","eventName":"E","eventUniqueId":"u"}"#), &[]);
}

#[test]
fn missing_field() {
    let cases = [
        (r#"{"apiKey":"K","eventName":"E"}"#, "/eventUniqueId"),
        (r#"{"apiKey":"K","eventName":"E","eventUniqueId":null}"#, "/eventUniqueId"),
        (r#"{"apiKey":"K","events":null}"#, "/events"),
        (r#"{"apiKey":"K","previousId":"a"}"#, "/newId"),
        (r#"{"apiKey":"K","uniqueId":null,"properties":{"a":"b"}}"#, "/uniqueId"),
        (r#"{"apiKey":"K","events":[{"eventName":"E"}]}"#, "/events/0/eventUniqueId"),
    ];
    for (json, pointer) in cases {
        let report = lint(json);
        assert_codes(&report, &["missing-field"]);
        assert_eq!((report.status, report.diagnostics[0].pointer.as_str()), (Status::Unprocessable, pointer), "{json}");
    }
    // A body with no field of any kind.
    let report = lint(r#"{"apiKey":"K"}"#);
    assert_codes(&report, &["missing-field"]);
    assert_eq!(report.kind, indicative_contract::DetectedKind::Unknown);
    // A given kind checks its own required fields.
    assert_codes(
        &lint_as(RequestKind::Alias, r#"{"apiKey":"K","uniqueId":"u"}"#),
        &["missing-field", "missing-field", "unknown-field"],
    );
    // Neighbour: optional fields may be absent or null.
    assert_codes(
        &lint(r#"{"apiKey":"K","eventName":"E","eventUniqueId":"u","properties":null,"eventTime":null}"#),
        &[],
    );
    assert_codes(&query("/service/event?apiKey=K&eventUniqueId=u"), &["missing-field"]);
}

#[test]
fn lengths_at_their_limits_in_every_encoding() {
    // ASCII, two-byte, astral characters, and each written as \u escapes.
    let units: [(&str, &str); 6] =
        [("a", "a"), ("é", "é"), ("😀", "😀"), ("a", "\\u0061"), ("é", "\\u00e9"), ("😀", "\\ud83d\\ude00")];
    for (text, written) in units {
        let astral = text == "😀";
        for (n, expected) in [(0, "empty-field"), (1, ""), (255, ""), (256, "too-long")] {
            let value = format!("\"{}\"", written.repeat(n));
            for field in ["eventName", "eventUniqueId"] {
                let json = format!(r#"{{"apiKey":"K","eventName":"E","eventUniqueId":"u","{field}":{value}}}"#);
                let codes = lint(&json).codes();
                // The duplicate field is warned; what else fires is the length rule.
                let mut rest: Vec<_> = codes.into_iter().filter(|c| *c != "duplicate-key").collect();
                if astral && n == 255 {
                    assert_eq!(rest, ["utf16-length"], "{field} {n} x {written}");
                    rest.clear();
                }
                let expected: Vec<&str> = if expected.is_empty() { vec![] } else { vec![expected] };
                assert_eq!(rest, expected, "{field}: {n} x {written}");
            }
            let identify = format!(r#"{{"apiKey":"K","uniqueId":{value},"properties":{{"a":"b"}}}}"#);
            let codes: Vec<_> = lint(&identify).codes().into_iter().filter(|c| *c != "utf16-length").collect();
            assert_eq!(codes, if expected.is_empty() { vec![] } else { vec![expected] }, "uniqueId {n} x {written}");
            // Property values over 255 are truncated, not refused.
            let property = event_with(&format!(r#""properties":{{"p":{value}}}"#));
            let codes: Vec<_> = lint(&property).codes().into_iter().filter(|c| *c != "utf16-length").collect();
            assert_eq!(
                codes,
                if n == 256 { vec!["property-value-truncated"] } else { vec![] },
                "value {n} x {written}"
            );
            // Property names: empty or over 255 is warned.
            let name = event_with(&format!(r#""properties":{{{value}:"v"}}"#));
            let codes: Vec<_> = lint(&name).codes().into_iter().filter(|c| *c != "utf16-length").collect();
            assert_eq!(
                codes,
                if n == 0 || n == 256 { vec!["property-name-length"] } else { vec![] },
                "name {n} x {written}"
            );
        }
    }
}

#[test]
fn get_lengths_and_empty_properties() {
    let url = |name: &str, value: &str| {
        format!("/service/event?apiKey=K&eventName=E&eventUniqueId=u&propertyNames={name}&propertyValues={value}")
    };
    assert_codes(&query(&url("a", "b")), &[]);
    assert_codes(&query(&url(&"a".repeat(255), &"%C3%A9".repeat(255))), &[]);
    assert_codes(&query(&url(&"a".repeat(256), "b")), &["too-long"]);
    assert_codes(&query(&url("a", &"%F0%9F%98%80".repeat(256))), &["too-long"]);
    assert_codes(&query(&url("a", &"%F0%9F%98%80".repeat(255))), &["utf16-length"]);
    let report = query(&url("", "b"));
    assert_codes(&report, &["empty-property"]);
    assert_eq!((report.status, report.diagnostics[0].pointer.as_str()), (Status::Unprocessable, "/propertyNames/0"));
    assert_codes(&query(&url("a", "")), &["empty-property"]);
    assert_codes(&query(&format!("{}&eventName={}", url("a", "b"), "x".repeat(256))), &["duplicate-key"]);
    assert_codes(
        &query(&url("a", "b").replace("eventName=E", &format!("eventName={}", "x".repeat(256)))),
        &["too-long"],
    );
}

#[test]
fn property_count_mismatch() {
    let base = "/service/event?apiKey=K&eventName=E&eventUniqueId=u";
    let report = query(&format!("{base}&propertyNames=a&propertyValues=1&propertyNames=b"));
    assert_codes(&report, &["property-count-mismatch"]);
    assert_eq!((report.status, report.diagnostics[0].pointer.as_str()), (Status::BadRequest, "/propertyNames/1"));
    assert_codes(&query(&format!("{base}&propertyValues=1")), &["property-count-mismatch"]);
    assert_codes(&query(&format!("{base}&propertyNames=a&propertyValues=1&propertyNames=b&propertyValues=2")), &[]);
}

#[test]
fn invalid_query_encoding() {
    let base = "/service/event?apiKey=K&eventName=E&eventUniqueId=u&propertyNames=p&propertyValues=";
    // A malformed escape, and escapes that are not UTF-8: only this rule
    // stands (the query is refused before it is read), at the escape.
    for (value, at) in
        [("%", "%"), ("%4", "%4"), ("%G1", "%G1"), ("a%FF", "%FF"), ("%E2%82", "%E2"), ("%C3", "%C3"), ("%C3a", "%C3")]
    {
        let url = format!("{base}{value}&propertyNames=");
        let report = query(&url);
        assert_codes(&report, &["invalid-query-encoding"]);
        let d = &report.diagnostics[0];
        assert_eq!((report.status, d.pointer.as_str()), (Status::BadRequest, "/propertyValues/0"), "{value}");
        assert_eq!(&url[d.span.clone()], at, "{value}");
    }
    // In a name, and in a parameter the API does not know.
    let report = query("/service/event?apiKey=K&eventName=E&eventUniqueId=u&x%ZZ=1&eventTime=%FF");
    assert_eq!(report.codes(), ["invalid-query-encoding", "invalid-query-encoding"]);
    assert_eq!(report.diagnostics[0].pointer, "/x%ZZ");
    assert_eq!(report.diagnostics[1].pointer, "/eventTime");
    // Well-formed: escaped %, +, UTF-8 escaped or raw, upper or lower hex.
    for value in ["20%25", "a+b", "%2B", "%C3%A9", "%c3%a9", "é", "%F0%9F%98%80"] {
        assert_codes(&query(&format!("{base}{value}")), &[]);
    }
}

#[test]
fn http_rules() {
    let body = br#"{"apiKey":"K","eventName":"E","eventUniqueId":"u"}"#;
    let http =
        |method: &str, path: &str, ct: Option<&str>| lint_body(body, &RequestInfo::http(method, path, ct), &options());
    assert_codes(&http("POST", "/service/event", Some("application/json")), &[]);
    assert_codes(&http("POST", "/service/event", Some("application/json; charset=UTF-8")), &[]);
    assert_codes(&http("POST", "/service/event", Some("Application/JSON")), &[]);
    for ct in [Some("text/plain"), Some("application/x-www-form-urlencoded"), None] {
        let report = http("POST", "/service/event", ct);
        assert_codes(&report, &["wrong-content-type"]);
        assert_eq!(report.status, Status::BadRequest);
    }
    let report = http("POST", "/service/track", Some("application/json"));
    assert_codes(&report, &["unknown-endpoint"]);
    assert_eq!(report.status.code(), 404);
    let report = http("PUT", "/service/event", Some("application/json"));
    assert_codes(&report, &["method-not-allowed"]);
    assert_eq!(report.status.code(), 405);
    // HTTP answers 404 and 405 before the request is read: nothing else
    // about it is reported (its body, its content type), whatever the method.
    let report = lint_body(b"{", &RequestInfo::http("POST", "/nope", None), &options());
    assert_eq!(report.status.code(), 404);
    assert_codes(&report, &["unknown-endpoint"]);
    for (method, path, body) in [
        ("PUT", "/service/event", &b"{}"[..]),
        ("DELETE", "/service/event", b""),
        ("GET", "/service/alias?apiKey=abcdefgh&previousId=a&newId=b", b""),
        ("POST", "/service/event/batch/KEY", br#"{"events":[]}"#),
    ] {
        let report = lint_body(body, &RequestInfo::http(method, path, None), &options());
        let code = if path.contains("batch/") { "unknown-endpoint" } else { "method-not-allowed" };
        assert_codes(&report, &[code]);
    }
    // With the rule turned down, the request is read as any other.
    let lowered = options().with_severity(Rule::UnknownEndpoint, Severity::Off);
    let report =
        lint_body(b"{", &RequestInfo::http("POST", "/proxy/service/event", Some("application/json")), &lowered);
    assert_codes(&report, &["invalid-json"]);
    assert_codes(&query("https://api.indicative.com/service/alias?apiKey=K"), &["method-not-allowed"]);
    let keyed = query("https://api.indicative.com/service/event/K?eventName=E&eventUniqueId=u");
    assert_codes(&keyed, &["method-not-allowed"]);
    assert!(keyed.diagnostics[0].message.contains("with a key in its path"), "{}", keyed.diagnostics[0].message);
    // The path decides the kind.
    let report = lint_body(
        br#"{"apiKey":"K","uniqueId":"u"}"#,
        &RequestInfo::http("POST", "/service/delete", Some("application/json")),
        &options(),
    );
    assert_eq!(report.kind, indicative_contract::DetectedKind::Given(RequestKind::Delete));
    assert_codes(&report, &[]);
}

#[test]
fn coerced_to_string() {
    for (json, pointer) in [
        (event_name("23"), "/eventName"),
        (event_name("true"), "/eventName"),
        (r#"{"apiKey":"K","eventName":"E","eventUniqueId":1234567}"#.to_owned(), "/eventUniqueId"),
        (r#"{"apiKey":12345678,"eventName":"E","eventUniqueId":"u"}"#.to_owned(), "/apiKey"),
        (r#"{"apiKey":"K","previousId":1,"newId":"b"}"#.to_owned(), "/previousId"),
    ] {
        let report = lint(&json);
        assert_codes(&report, &["coerced-to-string"]);
        assert_eq!((report.status, report.diagnostics[0].pointer.as_str()), (Status::Ok, pointer));
        let strict = lint_body(json.as_bytes(), &RequestInfo::default(), &options().with_profile(Profile::Strict));
        assert_eq!((strict.diagnostics[0].severity, strict.status), (Severity::Error, Status::BadRequest));
    }
    // The key's text is masked in the message.
    let report = lint(r#"{"apiKey":12345678,"eventName":"E","eventUniqueId":"u"}"#);
    assert!(!report.diagnostics[0].message.contains("12345678"), "{}", report.diagnostics[0].message);
    // The coerced text is checked too: a 256-digit number is too long.
    let long = event_name(&"1".repeat(256));
    assert_codes(&lint(&long), &["coerced-to-string", "too-long"]);
}

#[test]
fn property_values_non_string_null_truncated() {
    let report = lint(&event_with(r#""properties":{"n":19.99,"i":2,"b":false,"z":null}"#));
    assert_codes(
        &report,
        &["non-string-property-value", "non-string-property-value", "non-string-property-value", "null-property-value"],
    );
    assert_eq!(
        report.diagnostics.iter().map(|d| d.severity).collect::<Vec<_>>(),
        [Severity::Info, Severity::Info, Severity::Info, Severity::Warning]
    );
    assert_eq!(report.status, Status::Ok);
    let strict = lint_body(
        event_with(r#""properties":{"z":null}"#).as_bytes(),
        &RequestInfo::default(),
        &options().with_profile(Profile::Strict),
    );
    assert_eq!(strict.status, Status::BadRequest);
    assert_codes(&lint(&event_with(r#""properties":{"s":"","t":"text"}"#)), &[]);
}

#[test]
fn unknown_field_with_did_you_mean() {
    let report = lint(r#"{"apiKey":"K","eventname":"E","eventUniqueId":"u"}"#);
    assert_codes(&report, &["missing-field", "unknown-field"]);
    assert_eq!(report.diagnostics[1].help.as_deref(), Some("did you mean `eventName`?"));
    assert_eq!(report.diagnostics[1].pointer, "/eventname");
    let report = lint(&event_with(r#""automatic":true,"propertes":{}"#));
    assert_codes(&report, &["unknown-field", "unknown-field"]);
    assert_eq!(report.diagnostics[0].help, None);
    assert_eq!(report.diagnostics[1].help.as_deref(), Some("did you mean `properties`?"));
    // A field of another kind says where it belongs, and its content is not checked.
    let report = lint(r#"{"apiKey":"K","previousId":"a","newId":"b","properties":{"x":{}}}"#);
    assert_codes(&report, &["unknown-field"]);
    assert_eq!(report.diagnostics[0].help.as_deref(), Some("`properties` is a field of event or identify requests"));
    let report = lint_as(RequestKind::Event, r#"{"apiKey":"K","eventName":"E","uniqueId":"u"}"#);
    assert_codes(&report, &["missing-field", "unknown-field"]);
    assert_eq!(report.diagnostics[1].help.as_deref(), Some("an event names its user with `eventUniqueId`"));
    let report = lint(r#"{"apiKey":"K","previousId":"a","newId":"b","timestamp":1700000000}"#);
    assert_codes(&report, &["unknown-field"]);
    assert_codes(&query("/service/event?apiKey=K&eventName=E&eventUniqueId=u&_=123"), &["unknown-field"]);
    let report = query("/service/event?apiKey=K&eventName=E&eventUniqueId=u&propertyName=a");
    assert_eq!(report.diagnostics[0].help.as_deref(), Some("did you mean `propertyNames`?"));
    // Inside a batch item.
    let report = lint(r#"{"apiKey":"K","events":[{"eventName":"E","eventUniqueId":"u","automatic":true}]}"#);
    assert_codes(&report, &["unknown-field"]);
    assert_eq!(report.diagnostics[0].pointer, "/events/0/automatic");
}

#[test]
fn batch_rules() {
    let item = r#"{"eventName":"E","eventUniqueId":"u"}"#;
    let batch = |n: usize| format!(r#"{{"apiKey":"K","events":[{}]}}"#, vec![item; n].join(","));
    assert_codes(&lint(&batch(0)), &["empty-batch"]);
    assert_codes(&lint(&batch(1)), &[]);
    assert_codes(&lint(&batch(100)), &[]);
    let report = lint(&batch(101));
    assert_codes(&report, &["batch-over-recommended-size"]);
    assert_eq!(report.status, Status::Ok);
    let report = lint(
        r#"{"apiKey":"K","events":[{"apiKey":"K","eventName":"E","eventUniqueId":"u"},{"apiKey":"OTHER","eventName":"E","eventUniqueId":"u"}]}"#,
    );
    assert_codes(&report, &["batch-item-api-key", "batch-item-api-key"]);
    assert_eq!((report.diagnostics[0].severity, report.diagnostics[1].severity), (Severity::Info, Severity::Warning));
    assert!(!report.diagnostics[1].message.contains("OTHER"));
    // The batch's status is the worst of its items'.
    let report =
        lint(r#"{"apiKey":"K","events":[{"eventName":"","eventUniqueId":"u"},{"eventName":{},"eventUniqueId":"u"}]}"#);
    assert_codes(&report, &["empty-field", "wrong-type"]);
    assert_eq!(report.status, Status::BadRequest);
    assert_eq!(report.diagnostics[1].pointer, "/events/1/eventName");
}

#[test]
fn payload_over_1mb() {
    let value = "x".repeat(250);
    let props: Vec<String> = (0..4200).map(|i| format!(r#""p{i}":"{value}""#)).collect();
    let big = event_with(&format!(r#""properties":{{{}}}"#, props.join(",")));
    assert!(big.len() > 1 << 20);
    let report = lint(&big);
    assert_codes(&report, &["payload-over-1mb"]);
    assert_eq!(report.status, Status::Ok);
    let small = event_with(&format!(r#""properties":{{{}}}"#, props[..4000].join(",")));
    assert!(small.len() < 1 << 20);
    assert_codes(&lint(&small), &[]);
}

#[test]
fn api_key_conflict() {
    let body = br#"{"apiKey":"BODYKEY1","eventName":"E","eventUniqueId":"u"}"#;
    let report =
        lint_body(body, &RequestInfo::http("POST", "/service/event/PATHKEY2", Some("application/json")), &options());
    assert_codes(&report, &["api-key-conflict"]);
    let message = &report.diagnostics[0].message;
    assert!(message.contains("BODY…") && message.contains("PATH…") && !message.contains("BODYKEY1"), "{message}");
    let same =
        lint_body(body, &RequestInfo::http("POST", "/service/event/BODYKEY1", Some("application/json")), &options());
    assert_codes(&same, &[]);
    // The body's key is compared as the API reads it: escapes decoded, a
    // number as its text, white space around the value ignored.
    let path = |key: &str| RequestInfo::http("POST", &format!("/service/event/{key}"), Some("application/json"));
    let escaped = br#"{"apiKey" :  "BODY\u004bEY1" ,"eventName":"E","eventUniqueId":"u"}"#;
    assert_codes(&lint_body(escaped, &path("BODYKEY1"), &options()), &[]);
    assert_codes(&lint_body(escaped, &path("BODYKEY2"), &options()), &["api-key-conflict"]);
    let number = br#"{"apiKey": 12345 ,"eventName":"E","eventUniqueId":"u"}"#;
    assert_codes(&lint_body(number, &path("12345"), &options()), &["coerced-to-string"]);
    assert_codes(&lint_body(number, &path("12346"), &options()), &["api-key-conflict", "coerced-to-string"]);
}

#[test]
fn event_time_numbers() {
    let time = |t: &str| lint(&event_with(&format!(r#""eventTime":{t}"#)));
    // Seconds below 1e11, milliseconds from there on.
    assert_codes(&time("1700000000"), &[]);
    assert_codes(&time("1700000000000"), &[]);
    assert_codes(&time("99999999999"), &["event-time-implausible"]); // year 5138, in seconds
    assert_codes(&time("100000000000"), &["event-time-implausible"]); // 1973, in milliseconds
    // 1969 against 1970.
    assert_codes(&time("-1"), &["negative-event-time"]);
    assert_codes(&time("-0.5"), &["negative-event-time"]);
    assert_codes(&time("0"), &["event-time-implausible"]);
    assert_codes(&time("-0"), &["event-time-implausible"]);
    // Past 9999.
    let report = time("253402300800000");
    assert_codes(&report, &["invalid-event-time"]);
    assert_eq!(report.status, Status::Unprocessable);
    assert_codes(&time("1e400"), &["invalid-event-time"]);
    // Fractions.
    assert_codes(&time("1700000000.5"), &["event-time-fractional"]);
    assert_codes(&time("1700000000123.25"), &["event-time-fractional"]);
    assert_codes(&time("1700000000.0"), &[]);
    assert_codes(&time("1.7e9"), &[]);
    // Plausibility against the fixed now (2023-11-15).
    assert_codes(&time("946684800"), &[]); // 2000-01-01
    assert_codes(&time("946684799"), &["event-time-implausible"]);
    assert_codes(&time(&(NOW + 86_400_000).to_string()), &[]);
    assert_codes(&time(&(NOW + 86_400_001).to_string()), &["event-time-implausible"]);
}

#[test]
fn event_time_strings() {
    let time = |t: &str| lint(&event_with(&format!(r#""eventTime":"{t}""#)));
    for ok in [
        "2023-11-14T21:55:03Z",
        "2023-11-14T21:55:03.123+00:00",
        "2023-11-14T21:55:03.123456789+00:00",
        "2023-11-14T23:55:03-02:00",
        "2023-11-14",
        "2020-02-29T00:00:00Z",
        "2000-02-29",
    ] {
        assert_eq!(time(ok).codes(), Vec::<&str>::new(), "{ok}");
    }
    assert_codes(&time("2023-02-29T00:00:00Z"), &["invalid-event-time"]);
    assert_codes(&time("1900-02-29"), &["invalid-event-time"]);
    assert_codes(&time("2023-13-01"), &["invalid-event-time"]);
    assert_codes(&time("yesterday"), &["invalid-event-time"]);
    assert_codes(&time(""), &["invalid-event-time"]);
    assert_codes(&time("1969-12-31T23:59:59.999Z"), &["negative-event-time"]);
    assert_codes(&time("1970-01-01T00:00:00Z"), &["event-time-implausible"]);
    assert_codes(&time("9999-12-31T23:59:59.999Z"), &["event-time-implausible"]);
    assert_codes(&time("10000-01-01T00:00:00Z"), &["invalid-event-time"]);
    assert_codes(&time("2023-11-14T10:00:00"), &["event-time-without-offset"]);
    // Decimal strings are read as numbers.
    let report = time("1700000000123");
    assert_codes(&report, &["event-time-string-number"]);
    assert_eq!(report.diagnostics[0].severity, Severity::Info);
    assert_codes(&time("1700000000.5"), &["event-time-string-number", "event-time-fractional"]);
    assert_codes(&time("-5"), &["negative-event-time"]);
    // In a GET, a decimal string is simply the number.
    let get = |t: &str| query(&format!("/service/event?apiKey=K&eventName=E&eventUniqueId=u&eventTime={t}"));
    assert_codes(&get("1700000000123"), &[]);
    assert_codes(&get("2023-11-14T21:55:03Z"), &[]);
    assert_codes(&get("-1"), &["negative-event-time"]);
    assert_codes(&get("2023-02-29"), &["invalid-event-time"]);
}

#[test]
fn whitespace_name() {
    for value in [r#"" E""#, r#""E ""#, r#""   ""#, r#""E\n""#, r#""\u00a0E""#] {
        let report = lint(&event_name(value));
        assert_codes(&report, &["whitespace-name"]);
        assert_eq!(report.status, Status::Ok);
    }
    assert_codes(&lint(&event_name(r#""Sign Up""#)), &[]);
    assert_codes(&lint(r#"{"apiKey":"K","previousId":" a","newId":"b"}"#), &["whitespace-name"]);
}

#[test]
fn duplicate_key() {
    let report = lint(r#"{"apiKey":"K","eventName":"A","eventUniqueId":"u","eventName":"B"}"#);
    assert_codes(&report, &["duplicate-key"]);
    assert_eq!(report.diagnostics[0].pointer, "/eventName");
    // Property names, including one written with escapes.
    let report = lint(&event_with(r#""properties":{"plan":"a","x":"b","pl\u0061n":"c"}"#));
    assert_codes(&report, &["duplicate-key"]);
    assert_eq!(report.diagnostics[0].pointer, "/properties/plan");
    // Many properties, one repeat far apart.
    let many: Vec<String> = (0..60).map(|i| format!(r#""p{i}":"v""#)).collect();
    let report = lint(&event_with(&format!(r#""properties":{{{},"p7":"again"}}"#, many.join(","))));
    assert_codes(&report, &["duplicate-key"]);
    assert_eq!(report.diagnostics[0].pointer, "/properties/p7");
    assert_codes(&lint(&event_with(&format!(r#""properties":{{{}}}"#, many.join(",")))), &[]);
    // A repeated unknown field is still one unknown field each time.
    assert_codes(&query("/service/event?apiKey=K&apiKey=L&eventName=E&eventUniqueId=u"), &["duplicate-key"]);
    assert_codes(
        &query(
            "/service/event?apiKey=K&eventName=E&eventUniqueId=u&propertyNames=a&propertyValues=1&propertyNames=a&propertyValues=2",
        ),
        &["duplicate-key"],
    );
}

#[test]
fn alias_rules() {
    let report = lint(r#"{"apiKey":"K","previousId":"user47","newId":"user47"}"#);
    assert_codes(&report, &["alias-same-id"]);
    assert_eq!(report.diagnostics[0].pointer, "/newId");
    assert_codes(&lint(r#"{"apiKey":"K","previousId":"user47","newId":"User47"}"#), &[]);
    let long = format!(r#"{{"apiKey":"K","previousId":"{}","newId":"b"}}"#, "x".repeat(256));
    assert_codes(&lint(&long), &["alias-id-length"]);
    let fits = format!(r#"{{"apiKey":"K","previousId":"{}","newId":"b"}}"#, "x".repeat(255));
    assert_codes(&lint(&fits), &[]);
    assert_codes(&lint(r#"{"apiKey":"K","previousId":"","newId":"b"}"#), &["empty-field"]);
}

#[test]
fn identify_without_properties() {
    for json in
        [r#"{"apiKey":"K","uniqueId":"u","properties":{}}"#, r#"{"apiKey":"K","uniqueId":"u","properties":null}"#]
    {
        let report = lint(json);
        assert_codes(&report, &["identify-without-properties"]);
        assert_eq!(report.diagnostics[0].severity, Severity::Info);
    }
    assert_codes(&lint_as(RequestKind::Identify, r#"{"apiKey":"K","uniqueId":"u"}"#), &["identify-without-properties"]);
    // Neighbour: the same shape as suppress or delete is ambiguous, not an identify.
    let report = lint(r#"{"apiKey":"K","uniqueId":"u"}"#);
    assert_codes(&report, &[]);
    assert_eq!(report.kind.to_string(), "ambiguous: identify, suppress or delete");
}

#[test]
fn kind_detection() {
    use indicative_contract::DetectedKind::{Ambiguous, Detected, Unknown};
    let kind = |json: &str| lint(json).kind;
    assert_eq!(kind(r#"{"eventName":"E"}"#), Detected(RequestKind::Event));
    assert_eq!(kind(r#"{"events":[]}"#), Detected(RequestKind::Batch));
    assert_eq!(kind(r#"{"uniqueId":"u","properties":{}}"#), Detected(RequestKind::Identify));
    assert_eq!(kind(r#"{"newId":"b"}"#), Detected(RequestKind::Alias));
    assert_eq!(kind(r#"{"eventName":"E","events":[]}"#), Ambiguous(vec![RequestKind::Event, RequestKind::Batch]));
    assert_eq!(kind("{}"), Unknown);
    assert_eq!(kind("[]"), Unknown);
}

#[test]
fn overrides_and_profiles() {
    let json = event_with(r#""properties":{"n":1},"extra":true"#);
    let base = lint(&json);
    assert_codes(&base, &["non-string-property-value", "unknown-field"]);
    let quiet = options().with_severity(Rule::UnknownField, Severity::Off);
    assert_codes(&lint_body(json.as_bytes(), &RequestInfo::default(), &quiet), &["non-string-property-value"]);
    // Raising a warning to an error changes its severity, not the predicted status.
    let loud = options().with_severity(Rule::UnknownField, Severity::Error);
    let report = lint_body(json.as_bytes(), &RequestInfo::default(), &loud);
    assert!(report.has_errors());
    assert_eq!(report.status, Status::Ok);
    let strict = lint_body(json.as_bytes(), &RequestInfo::default(), &options().with_profile(Profile::Strict));
    assert_eq!(strict.count(Severity::Error), 2);
    assert_eq!(strict.status, Status::BadRequest);
}

#[test]
fn every_rule_is_exercised_by_this_file() {
    // Guards the claim of this file: a new rule needs a test here (the plan
    // rules have theirs in indicative-plan).
    let source = include_str!("rules.rs");
    for rule in Rule::ALL.iter().filter(|r| !r.is_plan()) {
        let name = rule.code().replace('-', "_");
        assert!(
            source.contains(&format!("\"{}\"", rule.code())) || source.contains(&format!("fn {name}")),
            "{} has no test in tests/rules.rs (CONTRIBUTING.md, step 4)",
            rule.code()
        );
    }
}

//! Payload generators shared by the agreement tests: bodies of every kind
//! built field by field from values at each constraint's boundary (lengths 0,
//! 1, 254, 255 and 256 in ASCII, two-byte and astral characters, raw and as
//! `\u` escapes; white space; numbers, bools, nulls, objects and arrays where
//! strings go; times around every threshold; missing, repeated and unknown
//! fields), and GET query parameters.

#![allow(missing_docs)]

pub mod corpus;
pub mod differential;
pub mod fuzz;

use proptest::prelude::*;

/// Text of `n` characters of one class.
pub fn text_of(n: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".repeat(n)),
        Just("é".repeat(n)),
        Just("😀".repeat(n)),
        Just("\\u00e9".repeat(n)),
        Just("\\ud83d\\ude00".repeat(n)),
    ]
}

/// A JSON value (as text) for a field the reference types String.
pub fn text_value() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-zA-Z0-9_ -]{1,12}".prop_map(|s| format!("\"{s}\"")),
        3 => prop_oneof![Just(0usize), Just(1), Just(254), Just(255), Just(256)].prop_flat_map(text_of).prop_map(|s| format!("\"{s}\"")),
        1 => prop_oneof![Just("\" \""), Just("\" a\""), Just("\"\\t\"")].prop_map(str::to_owned),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => prop_oneof![Just("true"), Just("1.5"), Just("null"), Just("{}"), Just("[\"a\"]"), Just("-0")].prop_map(str::to_owned),
    ]
}

pub fn key_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just("\"3f2a9c7e-5b1d\"".to_owned()),
        1 => prop_oneof![Just("\"\""), Just("\"  \""), Just("12345"), Just("null"), Just("[]")].prop_map(str::to_owned),
    ]
}

pub fn property_value() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => "[a-z0-9 ]{0,8}".prop_map(|s| format!("\"{s}\"")),
        1 => prop_oneof![Just(255usize), Just(256), Just(300)].prop_flat_map(text_of).prop_map(|s| format!("\"{s}\"")),
        1 => prop_oneof![Just("23"), Just("19.99"), Just("false"), Just("null"), Just("{\"a\":1}"), Just("[1]")].prop_map(str::to_owned),
    ]
}

pub fn properties_value() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        5 => "[a-zA-Z]{1,6}".prop_map(|s| format!("\"{s}\"")),
        1 => Just("\"\"".to_owned()),
        1 => text_of(256).prop_map(|s| format!("\"{s}\"")),
        1 => Just("\"pl\\u0061n\"".to_owned()),
        1 => Just("\"plan\"".to_owned()),
    ];
    prop_oneof![
        6 => prop::collection::vec((name, property_value()), 0..5)
            .prop_map(|pairs| format!("{{{}}}", pairs.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(","))),
        1 => prop_oneof![Just("null"), Just("[]"), Just("\"a=b\""), Just("7")].prop_map(str::to_owned),
    ]
}

pub fn event_time_value() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop_oneof![
            Just("1700000000"), Just("1700000000000"), Just("99999999999"), Just("100000000000"),
            Just("0"), Just("-1"), Just("-0.5"), Just("1700000000.5"), Just("253402300799999"),
            Just("253402300800000"), Just("1e400"), Just("99999999999999999999"), Just("null"),
        ].prop_map(str::to_owned),
        3 => prop_oneof![
            Just("2023-11-14T21:55:03Z"), Just("2023-11-14T21:55:03.123456789+00:00"), Just("2023-11-14"),
            Just("2023-11-14T10:00:00"), Just("2024-02-29"), Just("2023-02-29"), Just("1969-12-31T23:59:59Z"),
            Just("1970-01-01T00:00:00Z"), Just("9999-12-31T23:59:59.999Z"), Just("10000-01-01T00:00:00Z"),
            Just("1700000000123"), Just("-5"), Just("soon"), Just(""),
        ].prop_map(|s| format!("\"{s}\"")),
        1 => prop_oneof![Just("true"), Just("{}"), Just("[1]")].prop_map(str::to_owned),
    ]
}

/// A value for the wire field `name`.
pub fn value_for(name: &'static str) -> BoxedStrategy<String> {
    match name {
        "apiKey" => key_value().boxed(),
        "properties" => properties_value().boxed(),
        "eventTime" => event_time_value().boxed(),
        "events" => prop_oneof![
            6 => prop::collection::vec(item(), 0..4).prop_map(|items| format!("[{}]", items.join(","))),
            1 => prop_oneof![Just("null"), Just("{}"), Just("[1]")].prop_map(str::to_owned),
        ]
        .boxed(),
        _ => text_value().boxed(),
    }
}

/// An object with each of `fields` present most of the time, sometimes
/// twice, and sometimes a field that is not the kind's.
pub fn object(fields: &'static [&'static str], foreign: &'static [&'static str]) -> BoxedStrategy<String> {
    let members: Vec<BoxedStrategy<Vec<(String, String)>>> = fields
        .iter()
        .map(|&name| {
            prop_oneof![
                8 => value_for(name).prop_map(move |v| vec![(name.to_owned(), v)]),
                1 => Just(Vec::new()),
                1 => (value_for(name), value_for(name)).prop_map(move |(a, b)| vec![(name.to_owned(), a), (name.to_owned(), b)]),
            ]
            .boxed()
        })
        .collect();
    let foreign = if foreign.is_empty() { fields } else { foreign };
    let extra = prop_oneof![
        8 => Just(Vec::new()),
        1 => prop::sample::select(foreign.to_vec()).prop_flat_map(|name| value_for(name).prop_map(move |v| vec![(name.to_owned(), v)])),
        1 => Just(vec![("automatic".to_owned(), "true".to_owned())]),
    ];
    (members, extra)
        .prop_map(|(members, extra)| {
            let pairs: Vec<String> =
                members.into_iter().flatten().chain(extra).map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{{}}}", pairs.join(","))
        })
        .boxed()
}

pub fn item() -> BoxedStrategy<String> {
    prop_oneof![
        8 => object(&["eventName", "eventUniqueId", "properties", "eventTime"], &["apiKey", "uniqueId"]),
        1 => Just("\"event\"".to_owned()),
    ]
    .boxed()
}

pub fn query_param() -> impl Strategy<Value = String> {
    let text = prop_oneof![
        5 => "[a-zA-Z0-9]{1,6}".prop_map(|s| s),
        1 => Just(String::new()),
        1 => Just("%C3%A9".repeat(256)),
        1 => Just("x".repeat(255)),
        1 => Just("+a+".to_owned()),
    ];
    let name = prop_oneof![
        Just("apiKey"),
        Just("eventName"),
        Just("eventUniqueId"),
        Just("propertyNames"),
        Just("propertyValues"),
        Just("propertyNames"),
        Just("propertyValues"),
        Just("eventTime"),
        Just("_"),
    ];
    let time = prop_oneof![
        Just("1700000000123"),
        Just("-1"),
        Just("2023-11-14T21:55:03Z"),
        Just("2023-02-29"),
        Just("1700000000.5"),
    ];
    (name, text, time).prop_map(
        |(name, text, time)| {
            if name == "eventTime" { format!("{name}={time}") } else { format!("{name}={text}") }
        },
    )
}

/// The fields and the foreign fields generated for each POST kind.
pub const EVENT: (&[&str], &[&str]) =
    (&["apiKey", "eventName", "eventUniqueId", "properties", "eventTime"], &["uniqueId", "events"]);
pub const BATCH: (&[&str], &[&str]) = (&["apiKey", "events"], &["eventName", "properties"]);
pub const IDENTIFY: (&[&str], &[&str]) = (&["apiKey", "uniqueId", "properties"], &["eventName", "newId"]);
pub const ALIAS: (&[&str], &[&str]) = (&["apiKey", "previousId", "newId"], &["uniqueId", "properties"]);
pub const SUPPRESS: (&[&str], &[&str]) = (&["apiKey", "uniqueId"], &["properties", "eventTime"]);
pub const DELETE: (&[&str], &[&str]) = (&["apiKey", "uniqueId"], &["properties", "newId"]);

/// The GET query as the event-query schema sees it: each single parameter
/// (the first of repeats, as the API reads it) and the property lists.
pub fn query_as_object(query: &str) -> serde_json::Value {
    let mut object = serde_json::Map::new();
    let (mut names, mut values) = (Vec::new(), Vec::new());
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = serde_json::Value::String(value.into_owned());
        match name.as_ref() {
            "propertyNames" => names.push(value),
            "propertyValues" => values.push(value),
            _ => {
                object.entry(name.into_owned()).or_insert(value);
            }
        }
    }
    if !names.is_empty() {
        object.insert("propertyNames".into(), serde_json::Value::Array(names));
    }
    if !values.is_empty() {
        object.insert("propertyValues".into(), serde_json::Value::Array(values));
    }
    serde_json::Value::Object(object)
}

//! `indicative serve`'s masking of bodies at rest, on generated JSON with
//! keys written every way (escapes, surrogate pairs, numbers, objects and
//! arrays, copies inside other strings and numbers): the length is kept, a
//! valid body stays valid JSON, no key is left whole, and masking again
//! changes nothing more.

use indicative_server::mask;
use proptest::prelude::*;

/// A JSON string token, written with escapes of every kind.
fn string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        "[a-z0-9]{1,6}",
        Just(r#"\""#.to_owned()),
        Just(r"\\".to_owned()),
        Just(r"\u0041".to_owned()),
        Just(r"\ud83d\ude00".to_owned()),
        Just(r"\/".to_owned()),
        Just("é".to_owned()),
        Just("[".to_owned()),
        Just("{".to_owned()),
        Just(" ".to_owned()),
        Just("-1".to_owned()),
    ];
    proptest::collection::vec(piece, 0..8).prop_map(|pieces| format!("\"{}\"", pieces.concat()))
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("-0".to_owned()),
        Just("1e5".to_owned()),
        Just("-17.5e3".to_owned()),
        Just("0.25".to_owned()),
        "-?[1-9][0-9]{0,12}",
    ]
}

fn value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        4 => string(),
        2 => number(),
        1 => prop_oneof![Just("true".to_owned()), Just("false".to_owned()), Just("null".to_owned())],
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        let name = prop_oneof![Just("apiKey"), Just("api_key"), Just("events"), Just("properties"), Just("c")];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(|items| format!("[{}]", items.join(", "))),
            proptest::collection::vec((name, inner), 0..4).prop_map(|members| {
                let members: Vec<String> = members.iter().map(|(n, v)| format!("\"{n}\": {v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

/// A request body: a key (any value), a copy of it in a property (alone,
/// or inside a longer string or number), and more; with the key as
/// written.
fn body() -> impl Strategy<Value = (String, String)> {
    (value(), value(), 0..3_usize).prop_map(|(key, rest, copy)| {
        // A string token's inside (its quotes only: `"\""` is a quote).
        let inner = if key.starts_with('"') { &key[1..key.len() - 1] } else { key.as_str() };
        let copied = match copy {
            0 => key.clone(),
            1 if key.starts_with('"') => format!("\"x{inner}y\""),
            _ if key.starts_with(|c: char| c.is_ascii_digit()) => format!("9{key}"),
            _ => "null".to_owned(),
        };
        let body = format!(
            r#"{{"apiKey":{key},"eventName":"E","eventUniqueId":"u","properties":{{"c":{copied}}},"x":{rest}}}"#
        );
        (body, key)
    })
}

/// Every string (member names too) and number of a document, decoded.
fn texts(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(text) => vec![text.clone()],
        serde_json::Value::Number(number) => vec![number.to_string()],
        serde_json::Value::Array(items) => items.iter().flat_map(texts).collect(),
        serde_json::Value::Object(members) => {
            members.iter().flat_map(|(name, item)| std::iter::once(name.clone()).chain(texts(item))).collect()
        }
        _ => Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn a_masked_body_keeps_its_length_its_grammar_and_no_key((body, key) in body()) {
        let bytes = body.as_bytes();
        let keys = mask::keys_in(None, "/service/event", bytes);
        // The key as generated, decoded (a string's text, a number's
        // digits as written): found, when it is long enough for its
        // copies to be searched for, so that the checks below cover it.
        let generated = match key.as_bytes()[0] {
            b'"' => serde_json::from_str::<String>(&key).ok(),
            b'-' | b'0'..=b'9' => Some(key.clone()),
            _ => None,
        };
        if let Some(generated) = generated.filter(|k| indicative_contract::keys::is_copied(k.as_bytes())) {
            prop_assert!(keys.contains(&generated), "{:?} not among the keys {:?} of {}", generated, keys, body);
        }
        let masked = mask::body(bytes, &keys);
        let shown = String::from_utf8_lossy(&masked).into_owned();
        prop_assert_eq!(masked.len(), bytes.len());
        let valid = |bytes: &[u8]| serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok();
        prop_assert!(valid(bytes), "the generator wrote invalid JSON: {}", body);
        prop_assert!(valid(&masked), "{} became {}", body, shown);
        let parsed: serde_json::Value = serde_json::from_slice(&masked).expect("valid");
        for key in keys.iter() {
            // Past the characters a mask shows, something to hide (white
            // space is kept, so that the text keeps its width).
            // A number's hidden digits become 0: one whose are all 0 already
            // masks to itself, showing no more than any mask does.
            let hidden: String = key.chars().skip(indicative_contract::keys::SHOWN).collect();
            let number = key.chars().all(|c| c.is_ascii_digit() || "-+.eE".contains(c));
            let secret = |c: char| if number { matches!(c, '1'..='9') } else { !c.is_whitespace() };
            if hidden.chars().any(secret) {
                prop_assert!(!texts(&parsed).iter().any(|t| t.contains(key.as_str())), "the key {:?} is whole in {}", key, shown);
            }
        }
        prop_assert_eq!(mask::body(&masked, &keys), masked.clone(), "masking twice changed more");
    }
}

//! API keys hidden at rest and in every answer.
//!
//! A key keeps its first four characters; every later byte that is not
//! white space becomes `*`. The masking is byte for byte, so a masked body
//! has the length of the original and the findings' byte spans still point
//! at their values; white space is kept so that a key's `whitespace-name`
//! finding still holds on the masked text.

use std::ops::Range;

/// The characters of a key that stay visible.
const SHOWN: usize = 4;

/// Masks `bytes[range]` in place.
fn mask_range(bytes: &mut [u8], range: Range<usize>) {
    let mut chars = 0;
    for byte in &mut bytes[range] {
        // A UTF-8 continuation byte belongs to the character before it.
        if *byte & 0xC0 != 0x80 {
            chars += 1;
        }
        if chars > SHOWN && !byte.is_ascii_whitespace() {
            *byte = b'*';
        }
    }
}

/// Where a JSON string token that starts at `start` (a `"`) ends: the index
/// of its closing quote, or the end of the input when it is not closed.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Whether the string token `token` (quotes included) decodes to `apiKey`.
fn is_api_key_name(token: &[u8]) -> bool {
    token == b"\"apiKey\""
        || (token.contains(&b'\\') && serde_json::from_slice::<String>(token).is_ok_and(|name| name == "apiKey"))
}

/// The byte ranges of every `apiKey` member's value in a JSON body, at any
/// depth, found by a lexical scan, so that a body that is not valid JSON
/// has its keys found too. A string value's range excludes its quotes.
fn body_key_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'"' {
            i += 1;
            continue;
        }
        let end = string_end(bytes, i);
        if end < bytes.len() && is_api_key_name(&bytes[i..=end]) {
            let colon = skip_space(bytes, end + 1);
            if bytes.get(colon) == Some(&b':') {
                let value = skip_space(bytes, colon + 1);
                match bytes.get(value) {
                    Some(b'"') => ranges.push(value + 1..string_end(bytes, value)),
                    Some(_) => {
                        let stop = bytes[value..]
                            .iter()
                            .position(|b| matches!(b, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r'))
                            .map_or(bytes.len(), |p| value + p);
                        ranges.push(value..stop);
                    }
                    None => {}
                }
            }
        }
        i = end + 1;
    }
    ranges
}

/// The value ranges of every `apiKey` parameter in a query string, and of
/// the key segment of a path (`/service/event/KEY`).
fn target_key_ranges(target: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let (path, query) = match target.find('?') {
        Some(at) => (&target[..at], Some(at + 1)),
        None => (target, None),
    };
    for endpoint in
        ["/service/event/", "/service/identify/", "/service/alias/", "/service/suppress/", "/service/delete/"]
    {
        if let Some(found) = path.find(endpoint) {
            let start = found + endpoint.len();
            let end = path[start..].find('/').map_or(path.len(), |e| start + e);
            if &path[start..end] != "batch" && start < end {
                ranges.push(start..end);
            }
        }
    }
    if let Some(query_start) = query {
        let mut at = query_start;
        for pair in target[query_start..].split('&') {
            let (name, _) = pair.split_once('=').unwrap_or((pair, ""));
            // The name as the lint reads it: `api%4Bey` is `apiKey` too.
            let decoded = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
            if decoded.replace('+', " ") == "apiKey" && pair.len() > name.len() {
                ranges.push(at + name.len() + 1..at + pair.len());
            }
            at += pair.len() + 1;
        }
    }
    ranges
}

/// The keys a request carries, decoded: from its body's `apiKey` members
/// and its path and query. Used to mask the same keys wherever else they
/// appear (a header, a property value).
#[must_use]
pub fn keys_in(target: &str, body: &[u8]) -> Vec<String> {
    let mut keys = Vec::new();
    for range in body_key_ranges(body) {
        let raw = &body[range];
        let text = std::str::from_utf8(raw).unwrap_or_default();
        let quoted = format!("\"{text}\"");
        let key = serde_json::from_str::<String>(&quoted).unwrap_or_else(|_| text.to_owned());
        keys.push(key);
    }
    for range in target_key_ranges(target) {
        let raw = &target[range];
        keys.push(percent_encoding::percent_decode_str(&raw.replace('+', " ")).decode_utf8_lossy().into_owned());
        keys.push(raw.to_owned());
    }
    keys.retain(|key| key.trim().chars().count() > SHOWN);
    keys.sort();
    keys.dedup();
    // Each key is searched for across the whole request: a body of many
    // distinct keys (a batch whose items each carry one, all masked where
    // they stand anyway) must not cost keys × bytes.
    keys.truncate(MAX_KEYS);
    keys
}

/// The most distinct keys of one request searched for elsewhere in it.
const MAX_KEYS: usize = 16;

/// A JSON value with every string in it (member names included) masked.
///
/// ```
/// let mut value = serde_json::json!({"cfg": {"apiKey": "3f2a9c7e"}, "list": ["3f2a9c7e"]});
/// indicative_server::mask::value(&mut value, &["3f2a9c7e".into()]);
/// assert_eq!(value, serde_json::json!({"cfg": {"apiKey": "3f2a****"}, "list": ["3f2a****"]}));
/// ```
pub fn value(value: &mut serde_json::Value, keys: &[String]) {
    match value {
        serde_json::Value::String(text) => *text = self::text(text, keys),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|item| self::value(item, keys)),
        serde_json::Value::Object(members) => {
            let old = std::mem::take(members);
            for (name, mut item) in old {
                // A member named apiKey is a key whatever its value.
                if name == "apiKey"
                    && let serde_json::Value::String(key) = &item
                {
                    item = serde_json::Value::String(self::text(key, std::slice::from_ref(key)));
                }
                self::value(&mut item, keys);
                members.insert(self::text(&name, keys), item);
            }
        }
        _ => {}
    }
}

/// Masks every verbatim occurrence of each of `keys` in `bytes`.
fn mask_verbatim(bytes: &mut [u8], keys: &[String]) {
    for key in keys {
        let found: Vec<usize> = memchr::memmem::find_iter(bytes, key.as_bytes()).collect();
        for start in found {
            mask_range(bytes, start..start + key.len());
        }
    }
}

/// A body with its keys masked: every `apiKey` member's value, and every
/// other verbatim occurrence of `keys`.
///
/// ```
/// let body = br#"{"apiKey":"3f2a9c7e","eventName":"E","properties":{"copy":"3f2a9c7e"}}"#;
/// let masked = indicative_server::mask::body(body, &["3f2a9c7e".into()]);
/// assert_eq!(masked, br#"{"apiKey":"3f2a****","eventName":"E","properties":{"copy":"3f2a****"}}"#);
/// ```
#[must_use]
pub fn body(bytes: &[u8], keys: &[String]) -> Vec<u8> {
    let mut masked = bytes.to_vec();
    for range in body_key_ranges(bytes) {
        mask_range(&mut masked, range);
    }
    mask_verbatim(&mut masked, keys);
    masked
}

/// A request target (path and query) with its keys masked.
///
/// ```
/// assert_eq!(
///     indicative_server::mask::target("/service/event/ABCDEFGH?apiKey=abcdefgh&eventName=E", &[]),
///     "/service/event/ABCD****?apiKey=abcd****&eventName=E",
/// );
/// ```
#[must_use]
pub fn target(target: &str, keys: &[String]) -> String {
    let mut masked = target.as_bytes().to_vec();
    for range in target_key_ranges(target) {
        mask_range(&mut masked, range);
    }
    mask_verbatim(&mut masked, keys);
    // Only ASCII bytes were written over whole characters' bytes.
    String::from_utf8_lossy(&masked).into_owned()
}

/// A text (a header's value, a message) with `keys` masked.
///
/// ```
/// assert_eq!(indicative_server::mask::text("Bearer 3f2a9c7e", &["3f2a9c7e".into()]), "Bearer 3f2a****");
/// ```
#[must_use]
pub fn text(text: &str, keys: &[String]) -> String {
    let mut masked = text.as_bytes().to_vec();
    mask_verbatim(&mut masked, keys);
    String::from_utf8_lossy(&masked).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_however_the_body_writes_them() {
        let body = br#"{ "api\u004bey" : "abcdefghij", "events": [{"apiKey": 1234567}], "apiKey":"ab"}"#;
        let masked = String::from_utf8(super::body(body, &[])).unwrap();
        assert!(masked.contains(r#""abcd******""#), "{masked}");
        assert!(masked.contains(r#""apiKey": 1234***}"#), "{masked}");
        assert!(masked.ends_with(r#""apiKey":"ab"}"#), "{masked}");
        // A broken body keeps its length, and its key is hidden too.
        let broken = br#"{"apiKey":"secret-key-1", "eventName": "#;
        let masked = super::body(broken, &[]);
        assert_eq!(masked.len(), broken.len());
        assert!(!String::from_utf8_lossy(&masked).contains("secret-key-1"));
    }

    #[test]
    fn multibyte_keys_keep_their_length_and_stay_utf8() {
        let body = "{\"apiKey\":\"ééééééé\"}".as_bytes();
        let masked = super::body(body, &[]);
        assert_eq!(masked.len(), body.len());
        assert_eq!(String::from_utf8(masked).unwrap(), "{\"apiKey\":\"éééé******\"}");
    }

    #[test]
    fn keys_are_collected_decoded() {
        let keys = keys_in("/service/event/PATHKEY1?apiKey=query%20key", br#"{"apiKey":"body\"key"}"#);
        assert!(keys.contains(&"PATHKEY1".to_owned()));
        assert!(keys.contains(&"query key".to_owned()));
        assert!(keys.contains(&"body\"key".to_owned()));
        assert_eq!(target("/service/event/batch", &[]), "/service/event/batch");
        assert_eq!(target("/service/event?apiKeyX=abcdefgh", &[]), "/service/event?apiKeyX=abcdefgh");
        // An escaped name is the same parameter to the lint, so it is masked too.
        assert_eq!(target("/service/event?api%4Bey=abcdefgh&e=1", &[]), "/service/event?api%4Bey=abcd****&e=1");
    }
}

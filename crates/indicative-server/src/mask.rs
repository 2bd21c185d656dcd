//! API keys hidden at rest and in every answer.
//!
//! A key keeps its first four characters; every later byte that is not
//! white space becomes `*`. The masking is byte for byte, so a masked body
//! has the length of the original and the findings' byte spans still point
//! at their values; white space is kept so that a key's `whitespace-name`
//! finding still holds on the masked text. Which bytes are keys is
//! [`indicative_contract::keys`]'s to say, as for the CLI's output.

use std::ops::Range;

use indicative_contract::keys::{
    KeySearch, SHOWN, body_key_ranges, is_copied, loose_key_ranges, merged, request_keys, target_key_ranges,
};

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

/// The keys a request carries, decoded: `own` (the request's key, as the
/// lint read it) first, then its path's and query's, then its body's key
/// members in the order written. Used to mask the same keys wherever else
/// they appear (a header, a property value); the first [`indicative_contract::keys::SEARCHED`] are kept,
/// so the request's own key always is.
///
/// ```
/// let keys = indicative_server::mask::keys_in(Some("3f2a9c7e"), "/service/event?apiKey=9e8d7c6b", br#"{"apiKey":"3f2a9c7e"}"#);
/// assert_eq!(*keys, ["3f2a9c7e", "9e8d7c6b"]);
/// ```
#[must_use]
pub fn keys_in(own: Option<&str>, target: &str, body: &[u8]) -> Keys {
    // Each key once, in order, by the rule every surface hides copies by.
    // Each is searched for across the whole request: a body of many
    // distinct keys (a batch whose items each carry one, all masked where
    // they stand anyway) must not cost keys × bytes.
    let mut keys: Vec<String> = own.filter(|key| is_copied(key.as_bytes())).map(str::to_owned).into_iter().collect();
    for key in request_keys(body, &body_key_ranges(body), false, Some(target), MAX_KEYS) {
        if keys.len() < MAX_KEYS && !keys.contains(&key) {
            keys.push(key);
        }
    }
    Keys::new(keys)
}

/// The keys of one request (see [`keys_in`]), with the search for their
/// copies built once: every string of the request and of its record is
/// searched with it, whatever the number of keys.
///
/// ```
/// use indicative_server::mask::{Keys, text};
/// let keys = Keys::new(vec!["3f2a9c7e".into()]);
/// assert_eq!(*keys, ["3f2a9c7e"]);
/// assert_eq!(text("a 3f2a9c7e", &keys), "a 3f2a****");
/// assert!(Keys::default().is_empty());
/// ```
#[derive(Debug, Default)]
pub struct Keys {
    list: Vec<String>,
    search: Option<KeySearch>,
}

impl Keys {
    /// The keys `list`, in order.
    #[must_use]
    pub fn new(list: Vec<String>) -> Self {
        let search = KeySearch::new(&list);
        Self { list, search: Some(search) }
    }

    /// Where copies of the keys stand in `bytes` (see [`KeySearch::copies`]).
    fn copies(&self, bytes: &[u8]) -> Vec<Range<usize>> {
        self.search.as_ref().map_or_else(Vec::new, |search| search.copies(bytes))
    }
}

impl std::ops::Deref for Keys {
    type Target = [String];

    fn deref(&self) -> &[String] {
        &self.list
    }
}

/// The most distinct keys of one request searched for elsewhere in it (all
/// at once), as for the CLI.
const MAX_KEYS: usize = indicative_contract::keys::SEARCHED;

/// A JSON value with every string in it (member names included) masked.
///
/// ```
/// let mut value = serde_json::json!({"cfg": {"apiKey": "3f2a9c7e"}, "list": ["3f2a9c7e"], "apiKey": {"k": 123456789}});
/// indicative_server::mask::value(&mut value, &indicative_server::mask::Keys::new(vec!["3f2a9c7e".into()]));
/// assert_eq!(value, serde_json::json!({"cfg": {"apiKey": "3f2a****"}, "list": ["3f2a****"], "apiKey": {"k": "1234*****"}}));
/// ```
pub fn value(value: &mut serde_json::Value, keys: &Keys) {
    match value {
        serde_json::Value::String(text) => *text = self::text(text, keys),
        serde_json::Value::Array(items) => items.iter_mut().for_each(|item| self::value(item, keys)),
        serde_json::Value::Object(members) => {
            let old = std::mem::take(members);
            for (name, mut item) in old {
                // A member named apiKey is a key whatever its value: every
                // string and number in it is hidden.
                if name == "apiKey" {
                    hide(&mut item);
                } else {
                    self::value(&mut item, keys);
                }
                members.insert(self::text(&name, keys), item);
            }
        }
        _ => {}
    }
}

/// Every string and number in `value` masked (a number becomes the text
/// of its mask).
fn hide(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(text) => *text = self::text(text, &Keys::new(vec![text.clone()])),
        serde_json::Value::Number(number) => {
            let shown = number.to_string();
            *value = serde_json::Value::String(self::text(&shown, &Keys::new(vec![shown.clone()])));
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(hide),
        serde_json::Value::Object(members) => members.values_mut().for_each(hide),
        _ => {}
    }
}

/// `bytes` with each of `ranges` masked.
fn masked(bytes: &[u8], ranges: &[Range<usize>]) -> Vec<u8> {
    let mut masked = bytes.to_vec();
    for range in ranges {
        mask_range(&mut masked, range.clone());
    }
    masked
}

/// Where the keys of a body stand (see [`body`]), in order, without overlaps.
#[must_use]
pub fn body_ranges(bytes: &[u8], keys: &Keys) -> Vec<Range<usize>> {
    let mut ranges = body_key_ranges(bytes);
    ranges.extend(keys.copies(bytes));
    merged(ranges)
}

/// Where the keys of a request target stand (see [`target`]), in order,
/// without overlaps.
#[must_use]
pub fn target_ranges(target: &str, keys: &Keys) -> Vec<Range<usize>> {
    let mut ranges = target_key_ranges(target);
    // A query encoded twice (`apiKey%3DKEY`) and the like.
    ranges.extend(loose_key_ranges(target));
    ranges.extend(keys.copies(target.as_bytes()));
    merged(ranges)
}

/// Where `keys` stand in a text (see [`text`]), in order, without overlaps.
#[must_use]
pub fn text_ranges(text: &str, keys: &Keys) -> Vec<Range<usize>> {
    merged(keys.copies(text.as_bytes()))
}

/// A body with its keys masked: every `apiKey` member's value, and every
/// other verbatim occurrence of `keys`.
///
/// ```
/// let body = br#"{"apiKey":"3f2a9c7e","eventName":"E","properties":{"copy":"3f2a9c7e"}}"#;
/// let masked = indicative_server::mask::body(body, &indicative_server::mask::Keys::new(vec!["3f2a9c7e".into()]));
/// assert_eq!(masked, br#"{"apiKey":"3f2a****","eventName":"E","properties":{"copy":"3f2a****"}}"#);
/// ```
///
/// A valid JSON body stays valid JSON of the same shape, so that an export
/// lints to the verdict its request was given: an escape is shown whole or
/// masked whole, a number's hidden digits become `0`, and a key given as an
/// object or an array keeps its brackets, quotes and commas.
///
/// ```
/// let body = br#"{"apiKey":"\u0041bcdefgh","events":[{"apiKey":12345678}],"x":{"apiKey":["a\"cdefgh", -17.5e3]}}"#;
/// let masked = indicative_server::mask::body(body, &indicative_server::mask::Keys::default());
/// assert_eq!(masked, br#"{"apiKey":"\u0041bcd****","events":[{"apiKey":12340000}],"x":{"apiKey":["*********", -10.0e0]}}"#);
/// ```
#[must_use]
pub fn body(bytes: &[u8], keys: &Keys) -> Vec<u8> {
    let ranges = body_ranges(bytes, keys);
    let mut masked = bytes.to_vec();
    if ranges.is_empty() {
        return masked;
    }
    // A body that is not JSON has no grammar to keep: byte for byte.
    if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() {
        for range in ranges {
            mask_range(&mut masked, range);
        }
        return masked;
    }
    let tokens = Tokens::of(bytes);
    // The ranges are in order: the walk over a string's characters goes on
    // from where the last range left it (many copies of a key in one long
    // string cost its length, not its length times theirs).
    let mut cursor = 0;
    for range in ranges {
        tokens.mask(&mut masked, bytes, range, &mut cursor);
    }
    masked
}

/// A body whose keys cannot be found in it (it is compressed) masked
/// whole: its first [`SHOWN`] bytes kept (a format's magic number), every
/// later byte `*`.
///
/// ```
/// assert_eq!(indicative_server::mask::opaque(b"\x1f\x8b\x08\x00\x01\x02\x03"), b"\x1f\x8b\x08\x00***");
/// ```
#[must_use]
pub fn opaque(bytes: &[u8]) -> Vec<u8> {
    let mut masked = bytes.to_vec();
    masked.iter_mut().skip(SHOWN).for_each(|byte| *byte = b'*');
    masked
}

/// The strings (their insides) and numbers of a valid JSON text, in order.
struct Tokens {
    strings: Vec<Range<usize>>,
    numbers: Vec<Range<usize>>,
}

impl Tokens {
    fn of(bytes: &[u8]) -> Self {
        let (mut strings, mut numbers) = (Vec::new(), Vec::new());
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'"' => {
                    let start = i + 1;
                    i = start;
                    while i < bytes.len() && bytes[i] != b'"' {
                        i += if bytes[i] == b'\\' { 2 } else { 1 };
                    }
                    strings.push(start..i.min(bytes.len()));
                    i += 1;
                }
                b'-' | b'0'..=b'9' => {
                    let start = i;
                    while i < bytes.len() && matches!(bytes[i], b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') {
                        i += 1;
                    }
                    numbers.push(start..i);
                }
                _ => i += 1,
            }
        }
        Self { strings, numbers }
    }

    /// Masks the key at `range` of `source` in `masked` (the same text),
    /// keeping the grammar: the part of each string it covers, widened to
    /// whole characters (an escape is one), shows its first [`SHOWN`]; a
    /// number it touches keeps its first [`SHOWN`] characters and has its
    /// later digits `0`; an object or array it starts is masked whole.
    ///
    /// `cursor`: a character boundary at or before `range` in the string
    /// it starts in, if it is that string's (see [`whole_characters`]).
    fn mask(&self, masked: &mut [u8], source: &[u8], range: Range<usize>, cursor: &mut usize) {
        if matches!(source.get(range.start), Some(b'{' | b'[')) && !self.inside_string(range.start) {
            mask_structure(&mut masked[range]);
            return;
        }
        let overlapping = |tokens: &[Range<usize>]| {
            let first = tokens.partition_point(|t| t.end <= range.start);
            let last = tokens.partition_point(|t| t.start < range.end);
            first..last.max(first)
        };
        for t in overlapping(&self.strings) {
            let token = &self.strings[t];
            let part = range.start.max(token.start)..range.end.min(token.end);
            let from = if (token.start..=part.start).contains(cursor) { *cursor } else { token.start };
            let part = whole_characters(source, from..token.end, part);
            *cursor = part.end;
            mask_string_part(&mut masked[part]);
        }
        for t in overlapping(&self.numbers) {
            for byte in masked[self.numbers[t].clone()].iter_mut().skip(SHOWN) {
                if byte.is_ascii_digit() {
                    *byte = b'0';
                }
            }
        }
    }

    fn inside_string(&self, at: usize) -> bool {
        let t = self.strings.partition_point(|t| t.end <= at);
        self.strings.get(t).is_some_and(|t| t.start <= at)
    }
}

/// `part` of the string inside `token` widened to whole characters: an
/// escape (a surrogate pair's two escapes together) or a UTF-8 sequence is
/// never cut. `token` starts at a character boundary (its string's start,
/// or where an earlier part ended), at or before `part`.
fn whole_characters(source: &[u8], token: Range<usize>, part: Range<usize>) -> Range<usize> {
    let (mut start, mut end) = (part.start, part.end);
    let mut i = token.start;
    while i < token.end {
        let next = (i + char_length(&source[i..token.end])).min(token.end);
        if i < part.start && part.start < next {
            start = i;
        }
        if i < part.end && part.end < next {
            end = next;
        }
        if next >= part.end {
            break;
        }
        i = next;
    }
    start..end
}

/// The bytes of the first character written in a JSON string's inside: an
/// escape (a surrogate pair's two as one), or a UTF-8 sequence.
fn char_length(bytes: &[u8]) -> usize {
    match bytes {
        [b'\\', b'u', b'd' | b'D', b'8' | b'9' | b'a' | b'b' | b'A' | b'B', _, _, b'\\', b'u', ..] => 12,
        [b'\\', b'u', ..] => 6,
        [b'\\', ..] => 2,
        [lead, ..] if lead & 0xC0 == 0xC0 => (lead.leading_ones() as usize).max(1),
        _ => 1,
    }
}

/// Masks the inside of a JSON string (or a part of it) after its first
/// [`SHOWN`] characters, an escape counting as the character it writes (a
/// surrogate pair's two as one): the bytes after them become `*`, white
/// space kept.
fn mask_string_part(bytes: &mut [u8]) {
    let (mut i, mut chars) = (0, 0);
    while i < bytes.len() && chars < SHOWN {
        i += char_length(&bytes[i..]);
        chars += 1;
    }
    for byte in bytes.iter_mut().skip(i) {
        if !byte.is_ascii_whitespace() {
            *byte = b'*';
        }
    }
}

/// Masks a JSON object or array whole: every string's inside becomes `*`
/// (escapes included), every number becomes `1` then `0`s (`-12.5` is
/// `-10.0`); brackets, quotes, separators, literals and white space stay.
fn mask_structure(bytes: &mut [u8]) {
    let (mut in_string, mut escaped) = (false, false);
    // In a number: whether its first digit was read.
    let mut in_number: Option<bool> = None;
    for byte in bytes.iter_mut() {
        if in_string {
            if escaped {
                escaped = false;
            } else if *byte == b'\\' {
                escaped = true;
            } else if *byte == b'"' {
                in_string = false;
                continue;
            }
            if !byte.is_ascii_whitespace() {
                *byte = b'*';
            }
            continue;
        }
        match (*byte, in_number) {
            (b'"', _) => in_string = true,
            (b'0'..=b'9', Some(true)) => *byte = b'0',
            // A number's first digit shows nothing either: `1`, then `0`s.
            (b'0'..=b'9', _) => {
                *byte = b'1';
                in_number = Some(true);
            }
            (b'-', None) => in_number = Some(false),
            (b'.' | b'e' | b'E' | b'+' | b'-', Some(_)) => {}
            _ => in_number = None,
        }
    }
}

/// A request target (path and query) with its keys masked.
///
/// ```
/// assert_eq!(
///     indicative_server::mask::target("/service/event/ABCDEFGH?apiKey=abcdefgh&eventName=E", &indicative_server::mask::Keys::default()),
///     "/service/event/ABCD****?apiKey=abcd****&eventName=E",
/// );
/// ```
#[must_use]
pub fn target(target: &str, keys: &Keys) -> String {
    // Only ASCII bytes were written over whole characters' bytes.
    String::from_utf8_lossy(&masked(target.as_bytes(), &target_ranges(target, keys))).into_owned()
}

/// A text (a header's value, a message) with `keys` masked.
///
/// ```
/// assert_eq!(indicative_server::mask::text("Bearer 3f2a9c7e", &indicative_server::mask::Keys::new(vec!["3f2a9c7e".into()])), "Bearer 3f2a****");
/// ```
#[must_use]
pub fn text(text: &str, keys: &Keys) -> String {
    String::from_utf8_lossy(&masked(text.as_bytes(), &text_ranges(text, keys))).into_owned()
}

/// Whether a header's name (lower case, as HTTP/2 and `http` write it)
/// says its value is a credential: `Authorization`, `Cookie`, `X-Api-Key`,
/// anything naming a key, token, secret, password or session.
fn is_credential_header(name: &str) -> bool {
    matches!(name, "authorization" | "proxy-authorization" | "cookie" | "set-cookie")
        || ["key", "token", "secret", "auth", "password", "session"].iter().any(|word| name.contains(word))
}

/// A header's value as stored: a credential header's value masked whole
/// (an `Authorization` value after its scheme), and `keys` masked in any
/// other.
///
/// ```
/// use indicative_server::mask::{Keys, header};
/// assert_eq!(header("authorization", "Bearer eyJhbGciOi", &Keys::default()), "Bearer eyJh******");
/// assert_eq!(header("x-api-key", "9e8d7c6b5a", &Keys::default()), "9e8d******");
/// assert_eq!(header("user-agent", "sdk 3f2a9c7e", &Keys::new(vec!["3f2a9c7e".into()])), "sdk 3f2a****");
/// assert_eq!(header("content-type", "application/json", &Keys::default()), "application/json");
/// ```
#[must_use]
pub fn header(name: &str, value: &str, keys: &Keys) -> String {
    if !is_credential_header(name) {
        return text(value, keys);
    }
    // `Scheme credentials`: the scheme is shown, the credentials masked.
    let start = match value.trim_start().split_once(' ') {
        Some((scheme, _)) if name.ends_with("authorization") => {
            let lead = value.len() - value.trim_start().len();
            let rest = &value[lead + scheme.len()..];
            lead + scheme.len() + (rest.len() - rest.trim_start().len())
        }
        _ => 0,
    };
    let mut bytes = value.as_bytes().to_vec();
    let end = bytes.len();
    mask_range(&mut bytes, start..end);
    String::from_utf8_lossy(&bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_however_the_body_writes_them() {
        let body = br#"{ "api\u004bey" : "abcdefghij", "events": [{"apiKey": 1234567}], "apiKey":"ab"}"#;
        let masked = String::from_utf8(super::body(body, &Keys::default())).unwrap();
        assert!(masked.contains(r#""abcd******""#), "{masked}");
        assert!(masked.contains(r#""apiKey": 1234000}"#), "{masked}");
        assert!(masked.ends_with(r#""apiKey":"ab"}"#), "{masked}");
        // A broken body keeps its length, and its key is hidden too.
        let broken = br#"{"apiKey":"secret-key-1", "eventName": "#;
        // Unquoted, as the loose reading finds them: hidden whole past the first four.
        for (loose, shown) in
            [("apiKey: 12ab34cd56, x", "apiKey: 12ab******, x"), ("apiKey=truetoken", "apiKey=true*****")]
        {
            assert_eq!(String::from_utf8(super::body(loose.as_bytes(), &Keys::default())).unwrap(), shown);
        }
        let masked = super::body(broken, &Keys::default());
        assert_eq!(masked.len(), broken.len());
        assert!(!String::from_utf8_lossy(&masked).contains("secret-key-1"));
    }

    /// A valid body masked is valid JSON, which lints to the same status:
    /// an export of the capture keeps each request's verdict.
    #[test]
    fn a_valid_body_stays_valid_and_keeps_its_status() {
        use indicative_contract::{LintOptions, RequestInfo, lint_body};
        let bodies = [
            r#"{"apiKey":"\u0041scapedKeyABCDEF","eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":"ab\ud83d\ude00cdefgh\"ij\\kl","eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":"\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00","eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":12345678901234,"eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":-1234.5678e-10,"eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":["ArrKey123456789", {"k": [-12, "x\"y"]}, true, null],"eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":{"a": "b\\\"", "n": 10.25},"eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":"abcdefgh","events":[{"apiKey":"abcdefgh","eventName":"a","eventUniqueId":"u","properties":{"copy":"abcdefgh"}}]}"#,
            r#"{"apiKey":false,"eventName":"a","eventUniqueId":"u"}"#,
            // Copies next to escapes and inside a larger number; a key
            // ending in a backslash; brackets inside a string key.
            r#"{"apiKey":"abcdefg\\","eventName":"a","eventUniqueId":"u","properties":{"c":"abcdefg\\"}}"#,
            r#"{"apiKey":12345678,"eventName":"a","eventUniqueId":"u","n":912345678}"#,
            r#"{"apiKey":"abcdefgh","eventName":"a","eventUniqueId":"u","properties":{"c":"\u00e9abcdefgh\n","d":"\\abcdefgh"}}"#,
            r#"{"apiKey":"[3f2a9c7e5b1d]","eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":"['3f2a9c7e5b1d']","eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":[3,1,4,1,5,9,2,6],"eventName":"a","eventUniqueId":"u"}"#,
            r#"{"apiKey":[[["nested-key-123"]], -0, 1e5],"eventName":"a","eventUniqueId":"u"}"#,
        ];
        let options = LintOptions::new(0);
        for body in bodies {
            let request = RequestInfo::http("POST", "/service/event", Some("application/json"));
            let masked = super::body(body.as_bytes(), &Keys::new(vec!["abcdefgh".into()]));
            let text = String::from_utf8_lossy(&masked);
            assert_eq!(masked.len(), body.len(), "{text}");
            assert!(serde_json::from_slice::<serde_json::Value>(&masked).is_ok(), "{body} became {text}");
            let (before, after) =
                (lint_body(body.as_bytes(), &request, &options), lint_body(&masked, &request, &options));
            assert_eq!(before.status, after.status, "{body} became {text}");
            for secret in ["scapedKey", "56789", "ArrKey", "cdefgh", "9c7e5b1d", "3,1,4", "nested-key"] {
                assert!(!text.contains(secret), "{text}");
            }
        }
    }

    #[test]
    fn each_place_of_a_key_is_given_once() {
        // The member's value and a verbatim find of the same key: one place.
        let body = br#"{"apiKey":"abcdefgh","x":"abcdefgh"}"#;
        assert_eq!(body_ranges(body, &Keys::new(vec!["abcdefgh".into()])), [11..19, 26..34]);
        // Keys that overlap in the text are one place, masked whole.
        assert_eq!(text("xxabcdefghij", &Keys::new(vec!["abcdefgh".into(), "efghij".into()])), "xxabcd******");
        assert_eq!(
            target_ranges("/service/event/batch/abcdefgh", &Keys::default()),
            vec![Range { start: 21, end: 29 }]
        );
    }

    #[test]
    fn multibyte_keys_keep_their_length_and_stay_utf8() {
        let body = "{\"apiKey\":\"ééééééé\"}".as_bytes();
        let masked = super::body(body, &Keys::default());
        assert_eq!(masked.len(), body.len());
        assert_eq!(String::from_utf8(masked).unwrap(), "{\"apiKey\":\"éééé******\"}");
    }

    #[test]
    fn keys_are_collected_decoded() {
        let keys = keys_in(None, "/service/event/PATHKEY1?apiKey=query%20key", br#"{"apiKey":"body\"key"}"#);
        assert!(keys.contains(&"PATHKEY1".to_owned()));
        assert!(keys.contains(&"query key".to_owned()));
        assert!(keys.contains(&"body\"key".to_owned()));
        // A string key that starts with a bracket is a string, searched for.
        let keys = keys_in(None, "/service/event", br#"{"apiKey":"[abcdefgh","x":{"y":["[abcdefgh"]}}"#);
        assert!(keys.contains(&"[abcdefgh".to_owned()), "{keys:?}");
        // A short value under a name like appKey hides nothing elsewhere.
        assert!(keys_in(None, "/service/event", br#"{"appKey":"event","eventName":"E"}"#).is_empty());
        assert_eq!(target("/service/event/batch", &Keys::default()), "/service/event/batch");
        // A name two letters off apiKey is some other parameter; one off is a typo of it.
        assert_eq!(target("/service/event?apiKeyXY=abcdefgh", &Keys::default()), "/service/event?apiKeyXY=abcdefgh");
        assert_eq!(target("/service/event?apiKeyX=abcdefgh", &Keys::default()), "/service/event?apiKeyX=abcd****");
        // An escaped name is the same parameter to the lint, so it is masked too.
        assert_eq!(
            target("/service/event?api%4Bey=abcdefgh&e=1", &Keys::default()),
            "/service/event?api%4Bey=abcd****&e=1"
        );
    }

    /// What the exact readings cannot follow is hidden by the loose one.
    #[test]
    fn broken_bodies_and_targets_hide_their_keys() {
        for body in [&br#"{'apiKey':'SecretKey123456'}"#[..], br#"{"eventName":"Say "hi","apiKey":"SecretKey123456"}"#]
        {
            let masked = String::from_utf8(super::body(body, &Keys::default())).unwrap();
            assert!(!masked.contains("SecretKey123456") && masked.contains("Secr"), "{masked}");
        }
        assert_eq!(
            target("/service/event?apiKey%3DSecretKey123456&e=1", &Keys::default()),
            "/service/event?apiKey%3DSecr***********&e=1"
        );
        // A valid body's key places are the exact reading's alone.
        let valid = br#"{"apiKey":"SecretKey123456","note":"api key: rotated"}"#;
        assert_eq!(body_ranges(valid, &Keys::default()), vec![Range { start: 11, end: 26 }]);
    }

    /// The request's own key is kept however many other keys its items
    /// carry: a header holding it is masked too.
    #[test]
    fn the_own_key_is_always_searched_for() {
        let items: Vec<String> =
            (0..1100).map(|i| format!(r#"{{"apiKey":"AAAA{i:04}","eventName":"e","eventUniqueId":"u"}}"#)).collect();
        let body = format!(r#"{{"events":[{}],"apiKey":"ZZZZ-OWN-KEY"}}"#, items.join(","));
        let keys = keys_in(Some("ZZZZ-OWN-KEY"), "/service/event/batch", body.as_bytes());
        assert_eq!(keys.len(), super::MAX_KEYS);
        assert_eq!(keys[0], "ZZZZ-OWN-KEY");
        assert_eq!(text("Bearer ZZZZ-OWN-KEY", &keys), "Bearer ZZZZ********");
    }
}

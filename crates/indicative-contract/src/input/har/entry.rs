//! One HAR entry read into a document: the entry is read by the lint
//! engine's JSON reader (`lint/reader`), its `request` (method, URL, the
//! first `Content-Type` header, `postData`) into values, the rest checked as
//! JSON and skipped, as strictly as a body is read: UTF-8 throughout, no
//! lone surrogate escape, nested at most [`crate::limits::MAX_DEPTH`] deep.

use std::borrow::Cow;

use crate::input::{Document, InputError, Payload};
use crate::lint::reader::{Peek, ReadError, Reader};
use crate::lint::{RequestInfo, skip_json_value};

/// What a lint takes from an entry's request.
#[derive(Default)]
struct Request {
    method: String,
    url: String,
    /// The value of the first `Content-Type` header.
    content_type: Option<String>,
    post_data: Option<PostData>,
}

#[derive(Default)]
struct PostData {
    mime_type: Option<String>,
    text: Option<String>,
    encoding: Option<String>,
}

/// Why an entry is not a HAR entry, and where in its text.
struct Fault {
    at: usize,
    message: Cow<'static, str>,
}

impl From<ReadError> for Fault {
    fn from(error: ReadError) -> Self {
        Self { at: error.at, message: Cow::Borrowed(error.message) }
    }
}

impl From<(usize, String)> for Fault {
    fn from((at, message): (usize, String)) -> Self {
        Self { at, message: Cow::Owned(message) }
    }
}

type Read<T> = Result<T, Fault>;

/// A value's kind, as a message names it.
const fn kind_of(peek: Peek) -> &'static str {
    match peek {
        Peek::Object => "an object",
        Peek::Array => "an array",
        Peek::String => "a string",
        Peek::Number => "a number",
        Peek::True | Peek::False => "a boolean",
        Peek::Null => "null",
    }
}

/// Reads the value the reader is at, which must be of kind `want`
/// (`what` names it in the message: "`request` is a number, not an object").
fn expect(j: &mut Reader<'_>, want: Peek, what: &str) -> Read<()> {
    let peek = j.peek()?;
    if peek == want {
        return Ok(());
    }
    Err(Fault { at: j.index(), message: format!("{what} is {}, not {}", kind_of(peek), kind_of(want)).into() })
}

/// A member's string value; `null` too when `nullable`.
fn string(j: &mut Reader<'_>, what: &str, nullable: bool) -> Read<Option<String>> {
    if nullable && j.peek()? == Peek::Null {
        j.literal(Peek::Null)?;
        return Ok(None);
    }
    expect(j, Peek::String, what)?;
    Ok(Some(j.str()?.to_owned()))
}

/// `postData.text` (a string or `null`), decoded: when it has escapes, the
/// reader's tape (sized for the entry up front) is taken as it is, and
/// given back what it holds beyond twice the text (so that a small body
/// does not keep the entry's size).
fn body_text(j: &mut Reader<'_>) -> Read<Option<String>> {
    if j.peek()? == Peek::Null {
        j.literal(Peek::Null)?;
        return Ok(None);
    }
    expect(j, Peek::String, "`request.postData.text`")?;
    let mut text = j.owned_str()?;
    if text.capacity() > 2 * text.len() {
        text.shrink_to_fit();
    }
    Ok(Some(text))
}

/// Marks the member numbered `bit` of an object as read; a second time is
/// a fault, as a JSON reader of HAR into types finds it.
fn once(seen: &mut u8, bit: usize, at: usize, name: &str) -> Read<()> {
    if *seen & 1 << bit != 0 {
        return Err(Fault { at, message: format!("`{name}` is given twice").into() });
    }
    *seen |= 1 << bit;
    Ok(())
}

/// The end of an object: a fault if a required member (of `required`, by
/// their bits in `names`) was not read.
fn missing(j: &Reader<'_>, seen: u8, names: &[&str], required: u8, whose: &str) -> Read<()> {
    match (0..names.len()).find(|&bit| required & 1 << bit != 0 && seen & 1 << bit == 0) {
        Some(bit) => {
            // At the object's closing brace.
            Err(Fault { at: j.index().saturating_sub(1), message: format!("{whose} has no `{}`", names[bit]).into() })
        }
        None => Ok(()),
    }
}

/// Reads an entry's text (one item of `log.entries`): an object whose
/// `request` member is read into `read`, and whose other members are
/// checked as JSON and skipped, as a body's are (nested at most
/// [`crate::limits::MAX_DEPTH`] deep, number literals of at most
/// [`crate::limits::MAX_NUMBER_BYTES`]). On a fault, `read` holds the
/// request if it was read whole before the fault.
fn read_entry(json: &[u8], read: &mut Option<Request>) -> Read<()> {
    // A tape that holds any of the entry's strings decoded (none is longer
    // than the entry's text), so that decoding the body does not grow it
    // step by step; the body takes it (see `body_text`). Up to 64 KiB: an
    // entry may be a large download, most of it skipped.
    let mut j = Reader::with_tape(json, String::with_capacity(json.len().min(64 << 10)))?;
    let mut stack = Vec::new();
    expect(&mut j, Peek::Object, "the entry")?;
    let mut seen = 0;
    let mut key = j.object_first()?.map(|k| k == "request");
    while let Some(is_request) = key {
        if is_request {
            // Of two requests, neither is known to be the one.
            *read = None;
            once(&mut seen, 0, value_at(&mut j)?, "request")?;
            *read = Some(read_request(&mut j, &mut stack)?);
        } else {
            let peek = j.peek()?;
            skip_json_value(&mut j, &mut stack, peek, 2)?;
        }
        key = j.object_next()?.map(|k| k == "request");
    }
    missing(&j, seen, &["request"], 1, "the entry")?;
    j.finish()?;
    Ok(())
}

/// The text of an entry's one top-level `request` member's value, found by
/// its structure alone (strings and nesting followed, nothing decoded or
/// checked); `None` when there is none, or more than one.
fn request_value(json: &[u8]) -> Option<&[u8]> {
    use crate::keys::{skip_space, string_end, value_end};
    let (mut depth, mut i, mut found) = (0_usize, 0, None);
    while i < json.len() {
        match json[i] {
            b'"' => {
                let end = string_end(json, i);
                if end >= json.len() {
                    return None;
                }
                let colon = skip_space(json, end + 1);
                if depth == 1 && &json[i..=end] == b"\"request\"" && json.get(colon) == Some(&b':') {
                    // An object, as a request is (anything else does not
                    // read as one).
                    let start = skip_space(json, colon + 1);
                    if json.get(start) != Some(&b'{') {
                        return None;
                    }
                    let stop = value_end(json, start);
                    if found.replace(start..stop).is_some() {
                        return None;
                    }
                    i = stop;
                    continue;
                }
                i = end;
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    found.map(|range| &json[range])
}

/// Where the value after a key starts (past the white space).
fn value_at(j: &mut Reader<'_>) -> Read<usize> {
    j.peek()?;
    Ok(j.index())
}

fn read_request(j: &mut Reader<'_>, stack: &mut Vec<bool>) -> Read<Request> {
    const NAMES: [&str; 4] = ["method", "url", "headers", "postData"];
    expect(j, Peek::Object, "`request`")?;
    let (mut request, mut seen) = (Request::default(), 0);
    let mut key = j.object_first()?.map(|k| NAMES.iter().position(|&n| n == k));
    while let Some(field) = key {
        if let Some(bit) = field {
            once(&mut seen, bit, value_at(j)?, NAMES[bit])?;
        }
        match field {
            Some(0) => request.method = string(j, "`request.method`", false)?.unwrap_or_default(),
            Some(1) => request.url = string(j, "`request.url`", false)?.unwrap_or_default(),
            Some(2) => request.content_type = read_headers(j, stack)?,
            Some(3) => request.post_data = read_post_data(j, stack)?,
            _ => {
                let peek = j.peek()?;
                skip_json_value(j, stack, peek, 3)?;
            }
        }
        key = j.object_next()?.map(|k| NAMES.iter().position(|&n| n == k));
    }
    missing(j, seen, &NAMES, 0b11, "`request`")?;
    Ok(request)
}

/// Reads `request.headers` (an array of objects with a `name` and a
/// `value`); returns the value of the first `Content-Type` header.
fn read_headers(j: &mut Reader<'_>, stack: &mut Vec<bool>) -> Read<Option<String>> {
    const NAMES: [&str; 2] = ["name", "value"];
    expect(j, Peek::Array, "`request.headers`")?;
    let mut content_type = None;
    let mut next = j.array_first()?;
    while let Some(peek) = next {
        if peek != Peek::Object {
            return Err(Fault {
                at: j.index(),
                message: format!("a header is {}, not an object", kind_of(peek)).into(),
            });
        }
        // Whether the name is Content-Type (unknown until read), and the
        // value, kept while it may be needed.
        let (mut is_type, mut value, mut seen) = (None, None, 0);
        let mut key = j.object_first()?.map(|k| NAMES.iter().position(|&n| n == k));
        while let Some(field) = key {
            let at = value_at(j)?;
            match field {
                Some(0) => {
                    once(&mut seen, 0, at, "name")?;
                    expect(j, Peek::String, "a header's `name`")?;
                    is_type = Some(j.str()?.eq_ignore_ascii_case("content-type"));
                }
                Some(_) => {
                    once(&mut seen, 1, at, "value")?;
                    expect(j, Peek::String, "a header's `value`")?;
                    let text = j.str()?;
                    value = (is_type != Some(false)).then(|| text.to_owned());
                }
                None => {
                    let peek = j.peek()?;
                    skip_json_value(j, stack, peek, 5)?;
                }
            }
            key = j.object_next()?.map(|k| NAMES.iter().position(|&n| n == k));
        }
        missing(j, seen, &NAMES, 0b11, "a header")?;
        if is_type == Some(true) && content_type.is_none() {
            content_type = value;
        }
        next = j.array_next()?;
    }
    Ok(content_type)
}

/// Reads `request.postData` (`null`, or an object).
fn read_post_data(j: &mut Reader<'_>, stack: &mut Vec<bool>) -> Read<Option<PostData>> {
    const NAMES: [&str; 3] = ["mimeType", "text", "encoding"];
    if j.peek()? == Peek::Null {
        j.literal(Peek::Null)?;
        return Ok(None);
    }
    expect(j, Peek::Object, "`request.postData`")?;
    let (mut post, mut seen) = (PostData::default(), 0);
    let mut key = j.object_first()?.map(|k| NAMES.iter().position(|&n| n == k));
    while let Some(field) = key {
        let at = value_at(j)?;
        match field {
            Some(0) => {
                once(&mut seen, 0, at, "mimeType")?;
                post.mime_type = string(j, "`request.postData.mimeType`", true)?;
            }
            Some(1) => {
                once(&mut seen, 1, at, "text")?;
                post.text = body_text(j)?;
            }
            Some(_) => {
                once(&mut seen, 2, at, "encoding")?;
                post.encoding = string(j, "`request.postData.encoding`", true)?;
            }
            None => {
                let peek = j.peek()?;
                skip_json_value(j, stack, peek, 4)?;
            }
        }
        key = j.object_next()?.map(|k| NAMES.iter().position(|&n| n == k));
    }
    Ok(Some(post))
}

/// The document of HAR entry number `entry`, from the entry's JSON text (an
/// item of `log.entries`, as [`HarCutter`](super::HarCutter) cuts them), or `None` for a
/// request to a path that is not the API's. Its `index` is 0: the caller
/// numbers the documents it keeps.
///
/// # Errors
///
/// The entry is not a HAR entry, or its body is marked base64 and is not.
///
/// ```
/// use indicative_contract::input::har_entry;
/// let entry = br#"{"request": {"method": "GET", "url": "https://api.indicative.com/service/event?apiKey=k"}}"#;
/// let document = har_entry(0, entry).unwrap().unwrap();
/// assert_eq!(document.source(), b"https://api.indicative.com/service/event?apiKey=k");
/// let other = br#"{"request": {"method": "GET", "url": "https://cdn.example.com/app.js"}}"#;
/// assert!(har_entry(1, other).unwrap().is_none());
/// ```
pub fn har_entry(entry: usize, json: &[u8]) -> Result<Option<Document<'static>>, InputError> {
    let to_api = |request: &Request| {
        let path = crate::kind::path_of(&request.url);
        path.starts_with("/service/") || path == "/service"
    };
    let mut read = None;
    if let Err(fault) = read_entry(json, &mut read) {
        // A part before the request that does not read (HAR fixes no
        // order: Chrome writes `_initiator` first, and a response may come
        // before its request): the request is found by the entry's
        // structure alone, and read on its own.
        if read.is_none()
            && let Some(value) = request_value(json)
            && let Ok(mut j) = Reader::with_tape(value, String::new())
        {
            read = read_request(&mut j, &mut Vec::new()).ok().filter(|_| j.finish().is_ok());
        }
        // An entry to another host whose request reads, and whose response
        // (or other part) does not, is skipped as it would be if it did: a
        // browser's capture may hold a page's text with a lone surrogate
        // escape, which is not JSON's to a strict reader.
        if read.as_ref().is_some_and(|request| !to_api(request)) {
            return Ok(None);
        }
        return Err(InputError {
            message: format!("HAR entry {entry} is not a HAR entry: {}", fault.message),
            offset: Some(fault.at.min(json.len())),
        });
    }
    let request = read.unwrap_or_default();
    if !to_api(&request) {
        return Ok(None);
    }
    // An empty mimeType is what HAR writers put for a request without one.
    let content_type = request.content_type.or_else(|| {
        request
            .post_data
            .as_ref()
            .and_then(|p| p.mime_type.as_deref())
            .filter(|mime| !mime.is_empty())
            .map(str::to_owned)
    });
    let url = request.url;
    let info = RequestInfo { kind: None, method: Some(request.method), path: Some(url.clone()), content_type };
    let payload = if info.method.as_deref().is_some_and(|m| m.eq_ignore_ascii_case("GET")) {
        Payload::Query { url: Cow::Owned(url), request: info }
    } else {
        let post = request.post_data.unwrap_or_default();
        let text = post.text.unwrap_or_default();
        // A body that is not text (browsers and capture servers write bytes
        // that are not UTF-8 so) is linted as the bytes it stands for.
        let bytes = if post.encoding.as_deref() == Some("base64") {
            use base64::Engine as _;
            base64::engine::general_purpose::STANDARD
                .decode(text.trim())
                .map_err(|e| InputError::new(format!("HAR entry {entry}: the body is marked base64 but is not: {e}")))?
        } else {
            text.into_bytes()
        };
        Payload::Body { bytes: Cow::Owned(bytes), request: info }
    };
    Ok(Some(Document { index: 0, line: 1, column: 1, offset: None, entry: Some(entry), payload }))
}

#[cfg(test)]
mod tests {
    use super::{har_entry, read_entry};

    fn reads(entry: &[u8]) -> Result<(), String> {
        read_entry(entry, &mut None).map_err(|fault| fault.message.into_owned())
    }

    /// Where the reader is stricter than serde_json was on the parts it
    /// skipped: JSON's text as a body is read (UTF-8, no lone surrogate,
    /// number literals of at most 1000 bytes, nested at most 1000 deep with
    /// the entry as 1), wherever in the entry.
    #[test]
    fn the_whole_entry_is_json_as_a_body_is() {
        let request = r#""request": {"method": "GET", "url": "https://cdn.example.com/a""#;
        // A value nested `levels` deep (arrays, the outermost counted).
        let nested = |levels: usize| format!("{}{}", "[".repeat(levels), "]".repeat(levels));
        // (the entry with a value put where `{}` is, how deep that value
        // itself stands)
        let places = [
            (format!("{{{request}}}, \"response\": {{}}}}"), 2),
            (format!("{{{request}, \"x\": {{}}}}}}"), 3),
            (format!("{{{request}, \"postData\": {{\"x\": {{}}}}}}}}"), 4),
            (format!("{{{request}, \"headers\": [{{\"name\": \"a\", \"value\": \"b\", \"x\": {{}}}}]}}}}"), 5),
        ];
        for (shape, depth) in &places {
            let at = |levels: usize| shape.replacen("{}", &nested(levels), 1);
            // The innermost array at depth 1000 reads; at 1001 it does not.
            let deepest = 1000 - depth + 1;
            assert_eq!(reads(at(deepest).as_bytes()), Ok(()), "depth {depth}");
            let error = reads(at(deepest + 1).as_bytes()).expect_err("too deep");
            assert!(error.contains("nesting deeper than 1000 levels"), "{error}");
        }
        let response = |value: &str| format!("{{{request}}}, \"response\": {value}}}");
        for (value, error) in [
            (r#""\ud800""#, "lone leading surrogate in hex escape"),
            (r#""\udc00x""#, "lone trailing surrogate in hex escape"),
            (&format!("1{}", "0".repeat(1000)), "a number literal of 1001 bytes; the limit is 1000"),
        ] {
            assert_eq!(reads(response(value).as_bytes()), Err(error.to_owned()), "{value}");
        }
        assert_eq!(reads(response(&format!("1{}", "0".repeat(999))).as_bytes()), Ok(()));
        let mut bytes = response(r#""ab""#).into_bytes();
        let b = bytes.iter().rposition(|&c| c == b'b').expect("b");
        bytes[b] = 0xff;
        assert_eq!(reads(&bytes), Err("invalid UTF-8".to_owned()));
    }

    /// An entry to another host whose request reads is skipped when the
    /// rest does not read (as it would be if it did); an entry to the API,
    /// or whose request does not read, is reported.
    #[test]
    fn a_fault_past_the_request_of_another_host_is_skipped() {
        let entry = |url: &str, rest: &str| {
            format!(
                r#"{{"request": {{"method": "POST", "url": "{url}"{rest}}}, "response": {{"content": {{"text": "\udc00"}}}}}}"#
            )
        };
        let cdn = "https://cdn.example.com/app.js";
        let api = "https://api.indicative.com/service/event";
        assert!(matches!(har_entry(0, entry(cdn, "").as_bytes()), Ok(None)));
        let error = har_entry(0, entry(api, "").as_bytes()).expect_err("the API's");
        assert!(error.to_string().contains("lone trailing surrogate"), "{error}");
        // A fault in the request itself is reported whoever it was for.
        assert!(har_entry(0, entry(cdn, r#", "headers": null"#).as_bytes()).is_err());
        // Of two requests (one the API's), neither is skipped.
        let two = format!(
            r#"{{"request": {{"method": "GET", "url": "{cdn}"}}, "request": {{"method": "GET", "url": "{api}"}}}}"#
        );
        assert!(har_entry(0, two.as_bytes()).is_err());
        // HAR fixes no order: a part that does not read before the request
        // of another host is skipped alike; before the API's, reported.
        let first = |url: &str| {
            format!(
                r#"{{"_initiator": {{"x": "\ud800 bad"}}, "response": {{"content": {{"text": "\udc00"}}}}, "request": {{"method": "GET", "url": "{url}", "headers": []}}}}"#
            )
        };
        assert!(matches!(har_entry(0, first(cdn).as_bytes()), Ok(None)));
        assert!(har_entry(0, first(api).as_bytes()).is_err());
        // A request that is itself broken is reported, wherever it stands.
        let broken = format!(
            r#"{{"response": {{"text": "\udc00"}}, "request": {{"method": "GET", "url": "{cdn}", "headers": null}}}}"#
        );
        assert!(har_entry(0, broken.as_bytes()).is_err());
    }

    /// A member given twice is shown at its second value.
    #[test]
    fn a_member_given_twice_is_shown_at_its_second_value() {
        let text = r#"{"request": {"method": "GET", "url": "u", "url":  "v"}}"#;
        let error = har_entry(0, text.as_bytes()).expect_err("twice");
        assert_eq!(error.to_string(), "HAR entry 0 is not a HAR entry: `url` is given twice");
        assert_eq!(error.offset(), text.find(r#""v""#));
    }

    /// The entry reader takes from an entry what `serde_json` reads into
    /// the HAR types this crate used before it (kept here as the oracle),
    /// and refuses what they refuse, on entries that are UTF-8, escape no
    /// lone surrogate and nest a few levels (the differences there are the
    /// next test's). Of what this test generates, one difference: an object
    /// may not be written as an array (serde's derive reads a struct from a
    /// sequence of its fields' values).
    #[test]
    fn entries_are_read_as_serde_reads_them_into_types() {
        use std::borrow::Cow;

        use proptest::prelude::*;

        #[derive(serde::Deserialize)]
        struct HarEntry<'a> {
            #[serde(borrow)]
            request: HarRequest<'a>,
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct HarRequest<'a> {
            #[serde(borrow)]
            method: Cow<'a, str>,
            #[serde(borrow)]
            url: Cow<'a, str>,
            #[serde(default, borrow)]
            headers: Vec<HarHeader<'a>>,
            post_data: Option<HarPostData>,
        }
        #[derive(serde::Deserialize)]
        struct HarHeader<'a> {
            #[serde(borrow)]
            name: Cow<'a, str>,
            #[serde(borrow)]
            value: Cow<'a, str>,
        }
        #[derive(serde::Deserialize)]
        #[serde(rename_all = "camelCase")]
        struct HarPostData {
            mime_type: Option<String>,
            text: Option<String>,
            encoding: Option<String>,
        }
        type Read = (String, String, Option<String>, Option<(Option<String>, Option<String>, Option<String>)>);
        let theirs = |text: &str| -> Option<Read> {
            let HarEntry { request } = serde_json::from_str(text).ok()?;
            let content_type = request
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case("content-type"))
                .map(|h| h.value.to_string());
            let post = request.post_data.map(|p| (p.mime_type, p.text, p.encoding));
            Some((request.method.into_owned(), request.url.into_owned(), content_type, post))
        };
        let ours = |text: &str| -> Result<Read, String> {
            let mut read = None;
            read_entry(text.as_bytes(), &mut read).map_err(|fault| {
                assert!(fault.at <= text.len(), "{} past the end", fault.at);
                fault.message.into_owned()
            })?;
            let request = read.expect("an entry read has its request");
            let post = request.post_data.map(|p| (p.mime_type, p.text, p.encoding));
            Ok((request.method, request.url, request.content_type, post))
        };

        // Any value: scalars, strings with escapes, and small containers.
        let scalar = prop::sample::select(vec![
            "null",
            "true",
            "false",
            "0",
            "-2.5e3",
            "\"\"",
            "\"GET\"",
            "\"x\\n\\u00e9\"",
            "\"\\ud83d\\ude00\"",
            "\"é\"",
            "\"application/json\"",
            "\"base64\"",
            "\"{\\\"a\\\":1}\"",
        ])
        .prop_map(str::to_owned);
        let value = scalar.clone().prop_recursive(3, 16, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(|items| format!("[{}]", items.join(","))),
                prop::collection::vec(("\"[a-c]\"", inner), 0..4).prop_map(|members| {
                    format!("{{{}}}", members.iter().map(|(k, v)| format!("{k}:{v}")).collect::<Vec<_>>().join(","))
                }),
            ]
        });
        // An object of members picked (with repeats) from `names`, each
        // with a value of its own strategy or any value.
        fn object(
            names: Vec<(&'static str, BoxedStrategy<String>)>,
            any: BoxedStrategy<String>,
        ) -> BoxedStrategy<String> {
            let count = names.len();
            prop::collection::vec((0..count + 1, any_bool(), any), 0..6)
                .prop_flat_map(move |picks| {
                    let members: Vec<BoxedStrategy<String>> = picks
                        .into_iter()
                        .map(|(pick, typed, other)| match names.get(pick) {
                            Some(&(name, ref strategy)) if typed => {
                                strategy.clone().prop_map(move |v| format!("{name}: {v}")).boxed()
                            }
                            Some(&(name, _)) => Just(format!("{name}: {other}")).boxed(),
                            None => Just(format!("\"other\": {other}")).boxed(),
                        })
                        .collect();
                    members.prop_map(|members| format!("{{{}}}", members.join(", ")))
                })
                .boxed()
        }
        fn any_bool() -> impl Strategy<Value = bool> {
            prop::bool::weighted(0.8)
        }
        let text = prop::sample::select(vec![
            "\"GET\"",
            "\"POST\"",
            "\"https://api.indicative.com/service/event\"",
            "\"\"",
            "\"Content-Type\"",
            "\"content-TYPE\"",
            "\"text/plain\"",
            "\"a\\\"b\"",
        ])
        .prop_map(str::to_owned)
        .boxed();
        let nullable = prop_oneof![Just("null".to_owned()), text.clone()].boxed();
        let any = value.boxed();
        // Each part well-formed most of the time, so that most entries
        // are read, and any members otherwise.
        let header = prop_oneof![
            3 => (text.clone(), text.clone(), prop::bool::ANY).prop_map(|(name, value, swap)| if swap {
                format!("{{\"value\": {value}, \"name\": {name}}}")
            } else {
                format!("{{\"name\": {name}, \"value\": {value}}}")
            }),
            1 => object(vec![("\"name\"", text.clone()), ("\"value\"", text.clone()), ("\"n\\u0061me\"", text.clone())], any.clone()),
        ];
        let headers = prop::collection::vec(header, 0..4).prop_map(|h| format!("[{}]", h.join(", "))).boxed();
        let post = object(
            vec![("\"mimeType\"", nullable.clone()), ("\"text\"", nullable.clone()), ("\"encoding\"", nullable)],
            any.clone(),
        );
        let post = prop_oneof![Just("null".to_owned()), post].boxed();
        let request = prop_oneof![
            3 => (text.clone(), text.clone(), headers.clone(), post.clone()).prop_map(|(method, url, headers, post)| {
                format!("{{\"method\": {method}, \"url\": {url}, \"headers\": {headers}, \"postData\": {post}}}")
            }),
            1 => object(
                vec![
                    ("\"method\"", text.clone()),
                    ("\"url\"", text.clone()),
                    ("\"headers\"", headers),
                    ("\"postData\"", post),
                    ("\"ur\\u006c\"", text),
                ],
                any.clone(),
            ),
        ]
        .boxed();
        let entry = prop_oneof![
            3 => request.clone().prop_map(|request| format!("{{\"response\": {{}}, \"request\": {request}}}")),
            1 => object(vec![("\"request\"", request.clone()), ("\"re\\u0071uest\"", request)], any),
        ];
        let read = std::cell::Cell::new(0);
        proptest!(ProptestConfig::with_cases(2000), |(entry in entry)| {
            match (ours(&entry), theirs(&entry)) {
                (Ok(a), Some(b)) => {
                    read.set(read.get() + 1);
                    prop_assert_eq!(a, b, "{}", entry);
                }
                (Err(_), None) => {}
                (Err(message), Some(_)) => prop_assert!(message.contains("is an array, not an object"), "{}: {}", entry, message),
                (Ok(_), None) => prop_assert!(false, "read here, not by serde: {}", entry),
            }
        });
        // Most entries are read (so that what is read is compared).
        assert!(read.get() > 500, "{} of 2000 read", read.get());
    }
}

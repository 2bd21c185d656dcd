//! Where API keys stand in a request's text, found the one way every
//! surface that shows or stores a request hides them (the CLI's source
//! lines, `indicative serve`'s capture, database and exports).
//!
//! - In a JSON text: the value of every member named `apiKey` (however
//!   escaped: `"api\u004bey"`), at any depth, and of every member of a
//!   request or of a batch item named by a misspelling of it (see
//!   [`is_key_name`]: `api_key`, `apikey`, `API-KEY`, `apiKy`; a property of that
//!   name is a property), found by a lexical scan, so that a body that is
//!   not valid JSON has its keys found too. A value that is an object or an
//!   array is hidden whole.
//! - In a request target or URL: the value of every query parameter whose
//!   name, decoded, is a key's (`api%4Bey` included), and in the path, the
//!   key segment of an endpoint (`/service/event/KEY`); a path that is not
//!   one of the API's has every segment hidden but those that are, or are
//!   close to, the words of the API's paths (`/service/event/batch/KEY`,
//!   `/service/KEY/event`, `/service/events/KEY`), as the
//!   `unknown-endpoint` message shows it: a key may stand anywhere there.
//!
//! A hidden key keeps its first four characters.
//!
//! ```
//! use indicative_contract::keys::mask_line;
//! assert_eq!(mask_line(r#"{"api\u004bey":"3f2a9c7e"}"#), r#"{"api\u004bey":"3f2a****"}"#);
//! assert_eq!(mask_line("/service/event/batch/3f2a9c7e"), "/service/event/batch/3f2a****");
//! ```

use std::ops::Range;

use crate::kind::{Endpoint, EndpointError};

/// The words of the API's paths (and `track`, other APIs' word for an
/// event): never a key, so never hidden.
const PATH_WORDS: [&str; 8] = ["service", "event", "batch", "identify", "alias", "suppress", "delete", "track"];

/// Whether a path segment is one of [`PATH_WORDS`] or two edits from one
/// (`events`, `evnt`, `identity`): a key never is.
fn is_path_word(segment: &str) -> bool {
    segment.len() <= 10 && {
        let lower = segment.to_ascii_lowercase();
        PATH_WORDS.iter().any(|word| strsim::levenshtein(&lower, word) <= 2)
    }
}

/// The characters of a key that stay visible.
pub const SHOWN: usize = 4;

/// The fewest bytes of a key whose copies elsewhere in a request are
/// hidden too: real keys are long (a UUID has 36 characters), and a short
/// value given under a name like `appKey` (`"event"`) must not hide every
/// `eventName`.
pub const COPIED: usize = 8;

/// Whether copies of `key` elsewhere in its request are hidden too: a key
/// of at least [`COPIED`] bytes (white space at its ends not counted)
/// that is not a JSON literal (`"apiKey": false` is no secret, and its
/// copies are everywhere). The one rule for every surface that hides
/// copies: the CLI's source lines, lint's stored form and `indicative
/// serve`'s capture.
///
/// ```
/// use indicative_contract::keys::is_copied;
/// assert!(is_copied(b"3f2a9c7e"));
/// assert!(!is_copied(b"event"));
/// assert!(!is_copied(b"  abc  "));
/// ```
#[must_use]
pub fn is_copied(key: &[u8]) -> bool {
    key.trim_ascii().len() >= COPIED && !matches!(key, b"true" | b"false" | b"null")
}

/// The keys standing at `ranges` of `bytes` (as [`json_key_ranges`] and the
/// like find them) whose copies are hidden too, each once, in order, at
/// most `limit` of them: those [`is_copied`] allows, but for an object or
/// array given as a key (hidden where it stands; its text is not searched
/// for elsewhere). A string's inside that starts with a bracket is a key
/// like any other.
///
/// ```
/// use indicative_contract::keys::{copied_keys, json_key_ranges};
/// let body = br#"{"apiKey":"3f2a9c7e","events":[{"apiKey":{"k":"12345678"}},{"apiKey":"3f2a9c7e"}]}"#;
/// assert_eq!(copied_keys(body, &json_key_ranges(body), 8), [b"3f2a9c7e"]);
/// ```
#[must_use]
pub fn copied_keys<'a>(bytes: &'a [u8], ranges: &[Range<usize>], limit: usize) -> Vec<&'a [u8]> {
    let mut keys: Vec<&[u8]> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for range in ranges {
        if keys.len() == limit {
            break;
        }
        let Some(key) = bytes.get(range.clone()) else { continue };
        let in_string = range.start > 0 && bytes[range.start - 1] == b'"';
        let structure = !in_string && matches!(key.first(), Some(b'{' | b'['));
        if !structure && is_copied(key) && seen.insert(key) {
            keys.push(key);
        }
    }
    keys
}

/// A key as the API reads it from its raw text: in a query (`query`),
/// percent-decoded with `+` a space; in a JSON text, its escapes decoded
/// (the raw text as it is when they do not decode).
///
/// ```
/// use indicative_contract::keys::decoded_key;
/// assert_eq!(decoded_key("3f2a%2F9c+7e", true), "3f2a/9c 7e");
/// assert_eq!(decoded_key(r"3f2a\/9c7e", false), "3f2a/9c7e");
/// ```
#[must_use]
pub fn decoded_key(raw: &str, query: bool) -> std::borrow::Cow<'_, str> {
    if query {
        crate::form::decode(raw)
    } else if raw.contains('\\') {
        serde_json::from_str::<String>(&format!("\"{raw}\"")).map_or(std::borrow::Cow::Borrowed(raw), Into::into)
    } else {
        std::borrow::Cow::Borrowed(raw)
    }
}

/// Where the keys of a request body stand: [`json_key_ranges`], and for a
/// body that is not JSON (a stray quote, single quotes) the loose
/// reading's too ([`loose_key_ranges`]): a valid body has its keys found
/// one way (so that `indicative serve` can restore them to relay it).
///
/// ```
/// use indicative_contract::keys::body_key_ranges;
/// let body = br#"{'apiKey':'3f2a9c7e'}"#;
/// assert_eq!(body_key_ranges(body).iter().map(|r| &body[r.clone()]).collect::<Vec<_>>(), [b"3f2a9c7e"]);
/// ```
#[must_use]
pub fn body_key_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    let mut ranges = json_key_ranges(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        let loose = loose_key_ranges(text);
        let covered = |r: &Range<usize>| ranges.iter().any(|k| k.start <= r.start && r.end <= k.end);
        if !loose.iter().all(covered) && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() {
            ranges.extend(loose);
        }
    }
    ranges
}

/// The keys of one request whose copies are hidden too, each once, at most
/// `limit`: those of the request's `target` (its path and query, as a HAR
/// entry or a server gives them), then those standing at `ranges` of
/// `text` (a JSON body, or a query or URL when `query`); each as written
/// and decoded. Copies are searched for in both forms: a key sent as
/// `a%2Fb` in a query is `a/b` in a message, and a key written `a\/b` in
/// JSON may be copied as `a/b`. A segment of a path that is not the API's
/// is hidden where it stands, but not searched for elsewhere: it may be a
/// word such as `batch`.
///
/// ```
/// use indicative_contract::keys::{json_key_ranges, request_keys};
/// let body = br#"{"apiKey":"3f2a\/9c7e","eventUniqueId":"x"}"#;
/// let keys = request_keys(body, &json_key_ranges(body), false, Some("/service/event/PATHKEY-1234"), 8);
/// assert_eq!(keys, ["PATHKEY-1234", r"3f2a\/9c7e", "3f2a/9c7e"]);
/// // A URL, a bare query; a segment of a path that is not the API's is not searched for.
/// assert_eq!(request_keys(b"", &[], true, Some("https://h/service/event/PATHKEY-1234"), 8), ["PATHKEY-1234"]);
/// assert_eq!(request_keys(b"", &[], true, Some("apiKey=QUERYKEY-12&eventName=E"), 8), ["QUERYKEY-12"]);
/// assert!(request_keys(b"", &[], true, Some("/v1/collector-endpoint/x"), 8).is_empty());
/// ```
#[must_use]
pub fn request_keys(
    text: &[u8],
    ranges: &[Range<usize>],
    query: bool,
    target: Option<&str>,
    limit: usize,
) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut add = |key: &str| {
        if keys.len() < limit && is_copied(key.as_bytes()) && seen.insert(key.to_owned()) {
            keys.push(key.to_owned());
        }
    };
    if let Some(target) = target {
        // A bare query (`apiKey=K&...`, as URL lists hold them) has no path.
        let bare = target.find('=').is_some_and(|eq| !target[..eq].contains(['/', '?']));
        let path_end = if bare { 0 } else { target.find(['?', '#']).unwrap_or(target.len()) };
        let known_path =
            bare || Endpoint::resolve("POST", crate::kind::path_of(target)) != Err(EndpointError::UnknownPath);
        for range in target_key_ranges(target) {
            if range.start < path_end && !known_path {
                continue;
            }
            let raw = &target[range];
            add(raw);
            add(&decoded_key(raw, true));
        }
    }
    for raw in copied_keys(text, ranges, limit) {
        let raw = String::from_utf8_lossy(raw);
        add(&raw);
        add(&decoded_key(&raw, query));
    }
    keys
}

/// The most distinct keys of one request (as written and decoded) whose
/// copies are searched for: a batch may carry one per item.
pub const SEARCHED: usize = 1024;

/// Every verbatim occurrence of each of `keys` in `bytes`, in no order
/// (see [`KeySearch::copies`], which also finds copies written with JSON
/// escapes).
///
/// ```
/// use indicative_contract::keys::copy_ranges;
/// assert_eq!(copy_ranges(b"k=3f2a9c7e&v=3f2a9c7e", &[b"3f2a9c7e"]), [2..10, 13..21]);
/// ```
#[must_use]
pub fn copy_ranges<K: AsRef<[u8]>>(bytes: &[u8], keys: &[K]) -> Vec<Range<usize>> {
    KeySearch::new(keys).verbatim(bytes)
}

/// The keys of one request, searched for all at once (one pass over a
/// text, whatever their number): their copies in the request's text, and
/// in the messages that quote its values.
///
/// ```
/// use indicative_contract::keys::{KeySearch, merged};
/// let search = KeySearch::new(&["3f2a9c7e-KEY"]);
/// let body = br#"{"a":"3f2a9c7e-KEY","b":"\u0033f2a9c7e-KEY"}"#;
/// assert_eq!(merged(search.copies(body)), [6..18, 25..42]);
/// assert_eq!(search.hide_in(r#"eventTime "3f2a9c7e-KEY" cannot be read"#), r#"eventTime "3f2a…" cannot be read"#);
/// ```
#[derive(Debug)]
pub struct KeySearch {
    /// The keys, then the first [`COPIED`] bytes of each longer key (a
    /// message quotes at most 60 characters of a value: a copy may be cut
    /// short there).
    patterns: Vec<Vec<u8>>,
    keys: usize,
    /// For more than [`FEW`] patterns: one automaton over them all (a
    /// document of a few keys, the common case, is searched key by key:
    /// building an automaton costs more than that).
    automaton: Option<aho_corasick::AhoCorasick>,
}

/// Up to this many patterns, each is searched for on its own.
const FEW: usize = 8;

impl KeySearch {
    /// A search for `keys` (empty ones are left out).
    #[must_use]
    pub fn new<K: AsRef<[u8]>>(keys: &[K]) -> Self {
        let mut patterns: Vec<Vec<u8>> =
            keys.iter().map(AsRef::as_ref).filter(|k| !k.is_empty()).map(<[u8]>::to_vec).collect();
        let count = patterns.len();
        for i in 0..count {
            if patterns[i].len() > COPIED {
                let mut end = COPIED;
                while end > 0 && (patterns[i][end] & 0xC0) == 0x80 {
                    end -= 1;
                }
                let prefix = patterns[i][..end].to_vec();
                patterns.push(prefix);
            }
        }
        // Leftmost-longest and without overlaps: linear in the text, however
        // the keys overlap one another.
        let automaton = if patterns.len() > FEW {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(&patterns)
                .ok()
        } else {
            None
        };
        Self { patterns, keys: count, automaton }
    }

    /// The occurrences in `haystack` of the patterns (`keys_only`: of whole
    /// keys), as (pattern, start, end), in no order: each pattern's without
    /// overlaps, or (many patterns) the leftmost longest of them all, one
    /// after another. Linear in the haystack.
    fn matches(&self, haystack: &[u8], keys_only: bool) -> Vec<(usize, usize, usize)> {
        let last = if keys_only { self.keys } else { self.patterns.len() };
        match &self.automaton {
            Some(automaton) => automaton
                .find_iter(haystack)
                .filter(|m| m.pattern().as_usize() < last)
                .map(|m| (m.pattern().as_usize(), m.start(), m.end()))
                .collect(),
            None => self.patterns[..last]
                .iter()
                .enumerate()
                .flat_map(|(i, p)| memchr::memmem::find_iter(haystack, p).map(move |at| (i, at, at + p.len())))
                .collect(),
        }
    }

    /// Whether `haystack` holds a whole key.
    fn holds_key(&self, haystack: &[u8]) -> bool {
        match &self.automaton {
            Some(automaton) => automaton.find_iter(haystack).any(|m| m.pattern().as_usize() < self.keys),
            None => self.patterns[..self.keys].iter().any(|p| memchr::memmem::find(haystack, p).is_some()),
        }
    }

    /// Every verbatim occurrence of a key in `bytes`.
    fn verbatim(&self, bytes: &[u8]) -> Vec<Range<usize>> {
        self.matches(bytes, true).into_iter().map(|(_, start, end)| start..end).collect()
    }

    /// Where copies of the keys stand in a request's text, in no order and
    /// overlapping: each verbatim occurrence, and the inside of each JSON
    /// string that holds one once its escapes are decoded (`"\u0033f2a…"`,
    /// `"a\/b"`), hidden whole. Linear: each string with an escape is
    /// decoded once.
    #[must_use]
    pub fn copies(&self, bytes: &[u8]) -> Vec<Range<usize>> {
        if self.keys == 0 {
            return Vec::new();
        }
        let mut ranges = self.verbatim(bytes);
        if memchr::memchr(b'\\', bytes).is_none() {
            return ranges;
        }
        let mut i = 0;
        while let Some(quote) = memchr::memchr(b'"', &bytes[i..]) {
            let start = i + quote;
            let end = string_end(bytes, start).min(bytes.len());
            let inside = &bytes[start + 1..end];
            if memchr::memchr(b'\\', inside).is_some()
                && let Ok(text) = std::str::from_utf8(inside)
                && let Ok(decoded) = serde_json::from_str::<String>(&format!("\"{text}\""))
                && self.holds_key(decoded.as_bytes())
            {
                ranges.push(start + 1..end);
            }
            i = end + 1;
            if i >= bytes.len() {
                break;
            }
        }
        ranges
    }

    /// `text` (a message, a help) with each copy of a key shown as the key
    /// is, its first four characters and `…`; a key too long to be quoted
    /// whole is found by its first bytes. Borrowed when there is none.
    #[must_use]
    pub fn hide_in<'t>(&self, text: &'t str) -> std::borrow::Cow<'t, str> {
        if self.patterns.is_empty() {
            return text.into();
        }
        let bytes = text.as_bytes();
        let mut found = self.matches(bytes, false);
        if found.is_empty() {
            return text.into();
        }
        // Leftmost first, the longest there; one at a time.
        found.sort_by_key(|&(_, start, end)| (start, std::cmp::Reverse(end)));
        let mut out = String::new();
        let mut at = 0;
        let mut hidden_any = false;
        for (pattern, start, end) in found {
            let pattern = &self.patterns[pattern];
            // A key's first bytes: as much more of the longest key they
            // start as the text goes on with.
            let more = self.patterns[..self.keys]
                .iter()
                .filter(|k| k.len() > pattern.len() && k.starts_with(pattern))
                .map(|k| k[pattern.len()..].iter().zip(&bytes[end..]).take_while(|(a, b)| a == b).count())
                .max()
                .unwrap_or(0);
            let mut end = end + more;
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            if start < at {
                // Overlapping what is hidden already: hidden with it.
                at = at.max(end);
                continue;
            }
            if !text.is_char_boundary(start) {
                continue;
            }
            out.push_str(&text[at..start]);
            out.push_str(&crate::limits::mask_api_key(&String::from_utf8_lossy(pattern)));
            at = end;
            hidden_any = true;
        }
        if !hidden_any {
            return text.into();
        }
        out.push_str(&text[at..]);
        out.into()
    }
}

/// `ranges` in order, those that overlap merged into one and empty ones
/// left out: where keys stand, each place once. Ranges that only touch
/// stay apart, so that each keeps its own first characters shown.
///
/// ```
/// use indicative_contract::keys::merged;
/// assert_eq!(merged(vec![5..9, 0..3, 2..6, 12..12, 20..25, 20..22, 25..27]), [0..9, 20..25, 25..27]);
/// ```
#[must_use]
pub fn merged(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| r.start);
    let mut kept: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges.into_iter().filter(|r| !r.is_empty()) {
        match kept.last_mut() {
            Some(last) if range.start < last.end => last.end = last.end.max(range.end),
            _ => kept.push(range),
        }
    }
    kept
}

/// Where a JSON string token that starts at `start` (a `"`) ends: the index
/// of its closing quote, or the end of the input when it is not closed.
pub(crate) fn string_end(bytes: &[u8], start: usize) -> usize {
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

pub(crate) fn skip_space(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// Whether a member or parameter of this name (decoded) holds a key:
/// `apiKey`, and the names a sender writes for it by mistake (any case,
/// with `_`, `-`, `.` or white space between the words, and one letter
/// added, dropped, changed or swapped: the typos the lint's "did you mean
/// `apiKey`?" answers), whose values are keys as much.
///
/// ```
/// use indicative_contract::keys::is_key_name;
/// assert!(is_key_name("apiKey") && is_key_name("api_key") && is_key_name("API-KEY") && is_key_name("apikey"));
/// assert!(is_key_name("apiKy") && is_key_name("apiKye") && is_key_name("apiKeys") && is_key_name("aipKey"));
/// assert!(!is_key_name("key") && !is_key_name("apiKeyId") && !is_key_name("pixel"));
/// ```
#[must_use]
pub fn is_key_name(name: &str) -> bool {
    if name.len() > 16 {
        return false;
    }
    let folded: String =
        name.chars().filter(|c| !matches!(c, '_' | '-' | '.' | ' ' | '\t')).map(|c| c.to_ascii_lowercase()).collect();
    folded == "apikey" || ((5..=7).contains(&folded.len()) && strsim::damerau_levenshtein(&folded, "apikey") == 1)
}

/// Whether the string token `token` (quotes included) names a key: it
/// decodes to `apiKey` wherever it stands, or to a misspelling of it (see
/// [`is_key_name`]) as a member of a request or a batch item (`within`: the
/// containers around it, `true` for an array; none known on a line cut
/// from its document). A property named `api_key` is a property.
fn is_api_key_name(token: &[u8], within: &[bool]) -> bool {
    // A name of 5 to 16 characters (`apiKy` the shortest), each written
    // as at most a six-byte escape, in its quotes.
    if token.len() < 7 || token.len() > 2 + 6 * 16 {
        return false;
    }
    let decoded;
    let name = if token.contains(&b'\\') {
        match serde_json::from_slice::<String>(token) {
            Ok(name) => {
                decoded = name;
                decoded.as_str()
            }
            Err(_) => return false,
        }
    } else {
        match std::str::from_utf8(&token[1..token.len() - 1]) {
            Ok(name) => name,
            Err(_) => return false,
        }
    };
    name == "apiKey" || (matches!(within, [] | [false] | [false, true, false]) && is_key_name(name))
}

/// Where the JSON value that starts at `start` (an object or an array)
/// ends: just past its closing bracket, or the end of the input.
pub(crate) fn value_end(bytes: &[u8], start: usize) -> usize {
    let mut depth = 0_usize;
    let mut i = start;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => i = string_end(bytes, i),
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The byte ranges of the value of every member that holds a key in a JSON
/// text (see the [module](self)): a string's without its quotes, an object
/// or array whole, any other value's up to the next delimiter. Linear: each
/// value is passed over once.
///
/// ```
/// let body = br#"{"apiKey":"3f2a9c7e","events":[{"api\u004bey":12345}]}"#;
/// let ranges = indicative_contract::keys::json_key_ranges(body);
/// assert_eq!(ranges.iter().map(|r| &body[r.clone()]).collect::<Vec<_>>(), [&b"3f2a9c7e"[..], b"12345"]);
/// ```
#[must_use]
pub fn json_key_ranges(bytes: &[u8]) -> Vec<Range<usize>> {
    scan(bytes, &mut 0)
}

/// [`json_key_ranges`], counting in `steps` the bytes it reads (each at
/// most twice: once by the scan, once by the look past a value).
fn scan(bytes: &[u8], steps: &mut usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    // The containers the scan is in, `true` for an array.
    let mut within: Vec<bool> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => within.push(false),
            b'[' => within.push(true),
            b'}' | b']' => {
                within.pop();
            }
            b'"' => {
                let end = string_end(bytes, i);
                *steps += end.min(bytes.len()) - i;
                if end >= bytes.len() {
                    break;
                }
                let after = skip_space(bytes, end + 1);
                let value = match bytes.get(after) {
                    Some(b':') => Some(skip_space(bytes, after + 1)),
                    // A colon left out (`"apiKey" "KEY"`): not JSON, but
                    // what follows the name is still its value.
                    Some(&c) if c == b'"' || c == b'{' || c == b'[' || c == b'-' || c.is_ascii_alphanumeric() => {
                        Some(after)
                    }
                    _ => None,
                };
                if let Some(value) = value
                    && is_api_key_name(&bytes[i..=end], &within)
                {
                    // Each value is passed over once: the scan goes on
                    // after it (a nested key inside it is hidden with it).
                    match bytes.get(value) {
                        Some(b'"') => {
                            let close = string_end(bytes, value);
                            *steps += close.min(bytes.len()) - value;
                            ranges.push(value + 1..close);
                            i = close + 1;
                        }
                        Some(b'{' | b'[') => {
                            let past = value_end(bytes, value);
                            *steps += past - value;
                            ranges.push(value..past);
                            i = past;
                        }
                        Some(_) => {
                            let stop = bytes[value..]
                                .iter()
                                .position(|b| matches!(b, b',' | b'}' | b']' | b'"' | b' ' | b'\t' | b'\n' | b'\r'))
                                .map_or(bytes.len(), |p| value + p);
                            *steps += stop - value;
                            ranges.push(value..stop);
                            i = stop;
                        }
                        None => i = value,
                    }
                    continue;
                }
                i = end;
            }
            _ => {}
        }
        *steps += 1;
        i += 1;
    }
    ranges
}

/// The byte ranges of the keys in a request target (`/service/event/KEY`,
/// `/service/event?apiKey=KEY`) or a URL (its scheme and host are passed
/// over): see the [module](self) for which.
///
/// ```
/// let target = "https://api.indicative.com/service/alias/3f2a9c7e?api%4Bey=9e8d7c6b";
/// let ranges = indicative_contract::keys::target_key_ranges(target);
/// assert_eq!(ranges.iter().map(|r| &target[r.clone()]).collect::<Vec<_>>(), ["3f2a9c7e", "9e8d7c6b"]);
/// // A property named apiKey, as in a body.
/// let target = "/service/event?propertyValues=pro&propertyValues=3f2a9c7e&propertyNames=plan&propertyNames=apiKey";
/// let ranges = indicative_contract::keys::target_key_ranges(target);
/// assert_eq!(ranges.iter().map(|r| &target[r.clone()]).collect::<Vec<_>>(), ["3f2a9c7e"]);
/// ```
#[must_use]
pub fn target_key_ranges(target: &str) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let bare_query = target.find('=').is_some_and(|eq| !target[..eq].contains(['/', '?']));
    let end = if bare_query { 0 } else { target.find(['?', '#']).unwrap_or(target.len()) };
    // The path starts at the first `/` after a scheme's `://` or a host.
    let path_start = match target[..end].find("://") {
        Some(at) => target[at + 3..end].find('/').map_or(end, |slash| at + 3 + slash),
        None => target[..end].find('/').unwrap_or(end),
    };
    let path = &target[path_start..end];
    // A path written without its first `/` (`service/event/KEY`) is read
    // as if it had one, not as a host.
    let relative = !target.contains("://") && target[..end].split('/').next() == Some("service");
    let (path, path_start, shift) = if relative { (&target[..end], 0, 1) } else { (path, path_start, 0) };
    let rooted: std::borrow::Cow<'_, str> = if relative { format!("/{path}").into() } else { path.into() };
    let known = Endpoint::resolve("POST", &rooted) != Err(EndpointError::UnknownPath);
    let mut at = path_start;
    for (i, segment) in path.split('/').enumerate() {
        let i = i + shift;
        let hidden = if known { i == 3 && segment != "batch" } else { i >= 1 && !is_path_word(segment) };
        // A segment of at most the characters a hidden key shows is shown
        // as it is (`/v1/track`).
        if hidden && segment.chars().count() > SHOWN {
            ranges.push(at..at + segment.len());
        }
        at += segment.len() + 1;
    }
    let query_start = match target.as_bytes().get(end) {
        _ if bare_query => Some(0),
        Some(b'?') => Some(end + 1),
        _ => None,
    };
    if let Some(query_start) = query_start {
        let query_end = target[query_start..].find('#').map_or(target.len(), |e| query_start + e);
        let mut at = query_start;
        let decode = |part: &str| percent_encoding::percent_decode_str(part).decode_utf8_lossy().replace('+', " ");
        let query = &target[query_start..query_end];
        // A property named `apiKey` is a key too (as in a body): the
        // indexes of the propertyNames that name it (a first pass: the
        // lint pairs names and values by index, in any order).
        let key_properties: rustc_hash::FxHashSet<usize> = query
            .split('&')
            .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
            .filter(|(name, _)| decode(name) == "propertyNames")
            .enumerate()
            .filter(|(_, (_, value))| decode(value) == "apiKey")
            .map(|(i, _)| i)
            .collect();
        let mut values = 0;
        for pair in query.split('&') {
            let (name, _) = pair.split_once('=').unwrap_or((pair, ""));
            // The name as the lint reads it: `api%4Bey` is `apiKey` too.
            let decoded = decode(name);
            let hidden = match decoded.as_str() {
                "propertyValues" => {
                    values += 1;
                    key_properties.contains(&(values - 1))
                }
                name => is_key_name(name),
            };
            if hidden && pair.len() > name.len() {
                ranges.push(at + name.len() + 1..at + pair.len());
            }
            at += pair.len() + 1;
        }
    }
    ranges
}

/// The byte ranges of the values a key's name introduces in any text, by
/// a loose reading that needs no grammar: a name such as `apiKey`,
/// `"api_key"`, `'APIKEY'` or `\"apiKey\"`, then `:`, `=` or `%3D`, then
/// the value up to a quote, a backslash, a separator or white space. For a
/// text the exact readings cannot follow (a broken JSON line, a query
/// encoded twice, a message naming a parameter `apiKey=KEY`).
///
/// ```
/// let line = r#"{"eventName":"Say "hi","apiKey":"3f2a9c7e"}"#;
/// let ranges = indicative_contract::keys::loose_key_ranges(line);
/// assert_eq!(ranges.iter().map(|r| &line[r.clone()]).collect::<Vec<_>>(), ["3f2a9c7e"]);
/// assert_eq!(indicative_contract::keys::loose_key_ranges("apiKey%3D3f2a9c7e&x=1").len(), 1);
/// ```
#[must_use]
pub fn loose_key_ranges(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    // Every diagnostic's message passes here: most hold no `k` at all,
    // which one vector search tells.
    if memchr::memchr2(b'k', b'K', bytes).is_none() {
        return Vec::new();
    }
    let lower = |at: usize| bytes.get(at).map(u8::to_ascii_lowercase);
    let mut ranges = Vec::new();
    let mut i = 0;
    while i + 6 <= bytes.len() {
        if lower(i) != Some(b'a') || lower(i + 1) != Some(b'p') || lower(i + 2) != Some(b'i') {
            i += 1;
            continue;
        }
        let mut j = i + 3;
        if matches!(bytes.get(j), Some(b'_' | b'-' | b'.' | b' ')) {
            j += 1;
        }
        if (lower(j), lower(j + 1), lower(j + 2)) != (Some(b'k'), Some(b'e'), Some(b'y')) {
            i += 1;
            continue;
        }
        let mut k = j + 3;
        let skip = |k: &mut usize| {
            while matches!(bytes.get(*k), Some(b'"' | b'\'' | b'\\' | b' ' | b'\t')) {
                *k += 1;
            }
        };
        skip(&mut k);
        match bytes.get(k) {
            Some(b':' | b'=') => k += 1,
            Some(b'%') if bytes.get(k + 1) == Some(&b'3') && matches!(lower(k + 2), Some(b'd')) => k += 3,
            _ => {
                i = j + 3;
                continue;
            }
        }
        skip(&mut k);
        let end = bytes[k..]
            .iter()
            .position(|b| {
                matches!(
                    b,
                    b'"' | b'\''
                        | b'\\'
                        | b','
                        | b'}'
                        | b']'
                        | b'&'
                        | b';'
                        | b'<'
                        | b'>'
                        | b' '
                        | b'\t'
                        | b'\n'
                        | b'\r'
                )
            })
            .map_or(bytes.len(), |p| k + p);
        if end > k {
            ranges.push(k..end);
        }
        i = end.max(j + 3);
    }
    ranges
}

/// `text` with the values a key's name introduces ([`loose_key_ranges`])
/// shown as their first four characters and an ellipsis, as messages show
/// keys; borrowed when there are none.
///
/// ```
/// use indicative_contract::keys::mask_loose;
/// assert_eq!(mask_loose(r#""apiKey=3f2a9c7e" is not a parameter"#), r#""apiKey=3f2a…" is not a parameter"#);
/// assert_eq!(mask_loose("the body's apiKey 3f2a… differs"), "the body's apiKey 3f2a… differs");
/// ```
#[must_use]
pub fn mask_loose(text: &str) -> std::borrow::Cow<'_, str> {
    let ranges = loose_key_ranges(text);
    if ranges.iter().all(|r| text[r.clone()].chars().count() <= SHOWN) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for range in ranges {
        out.push_str(&text[at..range.start]);
        out.push_str(&crate::limits::mask_api_key(&text[range.clone()]));
        at = range.end;
    }
    out.push_str(&text[at..]);
    std::borrow::Cow::Owned(out)
}

/// Where the keys of a line of a request stand (see [`mask_line`]): a
/// JSON text's key members, a URL's or query's key parameters and path
/// segment, URLs inside JSON strings, and what a key's name introduces in
/// a broken text. In no order; they may overlap.
///
/// ```
/// let line = r#"{"url":"/service/event/abcdefgh","apiKey":"12345678"}"#;
/// let ranges = indicative_contract::keys::line_key_ranges(line);
/// let mut keys: Vec<&str> = ranges.iter().map(|r| &line[r.clone()]).collect();
/// keys.sort();
/// keys.dedup();
/// assert_eq!(keys, ["12345678", "abcdefgh"]);
/// ```
#[must_use]
pub fn line_key_ranges(line: &str) -> Vec<Range<usize>> {
    let bytes = line.as_bytes();
    let mut ranges = json_key_ranges(bytes);
    // A broken line (a stray quote, single quotes) or a query encoded twice.
    ranges.extend(loose_key_ranges(line));
    let trimmed = line.trim_start();
    if !trimmed.starts_with(['{', '[', '"']) {
        // A URL, a request target or a bare query (as URL lists hold them),
        // or a form-encoded body.
        let offset = line.len() - trimmed.len();
        ranges.extend(target_key_ranges(trimmed).into_iter().map(|r| r.start + offset..r.end + offset));
    } else {
        // URLs inside JSON strings (only those that may reach the API: a
        // path of a site's own is shown as it is).
        let mut i = 0;
        while let Some(quote) = memchr::memchr(b'"', &bytes[i..]) {
            let start = i + quote + 1;
            let end = string_end(bytes, i + quote).min(bytes.len());
            let text = &line[start..end];
            if text.contains("/service/") {
                ranges.extend(target_key_ranges(text).into_iter().map(|r| r.start + start..r.end + start));
            } else if text.contains('=') {
                // Another site's URL, or a query: its key parameters only.
                let bare = text.find('=').is_some_and(|eq| !text[..eq].contains(['/', '?']));
                let query = match text.find('?') {
                    Some(q) => q + 1,
                    None if bare => 0,
                    None => text.len(),
                };
                let keys = target_key_ranges(text).into_iter().filter(|r| r.start >= query);
                ranges.extend(keys.map(|r| r.start + start..r.end + start));
            }
            i = end + 1;
            if i >= bytes.len() {
                break;
            }
        }
    }
    ranges
}

/// A line of a request (a JSON text, a request target or URL, or JSON
/// holding URLs) with its keys hidden character for character, so that
/// it keeps its width: each hidden character but white space becomes `*`.
///
/// ```
/// use indicative_contract::keys::mask_line;
/// assert_eq!(mask_line("/service/event?api%4Bey=abcdéfgh&e=1"), "/service/event?api%4Bey=abcd****&e=1");
/// assert_eq!(mask_line(r#"{"url":"/service/event/abcdefgh"}"#), r#"{"url":"/service/event/abcd****"}"#);
/// ```
#[must_use]
pub fn mask_line(line: &str) -> String {
    let bytes = line.as_bytes();
    let ranges = line_key_ranges(line);
    let mut hidden = vec![false; bytes.len()];
    for range in ranges {
        let mut chars = 0;
        for (at, c) in line[range.clone()].char_indices() {
            chars += 1;
            if chars > SHOWN && !c.is_whitespace() {
                hidden[range.start + at] = true;
            }
        }
    }
    line.char_indices().map(|(at, c)| if hidden[at] { '*' } else { c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(target: &str) -> Vec<&str> {
        target_key_ranges(target).into_iter().map(|r| &target[r]).collect()
    }

    #[test]
    fn targets_hide_endpoint_keys_and_every_late_segment_of_other_paths() {
        assert_eq!(shown("/service/event/KEY12345"), ["KEY12345"]);
        assert_eq!(shown("/service/event/KEY12345/"), ["KEY12345"]);
        assert!(shown("/service/event/batch").is_empty());
        assert!(shown("/service/event").is_empty());
        assert_eq!(shown("/service/event/batch/KEY12345"), ["KEY12345"]);
        assert_eq!(shown("/service/track/KEY12345"), ["KEY12345"]);
        assert_eq!(shown("//service//event/KEY12345"), ["KEY12345"]);
        assert_eq!(shown("/service/event/identify/alias/KEY12345"), ["KEY12345"]);
        // Anywhere in a path that is not the API's, but words close to the API's.
        assert_eq!(shown("/service/KEY12345/event"), ["KEY12345"]);
        assert_eq!(shown("/KEY12345/service/event"), ["KEY12345"]);
        assert_eq!(shown("https://h/service/events/KEY12345"), ["KEY12345"]);
        assert_eq!(shown("/service/evnt/KEY12345"), ["KEY12345"]);
        assert!(shown("/v1/track").is_empty());
        assert_eq!(shown("/service/evnets/KEY12345"), ["evnets", "KEY12345"]);
        // A path without its first `/`.
        assert_eq!(shown("service/event/KEY12345?apiKey=A2"), ["KEY12345", "A2"]);
        assert_eq!(shown("service/track/KEY12345"), ["KEY12345"]);
        assert!(shown("service/event/batch").is_empty());
        assert_eq!(shown("/service/event/KEY12345/extra"), ["KEY12345", "extra"]);
        assert_eq!(shown("http://h:1/service/identify/KEY12345?x=1#f"), ["KEY12345"]);
        assert_eq!(shown("http://h"), Vec::<&str>::new());
        assert_eq!(shown("/service/event?apiKey=A1&api%4Bey=A2&apiKey&x=apiKey&api+Key=A3"), ["A1", "A2", "A3"]);
        // Misspelled names hold keys as much.
        // So do its typos (one letter off), as the lint's did-you-mean
        // reads them; a longer name does not.
        assert_eq!(
            shown("/service/event?api_key=A1&APIKEY=A2&api-key=A3&apiKeyId=no&key=no&apiKy=A4"),
            ["A1", "A2", "A3", "A4"]
        );
        assert_eq!(shown("/service/event?eventName=E#apiKey=A1"), Vec::<&str>::new());
        // A bare query, as URL lists and form bodies hold them; a host
        // without a scheme.
        assert_eq!(shown("apiKey=A1&eventName=E"), ["A1"]);
        assert_eq!(shown("eventName=a/b&apiKey=A1"), ["A1"]);
        assert_eq!(shown("api.indicative.com/service/event/KEY12345?apiKey=A2"), ["KEY12345", "A2"]);
        assert_eq!(shown("HTTPS://h/service/event/KEY12345"), ["KEY12345"]);
    }

    #[test]
    fn bodies_hide_misspelled_and_structured_keys() {
        let body = br#"{"api_key":"KEY1","ApiKey":"KEY2","apikey":"KEY3","API-KEY":"KEY4","apiKeyId":"no","apiKey":{"k":"KEY5","l":["}"]},"x":1}"#;
        let found: Vec<&str> =
            json_key_ranges(body).into_iter().map(|r| std::str::from_utf8(&body[r]).unwrap()).collect();
        assert_eq!(found, ["KEY1", "KEY2", "KEY3", "KEY4", r#"{"k":"KEY5","l":["}"]}"#]);
        // Misspelled names hold keys in a request and a batch item; a
        // property of that name is a property. `apiKey` is one anywhere.
        let body = br#"{"events":[{"api_key":"KEY1","properties":{"api_key":"on","apiKey":"KEY2"}}],"properties":{"API_KEY":"x"}}"#;
        let found: Vec<&str> =
            json_key_ranges(body).into_iter().map(|r| std::str::from_utf8(&body[r]).unwrap()).collect();
        assert_eq!(found, ["KEY1", "KEY2"]);
        // A name written all in escapes.
        let body = br#"{"\u0061\u0070\u0069\u004b\u0065\u0079":"KEY1"}"#;
        assert_eq!(json_key_ranges(body), vec![Range { start: 41, end: 45 }]);
        // An unclosed object is hidden to the end.
        assert_eq!(mask_line(r#"{"apiKey":["abcdefgh""#), r#"{"apiKey":["ab*******"#);
    }

    /// Each value is passed over once: nested and repeated key names, and
    /// scalars that run into a quote, cost linear time (the bytes read are
    /// counted, not timed).
    #[test]
    fn the_scan_is_linear() {
        for unit in [r#""apiKey":["#, r#""apiKey":a"#, r#"{"apiKey":{"#, r#""api_key":"x","#, r#"[{"apiKey":1},"#] {
            for count in [1_000, 4_000] {
                let text = format!("{{{}", unit.repeat(count));
                let mut steps = 0;
                assert!(!scan(text.as_bytes(), &mut steps).is_empty(), "{unit}");
                assert!(steps <= 2 * text.len() + 2, "{unit} x{count}: {steps} steps for {} bytes", text.len());
            }
        }
    }

    /// Lines the exact readings cannot follow still have their keys hidden.
    #[test]
    fn broken_lines_hide_their_keys() {
        for (line, masked) in [
            (
                r#"{"eventName":"Say "hi","apiKey":"SecretKey123456"}"#,
                r#"{"eventName":"Say "hi","apiKey":"Secr***********"}"#,
            ),
            (r#"{'apiKey':'SecretKey123456'}"#, r#"{'apiKey':'Secr***********'}"#),
            (r#"{"eventName":"C:","apiKey":"SecretKey123456"}"#, r#"{"eventName":"C:","apiKey":"Secr***********"}"#),
            (
                "/service/event?apiKey%3DSecretKey123456&eventName=E",
                "/service/event?apiKey%3DSecr***********&eventName=E",
            ),
            (r#"{"text":"{"apiKey":"SecretKey123456"}"}"#, r#"{"text":"{"apiKey":"Secr***********"}"}"#),
            // A colon left out.
            (r#"{"apiKey" "SecretKey123456", "e":1}"#, r#"{"apiKey" "Secr***********", "e":1}"#),
            (r#"{"apiKey"  SecretKey123456, "e":1}"#, r#"{"apiKey"  Secr***********, "e":1}"#),
        ] {
            assert_eq!(mask_line(line), masked, "{line}");
        }
        assert!(loose_key_ranges("apiKeys=1 apikey sent; the api key is").is_empty());
    }

    /// A few keys are searched one by one, many with one automaton: the
    /// same copies and the same messages either way.
    #[test]
    fn few_and_many_keys_are_found_alike() {
        let keys: Vec<String> = (0..20).map(|i| format!("KEY-{i:02}-abcdef")).collect();
        let text = br#"{"a":"KEY-03-abcdef","b":"x KEY-03-abcdefKEY-01-abcdef","c":"\u004bEY-01-abcdef"}"#;
        let message = r#"eventTime "KEY-01-abcdef" and "KEY-03-abcdef""#;
        let few = KeySearch::new(&keys[..4]);
        let many = KeySearch::new(&keys);
        assert!(many.automaton.is_some() && few.automaton.is_none());
        assert_eq!(merged(few.copies(text)), merged(many.copies(text)));
        assert_eq!(merged(few.copies(text)), [6..19, 28..41, 41..54, 61..79]);
        assert_eq!(few.hide_in(message), many.hide_in(message));
        assert_eq!(few.hide_in(message), r#"eventTime "KEY-…" and "KEY-…""#);
    }

    #[test]
    fn lines_keep_their_width() {
        let line = r#"{"api\u004bey" : "ééééééé", "x": "apiKey=é", "apiKey": 1234567}"#;
        let masked = mask_line(line);
        assert_eq!(masked.chars().count(), line.chars().count());
        assert!(masked.contains(r#""éééé***""#), "{masked}");
        assert!(masked.contains(r#""apiKey": 1234***}"#), "{masked}");
        assert!(masked.contains(r#""x": "apiKey=é""#), "{masked}");
        // An unclosed string ends the line.
        assert_eq!(mask_line(r#"{"apiKey":"abcdefgh"#), r#"{"apiKey":"abcd****"#);
        assert_eq!(
            mask_line(r#"{"u":"https://h/service/event?apiKey=abcdefgh"}"#),
            r#"{"u":"https://h/service/event?apiKey=abcd****"}"#
        );
        assert_eq!(mask_line("  /service/delete/abcdefgh"), "  /service/delete/abcd****");
        assert_eq!(
            mask_line(r#"{"u":"https://x.io/some/path?api_key=abcdefgh&q=1"}"#),
            r#"{"u":"https://x.io/some/path?api_key=abcd****&q=1"}"#
        );
        assert_eq!(mask_line(r#"{"note":"docs/configuration=true"}"#), r#"{"note":"docs/configuration=true"}"#);
        assert_eq!(mask_line(r#"{"q":"api_key=abcdefgh&x=1"}"#), r#"{"q":"api_key=abcd****&x=1"}"#);
        assert_eq!(mask_line("apiKey=abcdefgh&eventName=E"), "apiKey=abcd****&eventName=E");
        // A site's own path in a JSON value is shown as it is.
        assert_eq!(mask_line(r#"{"page":"/docs/guide/getting-started"}"#), r#"{"page":"/docs/guide/getting-started"}"#);
        assert_eq!(
            mask_line("/service/event?apiKey=abcdefgh&eventName=E"),
            "/service/event?apiKey=abcd****&eventName=E"
        );
        assert_eq!(mask_line("https://h/service/alias/KEY123456?x"), "https://h/service/alias/KEY1*****?x");
        assert_eq!(mask_line("/service/event/batch"), "/service/event/batch");
        assert_eq!(mask_line(""), "");
        assert_eq!(mask_line("\""), "\"");
    }
}

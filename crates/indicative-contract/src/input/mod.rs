//! Reading files of requests: one JSON payload or an array of them, NDJSON,
//! lists of GET URLs, and HAR captures.
//!
//! Each format is split into [`Document`]s that say where they stand in the
//! file, so that a diagnostic's span can be shown as `file:line:column`.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

use crate::diagnostic::Report;
use crate::lint::{Linter, RequestInfo};

pub mod array;
mod har;

pub use har::{HarCutter, har_entry};

/// A format of request files.
///
/// ```
/// use indicative_contract::input::Format;
/// assert_eq!(Format::from_extension("jsonl"), Some(Format::Ndjson));
/// assert_eq!(Format::sniff(b"https://api.indicative.com/service/event?apiKey=k\n"), Format::Urls);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One JSON payload, or a JSON array of payloads.
    Json,
    /// One JSON payload per line.
    Ndjson,
    /// One GET URL (or query string) per line.
    Urls,
    /// An HTTP Archive: every request to a `/service/...` path.
    Har,
}

impl Format {
    /// The format a file extension names (`json`, `ndjson`, `jsonl`, `urls`, `txt`, `har`).
    ///
    /// ```
    /// assert_eq!(indicative_contract::input::Format::from_extension("csv"), None);
    /// ```
    #[must_use]
    pub fn from_extension(extension: &str) -> Option<Self> {
        match extension.to_ascii_lowercase().as_str() {
            "json" => Some(Self::Json),
            "ndjson" | "jsonl" => Some(Self::Ndjson),
            "urls" | "txt" => Some(Self::Urls),
            "har" => Some(Self::Har),
            _ => None,
        }
    }

    /// The format of content with no extension to go by (standard input).
    ///
    /// ```
    /// use indicative_contract::input::Format;
    /// assert_eq!(Format::sniff(b"{\"a\":1}\n{\"a\":2}\n"), Format::Ndjson);
    /// assert_eq!(Format::sniff(b"{\"log\": {\"version\": \"1.2\", \"entries\": []}}"), Format::Har);
    /// assert_eq!(Format::sniff(b"{\n  \"log\": {\"pages\": [\n"), Format::Har);
    /// assert_eq!(Format::sniff(b"{\n  \"apiKey\": \"k\"\n}"), Format::Json);
    /// // A line of a form feed is not blank (see [`is_blank`]): a document.
    /// assert_eq!(Format::sniff(b"{\"a\":1}\n \t\n{\"a\":2}\n"), Format::Ndjson);
    /// assert_eq!(Format::sniff(b"{\"a\":1}\n\x0c\n{\"a\":2}\n"), Format::Ndjson);
    /// // A first line of any length.
    /// let long = format!("{{\"a\":\"{}\"}}\n{{}}", "x".repeat(10_000));
    /// assert_eq!(Format::sniff(long.as_bytes()), Format::Ndjson);
    /// // A first line that leaves a bracket open starts one JSON document.
    /// assert_eq!(Format::sniff(b"{\"a\":{\"b\":\"}\"}\n}\n"), Format::Json);
    /// // A broken line is one of the documents.
    /// assert_eq!(Format::sniff(b"{\"a\":1}\nnot json\n{\"a\":2}\n"), Format::Ndjson);
    /// // A URL list, maybe with a comment first.
    /// assert_eq!(Format::sniff(b"https://api.indicative.com/service/event?apiKey=K"), Format::Urls);
    /// assert_eq!(Format::sniff(b"  # Monday's requests\n/service/event?apiKey=K"), Format::Urls);
    /// ```
    #[must_use]
    pub fn sniff(content: &[u8]) -> Self {
        // JSON's white space only, as the splitters read it (not Unicode's,
        // nor the form feed).
        const SPACE: [char; 4] = [' ', '\t', '\n', '\r'];
        let text = String::from_utf8_lossy(&content[..content.len().min(4096)]);
        let trimmed = text.trim_start_matches(SPACE);
        // No JSON starts with `#`: a URL list's comment does.
        let url_start = ["http", "/service", "apiKey=", "?apiKey=", "#"];
        if url_start.iter().any(|start| trimmed.starts_with(start)) {
            return Self::Urls;
        }
        // A HAR: an object whose first member is `log` (as every HAR writer
        // puts it), or whose start names both `log` and `entries`.
        let first_member =
            trimmed.strip_prefix('{').is_some_and(|rest| rest.trim_start_matches(SPACE).starts_with("\"log\""));
        if first_member || trimmed.starts_with('{') && trimmed.contains("\"log\"") && trimmed.contains("\"entries\"") {
            return Self::Har;
        }
        // An object closed on its first line and followed by more is no
        // JSON document: NDJSON, whose later lines (broken ones too) are
        // each a document.
        // The first line is read whole, however long (the caller gives as
        // much of it as it has).
        let start = content.iter().position(|&b| !array::is_space(b)).unwrap_or(content.len());
        let end = memchr::memchr(b'\n', &content[start..]).map_or(content.len(), |at| start + at);
        let first = &content[start..end];
        let first_closed = first.starts_with(b"{")
            && first.iter().rposition(|&b| !array::is_space(b)).is_some_and(|at| first[at] == b'}')
            && balanced(first);
        let more = content[end..].iter().any(|&b| !array::is_space(b));
        if first_closed && more { Self::Ndjson } else { Self::Json }
    }
}

/// Whether every bracket a text opens outside its strings it also closes
/// (`{"a":{"b":1}` does not: the first line of a pretty-printed object).
fn balanced(text: &[u8]) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0_usize, false, false);
    for &byte in text {
        match (in_string, byte) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (_, b'"') => in_string = !in_string,
            (false, b'{' | b'[') => depth += 1,
            (false, b'}' | b']') => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0 && !in_string
}

/// What a document is: a POST body or a GET URL, with what is known of its request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload<'a> {
    /// A POST body.
    Body {
        /// The bytes of the body.
        bytes: Cow<'a, [u8]>,
        /// The method, path and content type, where the file says them (HAR).
        request: RequestInfo,
    },
    /// A GET URL or query string.
    Query {
        /// The URL.
        url: Cow<'a, str>,
        /// The method and path, where the file says them (HAR).
        request: RequestInfo,
    },
}

/// One request found in a file.
///
/// ```
/// use indicative_contract::input::{split, Format};
/// let file = b"{\"a\":1}\n\n{\"b\":2}\n";
/// let docs = split(Format::Ndjson, file).unwrap();
/// assert_eq!(docs.len(), 2);
/// assert_eq!((docs[1].index, docs[1].line, docs[1].offset), (1, 3, Some(9)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document<'a> {
    /// Its place among the file's documents, from 0.
    pub index: usize,
    /// The 1-based line of the file where it starts.
    pub line: usize,
    /// The 1-based column (in characters) where it starts on that line.
    pub column: usize,
    /// Where its source starts in the file, when it stands there verbatim;
    /// `None` for a HAR body, which the file holds escaped.
    pub offset: Option<usize>,
    /// The HAR entry it came from.
    pub entry: Option<usize>,
    /// The request.
    pub payload: Payload<'a>,
}

impl Document<'_> {
    /// The text its diagnostics' spans point into.
    ///
    /// ```
    /// use indicative_contract::input::{split, Format};
    /// let docs = split(Format::Urls, b"/service/event?apiKey=k\n").unwrap();
    /// assert_eq!(docs[0].source(), b"/service/event?apiKey=k");
    /// ```
    #[must_use]
    pub fn source(&self) -> &[u8] {
        match &self.payload {
            Payload::Body { bytes, .. } => bytes,
            Payload::Query { url, .. } => url.as_bytes(),
        }
    }

    /// Lints the document.
    ///
    /// ```
    /// use indicative_contract::{input::{split, Format}, Linter, LintOptions};
    /// let docs = split(Format::Json, br#"[{"apiKey":"k","uniqueId":"u"}, 7]"#).unwrap();
    /// let mut linter = Linter::new(LintOptions::new(0));
    /// assert_eq!(docs[1].lint(&mut linter).codes(), ["not-an-object"]);
    /// ```
    pub fn lint(&self, linter: &mut Linter) -> Report {
        match &self.payload {
            Payload::Body { bytes, request } => linter.lint_body(bytes, request),
            Payload::Query { url, request } => linter.lint_query(url, request),
        }
    }
}

/// Why a file could not be split into documents.
///
/// ```
/// use indicative_contract::input::{split, Format};
/// let err = split(Format::Har, b"{not json").unwrap_err();
/// assert!(err.to_string().starts_with("not a HAR file"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    message: String,
    /// Where in the text read the fault is, when known (a byte offset).
    offset: Option<usize>,
}

impl InputError {
    fn new(message: String) -> Self {
        Self { message, offset: None }
    }

    /// The byte offset of the fault in the text that was read, when known
    /// (for [`har_entry`], in the entry's text; for [`split`], in the
    /// file's).
    ///
    /// ```
    /// let error = indicative_contract::input::har_entry(0, b"{\n  \"request\": 5}").unwrap_err();
    /// assert_eq!(error.offset(), Some(15)); // the `5`
    /// assert_eq!(error.to_string(), "HAR entry 0 is not a HAR entry: `request` is a number, not an object");
    /// ```
    #[must_use]
    pub const fn offset(&self) -> Option<usize> {
        self.offset
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

/// Splits a file's content into documents.
///
/// A `.json` file holding a JSON array is an array of payloads, each linted
/// on its own (two values with no comma between them are one payload, and
/// where the array's own structure breaks, the rest is one more, each of
/// which the lint reports as `invalid-json`: see [`mod@array`]);
/// anything else in it (broken JSON included) is one payload. An NDJSON or
/// URL file has one document per non-blank line (a line starting with `#`
/// in a URL file is a comment).
///
/// A HAR file's documents are its entries' requests to the API (each with
/// the line and column where its entry starts); other requests are left
/// out.
///
/// # Errors
///
/// Only for a HAR file that is not a HAR archive, or one of whose entries
/// cannot be read (the error's offset is in the file): every other content
/// is made into documents, and broken ones are reported by the lint. The
/// CLI reads a HAR entry by entry instead, and reports each entry it cannot
/// read as a document of its own.
///
/// ```
/// use indicative_contract::input::{split, Format, Payload};
/// let docs = split(Format::Json, b"[\n {\"a\": 1},\n {\"b\": 2}\n]").unwrap();
/// assert_eq!(docs.iter().map(|d| d.line).collect::<Vec<_>>(), [2, 3]);
/// ```
pub fn split(format: Format, content: &[u8]) -> Result<Vec<Document<'_>>, InputError> {
    Ok(match format {
        Format::Json => split_json(content),
        Format::Ndjson => lines(content)
            .map(|(index, line, range)| body(index, line, range.start, Cow::Borrowed(&content[range])))
            .collect(),
        Format::Urls => lines(content)
            .filter_map(|(_, line, range)| {
                let url = url_line(&content[range.clone()])?;
                Some((line, range.start + url.start..range.start + url.end, url.start + 1))
            })
            .enumerate()
            .map(|(index, (line, range, column))| Document {
                index,
                line,
                column,
                offset: Some(range.start),
                entry: None,
                payload: Payload::Query { url: url_text(&content[range]), request: RequestInfo::default() },
            })
            .collect(),
        Format::Har => har::split_har(content)?,
    })
}

/// A URL line as text: bytes that are not UTF-8 are written as their
/// percent-escapes (`%FF`), so that the lint reports each where it stands
/// (`invalid-query-encoding` in a query) instead of reading U+FFFD in its
/// place.
///
/// ```
/// use indicative_contract::input::url_text;
/// assert_eq!(url_text(b"/service/event?eventName=caf\xE9"), "/service/event?eventName=caf%E9");
/// assert!(matches!(url_text(b"/service/event?eventName=caf%C3%A9"), std::borrow::Cow::Borrowed(_)));
/// ```
#[must_use]
pub fn url_text(bytes: &[u8]) -> Cow<'_, str> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Cow::Borrowed(text);
    }
    let mut text = String::with_capacity(bytes.len() + 8);
    let mut rest = bytes;
    while !rest.is_empty() {
        match std::str::from_utf8(rest) {
            Ok(valid) => {
                text.push_str(valid);
                break;
            }
            Err(e) => {
                let (valid, after) = rest.split_at(e.valid_up_to());
                text.push_str(std::str::from_utf8(valid).unwrap_or_default());
                let bad = e.error_len().unwrap_or(after.len());
                for byte in &after[..bad] {
                    text.push_str(&format!("%{byte:02X}"));
                }
                rest = &after[bad..];
            }
        }
    }
    Cow::Owned(text)
}

fn body(index: usize, line: usize, offset: usize, bytes: Cow<'_, [u8]>) -> Document<'_> {
    Document {
        index,
        line,
        column: 1,
        offset: Some(offset),
        entry: None,
        payload: Payload::Body { bytes, request: RequestInfo::default() },
    }
}

/// The non-blank lines: (index among them, 1-based line number, byte range without the line ending).
fn lines(content: &[u8]) -> impl Iterator<Item = (usize, usize, Range<usize>)> + '_ {
    let mut start = 0;
    let mut line = 0;
    std::iter::from_fn(move || {
        while start < content.len() {
            line += 1;
            let end = content[start..].iter().position(|&b| b == b'\n').map_or(content.len(), |at| start + at);
            let mut range = start..end;
            start = end + 1;
            if content[range.clone()].ends_with(b"\r") {
                range.end -= 1;
            }
            if !is_blank(&content[range.clone()]) {
                return Some((line, range));
            }
        }
        None
    })
    .enumerate()
    .map(|(index, (line, range))| (index, line, range))
}

/// Whether `content` is a JSON array (its first byte that is not white
/// space is `[`).
#[must_use]
pub fn is_array(content: &[u8]) -> bool {
    content.iter().find(|&&b| !array::is_space(b)) == Some(&b'[')
}

/// Whether an NDJSON or URL-list line (without its line ending) is blank,
/// and so skipped: nothing but JSON's white space (space, tab, carriage
/// return). A form feed, which [`u8::is_ascii_whitespace`] also takes, is
/// not white space to JSON, so a line holding one is a document (which the
/// lint reports), never dropped.
///
/// ```
/// use indicative_contract::input::is_blank;
/// assert!(is_blank(b" \t\r") && is_blank(b""));
/// assert!(!is_blank(b"\x0c") && !is_blank(b" {} "));
/// ```
#[must_use]
pub fn is_blank(line: &[u8]) -> bool {
    line.iter().all(|&b| array::is_space(b))
}

/// The URL on a line of a URL list (its range in `line`), or `None` for a
/// line with no URL: a blank line, or a comment (`#` first, after any
/// white space). The spaces and tabs around a URL are not part of it (a
/// URL has none unescaped): a URL copied from a log with its indent lints
/// as the same URL.
///
/// ```
/// use indicative_contract::input::url_line;
/// assert_eq!(url_line(b"  /service/event?apiKey=K \t"), Some(2..25));
/// assert_eq!(url_line(b"\t# captured on Monday"), None);
/// assert_eq!(url_line(b" \t"), None);
/// ```
#[must_use]
pub fn url_line(line: &[u8]) -> Option<Range<usize>> {
    let start = line.iter().position(|&b| !array::is_space(b))?;
    if line[start] == b'#' {
        return None;
    }
    let end = line.iter().rposition(|&b| !array::is_space(b)).map_or(start, |at| at + 1);
    Some(start..end)
}

fn split_json(content: &[u8]) -> Vec<Document<'_>> {
    if !is_array(content) {
        return vec![body(0, 1, 0, Cow::Borrowed(content))];
    }
    let mut cutter = array::ArrayCutter::new();
    let mut items = Vec::new();
    cutter.feed(content, 0, &mut items);
    cutter.finish(content.len(), &mut items);
    items
        .into_iter()
        .map(|item| Document {
            index: item.index,
            line: item.line,
            column: item.column,
            offset: Some(item.range.start),
            entry: None,
            payload: Payload::Body { bytes: Cow::Borrowed(&content[item.range]), request: RequestInfo::default() },
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_line_that_is_not_utf8_is_reported_where_it_breaks() {
        let docs = split(Format::Urls, b"/service/event?apiKey=k&eventName=caf\xE9&eventUniqueId=u\n").unwrap();
        let report = docs[0].lint(&mut Linter::new(crate::LintOptions::new(0)));
        assert_eq!(report.codes(), ["invalid-query-encoding"]);
        let span = report.diagnostics[0].span.clone();
        assert_eq!(&docs[0].source()[span], b"%E9");
        // A broken sequence at the end of the line, and valid text after a bad byte.
        assert_eq!(url_text(b"a=\xF0\x9F"), "a=%F0%9F");
        assert_eq!(url_text(b"a=\xFF\xC3\xA9"), "a=%FF\u{e9}");
    }

    #[test]
    fn a_base64_har_body_is_linted_as_its_bytes() {
        let entries: [&[u8]; 3] = [
            br#"{"request":{"method":"POST","url":"/service/alias","postData":{"mimeType":"application/json","encoding":"base64","text":"eyJhcGlLZXkiOiJrIiwibmV3SWQiOiJhXHUwMGU5In0="}}}"#,
            br#"{"request":{"method":"POST","url":"/service/alias","postData":{"encoding":"base64","text":"/w=="}}}"#,
            br#"{"request":{"method":"POST","url":"/service/alias","postData":{"encoding":"base64","text":"not base64!"}}}"#,
        ];
        let decoded = har_entry(0, entries[0]).unwrap().unwrap();
        assert_eq!(decoded.source(), br#"{"apiKey":"k","newId":"a\u00e9"}"#);
        let binary = har_entry(1, entries[1]).unwrap().unwrap();
        assert_eq!(binary.source(), b"\xFF");
        let report = binary.lint(&mut Linter::new(crate::LintOptions::new(0)));
        assert_eq!(report.codes(), ["wrong-content-type", "invalid-json"]);
        let error = har_entry(2, entries[2]).unwrap_err().to_string();
        assert!(error.starts_with("HAR entry 2: the body is marked base64 but is not"), "{error}");
    }

    #[test]
    fn a_json_array_is_many_payloads_and_anything_else_one() {
        assert_eq!(split(Format::Json, b"[]").unwrap().len(), 0);
        assert_eq!(split(Format::Json, b"[1, {\"a\": [2]}]").unwrap().len(), 2);
        // Where the array's structure breaks, the rest is one more payload.
        assert_eq!(split(Format::Json, b"[1, ").unwrap().len(), 2);
        assert_eq!(split(Format::Json, b"\"text\"").unwrap().len(), 1);
    }

    /// What a document carries is its own text, never the file's: placing
    /// its findings costs its own size, so a file of many documents costs
    /// linear time (the work counted, at n and 4n documents, not timed).
    #[test]
    fn documents_carry_their_own_text_only() {
        let event = r#"{"apiKey":"k","eventName":"é","eventUniqueId":"u"}"#;
        for n in [500, 2000] {
            let inputs = [
                (Format::Json, format!("[{}]", vec![event; n].join(",\n"))),
                (Format::Ndjson, vec![event; n].join("\n")),
                (Format::Urls, vec!["/service/event?apiKey=k&eventName=%C3%A9&eventUniqueId=u"; n].join("\n")),
            ];
            for (format, input) in inputs {
                let docs = split(format, input.as_bytes()).unwrap();
                assert_eq!(docs.len(), n);
                let carried: usize = docs.iter().map(|d| d.source().len()).sum();
                assert!(carried <= input.len(), "{format:?}: {carried} bytes for an input of {}", input.len());
                assert_eq!((docs[n - 1].line, docs[n - 1].column), (n, 1), "{format:?}");
            }
        }
    }

    #[test]
    fn ndjson_keeps_line_numbers_and_strips_cr() {
        let docs = split(Format::Ndjson, b"{\"a\":1}\r\n  \n{\"b\":2}").unwrap();
        assert_eq!(
            docs.iter().map(|d| (d.line, d.source().to_vec())).collect::<Vec<_>>(),
            [(1, b"{\"a\":1}".to_vec()), (3, b"{\"b\":2}".to_vec())]
        );
    }

    /// A line of a form feed is not blank to JSON: it is linted (and
    /// refused), not skipped as `u8::is_ascii_whitespace` would have it.
    #[test]
    fn a_form_feed_line_is_a_document() {
        let docs = split(Format::Ndjson, b"{\"a\":1}\n\x0c\n \t\n").unwrap();
        assert_eq!(docs.iter().map(|d| d.line).collect::<Vec<_>>(), [1, 2]);
        let report = docs[1].lint(&mut Linter::new(crate::LintOptions::new(0)));
        assert_eq!(report.codes(), ["invalid-json"]);
        assert_eq!(split(Format::Urls, b"\x0c\n\r\n").unwrap().len(), 1);
        assert!(!is_array(b"\x0c[]") && is_array(b" \r\n\t[]"));
    }

    #[test]
    fn har_keeps_service_requests_with_their_http_facts() {
        let har = br#"{"log":{"version":"1.2","entries":[
            {"request":{"method":"GET","url":"https://cdn.example.com/app.js","headers":[]}},
            {"request":{"method":"POST","url":"https://api.indicative.com/service/event/KEY","headers":[{"name":"Content-Type","value":"text/plain"}],
              "postData":{"mimeType":"text/plain","text":"{\"eventName\":\"a\",\"eventUniqueId\":\"u\"}"}}},
            {"request":{"method":"GET","url":"https://api.indicative.com/service/event?apiKey=k&eventName=a&eventUniqueId=u","headers":[]}}
        ]}}"#;
        let docs = split(Format::Har, har).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!((docs[0].entry, docs[1].entry), (Some(1), Some(2)));
        // Numbered among the documents kept, placed where their entries
        // start in the file (they were all at 1:1).
        assert_eq!(docs.iter().map(|d| (d.index, d.line, d.column)).collect::<Vec<_>>(), [(0, 3, 13), (1, 5, 13)]);
        let mut linter = Linter::new(crate::LintOptions::new(0));
        assert_eq!(docs[0].lint(&mut linter).codes(), ["wrong-content-type"]);
        assert!(docs[1].lint(&mut linter).codes().is_empty());
        // An entry that cannot be read: the error says where in the file.
        let bad = b"{\"log\":{\"version\":\"1.2\",\"entries\":[\n  {\"request\": {\"method\": \"GET\", \"url\": \"https://example.com/\", \"headers\": []}},\n  {\"request\": 5}\n]}}";
        let error = split(Format::Har, bad).unwrap_err();
        assert_eq!(error.offset(), Some(bad.iter().position(|&b| b == b'5').unwrap()));
        assert!(error.to_string().starts_with("HAR entry 1 is not a HAR entry"), "{error}");
    }
}

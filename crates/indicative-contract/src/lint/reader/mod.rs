//! A pull reader of JSON (RFC 8259), made for the engine's one pass.
//!
//! Why not a crate: measured on a 1 KB event, jiter's pull parser alone cost
//! about 3.5 times serde_json's parse-only floor, and serde_json visitors
//! over borrowed strings and `RawValue`s about 2.8 times, while the engine
//! must stay within 1.5 times of that floor (issue 6). Both spend their time
//! on general-purpose string decoding; this reader checks the whole body's
//! UTF-8 once (simdutf8), finds the end of a string 16 bytes at a time (SSE2
//! on x86-64), and decodes into a reused buffer only when the string has
//! escapes. It reports byte offsets, which is what the engine's spans need.

use std::ops::Range;

use scan::find_stop;

mod scan;

/// The kind of value that starts at the reader's position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Peek {
    Object,
    Array,
    String,
    Number,
    True,
    False,
    Null,
}

/// Where and why the input stopped being JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ReadError {
    pub(crate) at: usize,
    pub(crate) message: &'static str,
}

type Result<T> = std::result::Result<T, ReadError>;

/// The characters of two-character escapes: `\"`, `\\`, `\/`, `\b`, `\f`,
/// `\n`, `\r` and `\t`.
static SIMPLE_ESCAPE: [bool; 256] = {
    let mut table = [false; 256];
    let simple = *b"\"\\/bfnrt";
    let mut i = 0;
    while i < simple.len() {
        table[simple[i] as usize] = true;
        i += 1;
    }
    table
};

/// A few key names, each with a value, recognised from the raw bytes of a
/// key before it is scanned: the byte at [`PROBE`](Self::PROBE) after the
/// opening quote picks the one name it can be, and one masked 16-byte
/// comparison (the name and its closing quote) confirms it. Names must be 5
/// to 15 bytes long, and differ at the probe; the build fails otherwise.
pub(crate) struct KnownKeys {
    /// For each byte at the probe: 1 + the index of the name it can be, or 0.
    by_probe: [u8; 256],
    /// Each name with its closing quote as a little-endian word, the mask of
    /// those bytes, their count, and the name's value.
    names: [(u128, u128, usize, u16); 16],
    /// The value of any other key (or of a known one written with escapes).
    fallback: fn(&str) -> u16,
}

impl KnownKeys {
    /// Where the byte that picks the name is, counted from the first byte
    /// after the opening quote (the closing quote, for a 5-byte name).
    const PROBE: usize = 5;

    pub(crate) const fn new(names: &[(&str, u16)], fallback: fn(&str) -> u16) -> Self {
        assert!(names.len() <= 16, "at most 16 known names");
        let mut by_probe = [0; 256];
        let mut table = [(0, 0, 0, 0); 16];
        let mut i = 0;
        while i < names.len() {
            let (name, value) = names[i];
            let bytes = name.as_bytes();
            assert!(bytes.len() >= Self::PROBE && bytes.len() < 16, "a known name is 5 to 15 bytes long");
            let mut word = 0u128;
            let mut j = 0;
            while j < bytes.len() {
                assert!(bytes[j] != b'"' && bytes[j] != b'\\', "a known name needs no escape");
                word |= (bytes[j] as u128) << (8 * j);
                j += 1;
            }
            word |= (b'"' as u128) << (8 * bytes.len());
            let count = bytes.len() + 1;
            let mask = if count == 16 { u128::MAX } else { (1u128 << (8 * count)) - 1 };
            let probe = if bytes.len() == Self::PROBE { b'"' } else { bytes[Self::PROBE] };
            assert!(by_probe[probe as usize] == 0, "two known names share the probe byte");
            by_probe[probe as usize] = (i + 1) as u8;
            table[i] = (word, mask, count, value);
            i += 1;
        }
        Self { by_probe, names: table, fallback }
    }
}

pub(crate) struct Reader<'a> {
    /// The input, checked as UTF-8 once, so that every string is a slice of it.
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    /// Decoded text of the last string that had escapes.
    tape: String,
}

impl<'a> Reader<'a> {
    /// A reader of `src`; fails when `src` is not UTF-8 (JSON text is, in
    /// strings and out of them).
    pub(crate) fn new(src: &'a [u8]) -> Result<Self> {
        Self::with_tape(src, String::new())
    }

    #[inline]
    pub(crate) fn with_tape(src: &'a [u8], mut tape: String) -> Result<Self> {
        tape.clear();
        // simdutf8's fast check first; its slower `compat` check says where.
        match simdutf8::basic::from_utf8(src) {
            Ok(text) => Ok(Self { text, src, pos: 0, tape }),
            Err(_) => {
                let at = simdutf8::compat::from_utf8(src).err().map_or(0, |e| e.valid_up_to());
                Err(ReadError { at, message: "invalid UTF-8" })
            }
        }
    }

    pub(crate) fn into_tape(self) -> String {
        self.tape
    }

    /// The input's text in `range`, which must lie on char boundaries (the
    /// span of a token the reader returned, such as a number).
    /// The whole input, checked as UTF-8.
    pub(crate) const fn source_text(&self) -> &'a str {
        self.text
    }

    pub(crate) fn text(&self, range: Range<usize>) -> &'a str {
        self.text.get(range).unwrap_or_default()
    }

    pub(crate) const fn index(&self) -> usize {
        self.pos
    }

    fn error<T>(&self, at: usize, message: &'static str) -> Result<T> {
        Err(ReadError { at, message })
    }

    #[inline]
    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.src.get(self.pos) {
            self.pos += 1;
        }
    }

    /// Skips white space and tells what value starts next, without reading it.
    #[inline]
    pub(crate) fn peek(&mut self) -> Result<Peek> {
        self.skip_whitespace();
        match self.src.get(self.pos) {
            Some(b'{') => Ok(Peek::Object),
            Some(b'[') => Ok(Peek::Array),
            Some(b'"') => Ok(Peek::String),
            Some(b'-' | b'0'..=b'9') => Ok(Peek::Number),
            Some(b't') => Ok(Peek::True),
            Some(b'f') => Ok(Peek::False),
            Some(b'n') => Ok(Peek::Null),
            Some(_) => self.error(self.pos, "expected value"),
            None => self.error(self.pos, "EOF while parsing a value"),
        }
    }

    /// Reads `true`, `false` or `null`, as `peek` said.
    pub(crate) fn literal(&mut self, peek: Peek) -> Result<()> {
        let word: &[u8] = match peek {
            Peek::True => b"true",
            Peek::False => b"false",
            _ => b"null",
        };
        if self.src[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            self.error(self.pos, "expected value")
        }
    }

    /// Reads a number and returns its byte range, checking the JSON grammar:
    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    pub(crate) fn number(&mut self) -> Result<Range<usize>> {
        let start = self.pos;
        let src = self.src;
        let mut i = start;
        let digits = |mut i: usize| {
            while src.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            i
        };
        if src.get(i) == Some(&b'-') {
            i += 1;
        }
        match src.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(i + 1),
            Some(_) => return self.error(i, "invalid number"),
            None => return self.error(i, "EOF while parsing a number"),
        }
        if src.get(i) == Some(&b'.') {
            if !src.get(i + 1).is_some_and(u8::is_ascii_digit) {
                return self.error(i + 1, "invalid number: a digit must follow the decimal point");
            }
            i = digits(i + 1);
        }
        if let Some(b'e' | b'E') = src.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = src.get(i) {
                i += 1;
            }
            if !src.get(i).is_some_and(u8::is_ascii_digit) {
                return self.error(i, "invalid number: a digit must follow the exponent");
            }
            i = digits(i);
        }
        self.pos = i;
        Ok(start..i)
    }

    /// Reads a string (the reader is at its opening quote) and returns its text.
    #[inline]
    pub(crate) fn str(&mut self) -> Result<&str> {
        match self.scan()? {
            Some(raw) => Ok(raw),
            None => Ok(&self.tape),
        }
    }

    /// Reads a string (the reader is at its opening quote) and returns its
    /// text owned: copied from the input when it has no escapes, else the
    /// tape itself, taken (the next string with escapes starts a new one).
    pub(crate) fn owned_str(&mut self) -> Result<String> {
        match self.scan()? {
            Some(raw) => Ok(raw.to_owned()),
            None => Ok(std::mem::take(&mut self.tape)),
        }
    }

    /// Reads a string (the reader is at its opening quote) without decoding
    /// it: its escapes are checked as [`str`](Self::str) checks them, and the
    /// length of its raw text (between the quotes) is returned, with whether
    /// it has escapes. The decoded text is never longer than the raw one.
    #[inline]
    pub(crate) fn skip_str(&mut self) -> Result<(usize, bool)> {
        let src = self.src;
        let start = self.pos + 1;
        let (length, mut at_quote) = find_stop(&src[start..]);
        let mut at = start + length;
        let escaped = !at_quote;
        loop {
            if at_quote {
                self.pos = at + 1;
                return Ok((at - start, escaped));
            }
            match src.get(at) {
                Some(b'\\') => at = self.escape_end(at)?,
                Some(_) => return self.error(at, "control character in string"),
                None => return self.error(src.len(), "EOF while parsing a string"),
            }
            let (length, quote) = find_stop(&src[at..]);
            at += length;
            at_quote = quote;
        }
    }

    /// Checks the escape at `at` (a backslash) and returns the offset after it.
    #[inline]
    fn escape_end(&self, at: usize) -> Result<usize> {
        match self.src.get(at + 1) {
            // A table, not a match: escapes of different kinds in a row made
            // the match's jump table mispredict.
            Some(&b) if SIMPLE_ESCAPE[usize::from(b)] => Ok(at + 2),
            Some(b'u') => self.unicode_escape(at).map(|(_, end)| end),
            Some(_) => self.error(at, "invalid escape"),
            None => self.error(self.src.len(), "EOF while parsing a string"),
        }
    }

    /// Reads a string: its text straight from the input when it has no
    /// escapes, or `None` when the decoded text is in the tape.
    #[inline(always)]
    fn scan(&mut self) -> Result<Option<&'a str>> {
        let src = self.src;
        let start = self.pos + 1;
        let (length, at_quote) = find_stop(&src[start..]);
        let i = start + length;
        if at_quote {
            self.pos = i + 1;
            // Both ends are ASCII quotes, so on char boundaries.
            return Ok(Some(&self.text[start..i]));
        }
        match src.get(i) {
            Some(b'\\') => {
                self.tape.clear();
                self.tape.push_str(&self.text[start..i]);
                self.escaped(i).map(|()| None)
            }
            Some(_) => self.error(i, "control character in string"),
            None => self.error(src.len(), "EOF while parsing a string"),
        }
    }

    /// The slow path of [`scan`](Self::scan): decodes the rest of a string
    /// into the tape, from the escape at `at`.
    fn escaped(&mut self, mut at: usize) -> Result<()> {
        loop {
            // `at` is at a backslash.
            let Some(&kind) = self.src.get(at + 1) else {
                return self.error(self.src.len(), "EOF while parsing a string");
            };
            let decoded = match kind {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let (c, end) = self.unicode_escape(at)?;
                    at = end - 2;
                    c
                }
                _ => return self.error(at, "invalid escape"),
            };
            self.tape.push(decoded);
            at += 2;
            // Copy up to the next stop byte (ASCII, so a char boundary).
            let from = at;
            at += find_stop(&self.src[from..]).0;
            self.tape.push_str(&self.text[from..at]);
            match self.src.get(at) {
                Some(b'"') => {
                    self.pos = at + 1;
                    return Ok(());
                }
                Some(b'\\') => {}
                Some(_) => return self.error(at, "control character in string"),
                None => return self.error(self.src.len(), "EOF while parsing a string"),
            }
        }
    }

    /// Decodes `\uXXXX` (with its low surrogate, for a pair) at `at`, and
    /// returns the char and the offset after it.
    fn unicode_escape(&self, at: usize) -> Result<(char, usize)> {
        let first = self.hex4(at + 2)?;
        let (code, end) = match first {
            0xD800..=0xDBFF => {
                if self.src.get(at + 6) != Some(&b'\\') || self.src.get(at + 7) != Some(&b'u') {
                    return self.error(at, "lone leading surrogate in hex escape");
                }
                let second = self.hex4(at + 8)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return self.error(at, "lone leading surrogate in hex escape");
                }
                (0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00), at + 12)
            }
            0xDC00..=0xDFFF => return self.error(at, "lone trailing surrogate in hex escape"),
            code => (code, at + 6),
        };
        let c = char::from_u32(code).ok_or(ReadError { at, message: "invalid unicode code point" })?;
        Ok((c, end))
    }

    fn hex4(&self, at: usize) -> Result<u32> {
        let Some(digits) = self.src.get(at..at + 4) else {
            return self.error(self.src.len(), "EOF while parsing a string");
        };
        let mut value = 0;
        for (i, &d) in digits.iter().enumerate() {
            let nibble = match d {
                b'0'..=b'9' => d - b'0',
                b'a'..=b'f' => d - b'a' + 10,
                b'A'..=b'F' => d - b'A' + 10,
                _ => return self.error(at + i, "invalid hex escape"),
            };
            value = (value << 4) | u32::from(nibble);
        }
        Ok(value)
    }

    /// Reads `: ` after a key.
    #[inline]
    fn colon(&mut self) -> Result<()> {
        self.skip_whitespace();
        if self.src.get(self.pos) == Some(&b':') {
            self.pos += 1;
            Ok(())
        } else {
            self.error(self.pos, "expected `:`")
        }
    }

    /// Enters an object (the reader is at `{`): `true` at its first key's
    /// opening quote, `false` past `}` for `{}`.
    #[inline]
    fn enter_object(&mut self) -> Result<bool> {
        self.pos += 1;
        self.skip_whitespace();
        match self.src.get(self.pos) {
            Some(b'}') => {
                self.pos += 1;
                Ok(false)
            }
            Some(b'"') => Ok(true),
            Some(_) => self.error(self.pos, "key must be a string"),
            None => self.error(self.pos, "EOF while parsing an object"),
        }
    }

    /// After a member's value: `true` at the next key's opening quote,
    /// `false` past the closing `}`.
    #[inline]
    fn next_member(&mut self) -> Result<bool> {
        self.skip_whitespace();
        match self.src.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                self.skip_whitespace();
                match self.src.get(self.pos) {
                    Some(b'"') => Ok(true),
                    Some(b'}') => self.error(self.pos, "trailing comma"),
                    Some(_) => self.error(self.pos, "key must be a string"),
                    None => self.error(self.pos, "EOF while parsing an object"),
                }
            }
            Some(b'}') => {
                self.pos += 1;
                Ok(false)
            }
            Some(_) => self.error(self.pos, "expected `,` or `}`"),
            None => self.error(self.pos, "EOF while parsing an object"),
        }
    }

    /// Enters an object (the reader is at `{`) and reads its first key, or
    /// `None` for `{}`.
    #[inline]
    pub(crate) fn object_first(&mut self) -> Result<Option<&str>> {
        if self.enter_object()? { self.key().map(Some) } else { Ok(None) }
    }

    /// After a member's value: reads the next key, or `None` at `}`.
    #[inline]
    pub(crate) fn object_next(&mut self) -> Result<Option<&str>> {
        if self.next_member()? { self.key().map(Some) } else { Ok(None) }
    }

    /// [`object_first`](Self::object_first), with the key read as one of
    /// `known`'s values.
    #[inline]
    pub(crate) fn object_first_known(&mut self, known: &KnownKeys) -> Result<Option<u16>> {
        if self.enter_object()? { self.known_key(known).map(Some) } else { Ok(None) }
    }

    /// [`object_next`](Self::object_next), with the key read as one of
    /// `known`'s values.
    #[inline]
    pub(crate) fn object_next_known(&mut self, known: &KnownKeys) -> Result<Option<u16>> {
        if self.next_member()? { self.known_key(known).map(Some) } else { Ok(None) }
    }

    #[inline]
    fn key(&mut self) -> Result<&str> {
        let raw = self.scan()?;
        self.colon()?;
        Ok(raw.unwrap_or(&self.tape))
    }

    /// Reads a key (the reader is at its opening quote) as a value of
    /// `known`: a known name written without escapes is recognised from its
    /// raw bytes, with one 16-byte comparison; any other key is read and
    /// given to `known`'s fallback.
    #[inline]
    fn known_key(&mut self, known: &KnownKeys) -> Result<u16> {
        let start = self.pos + 1;
        if let Some(window) = self.src.get(start..start + 16) {
            let slot = known.by_probe[usize::from(window[KnownKeys::PROBE])];
            if let Some(&(name, mask, len, value)) = known.names.get(usize::from(slot).wrapping_sub(1)) {
                let mut bytes = [0; 16];
                bytes.copy_from_slice(window);
                if u128::from_le_bytes(bytes) & mask == name {
                    self.pos = start + len;
                    self.colon()?;
                    return Ok(value);
                }
            }
        }
        let key = self.key()?;
        Ok((known.fallback)(key))
    }

    /// Enters an array (the reader is at `[`) and tells what its first item
    /// is, or `None` for `[]`.
    #[inline]
    pub(crate) fn array_first(&mut self) -> Result<Option<Peek>> {
        self.pos += 1;
        self.skip_whitespace();
        if self.src.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(None);
        }
        self.peek().map(Some)
    }

    /// After an item: tells what the next item is, or `None` at `]`.
    #[inline]
    pub(crate) fn array_next(&mut self) -> Result<Option<Peek>> {
        self.skip_whitespace();
        match self.src.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                self.skip_whitespace();
                if self.src.get(self.pos) == Some(&b']') {
                    return self.error(self.pos, "trailing comma");
                }
                self.peek().map(Some)
            }
            Some(b']') => {
                self.pos += 1;
                Ok(None)
            }
            Some(_) => self.error(self.pos, "expected `,` or `]`"),
            None => self.error(self.pos, "EOF while parsing a list"),
        }
    }

    /// Checks that only white space follows the document.
    pub(crate) fn finish(&mut self) -> Result<()> {
        self.skip_whitespace();
        if self.pos < self.src.len() { self.error(self.pos, "trailing characters") } else { Ok(()) }
    }
}

// Strings found again by offset: the engine keeps offsets on its clean
// path and reads a string again only to report on it.

fn quote_at_or_after(source: &[u8], from: usize) -> usize {
    source[from.min(source.len())..].iter().position(|&b| b == b'"').map_or(source.len(), |at| from + at)
}

/// The byte range of the JSON string whose opening quote is at or after `from`.
pub(crate) fn string_span_at(source: &[u8], from: usize) -> Range<usize> {
    let start = quote_at_or_after(source, from);
    let mut i = start + 1;
    while i < source.len() {
        match source[i] {
            b'\\' => i += 2,
            b'"' => return start..i + 1,
            _ => i += 1,
        }
    }
    start..source.len()
}

/// The decoded text of the string whose opening quote is at or after
/// `from`, in input the reader has already accepted (a key or a value read
/// again to report on it).
pub(crate) fn decode_string_at(source: &[u8], from: usize) -> String {
    let span = string_span_at(source, from);
    Reader::new(&source[span]).and_then(|mut r| r.str().map(str::to_owned)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn string(json: &str) -> Result<String> {
        Reader::new(json.as_bytes())?.str().map(str::to_owned)
    }

    #[test]
    fn strings_decode_and_fail_where_json_says() {
        assert_eq!(string(r#""plain""#).unwrap(), "plain");
        assert_eq!(string(r#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#).unwrap(), "a\"b\\c/d\né😀");
        assert_eq!(string("\"é\"").unwrap(), "é");
        assert_eq!(string(r#""\ud800""#).unwrap_err().message, "lone leading surrogate in hex escape");
        assert_eq!(string(r#""\udc00""#).unwrap_err().message, "lone trailing surrogate in hex escape");
        assert_eq!(string(r#""\ud800\u0041""#).unwrap_err().message, "lone leading surrogate in hex escape");
        assert_eq!(string(r#""\x""#).unwrap_err(), ReadError { at: 1, message: "invalid escape" });
        assert_eq!(string(r#""\u00g0""#).unwrap_err().message, "invalid hex escape");
        assert_eq!(string("\"a\tb\"").unwrap_err(), ReadError { at: 2, message: "control character in string" });
        assert_eq!(string("\"abc").unwrap_err().message, "EOF while parsing a string");
        assert_eq!(Reader::new(b"\"a\xffb\"").err(), Some(ReadError { at: 2, message: "invalid UTF-8" }));
    }

    #[test]
    fn skipping_a_string_checks_it_as_reading_does() {
        let pieces = [
            "a",
            "é",
            "😀",
            "\\\"",
            "\\\\",
            "\\/",
            "\\n",
            "\\u00e9",
            "\\ud83d\\ude00",
            "\\ud800",
            "\\udc00",
            "\\ud800\\u0041",
            "\\x",
            "\\u00g0",
            "\\b\\f\\r\\t",
            "\\a",
            "\\U0041",
            "\\u12",
            "\t",
            "\\",
            "",
        ];
        let mut cases = Vec::new();
        for a in pieces {
            for b in pieces {
                for close in ["\"", "\"tail", ""] {
                    cases.push(format!("\"{a}{b}{close}"));
                }
            }
        }
        for case in cases {
            let read = Reader::new(case.as_bytes()).and_then(|mut r| {
                let decoded = r.str()?.len();
                Ok((decoded, r.index()))
            });
            let skipped = Reader::new(case.as_bytes()).and_then(|mut r| r.skip_str().map(|(raw, _)| (raw, r.index())));
            match (read, skipped) {
                (Ok((decoded, end)), Ok((raw, skip_end))) => {
                    assert_eq!(end, skip_end, "{case}");
                    assert!(decoded <= raw, "{case}");
                }
                (read, skipped) => assert_eq!(read.err(), skipped.err(), "{case}"),
            }
        }
    }

    #[test]
    fn known_keys_are_told_from_their_raw_bytes() {
        // The fallback's 99 shows which keys were not recognised raw.
        static KNOWN: KnownKeys = KnownKeys::new(&[("apiKey", 1), ("newId", 2), ("fifteen_bytes_x", 3)], |_| 99);
        let first = |json: &str| {
            let mut r = Reader::new(json.as_bytes()).unwrap();
            let key = r.object_first_known(&KNOWN).unwrap();
            (key, r.index())
        };
        let fill = "\"a value long enough to fill the window\"}";
        assert_eq!(first(&format!("{{\"apiKey\":{fill}")), (Some(1), 10));
        assert_eq!(first(&format!("{{\"newId\" :{fill}")), (Some(2), 10));
        assert_eq!(first(&format!("{{\"fifteen_bytes_x\":{fill}")), (Some(3), 19));
        // Too near the end for a 16-byte window, escaped, or another name.
        assert_eq!(first("{\"apiKey\":1}"), (Some(99), 10));
        assert_eq!(first(&format!("{{\"api\\u004bey\":{fill}")), (Some(99), 15));
        assert_eq!(first(&format!("{{\"apiKeys\":{fill}")), (Some(99), 11));
        assert_eq!(first(&format!("{{\"newIdx\":{fill}")), (Some(99), 10));
        assert_eq!(first("{}"), (None, 2));
    }

    #[test]
    fn numbers_follow_the_grammar() {
        for ok in ["0", "-0", "12", "1.5", "-1.5e10", "1E+2", "0.0e-0"] {
            let mut r = Reader::new(ok.as_bytes()).unwrap();
            assert_eq!(r.number(), Ok(0..ok.len()), "{ok}");
        }
        for bad in ["-", "1.", ".5", "1e", "1e+", "-a"] {
            let mut r = Reader::new(bad.as_bytes()).unwrap();
            let read = r.number().and_then(|_| r.finish());
            assert!(read.is_err(), "{bad}");
        }
        // A leading zero ends the number; what follows is not JSON.
        let mut r = Reader::new(b"01").unwrap();
        assert_eq!(r.number(), Ok(0..1));
        assert!(r.finish().is_err());
    }

    #[test]
    fn containers_step_and_reject_trailing_commas() {
        let mut r = Reader::new(br#"{"a" : [1, true] , "b\u0021":null}"#).unwrap();
        assert_eq!(r.object_first().unwrap(), Some("a"));
        assert_eq!(r.peek(), Ok(Peek::Array));
        assert_eq!(r.array_first(), Ok(Some(Peek::Number)));
        r.number().unwrap();
        assert_eq!(r.array_next(), Ok(Some(Peek::True)));
        r.literal(Peek::True).unwrap();
        assert_eq!(r.array_next(), Ok(None));
        assert_eq!(r.object_next().unwrap(), Some("b!"));
        r.literal(Peek::Null).unwrap();
        assert_eq!(r.object_next().unwrap(), None);
        assert_eq!(r.finish(), Ok(()));
        let mut r = Reader::new(b"[1,]").unwrap();
        r.array_first().unwrap();
        r.number().unwrap();
        assert_eq!(r.array_next().unwrap_err().message, "trailing comma");
        let mut r = Reader::new(br#"{"a":1,}"#).unwrap();
        r.object_first().unwrap();
        r.number().unwrap();
        assert_eq!(r.object_next().unwrap_err().message, "trailing comma");
        assert_eq!(Reader::new(b"{1:2}").unwrap().object_first().unwrap_err().message, "key must be a string");
        let mut r = Reader::new(b"nul").unwrap();
        let peek = r.peek().unwrap();
        assert_eq!(r.literal(peek).unwrap_err().message, "expected value");
    }
}

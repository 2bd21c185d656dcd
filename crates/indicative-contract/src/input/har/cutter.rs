//! The cut of a HAR file into its entries, as it streams: the
//! `log.entries` array is cut by the JSON array cutter, and what lies
//! outside the entries (the `log` object's other members, the file's start
//! and end) is followed byte by byte by a small JSON reader that checks it
//! as `serde_json` would read it into values: strings (their escapes,
//! surrogate pairs and UTF-8), numbers and literals, nesting (at most 128
//! deep), colons and commas. Only the form feed differs: JSON does not count
//! it as white space, and between entries the array cutter leaves it in the
//! entry next to it, which then does not read.

use std::borrow::Cow;

use crate::input::InputError;
use crate::input::array::{ArrayCutter, Item, is_space};

/// What the reader outside the entries expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value (the file's, a member's, an array's item).
    Value,
    /// After `{`: a key or `}`.
    KeyOrEnd,
    /// After a comma in an object: a key.
    Key,
    /// After a key: `:`.
    Colon,
    /// After a value in an object or array: `,` or its closing bracket.
    CommaOrEnd,
    /// After `[`: an item or `]`.
    ItemOrEnd,
    /// After the file's value: only white space.
    Nothing,
}

/// An object or array the reader is in, and whether it is one that
/// matters: the file's object (whose `log` member is looked for), `log`'s
/// object (whose `entries` member is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    Object(Role),
    Array,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    File,
    Log,
    Other,
}

/// A string under way.
#[derive(Debug, Clone, Default)]
struct Text {
    is_key: bool,
    escaped: bool,
    /// Hex digits still expected after `\u`, and the code unit they make.
    hex: u8,
    unit: u16,
    /// After a `\u` escape of a high surrogate: its low half must follow.
    need_low: bool,
    /// Continuation bytes still expected in a UTF-8 sequence, and the range
    /// the next one must be in.
    more: u8,
    next: (u8, u8),
    /// A key's raw bytes, while short enough to be `log` or `entries`
    /// (escapes included); `None` past that.
    key: Option<Vec<u8>>,
    /// Where it starts: line and column of its opening quote.
    line: usize,
    column: usize,
}

impl Text {
    /// A `\u` escape's code unit was read: a high surrogate must be followed
    /// by a low one, and a low one must follow a high one.
    fn surrogate(&mut self) -> Option<&'static str> {
        let low = (0xDC00..=0xDFFF).contains(&self.unit);
        if std::mem::take(&mut self.need_low) != low {
            return Some("a lone surrogate escape in a string");
        }
        self.need_low = (0xD800..=0xDBFF).contains(&self.unit);
        None
    }
}

/// Longest raw key kept: `entries` with every letter escaped is 42 bytes.
const KEY_BYTES: usize = 64;

/// How deep objects and arrays may nest outside the entries (as deep as
/// `serde_json` reads).
const MAX_DEPTH: usize = 128;

/// A number or literal under way, and where it started.
#[derive(Debug, Clone, Copy)]
struct Scalar {
    state: Number,
    line: usize,
    column: usize,
}

/// Where a number or literal stands, by JSON's grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Number {
    /// `true`, `false` or `null`, this many bytes read.
    Literal(&'static [u8], usize),
    /// After `-`.
    Minus,
    /// A leading `0`.
    Zero,
    /// Digits of the integer part.
    Int,
    /// After `.`.
    Dot,
    /// Digits of the fraction.
    Frac,
    /// After `e` or `E`.
    Exp,
    /// After the exponent's sign.
    ExpSign,
    /// Digits of the exponent.
    ExpDigits,
    /// Not JSON.
    Bad,
}

impl Number {
    fn start(byte: u8) -> Self {
        match byte {
            b't' => Self::Literal(b"true", 1),
            b'f' => Self::Literal(b"false", 1),
            b'n' => Self::Literal(b"null", 1),
            b'-' => Self::Minus,
            b'0' => Self::Zero,
            _ => Self::Int,
        }
    }

    fn next(self, byte: u8) -> Self {
        match (self, byte) {
            (Self::Literal(word, at), _) if word.get(at) == Some(&byte) => Self::Literal(word, at + 1),
            (Self::Minus, b'0') => Self::Zero,
            (Self::Minus | Self::Int, b'0'..=b'9') => Self::Int,
            (Self::Zero | Self::Int, b'.') => Self::Dot,
            (Self::Dot | Self::Frac, b'0'..=b'9') => Self::Frac,
            (Self::Zero | Self::Int | Self::Frac, b'e' | b'E') => Self::Exp,
            (Self::Exp, b'+' | b'-') => Self::ExpSign,
            (Self::Exp | Self::ExpSign | Self::ExpDigits, b'0'..=b'9') => Self::ExpDigits,
            _ => Self::Bad,
        }
    }

    fn is_whole(self) -> bool {
        match self {
            Self::Literal(word, at) => at == word.len(),
            Self::Zero | Self::Int | Self::Frac | Self::ExpDigits => true,
            _ => false,
        }
    }
}

/// Where the reader is.
#[derive(Debug, Clone)]
enum Phase {
    /// Outside the entries, reading byte by byte.
    Outside,
    /// In `log.entries`, cut by the array cutter.
    Entries(Box<ArrayCutter>),
    /// The file is not a HAR archive (or ends before it does).
    Failed,
}

/// Cuts a HAR capture into its entries, fed a block of bytes at a time, as
/// [`ArrayCutter`] cuts an array: each [`Item`] is one entry's JSON text,
/// with its line and column in the file, for [`har_entry`](super::har_entry) to read. Where
/// the file stops being a HAR archive, [`error`](Self::error) says where and
/// why, and the entries before that stand.
///
/// ```
/// use indicative_contract::input::{HarCutter, har_entry};
/// let har = br#"{"log": {"version": "1.2", "entries": [
///   {"request": {"method": "GET", "url": "/service/event?apiKey=k"}}
/// ], "pages": []}}"#;
/// let mut cutter = HarCutter::new();
/// let mut entries = Vec::new();
/// cutter.feed(har, 0, &mut entries);
/// cutter.finish(har.len(), &mut entries);
/// assert!(cutter.error().is_none());
/// assert_eq!((entries[0].line, entries[0].column), (2, 3));
/// let document = har_entry(0, &har[entries[0].range.clone()]).unwrap().unwrap();
/// assert_eq!(document.source(), b"/service/event?apiKey=k");
///
/// let mut cutter = HarCutter::new();
/// cutter.feed(b"{\"log\": {\"entries\": {}}}", 0, &mut entries);
/// assert_eq!(cutter.error().unwrap().to_string(), "not a HAR file: `log.entries` is not an array, at line 1 column 21");
/// ```
#[derive(Debug, Clone)]
pub struct HarCutter {
    phase: Phase,
    /// The next byte to read outside the entries, and its line and column.
    offset: usize,
    line: usize,
    column: usize,
    expect: Expect,
    stack: Vec<Frame>,
    /// The key whose value comes next, when it matters (`log`, `entries`).
    member: Option<&'static str>,
    text: Option<Text>,
    /// A number or literal under way.
    scalar: Option<Scalar>,
    seen_log: bool,
    seen_entries: bool,
    error: Option<InputError>,
}

impl Default for HarCutter {
    fn default() -> Self {
        Self::new()
    }
}

impl HarCutter {
    /// A cutter at the start of a file.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            phase: Phase::Outside,
            offset: 0,
            line: 1,
            column: 1,
            expect: Expect::Value,
            stack: Vec::new(),
            member: None,
            text: None,
            scalar: None,
            seen_log: false,
            seen_entries: false,
            error: None,
        }
    }

    /// Why the file is not a HAR archive, with the line and column where
    /// that shows, once it does; the entries cut before then stand.
    #[must_use]
    pub const fn error(&self) -> Option<&InputError> {
        self.error.as_ref()
    }

    /// Where the entry being read starts: bytes from there on must be kept
    /// for the next block.
    #[must_use]
    pub fn pending_from(&self) -> Option<usize> {
        match &self.phase {
            Phase::Entries(cutter) => cutter.pending_from(),
            _ => None,
        }
    }

    fn fail(&mut self, what: &str, line: usize, column: usize) {
        if self.error.is_none() {
            self.error = Some(InputError::new(format!("not a HAR file: {what}, at line {line} column {column}")));
        }
        self.phase = Phase::Failed;
    }

    /// Reads `data`, which starts at offset `base` of the file and holds at
    /// least every byte from the last [`pending_from`](Self::pending_from)
    /// on; pushes the entries that end in it.
    pub fn feed(&mut self, data: &[u8], base: usize, items: &mut Vec<Item>) {
        let end = base + data.len();
        loop {
            match &mut self.phase {
                Phase::Failed => return,
                Phase::Entries(cutter) => {
                    cutter.feed(data, base, items);
                    if let Some((line, column)) = cutter.broken() {
                        self.fail("the `entries` array breaks off", line, column);
                        return;
                    }
                    let Some((offset, line, column)) = cutter.closed() else { return };
                    (self.offset, self.line, self.column) = (offset, line, column);
                    self.phase = Phase::Outside;
                    self.value_done();
                }
                Phase::Outside => {
                    if self.offset >= end {
                        return;
                    }
                    let byte = data[self.offset - base];
                    self.read(byte);
                    if !matches!(self.phase, Phase::Failed) {
                        self.offset += 1;
                        if byte == b'\n' {
                            (self.line, self.column) = (self.line + 1, 1);
                        } else if byte & 0xC0 != 0x80 {
                            self.column += 1;
                        }
                    }
                }
            }
        }
    }

    /// The file ended at `end`: an archive cut short is an error (the
    /// entries whole before that are pushed).
    pub fn finish(&mut self, end: usize, items: &mut Vec<Item>) {
        match &mut self.phase {
            Phase::Failed => {}
            Phase::Entries(cutter) => {
                let before = items.len();
                cutter.finish(end, items);
                // What the array cutter calls the faulty rest is where the
                // archive ends early: an entry cut short, or (empty) the
                // end of an array that never closed.
                let fault = items[before..].iter().find(|item| item.fault).cloned();
                items.retain(|item| !item.fault);
                match fault {
                    Some(item) if !item.range.is_empty() => {
                        let message = format!(
                            "not a HAR file: the file ends inside entry {} of `log.entries`, which starts at line {} column {}",
                            item.index, item.line, item.column
                        );
                        self.error.get_or_insert(InputError::new(message));
                        self.phase = Phase::Failed;
                    }
                    Some(item) => self.fail("the file ends before the `entries` array closes", item.line, item.column),
                    None => self.fail("the file ends before the `entries` array closes", self.line, self.column),
                }
            }
            Phase::Outside => {
                if self.scalar.is_some() {
                    self.end_scalar();
                }
                if matches!(self.phase, Phase::Failed) {
                    return;
                }
                let (line, column) = (self.line, self.column);
                if self.expect != Expect::Nothing || self.text.is_some() {
                    self.fail("the file ends early", line, column);
                } else if !self.seen_log {
                    self.fail("no `log` member", line, column);
                } else if !self.seen_entries {
                    self.fail("no `log.entries` member", line, column);
                }
            }
        }
    }

    /// Reads one byte outside the entries.
    fn read(&mut self, byte: u8) {
        if self.text.is_some() {
            return self.string_byte(byte);
        }
        if let Some(scalar) = &mut self.scalar {
            if !is_delimiter(byte) {
                scalar.state = scalar.state.next(byte);
                return;
            }
            self.end_scalar();
            if matches!(self.phase, Phase::Failed) {
                return;
            }
        }
        if is_space(byte) {
            return;
        }
        let (line, column) = (self.line, self.column);
        match self.expect {
            Expect::ItemOrEnd if byte == b']' => {
                self.stack.pop();
                self.value_done();
            }
            Expect::Value | Expect::ItemOrEnd => self.value_starts(byte),
            Expect::KeyOrEnd if byte == b'}' => {
                self.stack.pop();
                self.value_done();
            }
            Expect::KeyOrEnd | Expect::Key if byte == b'"' => {
                let role = self.object_role();
                let key = matches!(role, Some(Role::File | Role::Log)).then(Vec::new);
                self.text = Some(Text { is_key: true, key, line, column, ..Text::default() });
            }
            Expect::KeyOrEnd | Expect::Key => self.fail("expected a member's name", line, column),
            Expect::Colon if byte == b':' => self.expect = Expect::Value,
            Expect::Colon => self.fail("expected `:`", line, column),
            Expect::CommaOrEnd => match (byte, self.stack.last()) {
                (b',', Some(Frame::Object(_))) => self.expect = Expect::Key,
                (b',', Some(Frame::Array)) => self.expect = Expect::Value,
                (b'}', Some(Frame::Object(_))) | (b']', Some(Frame::Array)) => {
                    self.stack.pop();
                    self.value_done();
                }
                _ => self.fail("expected `,` or a closing bracket", line, column),
            },
            Expect::Nothing => self.fail("something follows the archive", line, column),
        }
    }

    /// The role of the object the reader is directly in, if it is in one.
    fn object_role(&self) -> Option<Role> {
        match self.stack.last() {
            Some(Frame::Object(role)) => Some(*role),
            _ => None,
        }
    }

    /// A value starts with `byte`, as the value of `self.member` if that is
    /// set.
    fn value_starts(&mut self, byte: u8) {
        let (line, column) = (self.line, self.column);
        let member = self.member.take();
        if self.stack.is_empty() && byte != b'{' {
            return self.fail("expected an object", line, column);
        }
        match member {
            Some("log") if byte != b'{' => return self.fail("`log` is not an object", line, column),
            Some("entries") if byte != b'[' => return self.fail("`log.entries` is not an array", line, column),
            Some("entries") => {
                // The entries: cut by the array cutter from their `[` on.
                self.phase = Phase::Entries(Box::new(ArrayCutter::embedded_at(self.offset, line, column)));
                return;
            }
            _ => {}
        }
        if matches!(byte, b'{' | b'[') && self.stack.len() >= MAX_DEPTH {
            return self.fail(&format!("nested more than {MAX_DEPTH} deep"), line, column);
        }
        match byte {
            b'{' => {
                let role = match member {
                    Some("log") => Role::Log,
                    _ if self.stack.is_empty() => Role::File,
                    _ => Role::Other,
                };
                self.stack.push(Frame::Object(role));
                self.expect = Expect::KeyOrEnd;
            }
            b'[' => {
                self.stack.push(Frame::Array);
                self.expect = Expect::ItemOrEnd;
            }
            b'"' => self.text = Some(Text::default()),
            b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => {
                self.scalar = Some(Scalar { state: Number::start(byte), line, column });
            }
            _ => self.fail("expected a value", line, column),
        }
    }

    /// A value ended (the reader is just after it).
    fn value_done(&mut self) {
        self.expect = if self.stack.is_empty() { Expect::Nothing } else { Expect::CommaOrEnd };
    }

    fn end_scalar(&mut self) {
        let Some(scalar) = self.scalar.take() else { return };
        if !scalar.state.is_whole() {
            return self.fail("a number or literal that is not JSON", scalar.line, scalar.column);
        }
        self.value_done();
    }

    /// One byte of a string: its escapes, and its UTF-8, are checked as
    /// `serde_json` checks them.
    fn string_byte(&mut self, byte: u8) {
        let (line, column) = (self.line, self.column);
        let Some(text) = self.text.as_mut() else { return };
        if let Some(key) = &mut text.key {
            if key.len() < KEY_BYTES {
                key.push(byte);
            } else {
                text.key = None;
            }
        }
        // A sequence that breaks is shown where its character starts.
        let mut column = column;
        let fault = if text.more > 0 {
            text.more -= 1;
            let in_range = (text.next.0..=text.next.1).contains(&byte);
            text.next = (0x80, 0xBF);
            column -= 1;
            (!in_range).then_some("bytes that are not UTF-8 in a string")
        } else if text.hex > 0 {
            text.hex -= 1;
            match (byte as char).to_digit(16) {
                Some(digit) => {
                    text.unit = text.unit << 4 | digit as u16;
                    (text.hex == 0).then(|| text.surrogate()).flatten()
                }
                None => Some("a `\\u` escape needs four hex digits"),
            }
        } else if text.escaped {
            text.escaped = false;
            match byte {
                b'u' => {
                    (text.hex, text.unit) = (4, 0);
                    None
                }
                _ if text.need_low => Some("a lone surrogate escape in a string"),
                b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => None,
                _ => Some("an unknown escape in a string"),
            }
        } else if byte == b'\\' {
            text.escaped = true;
            None
        } else if text.need_low {
            Some("a lone surrogate escape in a string")
        } else if byte == b'"' {
            let (is_key, key, at) = (text.is_key, text.key.take(), (text.line, text.column));
            self.text = None;
            if is_key {
                self.key_done(key, at.0, at.1);
            } else {
                self.value_done();
            }
            None
        } else if byte < 0x20 {
            Some("a control character in a string")
        } else if byte >= 0x80 {
            // The first byte of a UTF-8 sequence: how many follow, and the
            // range of the next (no overlong forms, no surrogates, nothing
            // past U+10FFFF).
            let (more, next) = match byte {
                0xC2..=0xDF => (1, (0x80, 0xBF)),
                0xE0 => (2, (0xA0, 0xBF)),
                0xE1..=0xEC | 0xEE..=0xEF => (2, (0x80, 0xBF)),
                0xED => (2, (0x80, 0x9F)),
                0xF0 => (3, (0x90, 0xBF)),
                0xF1..=0xF3 => (3, (0x80, 0xBF)),
                0xF4 => (3, (0x80, 0x8F)),
                _ => (0, (0, 0)),
            };
            (text.more, text.next) = (more, next);
            (more == 0).then_some("bytes that are not UTF-8 in a string")
        } else {
            None
        };
        if let Some(what) = fault {
            self.fail(what, line, column);
        }
    }

    /// A member's name was read (its raw bytes with the closing quote, when
    /// kept; it started at `line` and `column`): `log` in the file's object
    /// and `entries` in `log`'s matter.
    fn key_done(&mut self, raw: Option<Vec<u8>>, line: usize, column: usize) {
        self.expect = Expect::Colon;
        let Some(mut raw) = raw else { return };
        raw.pop();
        let name: Cow<'_, str> = if raw.contains(&b'\\') {
            let mut quoted = Vec::with_capacity(raw.len() + 2);
            quoted.push(b'"');
            quoted.extend_from_slice(&raw);
            quoted.push(b'"');
            serde_json::from_slice::<String>(&quoted).map_or(Cow::Borrowed(""), Cow::Owned)
        } else {
            String::from_utf8_lossy(&raw)
        };
        let role = self.object_role();
        let (wanted, seen) = match role {
            Some(Role::File) => ("log", &mut self.seen_log),
            Some(Role::Log) => ("entries", &mut self.seen_entries),
            _ => return,
        };
        if name == wanted {
            if *seen {
                let what = if wanted == "log" { "a second `log` member" } else { "a second `log.entries` member" };
                return self.fail(what, line, column);
            }
            *seen = true;
            self.member = Some(wanted);
        }
    }
}

/// Whether `byte` ends a number or literal.
const fn is_delimiter(byte: u8) -> bool {
    matches!(byte, b',' | b'}' | b']') || is_space(byte)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entries' texts and places, and the error, with the file fed in
    /// blocks of `block` bytes as a streaming reader does (each block with
    /// only the pending bytes of the one before).
    fn cut(input: &[u8], block: usize) -> (Vec<(String, usize, usize)>, Option<String>) {
        let mut cutter = HarCutter::new();
        let mut items = Vec::new();
        let mut base = 0;
        let block = block.max(1);
        for end in (block..input.len() + block).step_by(block) {
            let end = end.min(input.len());
            cutter.feed(&input[base..end], base, &mut items);
            base = cutter.pending_from().unwrap_or(end);
        }
        cutter.finish(input.len(), &mut items);
        let entries = items
            .into_iter()
            .map(|i| (String::from_utf8_lossy(&input[i.range]).into_owned(), i.line, i.column))
            .collect();
        (entries, cutter.error().map(ToString::to_string))
    }

    #[test]
    fn the_entries_are_found_wherever_log_puts_them() {
        let har = "{\"creator\": {\"entries\": [1]}, \"log\": {\"pages\": [{\"title\": \"a \\\"]\"}],\n \"entr\\u0069es\": [\n  {\"a\": \"é\"} ,{\"b\": [1, 2]}\n], \"comment\": null, \"n\": -1.5e3}, \"x\": true}";
        let expected = vec![("{\"a\": \"é\"}".to_owned(), 3, 3), ("{\"b\": [1, 2]}".to_owned(), 3, 15)];
        for block in [1, 2, 5, 64, har.len()] {
            assert_eq!(cut(har.as_bytes(), block), (expected.clone(), None), "block {block}");
        }
        assert_eq!(cut(b" {\"log\": {\"entries\": []}} \n", 3), (vec![], None));
    }

    #[test]
    fn a_file_that_is_not_a_har_says_where() {
        let cases: [(&str, &str); 13] = [
            ("", "the file ends early, at line 1 column 1"),
            ("[]", "expected an object, at line 1 column 1"),
            ("{\"log\": []}", "`log` is not an object, at line 1 column 9"),
            ("{\"log\": {}}", "no `log.entries` member, at line 1 column 12"),
            ("{\"other\": {}}", "no `log` member, at line 1 column 14"),
            (
                "{\"log\": {\"entries\": [{}, {}\n}}",
                "the file ends before the `entries` array closes, at line 2 column 3",
            ),
            (
                "{\"log\": {\"entries\": [{}, {\"a\": 1",
                "the file ends inside entry 1 of `log.entries`, which starts at line 1 column 26",
            ),
            ("{\"log\": {\"entries\": [{},]}}", "the `entries` array breaks off, at line 1 column 25"),
            ("{\"log\": {\"entries\": []}} x", "something follows the archive, at line 1 column 26"),
            ("{\"log\": {\"entries\": [], \"entries\": []}}", "a second `log.entries` member, at line 1 column 25"),
            ("{\"log\": {\"v\": tru, \"entries\": []}}", "a number or literal that is not JSON, at line 1 column 15"),
            ("{\"log\": {\"v\": \"\\x\", \"entries\": []}}", "an unknown escape in a string, at line 1 column 17"),
            ("{\"log\" {\"entries\": []}}", "expected `:`, at line 1 column 8"),
        ];
        for (input, expected) in cases {
            for block in [1, 4, 1000] {
                let (_, error) = cut(input.as_bytes(), block);
                assert_eq!(error.as_deref(), Some(&*format!("not a HAR file: {expected}")), "{input} (block {block})");
            }
        }
        // As deep, as long, and as strictly UTF-8 as serde_json reads.
        let deep = format!("{{\"log\": {{\"x\": {}", "[".repeat(200));
        let long = format!("{{\"log\": {{\"n\": -1{}e+5, \"entries\": []}}}}", "0".repeat(2000));
        let strict: [(&[u8], Option<&str>); 7] = [
            (deep.as_bytes(), Some("nested more than 128 deep, at line 1 column 141")),
            (long.as_bytes(), None),
            (b"{\"log\": {\"s\": \"\\ud83d\\ude00\", \"entries\": []}}", None),
            (
                b"{\"log\": {\"s\": \"\\ud800\", \"entries\": []}}",
                Some("a lone surrogate escape in a string, at line 1 column 22"),
            ),
            (
                b"{\"log\": {\"s\": \"\\udc00\", \"entries\": []}}",
                Some("a lone surrogate escape in a string, at line 1 column 21"),
            ),
            (
                b"{\"log\": {\"s\": \"\xC3\xA9\xED\xA0\x80\", \"entries\": []}}",
                Some("bytes that are not UTF-8 in a string, at line 1 column 17"),
            ),
            (
                b"{\"log\": {\"s\": \"\xF4\x90\", \"entries\": []}}",
                Some("bytes that are not UTF-8 in a string, at line 1 column 16"),
            ),
        ];
        for (input, expected) in strict {
            for block in [1, 3, 1000] {
                let (_, error) = cut(input, block);
                let expected = expected.map(|e| format!("not a HAR file: {e}"));
                assert_eq!(error, expected, "{} (block {block})", String::from_utf8_lossy(input));
            }
        }
        // A form feed is not JSON's white space: it stays in its entry,
        // which then does not read.
        let (entries, error) = cut(b"{\"log\": {\"entries\": [{}\x0c]}}", 2);
        assert_eq!((entries[0].0.as_str(), error), ("{}\u{c}", None));
        assert!(crate::input::har_entry(0, entries[0].0.as_bytes()).is_err());
        // The entries whole before the fault stand.
        let (entries, error) = cut(b"{\"log\": {\"entries\": [{\"a\": 1}, {\"b\": 2}, {\"c\"", 7);
        assert_eq!(entries.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), ["{\"a\": 1}", "{\"b\": 2}"]);
        assert!(error.is_some());
    }

    /// A file is read as a HAR exactly when `serde_json` reads it as one
    /// whose entries are JSON values, however it is cut into blocks.
    #[test]
    fn the_cutter_agrees_with_serde_json() {
        use proptest::prelude::*;

        #[derive(serde::Deserialize)]
        struct Har {
            #[allow(dead_code)]
            log: Log,
        }
        #[derive(serde::Deserialize)]
        struct Log {
            #[allow(dead_code)]
            entries: Vec<serde::de::IgnoredAny>,
        }

        let piece = prop::sample::select(vec![
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "\n",
            "\"log\"",
            "\"entries\"",
            "\"entr\\u0069es\"",
            "\"x\"",
            "\"\\q\"",
            "1",
            "-0.5e3",
            "01",
            "tru",
            "true",
            "null",
            "\"a,]\"",
            "{\"request\": {}}",
            "\"é\"",
            "\"\\\"\"",
            "\"\\ud800\"",
            "\"\\ud83d\\ude00\"",
            "\"\\udc00x\"",
            "1e",
            "-",
            "2.",
            "0.5E-7",
            "\u{c}",
        ]);
        let valid =
            "{\"log\": {\"version\": \"1.2\", \"entries\": [{\"request\": {\"url\": \"]\"}}, [1]], \"pages\": []}}";
        proptest!(|(pieces in prop::collection::vec(piece.clone(), 0..30), insert in prop::collection::vec(piece, 0..3), at in 0..valid.len(), block in 1..9_usize)| {
            // Random pieces (mostly not a HAR), and a HAR with a few pieces put in.
            let mut spliced = valid.to_owned();
            if valid.is_char_boundary(at) {
                spliced.insert_str(at, &insert.concat());
            }
            for input in [pieces.concat(), spliced] {
                let (entries, error) = cut(input.as_bytes(), block);
                prop_assert_eq!(&cut(input.as_bytes(), input.len()), &(entries.clone(), error.clone()), "{}", input);
                // serde_json checks the strings of what it ignores less than
                // those it reads (their UTF-8, their surrogates): read as
                // `Value`s, every string is checked, on both sides (an entry
                // `"\udc00x"` is not JSON text).
                let ours = error.is_none() && entries.iter().all(|(text, _, _)| serde_json::from_str::<serde_json::Value>(text).is_ok());
                let theirs = serde_json::from_str::<Har>(&input).is_ok() && serde_json::from_str::<serde_json::Value>(&input).is_ok();
                prop_assert_eq!(ours, theirs, "{} ({:?})", input, error);
            }
        });
    }
}

//! The items of a top-level JSON array, found as the bytes go by, so that a
//! file of any size is cut into payloads in one pass and bounded memory, as
//! NDJSON is cut into lines.
//!
//! The cutter only finds where each item begins and ends (strings, escapes
//! and nesting are followed; nothing is decoded or checked): each item is
//! then linted on its own, and the engine judges it. Two values with no
//! comma between them are read as one item (which the engine reports as
//! `invalid-json` where the second starts), and the items after them are
//! cut as usual; so is a comma where an item should be (`[a,,b]`: the
//! comma is an item of its own, which the engine reports as `invalid-json`).
//! Where the array's own structure breaks otherwise (a trailing comma, no
//! closing bracket, something after it), the rest of the input is one more
//! item, marked as a fault, which the engine reports as `invalid-json` at
//! its place.
//!
//! Inside an item, 64 bytes are classified at a time (quotes, backslashes,
//! brackets, commas, as bit masks: see `block.rs`), so that only the
//! brackets and commas outside strings are looked at one by one. Lines and
//! columns are counted as the bytes go by, each byte once, eight at a time:
//! an item's place is known without counting from the start of the file.

use std::ops::Range;

mod block;

/// One item of the array.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Its bytes, as offsets from the start of the input.
    pub range: Range<usize>,
    /// The 1-based line where it starts.
    pub line: usize,
    /// The 1-based column (in characters) where it starts.
    pub column: usize,
    /// Its place among the array's items, from 0.
    pub index: usize,
    /// Whether it is the rest of an input whose array structure broke here.
    pub fault: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the opening bracket.
    Start,
    /// After `[` (`first`) or a comma: an item, or `]` after `[`.
    BeforeItem { first: bool },
    /// Inside an item (and the white space after it).
    InItem,
    /// After the closing bracket: only white space may follow.
    Done,
    /// The structure broke at this offset: the rest is one faulty item.
    Broken,
}

/// What [`ArrayCutter::read_block`] did with a block.
enum Block {
    /// Read it all, and is still in an item.
    Read,
    /// Left the item (and the block) here.
    Left(usize),
    /// Read nothing: the block is for the byte-by-byte reader.
    Unsure,
}

/// Whether `byte` is JSON's white space (space, tab, line feed, carriage
/// return: not the form feed that `u8::is_ascii_whitespace` also takes).
pub(crate) const fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | b'\r')
}

/// A byte's part in an item's structure, outside strings.
const PLAIN: u8 = 0;
const QUOTE: u8 = 1;
const OPEN: u8 = 2;
const CLOSE_BRACE: u8 = 3;
const CLOSE_BRACKET: u8 = 4;
const COMMA: u8 = 5;

const CLASS: [u8; 256] = {
    let mut table = [PLAIN; 256];
    table[b'"' as usize] = QUOTE;
    table[b'[' as usize] = OPEN;
    table[b'{' as usize] = OPEN;
    table[b'}' as usize] = CLOSE_BRACE;
    table[b']' as usize] = CLOSE_BRACKET;
    table[b',' as usize] = COMMA;
    table
};

/// The line and column of one offset of the input, moved forward over the
/// bytes as they go by (each byte once, whatever asks where it is).
#[derive(Debug, Clone, Copy)]
struct Place {
    offset: usize,
    line: usize,
    column: usize,
}

impl Place {
    /// Moves to `to`, over `data` (which starts at `base` and holds every
    /// byte from `self.offset` to `to`).
    fn advance(&mut self, data: &[u8], base: usize, to: usize) -> usize {
        let bytes = &data[self.offset - base..to - base];
        match memchr::memrchr(b'\n', bytes) {
            Some(last) => {
                self.line += block::newlines(&bytes[..=last]);
                self.column = 1 + block::characters(&bytes[last + 1..]);
            }
            None => self.column += block::characters(bytes),
        }
        self.offset = to;
        bytes.len()
    }
}

/// Cuts a JSON array into items, fed a block of bytes at a time.
///
/// ```
/// use indicative_contract::input::array::ArrayCutter;
/// let mut cutter = ArrayCutter::new();
/// let mut items = Vec::new();
/// let input = b"[\n  {\"a\": 1},\n  {\"b\": [2, \"]\"]}\n]";
/// cutter.feed(input, 0, &mut items);
/// cutter.finish(input.len(), &mut items);
/// let places: Vec<_> = items.iter().map(|i| (&input[i.range.clone()], i.line, i.column)).collect();
/// assert_eq!(places, [(&b"{\"a\": 1}"[..], 2, 3), (&b"{\"b\": [2, \"]\"]}"[..], 3, 3)]);
/// ```
#[derive(Debug, Clone)]
pub struct ArrayCutter {
    state: State,
    /// Where the next byte to read stands.
    offset: usize,
    depth: usize,
    in_string: bool,
    escaped: bool,
    /// The item being read: its start, line and column.
    start: usize,
    start_line: usize,
    start_column: usize,
    /// Where the item being read ends so far, at the end of a block.
    item_end: usize,
    index: usize,
    /// The line and column of the bytes read so far.
    place: Place,
    /// How many bytes were looked at, by the cut and by the count of lines:
    /// each at most once by each (a test holds it to that).
    examined: usize,
    /// Whether the array is a value inside a larger document (a HAR's
    /// `entries`): the cut then stops after its closing bracket, and what
    /// follows is the caller's to read.
    embedded: bool,
}

impl Default for ArrayCutter {
    fn default() -> Self {
        Self::new()
    }
}

impl ArrayCutter {
    /// A cutter at the start of its input.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            state: State::Start,
            offset: 0,
            depth: 0,
            in_string: false,
            escaped: false,
            start: 0,
            start_line: 1,
            start_column: 1,
            item_end: 0,
            index: 0,
            place: Place { offset: 0, line: 1, column: 1 },
            examined: 0,
            embedded: false,
        }
    }

    /// A cutter for an array that starts (at its `[`) at `offset` of a
    /// larger document, on that line and column: it stops after the
    /// array's closing bracket ([`closed`](Self::closed)).
    pub(crate) const fn embedded_at(offset: usize, line: usize, column: usize) -> Self {
        let mut cutter = Self::new();
        cutter.offset = offset;
        cutter.place = Place { offset, line, column };
        cutter.embedded = true;
        cutter
    }

    /// For an embedded array that has closed: the offset, line and column
    /// just after its closing bracket.
    pub(crate) const fn closed(&self) -> Option<(usize, usize, usize)> {
        match self.state {
            State::Done if self.embedded => Some((self.offset, self.place.line, self.place.column)),
            _ => None,
        }
    }

    /// Where the array's structure broke, if it did: line and column.
    pub(crate) const fn broken(&self) -> Option<(usize, usize)> {
        match self.state {
            State::Broken => Some((self.start_line, self.start_column)),
            _ => None,
        }
    }

    /// Where the item being read (or the faulty rest) starts: bytes from
    /// there on must be kept for the next block.
    #[must_use]
    pub const fn pending_from(&self) -> Option<usize> {
        match self.state {
            State::InItem | State::Broken => Some(self.start),
            _ => None,
        }
    }

    /// How many bytes were looked at so far: at most twice the input's
    /// length (once to cut it, once to count its lines).
    #[must_use]
    pub const fn examined(&self) -> usize {
        self.examined
    }

    fn begin(&mut self, data: &[u8], base: usize, at: usize) {
        self.examined += self.place.advance(data, base, at);
        self.start = at;
        self.start_line = self.place.line;
        self.start_column = self.place.column;
    }

    fn emit(&mut self, items: &mut Vec<Item>, fault: bool, end: usize) {
        items.push(Item {
            range: self.start..end,
            line: self.start_line,
            column: self.start_column,
            index: self.index,
            fault,
        });
        self.index += 1;
    }

    /// Reads `data`, which starts at offset `base` of the input and holds
    /// at least every byte from the last [`pending_from`](Self::pending_from)
    /// on; pushes the items that end in it.
    pub fn feed(&mut self, data: &[u8], base: usize, items: &mut Vec<Item>) {
        let end = base + data.len();
        while self.offset < end {
            let at = self.offset;
            if self.embedded && matches!(self.state, State::Done | State::Broken) {
                // What follows is the caller's (or, broken, nobody's).
                break;
            }
            if self.state == State::InItem {
                self.read_item(data, base, items);
                continue;
            }
            let byte = data[at - base];
            self.offset += 1;
            self.examined += 1;
            match self.state {
                State::Broken => {
                    // The rest is one item: nothing more to cut.
                    self.examined += end - self.offset;
                    self.offset = end;
                }
                State::Start | State::Done | State::BeforeItem { .. } if is_space(byte) => {}
                State::Start if byte == b'[' => self.state = State::BeforeItem { first: true },
                State::BeforeItem { first: true } if byte == b']' => self.state = State::Done,
                State::BeforeItem { .. } if byte == b',' => {
                    // A comma where an item should be (`[a,,b]`, `[,a]`):
                    // the missing item is the comma itself, which the
                    // engine reports as `invalid-json` where it stands, and
                    // the items after it are cut as usual.
                    self.begin(data, base, at);
                    self.emit(items, false, at + 1);
                    self.state = State::BeforeItem { first: false };
                }
                State::BeforeItem { .. } if byte != b']' && byte != b',' => {
                    self.begin(data, base, at);
                    self.state = State::InItem;
                    // Read it again, as the item's first byte.
                    self.offset = at;
                    self.examined -= 1;
                }
                // Anything else breaks the array's structure here.
                _ => {
                    self.begin(data, base, at);
                    self.state = State::Broken;
                }
            }
        }
        if self.state == State::InItem && self.depth == 0 && !self.in_string {
            // Where the item would end if the input ended here (looking
            // back over the white space after it only).
            let from = self.start.max(base);
            let value = &data[from - base..];
            self.item_end = from + value.iter().rposition(|&b| !is_space(b)).map_or(0, |last| last + 1);
        }
        // Count the lines of what was read, so that no byte waits to be
        // counted once the caller drops it (an embedded array's only to
        // its end, where its caller reads on).
        let counted = if self.embedded && self.state == State::Done { self.offset } else { end };
        self.examined += self.place.advance(data, base, counted);
    }

    /// Reads an item's bytes up to its end or the end of `data`: strings
    /// are skipped to their next quote or backslash, and only structure
    /// is looked at outside them.
    fn read_item(&mut self, data: &[u8], base: usize, items: &mut Vec<Item>) {
        let end = base + data.len();
        let mut at = self.offset;
        while at < end {
            if at + 64 <= end {
                match self.read_block(data, base, at, items) {
                    Block::Read => {
                        at += 64;
                        continue;
                    }
                    Block::Left(next) => {
                        self.offset = next;
                        return;
                    }
                    // A backslash outside strings: byte by byte, as below.
                    Block::Unsure => {}
                }
            }
            if self.in_string {
                if self.escaped {
                    self.escaped = false;
                    at += 1;
                    self.examined += 1;
                    continue;
                }
                let rest = &data[at - base..];
                match memchr::memchr2(b'"', b'\\', rest) {
                    Some(found) => {
                        self.examined += found + 1;
                        if rest[found] == b'"' {
                            self.in_string = false;
                        } else {
                            self.escaped = true;
                        }
                        at += found + 1;
                    }
                    None => {
                        self.examined += rest.len();
                        at = end;
                    }
                }
                continue;
            }
            let byte = data[at - base];
            at += 1;
            self.examined += 1;
            match CLASS[usize::from(byte)] {
                PLAIN => {}
                QUOTE => self.in_string = true,
                OPEN => self.depth += 1,
                CLOSE_BRACE => self.depth = self.depth.saturating_sub(1),
                class if self.depth > 0 => {
                    if class == CLOSE_BRACKET {
                        self.depth -= 1;
                    }
                }
                // The array's comma or closing bracket: the item ends at
                // its last byte that is not white space.
                class => {
                    let from = self.start.max(base);
                    let value = &data[from - base..at - 1 - base];
                    let trimmed = value.iter().rposition(|&b| !is_space(b)).map_or(0, |last| last + 1);
                    self.emit(items, false, from + trimmed);
                    self.state = if class == COMMA { State::BeforeItem { first: false } } else { State::Done };
                    self.offset = at;
                    return;
                }
            }
        }
        self.offset = at;
    }

    /// Reads the 64 bytes at `at`, inside an item, from the block's masks:
    /// only the brackets and commas outside strings are looked at one by
    /// one. An item that ends in the block is emitted, and the items that
    /// start after it in the block are read on.
    fn read_block(&mut self, data: &[u8], base: usize, at: usize, items: &mut Vec<Item>) -> Block {
        let bytes: &[u8; 64] = data[at - base..at - base + 64].try_into().expect("64 bytes");
        let m = block::masks(bytes);
        let (escaped, carry) = block::escaped(m.backslash, self.escaped);
        let inside = block::prefix_xor(m.quote & !escaped) ^ if self.in_string { u64::MAX } else { 0 };
        if m.backslash & !inside != 0 {
            // Outside strings a backslash escapes nothing: rare enough
            // (broken JSON only) to leave to the byte-by-byte reader.
            return Block::Unsure;
        }
        let mut structure = (m.open | m.close | m.comma) & !inside;
        while structure != 0 {
            let i = structure.trailing_zeros() as usize;
            structure &= structure - 1;
            let byte = bytes[i];
            if byte == b'{' || byte == b'[' {
                self.depth += 1;
            } else if self.depth > 0 {
                if byte != b',' {
                    self.depth -= 1;
                }
            } else if byte != b'}' {
                // The array's comma or closing bracket, at `at + i`.
                let from = self.start.max(base);
                let value = &data[from - base..at + i - base];
                let trimmed = value.iter().rposition(|&b| !is_space(b)).map_or(0, |last| last + 1);
                self.emit(items, false, from + trimmed);
                // Outside strings here, whatever the block began in.
                (self.in_string, self.escaped) = (false, false);
                if byte == b']' {
                    self.state = State::Done;
                    self.examined += i + 1;
                    return Block::Left(at + i + 1);
                }
                self.state = State::BeforeItem { first: false };
                // The next item, if it starts in this block.
                let next = i + 1 + bytes[i + 1..].iter().take_while(|&&b| is_space(b)).count();
                if next == 64 || bytes[next] == b']' || bytes[next] == b',' {
                    self.examined += next;
                    return Block::Left(at + next);
                }
                self.begin(data, base, at + next);
                self.state = State::InItem;
            }
        }
        self.examined += 64;
        self.in_string = inside >> 63 != 0;
        self.escaped = carry;
        Block::Read
    }

    /// The input ended at `end`: pushes the item cut short, or the faulty
    /// rest, if any; an array with no closing bracket is a fault there.
    pub fn finish(&mut self, end: usize, items: &mut Vec<Item>) {
        match self.state {
            State::Broken => self.emit(items, true, end),
            // An item cut short is itself broken.
            State::InItem if self.depth > 0 || self.in_string => self.emit(items, true, end),
            State::InItem | State::BeforeItem { .. } | State::Start => {
                if self.state == State::InItem {
                    // A whole value, but no comma or bracket after it.
                    self.emit(items, false, self.item_end);
                }
                // The array never closed: an empty faulty item where it ends.
                self.start = end;
                self.start_line = self.place.line;
                self.start_column = self.place.column;
                self.emit(items, true, end);
            }
            State::Done => {}
        }
        self.state = State::Done;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(input: &[u8], block: usize) -> Vec<(String, usize, usize, bool)> {
        let mut cutter = ArrayCutter::new();
        let mut items = Vec::new();
        // As a streaming reader does: each block with only the pending
        // bytes of the one before.
        let mut base = 0;
        for end in (block.max(1)..input.len() + block.max(1)).step_by(block.max(1)) {
            let end = end.min(input.len());
            cutter.feed(&input[base..end], base, &mut items);
            base = cutter.pending_from().unwrap_or(end);
        }
        cutter.finish(input.len(), &mut items);
        items
            .into_iter()
            .map(|i| (String::from_utf8_lossy(&input[i.range]).into_owned(), i.line, i.column, i.fault))
            .collect()
    }

    #[test]
    fn items_are_cut_at_their_commas_whatever_they_hold() {
        let input = br#"[{"a":"x,]}\"y"}, [1,[2]] ,"s" , 12,{"e":{}}]"#;
        let expected = [
            (r#"{"a":"x,]}\"y"}"#.to_owned(), 1, 2, false),
            ("[1,[2]]".to_owned(), 1, 19, false),
            (r#""s""#.to_owned(), 1, 28, false),
            ("12".to_owned(), 1, 34, false),
            (r#"{"e":{}}"#.to_owned(), 1, 37, false),
        ];
        for block in [1, 2, 3, 7, 64] {
            assert_eq!(cut(input, block), expected, "block {block}");
        }
        assert!(cut(b" [ ] ", 4).is_empty());
    }

    #[test]
    fn lines_and_columns_count_characters() {
        let input = "[\n  {\"é\": \"ü\"},\t{\"b\": 1},\n{\"c\": 2}\n]".as_bytes();
        let places: Vec<(usize, usize)> = cut(input, 5).into_iter().map(|(_, l, c, _)| (l, c)).collect();
        assert_eq!(places, [(2, 3), (2, 15), (3, 1)]);
    }

    #[test]
    fn a_broken_structure_makes_the_rest_one_faulty_item() {
        type Case<'a> = (&'a [u8], &'a [(&'a str, bool)]);
        let cases: [Case<'_>; 9] = [
            (b"[1, 2 ", &[("1", false), ("2", false), ("", true)]),
            (b"[1, ", &[("1", false), ("", true)]),
            (b"[1,]", &[("1", false), ("]", true)]),
            // A missing comma glues two values into one item, which the
            // engine reports (`invalid-json` where the second starts); the
            // items after it are cut as usual.
            (b"[1 2, 3]", &[("1 2", false), ("3", false)]),
            (b"[1] x", &[("1", false), ("x", true)]),
            (b"[{\"a\": 1", &[("{\"a\": 1", true)]),
            // A comma where an item should be is an item of its own (which
            // the engine reports); the items after it are cut as usual.
            (b"[,1]", &[(",", false), ("1", false)]),
            (b"[1,,2, 3]", &[("1", false), (",", false), ("2", false), ("3", false)]),
            (b"[1,\n ,\n,2]", &[("1", false), (",", false), (",", false), ("2", false)]),
        ];
        for (input, expected) in cases {
            let got: Vec<(String, bool)> = cut(input, 3).into_iter().map(|(t, _, _, f)| (t, f)).collect();
            let expected: Vec<(String, bool)> = expected.iter().map(|(t, f)| ((*t).to_owned(), *f)).collect();
            assert_eq!(got, expected, "{}", String::from_utf8_lossy(input));
        }
    }

    /// However the input is cut into blocks, the items (and their places)
    /// are the same, broken inputs included.
    #[test]
    fn blocks_do_not_change_the_items() {
        use proptest::prelude::*;
        let piece = prop::sample::select(vec![
            "[",
            "]",
            "{",
            "}",
            ",",
            " ",
            "\n",
            "\"",
            "\\",
            "\\\"",
            "1",
            "\"a,]\"",
            "é",
            "null",
            "{\"k\": [1]}",
        ]);
        proptest!(|(pieces in prop::collection::vec(piece, 0..40), block in 1..9_usize)| {
            let input = pieces.concat();
            prop_assert_eq!(cut(input.as_bytes(), block), cut(input.as_bytes(), input.len()), "{:?}", input);
        });
    }

    /// On well-formed arrays, the items are the ones the lint engine's own
    /// reader finds, whatever they hold and however they are spaced.
    #[test]
    fn items_agree_with_the_engines_reader() {
        use proptest::prelude::*;
        let value = prop::collection::vec(
            prop_oneof![
                Just("{}".to_owned()),
                Just(r#"{"a": [1, {"b": "]}"}], "c": "x\"y,"}"#.to_owned()),
                "[1-9][0-9]{0,4}",
                Just(r#""text, with ] and [""#.to_owned()),
                Just("[[], [[]], {}]".to_owned()),
                Just("null".to_owned()),
            ],
            0..12,
        );
        let spacing = prop::sample::select(vec!["", " ", "\n  ", "\t"]);
        proptest!(|(items in value, space in spacing)| {
            let input = format!("[{space}{}{space}]", items.join(&format!("{space},{space}")));
            let expected = crate::lint::array_items(input.as_bytes()).expect("a well-formed array");
            let mut cutter = ArrayCutter::new();
            let mut found = Vec::new();
            cutter.feed(input.as_bytes(), 0, &mut found);
            cutter.finish(input.len(), &mut found);
            let ranges: Vec<_> = found.iter().map(|i| i.range.clone()).collect();
            prop_assert_eq!(ranges, expected, "{}", input);
            prop_assert!(found.iter().all(|i| !i.fault));
        });
    }

    /// Each byte is looked at at most twice (once to cut, once to count
    /// lines): the work grows with the input, not its square (a count, so
    /// the test cannot be flaky).
    #[test]
    fn every_byte_is_examined_once() {
        for n in [100, 400, 1600] {
            let input = format!("[{}]", vec![r#"{"eventName":"e","eventUniqueId":"u"}"#; n].join(","));
            let mut cutter = ArrayCutter::new();
            let mut items = Vec::new();
            cutter.feed(input.as_bytes(), 0, &mut items);
            cutter.finish(input.len(), &mut items);
            assert_eq!(items.len(), n);
            assert!(cutter.examined() <= 2 * input.len(), "{} for {}", cutter.examined(), input.len());
        }
    }
}

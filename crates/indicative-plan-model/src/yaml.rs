//! A plan file's text as a small tree of mappings, lists and scalars, each
//! with where it starts: what the loader converts into a [`Plan`](crate::Plan)
//! when the fast way (`fast`, `fast_yaml`) refuses a text, to say where its
//! mistakes are.
//!
//! YAML is read from `yaml-rust2`'s events (YAML 1.2, which takes JSON as
//! it is) into a tree of plain vectors: a plan's mappings are small, or
//! walked rather than searched, and such a tree builds and drops several
//! times faster than one of hash maps. Anchors, aliases and tags are
//! refused: a plan is data, and `groups` share properties.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

/// Where a node starts: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl Mark {
    fn of(marker: Marker) -> Self {
        Self { line: marker.line().max(1), column: marker.col() + 1 }
    }
}

#[derive(Debug)]
pub(crate) enum Node {
    Scalar(Scalar),
    Mapping(Mapping),
    Sequence(Sequence),
}

#[derive(Debug)]
pub(crate) struct Scalar {
    text: String,
    /// Written plain (not quoted, not a block): only then may it mean null
    /// or a bool.
    plain: bool,
    at: Mark,
}

#[derive(Debug)]
pub(crate) struct Mapping {
    entries: Vec<(Scalar, Node)>,
    at: Mark,
}

#[derive(Debug)]
pub(crate) struct Sequence {
    items: Vec<Node>,
    at: Mark,
}

impl Node {
    pub(crate) fn span(&self) -> &Mark {
        match self {
            Self::Scalar(s) => &s.at,
            Self::Mapping(m) => &m.at,
            Self::Sequence(s) => &s.at,
        }
    }
}

impl Scalar {
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    pub(crate) fn span(&self) -> &Mark {
        &self.at
    }

    pub(crate) fn may_coerce(&self) -> bool {
        self.plain
    }
}

impl Mapping {
    pub(crate) fn span(&self) -> &Mark {
        &self.at
    }

    /// The value of `key` (keys are unique: the builder keeps the first of
    /// a repeated key, and reports the others).
    pub(crate) fn get_node(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|(k, _)| k.text == key).map(|(_, v)| v)
    }

    pub(crate) fn keys(&self) -> impl Iterator<Item = &Scalar> {
        self.entries.iter().map(|(k, _)| k)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = (&Scalar, &Node)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
}

impl Sequence {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &Node> {
        self.items.iter()
    }
}

/// Why the text is not a tree: where, what, and a hint.
#[derive(Debug)]
pub(crate) struct LoadError {
    pub(crate) at: Mark,
    pub(crate) message: String,
    pub(crate) help: Option<String>,
}

fn error(at: Mark, message: impl Into<String>, help: Option<&str>) -> LoadError {
    LoadError { at, message: message.into(), help: help.map(str::to_owned) }
}

/// A mapping or list being read, with a mapping's key that waits for its value.
enum Open {
    Mapping(Mapping, Option<Scalar>),
    Sequence(Sequence),
}

/// Builds the tree from the parser's events. A mistake in the tree's
/// shape stops it (`errors`); one that leaves the shape whole (a key given
/// twice, a character a plan may not hold) is kept in `kept` and the tree
/// is built on, so that the loader reports what else is wrong too.
struct Builder {
    stack: Vec<Open>,
    root: Option<Node>,
    documents: usize,
    max_depth: usize,
    errors: Vec<LoadError>,
    kept: Vec<LoadError>,
}

const NO_ANCHORS: &str = "anchors and aliases are not read in a plan";
const SHARE_WITH_GROUPS: Option<&str> = Some("write the value out; use `groups` to share properties");

impl Builder {
    fn add(&mut self, node: Node) {
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Open::Sequence(sequence)) => sequence.items.push(node),
            Some(Open::Mapping(_, key @ None)) => match node {
                Node::Scalar(scalar) => *key = Some(scalar),
                other => self.errors.push(error(*other.span(), "a key must be a plain name", None)),
            },
            Some(Open::Mapping(mapping, key)) => {
                if let Some(key) = key.take() {
                    let mut node = node;
                    // A value left empty (`d:` then a line break): the
                    // parser marks it where the next token starts, which
                    // may be the next key's line or past the last line. Its
                    // place is its key's (a plain scalar written out is
                    // never empty).
                    if let Node::Scalar(value) = &mut node
                        && value.plain
                        && value.text.is_empty()
                    {
                        value.at = key.at;
                    }
                    mapping.entries.push((key, node));
                }
            }
        }
    }

    fn open(&mut self, open: Open, at: Mark) {
        if let Some(Open::Mapping(_, None)) = self.stack.last() {
            self.errors.push(error(at, "a key must be a plain name", None));
        } else if self.stack.len() >= self.max_depth {
            self.errors.push(error(
                at,
                format!("nesting deeper than {} levels; a plan needs six", self.max_depth),
                None,
            ));
        } else {
            self.stack.push(open);
        }
    }
}

impl MarkedEventReceiver for Builder {
    fn on_event(&mut self, event: Event, marker: Marker) {
        if !self.errors.is_empty() {
            return;
        }
        let at = Mark::of(marker);
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.errors.push(error(
                        at,
                        "a plan file holds one document",
                        Some("remove the `---` and what follows it"),
                    ));
                }
            }
            Event::Alias(_) => self.errors.push(error(at, NO_ANCHORS, SHARE_WITH_GROUPS)),
            Event::Scalar(_, _, anchor, _) | Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _)
                if anchor != 0 =>
            {
                self.errors.push(error(at, NO_ANCHORS, SHARE_WITH_GROUPS));
            }
            Event::Scalar(_, _, _, Some(_)) | Event::SequenceStart(_, Some(_)) | Event::MappingStart(_, Some(_)) => {
                self.errors.push(error(at, "tags (`!x`) are not read in a plan", None));
            }
            Event::Scalar(text, style, _, None) => {
                if !is_all_printable(&text) {
                    // Written with an escape (`"\a"`): the file passed, its
                    // value does not.
                    let c = text.chars().find(|c| !is_printable(*c)).unwrap_or_default();
                    self.kept.push(error(at, unprintable(c), Some("write the value without the escape")));
                }
                self.add(Node::Scalar(Scalar { text, plain: style == TScalarStyle::Plain, at }));
            }
            Event::SequenceStart(..) => self.open(Open::Sequence(Sequence { items: Vec::new(), at }), at),
            Event::MappingStart(..) => self.open(Open::Mapping(Mapping { entries: Vec::new(), at }, None), at),
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Open::Mapping(mut mapping, _)) => {
                    let repeated = repeated_keys(&mapping);
                    if !repeated.is_empty() {
                        // Each key once, as written first: the loader reads
                        // the mapping on.
                        let mut seen = rustc_hash::FxHashSet::default();
                        mapping.entries.retain(|(key, _)| seen.insert(key.text.clone()));
                        self.kept.extend(repeated);
                    }
                    self.add(Node::Mapping(mapping));
                }
                Some(Open::Sequence(sequence)) => self.add(Node::Sequence(sequence)),
                None => {}
            },
        }
    }
}

/// Reads `text` into a tree, with the mistakes that left its shape whole;
/// nesting deeper than `max_depth` is refused before it is built.
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<(Node, Vec<LoadError>), Vec<LoadError>> {
    if let Some((at, c)) = first_unprintable(text) {
        return Err(vec![error(at, format!("not valid YAML or JSON: {}", unprintable(c)), None)]);
    }
    let spaced;
    let text = if text.contains('\t') && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok() {
        // yaml-rust2 refuses a tab between `:` and a plain value (`"a":\t1`),
        // which JSON and YAML 1.2 both allow. A JSON text holds tabs only as
        // white space (a string holds none raw), so in a text that is JSON
        // each is read as a space: one character for one, so every place
        // stays where it was.
        spaced = text.replace('\t', " ");
        &spaced
    } else {
        text
    };
    let mut builder =
        Builder { stack: Vec::new(), root: None, documents: 0, max_depth, errors: Vec::new(), kept: Vec::new() };
    // Event by event (the parser's own `load` recurses once per level of
    // nesting, and stops after the first document), up to the end of the
    // text or the first mistake.
    let mut parser = Parser::new_from_str(text);
    loop {
        match parser.next_token() {
            Ok((event, marker)) => {
                let end = matches!(event, Event::StreamEnd);
                builder.on_event(event, marker);
                if end || !builder.errors.is_empty() {
                    break;
                }
            }
            Err(scan) => {
                let at = Mark::of(*scan.marker());
                builder.kept.push(error(at, format!("not valid YAML or JSON: {}", scan.info()), None));
                return Err(builder.kept);
            }
        }
    }
    if !builder.errors.is_empty() {
        builder.kept.append(&mut builder.errors);
        return Err(builder.kept);
    }
    let root = builder.root.unwrap_or(Node::Mapping(Mapping { entries: Vec::new(), at: Mark { line: 1, column: 1 } }));
    Ok((root, builder.kept))
}

/// Whether a plan's text may hold `c`: what YAML 1.2 allows (`c-printable`:
/// tab, the line breaks, and the printable characters) but the byte order
/// mark, which stands only at the start of a file (YAML also takes it
/// inside quotes, for JSON's sake; a name holding an invisible mark is a
/// mistake).
pub(crate) fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\x20'..='\x7E' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        && c != BYTE_ORDER_MARK
        || c >= '\u{10000}'
}

/// Whether every character of `text` is one a plan may hold (printable
/// ASCII seen without decoding).
pub(crate) fn is_all_printable(text: &str) -> bool {
    all_printable_ascii(text.as_bytes()) || text.chars().all(is_printable)
}

/// Whether every byte is printable ASCII, tab or a line break: 64 bytes
/// at a time, without stopping early inside them (which the compiler can
/// do in vector registers), then byte by byte.
fn all_printable_ascii(bytes: &[u8]) -> bool {
    let printable = |b: u8| matches!(b, b'\t' | b'\n' | b'\r' | 0x20..=0x7E);
    let mut chunks = bytes.chunks_exact(64);
    chunks.all(|chunk| chunk.iter().fold(true, |all, &b| all & printable(b)))
        && chunks.remainder().iter().all(|&b| printable(b))
}

const BYTE_ORDER_MARK: char = '\u{FEFF}';

/// The first character of `text` a plan may not hold, and where it stands
/// (1-based line and column; a line ends at a line feed, a carriage return,
/// or both). Refused before the text is parsed, so that every way in reads
/// the same: what a parser lets through differs from one to another.
pub(crate) fn first_unprintable(text: &str) -> Option<(Mark, char)> {
    if all_printable_ascii(text.as_bytes()) {
        return None;
    }
    let (at, c) = text.char_indices().find(|(_, c)| !is_printable(*c))?;
    let before = &text[..at];
    let line = 1 + before.matches('\n').count() + before.matches('\r').count() - before.matches("\r\n").count();
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    Some((Mark { line, column: before[line_start..].chars().count() + 1 }, c))
}

/// What is said of a character a plan may not hold.
pub(crate) fn unprintable(c: char) -> String {
    if c == BYTE_ORDER_MARK {
        return "U+FEFF (a byte order mark) stands only at the start of a plan file".to_owned();
    }
    format!("U+{:04X} is not a printable character; a plan holds none but tab and line breaks", u32::from(c))
}

/// Every key of `mapping` given a second time, with where the first is.
fn repeated_keys(mapping: &Mapping) -> Vec<LoadError> {
    let mut errors = Vec::new();
    let entries = &mapping.entries;
    // Most mappings are small: a scan beats a table there.
    if entries.len() <= 8 {
        for (i, (key, _)) in entries.iter().enumerate() {
            if let Some((first, _)) = entries[..i].iter().find(|(k, _)| k.text == key.text) {
                errors.push(error(
                    key.at,
                    format!("`{}` is given twice in one mapping", key.text),
                    Some(&format!("the first is at line {}, column {}", first.at.line, first.at.column)),
                ));
            }
        }
        return errors;
    }
    let mut seen: rustc_hash::FxHashMap<&str, Mark> = rustc_hash::FxHashMap::default();
    for (key, _) in entries {
        if let Some(first) = seen.insert(&key.text, key.at) {
            errors.push(error(
                key.at,
                format!("`{}` is given twice in one mapping", key.text),
                Some(&format!("the first is at line {}, column {}", first.line, first.column)),
            ));
            seen.insert(&key.text, first);
        }
    }
    errors
}

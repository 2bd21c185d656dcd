//! A plan file's text as a small tree of mappings, lists and scalars, each
//! with where it starts: what the loader converts into a [`Plan`](crate::Plan)
//! when the fast way (`fast`) refuses a text, to say where its mistakes are.
//!
//! YAML is read from `rlsp-yaml-parser`'s events (YAML 1.2, which takes
//! JSON as it is) into a tree of plain vectors: a plan's mappings are small,
//! or walked rather than searched, and such a tree builds and drops several
//! times faster than one of hash maps. Anchors, aliases and tags are
//! refused: a plan is data, and `groups` share properties.

use rlsp_yaml_parser::{Event, ScalarStyle};

/// Where a node starts: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    pub(crate) line: usize,
    pub(crate) column: usize,
}

/// Turns the parser's byte offsets into lines and columns as the events
/// come, in one pass over the text (the events' offsets only grow, but for
/// a step back, which is counted again from the start of its line).
pub(crate) struct Places<'t> {
    text: &'t str,
    /// Where the count stands: its byte offset, line and column.
    offset: usize,
    line: usize,
    column: usize,
    /// Where the current line starts.
    line_start: usize,
}

impl<'t> Places<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Self { text, offset: 0, line: 1, column: 1, line_start: 0 }
    }

    /// The line and column (in characters) of the byte at `offset`. A line
    /// ends at a line feed, a carriage return, or both in that order.
    pub(crate) fn at(&mut self, offset: usize) -> Mark {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            if offset < self.line_start {
                (self.offset, self.line, self.column, self.line_start) = (0, 1, 1, 0);
            } else {
                (self.offset, self.column) = (self.line_start, 1);
            }
        }
        let bytes = self.text.as_bytes();
        for (i, &byte) in bytes[self.offset..offset].iter().enumerate() {
            let at = self.offset + i;
            match byte {
                b'\n' => {
                    self.line += 1;
                    self.column = 1;
                    self.line_start = at + 1;
                }
                // A carriage return followed by a line feed is one break.
                b'\r' if bytes.get(at + 1) != Some(&b'\n') => {
                    self.line += 1;
                    self.column = 1;
                    self.line_start = at + 1;
                }
                b'\r' => {}
                // A UTF-8 continuation byte is part of the character before it.
                _ if byte & 0xC0 == 0x80 => {}
                _ => self.column += 1,
            }
        }
        self.offset = offset;
        Mark { line: self.line, column: self.column }
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

    /// The value of `key` (keys are unique: the builder refuses repeats).
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

/// Builds the tree from the parser's events; the first mistake stops it.
struct Builder {
    stack: Vec<Open>,
    root: Option<Node>,
    documents: usize,
    max_depth: usize,
    errors: Vec<LoadError>,
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

impl Builder {
    fn on_event(&mut self, event: Event<'_>, at: Mark) {
        if event.anchor().is_some() || matches!(event, Event::Alias { .. }) {
            self.errors.push(error(at, NO_ANCHORS, SHARE_WITH_GROUPS));
            return;
        }
        if event.tag().is_some() {
            self.errors.push(error(at, "tags (`!x`) are not read in a plan", None));
            return;
        }
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd { .. } | Event::Comment { .. } => {}
            Event::Alias { .. } => {}
            Event::DocumentStart { .. } => {
                self.documents += 1;
                if self.documents > 1 {
                    self.errors.push(error(
                        at,
                        "a plan file holds one document",
                        Some("remove the `---` and what follows it"),
                    ));
                }
            }
            Event::Scalar { value, style, .. } => {
                self.add(Node::Scalar(Scalar { text: value.into_owned(), plain: style == ScalarStyle::Plain, at }));
            }
            Event::SequenceStart { .. } => self.open(Open::Sequence(Sequence { items: Vec::new(), at }), at),
            Event::MappingStart { .. } => self.open(Open::Mapping(Mapping { entries: Vec::new(), at }, None), at),
            Event::SequenceEnd | Event::MappingEnd => match self.stack.pop() {
                Some(Open::Mapping(mapping, _)) => {
                    self.errors.extend(repeated_keys(&mapping));
                    self.add(Node::Mapping(mapping));
                }
                Some(Open::Sequence(sequence)) => self.add(Node::Sequence(sequence)),
                None => {}
            },
        }
    }
}

/// Reads `text` into a tree; nesting deeper than `max_depth` is refused
/// before it is built.
pub(crate) fn parse(text: &str, max_depth: usize) -> Result<Node, Vec<LoadError>> {
    let mut builder = Builder { stack: Vec::new(), root: None, documents: 0, max_depth, errors: Vec::new() };
    let mut places = Places::new(text);
    for item in rlsp_yaml_parser::parse_events(text) {
        match item {
            Ok((event, span)) => builder.on_event(event, places.at(span.start as usize)),
            Err(fault) => {
                let at = Mark { line: fault.pos.line.max(1), column: fault.pos.column + 1 };
                let at = match fault.kind {
                    rlsp_yaml_parser::ErrorKind::InvalidCharacter => first_unreadable(text).unwrap_or(at),
                    _ => at,
                };
                return Err(vec![error(at, format!("not valid YAML or JSON: {}", fault.message), None)]);
            }
        }
        // The first mistake stops the reading.
        if !builder.errors.is_empty() {
            return Err(builder.errors);
        }
    }
    Ok(builder.root.unwrap_or(Node::Mapping(Mapping { entries: Vec::new(), at: Mark { line: 1, column: 1 } })))
}

/// Where the first character that YAML does not allow stands (control
/// characters but tab, line feed and carriage return).
fn first_unreadable(text: &str) -> Option<Mark> {
    let (mut line, mut column) = (1, 0);
    for c in text.chars() {
        column += 1;
        if c == '\n' {
            line += 1;
            column = 0;
        } else if c.is_control() && c != '\t' && c != '\r' {
            return Some(Mark { line, column });
        }
    }
    None
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

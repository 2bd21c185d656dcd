//! What the lint of one document found, placed in its file, and the totals.

use std::sync::Arc;

use indicative_contract::input::{Document, Payload};
use indicative_contract::{DetectedKind, keys};
use indicative_contract::{Diagnostic, Linter, RequestInfo, Rule, Severity, Status, normalize_body, normalize_query};

/// One diagnostic with its place in the file.
#[derive(Debug, Clone)]
pub struct Finding {
    pub diagnostic: Diagnostic,
    /// 1-based line and column in the file (in a HAR body: in the body).
    pub line: usize,
    pub column: usize,
    /// The text of that line, for the caret: as much of it as the document
    /// holds (a document may start or end mid-line, as the items of a
    /// minified JSON array do).
    pub source_line: String,
    /// The column where `source_line` starts (1 unless the document starts
    /// mid-line and the finding is on its first line).
    pub source_column: usize,
    /// How many characters of the line the caret covers (at least 1).
    pub width: usize,
}

/// The lint of one document.
#[derive(Debug, Clone)]
pub struct DocResult {
    /// Shared by every document of the file: no copy per document.
    pub file: Arc<str>,
    pub line: usize,
    pub index: usize,
    /// The HAR entry the document came from.
    pub entry: Option<usize>,
    /// Where positions point when not into the file itself (a HAR entry's body or URL).
    pub note: Option<String>,
    pub kind: DetectedKind,
    pub status: Status,
    pub findings: Vec<Finding>,
    pub normalized: Option<serde_json::Value>,
}

/// Where a document's source stands in its file: `text` is the document
/// itself, starting at line `first_line`, column `first_column`. Positions
/// are counted within the document only, so that a file of many documents
/// costs linear time whatever their number.
pub struct Place<'a> {
    pub text: &'a [u8],
    pub first_line: usize,
    pub first_column: usize,
    /// Whether findings keep the text of their line.
    pub source_line: bool,
}

/// Lints `doc` and places its findings; `None` for a document with no
/// finding unless `keep_clean` (or `normalized`, whose form is shown) asks
/// for it: a caller that drops clean documents counts them with
/// [`Summary::add_clean`].
pub fn lint_document(
    linter: &mut Linter,
    file: &Arc<str>,
    doc: &Document<'_>,
    place: &Place<'_>,
    kind: Option<indicative_contract::RequestKind>,
    normalized: bool,
    keep_clean: bool,
) -> Option<DocResult> {
    let report = lint_payload(linter, doc, kind);
    // A request of an ambiguous kind is kept too: the human output notes it.
    let ambiguous = matches!(report.kind, indicative_contract::DetectedKind::Ambiguous(_));
    (keep_clean || normalized || ambiguous || !report.diagnostics.is_empty())
        .then(|| result_of(report, file, doc, place, normalized))
}

fn lint_payload(
    linter: &mut Linter,
    doc: &Document<'_>,
    kind: Option<indicative_contract::RequestKind>,
) -> indicative_contract::Report {
    match &doc.payload {
        Payload::Body { bytes, request } => {
            let request = RequestInfo { kind: kind.or(request.kind), ..request.clone() };
            linter.lint_body(bytes, &request)
        }
        Payload::Query { url, request } => linter.lint_query(url, request),
    }
}

/// Places a report's findings in the document they were found in.
pub fn result_of(
    report: indicative_contract::Report,
    file: &Arc<str>,
    doc: &Document<'_>,
    place: &Place<'_>,
    normalized: bool,
) -> DocResult {
    let stored = if normalized {
        match &doc.payload {
            Payload::Body { bytes, request } => normalize_body(bytes, &report, request),
            Payload::Query { url, .. } => normalize_query(url, &report),
        }
    } else {
        None
    };
    let (query, target) = match &doc.payload {
        Payload::Body { request, .. } => (false, request.path.as_deref()),
        Payload::Query { .. } => (true, None),
    };
    // Keys are looked for when a source line is shown, or a message quotes
    // a value long enough to be one (the common finding quotes none, and
    // costs no search).
    let quoted = report.diagnostics.iter().any(|d| {
        may_quote_a_key(&d.message)
            || d.help.as_deref().is_some_and(may_quote_a_key)
            || d.pointer.split('/').any(|step| step.len() >= keys::COPIED && !FIELDS.contains(&step))
    });
    let (search, hidden) = if report.diagnostics.is_empty() || !(place.source_line || quoted) {
        (keys::KeySearch::new::<&str>(&[]), Vec::new())
    } else {
        hidden_spans(place.text, query, target, place.source_line)
    };
    let locator = Locator::new(if report.diagnostics.is_empty() { &[] } else { place.text });
    let findings = report
        .diagnostics
        .into_iter()
        .map(|mut d| {
            // A message quotes values: one that is a copy of a key (sent in
            // the wrong field) is a key too.
            if let std::borrow::Cow::Owned(hidden) = search.hide_in(&d.message) {
                d.message = hidden;
            }
            if let Some(help) = d.help.as_mut()
                && let std::borrow::Cow::Owned(hidden) = search.hide_in(help)
            {
                *help = hidden;
            }
            // A key sent as a member's or a parameter's name.
            if let std::borrow::Cow::Owned(hidden) = search.hide_in(&d.pointer) {
                d.pointer = hidden;
            }
            locate(d, place, &hidden, &locator)
        })
        .collect();
    let note = doc.entry.map(|entry| {
        let part = if matches!(doc.payload, Payload::Query { .. }) { "its URL" } else { "its body" };
        format!("HAR entry {entry}; line and column in {part}")
    });
    DocResult {
        file: Arc::clone(file),
        line: doc.line,
        index: doc.index,
        entry: doc.entry,
        note,
        kind: report.kind,
        status: report.status,
        findings,
        normalized: stored,
    }
}

/// A document that could not be read at all (a line too long to read).
pub fn unreadable(file: &Arc<str>, line: usize, index: usize, message: String) -> DocResult {
    let diagnostic = Diagnostic {
        rule: Rule::InvalidJson,
        severity: Severity::Error,
        status: Rule::InvalidJson.status(),
        pointer: String::new(),
        span: 0..0,
        message,
        help: None,
    };
    DocResult {
        file: Arc::clone(file),
        line,
        index,
        entry: None,
        note: None,
        kind: DetectedKind::Unknown,
        status: diagnostic.status,
        findings: vec![Finding { diagnostic, line, column: 1, source_line: String::new(), source_column: 1, width: 1 }],
        normalized: None,
    }
}

/// The names of the API's fields of 8 bytes or more: a pointer through
/// them alone names no key.
const FIELDS: [&str; 7] = ["eventName", "eventUniqueId", "eventTime", "properties", "uniqueId", "previousId", "events"];

/// Whether a message may quote a value long enough to be a key: a quoted
/// span of more than [`keys::COPIED`] bytes, or a run of that many digits
/// (a number is quoted without marks).
fn may_quote_a_key(text: &str) -> bool {
    let quoted = match (text.find('"'), text.rfind('"')) {
        (Some(first), Some(last)) => last - first > keys::COPIED,
        _ => false,
    };
    quoted || text.as_bytes().split(|b| !b.is_ascii_digit()).any(|run| run.len() >= keys::COPIED)
}

/// The search for a document's keys (see [`keys::request_keys`]: its own,
/// as written and decoded, and its request target's: the list `indicative
/// serve` masks with), and the byte spans of the document that its source
/// lines hide: what [`keys::line_key_ranges`] finds (over the whole
/// document, so that a key on a line below its name is found too) and each
/// copy of a key, all but its first four characters. In order, without
/// overlaps.
fn hidden_spans(
    text: &[u8],
    query: bool,
    target: Option<&str>,
    source_lines: bool,
) -> (keys::KeySearch, Vec<std::ops::Range<usize>>) {
    let bytes = text;
    // Bytes that are not UTF-8 read as `?`, one for one, so that every
    // offset stays where it is.
    let text: std::borrow::Cow<'_, str> = match std::str::from_utf8(bytes) {
        Ok(text) => text.into(),
        Err(_) => bytes
            .utf8_chunks()
            .flat_map(|chunk| chunk.valid().chars().chain(std::iter::repeat_n('?', chunk.invalid().len())))
            .collect::<String>()
            .into(),
    };
    // What a source line shows is hidden here, once, as `mask_line` would
    // hide it (a line is not masked again: a structured key's hidden
    // quotes would be misread).
    let mut ranges = keys::line_key_ranges(&text);
    // Every copy of a key found (a key sent again as a property's value is
    // still a key), all searched for at once.
    let mut found = if query {
        keys::request_keys(&[], &[], true, Some(&text), keys::SEARCHED)
    } else {
        keys::request_keys(bytes, &keys::body_key_ranges(bytes), false, target, keys::SEARCHED)
    };
    // And what the source lines hide where it stands (a key in a URL
    // inside a string, which serve does not count as the request's): a
    // copy of it is shown no more than it is.
    let mut known: std::collections::HashSet<String> = found.iter().cloned().collect();
    for key in keys::copied_keys(bytes, &ranges, keys::SEARCHED) {
        let key = String::from_utf8_lossy(key).into_owned();
        if found.len() < keys::SEARCHED && known.insert(key.clone()) {
            found.push(key);
        }
    }
    let search = keys::KeySearch::new(&found);
    if !source_lines {
        // Messages only: no place in the text to hide.
        return (search, Vec::new());
    }
    ranges.extend(search.copies(bytes));
    let spans = ranges
        .into_iter()
        .filter_map(|range| {
            let shown = text.get(range.clone())?.char_indices().nth(keys::SHOWN)?.0;
            Some(range.start + shown..range.end)
        })
        .collect();
    (search, keys::merged(spans))
}

/// The line of `text` from `start` to `end` (bytes), the parts of it in
/// `hidden` written as `*` (white space kept, so that it keeps its width).
fn shown_line(text: &[u8], start: usize, end: usize, hidden: &[std::ops::Range<usize>]) -> String {
    let first = hidden.partition_point(|r| r.end <= start);
    let overlapping = &hidden[first..hidden.partition_point(|r| r.start < end)];
    if overlapping.is_empty() {
        return String::from_utf8_lossy(&text[start..end]).into_owned();
    }
    // Both in order: one walk over the line and its hidden spans. Bytes that
    // are not UTF-8 are shown as U+FFFD, the text around them by its own
    // offsets (so that their line's keys are hidden too).
    let mut spans = overlapping.iter().peekable();
    let mut shown = String::with_capacity(end - start);
    let mut at = start;
    for chunk in text[start..end].utf8_chunks() {
        for (offset, c) in chunk.valid().char_indices() {
            let here = at + offset;
            while spans.peek().is_some_and(|r| r.end <= here) {
                spans.next();
            }
            let hidden = spans.peek().is_some_and(|r| r.contains(&here));
            shown.push(if hidden && !c.is_whitespace() { '*' } else { c });
        }
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            shown.push('\u{fffd}');
            at += chunk.invalid().len();
        }
    }
    shown
}

/// Lines and columns of a document's byte offsets, each found without
/// counting from the document's start: a body with thousands of findings
/// costs its size, not its size times their number.
struct Locator<'a> {
    text: &'a [u8],
    /// Where each line break stands.
    breaks: Vec<usize>,
    /// For a text that is not ASCII: the characters before each block of
    /// [`Locator::BLOCK`] bytes.
    chars: Option<Vec<usize>>,
}

impl<'a> Locator<'a> {
    const BLOCK: usize = 4096;

    fn new(text: &'a [u8]) -> Self {
        let breaks = memchr::memchr_iter(b'\n', text).collect();
        let chars = (!text.is_ascii()).then(|| {
            let mut before = 0;
            text.chunks(Self::BLOCK)
                .map(|block| {
                    let at = before;
                    before += block.iter().filter(|&&b| (b & 0xC0) != 0x80).count();
                    at
                })
                .collect()
        });
        Self { text, breaks, chars }
    }

    /// The characters before byte `offset` (every byte that is not a UTF-8
    /// continuation byte).
    fn chars_before(&self, offset: usize) -> usize {
        match &self.chars {
            None => offset,
            Some(blocks) => {
                // The end of a text whose length is a multiple of a block
                // is in its last block.
                let block = (offset / Self::BLOCK).min(blocks.len().saturating_sub(1));
                let from = block * Self::BLOCK;
                blocks.get(block).copied().unwrap_or_default()
                    + self.text[from..offset].iter().filter(|&&b| (b & 0xC0) != 0x80).count()
            }
        }
    }

    /// The 1-based line and column (in characters) of `offset`, and where
    /// its line starts and ends (before its line break).
    fn place(&self, offset: usize) -> (usize, usize, usize, usize) {
        let line = self.breaks.partition_point(|&at| at < offset);
        let start = if line == 0 { 0 } else { self.breaks[line - 1] + 1 };
        let end = self.breaks.get(line).copied().unwrap_or(self.text.len());
        (line + 1, self.chars_before(offset) - self.chars_before(start) + 1, start, end)
    }
}

/// How much of a long line around a finding its source line keeps, each
/// side (the human format shows far less).
const SOURCE_SPAN_BYTES: usize = 1024;

fn locate(
    diagnostic: Diagnostic,
    place: &Place<'_>,
    hidden: &[std::ops::Range<usize>],
    locator: &Locator<'_>,
) -> Finding {
    let text = place.text;
    let start = diagnostic.span.start.min(text.len());
    let end = diagnostic.span.end.min(text.len()).max(start);
    let (line, column, line_start, line_end) = locator.place(start);
    // On the document's first line, columns continue the file's line.
    let shift = if line == 1 { place.first_column - 1 } else { 0 };
    // Of a long line, the part around the finding (from a character's start).
    let mut from = start.saturating_sub(SOURCE_SPAN_BYTES).max(line_start);
    while from > line_start && (text[from] & 0xC0) == 0x80 {
        from -= 1;
    }
    let mut to = end.saturating_add(SOURCE_SPAN_BYTES).min(line_end);
    while to < line_end && (text[to] & 0xC0) == 0x80 {
        to += 1;
    }
    let source_line = if place.source_line {
        let shown = shown_line(text, from, to, hidden);
        let shown = shown.trim_end_matches('\r');
        if from > line_start { format!("…{shown}") } else { shown.to_owned() }
    } else {
        String::new()
    };
    // The column the source line starts at (its `…` one before the part).
    let source_column = locator.chars_before(from) - locator.chars_before(line_start) + 1
        - usize::from(from > line_start && place.source_line);
    let width = String::from_utf8_lossy(&text[start..end.min(line_end)]).chars().count().max(1);
    Finding {
        diagnostic,
        line: place.first_line + line - 1,
        column: column + shift,
        source_line,
        source_column: source_column + shift,
        width,
    }
}

/// The totals of a run.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub files: usize,
    pub documents: usize,
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub unreadable_files: usize,
    /// How many documents are predicted each status (200, 400, 404, 405, 422).
    pub statuses: std::collections::BTreeMap<u16, usize>,
    /// Whether a tracking plan was checked; its findings are counted apart
    /// from the API's (the counts above are the API's).
    pub plan: bool,
    pub plan_errors: usize,
    pub plan_warnings: usize,
    pub plan_infos: usize,
}

impl Summary {
    pub fn add(&mut self, doc: &DocResult) {
        self.documents += 1;
        *self.statuses.entry(doc.status.code()).or_default() += 1;
        for finding in &doc.findings {
            let plan = finding.diagnostic.rule.is_plan();
            let count = match (finding.diagnostic.severity, plan) {
                (Severity::Error, false) => &mut self.errors,
                (Severity::Warning, false) => &mut self.warnings,
                (Severity::Info, false) => &mut self.infos,
                (Severity::Error, true) => &mut self.plan_errors,
                (Severity::Warning, true) => &mut self.plan_warnings,
                (Severity::Info, true) => &mut self.plan_infos,
                (Severity::Off, _) => continue,
            };
            *count += 1;
        }
    }

    /// Counts `n` documents with no finding (predicted 200) that were not
    /// kept as results.
    pub fn add_clean(&mut self, n: usize) {
        if n > 0 {
            self.documents += n;
            *self.statuses.entry(200).or_default() += n;
        }
    }

    /// The plan's counts, as a phrase for a summary line (empty without a plan).
    pub fn plan_phrase(&self) -> String {
        if !self.plan {
            return String::new();
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "; tracking plan: {}, {}, {}",
            plural(self.plan_errors, "error"),
            plural(self.plan_warnings, "warning"),
            plural(self.plan_infos, "info")
        )
    }

    pub fn rejected(&self) -> usize {
        self.statuses.iter().filter(|(status, _)| **status != 200).map(|(_, n)| n).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::Locator;

    /// The locator places every offset as counting from the start does,
    /// across its blocks, in ASCII text and not.
    #[test]
    fn the_locator_agrees_with_counting_from_the_start() {
        let ascii = "a\nbc\n".repeat(2000);
        let mixed = "aé\n€x\r\n𝄞\nplain text ".repeat(800);
        // Not ASCII, and two blocks long exactly: its end is in its last block.
        let blocks = "\n\né".repeat(Locator::BLOCK * 2 / 4);
        assert_eq!(blocks.len() % Locator::BLOCK, 0);
        for text in [ascii.as_str(), mixed.as_str(), blocks.as_str(), "", "no break", "\n\n", "é"] {
            let bytes = text.as_bytes();
            let locator = Locator::new(bytes);
            for offset in (0..=bytes.len()).filter(|&at| text.is_char_boundary(at)) {
                let (line, column, start, end) = locator.place(offset);
                assert_eq!((line, column), indicative_contract::line_column(bytes, offset), "at {offset}");
                assert!(start <= offset && offset <= end && !bytes[start..end].contains(&b'\n'));
            }
        }
    }
}

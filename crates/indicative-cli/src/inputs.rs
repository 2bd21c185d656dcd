//! Finding the files to lint, reading them, and linting their documents in
//! parallel. NDJSON, URL lists and JSON arrays are streamed (compressed ones
//! too): memory stays bounded whatever the file's size, and an over-long
//! document is skipped without being held in memory.

use std::borrow::Cow;
use std::io::{self, IsTerminal, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

use indicative_contract::input::array::{ArrayCutter, Item};
use indicative_contract::input::{Document, Format, HarCutter, Payload, har_entry, is_array, split, url_text};
use indicative_contract::{LintOptions, Linter, RequestInfo, RequestKind};
use rayon::prelude::*;

use crate::compressed::Compression;
use crate::output::Output;
use crate::report::{DocResult, Place, Summary, lint_document, unreadable};

/// One thing to read.
#[derive(Debug, Clone)]
pub enum Input {
    Stdin,
    /// A file, its format by its extension, and how it is compressed.
    File(PathBuf, Option<Format>, Option<Compression>),
}

/// The extensions a directory walk takes (`.txt` only when named), each
/// also compressed (`events.ndjson.gz`, `capture.har.zst`).
const WALKED: [&str; 5] = ["json", "ndjson", "jsonl", "har", "urls"];

/// A file's format and compression by its name.
fn kind_of(path: &Path) -> (Option<Format>, Option<Compression>) {
    let (compression, inner) = Compression::of_path(path);
    (inner.extension().and_then(|e| e.to_str()).and_then(Format::from_extension), compression)
}

/// UTF-8's byte order mark.
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Turns the command line's paths into inputs; reports paths that cannot be
/// walked through `errors`.
pub fn collect(paths: &[PathBuf], errors: &mut Vec<(String, String)>) -> Vec<Input> {
    if paths.is_empty() {
        return vec![Input::Stdin];
    }
    let mut inputs = Vec::new();
    // A file named twice (or found in two folders given, or by a link) is
    // linted once; so is standard input (read twice, it is empty).
    let mut seen = std::collections::HashSet::new();
    let mut first = |path: &Path| std::fs::canonicalize(path).map_or(true, |real| seen.insert(real));
    let mut stdin = false;
    for path in paths {
        if path.as_os_str() == "-" {
            if !std::mem::replace(&mut stdin, true) {
                inputs.push(Input::Stdin);
            }
        } else if path.is_dir() {
            let walk = ignore::WalkBuilder::new(path)
                .require_git(false)
                .follow_links(true)
                .sort_by_file_name(Ord::cmp)
                .build();
            let mut found = false;
            for entry in walk {
                match entry {
                    Ok(entry) if entry.file_type().is_some_and(|t| t.is_file()) => {
                        if is_walked(entry.path()) {
                            found = true;
                            if first(entry.path()) {
                                let (format, compression) = kind_of(entry.path());
                                inputs.push(Input::File(entry.into_path(), format, compression));
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(e) => match error_path(&e) {
                        // A file the walk could not follow (a broken link): an
                        // input of its own, which fails to read under its own
                        // name, as it would if it were named.
                        Some(file) if is_walked(file) => {
                            found = true;
                            if first(file) {
                                let (format, compression) = kind_of(file);
                                inputs.push(Input::File(file.to_path_buf(), format, compression));
                            }
                        }
                        // A file the walk would pass over anyway (`notes.txt`).
                        Some(other) if other.extension().is_some() && !other.is_dir() => {}
                        // A folder (or what may be one) it could not enter.
                        Some(other) => {
                            let message = inner_message(&e);
                            let named = format!("IO error for operation on {}: ", other.display());
                            let message = message.strip_prefix(&named).map_or(message.clone(), str::to_owned);
                            errors.push((other.display().to_string(), message));
                        }
                        None => errors.push((path.display().to_string(), e.to_string())),
                    },
                }
            }
            // A folder with nothing to lint proves nothing: a CI step must
            // not pass on a path that moved or fixtures that were renamed.
            if !found {
                errors.push((
                    path.display().to_string(),
                    "no file to lint in this folder (a walk takes .json, .ndjson, .jsonl, .har and .urls files, compressed as .gz or .zst too, and passes over hidden files and folders and what .gitignore lists)".to_owned(),
                ));
            }
        } else if first(path) {
            let (format, compression) = kind_of(path);
            inputs.push(Input::File(path.clone(), format, compression));
        }
    }
    inputs
}

/// Whether a folder's walk lints the file at `path`, by its extension (a
/// compressed file's by the one before `.gz` or `.zst`).
fn is_walked(path: &Path) -> bool {
    let (_, inner) = Compression::of_path(path);
    let ext = inner.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    ext.as_deref().is_some_and(|e| WALKED.contains(&e))
}

/// The path a folder walk's error is about, if it names one.
fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

/// A walk's error without the path it names (shown beside it).
fn inner_message(error: &ignore::Error) -> String {
    if let Some(io) = error.io_error() {
        return io.to_string();
    }
    match error {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => inner_message(err),
        other => other.to_string(),
    }
}

/// How to lint.
pub struct Job<'a> {
    pub options: &'a LintOptions,
    pub kind: Option<RequestKind>,
    pub normalized: bool,
    pub progress: bool,
    /// Whether findings keep their source line (for the caret of the human
    /// output; the other outputs do without, which keeps large inputs with
    /// many findings small in memory).
    pub source_lines: bool,
}

/// NDJSON is read in chunks of about this many bytes, linted in parallel.
const CHUNK_BYTES: usize = 4 << 20;

/// How much of a first line standard input's format is sniffed from, at most.
const SNIFF_LINE_BYTES: usize = 1 << 20;

/// A chunk's documents are linted and written this many at a time: with a
/// finding on every property, a whole chunk's results would hold a hundred
/// megabytes.
const SLICE_DOCUMENTS: usize = 4096;

impl Job<'_> {
    fn linter(&self) -> Linter {
        Linter::new(self.options.clone())
    }

    /// Lints every input in order, handing results to `out`: each is
    /// streamed, its documents linted on every core.
    pub fn run(&self, inputs: Vec<Input>, out: &mut dyn Output, summary: &mut Summary) -> io::Result<()> {
        for input in inputs {
            match input {
                Input::File(path, format, compression) => {
                    summary.files += 1;
                    let name = display(&path);
                    let opened = std::fs::File::open(&path).and_then(|file| {
                        let size = file.metadata().map(|m| m.len()).ok();
                        Ok(match compression {
                            // The size of what it holds is not known.
                            Some(compression) => (compression.decoder(file)?, None),
                            None => (Box::new(file) as Box<dyn Read + Send>, size),
                        })
                    });
                    match opened {
                        Ok((source, size)) => self.read_source(&name, source, format, size, out, summary)?,
                        Err(e) => self.unreadable_file(&name, &e, 0, out, summary)?,
                    }
                }
                Input::Stdin => {
                    summary.files += 1;
                    self.read_source(&Arc::from("<stdin>"), Box::new(io::stdin()), None, None, out, summary)?;
                }
            }
        }
        Ok(())
    }

    /// Reads one source: a file of many documents (NDJSON, URL lists, a
    /// JSON array, a HAR) as it streams, anything else whole. With no `format`
    /// (standard input, `events.gz`), the content tells it, and compressed
    /// content is decompressed first.
    fn read_source(
        &self,
        name: &Arc<str>,
        mut source: Box<dyn Read + Send + '_>,
        format: Option<Format>,
        size: Option<u64>,
        out: &mut dyn Output,
        summary: &mut Summary,
    ) -> io::Result<()> {
        // Enough of the start to tell the format by.
        let mut head = Vec::new();
        if let Err(e) = (&mut source).take(4096).read_to_end(&mut head) {
            return self.unreadable_file(name, &e, 0, out, summary);
        }
        if format.is_none()
            && let Some(compression) = Compression::sniff(&head)
        {
            let source = match compression.decoder(io::Cursor::new(head).chain(source)) {
                Ok(decoder) => decoder,
                Err(e) => return self.unreadable_file(name, &e, 0, out, summary),
            };
            return self.read_source(name, source, None, None, out, summary);
        }
        // A byte order mark marks the file's encoding (editors on Windows
        // write one), not a request's first bytes: read past, as editors
        // show the file (line 1's columns count from after it).
        if head.starts_with(BOM) {
            head.drain(..BOM.len());
        }
        if format.is_none() {
            // NDJSON is told by its first line, whole: read on to its end
            // (up to a limit; the bytes read are linted as the head).
            let mut limited = (&mut source).take(SNIFF_LINE_BYTES as u64);
            let object_first = |head: &[u8]| head.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
            while object_first(&head) && !head.contains(&b'\n') && head.len() < SNIFF_LINE_BYTES {
                match (&mut limited).take(64 << 10).read_to_end(&mut head) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) => return self.unreadable_file(name, &e, 0, out, summary),
                }
            }
        }
        let format = format.unwrap_or_else(|| Format::sniff(&head));
        let cut = match format {
            Format::Ndjson => Cut::Lines,
            Format::Urls => Cut::Urls,
            Format::Json if is_array(&head) => Cut::Array,
            Format::Har => Cut::Har,
            _ => {
                head.reserve(size.map_or(0, |size| usize::try_from(size).unwrap_or(0).saturating_sub(head.len())));
                if let Err(e) = source.read_to_end(&mut head) {
                    return self.unreadable_file(name, &e, 0, out, summary);
                }
                return self.emit_whole(name, &head, Some(format), out, summary);
            }
        };
        self.stream(name, source, head, cut, size, out, summary)
    }

    /// A source that could not be read (on, after `documents` were linted):
    /// reported as unreadable, and the other inputs are still read.
    fn unreadable_file(
        &self,
        name: &str,
        error: &io::Error,
        documents: usize,
        out: &mut dyn Output,
        summary: &mut Summary,
    ) -> io::Result<()> {
        summary.unreadable_files += 1;
        let message = if documents == 0 {
            error.to_string()
        } else {
            format!("{error} (after {documents} documents, which were linted)")
        };
        out.file_error(name, &message)
    }

    /// Lints a file held in memory and writes its results.
    fn emit_whole(
        &self,
        name: &Arc<str>,
        content: &[u8],
        format: Option<Format>,
        out: &mut dyn Output,
        summary: &mut Summary,
    ) -> io::Result<()> {
        match self.whole(name, content, format) {
            Ok(docs) => {
                for doc in &docs {
                    summary.add(doc);
                    out.document(doc)?;
                }
                Ok(())
            }
            Err(message) => {
                summary.unreadable_files += 1;
                out.file_error(name, &message)
            }
        }
    }

    /// Lints a file held in memory.
    fn whole(&self, name: &Arc<str>, content: &[u8], format: Option<Format>) -> Result<Vec<DocResult>, String> {
        let format = format.unwrap_or_else(|| Format::sniff(content));
        let docs = split(format, content).map_err(|e| e.to_string())?;
        // Every document is kept: a file held in memory is small enough.
        Ok(docs
            .par_iter()
            .map_init(
                || self.linter(),
                |linter, doc| {
                    // A document the file holds escaped (a HAR entry's
                    // body) has its positions counted in itself.
                    let (first_line, first_column) = if doc.offset.is_some() { (doc.line, doc.column) } else { (1, 1) };
                    let place = Place { text: doc.source(), first_line, first_column, source_line: self.source_lines };
                    lint_document(linter, name, doc, &place, self.kind, self.normalized, true)
                },
            )
            .flatten_iter()
            .collect())
    }

    /// Streams a file of many documents: a reader thread cuts the input into
    /// chunks of whole documents (lines, a JSON array's items, a HAR's
    /// entries) while the
    /// chunk before is linted on every core and the one before that is
    /// written.
    #[allow(clippy::too_many_arguments)]
    fn stream(
        &self,
        name: &Arc<str>,
        source: impl Read + Send,
        head: Vec<u8>,
        cut: Cut,
        size: Option<u64>,
        out: &mut dyn Output,
        summary: &mut Summary,
    ) -> io::Result<()> {
        let limit = self.options.max_body_bytes();
        let progress = (self.progress && io::stderr().is_terminal() && size.is_some_and(|s| s > 64 << 20)).then(|| {
            let bar = indicatif::ProgressBar::with_draw_target(size, indicatif::ProgressDrawTarget::stderr());
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bytes}/{total_bytes} {wide_bar} {bytes_per_sec} eta {eta}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        });
        // Three stages, each on its own thread, so that no core waits on
        // another's serial work: a reader cuts chunks; a driver lints each
        // chunk on the rayon pool; this thread writes the results of one
        // chunk while the next is linted.
        // Documents with no finding that the output does not show are
        // counted, not collected (most lines of a large file).
        let keep_clean = out.wants_clean_documents();
        let (sender, chunks) = mpsc::sync_channel::<io::Result<Chunk>>(2);
        let (linted, results) = mpsc::sync_channel::<io::Result<(Vec<DocResult>, usize, usize)>>(1);
        std::thread::scope(|scope| {
            scope.spawn(move || {
                let source = io::Cursor::new(head).chain(source);
                match cut {
                    Cut::Array => read_item_chunks(source, limit, Cutter::Array(ArrayCutter::new()), &sender),
                    // An entry holds its response too (a script, a
                    // download): entries are kept up to a larger size.
                    Cut::Har => {
                        read_item_chunks(source, limit.max(HAR_ENTRY_BYTES), Cutter::Har(Box::default()), &sender)
                    }
                    Cut::Lines | Cut::Urls => read_chunks(source, limit, cut == Cut::Urls, &sender),
                }
            });
            scope.spawn(move || {
                // The documents kept so far: a HAR's entries to other paths
                // are not documents, and are numbered past.
                let mut kept = 0;
                for chunk in chunks {
                    let chunk = match chunk {
                        Ok(chunk) => chunk,
                        Err(e) => {
                            let _ = linted.send(Err(e));
                            return;
                        }
                    };
                    let data = &chunk.data;
                    // A chunk's documents go out in slices, so that the results
                    // in flight stay small however many findings each has.
                    let slices = chunk.lines.chunks(SLICE_DOCUMENTS);
                    let last = slices.len().saturating_sub(1);
                    for (i, slice) in slices.enumerate() {
                        // Each rayon job gets its own copy of the file's name to
                        // share among its results: one shared `Arc` had both
                        // cores contend for its count at every line (a fifth
                        // of the two-core run's samples under perf).
                        let outcomes: Vec<Linted> = slice
                            .par_iter()
                            .map_init(
                                || (self.linter(), Arc::<str>::from(&**name)),
                                |(linter, name), line| self.line(linter, name, data, line, cut, keep_clean),
                            )
                            .collect();
                        let mut clean = 0;
                        let mut docs = Vec::new();
                        for outcome in outcomes {
                            match outcome {
                                Linted::Skipped => continue,
                                Linted::Clean => clean += 1,
                                Linted::Found(mut doc) => {
                                    if cut == Cut::Har {
                                        doc.index = kept;
                                    }
                                    docs.push(doc);
                                }
                            }
                            kept += 1;
                        }
                        if linted.send(Ok((docs, clean, if i == last { chunk.bytes } else { 0 }))).is_err() {
                            // The writer stopped (an output error): stop too.
                            return;
                        }
                    }
                }
            });
            let mut linted = 0;
            for done in results {
                let (docs, clean, bytes) = match done {
                    Ok(done) => done,
                    // The input failed (a truncated archive, a read error):
                    // what came before it stands. Leaving the loop hangs up,
                    // and the other stages stop.
                    Err(e) => {
                        self.unreadable_file(name, &e, linted, out, summary)?;
                        break;
                    }
                };
                linted += docs.len() + clean;
                summary.add_clean(clean);
                for doc in &docs {
                    summary.add(doc);
                    out.document(doc)?;
                }
                if let Some(bar) = &progress {
                    bar.inc(bytes as u64);
                }
            }
            if let Some(bar) = &progress {
                bar.finish_and_clear();
            }
            Ok(())
        })
    }

    /// Lints one document of a chunk.
    fn line(
        &self,
        linter: &mut Linter,
        name: &Arc<str>,
        data: &[u8],
        line: &Line,
        cut: Cut,
        keep_clean: bool,
    ) -> Linted {
        if line.fault && cut == Cut::Array && line.range.is_none() {
            // The broken rest, longer than a document may be: still a break.
            return Linted::Found(broken_array(name, line, false));
        }
        let Some(range) = &line.range else {
            let message = if cut == Cut::Har {
                format!(
                    "HAR entry {} is longer than {} bytes (its response included); it was not read",
                    line.index,
                    self.options.max_body_bytes().max(HAR_ENTRY_BYTES)
                )
            } else {
                format!(
                    "the document is longer than {} bytes (--max-body-bytes); it was not read",
                    self.options.max_body_bytes()
                )
            };
            let mut result = unreadable(name, line.number, line.index, message);
            if cut == Cut::Har {
                result.entry = Some(line.index);
            }
            return Linted::Found(result);
        };
        let bytes = &data[range.clone()];
        if line.fault && cut == Cut::Array {
            return Linted::Found(broken_array(name, line, indicative_contract::input::is_blank(bytes)));
        }
        let doc = match cut {
            Cut::Har => match har_entry(line.index, bytes) {
                // Placed where its entry starts in the file (its findings'
                // positions are in its body or URL: see `place` below).
                Ok(Some(doc)) => Document { line: line.number, column: line.column, ..doc },
                // A request to another path: not a document.
                Ok(None) => return Linted::Skipped,
                // Reported where it breaks in the file, as a document of
                // its own (whose path cannot be known).
                Err(e) => {
                    let mut result = unreadable(name, line.number, line.index, e.to_string());
                    result.entry = Some(line.index);
                    if let (Some(offset), Some(finding)) = (e.offset(), result.findings.first_mut()) {
                        let (l, c) = indicative_contract::line_column(bytes, offset);
                        finding.line = line.number + l - 1;
                        finding.column = if l == 1 { line.column + c - 1 } else { c };
                    }
                    return Linted::Found(result);
                }
            },
            Cut::Urls | Cut::Lines | Cut::Array => Document {
                index: line.index,
                line: line.number,
                column: line.column,
                offset: Some(0),
                entry: None,
                payload: if cut == Cut::Urls {
                    // Checked first: the lossy conversion is slow even on valid text.
                    Payload::Query { url: url_text(bytes), request: RequestInfo::default() }
                } else {
                    Payload::Body { bytes: Cow::Borrowed(bytes), request: RequestInfo::default() }
                },
            },
        };
        let place = if cut == Cut::Har {
            // Positions are in the entry's body or URL.
            Place { text: doc.source(), first_line: 1, first_column: 1, source_line: self.source_lines }
        } else {
            Place { text: bytes, first_line: line.number, first_column: line.column, source_line: self.source_lines }
        };
        match lint_document(linter, name, &doc, &place, self.kind, self.normalized, keep_clean) {
            Some(result) => Linted::Found(result),
            None => Linted::Clean,
        }
    }
}

/// What became of one document of a chunk.
enum Linted {
    /// Not a document (a HAR entry for another path).
    Skipped,
    /// No finding, and the output does not show it: counted only.
    Clean,
    Found(DocResult),
}

/// The most a HAR entry may hold to be read (its request and its response:
/// a capture may hold a large download), unless `--max-body-bytes` says
/// more. An entry under way is held in memory, so this bounds the memory a
/// HAR takes.
const HAR_ENTRY_BYTES: usize = 1 << 30;

/// How a stream is cut into documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cut {
    /// A request body per line (NDJSON).
    Lines,
    /// A GET URL per line; a line starting with `#` is a comment.
    Urls,
    /// The items of a top-level JSON array.
    Array,
    /// The entries of a HAR.
    Har,
}

/// Where a JSON array's structure broke (`unclosed`: the input ended
/// inside the array, nothing after the break): an invalid-json error at
/// its place.
fn broken_array(name: &Arc<str>, line: &Line, unclosed: bool) -> DocResult {
    let message = if unclosed {
        "the array has no closing `]`: the input ends inside it"
    } else {
        "the array's structure breaks here: what follows (from here to the end) is not an item of it; after its closing `]` only white space may follow, and its items are separated by one `,`"
    };
    let mut result = unreadable(name, line.number, line.index, message.to_owned());
    if let Some(finding) = result.findings.first_mut() {
        finding.column = line.column;
    }
    result
}

/// One document of a chunk (a non-blank line, or an array's item): where
/// it starts in the file, and its bytes in the chunk's data, or `None` when
/// it was longer than the limit (and was skipped unread).
struct Line {
    number: usize,
    column: usize,
    index: usize,
    range: Option<std::ops::Range<usize>>,
    /// Where a JSON array's structure broke: the rest of the input, which
    /// is no item of it (read as one, it may even be valid JSON).
    fault: bool,
}

/// A line over the limit whose bytes are dropped as they stream past.
struct Dropped {
    /// Its line number.
    number: usize,
    /// Not recorded yet: blank so far.
    pending: bool,
    /// A URL list's line, which a `#` (after white space) makes a comment.
    urls: bool,
}

impl Dropped {
    /// More of the line's bytes: the first that is not white space records
    /// it, as a line too long to read (unless it starts a URL list's
    /// comment).
    fn see(&mut self, bytes: &[u8], lines: &mut Vec<Line>, index: &mut usize) {
        if !self.pending {
            return;
        }
        let Some(&first) = bytes.iter().find(|&b| !indicative_contract::input::is_blank(std::slice::from_ref(b)))
        else {
            return;
        };
        self.pending = false;
        if !(self.urls && first == b'#') {
            lines.push(Line { number: self.number, column: 1, index: *index, range: None, fault: false });
            *index += 1;
        }
    }
}

/// Whole lines read in one block: the lines point into `data`.
struct Chunk {
    data: Vec<u8>,
    lines: Vec<Line>,
    bytes: usize,
}

/// Cuts the input into chunks of whole lines: blocks of at least
/// [`CHUNK_BYTES`] new bytes are read, lines found with `memchr`, and the
/// partial last line carried into the next block. A line longer than `limit`
/// is recorded once and its bytes dropped as they stream past, so memory
/// stays under `limit` plus two blocks; one that is blank so far is
/// recorded only once a byte shows that it is not (a blank line, or a
/// comment in a URL list, is skipped whatever its length).
fn read_chunks(mut source: impl Read, limit: usize, urls: bool, sender: &mpsc::SyncSender<io::Result<Chunk>>) {
    let (mut number, mut index) = (0, 0);
    let mut carry: Vec<u8> = Vec::new();
    // The carried bytes hold no newline: the search goes on after them.
    let mut searched = 0;
    // New bytes read and not yet reported (for the progress bar).
    let mut unsent = 0;
    // In a line over the limit: drop bytes until its newline.
    let mut skipping: Option<Dropped> = None;
    let mut eof = false;
    while !eof {
        let mut data = std::mem::take(&mut carry);
        let before = data.len();
        // A read that fails ends the input: the whole lines before it are
        // still linted, then the fault is reported.
        let (ended, fault) = read_block(&mut source, &mut data);
        eof = ended && fault.is_none();
        unsent += data.len() - before;
        let mut lines = Vec::new();
        let mut start = 0;
        while start < data.len() {
            let from = start.max(searched);
            let Some(end) = memchr::memchr(b'\n', &data[from..]).map(|at| from + at).or(eof.then_some(data.len()))
            else {
                break;
            };
            searched = 0;
            number += 1;
            if let Some(mut dropped) = skipping.take() {
                // The end of an over-long line.
                dropped.see(&data[start..end], &mut lines, &mut index);
            } else {
                let mut range = start..end;
                if range.end > range.start && data[range.end - 1] == b'\r' {
                    range.end -= 1;
                }
                // A URL list's line: the URL on it, if any (not a comment).
                let (range, column) = match urls {
                    true => indicative_contract::input::url_line(&data[range.clone()])
                        .map_or((range.start..range.start, 1), |url| {
                            (range.start + url.start..range.start + url.end, url.start + 1)
                        }),
                    false => (range, 1),
                };
                if !indicative_contract::input::is_blank(&data[range.clone()]) {
                    lines.push(Line {
                        number,
                        column,
                        index,
                        range: (range.len() <= limit).then_some(range),
                        fault: false,
                    });
                    index += 1;
                }
            }
            start = end + 1;
        }
        let tail = start.min(data.len());
        if let Some(dropped) = &mut skipping {
            // An over-long line goes on past this block.
            dropped.see(&data[tail..], &mut lines, &mut index);
        } else if data.len() - tail > limit {
            // A line already over the limit with no end in sight: recorded
            // under the number it will have (once it shows it is not blank),
            // and dropped as it streams past.
            let mut dropped = Dropped { number: number + 1, pending: true, urls };
            dropped.see(&data[tail..], &mut lines, &mut index);
            skipping = Some(dropped);
        }
        if lines.is_empty() && tail == 0 && skipping.is_none() && fault.is_none() && !eof {
            // One line under way since the block began: read on into the
            // same buffer (copying it each block would cost its square).
            searched = data.len();
            carry = data;
            continue;
        }
        if skipping.is_none() {
            carry = data[tail..].to_vec();
        }
        searched = carry.len();
        data.truncate(tail);
        if sender.send(Ok(Chunk { data, lines, bytes: std::mem::take(&mut unsent) })).is_err() {
            return;
        }
        if let Some(e) = fault {
            let _ = sender.send(Err(e));
            return;
        }
    }
}

/// Reads one block of at least [`CHUNK_BYTES`] new bytes onto `data`
/// (`read_to_end` appends without first zero-filling the space, as a
/// `resize` and `read` would); answers whether the input ended, and the
/// error that stopped the read, if one did (what was read before it is in
/// `data`).
fn read_block(source: &mut impl Read, data: &mut Vec<u8>) -> (bool, Option<io::Error>) {
    let before = data.len();
    data.reserve(CHUNK_BYTES);
    loop {
        match source.take((before + CHUNK_BYTES - data.len()) as u64).read_to_end(data) {
            Ok(0) => return (true, None),
            Ok(_) if data.len() >= before + CHUNK_BYTES => return (false, None),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return (true, Some(e)),
        }
    }
}

/// A cutter of items as the bytes stream by: a JSON array's, or a HAR's
/// entries.
enum Cutter {
    Array(ArrayCutter),
    Har(Box<HarCutter>),
}

impl Cutter {
    fn feed(&mut self, data: &[u8], base: usize, items: &mut Vec<Item>) {
        match self {
            Self::Array(cutter) => cutter.feed(data, base, items),
            Self::Har(cutter) => cutter.feed(data, base, items),
        }
    }

    fn finish(&mut self, end: usize, items: &mut Vec<Item>) {
        match self {
            Self::Array(cutter) => cutter.finish(end, items),
            Self::Har(cutter) => cutter.finish(end, items),
        }
    }

    fn pending_from(&self) -> Option<usize> {
        match self {
            Self::Array(cutter) => cutter.pending_from(),
            Self::Har(cutter) => cutter.pending_from(),
        }
    }

    /// Why the input cannot be cut further (a file that is not a HAR).
    fn error(&self) -> Option<String> {
        match self {
            Self::Array(_) => None,
            Self::Har(cutter) => cutter.error().map(ToString::to_string),
        }
    }
}

/// Cuts a JSON array into chunks of whole items (or a HAR into chunks of
/// whole entries), as [`read_chunks`] cuts lines: the item under way is
/// carried into the next block, and one longer than `limit` is dropped as
/// it streams past and recorded unread. Where the cutter finds the input
/// cannot be cut further, the items before are sent, then the error.
fn read_item_chunks(
    mut source: impl Read,
    limit: usize,
    mut cutter: Cutter,
    sender: &mpsc::SyncSender<io::Result<Chunk>>,
) {
    let mut carry: Vec<u8> = Vec::new();
    // The input's offset of `carry`'s first byte.
    let mut base = 0;
    // New bytes read and not yet reported (for the progress bar).
    let mut unsent = 0;
    let mut eof = false;
    while !eof {
        let mut data = std::mem::take(&mut carry);
        let before = data.len();
        // As for lines: the items whole before a failed read are linted.
        let (ended, mut fault) = read_block(&mut source, &mut data);
        unsent += data.len() - before;
        eof = ended;
        let mut items = Vec::new();
        cutter.feed(&data, base, &mut items);
        if eof && fault.is_none() {
            cutter.finish(base + data.len(), &mut items);
        }
        if let Some(error) = cutter.error() {
            // Nothing after this can be cut: the input ends here.
            eof = true;
            fault = fault.or_else(|| Some(io::Error::new(io::ErrorKind::InvalidData, error)));
        }
        let lines: Vec<Line> = items
            .into_iter()
            .map(|item| {
                // An item begun before this block was too long to keep.
                let kept = item.range.start >= base && item.range.len() <= limit;
                let range = kept.then(|| item.range.start - base..item.range.end - base);
                Line { number: item.line, column: item.column, index: item.index, range, fault: item.fault }
            })
            .collect();
        let end = base + data.len();
        // Keep the item under way, unless it is already too long to read.
        let keep_from = match cutter.pending_from() {
            Some(start) if start >= base && end - start <= limit => start,
            _ => end,
        };
        if lines.is_empty() && keep_from == base && fault.is_none() && !eof {
            // One item under way since the block began: read on into the
            // same buffer (copying it each block would cost its square).
            carry = data;
            continue;
        }
        carry = data[keep_from - base..].to_vec();
        data.truncate(keep_from - base);
        base = keep_from;
        if sender.send(Ok(Chunk { data, lines, bytes: std::mem::take(&mut unsent) })).is_err() {
            return;
        }
        if let Some(e) = fault {
            let _ = sender.send(Err(e));
            return;
        }
    }
}

fn display(path: &Path) -> Arc<str> {
    path.display().to_string().into()
}

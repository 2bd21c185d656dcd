//! The output formats. Each receives documents as they are linted, file
//! errors, and the totals at the end.

pub(crate) mod cap;
mod github;
mod human;
pub(crate) mod json;
mod sarif;

use std::io;

use self::cap::Cap;
use crate::args::{Documents, OutputFormat};
use crate::report::{DocResult, Summary};

pub use human::Human;

pub trait Output {
    fn document(&mut self, doc: &DocResult) -> io::Result<()>;
    /// Whether a document with no finding shows in the output; when not,
    /// large inputs count such documents instead of collecting them.
    fn wants_clean_documents(&self) -> bool {
        false
    }
    /// A file that could not be read or split; the others are still linted.
    fn file_error(&mut self, file: &str, message: &str) -> io::Result<()>;
    fn finish(&mut self, summary: &Summary) -> io::Result<()>;
}

/// Whether `doc`'s findings are placed in a HAR entry's body or URL, not
/// in its file (an entry that could not be read is placed in the file; a
/// captured request's findings are in its body or URL, which the record's
/// address serves).
/// A JSON Pointer as a terminal or a log shows it: control characters,
/// C1 controls and the marks that reorder text written as `\u{..}` (a
/// member named with an escape sequence must not drive the terminal).
fn shown_pointer(pointer: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| {
        c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}')
    };
    if !pointer.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(pointer);
    }
    pointer.chars().map(|c| if unsafe_char(c) { format!("\\u{{{:x}}}", u32::from(c)) } else { c.to_string() }).collect()
}

fn in_entry(doc: &DocResult) -> bool {
    doc.entry.is_some() && doc.note.is_some()
}

/// An output that shows nothing and keeps the files that could not be read
/// (for commands that only count, such as `plan coverage`).
#[derive(Debug, Default)]
pub struct Discard {
    pub errors: Vec<(String, String)>,
}

impl Output for Discard {
    fn document(&mut self, _: &DocResult) -> io::Result<()> {
        Ok(())
    }

    fn file_error(&mut self, file: &str, message: &str) -> io::Result<()> {
        self.errors.push((file.to_owned(), message.to_owned()));
        Ok(())
    }

    fn finish(&mut self, _: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// The output of `format`; `max_per_rule` is `--max-per-rule` (0: no
/// limit), which defaults by format: none for human and json, the
/// platforms' limits for sarif and github (see [`cap`]).
pub fn for_format(
    format: OutputFormat,
    normalized: bool,
    documents: Documents,
    max_per_rule: Option<usize>,
) -> Box<dyn Output> {
    let stdout = Box::new(io::BufWriter::new(anstream::stdout()));
    match format {
        OutputFormat::Human => Box::new(Human::new(stdout, normalized, Cap::new(max_per_rule.unwrap_or(0), None))),
        OutputFormat::Json => Box::new(json::Json::new(stdout, normalized, documents == Documents::All)),
        OutputFormat::Sarif => Box::new(sarif::Sarif::new(
            stdout,
            Cap::new(max_per_rule.unwrap_or(cap::SARIF_PER_RULE), Some(cap::SARIF_RESULTS)),
        )),
        OutputFormat::Github => Box::new(github::Github::new(stdout, max_per_rule)),
    }
}

//! The output formats. Each receives documents as they are linted, file
//! errors, and the totals at the end.

mod github;
mod human;
pub(crate) mod json;
mod sarif;

use std::io;

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

pub fn for_format(format: OutputFormat, normalized: bool, documents: Documents) -> Box<dyn Output> {
    let stdout = Box::new(io::BufWriter::new(anstream::stdout()));
    match format {
        OutputFormat::Human => Box::new(Human::new(stdout, normalized)),
        OutputFormat::Json => Box::new(json::Json::new(stdout, normalized, documents == Documents::All)),
        OutputFormat::Sarif => Box::new(sarif::Sarif::new(stdout)),
        OutputFormat::Github => Box::new(github::Github::new(stdout)),
    }
}

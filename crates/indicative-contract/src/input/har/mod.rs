//! HAR captures, read as they stream: the `log.entries` array is cut into
//! entries by the JSON array cutter (64 bytes at a time, see
//! [`mod@super::array`]), so that a capture of any size is read in one pass
//! and bounded memory, and each entry is then read on its own
//! ([`har_entry`]), on any thread.
//!
//! The rooms: `cutter` follows the file and cuts its entries out
//! ([`HarCutter`]); `entry` reads one entry into a document ([`har_entry`]).

mod cutter;
mod entry;

pub use cutter::HarCutter;
pub use entry::har_entry;

use super::{Document, InputError};

/// Every document of a HAR file held in memory, numbered as they are kept.
pub(super) fn split_har(content: &[u8]) -> Result<Vec<Document<'static>>, InputError> {
    let mut cutter = HarCutter::new();
    let mut items = Vec::new();
    cutter.feed(content, 0, &mut items);
    cutter.finish(content.len(), &mut items);
    if let Some(error) = cutter.error() {
        return Err(error.clone());
    }
    let mut documents = Vec::new();
    for item in items {
        // The entry's fault is placed in the file, not in the entry.
        let read = har_entry(item.index, &content[item.range.clone()])
            .map_err(|error| InputError { offset: error.offset.map(|at| item.range.start + at), ..error })?;
        if let Some(document) = read {
            // The entry's place in the file (a body's spans point into the
            // body, which the file holds escaped).
            documents.push(Document { index: documents.len(), line: item.line, column: item.column, ..document });
        }
    }
    Ok(documents)
}

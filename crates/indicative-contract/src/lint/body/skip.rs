//! Values read without being looked at: skipped (checked well-formed and
//! within the depth limit, without recursion), and the items of a top-level
//! array cut out for the input splitter.

use std::ops::Range;

use super::Stop;
use crate::limits::{MAX_DEPTH, MAX_NUMBER_BYTES};
use crate::lint::reader::{Peek, Reader};

/// Reads a number literal and returns its byte range, refusing one longer
/// than the limit.
#[inline]
pub(super) fn number(j: &mut Reader<'_>) -> Result<Range<usize>, Stop> {
    let Range { start, end } = j.number()?;
    if end - start > MAX_NUMBER_BYTES {
        return Err(Stop::fault(
            start,
            format!("a number literal of {} bytes; the limit is {MAX_NUMBER_BYTES}", end - start),
        ));
    }
    Ok(start..end)
}

/// Skips a value of any shape without recursion, checking that it is
/// well-formed (strings included) and not nested past the limit; `depth` is
/// the depth of the value itself (the body is 1).
pub(crate) fn skip_value(j: &mut Reader<'_>, stack: &mut Vec<bool>, first: Peek, depth: usize) -> Result<(), Stop> {
    stack.clear();
    let mut peek = first;
    loop {
        // Read the value `peek` starts, or step into it.
        match peek {
            Peek::Array | Peek::Object => {
                if depth + stack.len() > MAX_DEPTH {
                    return Err(Stop::fault(j.index(), format!("nesting deeper than {MAX_DEPTH} levels")));
                }
                if peek == Peek::Array {
                    if let Some(next) = j.array_first()? {
                        stack.push(true);
                        peek = next;
                        continue;
                    }
                } else if j.object_first()?.is_some() {
                    stack.push(false);
                    peek = j.peek()?;
                    continue;
                }
            }
            Peek::String => {
                j.str()?;
            }
            Peek::Null => j.literal(Peek::Null)?,
            Peek::True | Peek::False => {
                j.literal(peek)?;
            }
            _ => {
                number(j)?;
            }
        }
        // The value is done: move on in its parent, closing finished ones.
        loop {
            match stack.last() {
                None => return Ok(()),
                Some(true) => {
                    if let Some(next) = j.array_next()? {
                        peek = next;
                        break;
                    }
                }
                Some(false) => {
                    if j.object_next()?.is_some() {
                        peek = j.peek()?;
                        break;
                    }
                }
            }
            stack.pop();
        }
    }
}

/// The byte ranges of the items of a top-level JSON array, or `None` when
/// `source` is not a well-formed array (what the input's array cutter is
/// tested against).
#[cfg(test)]
pub(crate) fn array_items(source: &[u8]) -> Option<Vec<Range<usize>>> {
    let mut j = Reader::new(source).ok()?;
    let mut stack = Vec::new();
    if j.peek().ok()? != Peek::Array {
        return None;
    }
    let mut items = Vec::new();
    let mut next = j.array_first().ok()?;
    while let Some(peek) = next {
        let start = j.index();
        skip_value(&mut j, &mut stack, peek, 2).ok()?;
        items.push(start..j.index());
        next = j.array_next().ok()?;
    }
    j.finish().ok()?;
    Some(items)
}

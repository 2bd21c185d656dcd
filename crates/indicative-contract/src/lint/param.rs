//! A GET query's parameter, decoded, with its place in the input: what the
//! query parser makes, and what a checker's view of a GET event reads.

use std::borrow::Cow;
use std::ops::Range;

pub(crate) use crate::form::{decode, decode_escaped};

/// Whether a query string has a parameter named `name` (decoded).
pub(crate) fn has_param(query: &str, name: &str) -> bool {
    query.split('&').any(|piece| decode(piece.split_once('=').map_or(piece, |(n, _)| n)) == name)
}

/// One `name=value` pair, decoded, with its place in the input.
pub(crate) struct Param<'a> {
    pub(crate) name: Cow<'a, str>,
    pub(crate) value: Cow<'a, str>,
    pub(crate) span: Range<usize>,
    /// The first fault of its encoding, if any (then `name` and `value`
    /// were decoded lossily, and no one reads them).
    pub(crate) fault: Option<EncodingFault>,
}

/// Where a parameter's encoding breaks (an offset in the input) and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct EncodingFault {
    pub(crate) at: usize,
    pub(crate) not_utf8: bool,
}

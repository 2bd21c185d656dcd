//! A GET query's parameter, decoded, with its place in the input: what the
//! query parser makes, and what a checker's view of a GET event reads.

use std::borrow::Cow;
use std::ops::Range;

/// One name or value of a query, decoded as `application/x-www-form-urlencoded`
/// is (`+` is a space, `%XX` a byte; an escape that is not one stays as
/// written, bytes that are not UTF-8 become U+FFFD, as `form_urlencoded`
/// does): borrowed when there is nothing to decode, which is the common case.
pub(crate) fn decode(part: &str) -> Cow<'_, str> {
    let bytes = part.as_bytes();
    // A loop, not a search: names and values are short.
    if !bytes.iter().any(|&b| b == b'+' || b == b'%') {
        return Cow::Borrowed(part);
    }
    decode_escaped(part)
}

/// [`decode`] of a part known to hold a `+` or a `%`.
pub(crate) fn decode_escaped(part: &str) -> Cow<'_, str> {
    let bytes = part.as_bytes();
    if !bytes.contains(&b'%') {
        // Spaces for pluses: still UTF-8, nothing to check.
        return Cow::Owned(part.replace('+', " "));
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && bytes[i + 1].is_ascii_hexdigit() && bytes[i + 2].is_ascii_hexdigit() => {
                let digit = |b: u8| (b as char).to_digit(16).unwrap_or_default() as u8;
                out.push(digit(bytes[i + 1]) << 4 | digit(bytes[i + 2]));
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    match String::from_utf8(out) {
        Ok(text) => Cow::Owned(text),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

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

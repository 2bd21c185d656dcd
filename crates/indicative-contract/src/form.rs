//! `application/x-www-form-urlencoded` decoding, as a GET query's names and
//! values are read: shared by the lint (which reads queries) and by
//! [`crate::keys`] (which finds keys in them), below both.

use std::borrow::Cow;

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

//! Text fields: emptiness and length (through the model's own check), white
//! space at an end, UTF-16 length, and property names.

use std::ops::Range;

use super::excerpt;
use crate::limits::{MAX_TEXT_CHARS, TextLength, has_edge_whitespace};
use crate::lint::reader::string_span_at;
use crate::lint::sink::{Path, Seg, Sink};
use crate::model::values::{TextBound, text_error};
use crate::rule::Rule;

/// Whether a string may have a finding: cheap, so that the
/// clean path does no more than this.
#[inline]
pub(crate) fn needs_check(text: &str) -> bool {
    // Every finding, under any bound, needs one of these: emptiness, length,
    // or white space at an end (a blank key is all white space).
    text.is_empty() || TextLength::may_exceed(text) || has_edge_whitespace(text)
}

/// Warns about a property name that is empty, or over 255 characters or
/// UTF-16 code units.
pub(crate) fn property_name_length(sink: &mut Sink<'_>, name: &str, path: Path<'_>, key_at: usize) {
    let len = TextLength::of(name);
    let span = string_span_at(sink.source, key_at);
    if name.is_empty() || !len.fits() {
        sink.emit(
            Rule::PropertyNameLength,
            path.push(Seg::Key(key_at)),
            span,
            || match len.chars {
                0 => "a property name is empty".to_owned(),
                n => format!("a property name is {n} characters long, over {MAX_TEXT_CHARS}"),
            },
            Some("use names of 1 to 255 characters".into()),
        );
    } else if len.utf16_overflows() {
        emit_utf16(sink, path.push(Seg::Key(key_at)), span, "a property name", len);
    }
}

/// The checks of a text field after its error rules: white space, UTF-16
/// length, and the alias ids' length.
pub(crate) fn check_text(
    sink: &mut Sink<'_>,
    path: Path<'_>,
    span: Range<usize>,
    bound: TextBound,
    label: &str,
    text: &str,
) {
    if let Some((rule, message)) = text_error(bound, label, text) {
        sink.emit(rule, path, span, || message, None);
        return;
    }
    if matches!(bound, TextBound::Required255 | TextBound::RequiredNonEmpty) && has_edge_whitespace(text) {
        sink.emit(
            Rule::WhitespaceName,
            path,
            span.clone(),
            || format!("{label} {} has white space at an end", excerpt(text)),
            Some("trim it: the API keeps the white space, so \"a \" and \"a\" differ".into()),
        );
    }
    // Only a text of more than 255 bytes can be too long either way.
    if !TextLength::may_exceed(text) {
        return;
    }
    let len = TextLength::of(text);
    match bound {
        TextBound::Required255 | TextBound::QueryProperty if len.utf16_overflows() => {
            emit_utf16(sink, path, span, label, len)
        }
        TextBound::RequiredNonEmpty if len.chars > MAX_TEXT_CHARS => sink.emit(
            Rule::AliasIdLength,
            path,
            span,
            || format!("{label} is {} characters long; every other id is limited to {MAX_TEXT_CHARS}", len.chars),
            None,
        ),
        _ => {}
    }
}

pub(crate) fn emit_utf16(sink: &mut Sink<'_>, path: Path<'_>, span: Range<usize>, label: &str, len: TextLength) {
    sink.emit(
        Rule::Utf16Length,
        path,
        span,
        || format!("{label} is {} characters but {} UTF-16 code units; a server counting UTF-16 units would see it as too long", len.chars, len.utf16_units),
        None,
    );
}

//! `eventTime`: integer literals read without floating point, strings in
//! every form docs/contract.md allows, and plausibility.

use std::ops::Range;

use super::excerpt;
use crate::limits::{PLAUSIBLE_FUTURE_MILLIS, PLAUSIBLE_SINCE_MILLIS};
use crate::lint::sink::{Path, Sink};
use crate::rule::Rule;
use crate::time::text_to_millis;

/// The value of a literal of 1 to 15 ASCII digits (exact as an `f64`).
#[inline]
pub(crate) fn integer_literal(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || bytes.len() > 15 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Eight digits at once when there are eight (times are 10 or 13 digits).
    let (head, tail) = if bytes.len() >= 8 { bytes.split_at(8) } else { (&[][..], bytes) };
    let mut value = match head.first_chunk::<8>() {
        Some(&eight) => eight_digits(eight),
        None => 0,
    };
    for &b in tail {
        value = value * 10 + u64::from(b - b'0');
    }
    Some(value)
}

/// The value of eight ASCII digits, by pairs, fours and eights in one word.
#[inline]
const fn eight_digits(digits: [u8; 8]) -> u64 {
    let mut word = u64::from_le_bytes(digits) - 0x3030_3030_3030_3030;
    word = (word * 10 + (word >> 8)) & 0x00ff_00ff_00ff_00ff;
    word = (word * 100 + (word >> 16)) & 0x0000_ffff_0000_ffff;
    (word * 10_000 + (word >> 32)) & 0xffff_ffff
}

#[inline]
pub(crate) fn plausible(millis: i64, now_millis: i64) -> bool {
    (PLAUSIBLE_SINCE_MILLIS..=now_millis.saturating_add(PLAUSIBLE_FUTURE_MILLIS)).contains(&millis)
}

pub(crate) fn emit_fractional(sink: &mut Sink<'_>, path: Path<'_>, span: Range<usize>, text: &str) {
    sink.emit(
        Rule::EventTimeFractional,
        path,
        span,
        || format!("eventTime {text} has a fraction"),
        Some("send whole milliseconds".into()),
    );
}

/// Checks a string `eventTime`: in a POST body (`query == false`) a decimal
/// string is noted; in a GET query it is the only way to send a number.
pub(crate) fn check_time_text(
    sink: &mut Sink<'_>,
    path: Path<'_>,
    span: Range<usize>,
    text: &str,
    query: bool,
    now_millis: i64,
) {
    match text_to_millis(text) {
        Err(problem) => sink.emit(problem.rule(), path, span, || problem.message(&excerpt(text)), None),
        Ok(reading) => {
            if reading.decimal && !query {
                sink.emit(
                    Rule::EventTimeStringNumber,
                    path,
                    span.clone(),
                    || {
                        format!(
                            "eventTime {} is a number written as a string; the API reads it as a number",
                            excerpt(text)
                        )
                    },
                    Some(format!("send it as a JSON number: {text}")),
                );
            }
            if reading.fractional {
                emit_fractional(sink, path, span.clone(), text);
            }
            if reading.without_offset {
                sink.emit(
                    Rule::EventTimeWithoutOffset,
                    path,
                    span.clone(),
                    || format!("eventTime {} has no zone; UTC is assumed", excerpt(text)),
                    Some("add Z or an offset such as +00:00".into()),
                );
            }
            check_plausible(sink, path, span, reading.millis, now_millis, reading.decimal);
        }
    }
}

/// Notes an `eventTime` before 2000 or more than a day ahead; `number`:
/// whether it was written as a number (the help then suggests the other
/// unit, which an ISO 8601 text has no use for).
pub(crate) fn check_plausible(
    sink: &mut Sink<'_>,
    path: Path<'_>,
    span: Range<usize>,
    millis: i64,
    now_millis: i64,
    number: bool,
) {
    let when = || jiff::Timestamp::from_millisecond(millis).map_or_else(|_| format!("{millis} ms"), |t| t.to_string());
    if millis < PLAUSIBLE_SINCE_MILLIS {
        sink.emit(
            Rule::EventTimeImplausible,
            path,
            span,
            || format!("eventTime is {}, before 2000", when()),
            number.then(|| "a number below 1e11 is read as seconds: was it meant as milliseconds?".into()),
        );
    } else if millis > now_millis.saturating_add(PLAUSIBLE_FUTURE_MILLIS) {
        sink.emit(
            Rule::EventTimeImplausible,
            path,
            span,
            || format!("eventTime is {}, more than a day in the future", when()),
            number.then(|| "a number from 1e11 on is read as milliseconds: was it meant as seconds?".into()),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_literals_read_as_parse_reads_them() {
        for len in 1..=15 {
            for fill in [b'0', b'1', b'5', b'9'] {
                for first in [b'1', b'9'] {
                    let mut text = vec![fill; len];
                    text[0] = first;
                    text[len - 1] = b'7';
                    let text = String::from_utf8(text).unwrap();
                    assert_eq!(integer_literal(&text), text.parse().ok(), "{text}");
                }
            }
        }
        for text in ["1700000000123", "99999999999", "0", "", "1234567890123456", "12.5", "-5", "1e3", "12345678x"] {
            let expected = (text.len() <= 15).then(|| text.parse().ok()).flatten();
            assert_eq!(integer_literal(text), expected, "{text}");
        }
    }
}

//! What each property type accepts. A type is a statement about the text
//! the API stores: a string as it is, a number as it was written, a bool as
//! `true` or `false`. So `12` and `"12"` are the same integer, and `"12.00"`
//! is a number but not an integer.

use crate::model::PropertyType;

/// An optional `-` and digits, without leading zeros.
///
/// ```
/// use indicative_plan_model::values::is_integer_text;
/// assert!(is_integer_text("12") && is_integer_text("-3") && is_integer_text("0"));
/// assert!(!is_integer_text("12.0") && !is_integer_text("012") && !is_integer_text("+1") && !is_integer_text("-"));
/// ```
#[must_use]
pub fn is_integer_text(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) && (digits == "0" || !digits.starts_with('0'))
}

/// A JSON number literal (RFC 8259): `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
///
/// ```
/// use indicative_plan_model::values::is_number_text;
/// assert!(is_number_text("12.50") && is_number_text("-1e3") && is_number_text("0.5E-2"));
/// assert!(!is_number_text(".5") && !is_number_text("12,50") && !is_number_text("NaN") && !is_number_text("1."));
/// ```
#[must_use]
pub fn is_number_text(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let start = i;
    match digits(&mut i) {
        0 => return false,
        n if n > 1 && bytes[start] == b'0' => return false,
        _ => {}
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

/// `true` or `false`, exactly.
#[must_use]
pub fn is_boolean_text(text: &str) -> bool {
    matches!(text, "true" | "false")
}

/// An RFC 3339 date-time with an offset (`T` or `t`, `Z` or `z` or
/// `±hh:mm`, optional fraction), on a real calendar day and clock time.
/// A leap second (`:60`) is accepted where RFC 3339 and JSON Schema's
/// `date-time` format put one: at 23:59 UTC, the offset applied.
///
/// ```
/// use indicative_plan_model::values::is_datetime_text;
/// assert!(is_datetime_text("2024-05-01T10:00:00Z") && is_datetime_text("2024-02-29t23:59:59.125+02:00"));
/// assert!(is_datetime_text("2016-12-31T23:59:60Z") && is_datetime_text("2017-01-01T01:59:60+02:00"));
/// assert!(!is_datetime_text("2016-12-31T22:59:60Z"));
/// assert!(!is_datetime_text("2024-05-01") && !is_datetime_text("2023-02-29T00:00:00Z"));
/// assert!(!is_datetime_text("2024-05-01T10:00:00") && !is_datetime_text("2024-05-01 10:00:00Z"));
/// ```
#[must_use]
pub fn is_datetime_text(text: &str) -> bool {
    let b = text.as_bytes();
    let two = |i: usize| -> Option<u32> {
        let (x, y) = (*b.get(i)?, *b.get(i + 1)?);
        (x.is_ascii_digit() && y.is_ascii_digit()).then(|| u32::from(x - b'0') * 10 + u32::from(y - b'0'))
    };
    let (Some(c), Some(y), Some(month), Some(day)) = (two(0), two(2), two(5), two(8)) else { return false };
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (two(11), two(14), two(17)) else { return false };
    let year = i16::try_from(c * 100 + y).unwrap_or(-1);
    let real_day = u8::try_from(month).ok().zip(u8::try_from(day).ok()).is_some_and(|(m, d)| {
        jiff::civil::Date::new(year, i8::try_from(m).unwrap_or(0), i8::try_from(d).unwrap_or(0)).is_ok()
    });
    if !real_day || hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    // The offset east of UTC, in minutes.
    let offset: i64 = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(&sign @ (b'+' | b'-')) if i + 6 == b.len() && b[i + 3] == b':' => {
            match (two(i + 1).filter(|h| *h <= 23), two(i + 4).filter(|m| *m <= 59)) {
                (Some(h), Some(m)) => i64::from(h * 60 + m) * if sign == b'-' { -1 } else { 1 },
                _ => return false,
            }
        }
        _ => return false,
    };
    // A leap second ends a UTC day.
    second < 60 || (i64::from(hour * 60 + minute) - offset).rem_euclid(1440) == 23 * 60 + 59
}

/// Whether `text` is of type `kind` (for `enum`, only that it is text:
/// its values are checked apart).
///
/// ```
/// use indicative_plan_model::{PropertyType, values::is_of_type};
/// assert!(is_of_type(PropertyType::Integer, "12"));
/// assert!(!is_of_type(PropertyType::Number, "$12"));
/// ```
#[must_use]
pub fn is_of_type(kind: PropertyType, text: &str) -> bool {
    match kind {
        PropertyType::String | PropertyType::Enum => true,
        PropertyType::Integer => is_integer_text(text),
        PropertyType::Number => is_number_text(text),
        PropertyType::Boolean => is_boolean_text(text),
        PropertyType::Datetime => is_datetime_text(text),
    }
}

/// A regular expression for JSON Schema `pattern`, equivalent to
/// [`is_of_type`] on text without a line feed (`None` for any text). ECMA-262
/// and Rust's `regex` read `$` as the end of the text; Python's `re` also
/// lets it match before a final line feed, so an exported schema pairs
/// these patterns with `"not": {"pattern": "\n"}`. The calendar (no
/// 2023-02-29) is beyond a pattern.
///
/// ```
/// let pattern = indicative_plan_model::values::type_pattern(indicative_plan_model::PropertyType::Integer).unwrap();
/// let re = regex::Regex::new(pattern).unwrap();
/// assert!(re.is_match("-12") && !re.is_match("012") && !re.is_match("1.5"));
/// ```
#[must_use]
pub fn type_pattern(kind: PropertyType) -> Option<&'static str> {
    match kind {
        PropertyType::String | PropertyType::Enum => None,
        PropertyType::Integer => Some("^-?(0|[1-9][0-9]*)$"),
        PropertyType::Number => Some("^-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?$"),
        PropertyType::Boolean => Some("^(true|false)$"),
        PropertyType::Datetime => Some(
            "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]+)?([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$",
        ),
    }
}

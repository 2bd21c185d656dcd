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

/// A number's text read for an exact comparison: its sign, its digits
/// (the whole part's and the fraction's, one after the other) from its
/// first significant digit to its last, and the power of ten of its last.
struct Decimal<'a> {
    negative: bool,
    whole: &'a [u8],
    fraction: &'a [u8],
    /// The significant digits are `start..end` of whole then fraction.
    start: usize,
    end: usize,
    scale: i64,
}

impl Decimal<'_> {
    fn digit(&self, at: usize) -> u8 {
        if at < self.whole.len() { self.whole[at] } else { self.fraction[at - self.whole.len()] }
    }

    fn sign(&self) -> i8 {
        match (self.start == self.end, self.negative) {
            (true, _) => 0,
            (false, true) => -1,
            (false, false) => 1,
        }
    }

    /// The power of ten just above the first significant digit.
    fn top(&self) -> i64 {
        i64::try_from(self.end - self.start).unwrap_or(i64::MAX).saturating_add(self.scale)
    }
}

fn decimal(text: &str) -> Option<Decimal<'_>> {
    if !is_number_text(text) {
        return None;
    }
    let (negative, rest) = text.strip_prefix('-').map_or((false, text), |r| (true, r));
    // Past any exponent a number can be compared with, the same.
    const FAR: i64 = 1 << 40;
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => {
            let written = &rest[at + 1..];
            let far = if written.starts_with('-') { -FAR } else { FAR };
            (&rest[..at], written.parse::<i64>().unwrap_or(far).clamp(-FAR, FAR))
        }
        None => (rest, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let (whole, fraction) = (whole.as_bytes(), fraction.as_bytes());
    let all = whole.len() + fraction.len();
    let digit = |at: usize| if at < whole.len() { whole[at] } else { fraction[at - whole.len()] };
    let start = (0..all).find(|&at| digit(at) != b'0').unwrap_or(all);
    let end = (start..all).rev().find(|&at| digit(at) != b'0').map_or(start, |at| at + 1);
    let trailing = i64::try_from(all - end).ok()?;
    let scale = exponent - i64::try_from(fraction.len()).ok()? + trailing;
    Some(Decimal { negative, whole, fraction, start, end, scale })
}

/// Compares two numbers' texts (JSON's grammar) exactly, as decimals: no
/// rounding to a float, so `10.0000000000000000001` is above `10`, and
/// `9007199254740993` above `9007199254740992`. `None` when either is not
/// a number's text.
///
/// ```
/// use std::cmp::Ordering;
/// use indicative_plan_model::values::compare_numbers;
/// assert_eq!(compare_numbers("10.0000000000000000001", "10"), Some(Ordering::Greater));
/// assert_eq!(compare_numbers("1.50", "15e-1"), Some(Ordering::Equal));
/// assert_eq!(compare_numbers("-0", "0"), Some(Ordering::Equal));
/// assert_eq!(compare_numbers("-2", "-10"), Some(Ordering::Greater));
/// assert_eq!(compare_numbers("x", "1"), None);
/// ```
#[must_use]
pub fn compare_numbers(a: &str, b: &str) -> Option<std::cmp::Ordering> {
    let (a, b) = (decimal(a)?, decimal(b)?);
    let (sa, sb) = (a.sign(), b.sign());
    if sa != sb || sa == 0 {
        return Some(sa.cmp(&sb));
    }
    // Magnitudes: where the first digit stands, then the digits (the
    // shorter run read on as zeros).
    let mut magnitude = a.top().cmp(&b.top());
    if magnitude.is_eq() {
        let (la, lb) = (a.end - a.start, b.end - b.start);
        magnitude = (0..la.max(lb))
            .map(|k| {
                let da = if k < la { a.digit(a.start + k) } else { b'0' };
                let db = if k < lb { b.digit(b.start + k) } else { b'0' };
                da.cmp(&db)
            })
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal);
    }
    Some(if sa < 0 { magnitude.reverse() } else { magnitude })
}

/// Whether `value` holds the number `text` exactly (a plan's bounds are
/// floats: `9007199254740993` is read as `9007199254740992`, and `0.1` as
/// itself, the float nearest to it written back the same).
///
/// ```
/// use indicative_plan_model::values::holds_exactly;
/// assert!(holds_exactly("0.1", 0.1) && holds_exactly("1e3", 1000.0));
/// assert!(!holds_exactly("9007199254740993", 9007199254740993.0));
/// ```
#[must_use]
pub fn holds_exactly(text: &str, value: f64) -> bool {
    compare_numbers(text, &value.to_string()) == Some(std::cmp::Ordering::Equal)
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

#[cfg(test)]
mod tests {
    use super::compare_numbers;
    use std::cmp::Ordering;

    /// Numbers in increasing order, each written several ways: every pair
    /// compares as its place in the list says.
    #[test]
    fn numbers_compare_exactly() {
        let ordered: [&[&str]; 12] = [
            &["-1e400", "-1E+400"],
            &["-9007199254740993"],
            &["-9007199254740992", "-9.007199254740992e15"],
            &["-10", "-1e1", "-10.000", "-0.1e2"],
            &["-0.5", "-5e-1", "-50E-2"],
            &["0", "-0", "0.000", "0e10", "-0.0e-5"],
            &["1e-400"],
            &["0.1", "1e-1", "0.10", "10e-2"],
            &["10", "1e1", "10.0", "100e-1", "1.0E1"],
            &["10.0000000000000000001"],
            &["9007199254740992", "9.007199254740992E15"],
            &["9007199254740993", "9007199254740993.000"],
        ];
        for (i, a_forms) in ordered.iter().enumerate() {
            for (j, b_forms) in ordered.iter().enumerate() {
                for a in *a_forms {
                    for b in *b_forms {
                        assert_eq!(compare_numbers(a, b), Some(i.cmp(&j)), "{a} vs {b}");
                    }
                }
            }
        }
        assert_eq!(compare_numbers("1", "1."), None);
        assert_eq!(compare_numbers("12", "12"), Some(Ordering::Equal));
    }
}

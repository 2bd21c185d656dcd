//! `eventTime`: every form of docs/contract.md, read one way for the typed model
//! and the lint engine alike.

use std::fmt;

use jiff::civil::{DateTime, Time};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use serde_core::de::{self, Deserializer, Visitor};
use serde_core::{Deserialize, Serialize, Serializer};

use crate::error::ContractError;
use crate::limits::{MAX_EVENT_TIME_MILLIS, SECONDS_MILLIS_THRESHOLD};
use crate::rule::Rule;

/// Why a value is not a valid `eventTime`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TimeProblem {
    /// Before 1970 (`negative-event-time`).
    Negative,
    /// After 9999-12-31T23:59:59.999Z (`invalid-event-time`).
    TooLate,
    /// Not a number, a decimal string or an ISO 8601 form we read, or an
    /// impossible date (`invalid-event-time`); the text says why.
    Unreadable(String),
}

impl TimeProblem {
    pub(crate) const fn rule(&self) -> Rule {
        match self {
            Self::Negative => Rule::NegativeEventTime,
            Self::TooLate | Self::Unreadable(_) => Rule::InvalidEventTime,
        }
    }

    pub(crate) fn message(&self, shown: &str) -> String {
        match self {
            Self::Negative => format!("eventTime {shown} is before 1970-01-01T00:00:00Z; the API rejects it"),
            Self::TooLate => format!("eventTime {shown} is after 9999-12-31T23:59:59.999Z"),
            Self::Unreadable(why) => format!("eventTime {shown} cannot be read: {why}"),
        }
    }

    fn into_error(self, shown: &str) -> ContractError {
        ContractError::new(self.rule(), self.message(shown))
    }
}

/// What was read from a string `eventTime`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TextReading {
    pub(crate) millis: i64,
    /// A decimal string such as `"1532217837886"`, read as a number.
    pub(crate) decimal: bool,
    /// A decimal string with a fraction.
    pub(crate) fractional: bool,
    /// An ISO date-time with a time but no offset (UTC is a guess).
    pub(crate) without_offset: bool,
}

/// Reads a JSON number: seconds below 1e11, milliseconds from there on.
pub(crate) fn number_to_millis(value: f64) -> Result<i64, TimeProblem> {
    if value < 0.0 {
        return Err(TimeProblem::Negative);
    }
    if !value.is_finite() {
        return Err(TimeProblem::TooLate);
    }
    let millis = if value < SECONDS_MILLIS_THRESHOLD { value * 1000.0 } else { value };
    // Fractions within the last millisecond are still in range.
    #[allow(clippy::cast_precision_loss)]
    if millis >= (MAX_EVENT_TIME_MILLIS + 1) as f64 {
        return Err(TimeProblem::TooLate);
    }
    // In range, so the cast neither saturates nor wraps.
    #[allow(clippy::cast_possible_truncation)]
    Ok(millis.floor() as i64)
}

/// [`number_to_millis`] for a non-negative integer, without floating point
/// (exact where `f64` is: below 2^53).
#[cfg(feature = "lint")]
pub(crate) fn integer_to_millis(value: u64) -> Result<i64, TimeProblem> {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let threshold = SECONDS_MILLIS_THRESHOLD as u64;
    let millis = if value < threshold { value.saturating_mul(1000) } else { value };
    i64::try_from(millis).ok().filter(|&m| m <= MAX_EVENT_TIME_MILLIS).ok_or(TimeProblem::TooLate)
}

/// Whether `text` is a decimal number as a string: `-?digits(.digits)?`.
pub(crate) fn is_decimal_string(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (int, frac) = digits.split_once('.').unwrap_or((digits, "0"));
    !int.is_empty()
        && !frac.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.bytes().all(|b| b.is_ascii_digit())
}

/// The ISO 8601 forms an `eventTime` string may take (docs/contract.md): an RFC
/// 3339 date-time, a date alone, or a date-time without offset, with at most
/// nine fractional digits. The generated JSON Schema states this pattern; the
/// engine checks the same syntax, then the calendar and
/// the 1970 to 9999 range, which a pattern cannot.
pub const EVENT_TIME_ISO_PATTERN: &str = concat!(
    "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])",
    "([Tt ]([01][0-9]|2[0-3]):[0-5][0-9]:([0-5][0-9]|60)(\\.[0-9]{1,9})?",
    "([Zz]|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?)?$",
);

/// Whether `text` has the syntax of [`EVENT_TIME_ISO_PATTERN`].
pub(crate) fn iso_syntax(text: &str) -> bool {
    fn digits(b: &[u8], range: std::ops::Range<usize>) -> bool {
        b.get(range).is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    }
    /// Two digits from `lo` to `hi` at `at`.
    fn two(b: &[u8], at: usize, lo: u8, hi: u8) -> bool {
        digits(b, at..at + 2) && (lo..=hi).contains(&((b[at] - b'0') * 10 + (b[at + 1] - b'0')))
    }
    let b = text.as_bytes();
    let date =
        digits(b, 0..4) && b.get(4) == Some(&b'-') && two(b, 5, 1, 12) && b.get(7) == Some(&b'-') && two(b, 8, 1, 31);
    if !date {
        return false;
    }
    if b.len() == 10 {
        return true;
    }
    let time = matches!(b.get(10), Some(b'T' | b't' | b' '))
        && two(b, 11, 0, 23)
        && b.get(13) == Some(&b':')
        && two(b, 14, 0, 59)
        && b.get(16) == Some(&b':')
        && two(b, 17, 0, 60);
    if !time {
        return false;
    }
    let mut at = 19;
    if b.get(at) == Some(&b'.') {
        let n = b[at + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&n) {
            return false;
        }
        at += 1 + n;
    }
    match b.get(at) {
        None => true,
        Some(b'Z' | b'z') => at + 1 == b.len(),
        Some(b'+' | b'-') => at + 6 == b.len() && two(b, at + 1, 0, 23) && b[at + 3] == b':' && two(b, at + 4, 0, 59),
        Some(_) => false,
    }
}

/// Reads a string `eventTime`: a decimal string, or an ISO 8601 form.
pub(crate) fn text_to_millis(text: &str) -> Result<TextReading, TimeProblem> {
    if is_decimal_string(text) {
        let value: f64 = text.parse().map_err(|_| TimeProblem::Unreadable("not a number".into()))?;
        let millis = number_to_millis(value)?;
        return Ok(TextReading { millis, decimal: true, fractional: value.fract() != 0.0, without_offset: false });
    }
    if !iso_syntax(text) {
        return Err(TimeProblem::Unreadable(iso_reason(text)));
    }
    let pieces =
        Pieces::parse(text).map_err(|e| TimeProblem::Unreadable(format!("an impossible date or time ({e})")))?;
    let (time, without_offset) = match pieces.time() {
        Some(time) => (time, pieces.offset().is_none()),
        None => (Time::midnight(), false),
    };
    let offset_seconds = match pieces.offset() {
        Some(PiecesOffset::Numeric(offset)) => i64::from(offset.offset().seconds()),
        Some(PiecesOffset::Zulu) | None => 0,
        Some(_) => return Err(TimeProblem::Unreadable("unsupported offset".into())),
    };
    // jiff's `Timestamp` stops short of the year 9999's last day (it keeps
    // room for offsets), so the instant is computed from the civil parts.
    let civil = DateTime::from_parts(pieces.date(), time);
    // In nanoseconds, so that an instant less than a millisecond before
    // 1970 is negative however its offset is written.
    let nanos = civil.duration_since(DateTime::constant(1970, 1, 1, 0, 0, 0, 0)).as_nanos()
        - i128::from(offset_seconds) * 1_000_000_000;
    if nanos < 0 {
        return Err(TimeProblem::Negative);
    }
    let since_epoch = nanos / 1_000_000;
    if since_epoch > i128::from(MAX_EVENT_TIME_MILLIS) {
        return Err(TimeProblem::TooLate);
    }
    let millis = i64::try_from(since_epoch).map_err(|_| TimeProblem::TooLate)?;
    Ok(TextReading { millis, decimal: false, fractional: false, without_offset })
}

fn iso_reason(text: &str) -> String {
    // Digits with something after them (a space, a unit): neither a number
    // nor a date.
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 8 && text[digits..].starts_with(['T', 't']) {
        return "the basic ISO 8601 form (20240501T100000Z) is not read: write 2024-05-01T10:00:00Z".into();
    }
    if digits > 4 && !text[digits..].starts_with('-') {
        return format!("digits followed by {:?}: a Unix time is digits alone", excerpt_of(&text[digits..]));
    }
    // A five-digit year is the common way to go past 9999; say so plainly.
    if digits > 4 {
        return "years past 9999 are out of range".into();
    }
    "not a Unix time, nor an ISO 8601 date (2024-05-01), date-time (2024-05-01T10:00:00Z, \
     with an optional fraction and offset) or date-time without offset"
        .into()
}

/// At most 16 characters of `text`, for a message.
fn excerpt_of(text: &str) -> String {
    match text.char_indices().nth(16) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// How the time is written on the wire.
#[derive(Debug, Clone, PartialEq)]
enum Wire {
    Integer(i64),
    Float(f64),
    Iso(Box<str>),
}

/// The time an event occurred: a Unix time in seconds or milliseconds, or an
/// ISO 8601 string, always between 1970 and the end of 9999.
///
/// It keeps the form it was given in, so that it serializes as written, and
/// converts to UTC milliseconds with [`unix_millis`](Self::unix_millis).
///
/// ```
/// use indicative_contract::EventTime;
/// let secs = EventTime::from_number(1_532_217_837.0)?;
/// let millis = EventTime::from_number(1_532_217_837_886.0)?;
/// let iso = EventTime::parse("2018-07-22T00:03:57.886Z")?;
/// assert_eq!(secs.unix_millis(), 1_532_217_837_000);
/// assert_eq!(millis.unix_millis(), iso.unix_millis());
/// assert_eq!(EventTime::from_number(-1.0).unwrap_err().rule().code(), "negative-event-time");
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct EventTime {
    millis: i64,
    wire: Wire,
}

impl EventTime {
    /// A JSON number as the API reads it: seconds below 1e11, milliseconds
    /// from there on. Fractions are kept.
    ///
    /// # Errors
    ///
    /// `negative-event-time` below zero; `invalid-event-time` past the year 9999.
    ///
    /// ```
    /// use indicative_contract::EventTime;
    /// assert_eq!(EventTime::from_number(99_999_999_999.0)?.unix_millis(), 99_999_999_999_000);
    /// assert_eq!(EventTime::from_number(100_000_000_000.0)?.unix_millis(), 100_000_000_000);
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn from_number(value: f64) -> Result<Self, ContractError> {
        let millis = number_to_millis(value).map_err(|p| p.into_error(&value.to_string()))?;
        let wire = if value.fract() == 0.0 && value.abs() < 9.0e15 {
            #[allow(clippy::cast_possible_truncation)]
            Wire::Integer(value as i64)
        } else {
            Wire::Float(value)
        };
        Ok(Self { millis, wire })
    }

    /// An instant in Unix milliseconds. Written as a millisecond number, or,
    /// before 1973-03-03 (where a number would be read as seconds), as an
    /// RFC 3339 string.
    ///
    /// # Errors
    ///
    /// `negative-event-time` below zero; `invalid-event-time` past the year 9999.
    ///
    /// ```
    /// use indicative_contract::EventTime;
    /// let early = EventTime::from_unix_millis(5_000)?;
    /// assert_eq!(serde_json::to_string(&early).unwrap(), r#""1970-01-01T00:00:05Z""#);
    /// assert_eq!(early.unix_millis(), 5_000);
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn from_unix_millis(millis: i64) -> Result<Self, ContractError> {
        if millis < 0 {
            return Err(TimeProblem::Negative.into_error(&format!("{millis} ms")));
        }
        if millis > MAX_EVENT_TIME_MILLIS {
            return Err(TimeProblem::TooLate.into_error(&format!("{millis} ms")));
        }
        #[allow(clippy::cast_precision_loss)]
        let wire = if (millis as f64) < SECONDS_MILLIS_THRESHOLD {
            let ts = jiff::Timestamp::from_millisecond(millis)
                .map_err(|e| ContractError::new(Rule::InvalidEventTime, e.to_string()))?;
            Wire::Iso(ts.to_string().into_boxed_str())
        } else {
            Wire::Integer(millis)
        };
        Ok(Self { millis, wire })
    }

    /// An instant in Unix seconds, written as a number the API reads as seconds
    /// (or as milliseconds, for seconds past the 1e11 threshold).
    ///
    /// # Errors
    ///
    /// `negative-event-time` below zero; `invalid-event-time` past the year 9999.
    ///
    /// ```
    /// use indicative_contract::EventTime;
    /// assert_eq!(EventTime::from_unix_seconds(1_700_000_000)?.unix_millis(), 1_700_000_000_000);
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn from_unix_seconds(seconds: i64) -> Result<Self, ContractError> {
        Self::from_unix_millis(seconds.saturating_mul(1000))
    }

    /// An ISO 8601 string: any RFC 3339 date-time, a date alone (midnight
    /// UTC), or a date-time without offset (UTC assumed). Calendar validity is
    /// checked. Decimal strings are refused: write numbers as numbers.
    ///
    /// # Errors
    ///
    /// `event-time-string-number` for a decimal string, and the errors of
    /// [`from_number`](Self::from_number) and unreadable text.
    ///
    /// ```
    /// use indicative_contract::EventTime;
    /// assert_eq!(EventTime::parse("2024-02-29")?.unix_millis(), 1_709_164_800_000);
    /// assert!(EventTime::parse("2023-02-29").is_err());
    /// assert!(EventTime::parse("9999-12-31T23:59:59.999Z").is_ok());
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Self, ContractError> {
        if is_decimal_string(text) {
            return Err(ContractError::new(
                Rule::EventTimeStringNumber,
                format!("eventTime {text:?} is a number written as a string; send it as a JSON number"),
            ));
        }
        let reading = text_to_millis(text).map_err(|p| p.into_error(&format!("{text:?}")))?;
        Ok(Self { millis: reading.millis, wire: Wire::Iso(text.into()) })
    }

    /// An instant from `jiff`.
    ///
    /// # Errors
    ///
    /// `negative-event-time` before 1970, even by less than a millisecond.
    ///
    /// ```
    /// use indicative_contract::EventTime;
    /// let ts: jiff::Timestamp = "2024-05-01T00:00:00Z".parse().unwrap();
    /// assert_eq!(EventTime::from_timestamp(ts)?.unix_millis(), 1_714_521_600_000);
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn from_timestamp(timestamp: jiff::Timestamp) -> Result<Self, ContractError> {
        // `as_millisecond` rounds toward zero: the last millisecond before
        // 1970 would read as 1970 itself.
        if timestamp < jiff::Timestamp::UNIX_EPOCH {
            return Err(TimeProblem::Negative.into_error(&timestamp.to_string()));
        }
        Self::from_unix_millis(timestamp.as_millisecond())
    }

    /// The instant as RFC 3339 in UTC, to the millisecond, as `jiff` writes
    /// a `Timestamp` (`2024-05-01T00:00:00.25Z`), for every time an
    /// `EventTime` holds: through the civil date-time, since `jiff`'s
    /// `Timestamp` stops short of the year 9999's last day.
    pub(crate) fn rfc3339_utc(&self) -> String {
        let epoch = DateTime::constant(1970, 1, 1, 0, 0, 0, 0);
        // In range (0 to the end of 9999), so it saturates nowhere.
        format!("{}Z", epoch.saturating_add(jiff::SignedDuration::from_millis(self.millis)))
    }

    /// The instant in UTC milliseconds since 1970 (fractions of a millisecond
    /// are dropped).
    ///
    /// ```
    /// use indicative_contract::EventTime;
    /// assert_eq!(EventTime::from_number(1.5).unwrap().unix_millis(), 1_500);
    /// ```
    #[must_use]
    pub const fn unix_millis(&self) -> i64 {
        self.millis
    }
}

impl fmt::Display for EventTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.wire {
            Wire::Integer(n) => write!(f, "{n}"),
            Wire::Float(n) => write!(f, "{n}"),
            Wire::Iso(text) => f.write_str(text),
        }
    }
}

impl Serialize for EventTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.wire {
            Wire::Integer(n) => serializer.serialize_i64(*n),
            Wire::Float(n) => serializer.serialize_f64(*n),
            Wire::Iso(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> Deserialize<'de> for EventTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TimeVisitor;
        impl Visitor<'_> for TimeVisitor {
            type Value = EventTime;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a Unix time in seconds or milliseconds, or an ISO 8601 string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<EventTime, E> {
                #[allow(clippy::cast_precision_loss)]
                let value = v as f64;
                let millis = number_to_millis(value).map_err(|p| E::custom(p.message(&v.to_string())))?;
                Ok(EventTime { millis, wire: Wire::Integer(v) })
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<EventTime, E> {
                let v = i64::try_from(v).map_err(|_| E::custom(TimeProblem::TooLate.message(&v.to_string())))?;
                self.visit_i64(v)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<EventTime, E> {
                EventTime::from_number(v).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<EventTime, E> {
                EventTime::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(TimeVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "lint")]
    fn integers_read_as_numbers_are() {
        let max = MAX_EVENT_TIME_MILLIS as u64;
        let edges =
            [0, 1, 999, 1_700_000_000, 99_999_999_999, 100_000_000_000, 1_700_000_000_123, max - 1, max, max + 1];
        for value in edges.into_iter().chain([999_999_999_999_999, (1 << 53) - 1]) {
            #[allow(clippy::cast_precision_loss)]
            let as_number = number_to_millis(value as f64);
            assert_eq!(integer_to_millis(value), as_number, "{value}");
        }
    }

    #[test]
    fn threshold_between_seconds_and_millis() {
        assert_eq!(number_to_millis(99_999_999_999.0), Ok(99_999_999_999_000));
        assert_eq!(number_to_millis(100_000_000_000.0), Ok(100_000_000_000));
        assert_eq!(number_to_millis(0.0), Ok(0));
        assert_eq!(number_to_millis(-0.0), Ok(0));
        assert_eq!(number_to_millis(-1.0), Err(TimeProblem::Negative));
        assert_eq!(number_to_millis(-0.001), Err(TimeProblem::Negative));
        assert_eq!(number_to_millis(253_402_300_799_999.0), Ok(MAX_EVENT_TIME_MILLIS));
        assert_eq!(number_to_millis(253_402_300_799_999.5), Ok(MAX_EVENT_TIME_MILLIS));
        assert_eq!(number_to_millis(253_402_300_800_000.0), Err(TimeProblem::TooLate));
        assert_eq!(number_to_millis(f64::INFINITY), Err(TimeProblem::TooLate));
    }

    #[test]
    fn iso_limits_and_calendar() {
        let ok = |s: &str| text_to_millis(s).map(|r| r.millis);
        assert_eq!(ok("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(ok("1969-12-31T23:59:59.999Z"), Err(TimeProblem::Negative));
        // Less than a millisecond before, however the offset is written.
        assert_eq!(ok("1969-12-31T23:59:59.9999Z"), Err(TimeProblem::Negative));
        assert_eq!(ok("1970-01-01T00:59:59.9999+01:00"), Err(TimeProblem::Negative));
        assert_eq!(ok("1970-01-01T00:00:00.0009Z"), Ok(0));
        assert_eq!(ok("1970-01-01T00:30:00+01:00"), Err(TimeProblem::Negative));
        assert_eq!(ok("9999-12-31T23:59:59.999Z"), Ok(MAX_EVENT_TIME_MILLIS));
        assert_eq!(ok("9999-12-31T23:59:59.999-00:01"), Err(TimeProblem::TooLate));
        assert!(matches!(ok("10000-01-01T00:00:00Z"), Err(TimeProblem::Unreadable(_))));
        assert!(matches!(ok("2023-02-29"), Err(TimeProblem::Unreadable(_))));
        assert_eq!(ok("2024-02-29"), Ok(1_709_164_800_000));
        assert!(matches!(ok("yesterday"), Err(TimeProblem::Unreadable(_))));
        assert!(matches!(ok(""), Err(TimeProblem::Unreadable(_))));
        assert!(matches!(ok("2024-05-01T10:00:00Z trailing"), Err(TimeProblem::Unreadable(_))));
    }

    #[test]
    fn iso_syntax_is_the_contracts_forms_only() {
        for ok in [
            "2024-05-01",
            "2024-05-01T10:00:00Z",
            "2024-05-01t10:00:00z",
            "2024-05-01 10:00:00+05:30",
            "2024-05-01T10:00:00.123456789-00:00",
            "2024-05-01T23:59:60Z",
            "2024-05-01T10:00:00",
            "2023-02-31",
        ] {
            assert!(iso_syntax(ok), "{ok}");
        }
        for bad in [
            "20240501T100000Z",
            "2024-05-01T10Z",
            "2024-05-01T10:00Z",
            "2024-05-01T10:00:00Z[UTC]",
            "2024-05-01T24:00:00Z",
            "2024-13-01",
            "2024-05-00",
            "2024-05-01T10:00:00.1234567890Z",
            "2024-05-01T10:00:00.Z",
            "2024-05-01T10:00:00+0530",
            "+002024-05-01",
            "2024-05-01T10:00:00Zx",
            "",
        ] {
            assert!(!iso_syntax(bad), "{bad}");
        }
    }

    #[test]
    fn notes_what_the_text_was() {
        let reading = text_to_millis("2024-05-01T10:00:00").unwrap();
        assert!(reading.without_offset && !reading.decimal);
        assert!(!text_to_millis("2024-05-01").unwrap().without_offset);
        let reading = text_to_millis("1532217837886").unwrap();
        assert!(reading.decimal && !reading.fractional);
        assert_eq!(reading.millis, 1_532_217_837_886);
        assert!(text_to_millis("1532217837.5").unwrap().fractional);
        assert_eq!(text_to_millis("-5"), Err(TimeProblem::Negative));
        assert!(
            !is_decimal_string("1e5")
                && !is_decimal_string("1.")
                && !is_decimal_string("-")
                && !is_decimal_string(".5")
        );
    }

    #[test]
    fn a_timestamp_before_1970_is_negative_by_any_fraction() {
        for text in ["1969-12-31T23:59:59.9995Z", "1969-12-31T23:59:59.999999999Z", "1969-12-31T23:59:59.999Z"] {
            let ts: jiff::Timestamp = text.parse().unwrap();
            let error = EventTime::from_timestamp(ts).unwrap_err();
            assert_eq!(error.rule(), Rule::NegativeEventTime, "{text}");
            assert!(error.message().contains(text), "{error}");
        }
        let epoch = EventTime::from_timestamp(jiff::Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(epoch.unix_millis(), 0);
        let ts: jiff::Timestamp = "1970-01-01T00:00:00.0009Z".parse().unwrap();
        assert_eq!(EventTime::from_timestamp(ts).unwrap().unix_millis(), 0);
        let ts: jiff::Timestamp = "2024-05-01T00:00:00.2509Z".parse().unwrap();
        assert_eq!(EventTime::from_timestamp(ts).unwrap().unix_millis(), 1_714_521_600_250);
    }

    #[test]
    fn rfc3339_text_for_every_time_held() {
        let text = |millis| EventTime::from_unix_millis(millis).unwrap().rfc3339_utc();
        assert_eq!(text(0), "1970-01-01T00:00:00Z");
        assert_eq!(text(1_714_521_600_250), "2024-05-01T00:00:00.25Z");
        assert_eq!(text(1_709_164_800_005), "2024-02-29T00:00:00.005Z");
        // Past jiff's `Timestamp::MAX` (9999-12-30T22:00:00.999999999Z).
        assert_eq!(text(MAX_EVENT_TIME_MILLIS), "9999-12-31T23:59:59.999Z");
        assert_eq!(text(253_402_293_601_000), "9999-12-31T22:00:01Z");
        // As jiff writes a `Timestamp`, where it can (`from_millisecond`
        // stops at 9999-12-30T22:00:00Z).
        let max = 253_402_207_200_000;
        for millis in [1, 999, 86_399_999, 951_782_400_000, 4_107_542_400_100, 1_700_000_000_120, max - 1, max] {
            let ts = jiff::Timestamp::from_millisecond(millis).unwrap();
            assert_eq!(text(millis), ts.to_string(), "{millis}");
            assert_eq!(EventTime::parse(&text(millis)).unwrap().unix_millis(), millis);
        }
    }

    #[test]
    fn serializes_as_given() {
        for json in ["1532217837886", "1532217837", "1532217837.5", r#""2018-07-22T00:03:57.886+00:00""#] {
            let time: EventTime = serde_json::from_str(json).unwrap();
            assert_eq!(serde_json::to_string(&time).unwrap(), json);
        }
        assert!(serde_json::from_str::<EventTime>(r#""1532217837886""#).is_err());
        assert!(serde_json::from_str::<EventTime>("true").is_err());
        assert!(serde_json::from_str::<EventTime>("-1").is_err());
    }
}

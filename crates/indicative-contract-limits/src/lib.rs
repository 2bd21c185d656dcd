//! The numbers of the contract and the one way lengths are counted.
//!
//! Every check of a length goes through this crate: the typed models and the
//! lint engine of `indicative-contract` at run time, its `const fn`
//! constructors and its derive macros at compile time, so that all of them
//! count the same way (docs/contract.md, "Lengths").

/// The longest name, id or GET property text the API accepts, in characters.
///
/// ```
/// assert_eq!(indicative_contract_limits::MAX_TEXT_CHARS, 255);
/// ```
pub const MAX_TEXT_CHARS: usize = 255;

/// A number of `eventTime` below this is seconds; from it on, milliseconds.
///
/// 1e11 seconds is the year 5138 and 1e11 milliseconds is 1973, so no
/// plausible time is ambiguous (docs/contract.md, "eventTime", decided).
///
/// ```
/// assert_eq!(indicative_contract_limits::SECONDS_MILLIS_THRESHOLD, 100_000_000_000.0);
/// ```
pub const SECONDS_MILLIS_THRESHOLD: f64 = 100_000_000_000.0;

/// 9999-12-31T23:59:59.999Z in Unix milliseconds: the latest valid `eventTime`.
///
/// ```
/// assert_eq!(indicative_contract_limits::MAX_EVENT_TIME_MILLIS, 253_402_300_799_999);
/// ```
pub const MAX_EVENT_TIME_MILLIS: i64 = 253_402_300_799_999;

/// 2000-01-01T00:00:00Z in Unix milliseconds: earlier times are warned as implausible.
///
/// ```
/// assert_eq!(indicative_contract_limits::PLAUSIBLE_SINCE_MILLIS, 946_684_800_000);
/// ```
pub const PLAUSIBLE_SINCE_MILLIS: i64 = 946_684_800_000;

/// How far after "now" an `eventTime` may be before it is warned as implausible.
///
/// ```
/// assert_eq!(indicative_contract_limits::PLAUSIBLE_FUTURE_MILLIS, 86_400_000);
/// ```
pub const PLAUSIBLE_FUTURE_MILLIS: i64 = 86_400_000;

/// The number of events per batch the reference recommends at most.
///
/// ```
/// assert_eq!(indicative_contract_limits::RECOMMENDED_BATCH_SIZE, 100);
/// ```
pub const RECOMMENDED_BATCH_SIZE: usize = 100;

/// Bodies larger than this (1 MiB) are warned about: batching clients keep
/// each request under it.
///
/// ```
/// assert_eq!(indicative_contract_limits::RECOMMENDED_BODY_BYTES, 1 << 20);
/// ```
pub const RECOMMENDED_BODY_BYTES: usize = 1 << 20;

/// The deepest nesting of arrays and objects the engine reads (decided: the
/// default of Jackson, the JSON library of the JVM servers such APIs run on).
///
/// ```
/// assert_eq!(indicative_contract_limits::MAX_DEPTH, 1000);
/// ```
pub const MAX_DEPTH: usize = 1000;

/// The longest number literal the engine reads, in bytes (decided: Jackson's
/// default, as for [`MAX_DEPTH`]).
///
/// ```
/// assert_eq!(indicative_contract_limits::MAX_NUMBER_BYTES, 1000);
/// ```
pub const MAX_NUMBER_BYTES: usize = 1000;

/// The largest body the engine reads by default (64 MiB); a larger one is
/// reported as `invalid-json` without being parsed.
///
/// ```
/// assert_eq!(indicative_contract_limits::DEFAULT_MAX_BODY_BYTES, 64 << 20);
/// ```
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 << 20;

/// The number of Unicode scalar values in `text` (what the contract limits),
/// in a `const` context too: every byte that is not a UTF-8 continuation
/// byte starts one.
///
/// ```
/// use indicative_contract_limits::char_count;
/// const N: usize = char_count("aé😀");
/// assert_eq!(N, 3);
/// ```
#[must_use]
pub const fn char_count(text: &str) -> usize {
    let bytes = text.as_bytes();
    let (mut i, mut chars) = (0, 0);
    while i < bytes.len() {
        if (bytes[i] & 0xC0) != 0x80 {
            chars += 1;
        }
        i += 1;
    }
    chars
}

/// Why a name or id breaks the "1 to 255 characters" rule.
///
/// ```
/// use indicative_contract_limits::{LengthProblem, name_length_problem};
/// assert_eq!(name_length_problem(""), Some(LengthProblem::Empty));
/// assert_eq!(name_length_problem(&"é".repeat(256)), Some(LengthProblem::TooLong { chars: 256 }));
/// assert_eq!(name_length_problem("Sign Up"), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LengthProblem {
    /// No character at all.
    Empty,
    /// More than [`MAX_TEXT_CHARS`] characters.
    TooLong {
        /// How many there are.
        chars: usize,
    },
}

/// The one check of "between 1 and 255 characters" (event names, unique ids,
/// GET properties; the derive macros hold property names to it too), usable
/// in `const` contexts.
///
/// ```
/// use indicative_contract_limits::name_length_problem;
/// const OK: bool = name_length_problem("Registration").is_none();
/// assert!(OK);
/// ```
#[must_use]
pub const fn name_length_problem(text: &str) -> Option<LengthProblem> {
    if text.is_empty() {
        return Some(LengthProblem::Empty);
    }
    // Only a text of more than 255 bytes can have more than 255 characters.
    if text.len() > MAX_TEXT_CHARS {
        let chars = char_count(text);
        if chars > MAX_TEXT_CHARS {
            return Some(LengthProblem::TooLong { chars });
        }
    }
    None
}

/// The length of a piece of text, counted both ways the contract cares about.
///
/// ```
/// use indicative_contract_limits::TextLength;
/// let len = TextLength::of("a😀");
/// assert_eq!((len.chars, len.utf16_units), (2, 3));
/// assert!(len.fits() && !len.utf16_overflows());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextLength {
    /// Unicode scalar values: what the contract limits (and JSON Schema's `maxLength` counts).
    pub chars: usize,
    /// UTF-16 code units: what a server counting Java `String.length()` would see.
    pub utf16_units: usize,
}

impl TextLength {
    /// Counts `text`.
    ///
    /// ```
    /// assert_eq!(indicative_contract_limits::TextLength::of("é").chars, 1);
    /// ```
    #[inline]
    #[must_use]
    pub fn of(text: &str) -> Self {
        // Counted on the bytes, which vectorizes: every byte that is not a
        // continuation byte starts a char, and every 4-byte lead byte starts
        // a char outside the BMP (two UTF-16 units).
        let astral = text.as_bytes().iter().filter(|&&b| b >= 0xF0).count();
        let chars = char_count(text);
        Self { chars, utf16_units: chars + astral }
    }

    /// Whether `text` may break a length limit: only a text of more than
    /// 255 bytes can be over 255 characters or 255 UTF-16 code units, so
    /// shorter ones need no counting.
    ///
    /// ```
    /// use indicative_contract_limits::TextLength;
    /// assert!(!TextLength::may_exceed(&"😀".repeat(63)));
    /// assert!(TextLength::may_exceed(&"😀".repeat(64)));
    /// ```
    #[inline]
    #[must_use]
    pub const fn may_exceed(text: &str) -> bool {
        text.len() > MAX_TEXT_CHARS
    }

    /// Whether the text is at most [`MAX_TEXT_CHARS`] characters long.
    ///
    /// ```
    /// assert!(!indicative_contract_limits::TextLength::of(&"x".repeat(256)).fits());
    /// ```
    #[inline]
    #[must_use]
    pub const fn fits(self) -> bool {
        self.chars <= MAX_TEXT_CHARS
    }

    /// Whether the text fits in characters but not in UTF-16 code units (the
    /// `utf16-length` warning).
    ///
    /// ```
    /// let text = "😀".repeat(200);
    /// assert!(indicative_contract_limits::TextLength::of(&text).utf16_overflows());
    /// ```
    #[inline]
    #[must_use]
    pub const fn utf16_overflows(self) -> bool {
        self.chars <= MAX_TEXT_CHARS && self.utf16_units > MAX_TEXT_CHARS
    }
}

/// The first [`MAX_TEXT_CHARS`] characters of `text`: what the server keeps of
/// a longer property value.
///
/// ```
/// let long = "é".repeat(300);
/// assert_eq!(indicative_contract_limits::truncate(&long).chars().count(), 255);
/// ```
#[must_use]
pub fn truncate(text: &str) -> &str {
    match text.char_indices().nth(MAX_TEXT_CHARS) {
        Some((at, _)) => &text[..at],
        None => text,
    }
}

/// Whether a name or id is blank or has white space at either end (the
/// `whitespace-name` warning). The empty string is not: it is `empty-field`.
///
/// ```
/// use indicative_contract_limits::has_edge_whitespace;
/// assert!(has_edge_whitespace(" signup") && has_edge_whitespace("   "));
/// assert!(!has_edge_whitespace("sign up") && !has_edge_whitespace(""));
/// ```
#[must_use]
pub fn has_edge_whitespace(text: &str) -> bool {
    // Printable ASCII at both ends settles it without decoding a char:
    // ASCII white space is at or below b' ', and other white space is not ASCII.
    let printable = |b: &u8| (b'!'..=b'~').contains(b);
    let bytes = text.as_bytes();
    if bytes.first().is_some_and(printable) && bytes.last().is_some_and(printable) {
        return false;
    }
    text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace)
}

/// Whether an API key is unusable: empty or only white space (`invalid-api-key`).
///
/// ```
/// use indicative_contract_limits::is_blank;
/// assert!(is_blank("") && is_blank(" \t"));
/// assert!(!is_blank("k"));
/// ```
#[must_use]
pub fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Shows at most the first four characters of an API key, then an ellipsis:
/// the only form in which a key appears in any message.
///
/// ```
/// use indicative_contract_limits::mask_api_key;
/// assert_eq!(mask_api_key("0123456789abcdef"), "0123…");
/// assert_eq!(mask_api_key("ab"), "ab…");
/// ```
#[must_use]
pub fn mask_api_key(key: &str) -> String {
    let shown: String = key.chars().take(4).collect();
    format!("{shown}…")
}

/// The primitive integer types: they fit a plan's `integer` and `number`.
const INTEGERS: [&str; 12] = ["i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize"];

/// The primitive floating-point and integer types: what fits a plan's `number`.
const NUMBERS: [&str; 14] = {
    let mut all = [""; 14];
    all[0] = "f32";
    all[1] = "f64";
    let mut i = 0;
    while i < INTEGERS.len() {
        all[i + 2] = INTEGERS[i];
        i += 1;
    }
    all
};

/// The standard types that fit each property type of a tracking plan
/// (`"string"`, `"integer"`, ...), named by the last segment of their path:
/// the primitive types, `String` and `str`, names that no one gives to a
/// type of their own or to an alias.
///
/// The derives, checked against a plan, judge a field whose type is spelled
/// so (alone, or in `Option`, `Box` or a reference, with no generic
/// arguments of its own) without asking the compiler, and write no check
/// for it: fewer tokens for rustc to read. Every other type (`EventTime`,
/// `jiff::Timestamp`, `PropertyValue` and every alias included) is checked
/// by its `FitsPlanType` impls in `indicative-contract`, whose tests hold
/// that each name here has them.
///
/// ```
/// use indicative_contract_limits::standard_types_of;
/// assert!(standard_types_of("number").contains(&"u32"));
/// assert!(!standard_types_of("integer").contains(&"f64"));
/// assert!(!standard_types_of("datetime").contains(&"Timestamp"));
/// assert!(standard_types_of("no such type").is_empty());
/// ```
#[must_use]
pub fn standard_types_of(plan_type: &str) -> &'static [&'static str] {
    match plan_type {
        "string" => &["String", "str", "char"],
        "enum" => &["String", "str"],
        "integer" => &INTEGERS,
        "number" => &NUMBERS,
        "boolean" => &["bool"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_scalar_values_and_utf16_units() {
        assert_eq!(TextLength::of(""), TextLength { chars: 0, utf16_units: 0 });
        assert_eq!(TextLength::of("é"), TextLength { chars: 1, utf16_units: 1 });
        assert_eq!(TextLength::of("😀"), TextLength { chars: 1, utf16_units: 2 });
        // 128 astral characters: 128 chars, 256 units.
        let text = "😀".repeat(128);
        assert!(TextLength::of(&text).utf16_overflows());
        let text = "😀".repeat(127);
        assert!(!TextLength::of(&text).utf16_overflows());
    }

    #[test]
    fn truncates_on_char_boundaries() {
        assert_eq!(truncate("short"), "short");
        let text = format!("{}{}", "😀".repeat(255), "tail");
        assert_eq!(truncate(&text), "😀".repeat(255));
    }

    #[test]
    fn edge_whitespace_agrees_with_char_is_whitespace() {
        // The ASCII shortcut must give the same answer as decoding the ends.
        let ends = [
            "a", "~", "!", " ", "\t", "\n", "\r", "\u{b}", "\u{c}", "\u{7f}", "é", "\u{85}", "\u{a0}", "\u{2028}",
            "\u{3000}", "😀",
        ];
        for first in ends {
            for last in ends {
                for middle in ["", "x", " "] {
                    let text = format!("{first}{middle}{last}");
                    let expected = text.starts_with(char::is_whitespace) || text.ends_with(char::is_whitespace);
                    assert_eq!(has_edge_whitespace(&text), expected, "{text:?}");
                }
            }
        }
    }

    #[test]
    fn masks_keys_on_char_boundaries() {
        assert_eq!(mask_api_key("ééééé"), "éééé…");
        assert_eq!(mask_api_key(""), "…");
    }
}

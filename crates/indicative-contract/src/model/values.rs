//! Newtypes for the bounded values of requests.

use std::borrow::Cow;
use std::fmt;

use serde_core::de::{self, Deserializer, Visitor};
use serde_core::{Deserialize, Serialize, Serializer};

use crate::error::ContractError;
use crate::limits::{LengthProblem, MAX_TEXT_CHARS, is_blank, mask_api_key, name_length_problem};
use crate::rule::Rule;

/// The limit a text field has, and the rule each way of breaking it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TextBound {
    /// 1 to 255 characters (`empty-field`, `too-long`).
    Required255,
    /// At least one character (`empty-field`); longer than 255 is only warned.
    RequiredNonEmpty,
    /// GET property names and values: 1 to 255 (`empty-property`, `too-long`).
    QueryProperty,
    /// An API key: not blank (`invalid-api-key`).
    ApiKey,
    /// Anything.
    Unbounded,
}

/// The one check of a text field's error rules, shared by the typed models
/// and the lint engine. `label` names the field in the message.
pub(crate) fn text_error(bound: TextBound, label: &str, text: &str) -> Option<(Rule, String)> {
    match (bound, name_length_problem(text)) {
        (TextBound::RequiredNonEmpty, _) if text.is_empty() => {
            Some((Rule::EmptyField, format!("{label} is empty; it needs at least 1 character")))
        }
        (TextBound::Required255, Some(LengthProblem::Empty)) => {
            Some((Rule::EmptyField, format!("{label} is empty; it needs 1 to 255 characters")))
        }
        (TextBound::QueryProperty, Some(LengthProblem::Empty)) => {
            Some((Rule::EmptyProperty, format!("{label} is empty; it needs 1 to 255 characters")))
        }
        (TextBound::Required255 | TextBound::QueryProperty, Some(LengthProblem::TooLong { chars })) => {
            Some((Rule::TooLong, format!("{label} is {chars} characters long; the limit is {MAX_TEXT_CHARS}")))
        }
        (TextBound::ApiKey, _) if is_blank(text) => {
            Some((Rule::InvalidApiKey, format!("{label} is {}", if text.is_empty() { "empty" } else { "blank" })))
        }
        _ => None,
    }
}

fn check(bound: TextBound, label: &str, text: &str) -> Result<(), ContractError> {
    match text_error(bound, label, text) {
        Some((rule, message)) => Err(ContractError::new(rule, message)),
        None => Ok(()),
    }
}

macro_rules! text_newtype {
    ($(#[$meta:meta])* $name:ident, $bound:expr, $label:literal) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(Cow<'static, str>);

        impl $name {
            #[doc = concat!("Checks `text` as a `", $label, "`.")]
            ///
            /// # Errors
            ///
            /// A [`ContractError`] with the rule the lint engine reports for the same text.
            pub fn new(text: impl Into<String>) -> Result<Self, ContractError> {
                let text = text.into();
                check($bound, $label, &text)?;
                Ok(Self(Cow::Owned(text)))
            }

            /// The text.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// The text, owned.
            #[must_use]
            pub fn into_string(self) -> String {
                self.0.into_owned()
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str(TextVisitor($label)).and_then(|text| Self::new(text).map_err(de::Error::custom))
            }
        }
    };
}

macro_rules! plain_debug_display {
    ($($name:ident),*) => {$(
        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.debug_tuple(stringify!($name)).field(&self.0).finish()
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    )*};
}

/// Accepts JSON strings only: the strict profile refuses numbers and bools
/// where the reference says String (`coerced-to-string`).
struct TextVisitor(&'static str);

impl Visitor<'_> for TextVisitor {
    type Value = String;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a string for {}", self.0)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

text_newtype!(
    /// The project's API key: any text that is not blank.
    ///
    /// `Debug` and `Display` show only its first four characters; use
    /// [`ApiKey::expose`] where the whole key is needed (the request itself).
    ///
    /// ```
    /// use indicative_contract::ApiKey;
    /// let key = ApiKey::new("f47ac10b-58cc-4372-a567-0e02b2c3d479")?;
    /// assert_eq!(key.to_string(), "f47a…");
    /// assert_eq!(format!("{key:?}"), "ApiKey(\"f47a…\")");
    /// assert_eq!(key.expose().len(), 36);
    /// assert!(ApiKey::new("  ").is_err());
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    ApiKey, TextBound::ApiKey, "apiKey"
);

impl ApiKey {
    /// The whole key, for building the request. Never log it.
    ///
    /// ```
    /// let key = indicative_contract::ApiKey::new("secret-key")?;
    /// assert_eq!(key.expose(), "secret-key");
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ApiKey").field(&mask_api_key(&self.0)).finish()
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&mask_api_key(&self.0))
    }
}

text_newtype!(
    /// The name of an event: 1 to 255 characters.
    ///
    /// ```
    /// use indicative_contract::{EventName, Rule};
    /// assert_eq!(EventName::new("Registration")?.as_str(), "Registration");
    /// assert_eq!(EventName::new("é".repeat(256)).unwrap_err().rule(), Rule::TooLong);
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    EventName, TextBound::Required255, "eventName"
);

text_newtype!(
    /// The unique id of the user who triggered an event: 1 to 255 characters.
    ///
    /// ```
    /// use indicative_contract::EventUniqueId;
    /// assert!(EventUniqueId::new("user47").is_ok() && EventUniqueId::new("").is_err());
    /// ```
    EventUniqueId, TextBound::Required255, "eventUniqueId"
);

text_newtype!(
    /// The unique id of a user to identify, suppress or delete: 1 to 255 characters.
    ///
    /// ```
    /// use indicative_contract::UniqueId;
    /// assert!(UniqueId::new("x".repeat(255)).is_ok() && UniqueId::new("x".repeat(256)).is_err());
    /// ```
    UniqueId, TextBound::Required255, "uniqueId"
);

text_newtype!(
    /// An alias's `previousId` or `newId`: at least one character (the
    /// reference gives no upper limit; over 255 is only warned).
    ///
    /// ```
    /// use indicative_contract::AliasId;
    /// assert!(AliasId::new("x".repeat(300)).is_ok() && AliasId::new("").is_err());
    /// ```
    AliasId, TextBound::RequiredNonEmpty, "alias id"
);

text_newtype!(
    /// A property name in a POST body: any text (empty or over 255 characters
    /// is only warned about).
    ///
    /// ```
    /// assert_eq!(indicative_contract::PropertyName::new("Gender")?.as_str(), "Gender");
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    PropertyName, TextBound::Unbounded, "property name"
);

text_newtype!(
    /// A property value in a POST body: any text; the API keeps its first 255
    /// characters. Numbers and bools convert to their text, as the API stores them.
    ///
    /// ```
    /// use indicative_contract::PropertyValue;
    /// assert_eq!(PropertyValue::from(23).as_str(), "23");
    /// assert_eq!(PropertyValue::from(true).as_str(), "true");
    /// assert_eq!(PropertyValue::from("x".repeat(300)).stored().len(), 255);
    /// ```
    PropertyValue, TextBound::Unbounded, "property value"
);

text_newtype!(
    /// A GET `propertyNames` or `propertyValues` entry: 1 to 255 characters.
    ///
    /// ```
    /// use indicative_contract::{QueryProperty, Rule};
    /// assert_eq!(QueryProperty::new("").unwrap_err().rule(), Rule::EmptyProperty);
    /// ```
    QueryProperty, TextBound::QueryProperty, "GET property"
);

macro_rules! fallible_conversions {
    ($($name:ident),*) => {$(
        impl TryFrom<&str> for $name {
            type Error = ContractError;
            fn try_from(text: &str) -> Result<Self, ContractError> {
                Self::new(text)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ContractError;
            fn try_from(text: String) -> Result<Self, ContractError> {
                Self::new(text)
            }
        }
    )*};
}

fallible_conversions!(ApiKey, EventName, EventUniqueId, UniqueId, AliasId, QueryProperty);

plain_debug_display!(EventName, EventUniqueId, UniqueId, AliasId, PropertyName, PropertyValue, QueryProperty);

/// The `const` constructors of the bounded names: checked by the same rule as
/// [`EventName::new`] (from `indicative-contract-limits`), so that an invalid
/// literal fails the build when the constructor runs in a `const` context.
macro_rules! from_static {
    ($name:ident, $what:literal) => {
        impl $name {
            #[doc = concat!("A `", stringify!($name), "` from a literal, checked at compile time in a `const` context.")]
            ///
            /// # Panics
            ///
            /// On an empty text or one over 255 characters: in a `const`
            /// context (or through [`event_name!`](crate::event_name)) that is
            /// a compile error. Use `new` for text known only at run time.
            #[must_use]
            pub const fn from_static(text: &'static str) -> Self {
                match name_length_problem(text) {
                    Some(LengthProblem::Empty) => panic!(concat!($what, " needs 1 to 255 characters, and this one is empty")),
                    Some(LengthProblem::TooLong { .. }) => {
                        panic!(concat!($what, " needs 1 to 255 characters, and this one is longer"))
                    }
                    None => Self(Cow::Borrowed(text)),
                }
            }
        }
    };
}

from_static!(EventName, "an event name");
from_static!(EventUniqueId, "an event unique id");
from_static!(UniqueId, "a unique id");
from_static!(QueryProperty, "a GET property name or value");

impl PropertyName {
    /// A property name from a literal, without allocating (any text is a
    /// property name in a POST body).
    ///
    /// ```
    /// const PLAN: indicative_contract::PropertyName = indicative_contract::PropertyName::from_static("plan");
    /// assert_eq!(PLAN.as_str(), "plan");
    /// ```
    #[must_use]
    pub const fn from_static(text: &'static str) -> Self {
        Self(Cow::Borrowed(text))
    }
}

impl PropertyValue {
    /// A property value from a literal, without allocating.
    ///
    /// ```
    /// assert_eq!(indicative_contract::PropertyValue::from_static("pro").as_str(), "pro");
    /// ```
    #[must_use]
    pub const fn from_static(text: &'static str) -> Self {
        Self(Cow::Borrowed(text))
    }

    /// What the API stores: the first 255 characters.
    ///
    /// ```
    /// assert_eq!(indicative_contract::PropertyValue::from("short").stored(), "short");
    /// ```
    #[must_use]
    pub fn stored(&self) -> &str {
        crate::limits::truncate(&self.0)
    }
}

impl From<&str> for PropertyName {
    fn from(text: &str) -> Self {
        Self(Cow::Owned(text.to_owned()))
    }
}

impl From<String> for PropertyName {
    fn from(text: String) -> Self {
        Self(Cow::Owned(text))
    }
}

impl From<&str> for PropertyValue {
    fn from(text: &str) -> Self {
        Self(Cow::Owned(text.to_owned()))
    }
}

impl From<String> for PropertyValue {
    fn from(text: String) -> Self {
        Self(Cow::Owned(text))
    }
}

impl From<bool> for PropertyValue {
    fn from(value: bool) -> Self {
        Self(Cow::Borrowed(if value { "true" } else { "false" }))
    }
}

macro_rules! value_from_number {
    ($($ty:ty),*) => {$(
        impl From<$ty> for PropertyValue {
            fn from(value: $ty) -> Self {
                Self(Cow::Owned(value.to_string()))
            }
        }
    )*};
}

value_from_number!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

/// A float's text: the shortest that reads back as the same value, plain
/// in the range where JavaScript writes numbers plain (from 1e-6 up to
/// 1e21) and with an exponent past it, as Rust writes one (`1e300`, where
/// JavaScript writes `1e+300`; not the 301 digits the API would cut to
/// 255), so that every finite value fits in a property. `-0.0` is `-0`.
pub(crate) fn float_text<F: std::fmt::Display + std::fmt::LowerExp>(value: F, magnitude: f64) -> String {
    if magnitude.is_finite() && magnitude != 0.0 && !(1e-6..1e21).contains(&magnitude) {
        format!("{value:e}")
    } else {
        value.to_string()
    }
}

macro_rules! value_from_float {
    ($($ty:ty),*) => {$(
        impl From<$ty> for PropertyValue {
            fn from(value: $ty) -> Self {
                Self(Cow::Owned(float_text(value, f64::from(value).abs())))
            }
        }
    )*};
}

value_from_float!(f32, f64);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_names_at_their_limits() {
        for unit in ["a", "é", "😀"] {
            assert_eq!(EventName::new(unit.repeat(0)).unwrap_err().rule(), Rule::EmptyField);
            assert!(EventName::new(unit).is_ok());
            assert!(EventName::new(unit.repeat(255)).is_ok());
            assert_eq!(EventName::new(unit.repeat(256)).unwrap_err().rule(), Rule::TooLong);
        }
    }

    #[test]
    fn names_refuse_non_strings_when_deserialized() {
        assert!(serde_json::from_str::<EventName>("23").is_err());
        assert!(serde_json::from_str::<EventName>("null").is_err());
        assert_eq!(serde_json::from_str::<EventName>(r#""\u0041""#).unwrap().as_str(), "A");
    }

    #[test]
    fn api_key_is_masked_everywhere_but_expose() {
        let key = ApiKey::new("abcdefgh").unwrap();
        assert!(!format!("{key} {key:?}").contains("abcde"));
        assert_eq!(serde_json::to_string(&key).unwrap(), "\"abcdefgh\"");
    }
}

//! Which Rust types fit which property types of a tracking plan: what the
//! derives check, at compile time, when the crate names a plan.
//!
//! A plan types each property as the text the API stores: `string`,
//! `integer`, `number`, `boolean`, `datetime` or `enum`. A field of a derived
//! event fits its planned property when its type implements
//! [`FitsPlanType`] for the property's marker type ([`StringType`],
//! [`IntegerType`], ...). The check is by type, not by the field's spelling,
//! so aliases and re-exports work.
//!
//! | plan type | Rust types that fit |
//! |---|---|
//! | `string` | `String`, `str`, `Cow<str>`, `Box<str>`, `Rc<str>`, `Arc<str>`, `char`, `PropertyValue`, a `#[derive(ToPropertyValue)]` enum |
//! | `integer` | every primitive integer and `NonZero` integer |
//! | `number` | `f32`, `f64`, and every type that fits `integer` |
//! | `boolean` | `bool` |
//! | `datetime` | [`EventTime`](crate::EventTime), `jiff::Timestamp` (sent as RFC 3339) |
//! | `enum` | a `#[derive(ToPropertyValue)]` enum whose values the plan lists, or a string type (its values checked when linted) |
//!
//! `Option<T>`, `&T` and `Box<T>` fit when `T` does. A type of your own (a
//! newtype such as `Cents`) fits when you say so:
//!
//! ```
//! use indicative_contract::plan_types::{FitsPlanType, IntegerType};
//!
//! struct Cents(u64);
//! impl FitsPlanType<IntegerType> for Cents {}
//!
//! fn fits<T: FitsPlanType<IntegerType> + ?Sized>() {}
//! fits::<Cents>();
//! fits::<Option<u8>>();
//! ```

use std::borrow::Cow;
use std::num::{
    NonZeroI8, NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI128, NonZeroIsize, NonZeroU8, NonZeroU16, NonZeroU32,
    NonZeroU64, NonZeroU128, NonZeroUsize,
};
use std::rc::Rc;
use std::sync::Arc;

/// The plan's `string`: any text.
#[derive(Debug)]
pub struct StringType;
/// The plan's `integer`: an optional `-` and digits.
#[derive(Debug)]
pub struct IntegerType;
/// The plan's `number`: a JSON number literal.
#[derive(Debug)]
pub struct NumberType;
/// The plan's `boolean`: `true` or `false`.
#[derive(Debug)]
pub struct BooleanType;
/// The plan's `datetime`: an RFC 3339 date-time with an offset.
#[derive(Debug)]
pub struct DatetimeType;
/// The plan's `enum`: one of the listed values.
#[derive(Debug)]
pub struct EnumType;

/// A Rust type whose property values are of the plan type `K` (one of the
/// marker types of this module). See the [module](self) for the table.
///
/// ```
/// use indicative_contract::plan_types::{BooleanType, FitsPlanType};
/// fn fits<T: FitsPlanType<BooleanType> + ?Sized>() {}
/// fits::<bool>();
/// fits::<Option<&bool>>();
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not fit the property's type in the tracking plan (`{K}`)",
    label = "the plan gives this property another type",
    note = "the types that fit each plan type are listed in indicative_contract::plan_types; a type of your own fits when it implements `FitsPlanType<{K}>`"
)]
pub trait FitsPlanType<K> {
    /// Whether a value of the type may be absent (an `Option`), which a
    /// required property's field may not be.
    const MAY_BE_ABSENT: bool = false;
}

impl<K, T: FitsPlanType<K> + ?Sized> FitsPlanType<K> for &T {
    const MAY_BE_ABSENT: bool = T::MAY_BE_ABSENT;
}
impl<K, T: FitsPlanType<K>> FitsPlanType<K> for Option<T> {
    const MAY_BE_ABSENT: bool = true;
}
impl<K, T: FitsPlanType<K> + ?Sized> FitsPlanType<K> for Box<T> {
    const MAY_BE_ABSENT: bool = T::MAY_BE_ABSENT;
}

macro_rules! fits {
    ($kind:ty, $spelled:ident: $($ty:ty),* $(,)?) => {
        $(impl FitsPlanType<$kind> for $ty {})*
        /// The types above, spelled: the derive's standard types are tested
        /// against them.
        #[cfg(test)]
        const $spelled: &[&str] = &[$(stringify!($ty)),*];
    };
}

fits!(StringType, STRING: str, String, Cow<'_, str>, Rc<str>, Arc<str>, char, crate::PropertyValue);
fits!(EnumType, ENUM: str, String, Cow<'_, str>, Rc<str>, Arc<str>, crate::PropertyValue);
fits!(IntegerType, INTEGER: i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize,
    NonZeroI8, NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI128, NonZeroIsize,
    NonZeroU8, NonZeroU16, NonZeroU32, NonZeroU64, NonZeroU128, NonZeroUsize);
fits!(NumberType, NUMBER: f32, f64, i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize,
    NonZeroI8, NonZeroI16, NonZeroI32, NonZeroI64, NonZeroI128, NonZeroIsize,
    NonZeroU8, NonZeroU16, NonZeroU32, NonZeroU64, NonZeroU128, NonZeroUsize);
fits!(BooleanType, BOOLEAN: bool);
fits!(DatetimeType, DATETIME: crate::EventTime, jiff::Timestamp);

/// The values a `#[derive(ToPropertyValue)]` enum stands for, which the
/// derive of an event checks against the values its plan lists: each entry
/// is the variant's name, its text, and the message that names it when the
/// plan does not list it.
///
/// `#[derive(ToPropertyValue)]` writes it; by hand, it reads:
///
/// ```
/// use indicative_contract::plan_types::{PlanValues, first_unplanned};
///
/// enum Tier { Free, Pro }
/// impl PlanValues for Tier {
///     const VALUES: &'static [(&'static str, &'static str, &'static str)] = &[
///         ("Free", "Free", "variant `Free` stands for \"Free\", which the plan does not list"),
///         ("Pro", "pro", "variant `Pro` stands for \"pro\", which the plan does not list"),
///     ];
/// }
/// let texts: Vec<&str> = Tier::VALUES.iter().map(|(_, text, _)| *text).collect();
/// assert_eq!(texts, ["Free", "pro"]);
/// assert_eq!(first_unplanned(Option::<Tier>::VALUES, &["free", "pro"]), Some(0));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is used for an `enum` property of the tracking plan, but does not list its values",
    label = "not a `#[derive(ToPropertyValue)]` enum",
    note = "derive `ToPropertyValue` on the enum (its variants are then checked against the plan's values), or use a `String`, whose values are checked when linted"
)]
pub trait PlanValues {
    /// `(variant, text, message)` for each variant, in order.
    const VALUES: &'static [(&'static str, &'static str, &'static str)];
}

impl<T: PlanValues + ?Sized> PlanValues for &T {
    const VALUES: &'static [(&'static str, &'static str, &'static str)] = T::VALUES;
}
impl<T: PlanValues> PlanValues for Option<T> {
    const VALUES: &'static [(&'static str, &'static str, &'static str)] = T::VALUES;
}
impl<T: PlanValues + ?Sized> PlanValues for Box<T> {
    const VALUES: &'static [(&'static str, &'static str, &'static str)] = T::VALUES;
}

// Text fits an `enum` property without listing values (any text may be one
// of them; its values are checked when linted): the derives' check of an
// enum's values passes for it by type, so that an alias of `String` (or an
// `Option` of one) is text too, while a type that neither lists values nor
// is text is still refused. The types are those of `FitsPlanType<EnumType>`.
macro_rules! text_lists_no_values {
    ($($ty:ty),*) => {$(
        impl PlanValues for $ty {
            const VALUES: &'static [(&'static str, &'static str, &'static str)] = &[];
        }
    )*};
}

text_lists_no_values!(str, String, Cow<'_, str>, Rc<str>, Arc<str>, crate::PropertyValue);

/// The first of `values` whose text is not in `planned`, for the derives'
/// compile-time check (a `const fn`, so that it runs in a constant).
///
/// ```
/// use indicative_contract::plan_types::first_unplanned;
/// let values = [("Free", "free", ""), ("Gold", "gold", "")];
/// assert_eq!(first_unplanned(&values, &["free", "pro"]), Some(1));
/// assert_eq!(first_unplanned(&values[..1], &["free", "pro"]), None);
/// ```
#[must_use]
pub const fn first_unplanned(values: &[(&str, &str, &str)], planned: &[&str]) -> Option<usize> {
    let mut i = 0;
    while i < values.len() {
        let mut j = 0;
        let mut found = false;
        while j < planned.len() {
            if same(values[i].1, planned[j]) {
                found = true;
                break;
            }
            j += 1;
        }
        if !found {
            return Some(i);
        }
        i += 1;
    }
    None
}

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

#[cfg(test)]
mod tests {
    /// The derive writes no check for a field of a standard type that fits
    /// its planned property (`indicative_contract_limits::standard_types_of`):
    /// each such name must have the impl the check would have asked for.
    #[test]
    fn every_standard_type_the_derive_trusts_fits() {
        let kinds = [
            ("string", super::STRING),
            ("enum", super::ENUM),
            ("integer", super::INTEGER),
            ("number", super::NUMBER),
            ("boolean", super::BOOLEAN),
            ("datetime", super::DATETIME),
        ];
        for (kind, implemented) in kinds {
            let names: Vec<&str> = implemented.iter().map(|ty| ty.rsplit("::").next().unwrap_or(ty).trim()).collect();
            let trusted = indicative_contract_limits::standard_types_of(kind);
            // Times are always left to the trait: `Timestamp` is a name aliases take.
            assert_eq!(trusted.is_empty(), kind == "datetime", "{kind}");
            for name in trusted {
                assert!(
                    names.contains(name),
                    "{name} is trusted to fit {kind}, but has no FitsPlanType impl: {names:?}"
                );
            }
        }
    }
}

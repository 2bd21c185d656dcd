//! Typed events: the traits `#[derive(TrackEvent)]`, `#[derive(UserProperties)]`
//! and `#[derive(ToPropertyValue)]` implement.

use crate::error::ContractError;
use crate::model::requests::{Batch, BatchEvent, Event, Identify, Properties};
use crate::model::values::{ApiKey, PropertyValue, UniqueId};
use crate::rule::Rule;
use crate::time::EventTime;

/// A type whose values are property values: how a field becomes the text the
/// API stores. `None` leaves the property out.
///
/// Implemented for strings, integers, floats, bools and chars, for
/// `Option`s of these, and by `#[derive(ToPropertyValue)]` for fieldless
/// enums; implement it for your own flat types.
///
/// ```
/// use indicative_contract::{ToPropertyValue, PropertyValue};
/// assert_eq!(23_u8.to_property_value().unwrap().as_str(), "23");
/// assert_eq!(None::<String>.to_property_value(), None);
///
/// struct Cents(u64);
/// impl ToPropertyValue for Cents {
///     fn to_property_value(&self) -> Option<PropertyValue> {
///         Some(format!("{}.{:02}", self.0 / 100, self.0 % 100).into())
///     }
/// }
/// assert_eq!(Cents(1999).to_property_value().unwrap().as_str(), "19.99");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an event or user property: the API stores flat values",
    label = "not a flat value (a string, number, bool or fieldless enum)",
    note = "flatten a nested struct into fields of its own (address_city), join a list into one string, or implement `indicative_contract::ToPropertyValue` for `{Self}`"
)]
pub trait ToPropertyValue {
    /// The value, as the text the API stores, or `None` to leave it out.
    fn to_property_value(&self) -> Option<PropertyValue>;
}

impl ToPropertyValue for str {
    fn to_property_value(&self) -> Option<PropertyValue> {
        Some(self.into())
    }
}

impl ToPropertyValue for String {
    fn to_property_value(&self) -> Option<PropertyValue> {
        Some(self.as_str().into())
    }
}

impl ToPropertyValue for std::borrow::Cow<'_, str> {
    fn to_property_value(&self) -> Option<PropertyValue> {
        Some(self.as_ref().into())
    }
}

impl ToPropertyValue for PropertyValue {
    fn to_property_value(&self) -> Option<PropertyValue> {
        Some(self.clone())
    }
}

impl<T: ToPropertyValue + ?Sized> ToPropertyValue for &T {
    fn to_property_value(&self) -> Option<PropertyValue> {
        (**self).to_property_value()
    }
}

impl<T: ToPropertyValue> ToPropertyValue for Option<T> {
    fn to_property_value(&self) -> Option<PropertyValue> {
        self.as_ref().and_then(ToPropertyValue::to_property_value)
    }
}

macro_rules! display_values {
    ($($ty:ty),*) => {$(
        impl ToPropertyValue for $ty {
            fn to_property_value(&self) -> Option<PropertyValue> {
                Some(self.to_string().into())
            }
        }
    )*};
}

display_values!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize, bool, char);

// A float is sent as its shortest text, with an exponent past 1e21 or
// under 1e-6 (where JavaScript writes one too), so that every finite value
// fits in a property's 255 characters.
macro_rules! float_values {
    ($($ty:ty),*) => {$(
        impl ToPropertyValue for $ty {
            fn to_property_value(&self) -> Option<PropertyValue> {
                Some(PropertyValue::from(*self))
            }
        }
    )*};
}

float_values!(f32, f64);
display_values!(
    std::num::NonZeroI8,
    std::num::NonZeroI16,
    std::num::NonZeroI32,
    std::num::NonZeroI64,
    std::num::NonZeroI128,
    std::num::NonZeroIsize,
    std::num::NonZeroU8,
    std::num::NonZeroU16,
    std::num::NonZeroU32,
    std::num::NonZeroU64,
    std::num::NonZeroU128,
    std::num::NonZeroUsize
);

impl<T: ToPropertyValue + ?Sized> ToPropertyValue for Box<T> {
    fn to_property_value(&self) -> Option<PropertyValue> {
        (**self).to_property_value()
    }
}

impl ToPropertyValue for std::rc::Rc<str> {
    fn to_property_value(&self) -> Option<PropertyValue> {
        (**self).to_property_value()
    }
}

impl ToPropertyValue for std::sync::Arc<str> {
    fn to_property_value(&self) -> Option<PropertyValue> {
        (**self).to_property_value()
    }
}

/// A timestamp is sent as RFC 3339 in UTC (`2024-05-01T00:00:00Z`), the text
/// a tracking plan's `datetime` properties take.
///
/// ```
/// use indicative_contract::ToPropertyValue;
/// let ts: jiff::Timestamp = "2024-05-01T02:00:00+02:00".parse().unwrap();
/// assert_eq!(ts.to_property_value().unwrap().as_str(), "2024-05-01T00:00:00Z");
/// ```
impl ToPropertyValue for jiff::Timestamp {
    fn to_property_value(&self) -> Option<PropertyValue> {
        Some(self.to_string().into())
    }
}

/// An event time is sent as RFC 3339 in UTC, to the millisecond it holds.
///
/// ```
/// use indicative_contract::{EventTime, ToPropertyValue};
/// let at = EventTime::from_unix_millis(1_714_521_600_250)?;
/// assert_eq!(at.to_property_value().unwrap().as_str(), "2024-05-01T00:00:00.25Z");
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
impl ToPropertyValue for EventTime {
    fn to_property_value(&self) -> Option<PropertyValue> {
        // Every time it holds, to the end of 9999 (past jiff's `Timestamp`).
        Some(self.rfc3339_utc().into())
    }
}

/// A type that can be an event's time: `EventTime`, `jiff::Timestamp`, and
/// `Option`s of these (`None` means "now").
///
/// ```
/// use indicative_contract::{EventTime, ToEventTime};
/// let ts: jiff::Timestamp = "2024-05-01T00:00:00Z".parse().unwrap();
/// assert_eq!(ts.to_event_time()?.unwrap().unix_millis(), 1_714_521_600_000);
/// assert_eq!(None::<EventTime>.to_event_time()?, None);
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be an event time",
    label = "not an event time",
    note = "use `indicative_contract::EventTime` or `jiff::Timestamp` (or an `Option` of either)"
)]
pub trait ToEventTime {
    /// The time, checked.
    ///
    /// # Errors
    ///
    /// The time's rule (`negative-event-time`, `invalid-event-time`).
    fn to_event_time(&self) -> Result<Option<EventTime>, ContractError>;
}

impl ToEventTime for EventTime {
    fn to_event_time(&self) -> Result<Option<EventTime>, ContractError> {
        Ok(Some(self.clone()))
    }
}

impl ToEventTime for jiff::Timestamp {
    fn to_event_time(&self) -> Result<Option<EventTime>, ContractError> {
        EventTime::from_timestamp(*self).map(Some)
    }
}

impl<T: ToEventTime> ToEventTime for Option<T> {
    fn to_event_time(&self) -> Result<Option<EventTime>, ContractError> {
        self.as_ref().map_or(Ok(None), ToEventTime::to_event_time)
    }
}

/// The text of a unique id field, checked as the API checks it: a field
/// that gives no value (`None`) is `missing-field`.
#[doc(hidden)]
pub fn unique_id_text(value: &dyn ToPropertyValue, field: &str) -> Result<String, ContractError> {
    value
        .to_property_value()
        .map(PropertyValue::into_string)
        .ok_or_else(|| ContractError::new(Rule::MissingField, format!("{field} is required; the field holds no value")))
}

/// An event described by a struct: `#[derive(TrackEvent)]` writes this.
///
/// ```
/// # #[cfg(feature = "derive")] {
/// use indicative_contract::{ApiKey, ToPropertyValue, TrackEvent};
///
/// #[derive(ToPropertyValue)]
/// enum Plan { Free, #[property(rename = "pro plan")] Pro }
///
/// #[derive(TrackEvent)]
/// #[event(name = "Subscription Started")]
/// struct SubscriptionStarted {
///     #[event(unique_id)]
///     user_id: String,
///     plan: Plan,
///     #[event(rename = "seats")]
///     seat_count: u32,
///     coupon: Option<String>,
///     #[event(skip)]
///     internal_note: String,
/// }
///
/// let event = SubscriptionStarted {
///     user_id: "user47".into(),
///     plan: Plan::Pro,
///     seat_count: 5,
///     coupon: None,
///     internal_note: "not sent".into(),
/// };
/// let request = event.to_event(&ApiKey::new("Your-API-Key")?)?;
/// assert_eq!(
///     serde_json::to_string(&request).unwrap(),
///     r#"{"apiKey":"Your-API-Key","eventName":"Subscription Started","eventUniqueId":"user47","properties":{"plan":"pro plan","seats":"5"}}"#
/// );
/// # }
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
pub trait TrackEvent {
    /// The event, without an API key (a batch item).
    ///
    /// # Errors
    ///
    /// A value known only at run time that breaks a rule: the unique id (the
    /// same rule code the lint engine reports) or the time.
    fn to_batch_event(&self) -> Result<BatchEvent, ContractError>;

    /// The event as a request of its own.
    ///
    /// # Errors
    ///
    /// As [`to_batch_event`](Self::to_batch_event).
    fn to_event(&self, api_key: &ApiKey) -> Result<Event, ContractError> {
        let BatchEvent { event_name, event_unique_id, properties, event_time } = self.to_batch_event()?;
        Ok(Event { api_key: api_key.clone(), event_name, event_unique_id, properties, event_time })
    }
}

impl Batch {
    /// A batch of typed events, of one type or many.
    ///
    /// # Errors
    ///
    /// The first event's error.
    ///
    /// ```
    /// # #[cfg(feature = "derive")] {
    /// use indicative_contract::{ApiKey, Batch, TrackEvent};
    /// #[derive(TrackEvent)]
    /// struct Opened { #[event(unique_id)] user: String }
    /// #[derive(TrackEvent)]
    /// struct Closed { #[event(unique_id)] user: String, seconds: u32 }
    ///
    /// let (a, b) = (Opened { user: "u1".into() }, Closed { user: "u1".into(), seconds: 42 });
    /// let batch = Batch::from_tracked(ApiKey::new("K")?, [&a as &dyn TrackEvent, &b])?;
    /// assert_eq!(batch.events[1].event_name.as_str(), "Closed");
    /// # }
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn from_tracked<'a>(
        api_key: ApiKey,
        events: impl IntoIterator<Item = &'a dyn TrackEvent>,
    ) -> Result<Self, ContractError> {
        let events = events.into_iter().map(TrackEvent::to_batch_event).collect::<Result<_, _>>()?;
        Ok(Self { api_key, events })
    }
}

/// A user's properties described by a struct: `#[derive(UserProperties)]`
/// writes this, for identify requests.
///
/// ```
/// # #[cfg(feature = "derive")] {
/// use indicative_contract::{ApiKey, UserProperties};
///
/// #[derive(UserProperties)]
/// struct Profile {
///     #[user(unique_id)]
///     id: u64,
///     country: String,
///     #[user(rename = "beta tester")]
///     beta: bool,
/// }
///
/// let identify = Profile { id: 47, country: "FR".into(), beta: true }.to_identify(&ApiKey::new("K")?)?;
/// assert_eq!(serde_json::to_string(&identify).unwrap(), r#"{"apiKey":"K","uniqueId":"47","properties":{"beta tester":"true","country":"FR"}}"#);
/// # }
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
pub trait UserProperties {
    /// The user's id and properties.
    ///
    /// # Errors
    ///
    /// The unique id's rule, when its value breaks it.
    fn to_parts(&self) -> Result<(UniqueId, Properties), ContractError>;

    /// The identify request.
    ///
    /// # Errors
    ///
    /// As [`to_parts`](Self::to_parts).
    fn to_identify(&self, api_key: &ApiKey) -> Result<Identify, ContractError> {
        let (unique_id, properties) = self.to_parts()?;
        Ok(Identify { api_key: api_key.clone(), unique_id, properties: Some(properties) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan_types::{EnumType, FitsPlanType, PlanValues};

    #[test]
    fn every_finite_float_fits_in_a_property() {
        let text = |v: f64| v.to_property_value().map(PropertyValue::into_string).unwrap_or_default();
        assert_eq!(text(12.5), "12.5");
        assert_eq!(text(-0.0), "-0");
        assert_eq!(text(1e20), "100000000000000000000");
        assert_eq!(text(1e21), "1e21");
        assert_eq!(text(1e300), "1e300");
        assert_eq!(text(-1.5e-7), "-1.5e-7");
        assert_eq!(text(0.000_001), "0.000001");
        assert_eq!(0.1_f32.to_property_value().map(PropertyValue::into_string).as_deref(), Some("0.1"));
        for v in [f64::MAX, f64::MIN, f64::MIN_POSITIVE, 5e-324, 1.234_567_890_123_456_7e-200] {
            let t = text(v);
            assert!(t.chars().count() <= 255, "{t}");
            assert_eq!(t.parse::<f64>().ok(), Some(v), "{t} reads back");
        }
    }

    #[test]
    fn an_event_time_is_sent_to_the_end_of_9999() {
        for text in ["9999-12-31T23:59:59.999Z", "9999-12-30T22:00:01Z", "1970-01-01T00:00:00Z"] {
            let at = EventTime::parse(text).unwrap();
            assert_eq!(at.to_property_value().map(PropertyValue::into_string).as_deref(), Some(text));
        }
        let at = EventTime::from_number(1_714_521_600.25).unwrap();
        assert_eq!(at.to_property_value().unwrap().as_str(), "2024-05-01T00:00:00.25Z");
    }

    /// Text that fits an `enum` property lists no values, whatever it is
    /// called: the derives' check of an enum's values passes for it.
    #[test]
    fn text_fits_an_enum_property_without_listing_values() {
        fn text<T: PlanValues + FitsPlanType<EnumType> + ?Sized>() -> usize {
            T::VALUES.len()
        }
        type Text = String;
        let counts = [
            text::<str>(),
            text::<Text>(),
            text::<Option<Text>>(),
            text::<&Text>(),
            text::<Box<str>>(),
            text::<std::borrow::Cow<'_, str>>(),
            text::<std::rc::Rc<str>>(),
            text::<std::sync::Arc<str>>(),
            text::<PropertyValue>(),
        ];
        assert_eq!(counts, [0; 9]);
    }
}

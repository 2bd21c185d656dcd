//! The request kinds as typed values.
//!
//! `Serialize` writes the wire format; `Deserialize` accepts exactly what the
//! strict profile accepts: strings where the reference says String, no
//! unknown fields, `null` only for the optional `properties` and `eventTime`,
//! and a repeated member (the last one wins), which is only warned about.

use std::collections::BTreeMap;
use std::fmt;

use serde_core::de::{self, Deserializer, MapAccess, Visitor};
use serde_core::ser::SerializeStruct;
use serde_core::{Deserialize, Serialize, Serializer};

use super::values::{AliasId, ApiKey, EventName, EventUniqueId, PropertyName, PropertyValue, QueryProperty, UniqueId};
use crate::error::ContractError;
use crate::time::EventTime;

/// An event's or a user's properties: names to values. A repeated name keeps
/// its last value, as the API does.
///
/// ```
/// use indicative_contract::Properties;
/// let mut properties = Properties::new();
/// properties.insert("Gender", "Female").insert("Age", 23);
/// assert_eq!(properties.get("Age").map(|v| v.as_str()), Some("23"));
/// assert_eq!(serde_json::to_string(&properties).unwrap(), r#"{"Age":"23","Gender":"Female"}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transparent))]
pub struct Properties(BTreeMap<PropertyName, PropertyValue>);

impl Properties {
    /// No properties.
    ///
    /// ```
    /// assert!(indicative_contract::Properties::new().is_empty());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets a property, replacing a value of the same name.
    ///
    /// ```
    /// let mut p = indicative_contract::Properties::new();
    /// p.insert("plan", "free").insert("plan", "pro");
    /// assert_eq!(p.len(), 1);
    /// ```
    pub fn insert(&mut self, name: impl Into<PropertyName>, value: impl Into<PropertyValue>) -> &mut Self {
        self.0.insert(name.into(), value.into());
        self
    }

    /// The value of a property.
    ///
    /// ```
    /// let mut p = indicative_contract::Properties::new();
    /// p.insert("a", "b");
    /// assert!(p.get("a").is_some() && p.get("z").is_none());
    /// ```
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&PropertyValue> {
        self.0.get(&PropertyName::from(name))
    }

    /// How many properties there are.
    ///
    /// ```
    /// assert_eq!(indicative_contract::Properties::new().len(), 0);
    /// ```
    #[must_use]
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    ///
    /// ```
    /// assert!(indicative_contract::Properties::new().is_empty());
    /// ```
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The properties, in name order.
    ///
    /// ```
    /// let mut p = indicative_contract::Properties::new();
    /// p.insert("b", 2).insert("a", 1);
    /// let names: Vec<_> = p.iter().map(|(n, _)| n.as_str()).collect();
    /// assert_eq!(names, ["a", "b"]);
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = (&PropertyName, &PropertyValue)> {
        self.0.iter()
    }
}

impl<N: Into<PropertyName>, V: Into<PropertyValue>> FromIterator<(N, V)> for Properties {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Self {
        Self(iter.into_iter().map(|(n, v)| (n.into(), v.into())).collect())
    }
}

impl Serialize for Properties {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // A map with string values only; a repeated name keeps the last value.
        Ok(Self(BTreeMap::<PropertyName, PropertyValue>::deserialize(deserializer)?))
    }
}

/// Accepts any string and keeps nothing: a batch item's `apiKey`, which the
/// API disregards.
struct DisregardedText;

impl<'de> Deserialize<'de> for DisregardedText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // Any string, or null: the value is disregarded either way.
        Option::<String>::deserialize(deserializer).map(|_| Self)
    }
}

/// Writes the hand-written `Serialize` and `Deserialize` of a request body
/// from one list of its wire fields. `Serialize` writes the required fields,
/// then the optional ones that are present, in the order listed.
/// `Deserialize` reads each wire field into its type, checks the required
/// ones at the end and refuses unknown ones. (Hand-written rather than
/// derived: the contract accepts repeated members, which serde's derive
/// refuses, and a crate that only builds typed requests need not build
/// serde's derive.)
macro_rules! wire_body {
    ($ty:ident, $expecting:literal,
        required { $($req_wire:literal => $req:ident: $req_ty:ty),* $(,)? }
        optional { $($opt_wire:literal => $opt:ident: $opt_ty:ty),* $(,)? }
        $(disregarded { $($ign_wire:literal),* })?
    ) => {
        impl<'de> Deserialize<'de> for $ty {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct BodyVisitor;
                impl<'de> Visitor<'de> for BodyVisitor {
                    type Value = $ty;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        f.write_str($expecting)
                    }
                    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<$ty, A::Error> {
                        $(let mut $req: Option<$req_ty> = None;)*
                        $(let mut $opt: Option<$opt_ty> = None;)*
                        const FIELDS: &[&str] = &[$($req_wire,)* $($opt_wire,)* $($($ign_wire,)*)?];
                        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                            match key.as_ref() {
                                // A repeated member: the last one wins, null included.
                                $($req_wire => $req = map.next_value::<Option<$req_ty>>()?,)*
                                $($opt_wire => $opt = map.next_value::<Option<$opt_ty>>()?,)*
                                $($($ign_wire => { map.next_value::<DisregardedText>()?; })*)?
                                other => return Err(de::Error::unknown_field(other, FIELDS)),
                            }
                        }
                        Ok($ty {
                            $($req: $req.ok_or_else(|| de::Error::custom(concat!("[missing-field] ", $req_wire, " is required")))?,)*
                            $($opt,)*
                        })
                    }
                }
                deserializer.deserialize_map(BodyVisitor)
            }
        }

        impl Serialize for $ty {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let len = [$(stringify!($req),)*].len() $(+ usize::from(self.$opt.is_some()))*;
                let mut body = serializer.serialize_struct(stringify!($ty), len)?;
                $(body.serialize_field($req_wire, &self.$req)?;)*
                $(
                    match &self.$opt {
                        Some(value) => body.serialize_field($opt_wire, value)?,
                        None => body.skip_field($opt_wire)?,
                    }
                )*
                body.end()
            }
        }
    };
}

/// POST `/service/event`: one event.
///
/// ```
/// use indicative_contract::Event;
/// let event = Event::builder("Your-API-Key", "Registration", "user47")
///     .property("Gender", "Female")
///     .property("Age", 23)
///     .build()?;
/// assert_eq!(
///     serde_json::to_string(&event).unwrap(),
///     r#"{"apiKey":"Your-API-Key","eventName":"Registration","eventUniqueId":"user47","properties":{"Age":"23","Gender":"Female"}}"#
/// );
/// let back: Event = serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
/// assert_eq!(back, event);
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
#[cfg_attr(feature = "schema", schemars(rename_all = "camelCase"))]
pub struct Event {
    /// The project's API key.
    pub api_key: ApiKey,
    /// The event's name.
    pub event_name: EventName,
    /// The user who triggered it.
    pub event_unique_id: EventUniqueId,
    /// Its properties.
    pub properties: Option<Properties>,
    /// When it happened; absent means "now".
    pub event_time: Option<EventTime>,
}

wire_body!(Event, "an event object",
    required { "apiKey" => api_key: ApiKey, "eventName" => event_name: EventName, "eventUniqueId" => event_unique_id: EventUniqueId }
    optional { "properties" => properties: Properties, "eventTime" => event_time: EventTime });

/// An event inside a batch: an [`Event`] without its API key (an `apiKey`
/// in an item is accepted and disregarded, as the API does).
///
/// ```
/// use indicative_contract::BatchEvent;
/// let item: BatchEvent = serde_json::from_str(r#"{"eventName":"Log-In","eventUniqueId":"user752","apiKey":"ignored"}"#).unwrap();
/// assert_eq!(item.event_name.as_str(), "Log-In");
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct BatchEvent {
    /// The event's name.
    pub event_name: EventName,
    /// The user who triggered it.
    pub event_unique_id: EventUniqueId,
    /// Its properties.
    pub properties: Option<Properties>,
    /// When it happened; absent means "now".
    pub event_time: Option<EventTime>,
}

wire_body!(BatchEvent, "an event object",
    required { "eventName" => event_name: EventName, "eventUniqueId" => event_unique_id: EventUniqueId }
    optional { "properties" => properties: Properties, "eventTime" => event_time: EventTime }
    disregarded { "apiKey" });

/// POST `/service/event/batch`: many events under one key.
///
/// ```
/// use indicative_contract::{Batch, Event};
/// let batch = Batch::builder("Your-API-Key")
///     .event(Event::builder("Your-API-Key", "Registration", "user47"))
///     .event(Event::builder("Your-API-Key", "Log-In", "user752"))
///     .build()?;
/// assert_eq!(batch.events.len(), 2);
/// assert!(serde_json::to_string(&batch).unwrap().starts_with(r#"{"apiKey":"Your-API-Key","events":[{"eventName""#));
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
#[cfg_attr(feature = "schema", schemars(rename_all = "camelCase"))]
pub struct Batch {
    /// The project's API key.
    pub api_key: ApiKey,
    /// The events (up to 100 are recommended).
    pub events: Vec<BatchEvent>,
}

wire_body!(Batch, "a batch object",
    required { "apiKey" => api_key: ApiKey, "events" => events: Vec<BatchEvent> }
    optional {});

/// POST `/service/identify`: set a user's properties.
///
/// ```
/// use indicative_contract::{Identify, Properties, UniqueId, ApiKey};
/// let identify = Identify {
///     api_key: ApiKey::new("Your-API-Key")?,
///     unique_id: UniqueId::new("user47")?,
///     properties: Some([("plan", "pro")].into_iter().collect()),
/// };
/// assert_eq!(serde_json::to_string(&identify).unwrap(), r#"{"apiKey":"Your-API-Key","uniqueId":"user47","properties":{"plan":"pro"}}"#);
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
#[cfg_attr(feature = "schema", schemars(rename_all = "camelCase"))]
pub struct Identify {
    /// The project's API key.
    pub api_key: ApiKey,
    /// The user to update.
    pub unique_id: UniqueId,
    /// The properties to set.
    pub properties: Option<Properties>,
}

wire_body!(Identify, "an identify object",
    required { "apiKey" => api_key: ApiKey, "uniqueId" => unique_id: UniqueId }
    optional { "properties" => properties: Properties });

/// POST `/service/alias`: merge two ids.
///
/// ```
/// use indicative_contract::{Alias, AliasId, ApiKey};
/// let alias = Alias { api_key: ApiKey::new("K")?, previous_id: AliasId::new("anon-1")?, new_id: AliasId::new("user47")? };
/// assert_eq!(serde_json::to_string(&alias).unwrap(), r#"{"apiKey":"K","previousId":"anon-1","newId":"user47"}"#);
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
#[cfg_attr(feature = "schema", schemars(rename_all = "camelCase"))]
pub struct Alias {
    /// The project's API key.
    pub api_key: ApiKey,
    /// The id used so far, most often an anonymous one.
    pub previous_id: AliasId,
    /// The id from now on.
    pub new_id: AliasId,
}

wire_body!(Alias, "an alias object",
    required { "apiKey" => api_key: ApiKey, "previousId" => previous_id: AliasId, "newId" => new_id: AliasId }
    optional {});

/// POST `/service/suppress`: stop processing a user's data.
///
/// ```
/// use indicative_contract::{Suppress, ApiKey, UniqueId};
/// let body = Suppress { api_key: ApiKey::new("K")?, unique_id: UniqueId::new("user47")? };
/// assert_eq!(serde_json::to_string(&body).unwrap(), r#"{"apiKey":"K","uniqueId":"user47"}"#);
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
#[cfg_attr(feature = "schema", schemars(rename_all = "camelCase"))]
pub struct Suppress {
    /// The project's API key.
    pub api_key: ApiKey,
    /// The user whose data to suppress.
    pub unique_id: UniqueId,
}

wire_body!(Suppress, "a suppress object",
    required { "apiKey" => api_key: ApiKey, "uniqueId" => unique_id: UniqueId }
    optional {});

/// POST `/service/delete`: delete a user's data, and suppress it from now on.
///
/// ```
/// use indicative_contract::{Delete, ApiKey, UniqueId};
/// let body: Delete = serde_json::from_str(r#"{"apiKey":"K","uniqueId":"user47"}"#).unwrap();
/// assert_eq!(body.unique_id, UniqueId::new("user47")?);
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema), schemars(deny_unknown_fields))]
#[cfg_attr(feature = "schema", schemars(rename_all = "camelCase"))]
pub struct Delete {
    /// The project's API key.
    pub api_key: ApiKey,
    /// The user whose data to delete.
    pub unique_id: UniqueId,
}

wire_body!(Delete, "a delete object",
    required { "apiKey" => api_key: ApiKey, "uniqueId" => unique_id: UniqueId }
    optional {});

/// GET `/service/event`: one event as query parameters.
///
/// ```
/// use indicative_contract::EventQuery;
/// let query = EventQuery::new("K", "EmailOpen", "user123")?.property("prop1", "val1")?;
/// assert_eq!(query.properties.len(), 1);
/// assert_eq!(query.to_query_string(), "apiKey=K&eventName=EmailOpen&eventUniqueId=user123&propertyNames=prop1&propertyValues=val1");
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct EventQuery {
    /// The project's API key.
    pub api_key: ApiKey,
    /// The event's name.
    pub event_name: EventName,
    /// The user who triggered it.
    pub event_unique_id: EventUniqueId,
    /// `propertyNames` and `propertyValues`, paired in order.
    pub properties: Vec<(QueryProperty, QueryProperty)>,
    /// When it happened; absent means "now".
    pub event_time: Option<EventTime>,
}

impl EventQuery {
    /// The query string, form-encoded, in the reference's parameter order.
    ///
    /// ```
    /// use indicative_contract::{EventQuery, EventTime};
    /// let q = EventQuery::new("K", "Sign up", "u")?.event_time(EventTime::from_number(1_700_000_000.0)?);
    /// assert_eq!(q.to_query_string(), "apiKey=K&eventName=Sign+up&eventUniqueId=u&eventTime=1700000000");
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    #[must_use]
    pub fn to_query_string(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        out.append_pair("apiKey", self.api_key.expose());
        out.append_pair("eventName", self.event_name.as_str());
        out.append_pair("eventUniqueId", self.event_unique_id.as_str());
        for (name, value) in &self.properties {
            out.append_pair("propertyNames", name.as_str());
            out.append_pair("propertyValues", value.as_str());
        }
        if let Some(time) = &self.event_time {
            out.append_pair("eventTime", &time.to_string());
        }
        out.finish()
    }
}

/// Builds an [`Event`] from plain values, checking each when built.
///
/// ```
/// use indicative_contract::{Event, EventTime, Rule};
/// let event = Event::builder("K", "Purchase", "user1")
///     .event_time(EventTime::from_unix_millis(1_700_000_000_000)?)
///     .property("price", 9.99)
///     .build()?;
/// assert_eq!(event.event_time.unwrap().unix_millis(), 1_700_000_000_000);
/// let err = Event::builder("K", "", "user1").build().unwrap_err();
/// assert_eq!(err.rule(), Rule::EmptyField);
/// # Ok::<(), indicative_contract::ContractError>(())
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct EventBuilder {
    api_key: String,
    event_name: String,
    event_unique_id: String,
    properties: Option<Properties>,
    event_time: Option<EventTime>,
}

impl Event {
    /// Starts an event with its three required values.
    ///
    /// ```
    /// let event = indicative_contract::Event::builder("K", "Open", "u1").build()?;
    /// assert!(event.properties.is_none());
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn builder(
        api_key: impl Into<String>,
        event_name: impl Into<String>,
        event_unique_id: impl Into<String>,
    ) -> EventBuilder {
        EventBuilder {
            api_key: api_key.into(),
            event_name: event_name.into(),
            event_unique_id: event_unique_id.into(),
            properties: None,
            event_time: None,
        }
    }

    /// The event as a batch item (its key goes to the batch).
    ///
    /// ```
    /// let event = indicative_contract::Event::builder("K", "Open", "u1").build()?;
    /// assert_eq!(event.into_batch_event().event_name.as_str(), "Open");
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    #[must_use]
    pub fn into_batch_event(self) -> BatchEvent {
        BatchEvent {
            event_name: self.event_name,
            event_unique_id: self.event_unique_id,
            properties: self.properties,
            event_time: self.event_time,
        }
    }
}

impl EventBuilder {
    /// Adds a property (numbers and bools become their text).
    pub fn property(mut self, name: impl Into<PropertyName>, value: impl Into<PropertyValue>) -> Self {
        self.properties.get_or_insert_with(Properties::new).insert(name, value);
        self
    }

    /// Sets every property at once.
    pub fn properties(mut self, properties: Properties) -> Self {
        self.properties = Some(properties);
        self
    }

    /// Sets the time of the event.
    pub fn event_time(mut self, time: EventTime) -> Self {
        self.event_time = Some(time);
        self
    }

    /// Checks every value and builds the event.
    ///
    /// # Errors
    ///
    /// The first value that breaks a rule, in field order.
    pub fn build(self) -> Result<Event, ContractError> {
        Ok(Event {
            api_key: ApiKey::new(self.api_key)?,
            event_name: EventName::new(self.event_name)?,
            event_unique_id: EventUniqueId::new(self.event_unique_id)?,
            properties: self.properties,
            event_time: self.event_time,
        })
    }
}

/// Builds a [`Batch`], checking each event when built.
///
/// ```
/// use indicative_contract::{Batch, Event};
/// let err = Batch::builder("K").event(Event::builder("K", "x".repeat(256), "u")).build().unwrap_err();
/// assert_eq!(err.rule().code(), "too-long");
/// ```
#[derive(Debug, Clone)]
#[must_use]
pub struct BatchBuilder {
    api_key: String,
    events: Vec<EventBuilder>,
}

impl Batch {
    /// Starts a batch under `api_key`.
    ///
    /// ```
    /// let batch = indicative_contract::Batch::builder("K").build()?;
    /// assert!(batch.events.is_empty());
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn builder(api_key: impl Into<String>) -> BatchBuilder {
        BatchBuilder { api_key: api_key.into(), events: Vec::new() }
    }
}

impl BatchBuilder {
    /// Adds an event; its own key is disregarded, as the API does.
    pub fn event(mut self, event: EventBuilder) -> Self {
        self.events.push(event);
        self
    }

    /// Checks every event and builds the batch.
    ///
    /// # Errors
    ///
    /// The key's error, or the first event's.
    pub fn build(self) -> Result<Batch, ContractError> {
        let api_key = ApiKey::new(self.api_key)?;
        let events = self
            .events
            .into_iter()
            .map(|mut event| {
                // The item's key is disregarded; borrow the batch's so that
                // only the item's own fields are checked.
                event.api_key = api_key.expose().to_owned();
                event.build().map(Event::into_batch_event)
            })
            .collect::<Result<_, _>>()?;
        Ok(Batch { api_key, events })
    }
}

impl Identify {
    /// An identify from plain values, checked; add properties with [`Identify::property`].
    ///
    /// # Errors
    ///
    /// The key's or the id's error.
    ///
    /// ```
    /// use indicative_contract::Identify;
    /// let identify = Identify::new("K", "user47")?.property("plan", "pro").property("seats", 5);
    /// assert_eq!(serde_json::to_string(&identify).unwrap(), r#"{"apiKey":"K","uniqueId":"user47","properties":{"plan":"pro","seats":"5"}}"#);
    /// assert_eq!(Identify::new("K", "").unwrap_err().rule().code(), "empty-field");
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn new(api_key: impl Into<String>, unique_id: impl Into<String>) -> Result<Self, ContractError> {
        Ok(Self { api_key: ApiKey::new(api_key)?, unique_id: UniqueId::new(unique_id)?, properties: None })
    }

    /// Sets a property (numbers and bools become their text).
    #[must_use]
    pub fn property(mut self, name: impl Into<PropertyName>, value: impl Into<PropertyValue>) -> Self {
        self.properties.get_or_insert_with(Properties::new).insert(name, value);
        self
    }
}

impl Alias {
    /// An alias from plain values, checked.
    ///
    /// # Errors
    ///
    /// The key's or an id's error.
    ///
    /// ```
    /// use indicative_contract::Alias;
    /// let alias = Alias::new("K", "anon-7f3e", "user47")?;
    /// assert_eq!(alias.new_id.as_str(), "user47");
    /// assert!(Alias::new("K", "", "user47").is_err());
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn new(
        api_key: impl Into<String>,
        previous_id: impl Into<String>,
        new_id: impl Into<String>,
    ) -> Result<Self, ContractError> {
        Ok(Self {
            api_key: ApiKey::new(api_key)?,
            previous_id: AliasId::new(previous_id)?,
            new_id: AliasId::new(new_id)?,
        })
    }
}

impl Suppress {
    /// A suppress from plain values, checked.
    ///
    /// # Errors
    ///
    /// The key's or the id's error.
    ///
    /// ```
    /// assert!(indicative_contract::Suppress::new("K", "user47").is_ok());
    /// ```
    pub fn new(api_key: impl Into<String>, unique_id: impl Into<String>) -> Result<Self, ContractError> {
        Ok(Self { api_key: ApiKey::new(api_key)?, unique_id: UniqueId::new(unique_id)? })
    }
}

impl Delete {
    /// A delete from plain values, checked.
    ///
    /// # Errors
    ///
    /// The key's or the id's error.
    ///
    /// ```
    /// assert!(indicative_contract::Delete::new(" ", "user47").is_err());
    /// ```
    pub fn new(api_key: impl Into<String>, unique_id: impl Into<String>) -> Result<Self, ContractError> {
        Ok(Self { api_key: ApiKey::new(api_key)?, unique_id: UniqueId::new(unique_id)? })
    }
}

impl EventQuery {
    /// A GET event from plain values, checked; add properties with
    /// [`EventQuery::property`] and the time with [`EventQuery::event_time`].
    ///
    /// # Errors
    ///
    /// The first value's error.
    ///
    /// ```
    /// use indicative_contract::EventQuery;
    /// let query = EventQuery::new("K", "EmailOpen", "user123")?.property("prop1", "val1")?;
    /// assert_eq!(query.to_query_string(), "apiKey=K&eventName=EmailOpen&eventUniqueId=user123&propertyNames=prop1&propertyValues=val1");
    /// assert_eq!(EventQuery::new("K", "E", "u")?.property("", "v").unwrap_err().rule().code(), "empty-property");
    /// # Ok::<(), indicative_contract::ContractError>(())
    /// ```
    pub fn new(
        api_key: impl Into<String>,
        event_name: impl Into<String>,
        event_unique_id: impl Into<String>,
    ) -> Result<Self, ContractError> {
        Ok(Self {
            api_key: ApiKey::new(api_key)?,
            event_name: EventName::new(event_name)?,
            event_unique_id: EventUniqueId::new(event_unique_id)?,
            properties: Vec::new(),
            event_time: None,
        })
    }

    /// Adds a property: in a GET, names and values take 1 to 255 characters.
    ///
    /// # Errors
    ///
    /// `empty-property` or `too-long`.
    pub fn property(mut self, name: impl Into<String>, value: impl Into<String>) -> Result<Self, ContractError> {
        self.properties.push((QueryProperty::new(name)?, QueryProperty::new(value)?));
        Ok(self)
    }

    /// Sets the time of the event.
    #[must_use]
    pub fn event_time(mut self, time: EventTime) -> Self {
        self.event_time = Some(time);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deserialize_refuses_what_strict_refuses() {
        let refused = [
            r#"{"apiKey":"K","eventName":"E"}"#,
            r#"{"apiKey":"K","eventName":null,"eventUniqueId":"u"}"#,
            r#"{"apiKey":"K","eventName":1,"eventUniqueId":"u"}"#,
            r#"{"apiKey":"K","eventName":"E","eventUniqueId":"u","extra":1}"#,
            r#"{"apiKey":"K","eventName":"E","eventUniqueId":"u","properties":{"a":null}}"#,
            r#"{"apiKey":"K","eventName":"E","eventUniqueId":"u","properties":{"a":1}}"#,
            r#"{"apiKey":"K","eventName":"E","eventUniqueId":"u","eventTime":"1700000000"}"#,
            r#"{"apiKey":" ","eventName":"E","eventUniqueId":"u"}"#,
        ];
        for json in refused {
            assert!(serde_json::from_str::<Event>(json).is_err(), "{json}");
        }
    }

    #[test]
    fn debug_of_a_request_never_shows_the_key() {
        let key = "f47ac10b-58cc-4372-a567-0e02b2c3d479";
        let event = Event::builder(key, "E", "u").build().unwrap();
        let batch = Batch::builder(key).event(Event::builder(key, "E", "u")).build().unwrap();
        let shown = format!(
            "{event:?} {batch:?} {:?} {:?}",
            Identify::new(key, "u").unwrap(),
            Alias::new(key, "a", "b").unwrap()
        );
        assert!(!shown.contains("58cc") && shown.contains("f47a…"), "{shown}");
        let query = EventQuery::new(key, "E", "u").unwrap();
        assert!(!format!("{query:?}").contains("58cc"));
    }

    #[test]
    fn deserialize_accepts_duplicates_and_null_optionals() {
        let event: Event = serde_json::from_str(
            r#"{"apiKey":"K","eventName":"A","eventName":"B","eventUniqueId":"u","properties":null,"eventTime":null}"#,
        )
        .unwrap();
        assert_eq!(event.event_name.as_str(), "B");
        let later: Event =
            serde_json::from_str(r#"{"apiKey":"K","eventName":null,"eventName":"B","eventUniqueId":"u"}"#).unwrap();
        assert_eq!(later.event_name.as_str(), "B");
        assert!(
            serde_json::from_str::<Event>(r#"{"apiKey":"K","eventName":"B","eventName":null,"eventUniqueId":"u"}"#)
                .is_err()
        );
        assert!(event.properties.is_none() && event.event_time.is_none());
    }
}

//! The tracking plan as data: what a plan file holds once it is loaded and
//! checked. `Serialize` writes the plan file's own shape (YAML through
//! `indicative_plan::write::to_yaml`, or JSON); the JSON Schema of that shape is
//! `schemas/tracking-plan.schema.json`.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

/// A tracking plan: the team's events, their properties, and the user
/// properties identify requests may set.
///
/// ```
/// let plan = indicative_plan_model::Plan::from_text(
///     "tracking-plan.yaml",
///     "name: Shop\nversion: 1-0-0\nevents:\n  Sign Up:\n    properties:\n      plan: { type: enum, values: [free, pro] }\n",
/// )?;
/// assert_eq!(plan.events["Sign Up"].properties["plan"].values, ["free", "pro"]);
/// # Ok::<(), indicative_plan_model::PlanErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[cfg_attr(feature = "schema", schemars(title = "Tracking plan"))]
pub struct Plan {
    /// The plan's name.
    pub name: String,
    /// Its version, in SchemaVer: `MODEL-REVISION-ADDITION` (`1-2-0`).
    pub version: SchemaVer,
    /// What the plan covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// What to do with a property no event plans (an event may override it).
    #[serde(default, skip_serializing_if = "Policy::is_default")]
    pub policy: Policy,
    /// Property groups, by name, that events include.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub groups: BTreeMap<String, Group>,
    /// The events, keyed by their exact `eventName`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[cfg_attr(feature = "schema", schemars(extend("propertyNames" = {"minLength": 1, "maxLength": 255})))]
    pub events: BTreeMap<String, EventSpec>,
    /// The user properties identify requests may set.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub user_properties: BTreeMap<String, PropertySpec>,
}

impl Plan {
    /// An empty plan with a name and a version.
    ///
    /// ```
    /// let plan = indicative_plan_model::Plan::new("Shop", indicative_plan_model::SchemaVer::new(1, 0, 0));
    /// assert!(plan.events.is_empty());
    /// ```
    #[must_use]
    pub fn new(name: &str, version: SchemaVer) -> Self {
        Self {
            name: name.to_owned(),
            version,
            description: None,
            policy: Policy::default(),
            groups: BTreeMap::new(),
            events: BTreeMap::new(),
            user_properties: BTreeMap::new(),
        }
    }

    /// The properties of `event` with its groups' folded in (the event's own
    /// first), each with the name it is planned under.
    ///
    /// ```
    /// let plan = indicative_plan_model::Plan::from_text("p.yaml", "name: P\nversion: 1-0-0\ngroups:\n  g:\n    properties:\n      a: { type: string }\nevents:\n  E:\n    include: [g]\n    properties:\n      b: { type: integer }\n")?;
    /// let names: Vec<&str> = plan.properties_of(&plan.events["E"]).map(|(name, _)| name).collect();
    /// assert_eq!(names, ["b", "a"]);
    /// # Ok::<(), indicative_plan_model::PlanErrors>(())
    /// ```
    pub fn properties_of<'p>(&'p self, event: &'p EventSpec) -> impl Iterator<Item = (&'p str, &'p PropertySpec)> {
        let own = event.properties.iter();
        let grouped = event.include.iter().filter_map(|g| self.groups.get(g)).flat_map(|g| g.properties.iter());
        own.chain(grouped).map(|(name, spec)| (name.as_str(), spec))
    }

    /// The policy for properties `event` does not plan.
    #[must_use]
    pub fn policy_of(&self, event: &EventSpec) -> Policy {
        event.policy.unwrap_or(self.policy)
    }
}

/// A SchemaVer version: `MODEL-REVISION-ADDITION`. MODEL changes break
/// existing data or code (an event removed, a property made required),
/// REVISION may (a type narrowed in a compatible way), ADDITION never (a new
/// optional property, a new event).
///
/// ```
/// let v: indicative_plan_model::SchemaVer = "1-2-0".parse().unwrap();
/// assert_eq!((v.model, v.revision, v.addition), (1, 2, 0));
/// assert_eq!(v.to_string(), "1-2-0");
/// assert!("1.2.0".parse::<indicative_plan_model::SchemaVer>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SchemaVer {
    /// Breaking changes.
    pub model: u32,
    /// Changes that may break some consumers.
    pub revision: u32,
    /// Additions.
    pub addition: u32,
}

impl SchemaVer {
    /// A version from its three parts.
    #[must_use]
    pub const fn new(model: u32, revision: u32, addition: u32) -> Self {
        Self { model, revision, addition }
    }
}

impl fmt::Display for SchemaVer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{}", self.model, self.revision, self.addition)
    }
}

impl std::str::FromStr for SchemaVer {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = text.split('-').collect();
        let number = |part: &str| {
            let well_formed =
                !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()) && (part == "0" || !part.starts_with('0'));
            well_formed.then(|| part.parse::<u32>().ok()).flatten()
        };
        match parts.as_slice() {
            [m, r, a] => match (number(m), number(r), number(a)) {
                (Some(model), Some(revision), Some(addition)) => Ok(Self { model, revision, addition }),
                _ => Err(format!("`{text}` is not MODEL-REVISION-ADDITION: three whole numbers without leading zeros")),
            },
            _ => Err(format!("`{text}` is not MODEL-REVISION-ADDITION (SchemaVer, such as 1-0-0)")),
        }
    }
}

impl Serialize for SchemaVer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for SchemaVer {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SchemaVer".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(0|[1-9][0-9]*)-(0|[1-9][0-9]*)-(0|[1-9][0-9]*)$",
            "description": "SchemaVer: MODEL-REVISION-ADDITION, such as 1-0-0.",
        })
    }
}

/// What to do with a property that the event's plan does not have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum Policy {
    /// Accept it silently.
    Allow,
    /// Report it with at most a warning.
    #[default]
    Warn,
    /// Report it with the rule's severity (an error by default).
    Deny,
}

impl Policy {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The policy's name in a plan file.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Allow => "allow",
            Self::Warn => "warn",
            Self::Deny => "deny",
        }
    }
}

/// Properties that several events share.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Group {
    /// What the group stands for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its properties.
    #[serde(default)]
    pub properties: BTreeMap<String, PropertySpec>,
}

/// Where an event stands in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum EventStatus {
    /// Designed, not sent yet.
    Planned,
    /// Sent.
    #[default]
    Active,
    /// On its way out: sending it is warned about (an error from its sunset date).
    Deprecated,
}

impl EventStatus {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// The status's name in a plan file.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Planned => "planned",
            Self::Active => "active",
            Self::Deprecated => "deprecated",
        }
    }
}

/// One planned event.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventSpec {
    /// What happened, for people and generated code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Who answers for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Where it stands in its life.
    #[serde(default, skip_serializing_if = "EventStatus::is_default")]
    pub status: EventStatus,
    /// For a deprecated event: the day from which sending it is an error.
    #[serde(default, skip_serializing_if = "Option::is_none", serialize_with = "date_text")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<String>", extend("format" = "date")))]
    pub sunset: Option<jiff::civil::Date>,
    /// The groups whose properties the event has too.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// Its own policy for properties it does not plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    /// Its properties, by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub properties: BTreeMap<String, PropertySpec>,
}

fn date_text<S: serde::Serializer>(date: &Option<jiff::civil::Date>, serializer: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => serializer.collect_str(date),
        None => serializer.serialize_none(),
    }
}

/// The type of a property: a statement about the text the API stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum PropertyType {
    /// Any text.
    #[default]
    String,
    /// An optional `-` and digits, without leading zeros.
    Integer,
    /// A JSON number literal.
    Number,
    /// `true` or `false`.
    Boolean,
    /// An RFC 3339 date-time with an offset, on a real calendar day.
    Datetime,
    /// One of the listed `values`.
    Enum,
}

impl PropertyType {
    /// Every type, in the order of the documentation.
    pub const ALL: [Self; 6] = [Self::String, Self::Integer, Self::Number, Self::Boolean, Self::Datetime, Self::Enum];

    /// The type's name in a plan file.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::Boolean => "boolean",
            Self::Datetime => "datetime",
            Self::Enum => "enum",
        }
    }

    /// Reads a type's name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

/// One planned property.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PropertySpec {
    /// What its text must be.
    #[serde(rename = "type")]
    pub kind: PropertyType,
    /// Whether every event must carry it (not null).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub required: bool,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Example values, as the API stores them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// For an `enum`: the allowed texts.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// For a `string`: a regular expression the text must match somewhere,
    /// in the syntax Rust, ECMA-262 and Python read alike (the plan refuses the rest).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// For an `integer` or `number`: the smallest value allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// For an `integer` or `number`: the largest value allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// For a `string`: the fewest characters allowed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_length: Option<u32>,
    /// For a `string`: the most characters allowed (at most 255).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(range(max = 255)))]
    pub max_length: Option<u32>,
}

impl PropertySpec {
    /// A property of a type, with no constraint.
    ///
    /// ```
    /// use indicative_plan_model::{PropertySpec, PropertyType};
    /// assert!(!PropertySpec::of(PropertyType::Integer).required);
    /// ```
    #[must_use]
    pub fn of(kind: PropertyType) -> Self {
        Self { kind, ..Self::default() }
    }
}

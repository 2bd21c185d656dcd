//! The fast way in for a JSON plan: serde straight into the model, with no
//! tree and no places (the file types here are also what `fast_yaml` reads
//! a YAML plan into). It takes a stricter shape than the slow way (a
//! repeated key, a number written as text, a null where a mapping goes are
//! all left to the slow way), so whatever it reads, the slow way reads the
//! same (a property test holds it to that); the loader falls back to the
//! slow way for anything it refuses, and for any plan the checks fault.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, MapAccess, Visitor};

use crate::model::{EventSpec, EventStatus, Group, Plan, Policy, PropertySpec, PropertyType, SchemaVer};

/// Reads `text` as a JSON plan, or `None` when this way does not take it.
pub(crate) fn read_json(text: &str) -> Option<Plan> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    // A number of more significant digits than a float holds may not be
    // held exactly (a bound): left to the slow way, which reads its text.
    if has_long_number(text) {
        return None;
    }
    let file: PlanFile = serde_json::from_str(text).ok()?;
    // An escape may give what a plan may not hold (`\u0007`): left to the
    // slow way, which says where.
    let escapes = text.contains('\\');
    if escapes && !file.schema.as_deref().is_none_or(crate::yaml::is_all_printable) {
        return None;
    }
    let plan = plan_of(file)?;
    (!escapes || texts_of(&plan).all(crate::yaml::is_all_printable)).then_some(plan)
}

/// Every text of a plan: names, descriptions, values, patterns.
fn texts_of(plan: &Plan) -> impl Iterator<Item = &str> {
    fn property<'p>((name, spec): (&'p String, &'p PropertySpec)) -> impl Iterator<Item = &'p str> {
        [name, spec.description.as_ref().unwrap_or(name), spec.pattern.as_ref().unwrap_or(name)]
            .into_iter()
            .chain(&spec.examples)
            .chain(&spec.values)
            .map(String::as_str)
    }
    let groups = plan.groups.iter().flat_map(|(name, group)| {
        [name.as_str(), group.description.as_deref().unwrap_or("")]
            .into_iter()
            .chain(group.properties.iter().flat_map(property))
    });
    let events = plan.events.iter().flat_map(|(name, event)| {
        [name.as_str(), event.description.as_deref().unwrap_or(""), event.owner.as_deref().unwrap_or("")]
            .into_iter()
            .chain(event.include.iter().map(String::as_str))
            .chain(event.properties.iter().flat_map(property))
    });
    [plan.name.as_str(), plan.description.as_deref().unwrap_or("")]
        .into_iter()
        .chain(groups)
        .chain(events)
        .chain(plan.user_properties.iter().flat_map(property))
}

/// The plan a file read by either fast way (JSON, YAML) holds, or `None`
/// when the slow way would refuse its name.
pub(crate) fn plan_of(file: PlanFile) -> Option<Plan> {
    let mut plan = Plan::new(&file.name, file.version);
    plan.description = file.description.filter(|d| !d.is_empty());
    plan.policy = file.policy;
    plan.groups = file.groups.0.into_iter().map(|(name, group)| (name, group.into())).collect();
    plan.events = file.events.0.into_iter().map(|(name, event)| (name, event.into())).collect();
    plan.user_properties = file.user_properties.0.into_iter().map(|(name, p)| (name, p.into())).collect();
    // As the slow way: a name must hold more than white space.
    (!plan.name.trim().is_empty()).then_some(plan)
}

/// A JSON object whose keys are unique (serde's own maps keep the last of
/// a repeated key without a word).
pub(crate) struct Unique<T>(pub(crate) BTreeMap<String, T>);

impl<T> Default for Unique<T> {
    fn default() -> Self {
        Self(BTreeMap::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Unique<T> {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct UniqueVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for UniqueVisitor<T> {
            type Value = Unique<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object with unique keys")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut entries = BTreeMap::new();
                while let Some((key, value)) = map.next_entry::<String, T>()? {
                    if entries.insert(key, value).is_some() {
                        return Err(de::Error::custom("a repeated key"));
                    }
                }
                Ok(Unique(entries))
            }
        }
        deserializer.deserialize_map(UniqueVisitor(PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct PlanFile {
    /// Read, not kept: a text, as it always is (a mapping there could hold
    /// what the slow way reports).
    #[serde(rename = "$schema", default)]
    schema: Option<String>,
    name: String,
    #[serde(deserialize_with = "schema_ver")]
    version: SchemaVer,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, deserialize_with = "policy")]
    policy: Policy,
    #[serde(default)]
    groups: Unique<GroupFile>,
    #[serde(default)]
    events: Unique<EventFile>,
    #[serde(default)]
    user_properties: Unique<PropertyFile>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct GroupFile {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    properties: Unique<PropertyFile>,
}

impl From<GroupFile> for Group {
    fn from(group: GroupFile) -> Self {
        Self {
            description: group.description.filter(|d| !d.is_empty()),
            properties: group.properties.0.into_iter().map(|(n, p)| (n, p.into())).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(crate) struct EventFile {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    owner: Option<String>,
    #[serde(default, deserialize_with = "status")]
    status: EventStatus,
    #[serde(default, deserialize_with = "date")]
    sunset: Option<jiff::civil::Date>,
    #[serde(default)]
    include: Vec<String>,
    #[serde(default, deserialize_with = "some_policy")]
    policy: Option<Policy>,
    #[serde(default)]
    properties: Unique<PropertyFile>,
}

impl From<EventFile> for EventSpec {
    fn from(event: EventFile) -> Self {
        Self {
            description: event.description.filter(|d| !d.is_empty()),
            owner: event.owner.filter(|o| !o.is_empty()),
            status: event.status,
            sunset: event.sunset,
            include: event.include,
            policy: event.policy,
            properties: event.properties.0.into_iter().map(|(n, p)| (n, p.into())).collect(),
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct PropertyFile {
    #[serde(rename = "type", deserialize_with = "kind")]
    kind: PropertyType,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    values: Vec<String>,
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default, deserialize_with = "some")]
    min: Option<f64>,
    #[serde(default, deserialize_with = "some")]
    max: Option<f64>,
    #[serde(default, deserialize_with = "some")]
    min_length: Option<u32>,
    #[serde(default, deserialize_with = "some")]
    max_length: Option<u32>,
}

impl From<PropertyFile> for PropertySpec {
    fn from(p: PropertyFile) -> Self {
        Self {
            kind: p.kind,
            required: p.required,
            description: p.description.filter(|d| !d.is_empty()),
            examples: p.examples,
            values: p.values,
            pattern: p.pattern,
            min: p.min,
            max: p.max,
            min_length: p.min_length,
            max_length: p.max_length,
        }
    }
}

/// Whether `text` holds a run of more than 15 digits (a `.` between them
/// included), or digits with an exponent of three digits or more, in a
/// string or not: the JSON reader would read such a number into a float
/// that may not hold it.
fn has_long_number(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut run = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        match byte {
            b'0'..=b'9' => {
                run += 1;
                if run > 15 {
                    return true;
                }
            }
            b'.' => {}
            b'e' | b'E' if run > 0 => {
                let rest = &bytes[i + 1..];
                let rest = rest.strip_prefix(b"-").or_else(|| rest.strip_prefix(b"+")).unwrap_or(rest);
                if rest.iter().take_while(|b| b.is_ascii_digit()).count() >= 3 {
                    return true;
                }
                run = 0;
            }
            _ => run = 0,
        }
    }
    false
}

/// A value that is there (a null is left to the slow way, which says that
/// it is not a number).
fn some<'de, D: de::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A text that `parse` turns into a value, or an error.
fn parsed<'de, D: de::Deserializer<'de>, T>(
    deserializer: D,
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
    parse(&text).ok_or_else(|| de::Error::custom("not a value this field takes"))
}

fn schema_ver<'de, D: de::Deserializer<'de>>(d: D) -> Result<SchemaVer, D::Error> {
    parsed(d, |t| t.parse().ok())
}

fn policy_of(text: &str) -> Option<Policy> {
    [Policy::Allow, Policy::Warn, Policy::Deny].into_iter().find(|p| p.as_str() == text)
}

fn policy<'de, D: de::Deserializer<'de>>(d: D) -> Result<Policy, D::Error> {
    parsed(d, policy_of)
}

fn some_policy<'de, D: de::Deserializer<'de>>(d: D) -> Result<Option<Policy>, D::Error> {
    parsed(d, policy_of).map(Some)
}

fn status<'de, D: de::Deserializer<'de>>(d: D) -> Result<EventStatus, D::Error> {
    parsed(d, |t| {
        [EventStatus::Planned, EventStatus::Active, EventStatus::Deprecated].into_iter().find(|s| s.as_str() == t)
    })
}

fn kind<'de, D: de::Deserializer<'de>>(d: D) -> Result<PropertyType, D::Error> {
    parsed(d, PropertyType::parse)
}

fn date<'de, D: de::Deserializer<'de>>(d: D) -> Result<Option<jiff::civil::Date>, D::Error> {
    parsed(d, |t| (t.len() == 10).then(|| t.parse().ok()).flatten()).map(Some)
}

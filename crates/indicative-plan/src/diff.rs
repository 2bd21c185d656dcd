//! Two versions of a plan compared: each change classed by what it does to
//! data already sent, and the version bump it needs (SchemaVer).
//!
//! - **MODEL**: data valid under the old plan may break the new one (an
//!   event or property removed, a property made required, a type narrowed,
//!   an enum value removed, a bound tightened, a pattern added or changed, a
//!   stricter policy).
//! - **REVISION**: old data still passes, but the new plan lets through data
//!   the old one refused (a type widened, an enum value added, a property
//!   made optional, a bound relaxed, a pattern removed, a looser policy, an
//!   event deprecated).
//! - **ADDITION**: nothing changes for data (a new event, a new optional
//!   property, descriptions, owners, examples, the plan's name, a planned
//!   event made active). A type change is compared with its constraints,
//!   and a version never moves backwards.

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

use crate::{EventSpec, EventStatus, Plan, Policy, PropertySpec, PropertyType, SchemaVer};

/// How much a change needs the version to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Bump {
    /// No version change.
    None,
    /// The third number.
    Addition,
    /// The second number.
    Revision,
    /// The first number.
    Model,
}

impl Bump {
    /// The bump from one version to the next; `None` when the versions are
    /// equal or the new one is lower.
    ///
    /// ```
    /// use indicative_plan::{SchemaVer, diff::Bump};
    /// assert_eq!(Bump::between(SchemaVer::new(1, 2, 3), SchemaVer::new(1, 3, 0)), Bump::Revision);
    /// assert_eq!(Bump::between(SchemaVer::new(1, 2, 3), SchemaVer::new(1, 2, 3)), Bump::None);
    /// ```
    #[must_use]
    pub fn between(old: SchemaVer, new: SchemaVer) -> Self {
        if new.model > old.model {
            Self::Model
        } else if new.model == old.model && new.revision > old.revision {
            Self::Revision
        } else if new.model == old.model && new.revision == old.revision && new.addition > old.addition {
            Self::Addition
        } else {
            Self::None
        }
    }

    /// The bump's name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Addition => "ADDITION",
            Self::Revision => "REVISION",
            Self::Model => "MODEL",
        }
    }
}

impl fmt::Display for Bump {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change between two plans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Where: `events.Sign Up.properties.plan`, `userProperties.tier`, ...
    pub place: String,
    /// What changed.
    pub message: String,
    /// The bump it needs.
    pub bump: Bump,
}

/// The comparison of two plans.
///
/// ```
/// use indicative_plan::{Plan, diff::{diff, Bump}};
/// let old = Plan::from_text("old.yaml", "name: P\nversion: 1-0-0\nevents:\n  A:\n    properties:\n      p: { type: enum, values: [x, y] }\n")?;
/// let new = Plan::from_text("new.yaml", "name: P\nversion: 1-1-0\nevents:\n  A:\n    properties:\n      p: { type: enum, values: [x] }\n")?;
/// let d = diff(&old, &new);
/// assert_eq!(d.needed, Bump::Model);
/// assert_eq!(d.changes[0].message, "enum value `y` removed");
/// assert!(!d.bump_is_enough());
/// # Ok::<(), indicative_plan::PlanErrors>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The old plan's version.
    pub old_version: String,
    /// The new plan's version.
    pub new_version: String,
    /// Every change, in the order of the plan.
    pub changes: Vec<Change>,
    /// The largest bump the changes need.
    pub needed: Bump,
    /// The bump the versions show.
    pub made: Bump,
    /// Whether the new version is lower than the old one (never enough).
    pub backwards: bool,
}

impl Diff {
    /// Whether the new version moved at least as much as the changes need
    /// (and did not move backwards).
    #[must_use]
    pub fn bump_is_enough(&self) -> bool {
        !self.backwards && self.made >= self.needed
    }
}

/// Compares two plans.
#[must_use]
pub fn diff(old: &Plan, new: &Plan) -> Diff {
    let mut changes = Vec::new();
    let mut add = |place: String, message: String, bump: Bump| changes.push(Change { place, message, bump });
    if old.policy != new.policy {
        let bump = policy_bump(old.policy, new.policy);
        add("policy".into(), format!("policy {} → {}", old.policy.as_str(), new.policy.as_str()), bump);
    }
    for (name, old_event) in &old.events {
        let place = format!("events.{name}");
        match new.events.get(name) {
            None => add(place, format!("event `{name}` removed"), Bump::Model),
            Some(new_event) => event_changes(old, old_event, new, new_event, &place, &mut add),
        }
    }
    for (name, event) in &new.events {
        if !old.events.contains_key(name) {
            let required = new.properties_of(event).any(|(_, spec)| spec.required);
            let note = if required { " (with required properties: new data only)" } else { "" };
            add(format!("events.{name}"), format!("event `{name}` added{note}"), Bump::Addition);
        }
    }
    property_changes(
        &collect(old.user_properties.iter()),
        &collect(new.user_properties.iter()),
        "userProperties",
        &mut add,
    );
    if old.description != new.description {
        add("description".into(), "the plan's description changed".into(), Bump::Addition);
    }
    if old.name != new.name {
        add("name".into(), format!("the plan's name `{}` → `{}`", old.name, new.name), Bump::Addition);
    }
    let needed = changes.iter().map(|c| c.bump).max().unwrap_or(Bump::None);
    let made = Bump::between(old.version, new.version);
    let backwards = new.version < old.version;
    Diff {
        old_version: old.version.to_string(),
        new_version: new.version.to_string(),
        changes,
        needed,
        made,
        backwards,
    }
}

fn collect<'p>(specs: impl Iterator<Item = (&'p String, &'p PropertySpec)>) -> BTreeMap<&'p str, &'p PropertySpec> {
    specs.map(|(name, spec)| (name.as_str(), spec)).collect()
}

/// A stricter policy refuses what was accepted.
fn policy_bump(old: Policy, new: Policy) -> Bump {
    let rank = |p: Policy| match p {
        Policy::Allow => 0,
        Policy::Warn => 1,
        Policy::Deny => 2,
    };
    if rank(new) > rank(old) { Bump::Model } else { Bump::Revision }
}

fn event_changes(
    old_plan: &Plan,
    old: &EventSpec,
    new_plan: &Plan,
    new: &EventSpec,
    place: &str,
    add: &mut impl FnMut(String, String, Bump),
) {
    if old.status != new.status {
        let bump = match (old.status, new.status) {
            (_, EventStatus::Deprecated) => Bump::Revision,
            (EventStatus::Deprecated, _) => Bump::Revision,
            _ => Bump::Addition,
        };
        add(place.into(), format!("status {} → {}", old.status.as_str(), new.status.as_str()), bump);
    }
    if old.sunset != new.sunset {
        let shown = |d: Option<jiff::civil::Date>| d.map_or_else(|| "none".to_owned(), |d| d.to_string());
        add(place.into(), format!("sunset {} → {}", shown(old.sunset), shown(new.sunset)), Bump::Revision);
    }
    // A change of the plan's policy is reported once, at the plan; here,
    // a change of the event's own.
    let (old_policy, new_policy) = (old_plan.policy_of(old), new_plan.policy_of(new));
    if old.policy != new.policy && old_policy != new_policy {
        add(
            format!("{place}.policy"),
            format!("policy {} → {}", old_policy.as_str(), new_policy.as_str()),
            policy_bump(old_policy, new_policy),
        );
    }
    if old.description != new.description || old.owner != new.owner {
        add(place.into(), "description or owner changed".into(), Bump::Addition);
    }
    // Groups are compared through what the event ends up with.
    let old_props: BTreeMap<&str, &PropertySpec> = old_plan.properties_of(old).collect();
    let new_props: BTreeMap<&str, &PropertySpec> = new_plan.properties_of(new).collect();
    property_changes(&old_props, &new_props, &format!("{place}.properties"), add);
}

fn property_changes(
    old: &BTreeMap<&str, &PropertySpec>,
    new: &BTreeMap<&str, &PropertySpec>,
    place: &str,
    add: &mut impl FnMut(String, String, Bump),
) {
    for (name, old_spec) in old {
        let at = format!("{place}.{name}");
        match new.get(name) {
            None => add(at, format!("property `{name}` removed"), Bump::Model),
            Some(new_spec) => spec_changes(old_spec, new_spec, &at, add),
        }
    }
    for (name, spec) in new {
        if !old.contains_key(name) {
            let (message, bump) = if spec.required {
                (format!("required property `{name}` added"), Bump::Model)
            } else {
                (format!("optional property `{name}` added"), Bump::Addition)
            };
            add(format!("{place}.{name}"), message, bump);
        }
    }
}

/// Whether every text of type `old` is of type `new` (a widening, or the same).
fn widens(old: PropertyType, new: PropertyType) -> bool {
    old == new || new == PropertyType::String || (old == PropertyType::Integer && new == PropertyType::Number)
}

fn spec_changes(old: &PropertySpec, new: &PropertySpec, at: &str, add: &mut impl FnMut(String, String, Bump)) {
    if old.kind != new.kind {
        let bump = if widens(old.kind, new.kind) { Bump::Revision } else { Bump::Model };
        add(at.into(), format!("type {} → {}", old.kind.as_str(), new.kind.as_str()), bump);
    }
    if old.required != new.required {
        let (message, bump) =
            if new.required { ("made required", Bump::Model) } else { ("made optional", Bump::Revision) };
        add(at.into(), message.into(), bump);
    }
    if old.description != new.description || old.examples != new.examples {
        add(at.into(), "description or examples changed".into(), Bump::Addition);
    }
    // Constraints are compared across a type change too: a type widened
    // with a pattern or a bound added still refuses data sent before. Enum
    // values only between two enums (a type made enum or no longer enum
    // is the type's change).
    if old.kind == PropertyType::Enum && new.kind == PropertyType::Enum {
        for value in &old.values {
            if !new.values.contains(value) {
                add(at.into(), format!("enum value `{value}` removed"), Bump::Model);
            }
        }
        for value in &new.values {
            if !old.values.contains(value) {
                add(at.into(), format!("enum value `{value}` added"), Bump::Revision);
            }
        }
    }
    if old.pattern != new.pattern {
        let bump = if new.pattern.is_none() { Bump::Revision } else { Bump::Model };
        let shown = |p: &Option<String>| p.as_deref().map_or_else(|| "none".to_owned(), |p| format!("`{p}`"));
        add(at.into(), format!("pattern {} → {}", shown(&old.pattern), shown(&new.pattern)), bump);
    }
    bound(at, "min", old.min, new.min, true, add);
    bound(at, "max", old.max, new.max, false, add);
    bound(at, "minLength", old.min_length.map(f64::from), new.min_length.map(f64::from), true, add);
    bound(at, "maxLength", old.max_length.map(f64::from), new.max_length.map(f64::from), false, add);
}

/// A lower bound (`is_min`) tightens when it rises or appears; an upper
/// bound when it falls or appears.
fn bound(
    at: &str,
    key: &str,
    old: Option<f64>,
    new: Option<f64>,
    is_min: bool,
    add: &mut impl FnMut(String, String, Bump),
) {
    if old == new {
        return;
    }
    let tighter = match (old, new) {
        (None, Some(_)) => true,
        (Some(_), None) => false,
        (Some(o), Some(n)) => {
            if is_min {
                n > o
            } else {
                n < o
            }
        }
        (None, None) => return,
    };
    let shown = |v: Option<f64>| v.map_or_else(|| "none".to_owned(), |v| v.to_string());
    add(
        at.into(),
        format!("{key} {} → {}", shown(old), shown(new)),
        if tighter { Bump::Model } else { Bump::Revision },
    );
}

//! How much of a plan a capture shows: per planned event, how often it was
//! seen and how often each of its properties had a value; planned events
//! never seen; events seen that the plan does not have.
//!
//! The counting runs in the lint engine's pass, as a [`EventChecker`] that
//! reports nothing: captures are read the way `indicative lint` reads them.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use indicative_contract::{EventChecker, EventView, Findings, ValueView};
use serde::Serialize;

use crate::{EventStatus, Plan};

#[derive(Debug, Default)]
struct Counts {
    events: BTreeMap<String, EventCounts>,
    identifies: u64,
    user_properties: BTreeMap<String, u64>,
}

#[derive(Debug, Default)]
struct EventCounts {
    seen: u64,
    properties: BTreeMap<String, u64>,
}

/// Counts the events and properties the engine reads.
///
/// ```
/// use indicative_contract::{lint_body, LintOptions, RequestInfo};
/// use indicative_plan::{Plan, coverage::CoverageCounter};
/// let plan = Plan::from_text("p.yaml", "name: P\nversion: 1-0-0\nevents:\n  A:\n    properties:\n      x: { type: string }\n  B: {}\n")?;
/// let counter = CoverageCounter::default().shared();
/// let options = LintOptions::new(0).with_checker(counter.clone());
/// for body in [r#"{"apiKey":"K","eventName":"A","eventUniqueId":"u","properties":{"x":"1"}}"#, r#"{"apiKey":"K","eventName":"A","eventUniqueId":"u"}"#, r#"{"apiKey":"K","eventName":"C","eventUniqueId":"u"}"#] {
///     let _ = lint_body(body.as_bytes(), &RequestInfo::default(), &options);
/// }
/// let coverage = counter.coverage(&plan);
/// assert_eq!(coverage.events[0].seen, 2);
/// assert_eq!(coverage.events[0].properties[0].fill_rate, 0.5);
/// assert_eq!(coverage.never_seen, ["B"]);
/// assert_eq!(coverage.unplanned[0].name, "C");
/// # Ok::<(), indicative_plan::PlanErrors>(())
/// ```
#[derive(Debug, Default)]
pub struct CoverageCounter {
    counts: Mutex<Counts>,
}

impl CoverageCounter {
    /// The counter behind an `Arc`, to give the engine and keep for the report.
    #[must_use]
    pub fn shared(self) -> Arc<Self> {
        Arc::new(self)
    }

    /// What the counted events show of `plan`.
    #[must_use]
    pub fn coverage(&self, plan: &Plan) -> Coverage {
        let counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let none = EventCounts::default();
        let events: Vec<EventCoverage> = plan
            .events
            .iter()
            .map(|(name, spec)| {
                let seen = counts.events.get(name).unwrap_or(&none);
                let planned: Vec<&str> = plan.properties_of(spec).map(|(n, _)| n).collect();
                let properties = plan
                    .properties_of(spec)
                    .map(|(property, p)| {
                        let filled = seen.properties.get(property).copied().unwrap_or(0);
                        PropertyCoverage {
                            name: property.to_owned(),
                            required: p.required,
                            filled,
                            fill_rate: rate(filled, seen.seen),
                        }
                    })
                    .collect();
                let unplanned_properties = seen
                    .properties
                    .iter()
                    .filter(|(p, _)| !planned.contains(&p.as_str()))
                    .map(|(p, n)| Seen { name: p.clone(), count: *n })
                    .collect();
                EventCoverage {
                    name: name.clone(),
                    status: spec.status.as_str(),
                    seen: seen.seen,
                    properties,
                    unplanned_properties,
                }
            })
            .collect();
        let never_seen = events
            .iter()
            .filter(|e| e.seen == 0 && e.status == EventStatus::Active.as_str())
            .map(|e| e.name.clone())
            .collect();
        let unplanned = counts
            .events
            .iter()
            .filter(|(name, _)| !plan.events.contains_key(*name))
            .map(|(name, c)| Seen { name: name.clone(), count: c.seen })
            .collect();
        let user_properties = plan
            .user_properties
            .iter()
            .map(|(name, spec)| {
                let filled = counts.user_properties.get(name).copied().unwrap_or(0);
                PropertyCoverage {
                    name: name.clone(),
                    required: spec.required,
                    filled,
                    fill_rate: rate(filled, counts.identifies),
                }
            })
            .collect();
        let seen_events: u64 = counts.events.values().map(|c| c.seen).sum();
        Coverage {
            events_seen: seen_events,
            identifies_seen: counts.identifies,
            events,
            never_seen,
            unplanned,
            user_properties,
        }
    }
}

fn rate(part: u64, whole: u64) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

/// The names of the properties of `event` that have a value as stored:
/// of a name given more than once, the last value is the one the API keeps
/// (as lint reads it), so it counts once, and only if that value is not
/// null.
fn filled(event: &EventView<'_>) -> Vec<String> {
    let mut last: rustc_hash::FxHashMap<String, bool> = rustc_hash::FxHashMap::default();
    for property in event.properties() {
        let has_value = !matches!(property.value, ValueView::Null | ValueView::Unreadable);
        last.insert(property.name.into_owned(), has_value);
    }
    last.into_iter().filter_map(|(name, has_value)| has_value.then_some(name)).collect()
}

impl EventChecker for CoverageCounter {
    fn check_event(&self, event: &EventView<'_>, _: &mut Findings<'_, '_>) {
        let Some(name) = event.name() else { return };
        let filled = filled(event);
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = counts.events.entry(name.to_owned()).or_default();
        entry.seen += 1;
        for property in filled {
            *entry.properties.entry(property).or_default() += 1;
        }
    }

    fn check_user(&self, user: &EventView<'_>, _: &mut Findings<'_, '_>) {
        let filled = filled(user);
        let mut counts = self.counts.lock().unwrap_or_else(PoisonError::into_inner);
        counts.identifies += 1;
        for property in filled {
            *counts.user_properties.entry(property).or_default() += 1;
        }
    }
}

/// A plan's coverage by a capture.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Coverage {
    /// Events read (single, batch items and GET).
    pub events_seen: u64,
    /// Identify requests read.
    pub identifies_seen: u64,
    /// Every planned event, in the plan's order.
    pub events: Vec<EventCoverage>,
    /// Active planned events never seen (planned and deprecated ones are not expected).
    pub never_seen: Vec<String>,
    /// Events seen that the plan does not have, with how often.
    pub unplanned: Vec<Seen>,
    /// The plan's user properties and how often identifies set them.
    pub user_properties: Vec<PropertyCoverage>,
}

/// One planned event in a capture.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventCoverage {
    /// Its name.
    pub name: String,
    /// Its status in the plan.
    pub status: &'static str,
    /// How often it was seen.
    pub seen: u64,
    /// Its planned properties (groups included), and how often each had a value.
    pub properties: Vec<PropertyCoverage>,
    /// Properties it was seen with that its plan does not have.
    pub unplanned_properties: Vec<Seen>,
}

/// How often a planned property had a value (not null).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PropertyCoverage {
    /// Its name.
    pub name: String,
    /// Whether the plan requires it.
    pub required: bool,
    /// How many of the event's occurrences (or identifies) had it.
    pub filled: u64,
    /// `filled` over the occurrences, from 0 to 1 (0 when never seen).
    pub fill_rate: f64,
}

/// A name and how often it was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Seen {
    /// The name.
    pub name: String,
    /// How often.
    pub count: u64,
}

#[cfg(test)]
mod tests {
    use super::CoverageCounter;
    use crate::Plan;

    /// A user property says whether the plan requires it, as an event's does.
    #[test]
    fn user_properties_say_whether_they_are_required() {
        let yaml = "name: P\nversion: 1-0-0\nuserProperties:\n  tier: { type: string, required: true }\n  note: { type: string }\n";
        let plan = Plan::from_text("p.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
        let coverage = CoverageCounter::default().coverage(&plan);
        let required: Vec<(&str, bool)> =
            coverage.user_properties.iter().map(|p| (p.name.as_str(), p.required)).collect();
        assert_eq!(required, [("note", false), ("tier", true)]);
    }

    /// A property given twice counts once, by its last value (the one the
    /// API keeps and lint checks), in events and identifies alike.
    #[test]
    fn a_repeated_property_counts_once_by_its_last_value() {
        use indicative_contract::{LintOptions, RequestInfo, lint_body};
        let yaml = "name: P\nversion: 1-0-0\nevents:\n  A:\n    properties:\n      x: { type: string }\nuserProperties:\n  t: { type: string }\n";
        let plan = Plan::from_text("p.yaml", yaml).unwrap_or_else(|e| panic!("{e}"));
        let counter = CoverageCounter::default().shared();
        let options = LintOptions::new(0).with_checker(counter.clone());
        for body in [
            r#"{"apiKey":"K","eventName":"A","eventUniqueId":"u","properties":{"x":"1","x":null}}"#,
            r#"{"apiKey":"K","eventName":"A","eventUniqueId":"u","properties":{"x":"1","x":"2"}}"#,
            r#"{"apiKey":"K","eventName":"A","eventUniqueId":"u","properties":{"x":null,"x":"3"}}"#,
            r#"{"apiKey":"K","uniqueId":"u","properties":{"t":"pro","t":null}}"#,
        ] {
            let _ = lint_body(body.as_bytes(), &RequestInfo::default(), &options);
        }
        let coverage = counter.coverage(&plan);
        assert_eq!(coverage.events[0].seen, 3);
        assert_eq!(coverage.events[0].properties[0].filled, 2);
        assert_eq!(coverage.user_properties[0].filled, 0);
    }
}

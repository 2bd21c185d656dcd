//! An mParticle data plan: `custom_event` data points are events (their
//! `custom_attributes` the properties), the `user_attributes` data point
//! the user properties. The document is a whole plan (`data_plan_versions`:
//! the highest version is read), one version, or a Data Plan Builder
//! output; each holds `version_document.data_points`.
//!
//! What mParticle cannot say and `export::mparticle` wrote for the way
//! back (the exact version, policies, groups, owners, status, sunsets)
//! rides in `x-indicative` annotations, which JSON Schema ignores.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::schema::{self, description};
use super::{At, ImportError, Notes, PlanBuilder, name_problem, plan_name_of, shown};
use crate::suggest::folded;
use crate::{EventSpec, EventStatus, Group, Plan, Policy, SchemaVer};

/// The annotation key of what only our plans say.
pub(crate) const EXTENSION: &str = "x-indicative";

/// The `custom_event_type` written for events, which no plan has.
pub(crate) const DEFAULT_EVENT_TYPE: &str = "other";

/// The keys of a custom event's `data` that are read.
const EVENT_DATA_KEYS: [&str; 3] = ["custom_attributes", "event_name", "custom_event_type"];

fn format_error(file: &str, message: impl Into<String>) -> ImportError {
    ImportError::Format { file: file.to_owned(), message: format!("not an mParticle data plan: {}", message.into()) }
}

pub(super) fn import(file: &str, root: &Value, notes: &mut Notes) -> Result<Plan, ImportError> {
    let Some(map) = root.as_object() else {
        return Err(format_error(file, format!("the document is {}, not an object", shown(root))));
    };
    let (version_doc, at) = match map.get("data_plan_versions") {
        Some(Value::Array(versions)) => {
            let newest = versions
                .iter()
                .enumerate()
                .filter(|(_, v)| v.get("version_document").is_some())
                .max_by_key(|(_, v)| v.get("version").and_then(Value::as_u64).unwrap_or(0));
            let Some((index, version)) = newest else {
                return Err(format_error(file, "no entry of data_plan_versions has a version_document"));
            };
            if versions.len() > 1 {
                let number = version.get("version").map_or_else(|| "?".into(), shown);
                notes.add(
                    &At::root().key("data_plan_versions"),
                    format!("{} versions: version {number}, the highest, is imported", versions.len()),
                );
            }
            (version, At::root().key("data_plan_versions").index(index))
        }
        _ => (root, At::root()),
    };
    let Some(points) = version_doc.get("version_document").and_then(|d| d.get("data_points")).and_then(Value::as_array)
    else {
        return Err(format_error(file, "no version_document.data_points (nor data_plan_versions)"));
    };
    let extension = map.get(EXTENSION).and_then(Value::as_object);
    let text =
        |value: Option<&Value>| value.and_then(Value::as_str).filter(|t| !t.trim().is_empty()).map(str::to_owned);
    let name = text(map.get("data_plan_name"))
        .or_else(|| text(version_doc.get("data_plan_id")))
        .or_else(|| text(map.get("data_plan_id")))
        .unwrap_or_else(|| plan_name_of(file));
    let number = version_doc.get("version").and_then(Value::as_u64).and_then(|v| u32::try_from(v).ok());
    let mut version = SchemaVer::new(number.unwrap_or(1), 0, 0);
    if let Some(exact) = extension.and_then(|e| e.get("version")).and_then(Value::as_str) {
        match exact.parse::<SchemaVer>() {
            Ok(exact) => version = exact,
            Err(message) => notes.add(&At::root().key(EXTENSION).key("version"), format!("{message}: ignored")),
        }
    }
    let mut plan = Plan::new(&name, version);
    plan.description = text(map.get("data_plan_description"));
    if let Some(extension) = extension {
        let at = At::root().key(EXTENSION);
        if let Some(policy) = extension.get("policy") {
            plan.policy = policy_of(policy, &at.key("policy"), notes).unwrap_or_default();
        }
        if let Some(groups) = extension.get("groups").and_then(Value::as_object) {
            let mut kept: BTreeMap<String, &str> = BTreeMap::new();
            for (group_name, body) in groups {
                let place = at.key("groups").key(group_name);
                if let Some(problem) = name_problem(group_name) {
                    notes.add(&place, format!("the group name {problem}: not planned"));
                    continue;
                }
                if let Some(first) = kept.insert(folded(group_name), group_name) {
                    notes.add(&place, format!("group `{group_name}` differs from `{first}` only in case, white space, `_` or `-`: not planned"));
                    continue;
                }
                let object = schema::object(body, &place, notes, &[]);
                let group =
                    Group { description: body.as_object().and_then(description), properties: object.properties };
                plan.groups.insert(group_name.clone(), group);
            }
        }
    }
    let ours = extension.is_some();
    let mut builder = PlanBuilder::new(plan);
    let points_at = at.key("version_document").key("data_points");
    for (i, point) in points.iter().enumerate() {
        data_point(point, &points_at.index(i), ours, &mut builder, notes);
    }
    Ok(builder.plan)
}

/// A policy's name, or null (none of its own).
fn policy_of(value: &Value, at: &At, notes: &mut Notes) -> Option<Policy> {
    match value.as_str() {
        Some("allow") => Some(Policy::Allow),
        Some("warn") => Some(Policy::Warn),
        Some("deny") => Some(Policy::Deny),
        _ if value.is_null() => None,
        _ => {
            notes.add(at, format!("{} is not a policy (allow, warn, deny): ignored", shown(value)));
            None
        }
    }
}

fn data_point(point: &Value, at: &At, ours: bool, builder: &mut PlanBuilder, notes: &mut Notes) {
    let kind = point.get("match").and_then(|m| m.get("type")).and_then(Value::as_str);
    let definition = point.get("validator").and_then(|v| {
        let kind = v.get("type").and_then(Value::as_str);
        if kind.is_some_and(|k| k != "json_schema") {
            notes.add(
                &at.key("validator").key("type"),
                format!("a `{}` validator is not read", kind.unwrap_or_default()),
            );
            return None;
        }
        v.get("definition")
    });
    let definition_at = at.key("validator").key("definition");
    match kind {
        Some("custom_event") => custom_event(point, definition, &definition_at, at, ours, builder, notes),
        Some("user_attributes") => {
            let Some(definition) = definition else { return };
            let object = schema::object(definition, &definition_at, notes, &[]);
            if object.policy.is_some() && !ours {
                notes.add(
                    &definition_at.key("additionalProperties"),
                    "user properties follow the plan's policy (warn unless the plan says otherwise): set the plan's `policy` if this one was meant",
                );
            }
            builder.add_user_properties(object.properties, &definition_at.key("properties"), notes);
        }
        Some(other) => {
            notes.add(at, format!("a `{other}` data point has no counterpart in the REST API (events are custom events by name): skipped"));
        }
        None => notes.add(at, "a data point without `match.type`: skipped"),
    }
}

fn custom_event(
    point: &Value,
    definition: Option<&Value>,
    definition_at: &At,
    at: &At,
    ours: bool,
    builder: &mut PlanBuilder,
    notes: &mut Notes,
) {
    let criteria = point.get("match").and_then(|m| m.get("criteria"));
    let criteria_at = at.key("match").key("criteria");
    let Some(name) = criteria.and_then(|c| c.get("event_name")).and_then(Value::as_str) else {
        notes.add(&criteria_at, "a custom event without `event_name`: skipped");
        return;
    };
    let extension = definition.and_then(|d| d.get(EXTENSION)).and_then(Value::as_object);
    let event_type = criteria.and_then(|c| c.get("custom_event_type"));
    if let Some(event_type) = event_type
        && !(ours && extension.is_some() && event_type == DEFAULT_EVENT_TYPE)
    {
        notes.add(
            &criteria_at.key("custom_event_type"),
            format!(
                "custom_event_type {} has no counterpart in the REST API (an event is its name alone): not planned",
                shown(event_type)
            ),
        );
    }
    let mut event = EventSpec { description: point.as_object().and_then(description), ..EventSpec::default() };
    if let Some(extension) = extension {
        read_extension(&mut event, extension, &definition_at.key(EXTENSION), &builder.plan, notes);
    }
    if let Some(definition) = definition {
        let data_at = definition_at.key("properties").key("data");
        let data = definition.get("properties").and_then(|p| p.get("data"));
        if let Some(outer) = definition.get("properties").and_then(Value::as_object) {
            for key in outer.keys().filter(|k| *k != "data") {
                notes.add(
                    &definition_at.key("properties").key(key),
                    format!("`{key}` is not part of a REST API event: ignored"),
                );
            }
        }
        let fields = data.and_then(|d| d.get("properties")).and_then(Value::as_object);
        for key in fields.into_iter().flat_map(Map::keys).filter(|k| !EVENT_DATA_KEYS.contains(&k.as_str())) {
            notes.add(
                &data_at.key("properties").key(key),
                format!("`{key}` is not part of a REST API event (only its custom attributes are): ignored"),
            );
        }
        if let Some(attributes) = fields.and_then(|f| f.get("custom_attributes")) {
            let attributes_at = data_at.key("properties").key("custom_attributes");
            let own = without_grouped(attributes, &event.include);
            let object = schema::object(&own, &attributes_at, notes, &[]);
            let ours_policy = event.policy;
            event.properties = object.properties;
            event.policy = if extension.is_some() { ours_policy } else { object.policy };
            // A property of an included group is the group's.
            let grouped: BTreeMap<String, &str> = event
                .include
                .iter()
                .filter_map(|g| builder.plan.groups.get_key_value(g))
                .flat_map(|(g, group)| group.properties.keys().map(move |p| (folded(p), g.as_str())))
                .collect();
            event.properties.retain(|name, _| match grouped.get(&folded(name)) {
                Some(group) => {
                    notes.add(
                        &attributes_at.key("properties").key(name),
                        format!("`{name}` is defined by the included group `{group}`: the group's is planned"),
                    );
                    false
                }
                None => true,
            });
        }
    }
    builder.add_event(name, event, &criteria_at.key("event_name"), notes);
}

/// The attributes schema without the properties that an included group
/// defines (tagged `x-indicative: {"group": ...}` by `export::mparticle`).
fn without_grouped(attributes: &Value, include: &[String]) -> Value {
    let mut own = attributes.clone();
    let grouped: Vec<String> = attributes
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .filter(|(_, schema)| {
            let group = schema.get(EXTENSION).and_then(|e| e.get("group")).and_then(Value::as_str);
            group.is_some_and(|g| include.iter().any(|i| i == g))
        })
        .map(|(name, _)| name.clone())
        .collect();
    if let Some(properties) = own.get_mut("properties").and_then(Value::as_object_mut) {
        for name in &grouped {
            properties.remove(name);
        }
    }
    if let Some(required) = own.get_mut("required").and_then(Value::as_array_mut) {
        required.retain(|r| r.as_str().is_none_or(|r| !grouped.iter().any(|g| g == r)));
    }
    own
}

/// What only our plans say about an event.
fn read_extension(event: &mut EventSpec, extension: &Map<String, Value>, at: &At, plan: &Plan, notes: &mut Notes) {
    let text = |key: &str| extension.get(key).and_then(Value::as_str).map(str::to_owned);
    event.owner = text("owner");
    event.policy = extension.get("policy").and_then(|p| policy_of(p, &at.key("policy"), notes));
    if let Some(status) = text("status") {
        match status.as_str() {
            "planned" => event.status = EventStatus::Planned,
            "active" => event.status = EventStatus::Active,
            "deprecated" => event.status = EventStatus::Deprecated,
            other => notes.add(&at.key("status"), format!("`{other}` is not a status: ignored")),
        }
    }
    if let Some(sunset) = text("sunset") {
        match sunset.parse::<jiff::civil::Date>() {
            Ok(date) if event.status == EventStatus::Deprecated && sunset.len() == 10 => event.sunset = Some(date),
            _ => {
                notes.add(&at.key("sunset"), format!("sunset `{sunset}` is not a date of a deprecated event: ignored"))
            }
        }
    }
    let include: BTreeMap<usize, &str> = extension
        .get("include")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .enumerate()
        .collect();
    let mut defined: BTreeMap<String, &str> = BTreeMap::new();
    for (i, group) in include {
        let place = at.key("include").index(i);
        let Some(body) = plan.groups.get(group) else {
            notes.add(&place, format!("group `{group}` is not in the plan: not included"));
            continue;
        };
        if event.include.iter().any(|g| g == group) {
            notes.add(&place, format!("group `{group}` is included twice: once is planned"));
            continue;
        }
        if let Some((property, other)) = body.properties.keys().find_map(|p| defined.get(&folded(p)).map(|g| (p, *g))) {
            notes.add(
                &place,
                format!("groups `{other}` and `{group}` both define `{property}`: `{group}` is not included"),
            );
            continue;
        }
        defined.extend(body.properties.keys().map(|p| (folded(p), group)));
        event.include.push(group.to_owned());
    }
}

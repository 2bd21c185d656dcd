//! A Segment Protocols tracking plan. The Public API lists `rules`, each of
//! a `type` (TRACK, IDENTIFY, GROUP, PAGE, SCREEN, COMMON), a `key` (the
//! event's name) and a `jsonSchema` whose `properties.properties` are the
//! event's properties (`properties.traits` for IDENTIFY). The older Config
//! API export has `rules.events[]`, each a `name` and its schema under
//! `rules`, and `rules.identify` for the traits.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::schema::{self, description};
use super::{At, ImportError, Notes, PlanBuilder, plan_name_of, shown};
use crate::{EventSpec, EventStatus, Plan, SchemaVer};

/// The keys of a rule's schema that are read, or known to say nothing a
/// plan can.
const SCHEMA_KEYS: [&str; 8] = ["$schema", "type", "properties", "required", "labels", "description", "title", "id"];

/// A rule to import: what it plans, its name, version and schema.
struct Rule<'v> {
    /// The rule's place.
    at: At,
    /// Its schema's place.
    schema_at: At,
    name: String,
    version: u64,
    schema: &'v Value,
    description: Option<String>,
    deprecated_at: Option<&'v str>,
}

pub(super) fn import(file: &str, root: &Value, notes: &mut Notes) -> Result<Plan, ImportError> {
    let not_segment = |message: &str| ImportError::Format {
        file: file.to_owned(),
        message: format!("not a Segment tracking plan: {message}"),
    };
    let map = root.as_object();
    let plan_object = map
        .and_then(|m| m.get("data"))
        .and_then(|d| d.get("trackingPlan"))
        .or_else(|| map.and_then(|m| m.get("trackingPlan")))
        .and_then(Value::as_object);
    let text = |m: Option<&Map<String, Value>>, key: &str| {
        m.and_then(|m| m.get(key)).and_then(Value::as_str).filter(|t| !t.trim().is_empty()).map(str::to_owned)
    };
    let name = text(map, "display_name")
        .or_else(|| text(plan_object, "name"))
        .or_else(|| text(map, "name").filter(|n| !n.starts_with("workspaces/")))
        .unwrap_or_else(|| plan_name_of(file));
    let mut plan = Plan::new(&name, SchemaVer::new(1, 0, 0));
    plan.description = text(map, "description").or_else(|| text(plan_object, "description"));
    let mut track = Vec::new();
    let mut identify = Vec::new();
    let listed = match root {
        Value::Array(rules) => Some((rules, At::root())),
        _ => map.and_then(|m| match m.get("rules") {
            Some(Value::Array(rules)) => Some((rules, At::root().key("rules"))),
            _ => None,
        }),
    }
    .or_else(|| {
        let rules = map?.get("data")?.get("rules")?.as_array()?;
        Some((rules, At::root().key("data").key("rules")))
    });
    if let Some((rules, at)) = listed {
        public_rules(rules, &at, &mut track, &mut identify, notes);
    } else if let Some(rules) = map.and_then(|m| m.get("rules")).and_then(Value::as_object) {
        config_rules(rules, &At::root().key("rules"), &mut track, &mut identify, notes);
    } else {
        return Err(not_segment(
            "no rules (neither the Public API's `rules` list nor the Config API's `rules.events`)",
        ));
    }
    let mut builder = PlanBuilder::new(plan);
    for rule in newest(track, notes) {
        let mut event = EventSpec { description: rule.description.clone(), ..EventSpec::default() };
        let object = rule_properties(&rule, "properties", notes);
        event.properties = object.properties;
        event.policy = object.policy;
        if let Some(date) = rule.deprecated_at.filter(|d| !d.starts_with("0001-01-01")) {
            event.status = EventStatus::Deprecated;
            notes.add(
                &rule.at.key("deprecatedAt"),
                format!("deprecated on {date}: planned as deprecated, without a sunset date (from which sending it would be an error)"),
            );
        }
        builder.add_event(&rule.name, event, &rule.at, notes);
    }
    for rule in identify {
        let object = rule_properties(&rule, "traits", notes);
        if object.policy.is_some() {
            notes.add(
                &rule.at,
                "user properties follow the plan's policy (warn unless the plan says otherwise): set the plan's `policy` if the rule's additionalProperties was meant",
            );
        }
        let at = rule.schema_at.key("properties").key("traits").key("properties");
        builder.add_user_properties(object.properties, &at, notes);
    }
    Ok(builder.plan)
}

/// The Public API's rules.
fn public_rules<'v>(
    rules: &'v [Value],
    at: &At,
    track: &mut Vec<Rule<'v>>,
    identify: &mut Vec<Rule<'v>>,
    notes: &mut Notes,
) {
    for (i, rule) in rules.iter().enumerate() {
        let place = at.index(i);
        let kind = rule.get("type").and_then(Value::as_str).unwrap_or_default();
        let name = rule.get("key").or_else(|| rule.get("name")).and_then(Value::as_str);
        let (schema_key, schema) = match (rule.get("jsonSchema"), rule.get("json_schema")) {
            (Some(schema), _) => ("jsonSchema", schema),
            (None, Some(schema)) => ("json_schema", schema),
            (None, None) => ("jsonSchema", &Value::Null),
        };
        let found = Rule {
            at: place.clone(),
            schema_at: place.key(schema_key),
            name: name.unwrap_or_default().to_owned(),
            version: rule.get("version").and_then(Value::as_u64).unwrap_or(1),
            schema,
            description: schema.as_object().and_then(description),
            deprecated_at: rule.get("deprecatedAt").and_then(Value::as_str),
        };
        match kind {
            "TRACK" if name.is_none() => notes.add(&place, "a TRACK rule without `key`: skipped"),
            "TRACK" => track.push(found),
            "IDENTIFY" => identify.push(found),
            "" => notes.add(&place, "a rule without `type`: skipped"),
            "COMMON" => {
                notes.add(&place, "a COMMON rule (what every call carries) has no counterpart in a plan: skipped")
            }
            other => notes.add(&place, format!("a {other} rule has no counterpart in the REST API: skipped")),
        }
    }
}

/// The Config API's `rules` object.
fn config_rules<'v>(
    rules: &'v Map<String, Value>,
    at: &At,
    track: &mut Vec<Rule<'v>>,
    identify: &mut Vec<Rule<'v>>,
    notes: &mut Notes,
) {
    for (key, value) in rules {
        let place = at.key(key);
        match key.as_str() {
            "events" => {
                let Some(events) = value.as_array() else {
                    notes.add(&place, "`events` is not a list: ignored");
                    continue;
                };
                for (i, event) in events.iter().enumerate() {
                    let event_at = place.index(i);
                    let Some(name) = event.get("name").and_then(Value::as_str) else {
                        notes.add(&event_at, "an event rule without `name`: skipped");
                        continue;
                    };
                    let schema = event.get("rules").unwrap_or(&Value::Null);
                    let description = event
                        .get("description")
                        .and_then(Value::as_str)
                        .filter(|d| !d.trim().is_empty())
                        .map(str::to_owned)
                        .or_else(|| schema.as_object().and_then(description));
                    track.push(Rule {
                        schema_at: event_at.key("rules"),
                        at: event_at,
                        name: name.to_owned(),
                        version: event.get("version").and_then(Value::as_u64).unwrap_or(1),
                        schema,
                        description,
                        deprecated_at: None,
                    });
                }
            }
            "identify" => identify.push(Rule {
                schema_at: place.clone(),
                at: place,
                name: String::new(),
                version: 1,
                schema: value,
                description: None,
                deprecated_at: None,
            }),
            "identify_traits" => {
                for (i, item) in value.as_array().into_iter().flatten().enumerate() {
                    identify.push(Rule {
                        at: place.index(i),
                        schema_at: place.index(i).key("rules"),
                        name: String::new(),
                        version: item.get("version").and_then(Value::as_u64).unwrap_or(1),
                        schema: item.get("rules").unwrap_or(&Value::Null),
                        description: None,
                        deprecated_at: None,
                    });
                }
            }
            _ if is_empty_rule(value) => {}
            other => notes.add(&place, format!("`{other}` rules have no counterpart in a plan: skipped")),
        }
    }
}

/// An empty rule (`{}`, `[]`, null): nothing is lost by skipping it.
fn is_empty_rule(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        _ => false,
    }
}

/// Each event's highest version (the first of equals), in the order of the
/// file; the others are noted.
fn newest<'v>(rules: Vec<Rule<'v>>, notes: &mut Notes) -> Vec<Rule<'v>> {
    let mut best: BTreeMap<String, usize> = BTreeMap::new();
    for (i, rule) in rules.iter().enumerate() {
        match best.get(&rule.name) {
            Some(&j) if rules[j].version >= rule.version => {}
            _ => {
                best.insert(rule.name.clone(), i);
            }
        }
    }
    let mut kept = Vec::new();
    for (i, rule) in rules.into_iter().enumerate() {
        match best.get(&rule.name) {
            Some(&j) if j == i => kept.push(rule),
            _ => notes.add(
                &rule.at,
                format!(
                    "this rule of event `{}` (version {}) is left out: another, of the highest version, is imported",
                    rule.name, rule.version
                ),
            ),
        }
    }
    kept
}

/// The object under `properties.<section>` of a rule's schema, mapped; the
/// rule's other sections are noted when they check something.
fn rule_properties(rule: &Rule<'_>, section: &str, notes: &mut Notes) -> schema::Object {
    let schema_at = &rule.schema_at;
    let Some(map) = rule.schema.as_object() else {
        if !rule.schema.is_null() {
            notes.add(schema_at, format!("the rule's schema is {}: no properties read", shown(rule.schema)));
        }
        return schema::Object::default();
    };
    for key in map.keys().filter(|k| !SCHEMA_KEYS.contains(&k.as_str()) && !k.starts_with("x-")) {
        notes.add(&schema_at.key(key), format!("`{key}` is not mapped here: ignored"));
    }
    let sections = map.get("properties").and_then(Value::as_object);
    for (key, value) in sections.into_iter().flatten() {
        if key != section && checks_something(value) {
            notes.add(
                &schema_at.key("properties").key(key),
                format!("what the rule says of `{key}` has no counterpart in the REST API: ignored"),
            );
        }
    }
    match sections.and_then(|s| s.get(section)) {
        Some(value) => schema::object(value, &schema_at.key("properties").key(section), notes, &[]),
        None => schema::Object::default(),
    }
}

/// Whether a section's schema says more than "an object".
fn checks_something(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(key, v)| !(key == "type" && v == "object") && key != "description"),
        Value::Bool(false) => true,
        _ => false,
    }
}

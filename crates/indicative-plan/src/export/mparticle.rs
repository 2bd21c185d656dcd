//! The plan as an mParticle data plan.

use serde_json::{Map, Value, json};

use super::{number, slug, text_constraints};
use crate::import::mparticle::{DEFAULT_EVENT_TYPE, EXTENSION};
use crate::{EventSpec, EventStatus, Plan, Policy, PropertySpec, PropertyType};

pub(super) fn document(plan: &Plan) -> Value {
    let id = slug(&plan.name, '_');
    let mut points: Vec<Value> = plan.events.iter().map(|(name, event)| custom_event(plan, name, event)).collect();
    if !plan.user_properties.is_empty() {
        let mut definition = object(plan.user_properties.iter().map(|(name, spec)| (name.as_str(), spec, None)));
        definition.insert("additionalProperties".into(), json!(plan.policy == Policy::Allow));
        points.push(json!({
            "description": "User attributes",
            "match": {"type": "user_attributes", "criteria": {}},
            "validator": {"type": "json_schema", "definition": definition},
        }));
    }
    let mut extension = Map::new();
    extension.insert("version".into(), json!(plan.version.to_string()));
    extension.insert("policy".into(), json!(plan.policy.as_str()));
    if !plan.groups.is_empty() {
        let groups: Map<String, Value> = plan
            .groups
            .iter()
            .map(|(name, group)| {
                let mut body = object(group.properties.iter().map(|(name, spec)| (name.as_str(), spec, None)));
                if let Some(description) = &group.description {
                    body.insert("description".into(), json!(description));
                }
                (name.clone(), Value::Object(body))
            })
            .collect();
        extension.insert("groups".into(), Value::Object(groups));
    }
    let mut document = Map::new();
    document.insert("data_plan_id".into(), json!(id));
    document.insert("data_plan_name".into(), json!(plan.name));
    if let Some(description) = &plan.description {
        document.insert("data_plan_description".into(), json!(description));
    }
    document.insert(
        "data_plan_versions".into(),
        json!([{
            "version": plan.version.model.max(1),
            "data_plan_id": id,
            "version_description": format!("{} {}", plan.name, plan.version),
            "version_document": {"data_points": points},
        }]),
    );
    document.insert(EXTENSION.into(), Value::Object(extension));
    Value::Object(document)
}

/// A custom event data point: its own properties and its groups'.
fn custom_event(plan: &Plan, name: &str, event: &EventSpec) -> Value {
    let own = event.properties.iter().map(|(n, spec)| (n.as_str(), spec, None));
    let grouped = event.include.iter().filter_map(|g| plan.groups.get_key_value(g)).flat_map(|(group, body)| {
        body.properties.iter().map(move |(n, spec)| (n.as_str(), spec, Some(group.as_str())))
    });
    let mut attributes = object(own.chain(grouped));
    attributes.insert("additionalProperties".into(), json!(plan.policy_of(event) == Policy::Allow));
    let mut extension = Map::new();
    if let Some(owner) = &event.owner {
        extension.insert("owner".into(), json!(owner));
    }
    if event.status != EventStatus::Active {
        extension.insert("status".into(), json!(event.status.as_str()));
    }
    if let Some(sunset) = event.sunset {
        extension.insert("sunset".into(), json!(sunset.to_string()));
    }
    if !event.include.is_empty() {
        extension.insert("include".into(), json!(event.include));
    }
    if let Some(policy) = event.policy {
        extension.insert("policy".into(), json!(policy.as_str()));
    }
    json!({
        "description": event.description.clone().unwrap_or_default(),
        "match": {
            "type": "custom_event",
            "criteria": {"event_name": name, "custom_event_type": DEFAULT_EVENT_TYPE},
        },
        "validator": {
            "type": "json_schema",
            "definition": {
                "properties": {
                    "data": {
                        "additionalProperties": true,
                        "properties": {
                            "custom_event_type": {"const": DEFAULT_EVENT_TYPE},
                            "event_name": {"const": name},
                            "custom_attributes": attributes,
                        },
                        "required": ["custom_event_type", "event_name"],
                        "type": "object",
                    },
                },
                EXTENSION: extension,
            },
        },
    })
}

/// An object schema of properties, each tagged with its group if it has one.
fn object<'p>(properties: impl Iterator<Item = (&'p str, &'p PropertySpec, Option<&'p str>)>) -> Map<String, Value> {
    let mut planned = Map::new();
    let mut required = Vec::new();
    for (name, spec, group) in properties {
        let mut schema = typed_schema(spec);
        if let Some(group) = group {
            schema.insert(EXTENSION.into(), json!({"group": group}));
        }
        planned.insert(name.to_owned(), Value::Object(schema));
        if spec.required {
            required.push(name);
        }
    }
    required.sort_unstable();
    let mut object = Map::new();
    object.insert("type".into(), json!("object"));
    object.insert("properties".into(), Value::Object(planned));
    object.insert("required".into(), json!(required));
    object
}

/// A planned property as JSON Schema of the typed value.
fn typed_schema(spec: &PropertySpec) -> Map<String, Value> {
    let mut schema = Map::new();
    let kind = match spec.kind {
        PropertyType::String | PropertyType::Datetime | PropertyType::Enum => "string",
        PropertyType::Integer => "integer",
        PropertyType::Number => "number",
        PropertyType::Boolean => "boolean",
    };
    schema.insert("type".into(), json!(kind));
    if let Some(description) = &spec.description {
        schema.insert("description".into(), json!(description));
    }
    text_constraints(spec, &mut schema);
    match spec.kind {
        PropertyType::String | PropertyType::Enum | PropertyType::Boolean => {}
        PropertyType::Datetime => {
            schema.insert("format".into(), json!("date-time"));
        }
        PropertyType::Integer | PropertyType::Number => {
            if let Some(min) = spec.min {
                schema.insert("minimum".into(), number(min));
            }
            if let Some(max) = spec.max {
                schema.insert("maximum".into(), number(max));
            }
        }
    }
    if !spec.examples.is_empty() {
        schema.insert("examples".into(), json!(spec.examples));
    }
    schema
}

//! The planned events as an OpenAPI 3.1 document.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::json_schema::{Api, Body, schema};
use crate::Plan;

/// Each body, with the prefix of its per-event components and the name of
/// the `oneOf` component.
const BODIES: [(Body, &str, &str); 3] = [
    (Body::Event, "event", "PlannedEvent"),
    (Body::KeyInPath, "event-key-in-path", "PlannedEventKeyInPath"),
    (Body::BatchItem, "batch-event", "PlannedBatchEvent"),
];

/// The reference to a component schema.
fn reference(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

/// Rewrites `#/$defs/X` references to `#/components/schemas/X`.
fn to_components(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key == "$ref"
                    && let Value::String(target) = item
                    && let Some(name) = target.strip_prefix("#/$defs/")
                {
                    *target = format!("#/components/schemas/{name}");
                } else {
                    to_components(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(to_components),
        _ => {}
    }
}

pub(super) fn document(plan: &Plan, slugs: &BTreeMap<&str, String>) -> Value {
    let api = Api::new();
    let mut schemas = Map::new();
    if let Some(defs) = api.event["$defs"].as_object() {
        schemas.extend(defs.clone());
    }
    schemas.insert(
        "ErrorBody".into(),
        json!({
            "type": "object",
            "additionalProperties": true,
            "description": "The body of a 400 or 422 answer. The reference documents only the status, so no field is promised.",
        }),
    );
    for (body, prefix, union) in BODIES {
        let mut choices = Vec::new();
        let mut mapping = Map::new();
        for (name, event) in &plan.events {
            let slug = slugs.get(name.as_str()).map_or("event", String::as_str);
            let component = format!("{prefix}.{slug}");
            let mut event_schema = Value::Object(schema(plan, name, event, body, &api));
            // Generators name a model after its title: one title per body.
            event_schema["title"] = json!(match body {
                Body::Event => name.clone(),
                Body::KeyInPath => format!("{name} (key in path)"),
                Body::BatchItem => format!("{name} (batch item)"),
            });
            schemas.insert(component.clone(), event_schema);
            choices.push(reference(&component));
            mapping.insert(name.clone(), json!(format!("#/components/schemas/{component}")));
        }
        let description = match body {
            Body::Event => "One planned event.",
            Body::KeyInPath => "One planned event, its API key in the path (`apiKey` may be left out of the body).",
            Body::BatchItem => "A planned event inside a batch (an `apiKey` in it is disregarded).",
        };
        let union_schema = if choices.is_empty() {
            json!({"description": format!("{description} The plan has no events: nothing is planned."), "not": {}})
        } else {
            json!({
                "description": description,
                "oneOf": choices,
                "discriminator": {"propertyName": "eventName", "mapping": mapping},
            })
        };
        schemas.insert(union.into(), union_schema);
    }
    let mut batch = api.batch.clone();
    let mut batch_schema = Map::new();
    for key in ["description", "type", "properties", "required", "additionalProperties", "x-inexpressible"] {
        if let Some(value) = batch.get_mut(key) {
            batch_schema.insert(key.into(), value.take());
        }
    }
    batch_schema.insert("description".into(), json!("POST `/service/event/batch`: many planned events under one key."));
    if let Some(events) = batch_schema.get_mut("properties").and_then(|p| p.get_mut("events")) {
        events["items"] = reference("PlannedBatchEvent");
    }
    schemas.insert("PlannedBatch".into(), Value::Object(batch_schema));
    let mut components = json!({"schemas": schemas, "responses": responses()});
    to_components(&mut components);
    let api_key_parameter = json!({
        "description": "The API key of the project, instead of (or besides) the body's `apiKey`.",
        "in": "path",
        "name": "apiKey",
        "required": true,
        "schema": reference("ApiKey"),
    });
    let mut description = format!(
        "The events of the tracking plan `{}` {}, as the mParticle Analytics (formerly Indicative) REST API takes them in its strict profile: every property value a string, whose text the planned type constrains. Each schema lists, under `x-inexpressible`, what it cannot say.",
        plan.name, plan.version
    );
    if let Some(about) = &plan.description {
        description = format!("{about}\n\n{description}");
    }
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": format!("{}: planned events", plan.name),
            // Client generators make a package version of this: SchemaVer's
            // three numbers as SemVer's, the SchemaVer itself beside.
            "version": format!("{}.{}.{}", plan.version.model, plan.version.revision, plan.version.addition),
            "x-schemaver": plan.version.to_string(),
            "description": description,
        },
        "servers": [{"url": "https://api.indicative.com"}],
        "tags": [{"name": "events", "description": "Track planned events, one at a time or in batches."}],
        "paths": {
            "/service/event": {"post": operation(
                "trackPlannedEvent",
                "Track a planned event",
                "Records one event of the plan.",
                "PlannedEvent",
                None,
            )},
            "/service/event/{apiKey}": {"post": operation(
                "trackPlannedEventWithKeyInPath",
                "Track a planned event (API key in the path)",
                "Records one event of the plan.",
                "PlannedEventKeyInPath",
                Some(api_key_parameter),
            )},
            "/service/event/batch": {"post": operation(
                "trackPlannedBatch",
                "Track a batch of planned events",
                "Records many events of the plan at once. Up to 100 events per batch are recommended; an `apiKey` inside an event is disregarded.",
                "PlannedBatch",
                None,
            )},
        },
        "components": components,
    })
}

/// A POST operation with a JSON body of `schema`.
fn operation(id: &str, summary: &str, description: &str, schema: &str, parameter: Option<Value>) -> Value {
    let mut operation = json!({
        "operationId": id,
        "summary": summary,
        "description": format!("{description} Single and batched events share a rate limit of 250 events per second."),
        "tags": ["events"],
        "security": [],
        "requestBody": {
            "required": true,
            "content": {"application/json": {"schema": reference(schema)}},
        },
        "responses": {
            "200": {"$ref": "#/components/responses/Accepted"},
            "400": {"$ref": "#/components/responses/BadRequest"},
            "422": {"$ref": "#/components/responses/Unprocessable"},
        },
    });
    if let Some(parameter) = parameter {
        operation["parameters"] = json!([parameter]);
    }
    operation
}

/// The API's answers, as `schemas/openapi.json` has them.
fn responses() -> Value {
    let error = json!({"application/json": {"schema": reference("ErrorBody")}});
    json!({
        "Accepted": {"description": "Accepted: the request reached the servers with the correct syntax."},
        "BadRequest": {"description": "Malformed, or the API key is missing or invalid.", "content": error},
        "Unprocessable": {"description": "Well-formed, but a field value breaks a documented constraint.", "content": error},
    })
}

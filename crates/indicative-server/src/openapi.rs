//! The OpenAPI document the server serves at `/_contract/openapi.json`: the
//! API's own paths (the committed `schemas/openapi.json`) and the admin API.

use serde_json::{Value, json};

use crate::admin::ENDPOINTS;

const API: &str = include_str!("../../../schemas/openapi.json");

fn filter_parameters() -> Vec<Value> {
    let text = |name: &str, what: &str| json!({"name": name, "in": "query", "required": false, "description": what, "schema": {"type": "string"}});
    vec![
        json!({"name": "verdict", "in": "query", "required": false, "description": "the event's verdict", "schema": {"type": "string", "enum": ["good", "warned", "bad"]}}),
        text("kind", "the request kind (event, event-query, batch, identify, alias, suppress, delete)"),
        text("eventName", "the event name, exactly"),
        text("code", "a rule code among the event's findings"),
        text("q", "text the event's name or one of its property names contains, in any case"),
        json!({"name": "status", "in": "query", "required": false, "description": "the event's status", "schema": {"type": "integer", "minimum": 100, "maximum": 599}}),
        json!({"name": "since", "in": "query", "required": false, "description": "only requests after this sequence number", "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}}),
    ]
}

fn object(description: &str) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": {"type": "object"}}}})
}

fn operation(method: &str, path: &str, summary: &str) -> Value {
    let mut parameters = Vec::new();
    let mut responses = serde_json::Map::new();
    responses.insert("200".into(), object("done"));
    match path {
        "/_contract/events" | "/_contract/wait" => {
            parameters = filter_parameters();
            parameters.push(json!({"name": "limit", "in": "query", "required": false, "description": "the most requests answered", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}));
            if path == "/_contract/events" {
                parameters.push(json!({"name": "order", "in": "query", "required": false, "description": "asc (oldest first, paged by since) or desc (newest first, paged by before)", "schema": {"type": "string", "enum": ["asc", "desc"]}}));
                parameters.push(json!({"name": "before", "in": "query", "required": false, "description": "only requests before this sequence number (the cursor of order=desc)", "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}}));
            }
            responses.insert("400".into(), object("a parameter is not understood"));
        }
        "/_contract/events/{seq}" => {
            parameters.push(
                json!({"name": "seq", "in": "path", "required": true, "schema": {"type": "integer", "minimum": 0, "maximum": u64::MAX}}),
            );
            responses.insert("400".into(), object("not a sequence number"));
            responses.insert("404".into(), object("no such request is held"));
        }
        "/_contract/export" => {
            parameters.push(json!({"name": "format", "in": "query", "required": false, "schema": {"type": "string", "enum": ["har", "ndjson"]}}));
            responses.insert("200".into(), json!({"description": "the capture", "content": {"application/json": {"schema": {"type": "object"}}, "application/x-ndjson": {"schema": {"type": "string"}}}}));
            responses.insert("400".into(), object("an unknown format"));
        }
        "/_contract/ui" => {
            responses.insert(
                "200".into(),
                json!({"description": "the page", "content": {"text/html": {"schema": {"type": "string"}}}}),
            );
        }
        "/_contract/rules/{code}" => {
            parameters.push(json!({"name": "code", "in": "path", "required": true, "schema": {"type": "string"}}));
            responses.insert("200".into(), json!({"description": "the rule's documentation", "content": {"text/markdown": {"schema": {"type": "string"}}}}));
            responses.insert("404".into(), object("no rule has this code"));
        }
        "/_contract/drift" => {
            responses.insert("404".into(), object("the relay is off"));
        }
        "/_contract/verify" => {
            responses.insert("400".into(), object("not an expectation"));
            responses.insert(
                "417".into(),
                object("the capture does not meet the expectation (or none can: atMost below atLeast): the matching requests, and when too few matched, the nearest events and how they differ"),
            );
        }
        _ => {}
    }
    if path == "/_contract/wait" {
        parameters.push(json!({"name": "count", "in": "query", "required": false, "description": "how many matching events to wait for (default 1)", "schema": {"type": "integer", "minimum": 1, "maximum": u64::MAX}}));
        parameters.push(json!({"name": "timeout", "in": "query", "required": false, "description": "milliseconds (default 10000)", "schema": {"type": "integer", "minimum": 0, "maximum": crate::admin::MAX_WAIT_MS}}));
        responses.insert("408".into(), object("too few matching events arrived in time: those that did"));
    }
    let mut op = json!({"summary": summary, "tags": ["contract server"], "responses": responses});
    if !parameters.is_empty() {
        op["parameters"] = Value::Array(parameters);
    }
    if path == "/_contract/verify" {
        op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {
            "type": "object",
            "additionalProperties": false,
            "properties": {
                "verdict": {"enum": ["good", "warned", "bad", null]},
                "kind": {"type": ["string", "null"]},
                "eventName": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
                "status": {"type": ["integer", "null"], "minimum": 100, "maximum": 599},
                "properties": {"type": "object", "description": "values compared as the API stores them: 3 matches \"3\""},
                "since": {"type": ["integer", "null"], "minimum": 0, "maximum": u64::MAX},
                "atLeast": {"type": ["integer", "null"], "minimum": 0, "maximum": u64::MAX},
                "atMost": {"type": ["integer", "null"], "minimum": 0, "maximum": u64::MAX},
            },
        }}}});
    }
    json!({ method.to_ascii_lowercase(): op })
}

/// The document: the API's paths, then the admin API's.
///
/// ```
/// let document = indicative_server::openapi::document();
/// assert!(document["paths"]["/service/event"]["get"].is_object());
/// assert!(document["paths"]["/_contract/wait"]["get"].is_object());
/// ```
#[must_use]
pub fn document() -> Value {
    let mut document: Value = serde_json::from_str(API).unwrap_or_else(|_| json!({"openapi": "3.1.0", "paths": {}}));
    document["info"]["description"] = json!(
        "The mParticle Analytics (formerly Indicative) REST API as `indicative serve` answers it: every request is linted and captured, then answered with the predicted status and a JSON body of the findings. Under /_contract/, the admin API reads the capture."
    );
    if let Some(paths) = document["paths"].as_object_mut() {
        for (path, method, summary) in ENDPOINTS {
            if path == "/_contract/" {
                continue;
            }
            paths.insert(path.to_owned(), operation(method, path, summary));
        }
    }
    document
}

//! The OpenAPI documents of every endpoint of docs/contract.md, built from the
//! request models' schemas.

use indicative_contract::schema::{inexpressible, request_schema, tidy_descriptions};
use indicative_contract::{Alias, Batch, Delete, Event, Identify, QueryProperty, RequestKind, Suppress};
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    V3_1,
    V3_0,
}

/// The reference's own examples.
fn event_example() -> Value {
    json!({
        "apiKey": "Your-API-Key",
        "eventName": "Registration",
        "eventUniqueId": "user47",
        "properties": {"Gender": "Female", "Age": "23"}
    })
}

fn batch_example() -> Value {
    json!({
        "apiKey": "Your-API-Key",
        "events": [
            {"eventName": "Registration", "eventUniqueId": "user47", "properties": {"Gender": "Female", "Age": "23"}},
            {"eventName": "Log-In", "eventUniqueId": "user752", "properties": {"Gender": "Male", "Age": "31"}}
        ]
    })
}

fn without_key(mut example: Value) -> Value {
    if let Some(map) = example.as_object_mut() {
        map.remove("apiKey");
    }
    example
}

/// The component schemas: the request bodies, their key-in-path variants,
/// the values they use, and the error body.
fn components(version: Version) -> Map<String, Value> {
    let settings = match version {
        Version::V3_1 => SchemaSettings::draft2020_12().with(|s| {
            s.definitions_path = "/components/schemas".into();
            s.meta_schema = None;
        }),
        Version::V3_0 => SchemaSettings::openapi3().with(|s| s.meta_schema = None),
    };
    let mut generator = settings.into_generator();
    generator.subschema_for::<Event>();
    generator.subschema_for::<Batch>();
    generator.subschema_for::<Identify>();
    generator.subschema_for::<Alias>();
    generator.subschema_for::<Suppress>();
    generator.subschema_for::<Delete>();
    generator.subschema_for::<QueryProperty>();
    let mut schemas = generator.take_definitions(true);
    for (name, kind) in [
        ("Event", RequestKind::Event),
        ("Batch", RequestKind::Batch),
        ("Identify", RequestKind::Identify),
        ("Alias", RequestKind::Alias),
        ("Suppress", RequestKind::Suppress),
        ("Delete", RequestKind::Delete),
    ] {
        if let Some(schema) = schemas.get_mut(name) {
            schema["x-inexpressible"] = json!(inexpressible(kind));
        }
        if kind.takes_key_in_path() {
            // The same body, sent to /service/<endpoint>/{apiKey}: the key may
            // be left out of it.
            let mut variant = schemas.get(name).cloned().unwrap_or(Value::Null);
            if let Some(required) = variant.get_mut("required").and_then(Value::as_array_mut) {
                required.retain(|field| field != "apiKey");
            }
            // Optional, as every optional field: absent or null, the path's
            // key stands (a null key in the body is read as no key).
            if let Some(key) = variant.pointer_mut("/properties/apiKey") {
                let description = key.get("description").cloned().unwrap_or(Value::Null);
                // The null branch as schemars writes it for the version.
                let none = if version == Version::V3_0 {
                    json!({"enum": [null], "nullable": true})
                } else {
                    json!({"type": "null"})
                };
                *key = json!({"anyOf": [schema_ref("ApiKey"), none], "description": description});
            }
            variant["description"] =
                json!(format!("{name} sent with the API key in the path: `apiKey` may be left out of the body."));
            schemas.insert(format!("{name}KeyInPath"), variant);
        }
    }
    schemas.insert(
        "ErrorBody".into(),
        json!({
            "type": "object",
            "description": "The body of a 400 or 422 answer. The reference documents only the status, so no field is promised.",
            "additionalProperties": true,
        }),
    );
    let mut schemas = Value::Object(schemas);
    tidy_descriptions(&mut schemas);
    if version == Version::V3_0 {
        to_openapi_3_0(&mut schemas);
    }
    match schemas {
        Value::Object(map) => map,
        _ => Map::new(),
    }
}

/// What schemars' OpenAPI 3.0 settings leave in 2020-12 form: a numeric
/// `exclusiveMaximum` (3.0 takes a bool beside `maximum`), and optional
/// fields in the shape generators read best.
fn to_openapi_3_0(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(bound) = map.get("exclusiveMaximum").filter(|b| b.is_number()).cloned() {
                map.insert("maximum".into(), bound);
                map.insert("exclusiveMaximum".into(), Value::Bool(true));
            }
            // An optional field is `anyOf: [$ref, null]`, which typify (and
            // so progenitor) makes a struct of two flattened options that
            // cannot be serialized. Its branches cannot both hold (the null
            // branch admits only null), so `oneOf` says the same, and
            // becomes `Option<T>`. (`allOf: [$ref]` beside `nullable` would
            // too, but 3.0.3 wants a `type` beside `nullable`.)
            if let Some(Value::Array(branches)) = map.get("anyOf")
                && branches.len() == 2
                && let Some(null) = branches.iter().position(|b| b.get("enum") == Some(&json!([null])))
                && branches[1 - null].get("$ref").is_some()
                && let Some(branches) = map.remove("anyOf")
            {
                map.insert("oneOf".into(), branches);
            }
            // schemars writes an optional field's null branch as
            // `{"enum": [null], "nullable": true}`; 3.0 wants a type beside
            // `nullable` (it still admits only null).
            if map.get("nullable") == Some(&Value::Bool(true))
                && !map.contains_key("type")
                && map.get("enum") == Some(&json!([null]))
            {
                map.insert("type".into(), json!("string"));
            }
            map.values_mut().for_each(to_openapi_3_0);
        }
        Value::Array(items) => items.iter_mut().for_each(to_openapi_3_0),
        _ => {}
    }
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn responses() -> Value {
    json!({
        "200": {"$ref": "#/components/responses/Accepted"},
        "400": {"$ref": "#/components/responses/BadRequest"},
        "422": {"$ref": "#/components/responses/Unprocessable"},
    })
}

fn post(operation_id: &str, tag: &str, summary: &str, description: &str, body: &str, example: Option<Value>) -> Value {
    let mut media = json!({"schema": schema_ref(body)});
    if let Some(example) = example {
        media["example"] = example;
    }
    json!({
        "operationId": operation_id,
        "tags": [tag],
        "summary": summary,
        "description": description,
        "security": [],
        "requestBody": {"required": true, "content": {"application/json": media}},
        "responses": responses(),
    })
}

fn key_in_path() -> Value {
    json!({
        "name": "apiKey",
        "in": "path",
        "required": true,
        "description": "The API key of the project, instead of (or besides) the body's `apiKey`.",
        "schema": schema_ref("ApiKey"),
    })
}

/// A POST endpoint that also takes the key in its path.
struct Endpoint {
    path: &'static str,
    operation_id: &'static str,
    tag: &'static str,
    summary: &'static str,
    body: &'static str,
    description: &'static str,
    example: Value,
}

const RATE: &str = "Single and batched events share a rate limit of 250 events per second.";

pub fn document(version: Version) -> Value {
    let mut paths = Map::new();
    let endpoints = [
        Endpoint {
            path: "/service/event",
            operation_id: "trackEvent",
            tag: "events",
            summary: "Track an event",
            body: "Event",
            description: "Records one event.",
            example: event_example(),
        },
        Endpoint {
            path: "/service/identify",
            operation_id: "identifyUser",
            tag: "users",
            summary: "Identify a user",
            body: "Identify",
            description: "Sets properties of the user with the given unique id; they persist until overwritten.",
            example: json!({"apiKey": "Your-API-Key", "uniqueId": "user47", "properties": {"plan": "pro"}}),
        },
        Endpoint {
            path: "/service/alias",
            operation_id: "aliasUser",
            tag: "users",
            summary: "Alias two ids",
            body: "Alias",
            description: "Merges the event streams and profiles of a previous (often anonymous) id and a new id.",
            example: json!({"apiKey": "Your-API-Key", "previousId": "anon-7f3e2b1c", "newId": "user47"}),
        },
        Endpoint {
            path: "/service/suppress",
            operation_id: "suppressUser",
            tag: "users",
            summary: "Suppress a user's data",
            body: "Suppress",
            description: "Stops processing further data for the unique id.",
            example: json!({"apiKey": "Your-API-Key", "uniqueId": "user47"}),
        },
        Endpoint {
            path: "/service/delete",
            operation_id: "deleteUser",
            tag: "users",
            summary: "Delete a user's data",
            body: "Delete",
            description: "Irrevocably deletes the data of the unique id, and suppresses it from now on.",
            example: json!({"apiKey": "Your-API-Key", "uniqueId": "user47"}),
        },
    ];
    for Endpoint { path, operation_id, tag, summary, body, description, example } in endpoints {
        let description = if body == "Event" { format!("{description} {RATE}") } else { description.to_owned() };
        let mut item = json!({"post": post(operation_id, tag, summary, &description, body, Some(example.clone()))});
        if path == "/service/event" {
            item["get"] = get_event();
        }
        paths.insert(path.into(), item);
        let mut with_key = post(
            &format!("{operation_id}WithKeyInPath"),
            tag,
            &format!("{summary} (API key in the path)"),
            &description,
            &format!("{body}KeyInPath"),
            Some(without_key(example)),
        );
        with_key["parameters"] = json!([key_in_path()]);
        paths.insert(format!("{path}/{{apiKey}}"), json!({"post": with_key}));
    }
    paths.insert(
        "/service/event/batch".into(),
        json!({"post": post(
            "trackBatch",
            "events",
            "Track a batch of events",
            &format!("Records many events at once. Up to 100 events per batch are recommended; an `apiKey` inside an event is disregarded. {RATE}"),
            "Batch",
            Some(batch_example()),
        )}),
    );

    let info_description = format!(
        "The REST ingestion API of mParticle Analytics (formerly Indicative). Every POST takes `Content-Type: application/json`; field names are case-sensitive. The API key goes in the body or, for single events, identify, alias, suppress and delete, in the path. {RATE} Batches of up to 100 events are recommended.\n\nThe API key is a field of each request (in its body, its path or its query), not an HTTP credential, so no operation declares a security scheme.\n\nGenerated by indicative-contract from its Rust models (`cargo xtask codegen`). Each request schema lists, under `x-inexpressible`, the rules of the strict profile that a schema cannot state."
    );
    let mut doc = json!({
        "openapi": if version == Version::V3_1 { "3.1.0" } else { "3.0.3" },
        "info": {
            "title": "mParticle Analytics (formerly Indicative) REST API",
            "version": "1.0.0",
            "description": info_description,
            "license": {"name": "MIT OR Apache-2.0", "url": "https://spdx.org/licenses/MIT.html"},
        },
        "servers": [{"url": "https://api.indicative.com"}],
        "tags": [
            {"name": "events", "description": "Track events, one at a time or in batches."},
            {"name": "users", "description": "Identify, alias, suppress and delete users."},
        ],
        "paths": paths,
        "components": {
            "schemas": components(version),
            "responses": {
                "Accepted": {"description": "Accepted: the request reached the servers with the correct syntax."},
                "BadRequest": {
                    "description": "Malformed, or the API key is missing or invalid.",
                    "content": {"application/json": {"schema": schema_ref("ErrorBody")}},
                },
                "Unprocessable": {
                    "description": "Well-formed, but a field value breaks a documented constraint.",
                    "content": {"application/json": {"schema": schema_ref("ErrorBody")}},
                },
            },
        },
    });
    if version == Version::V3_1 {
        doc["jsonSchemaDialect"] = json!("https://json-schema.org/draft/2020-12/schema");
    }
    doc
}

/// GET /service/event: the event as query parameters.
fn get_event() -> Value {
    let mut query_event_time = request_schema(RequestKind::EventQuery)["properties"]["eventTime"].clone();
    if let Some(map) = query_event_time.as_object_mut() {
        map.remove("description");
    }
    let text = |name: &str, description: &str, schema: &str, example: &str| json!({"name": name, "in": "query", "required": true, "description": description, "schema": schema_ref(schema), "example": example});
    let list = |name: &str, description: &str, example: Value| {
        json!({
            "name": name,
            "in": "query",
            "required": false,
            "style": "form",
            "explode": true,
            "description": description,
            "schema": {"type": "array", "items": schema_ref("QueryProperty")},
            "example": example,
        })
    };
    json!({
        "operationId": "trackEventByQuery",
        "tags": ["events"],
        "summary": "Track an event (GET)",
        "description": format!("Records one event from query parameters. The properties go as repeated `propertyNames` and `propertyValues`, paired in order: there must be as many of each. Names and values are percent-encoded UTF-8: a malformed escape (`%`, `%4`, `%G1`) or bytes that are not UTF-8 (`%FF`, `%E2%82`) make the query malformed (400, `invalid-query-encoding`). {RATE}"),
        "parameters": [
            text("apiKey", "The API key of the project.", "ApiKey", "Your-API-Key"),
            text("eventName", "The name of the event: 1 to 255 characters.", "EventName", "EmailOpen"),
            text("eventUniqueId", "The unique id of the user: 1 to 255 characters.", "EventUniqueId", "user123"),
            list("propertyNames", "Property names, 1 to 255 characters each.", json!(["prop1", "prop2"])),
            list("propertyValues", "The value of each property name, in the same order.", json!(["val1", "val2"])),
            {
                "name": "eventTime",
                "in": "query",
                "required": false,
                "description": "When the event occurred: a Unix time in seconds (below 100000000000) or milliseconds, written in decimal, or an ISO 8601 date-time; absent means now.",
                "schema": query_event_time,
                "example": "1532217837886",
            },
        ],
        "security": [],
        "responses": responses(),
    })
}

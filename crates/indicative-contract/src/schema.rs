//! JSON Schema of the typed requests (feature `schema`), for `cargo xtask
//! codegen`. The schemas state the strict profile: every bound comes from the
//! same constants the checks use, and what a schema cannot state is listed by
//! [`inexpressible`].

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::kind::RequestKind;
use crate::limits::{MAX_EVENT_TIME_MILLIS, MAX_TEXT_CHARS};
use crate::model::requests::{BatchEvent, Event, EventQuery};
use crate::model::values::{
    AliasId, ApiKey, EventName, EventUniqueId, PropertyName, PropertyValue, QueryProperty, UniqueId,
};
use crate::time::{EVENT_TIME_ISO_PATTERN, EventTime};

/// The characters Rust's `char::is_whitespace` takes (Unicode White_Space),
/// which is what "blank" means for an API key, as regex escapes that
/// ECMA-262 and Rust's regex engines read alike.
const WHITE_SPACE: &str = "\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";

/// A pattern that matches a text with a character that is not white space.
fn not_blank() -> String {
    format!("[^{WHITE_SPACE}]")
}

macro_rules! text_schema {
    ($ty:ty, $name:literal, $schema:expr) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                $name.into()
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                $schema
            }
        }
    };
}

text_schema!(
    ApiKey,
    "ApiKey",
    json_schema!({
        "type": "string",
        "minLength": 1,
        "pattern": not_blank(),
        "description": "The API key of the project: any text that is not blank.",
    })
);

fn bounded(description: &str) -> Schema {
    json_schema!({"type": "string", "minLength": 1, "maxLength": MAX_TEXT_CHARS, "description": description})
}

text_schema!(EventName, "EventName", bounded("The name of the event: 1 to 255 characters."));
text_schema!(
    EventUniqueId,
    "EventUniqueId",
    bounded("The unique id of the user who triggered the event: 1 to 255 characters.")
);
text_schema!(UniqueId, "UniqueId", bounded("The unique id of the user: 1 to 255 characters."));
text_schema!(QueryProperty, "QueryProperty", bounded("A GET property name or value: 1 to 255 characters."));
text_schema!(
    AliasId,
    "AliasId",
    json_schema!({
        "type": "string",
        "minLength": 1,
        "description": "An id of an alias: at least one character (over 255 is warned about).",
    })
);
text_schema!(
    PropertyName,
    "PropertyName",
    json_schema!({"type": "string", "description": "A property name (empty or over 255 characters is warned about)."})
);
text_schema!(
    PropertyValue,
    "PropertyValue",
    json_schema!({
        "type": "string",
        "description": "A property value; the API keeps its first 255 characters.",
    })
);

/// The schema of a number `eventTime`: seconds below 1e11, milliseconds
/// from there on, from 1970 to the end of 9999.
fn event_time_number() -> Schema {
    json_schema!({
        "type": "number",
        "minimum": 0,
        "exclusiveMaximum": MAX_EVENT_TIME_MILLIS + 1,
        "description": "A Unix time: seconds below 100000000000, milliseconds from there on.",
    })
}

/// Pairs with a `pattern` anchored by `^...$`: ECMA-262 and Rust's `regex`
/// read `$` as the end of the text, but Python's `re` also lets it match
/// before a final line feed, so a schema that must mean the same under every
/// validator also refuses any line feed (none of the texts it describes has one).
fn no_line_feed() -> serde_json::Value {
    serde_json::json!({"pattern": "\n"})
}

fn event_time_iso() -> Schema {
    json_schema!({
        "type": "string",
        "pattern": EVENT_TIME_ISO_PATTERN,
        "not": no_line_feed(),
        "description": "An ISO 8601 date-time (RFC 3339), a date alone (midnight UTC), or a date-time without offset (UTC assumed); a valid calendar date between 1970 and 9999.",
    })
}

impl JsonSchema for EventTime {
    fn schema_name() -> Cow<'static, str> {
        "EventTime".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "When the event occurred; absent means now.",
            // The branches cannot both hold (a number, a string): `oneOf`
            // says so, and generators make an enum of it, not a struct.
            "oneOf": [event_time_number(), event_time_iso()],
            "examples": [1_532_217_837_886_i64, "2018-07-22T00:03:57.886Z"],
        })
    }
}

/// A batch item is an [`Event`] whose `apiKey`, when present, is disregarded:
/// its schema is the event's, with the key optional and of any text.
impl JsonSchema for BatchEvent {
    fn schema_name() -> Cow<'static, str> {
        "BatchEvent".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = Event::json_schema(generator);
        schema.insert(
            "description".into(),
            "An event inside a batch: an `Event` without its API key (an `apiKey` in an item is accepted and disregarded, as the API does).".into(),
        );
        if let Some(properties) = schema.get_mut("properties").and_then(|p| p.as_object_mut()) {
            properties.insert(
                "apiKey".into(),
                serde_json::json!({
                    "type": ["string", "null"],
                    "description": "Disregarded by the API: a batch's key is the batch's own.",
                }),
            );
        }
        if let Some(required) = schema.get_mut("required").and_then(|r| r.as_array_mut()) {
            required.retain(|name| name != "apiKey");
        }
        schema
    }
}

impl JsonSchema for EventQuery {
    fn schema_name() -> Cow<'static, str> {
        "EventQuery".into()
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let property = generator.subschema_for::<QueryProperty>();
        json_schema!({
            "type": "object",
            "description": "The query parameters of GET /service/event, as an object: each parameter once, the repeated propertyNames and propertyValues as arrays, paired in order.",
            "properties": {
                "apiKey": generator.subschema_for::<ApiKey>(),
                "eventName": generator.subschema_for::<EventName>(),
                "eventUniqueId": generator.subschema_for::<EventUniqueId>(),
                "propertyNames": {"type": "array", "items": property.clone()},
                "propertyValues": {"type": "array", "items": property},
                "eventTime": {
                    "description": "When the event occurred; in a query a Unix time is written in decimal.",
                    // A decimal has no `-`, an ISO date has two: one branch holds.
                    "oneOf": [
                        {"type": "string", "pattern": "^[0-9]+(\\.[0-9]+)?$", "not": no_line_feed()},
                        event_time_iso(),
                    ],
                },
            },
            "required": ["apiKey", "eventName", "eventUniqueId"],
            "additionalProperties": false,
        })
    }
}

/// The rules of the strict profile that a JSON Schema of `kind` cannot
/// state, as `code: what`, one rule per entry. The generated schemas list
/// them (`x-inexpressible`): outside these, a body is accepted by the strict
/// profile exactly when the schema accepts it, under any validator. The
/// differential test in `tests/` derives the list from validators' verdicts
/// and fails when this one differs.
///
/// ```
/// use indicative_contract::{RequestKind, schema::inexpressible};
/// assert!(inexpressible(RequestKind::EventQuery).iter().any(|r| r.starts_with("property-count-mismatch:")));
/// assert!(!inexpressible(RequestKind::Alias).iter().any(|r| r.contains("eventTime")));
/// ```
#[must_use]
pub fn inexpressible(kind: RequestKind) -> Vec<&'static str> {
    let mut rules = Vec::new();
    if kind != RequestKind::EventQuery {
        rules.push(
"invalid-json: lone surrogate escapes (\"\\ud800\"), which many parsers accept; the reader's limits (nesting over 1000 levels, number literals over 1000 bytes, bodies over 64 MiB) and byte-level faults (invalid UTF-8, a byte order mark); a schema sees parsed JSON",
        );
        rules.push(
            "duplicate-key: a member repeated in a body has every value checked, while a schema sees the one value its parser keeps (the last, for most)",
        );
    }
    if matches!(kind, RequestKind::Event | RequestKind::Batch | RequestKind::EventQuery) {
        rules.push(
            "invalid-event-time: the calendar validity of an eventTime string (2023-02-29 and 2024-04-31 are refused), and its 1970-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z range once its offset is applied",
        );
        rules.push("negative-event-time: an eventTime string before 1970-01-01T00:00:00Z once its offset is applied");
    }
    if kind == RequestKind::EventQuery {
        rules.push("invalid-event-time: the upper bound of a decimal eventTime (253402300799999 milliseconds)");
        rules.push("property-count-mismatch: as many propertyNames as propertyValues");
        rules.push("invalid-query-encoding: the percent-escapes of the raw query and their UTF-8; a schema sees the decoded parameters");
    }
    if kind.takes_key_in_path() {
        rules.push("missing-api-key: a key in the path stands for the body's (the ...KeyInPath schemas of openapi.json leave apiKey optional)");
    }
    rules
}

/// The JSON Schema (2020-12) of a request kind's body, with its
/// `x-inexpressible` list.
///
/// ```
/// use indicative_contract::{RequestKind, schema::request_schema};
/// let schema = request_schema(RequestKind::Alias);
/// assert_eq!(schema["required"], serde_json::json!(["apiKey", "previousId", "newId"]));
/// ```
#[must_use]
pub fn request_schema(kind: RequestKind) -> serde_json::Value {
    use crate::model::requests::{Alias, Batch, Delete, Identify, Suppress};
    let generator = SchemaGenerator::default();
    let schema = match kind {
        RequestKind::Event => generator.into_root_schema_for::<Event>(),
        RequestKind::EventQuery => generator.into_root_schema_for::<EventQuery>(),
        RequestKind::Batch => generator.into_root_schema_for::<Batch>(),
        RequestKind::Identify => generator.into_root_schema_for::<Identify>(),
        RequestKind::Alias => generator.into_root_schema_for::<Alias>(),
        RequestKind::Suppress => generator.into_root_schema_for::<Suppress>(),
        RequestKind::Delete => generator.into_root_schema_for::<Delete>(),
    };
    let mut value = schema.to_value();
    tidy_descriptions(&mut value);
    value["x-inexpressible"] = serde_json::json!(inexpressible(kind));
    value
}

/// Keeps the prose of every `description` taken from rustdoc: code examples
/// are cut and intra-doc link brackets dropped.
///
/// ```
/// let mut schema = serde_json::json!({"description": "An [`Event`] body.\n\n```\nlet x = 1;\n```"});
/// indicative_contract::schema::tidy_descriptions(&mut schema);
/// assert_eq!(schema["description"], "An `Event` body.");
/// ```
pub fn tidy_descriptions(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if key == "description"
                    && let serde_json::Value::String(text) = item
                {
                    let prose = text.split("```").next().unwrap_or_default();
                    *text =
                        prose.replace("[`", "`").replace("`]", "`").split_whitespace().collect::<Vec<_>>().join(" ");
                } else {
                    tidy_descriptions(item);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(tidy_descriptions),
        _ => {}
    }
}

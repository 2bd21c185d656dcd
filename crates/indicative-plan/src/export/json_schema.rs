//! The API's event body narrowed by the plan, as a JSON Schema.

use indicative_contract::RequestKind;
use indicative_contract::schema::request_schema;
use serde_json::{Map, Value, json};

use super::{number, text_constraints};
use crate::values::type_pattern;
use crate::{EventSpec, EventStatus, Plan, Policy, PropertySpec, PropertyType};

/// Which body an event schema is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Body {
    /// `POST /service/event`: `apiKey` required.
    Event,
    /// `POST /service/event/{apiKey}`: `apiKey` optional.
    KeyInPath,
    /// An item of `POST /service/event/batch`: `apiKey` disregarded.
    BatchItem,
}

/// The API's own schemas: the event body and the batch.
pub(super) struct Api {
    pub event: Value,
    pub batch: Value,
}

impl Api {
    pub(super) fn new() -> Self {
        Self { event: request_schema(RequestKind::Event), batch: request_schema(RequestKind::Batch) }
    }

    /// The schema of the body's field `name`, as the API's.
    fn field(&self, name: &str) -> Value {
        self.event["properties"][name].clone()
    }

    /// The batch item's `apiKey`: any text or null, disregarded.
    fn batch_api_key(&self) -> Value {
        self.batch["$defs"]["BatchEvent"]["properties"]["apiKey"].clone()
    }
}

/// The standalone JSON Schema of one event: the body's schema with
/// `$schema`, a title and the API's `$defs`.
pub(super) fn document(plan: &Plan, name: &str, event: &EventSpec) -> Value {
    let api = Api::new();
    let body = schema(plan, name, event, Body::Event, &api);
    let mut document = Map::new();
    document.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    document.insert("title".into(), json!(name));
    document.extend(body);
    document.insert("$defs".into(), api.event["$defs"].clone());
    Value::Object(document)
}

/// An event's body schema (references into `#/$defs/`).
pub(super) fn schema(plan: &Plan, name: &str, event: &EventSpec, body: Body, api: &Api) -> Map<String, Value> {
    let mut schema = Map::new();
    if let Some(description) = &event.description {
        schema.insert("description".into(), json!(description));
    }
    if event.status == EventStatus::Deprecated {
        schema.insert("deprecated".into(), json!(true));
    }
    schema.insert("type".into(), json!("object"));
    let properties = properties(plan, event);
    let has_required = properties.get("required").is_some();
    let api_key = if body == Body::BatchItem { api.batch_api_key() } else { api.field("apiKey") };
    let mut fields = Map::new();
    fields.insert("apiKey".into(), api_key);
    fields.insert("eventName".into(), json!({"const": name}));
    fields.insert("eventUniqueId".into(), api.field("eventUniqueId"));
    fields.insert("eventTime".into(), api.field("eventTime"));
    let properties =
        if has_required { Value::Object(properties) } else { json!({"anyOf": [properties, {"type": "null"}]}) };
    fields.insert("properties".into(), properties);
    schema.insert("properties".into(), Value::Object(fields));
    let mut required = Vec::new();
    if body == Body::Event {
        required.push("apiKey");
    }
    required.extend(["eventName", "eventUniqueId"]);
    if has_required {
        required.push("properties");
    }
    schema.insert("required".into(), json!(required));
    schema.insert("additionalProperties".into(), json!(false));
    schema.insert("x-inexpressible".into(), json!(inexpressible(plan, event, api)));
    schema
}

/// The event's `properties` object: its own and its groups'.
fn properties(plan: &Plan, event: &EventSpec) -> Map<String, Value> {
    let mut planned = Map::new();
    let mut required = Vec::new();
    for (name, spec) in plan.properties_of(event) {
        planned.insert(name.to_owned(), text_schema(spec));
        if spec.required {
            required.push(name);
        }
    }
    let mut schema = Map::new();
    schema.insert("type".into(), json!("object"));
    schema.insert("description".into(), json!("The event's properties, as the plan has them."));
    schema.insert("properties".into(), Value::Object(planned));
    if !required.is_empty() {
        required.sort_unstable();
        schema.insert("required".into(), json!(required));
    }
    let others = match plan.policy_of(event) {
        Policy::Deny => json!(false),
        Policy::Allow | Policy::Warn => json!({"$ref": "#/$defs/PropertyValue"}),
    };
    schema.insert("additionalProperties".into(), others);
    schema
}

/// A planned property as the strict profile sends it: a string, whose text
/// the type constrains.
pub(super) fn text_schema(spec: &PropertySpec) -> Value {
    let mut schema = Map::new();
    schema.insert("type".into(), json!("string"));
    text_constraints(spec, &mut schema);
    match spec.kind {
        PropertyType::String | PropertyType::Enum => {}
        kind => {
            if let Some(pattern) = type_pattern(kind) {
                schema.insert("pattern".into(), json!(pattern));
                schema.insert("not".into(), json!({"pattern": "\n"}));
            }
            if kind == PropertyType::Datetime {
                schema.insert("format".into(), json!("date-time"));
            }
            if let Some(min) = spec.min {
                schema.insert("x-minimum".into(), number(min));
            }
            if let Some(max) = spec.max {
                schema.insert("x-maximum".into(), number(max));
            }
        }
    }
    if let Some(description) = &spec.description {
        schema.insert("description".into(), json!(description));
    }
    if !spec.examples.is_empty() {
        schema.insert("examples".into(), json!(spec.examples));
    }
    Value::Object(schema)
}

/// What the event's schema cannot say: the API's own list, then the plan's.
fn inexpressible(plan: &Plan, event: &EventSpec, api: &Api) -> Vec<String> {
    let mut list: Vec<String> = api.event["x-inexpressible"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|item| item.as_str().map(str::to_owned))
        .collect();
    let named = |filter: &dyn Fn(&PropertySpec) -> bool| -> Vec<String> {
        plan.properties_of(event).filter(|(_, spec)| filter(spec)).map(|(name, _)| format!("`{name}`")).collect()
    };
    let datetimes = named(&|spec| spec.kind == PropertyType::Datetime);
    if !datetimes.is_empty() {
        list.push(format!(
            "property-type: the calendar validity of the datetime properties {} (2023-02-29T00:00:00Z matches the pattern but is refused, as is a leap second other than at 23:59 UTC)",
            datetimes.join(", ")
        ));
    }
    let ranges: Vec<String> = plan
        .properties_of(event)
        .filter(|(_, spec)| spec.min.is_some() || spec.max.is_some())
        .map(|(name, spec)| {
            let bounds: Vec<String> = [("min", spec.min), ("max", spec.max)]
                .into_iter()
                .filter_map(|(key, bound)| bound.map(|b| format!("{key} {b}")))
                .collect();
            format!("`{name}` {}", bounds.join(", "))
        })
        .collect();
    if !ranges.is_empty() {
        list.push(format!(
            "property-range: {}: the value is text, which a schema cannot compare as a number (the bounds ride along as x-minimum and x-maximum)",
            ranges.join("; ")
        ));
    }
    if plan.policy_of(event) == Policy::Warn {
        list.push(
            "unplanned-property: under the warn policy an unplanned property is a warning; the schema accepts it"
                .to_owned(),
        );
    }
    if let Some(sunset) = event.sunset {
        list.push(format!(
            "deprecated-event: from its sunset date, {sunset}, sending the event is an error; the schema says only `deprecated`"
        ));
    }
    list
}

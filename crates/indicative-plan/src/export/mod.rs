//! Our plan, written as other tools read it:
//!
//! - [`json_schemas`]: one JSON Schema (2020-12) per planned event, the
//!   API's event body as the strict profile states it, narrowed by the
//!   plan (its `x-inexpressible` lists what a schema cannot say);
//! - [`openapi`]: an OpenAPI 3.1 document of `POST /service/event` (and
//!   its batch and key-in-path forms) whose body is one of the planned
//!   events, told apart by `eventName`;
//! - [`mparticle`]: an mParticle data plan, which
//!   [`import`](crate::import::import) reads back into the same plan.
//!
//! The API stores every property value as text, and the strict profile
//! sends them as strings: in the JSON Schemas and the OpenAPI document a
//! planned property is a string whose text its type constrains (an
//! integer is `"12"`). The mParticle plan, whose SDKs send typed values,
//! types them as JSON (`"type": "integer"`).
//!
//! ```
//! let plan = indicative_plan::Plan::from_text("p.yaml", "name: Shop\nversion: 1-0-0\nevents:\n  Sign Up:\n    properties:\n      age: { type: integer, required: true }\n")?;
//! let schemas = indicative_plan::export::json_schemas(&plan);
//! assert_eq!(schemas[0].0, "sign-up.schema.json");
//! let age = &schemas[0].1["properties"]["properties"]["properties"]["age"];
//! assert_eq!(age["type"], "string");
//! assert_eq!(age["pattern"], "^-?(0|[1-9][0-9]*)$");
//! # Ok::<(), indicative_plan::PlanErrors>(())
//! ```

mod json_schema;
mod mparticle;
mod openapi;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::{EventStatus, Plan};

/// One JSON Schema (2020-12) per planned event, with a file name for each:
/// a slug of the event's name (`Checkout Completed` is
/// `checkout-completed.schema.json`; names that slug alike get `-2`,
/// `-3`, ... in the order of the plan's events).
///
/// Each is the API's event body as the strict profile states it (`apiKey`,
/// `eventName` and `eventUniqueId` required, `eventTime` and `properties`
/// optional, nothing else), with `eventName` the event's and `properties`
/// the event's own and its groups': each a string constrained by its type
/// (a pattern, guarded against a final line feed for Python's `re`), its
/// `enum`, `pattern` and lengths; `required` as planned (then `properties`
/// itself is required); other properties refused under the `deny` policy,
/// else any text. A deprecated event is `"deprecated": true`. Its
/// `x-inexpressible` lists what the schema cannot say: the API's own list,
/// the calendar validity of datetimes (they also carry `format: date-time`,
/// which validators that assert formats check), the ranges (carried as
/// `x-minimum`/`x-maximum`), a `warn` policy's warning, a sunset date.
///
/// [`import`](crate::import::import) of a folder of these schemas gives the
/// events back: names, properties (their groups' folded in), types,
/// `required`, enum values, patterns, lengths, ranges, descriptions,
/// examples, `deprecated` and the `deny` policy. What does not come back:
/// owners, the `planned` status, sunset dates, the groups themselves, the
/// difference between `allow` and `warn`, and the plan's name, version,
/// description and user properties.
///
/// ```
/// let plan = indicative_plan::Plan::from_text("p.yaml", "name: Shop\nversion: 1-0-0\nevents:\n  Sign Up:\n    policy: deny\n    properties:\n      plan: { type: enum, values: [free, pro], required: true }\n")?;
/// let (file, schema) = &indicative_plan::export::json_schemas(&plan)[0];
/// assert_eq!(schema["properties"]["eventName"], serde_json::json!({"const": "Sign Up"}));
/// assert_eq!(schema["required"], serde_json::json!(["apiKey", "eventName", "eventUniqueId", "properties"]));
/// let properties = &schema["properties"]["properties"];
/// assert_eq!(properties["properties"]["plan"]["enum"], serde_json::json!(["free", "pro"]));
/// assert_eq!(properties["additionalProperties"], false);
/// # Ok::<(), indicative_plan::PlanErrors>(())
/// ```
#[must_use]
pub fn json_schemas(plan: &Plan) -> Vec<(String, Value)> {
    let slugs = slugs(plan);
    plan.events
        .iter()
        .map(|(name, event)| {
            let slug = slugs.get(name.as_str()).map_or("event", String::as_str);
            (format!("{slug}.schema.json"), json_schema::document(plan, name, event))
        })
        .collect()
}

/// What of `plan` the schemas of [`json_schemas`] do not carry (one line
/// each; none when they carry all): a schema per event has no place for
/// user properties, an event's owner, its `planned` status, its sunset
/// date, the `allow` policy (told from `warn`), the groups (folded into
/// their events), or the plan's own name, version and description.
///
/// ```
/// let plan = indicative_plan::Plan::from_text("p.yaml", "name: Shop\nversion: 1-0-0\nevents:\n  A:\n    owner: web\nuserProperties:\n  tier: { type: string }\n")?;
/// let left = indicative_plan::export::json_schemas_leave_out(&plan);
/// assert!(left.iter().any(|l| l.contains("1 user property")), "{left:?}");
/// # Ok::<(), indicative_plan::PlanErrors>(())
/// ```
#[must_use]
pub fn json_schemas_leave_out(plan: &Plan) -> Vec<String> {
    let mut left = Vec::new();
    let users = plan.user_properties.len();
    if users > 0 {
        let plural = if users == 1 { "property" } else { "properties" };
        left.push(format!(
            "{users} user {plural} (identify is not an event; the plan and its mParticle export keep them)"
        ));
    }
    let owners = plan.events.values().filter(|e| e.owner.is_some()).count();
    if owners > 0 {
        left.push(format!("the owners of {owners} event{}", if owners == 1 { "" } else { "s" }));
    }
    let planned: Vec<&str> =
        plan.events.iter().filter(|(_, e)| e.status == EventStatus::Planned).map(|(n, _)| n.as_str()).collect();
    if !planned.is_empty() {
        left.push(format!("the status `planned` of {} (read back as active)", planned.join(", ")));
    }
    let names = |pick: &dyn Fn(&crate::EventSpec) -> bool| -> Vec<&str> {
        plan.events.iter().filter(|(_, e)| pick(e)).map(|(n, _)| n.as_str()).collect()
    };
    let sunsets = names(&|e| e.sunset.is_some());
    if !sunsets.is_empty() {
        left.push(format!("the sunset dates of {} (the schemas say `deprecated` only)", sunsets.join(", ")));
    }
    let allowed = names(&|e| plan.policy_of(e) == crate::Policy::Allow);
    if !allowed.is_empty() {
        left.push(format!(
            "the policy `allow` of {} (the schemas allow any other property, as under `warn`, which an import reads back)",
            allowed.join(", ")
        ));
    }
    if !plan.groups.is_empty() {
        let groups: Vec<&str> = plan.groups.keys().map(String::as_str).collect();
        left.push(format!(
            "the groups {} (their properties are written into each event that includes them)",
            groups.join(", ")
        ));
    }
    left.push(format!(
        "the plan's name, version ({}){}",
        plan.version,
        if plan.description.is_some() { " and description" } else { "" }
    ));
    left
}

/// An OpenAPI 3.1 document of the planned events: `POST /service/event`,
/// `/service/event/{apiKey}` and `/service/event/batch`, whose body (or
/// batch item) is a `oneOf` the planned events, each a component schema
/// as [`json_schemas`] writes it, with a `discriminator` on `eventName`.
/// Responses as the API's: 200, 400 and 422.
///
/// ```
/// let plan = indicative_plan::Plan::from_text("p.yaml", "name: Shop\nversion: 1-2-0\nevents:\n  Sign Up: {}\n")?;
/// let document = indicative_plan::export::openapi(&plan);
/// assert_eq!(document["openapi"], "3.1.0");
/// let body = &document["components"]["schemas"]["PlannedEvent"];
/// assert_eq!(body["discriminator"]["mapping"]["Sign Up"], "#/components/schemas/event.sign-up");
/// # Ok::<(), indicative_plan::PlanErrors>(())
/// ```
#[must_use]
pub fn openapi(plan: &Plan) -> Value {
    openapi::document(plan, &slugs(plan))
}

/// An mParticle data plan: the whole plan (`data_plan_id`,
/// `data_plan_name`, one entry of `data_plan_versions`), each event a
/// `custom_event` data point whose `custom_attributes` are its properties
/// (its groups' included), typed as JSON; the user properties a
/// `user_attributes` data point. Unplanned attributes are refused
/// (`additionalProperties: false`) unless the policy is `allow`.
///
/// What mParticle has no words for rides in `x-indicative` annotations,
/// which JSON Schema ignores, so that importing the document gives back
/// the same plan: the exact SchemaVer (mParticle's version is the MODEL
/// number), the policies, the groups, an event's owner, status and sunset.
/// Every event's `custom_event_type` is `other`.
///
/// ```
/// use indicative_plan::import::{import_text, Source};
/// let plan = indicative_plan::Plan::from_text("p.yaml", "name: Shop\nversion: 2-1-0\nevents:\n  Sign Up:\n    owner: growth\n    properties:\n      plan: { type: enum, values: [free, pro] }\n")?;
/// let document = indicative_plan::export::mparticle(&plan);
/// assert_eq!(document["data_plan_versions"][0]["version"], 2);
/// let back = import_text(Source::Mparticle, "shop.json", &document.to_string()).expect("our own export");
/// assert_eq!(back.plan, plan);
/// assert!(back.notes.is_empty());
/// # Ok::<(), indicative_plan::PlanErrors>(())
/// ```
#[must_use]
pub fn mparticle(plan: &Plan) -> Value {
    mparticle::document(plan)
}

/// A slug of `name`: ASCII letters (lowercased) and digits, every other
/// run of characters (and a lowercase-to-uppercase step) one `separator`;
/// `event` when nothing is left; at most 80 characters.
fn slug(name: &str, separator: char) -> String {
    let mut out = String::new();
    let mut gap = false;
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            if (gap || (c.is_ascii_uppercase() && previous_lower)) && !out.is_empty() {
                out.push(separator);
            }
            gap = false;
            previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
            out.push(c.to_ascii_lowercase());
        } else {
            gap = true;
            previous_lower = false;
        }
    }
    out.truncate(80);
    let out = out.trim_end_matches(separator);
    if out.is_empty() { "event".to_owned() } else { out.to_owned() }
}

/// Each event's slug, unique within the plan: in the order of the events,
/// a slug already taken gets the first free `-2`, `-3`, ...
fn slugs(plan: &Plan) -> BTreeMap<&str, String> {
    let mut taken = BTreeSet::new();
    let mut slugs = BTreeMap::new();
    for name in plan.events.keys() {
        let base = slug(name, '-');
        let mut candidate = base.clone();
        let mut n = 2;
        while taken.contains(&candidate) {
            candidate = format!("{base}-{n}");
            n += 1;
        }
        taken.insert(candidate.clone());
        slugs.insert(name.as_str(), candidate);
    }
    slugs
}

/// The constraints a string or enum property puts on its text, as JSON
/// Schema (both exports write them the same way); other types add nothing.
fn text_constraints(spec: &crate::PropertySpec, schema: &mut serde_json::Map<String, Value>) {
    use crate::PropertyType;
    use serde_json::json;
    match spec.kind {
        PropertyType::String => {
            if let Some(pattern) = &spec.pattern {
                // `.` and `$` rendered to mean in every validator what they
                // mean to the lint (a loaded plan's patterns are portable).
                let rendered = crate::pattern::portable(pattern).map_or_else(|_| pattern.clone(), |p| p.schema);
                schema.insert("pattern".into(), json!(rendered));
            }
            if let Some(min) = spec.min_length {
                schema.insert("minLength".into(), json!(min));
            }
            if let Some(max) = spec.max_length {
                schema.insert("maxLength".into(), json!(max));
            }
        }
        PropertyType::Enum => {
            schema.insert("enum".into(), json!(spec.values));
        }
        _ => {}
    }
}

/// A JSON number for a bound: an integer when it is one.
fn number(value: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if value.fract() == 0.0 && value.abs() < EXACT {
        #[allow(clippy::cast_possible_truncation)]
        Value::from(value as i64)
    } else {
        serde_json::Number::from_f64(value).map_or(Value::Null, Value::Number)
    }
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs_are_ascii_and_readable() {
        assert_eq!(slug("Checkout Completed", '-'), "checkout-completed");
        assert_eq!(slug("checkoutCompleted", '-'), "checkout-completed");
        assert_eq!(slug("  Order #42 -- paid! ", '_'), "order_42_paid");
        assert_eq!(slug("購入", '-'), "event");
        assert_eq!(slug("Café Ouvert", '-'), "caf-ouvert");
    }
}

//! The normalized form: what the API is predicted to store.
//!
//! Only an accepted request (predicted 200) stores anything. Scalars become
//! their text, property values are truncated to 255 characters (null values
//! are left out: the reference gives them no meaning), `eventTime` becomes
//! UTC milliseconds or `"now"`, batch items lose their `apiKey`, the key comes
//! from the path when the body has none, and unknown fields are dropped. The
//! key is shown masked (its first four characters), as everywhere.

use std::collections::BTreeMap;

use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::RequestInfo;
use super::query::{parse, split};
use crate::diagnostic::Report;
use crate::kind::{Endpoint, RequestKind};
use crate::limits::{mask_api_key, truncate};
use crate::rule::Status;
use crate::time::{number_to_millis, text_to_millis};

type Fields<'a> = BTreeMap<String, &'a RawValue>;

/// What the API is predicted to store for an accepted POST body; `None`
/// when the report predicts a rejection or the kind is not known.
///
/// ```
/// use indicative_contract::{lint_body, normalize_body, LintOptions, RequestInfo};
/// let body = br#"{"eventName":"Open","eventUniqueId":7,"properties":{"n":1.50,"x":null},"eventTime":1700000000,"automatic":true}"#;
/// let request = RequestInfo::http("POST", "/service/event/KEY", Some("application/json"));
/// let report = lint_body(body, &request, &LintOptions::new(1_700_000_000_000));
/// let stored = normalize_body(body, &report, &request).unwrap();
/// assert_eq!(stored.to_string(), r#"{"apiKey":"KEY…","eventName":"Open","eventTime":1700000000000,"eventUniqueId":"7","properties":{"n":"1.50"}}"#);
/// // A property named apiKey is stored, and shown masked as every key is.
/// let body = br#"{"eventName":"Open","eventUniqueId":"u","properties":{"apiKey":"3f2a9c7e"}}"#;
/// let report = lint_body(body, &request, &LintOptions::new(1_700_000_000_000));
/// let stored = normalize_body(body, &report, &request).unwrap();
/// assert_eq!(stored["properties"]["apiKey"], "3f2a…");
/// // So is every copy of the key.
/// let body = br#"{"apiKey":"3f2a9c7e","eventName":"Open","eventUniqueId":"u","properties":{"copy":"key 3f2a9c7e"}}"#;
/// let report = lint_body(body, &request, &LintOptions::new(1_700_000_000_000));
/// let stored = normalize_body(body, &report, &request).unwrap();
/// assert_eq!(stored["properties"]["copy"], "key 3f2a…");
/// ```
#[must_use]
pub fn normalize_body(body: &[u8], report: &Report, request: &RequestInfo) -> Option<Value> {
    if report.status != Status::Ok {
        return None;
    }
    let kind = report.kind.kind()?;
    let fields: Fields<'_> = serde_json::from_slice(body).ok()?;
    let mut out = Map::new();
    let key = fields.get("apiKey").and_then(|raw| text(raw)).or_else(|| key_from(request));
    if let Some(key) = &key {
        // Shown, so masked like every key this crate prints.
        out.insert("apiKey".into(), Value::String(mask_api_key(key)));
    }
    match kind {
        RequestKind::Event | RequestKind::EventQuery => event(&fields, &mut out),
        RequestKind::Batch => {
            let items: Vec<Fields<'_>> = serde_json::from_str(fields.get("events")?.get()).ok()?;
            let events = items
                .iter()
                .map(|item| {
                    let mut stored = Map::new();
                    event(item, &mut stored);
                    Value::Object(stored)
                })
                .collect();
            out.insert("events".into(), Value::Array(events));
        }
        RequestKind::Identify => {
            copy_text(&fields, "uniqueId", &mut out);
            out.insert("properties".into(), properties(fields.get("properties").copied()));
        }
        RequestKind::Alias => {
            copy_text(&fields, "previousId", &mut out);
            copy_text(&fields, "newId", &mut out);
        }
        RequestKind::Suppress | RequestKind::Delete => copy_text(&fields, "uniqueId", &mut out),
    }
    let mut out = Value::Object(out);
    if let Some(key) = &key {
        hide_copies(&mut out, key);
    }
    Some(out)
}

/// Every copy of `key` in the strings of `value` (names too) masked as the
/// key is: a key sent again as a property's value is still a key.
fn hide_copies(value: &mut Value, key: &str) {
    // By the rule every surface hides copies by (a short key's copies, or
    // a literal's, are not searched for).
    if !crate::keys::is_copied(key.as_bytes()) {
        return;
    }
    let masked = mask_api_key(key);
    match value {
        Value::String(text) if text.contains(key) => *text = text.replace(key, &masked),
        Value::Array(items) => items.iter_mut().for_each(|item| hide_copies(item, key)),
        Value::Object(members) => {
            if members.keys().any(|name| name.contains(key)) {
                *members = std::mem::take(members)
                    .into_iter()
                    .map(|(name, value)| (name.replace(key, &masked), value))
                    .collect();
            }
            members.values_mut().for_each(|member| hide_copies(member, key));
        }
        _ => {}
    }
}

/// What the API is predicted to store for an accepted GET query; `None` when
/// the report predicts a rejection.
///
/// ```
/// use indicative_contract::{lint_query, normalize_query, LintOptions, RequestInfo};
/// let url = "/service/event?apiKey=K&eventName=Open&eventUniqueId=u&propertyNames=a&propertyValues=1";
/// let report = lint_query(url, &RequestInfo::default(), &LintOptions::new(0));
/// let stored = normalize_query(url, &report).unwrap();
/// assert_eq!(stored.to_string(), r#"{"apiKey":"K…","eventName":"Open","eventTime":"now","eventUniqueId":"u","properties":{"a":"1"}}"#);
/// ```
#[must_use]
pub fn normalize_query(url: &str, report: &Report) -> Option<Value> {
    if report.status != Status::Ok {
        return None;
    }
    let (_, query, offset) = split(url);
    let parsed = parse(query, offset);
    let mut out = Map::new();
    for (slot, name) in ["apiKey", "eventName", "eventUniqueId"].into_iter().enumerate() {
        if let Some(param) = &parsed.single[slot] {
            let value = if slot == 0 { mask_api_key(&param.value) } else { param.value.clone().into_owned() };
            out.insert(name.into(), Value::String(value));
        }
    }
    let time = match &parsed.single[3] {
        Some(param) => text_to_millis(&param.value).ok().map_or(Value::Null, |r| Value::from(r.millis)),
        None => Value::from("now"),
    };
    out.insert("eventTime".into(), time);
    let properties = parsed
        .names
        .iter()
        .zip(&parsed.values)
        .map(|(n, v)| (n.value.clone().into_owned(), Value::String(stored_property(&n.value, &v.value))))
        .collect();
    out.insert("properties".into(), Value::Object(properties));
    let mut out = Value::Object(out);
    if let Some(key) = &parsed.single[0] {
        hide_copies(&mut out, &key.value);
    }
    Some(out)
}

/// A property's value as stored (truncated), masked when the property is
/// named `apiKey`: shown, it is a key like any other.
fn stored_property(name: &str, value: &str) -> String {
    if name == "apiKey" { mask_api_key(value) } else { truncate(value).to_owned() }
}

fn key_from(request: &RequestInfo) -> Option<String> {
    let path = request.path.as_deref()?;
    let endpoint = Endpoint::resolve(request.method.as_deref().unwrap_or("POST"), path).ok();
    endpoint.and_then(|e| e.path_api_key).or_else(|| {
        let (_, query, offset) = split(path);
        parse(query, offset).single[0].as_ref().map(|p| p.value.clone().into_owned())
    })
}

/// A scalar as the text the API reads it as; `None` for null and containers.
fn text(raw: &RawValue) -> Option<String> {
    let literal = raw.get().trim();
    match literal.as_bytes().first()? {
        b'"' => serde_json::from_str(literal).ok(),
        b'n' | b'{' | b'[' => None,
        _ => Some(literal.to_owned()),
    }
}

fn copy_text(fields: &Fields<'_>, name: &str, out: &mut Map<String, Value>) {
    if let Some(value) = fields.get(name).and_then(|raw| text(raw)) {
        out.insert(name.into(), Value::String(value));
    }
}

fn properties(raw: Option<&RawValue>) -> Value {
    let fields: Fields<'_> = raw.and_then(|raw| serde_json::from_str(raw.get()).ok()).unwrap_or_default();
    let stored = fields
        .into_iter()
        .filter_map(|(name, raw)| {
            let value = text(raw)?;
            let stored = stored_property(&name, &value);
            Some((name, Value::String(stored)))
        })
        .collect();
    Value::Object(stored)
}

fn event(fields: &Fields<'_>, out: &mut Map<String, Value>) {
    copy_text(fields, "eventName", out);
    copy_text(fields, "eventUniqueId", out);
    out.insert("properties".into(), properties(fields.get("properties").copied()));
    let time = fields.get("eventTime").map(|raw| raw.get().trim()).filter(|t| *t != "null");
    let millis = match time {
        None => Value::from("now"),
        Some(literal) if literal.starts_with('"') => {
            let text: String = serde_json::from_str(literal).unwrap_or_default();
            text_to_millis(&text).ok().map_or(Value::Null, |r| Value::from(r.millis))
        }
        Some(literal) => literal.parse().ok().and_then(|n| number_to_millis(n).ok()).map_or(Value::Null, Value::from),
    };
    out.insert("eventTime".into(), millis);
}

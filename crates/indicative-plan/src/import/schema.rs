//! JSON Schema, as every source writes its properties, mapped to planned
//! properties (the table in the module documentation of `import`).

use std::collections::{BTreeMap, BTreeSet};

use indicative_contract::limits::MAX_TEXT_CHARS;
use serde_json::{Map, Value};

use super::{At, Notes, name_problem, shown};
use crate::suggest::folded;
use crate::values::type_pattern;
use crate::{Policy, PropertySpec, PropertyType};

/// Keywords that only annotate: read by no one, noted by no one.
const ANNOTATIONS: [&str; 9] =
    ["title", "$comment", "default", "$id", "$schema", "readOnly", "writeOnly", "example", "$anchor"];

/// A property schema, mapped.
pub(super) struct Mapped {
    pub spec: PropertySpec,
    /// Whether the schema allows `null` (then the property cannot be required).
    pub nullable: bool,
}

/// The properties of an object schema, mapped.
#[derive(Default)]
pub(super) struct Object {
    pub properties: BTreeMap<String, PropertySpec>,
    /// From `additionalProperties`: `false` is deny, `true` allow.
    pub policy: Option<Policy>,
}

/// Whether `key` is an extension (`x-...`), which only annotates.
fn extension(key: &str) -> bool {
    key.starts_with("x-")
}

/// Notes every keyword of `schema` that is neither `used`, an annotation
/// nor an extension.
fn note_unmapped(schema: &Map<String, Value>, used: &[&str], at: &At, notes: &mut Notes) {
    for key in schema.keys() {
        if !used.contains(&key.as_str()) && !ANNOTATIONS.contains(&key.as_str()) && !extension(key) {
            notes.add(&at.key(key), format!("`{key}` is not mapped here: ignored"));
        }
    }
}

/// Whether a schema is `{"type": "null"}`.
fn is_null_schema(value: &Value) -> bool {
    value.get("type").and_then(Value::as_str) == Some("null")
}

/// The text the API stores for a scalar JSON value.
pub(super) fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        _ => None,
    }
}

/// A non-empty `description`.
pub(super) fn description(schema: &Map<String, Value>) -> Option<String> {
    schema.get("description").and_then(Value::as_str).filter(|d| !d.trim().is_empty()).map(str::to_owned)
}

/// The object schema's properties: `properties`, `required` and
/// `additionalProperties`; `handled` names the keywords the caller reads
/// itself (so they are not noted).
pub(super) fn object(schema: &Value, at: &At, notes: &mut Notes, handled: &[&str]) -> Object {
    let mut mapped = Object::default();
    let map = match schema {
        Value::Object(map) => map,
        Value::Bool(true) => return mapped,
        Value::Bool(false) => {
            notes.add(at, "`false` allows no properties at all: none planned");
            return mapped;
        }
        other => {
            notes.add(at, format!("expected an object schema, found {}: no properties read", shown(other)));
            return mapped;
        }
    };
    let mut used =
        vec!["type", "properties", "required", "additionalProperties", "description", "$defs", "definitions"];
    used.extend_from_slice(handled);
    note_unmapped(map, &used, at, notes);
    match map.get("type") {
        None => {}
        Some(Value::String(t)) if t == "object" => {}
        Some(Value::Array(types)) if types.iter().any(|t| t == "object") => {}
        Some(other) => {
            notes.add(&at.key("type"), format!("the type is {}, not an object: no properties read", shown(other)))
        }
    }
    // Every property name the schema declares, planned or not.
    let mut declared = BTreeSet::new();
    let mut nullable = BTreeSet::new();
    let mut kept: BTreeMap<String, String> = BTreeMap::new();
    match map.get("properties") {
        None => {}
        Some(Value::Object(properties)) => {
            let base = at.key("properties");
            for (name, value) in properties {
                declared.insert(name.as_str());
                let place = base.key(name);
                if let Some(problem) = name_problem(name) {
                    notes.add(&place, format!("the property name {problem}: not planned"));
                    continue;
                }
                if let Some(first) = kept.get(&folded(name)) {
                    notes.add(
                        &place,
                        format!("`{name}` differs from the property `{first}` only in case, white space, `_` or `-`: not planned"),
                    );
                    continue;
                }
                if let Some(property) = property(value, &place, notes) {
                    kept.insert(folded(name), name.clone());
                    if property.nullable {
                        nullable.insert(name.clone());
                    }
                    mapped.properties.insert(name.clone(), property.spec);
                }
            }
        }
        Some(other) => notes.add(&at.key("properties"), format!("expected an object, found {}: ignored", shown(other))),
    }
    match map.get("required") {
        None => {}
        Some(Value::Array(names)) => {
            for (i, name) in names.iter().enumerate() {
                let place = at.key("required").index(i);
                let Some(name) = name.as_str() else {
                    notes.add(&place, format!("{} is not a property name: ignored", shown(name)));
                    continue;
                };
                if let Some(spec) = mapped.properties.get_mut(name) {
                    if nullable.contains(name) {
                        notes.add(
                            &place,
                            format!("`{name}` is required but may be null; a null is no value here, so it is planned as optional"),
                        );
                    } else {
                        spec.required = true;
                    }
                } else if !declared.contains(name) {
                    if name_problem(name).is_some() || kept.contains_key(&folded(name)) {
                        notes.add(&place, format!("required `{name}` cannot be planned: ignored"));
                        continue;
                    }
                    notes.add(
                        &place,
                        format!("`{name}` is required but has no schema: planned as a required string (any text)"),
                    );
                    kept.insert(folded(name), name.to_owned());
                    mapped
                        .properties
                        .insert(name.to_owned(), PropertySpec { required: true, ..PropertySpec::default() });
                }
            }
        }
        Some(other) => {
            notes.add(&at.key("required"), format!("expected a list of names, found {}: ignored", shown(other)))
        }
    }
    mapped.policy = match map.get("additionalProperties") {
        None => None,
        Some(Value::Bool(false)) => Some(Policy::Deny),
        Some(Value::Bool(true)) => Some(Policy::Allow),
        Some(Value::Object(rest)) if text_values_only(rest) => None,
        Some(other) => {
            notes.add(
                &at.key("additionalProperties"),
                format!(
                    "{} (a schema for the other properties) is not mapped: they follow the plan's policy",
                    shown(other)
                ),
            );
            None
        }
    };
    mapped
}

/// Whether an `additionalProperties` schema says only "text", as the API's
/// strict profile does (`{"type": "string"}`, a `$ref` to `PropertyValue`).
fn text_values_only(schema: &Map<String, Value>) -> bool {
    let reference = schema.get("$ref").and_then(Value::as_str);
    reference.is_some_and(|r| r.ends_with("/PropertyValue"))
        || (schema.get("type").and_then(Value::as_str) == Some("string") && schema.len() <= 2)
}

/// The scalar types a `type` keyword can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Scalar {
    String,
    Integer,
    Number,
    Boolean,
}

/// Maps one property schema; `None` (with a note) when it cannot be planned.
pub(super) fn property(value: &Value, at: &At, notes: &mut Notes) -> Option<Mapped> {
    let map = match value {
        Value::Object(map) => map,
        Value::Bool(true) => {
            notes.add(at, "`true` allows any value: planned as a string (any text), optional");
            return Some(Mapped { spec: PropertySpec::default(), nullable: true });
        }
        Value::Bool(false) => {
            notes.add(at, "`false` allows no value: not planned");
            return None;
        }
        other => {
            notes.add(at, format!("{} is not a schema: not planned", shown(other)));
            return None;
        }
    };
    if let Some(target) = map.get("$ref") {
        notes.add(at, format!("`$ref` {} is not followed: not planned", shown(target)));
        return None;
    }
    if map.contains_key("allOf") {
        notes.add(at, "`allOf` (schemas combined) is not mapped: not planned");
        return None;
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(choices) = map.get(key) {
            return nullable_choice(map, key, choices, at, notes);
        }
    }
    let mut nullable = false;
    let mut names: Vec<&str> = Vec::new();
    match map.get("type") {
        None => {}
        Some(Value::String(name)) => names.push(name),
        Some(Value::Array(list)) => {
            for item in list {
                match item.as_str() {
                    Some(name) => names.push(name),
                    None => {
                        notes.add(&at.key("type"), format!("{} is not a type name: not planned", shown(item)));
                        return None;
                    }
                }
            }
        }
        Some(other) => {
            notes.add(&at.key("type"), format!("{} is not a type: not planned", shown(other)));
            return None;
        }
    }
    if names.contains(&"null") {
        nullable = true;
        names.retain(|n| *n != "null");
    }
    if map.contains_key("type") && names.is_empty() {
        notes.add(at, "only `null` is allowed: not planned");
        return None;
    }
    let mut scalars = BTreeSet::new();
    let mut structured = BTreeSet::new();
    for name in &names {
        match *name {
            "string" => scalars.insert(Scalar::String),
            "integer" => scalars.insert(Scalar::Integer),
            "number" => scalars.insert(Scalar::Number),
            "boolean" => scalars.insert(Scalar::Boolean),
            "object" | "array" => structured.insert(*name),
            other => {
                notes.add(&at.key("type"), format!("`{other}` is not a JSON Schema type: not planned"));
                return None;
            }
        };
    }
    let structured: Vec<&str> = structured.into_iter().collect();
    if !structured.is_empty() {
        let what = structured.join(" or ");
        if scalars.is_empty() {
            notes.add(
                at,
                format!(
                    "a nested {what}: the API refuses objects and arrays as property values (wrong-type); not planned"
                ),
            );
            return None;
        }
        notes.add(
            at,
            format!("the {what} alternative is left out: the API refuses objects and arrays as property values"),
        );
    }
    let listed = map.get("enum").map(|v| ("enum", v)).or_else(|| map.get("const").map(|v| ("const", v)));
    let base = if scalars.is_empty() {
        // No type: an enum (or const) alone, a nested schema, or anything.
        if listed.is_none() {
            if let Some(key) =
                ["properties", "items", "prefixItems", "patternProperties"].into_iter().find(|k| map.contains_key(*k))
            {
                notes.add(
                    at,
                    format!("a nested object or array (`{key}`): the API refuses them as property values; not planned"),
                );
                return None;
            }
            notes.add(at, "no `type`: any value, planned as a string (any text), optional");
            nullable = true;
        }
        None
    } else {
        let kinds: Vec<Scalar> = scalars.iter().copied().collect();
        Some(match kinds.as_slice() {
            [one] => *one,
            [Scalar::Integer, Scalar::Number] => Scalar::Number,
            _ => {
                let all: Vec<&str> = names.iter().copied().filter(|n| !matches!(*n, "object" | "array")).collect();
                notes.add(
                    &at.key("type"),
                    format!(
                        "several types ({}): planned as a string, the text any of them is stored as",
                        all.join(", ")
                    ),
                );
                Scalar::String
            }
        })
    };
    let mut spec =
        PropertySpec { description: description(map), examples: examples(map, at, notes), ..PropertySpec::default() };
    let mut used = vec!["type", "description", "examples"];
    if let Some((key, values)) = listed {
        used.push(key);
        if key == "enum" && map.contains_key("const") {
            used.push("const");
            notes.add(&at.key("const"), "`const` beside `enum`: the enum is planned");
        }
        let items = match values {
            Value::Array(items) if key == "enum" => items.clone(),
            single => vec![single.clone()],
        };
        let (values, had_null) = enum_values(&items, &at.key(key), notes);
        nullable |= had_null;
        if values.is_empty() {
            notes.add(&at.key(key), "no value of the enum can be planned: the property is planned without it");
        } else {
            if matches!(base, Some(Scalar::Integer | Scalar::Number | Scalar::Boolean)) {
                notes.add(&at.key(key), "the values are planned as an enum of the texts the API stores");
            }
            spec.kind = PropertyType::Enum;
            spec.values = values;
            note_unmapped(map, &used, at, notes);
            return Some(Mapped { spec, nullable });
        }
    }
    match base.unwrap_or(Scalar::String) {
        Scalar::String => text(map, &mut spec, &mut used, at, notes),
        Scalar::Integer => {
            spec.kind = PropertyType::Integer;
            bounds(map, &mut spec, &mut used, at, notes);
        }
        Scalar::Number => {
            spec.kind = PropertyType::Number;
            bounds(map, &mut spec, &mut used, at, notes);
        }
        Scalar::Boolean => spec.kind = PropertyType::Boolean,
    }
    note_unmapped(map, &used, at, notes);
    Some(Mapped { spec, nullable })
}

/// `anyOf` or `oneOf`: only `[X, {"type": "null"}]` (either order) maps,
/// to X, nullable.
fn nullable_choice(map: &Map<String, Value>, key: &str, choices: &Value, at: &At, notes: &mut Notes) -> Option<Mapped> {
    let Some(list) = choices.as_array() else {
        notes.add(&at.key(key), format!("`{key}` is not a list: not planned"));
        return None;
    };
    let null_at = list.iter().position(is_null_schema);
    let (Some(null_at), 2) = (null_at, list.len()) else {
        notes.add(at, format!("`{key}` (a choice of {} schemas) is not mapped: not planned", list.len()));
        return None;
    };
    let other = 1 - null_at;
    let mut mapped = property(&list[other], &at.key(key).index(other), notes)?;
    mapped.nullable = true;
    if mapped.spec.description.is_none() {
        mapped.spec.description = description(map);
    }
    if mapped.spec.examples.is_empty() {
        mapped.spec.examples = examples(map, at, notes);
    }
    note_unmapped(map, &[key, "description", "examples"], at, notes);
    Some(mapped)
}

/// `examples`, as the texts the API would store.
fn examples(map: &Map<String, Value>, at: &At, notes: &mut Notes) -> Vec<String> {
    let Some(list) = map.get("examples") else { return Vec::new() };
    let Some(items) = list.as_array() else {
        notes.add(&at.key("examples"), "`examples` is not a list: ignored");
        return Vec::new();
    };
    let mut texts = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match text_of(item) {
            Some(text) => texts.push(text),
            None if item.is_null() => {}
            None => notes.add(&at.key("examples").index(i), "an object or array example: left out"),
        }
    }
    texts
}

/// The values of an enum as texts, and whether `null` was one of them;
/// values that cannot be planned are left out, with a note.
fn enum_values(items: &[Value], at: &At, notes: &mut Notes) -> (Vec<String>, bool) {
    let mut values: Vec<String> = Vec::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut had_null = false;
    for (i, item) in items.iter().enumerate() {
        let place = at.index(i);
        if item.is_null() {
            had_null = true;
            continue;
        }
        let Some(value) = text_of(item) else {
            notes.add(&place, "an object or array value: left out");
            continue;
        };
        if let Some(problem) = name_problem(&value) {
            notes.add(&place, format!("the value {problem}: left out"));
            continue;
        }
        if let Some(first) = seen.get(&folded(&value)) {
            let message = if *first == value {
                format!("`{value}` is listed twice: once is planned")
            } else {
                format!("`{value}` differs from the value `{first}` only in case, white space, `_` or `-`: left out")
            };
            notes.add(&place, message);
            continue;
        }
        seen.insert(folded(&value), value.clone());
        values.push(value);
    }
    (values, had_null)
}

/// The type a pattern of [`type_pattern`] stands for.
fn type_of_pattern(pattern: &str) -> Option<PropertyType> {
    [PropertyType::Integer, PropertyType::Number, PropertyType::Boolean, PropertyType::Datetime]
        .into_iter()
        .find(|kind| type_pattern(*kind) == Some(pattern))
}

/// A `"type": "string"` schema: a string, a datetime (`format:
/// date-time`), or a type of ours stated as a pattern (the schemas of
/// `export::json_schemas`: a type pattern guarded against a final line feed).
fn text(map: &Map<String, Value>, spec: &mut PropertySpec, used: &mut Vec<&'static str>, at: &At, notes: &mut Notes) {
    let pattern = map.get("pattern").and_then(Value::as_str);
    let guarded = map.get("not") == Some(&serde_json::json!({"pattern": "\n"}));
    if let (Some(kind), true) = (pattern.and_then(type_of_pattern), guarded) {
        spec.kind = kind;
        used.extend(["pattern", "not"]);
        if kind == PropertyType::Datetime {
            used.push("format");
        }
        if matches!(kind, PropertyType::Integer | PropertyType::Number) {
            spec.min = map.get("x-minimum").and_then(Value::as_f64);
            spec.max = map.get("x-maximum").and_then(Value::as_f64);
            check_range(spec, at, notes);
        }
        return;
    }
    if let Some(format) = map.get("format") {
        used.push("format");
        if format == "date-time" {
            spec.kind = PropertyType::Datetime;
            for key in ["pattern", "minLength", "maxLength"] {
                if map.contains_key(key) {
                    used.push(key);
                    notes.add(
                        &at.key(key),
                        format!("`{key}` on a date-time is not planned (a datetime is checked as such)"),
                    );
                }
            }
            return;
        }
        notes.add(
            &at.key("format"),
            format!("`format` {} is not checked by a plan: planned as a string", shown(format)),
        );
    }
    if let Some(value) = map.get("pattern") {
        used.push("pattern");
        // Our own exports write `.` and `$` for every validator: read back as written.
        let written = value.as_str().map(crate::pattern::from_schema);
        let checked = written.as_deref().map(|p| {
            crate::pattern::portable(p).and_then(|portable| {
                regex::Regex::new(&portable.rust).map(|_| ()).map_err(|error| {
                    format!("does not compile: {}", error.to_string().lines().last().unwrap_or_default().trim())
                })
            })
        });
        match checked {
            Some(Ok(())) => spec.pattern = written,
            Some(Err(why)) => {
                notes.add(
                    &at.key("pattern"),
                    format!(
                        "the pattern {why} (a plan's patterns mean the same in Rust, ECMA-262 and Python); left out"
                    ),
                );
            }
            None => notes.add(&at.key("pattern"), "`pattern` is not text: ignored"),
        }
    }
    spec.min_length = length(map, "minLength", used, at, notes);
    spec.max_length = length(map, "maxLength", used, at, notes);
    if let Some(max) = spec.max_length
        && max as usize > MAX_TEXT_CHARS
    {
        notes.add(&at.key("maxLength"), format!("maxLength {max} is cut to {MAX_TEXT_CHARS}: the API keeps at most {MAX_TEXT_CHARS} characters of a value"));
        spec.max_length = u32::try_from(MAX_TEXT_CHARS).ok();
    }
    if let (Some(min), Some(max)) = (spec.min_length, spec.max_length)
        && min > max
    {
        notes.add(&at.key("minLength"), format!("minLength {min} is above maxLength {max}: both left out"));
        spec.min_length = None;
        spec.max_length = None;
    }
}

/// A length keyword, as a whole number of characters.
fn length(
    map: &Map<String, Value>,
    key: &'static str,
    used: &mut Vec<&'static str>,
    at: &At,
    notes: &mut Notes,
) -> Option<u32> {
    let value = map.get(key)?;
    used.push(key);
    match value.as_u64() {
        Some(n) => Some(u32::try_from(n).unwrap_or(u32::MAX)),
        None => {
            notes.add(&at.key(key), format!("{} is not a whole number of characters: ignored", shown(value)));
            None
        }
    }
}

/// `minimum`, `maximum` and their exclusive forms, for an integer or a number.
fn bounds(map: &Map<String, Value>, spec: &mut PropertySpec, used: &mut Vec<&'static str>, at: &At, notes: &mut Notes) {
    let integer = spec.kind == PropertyType::Integer;
    let mut number = |key: &'static str, notes: &mut Notes| -> Option<f64> {
        let value = map.get(key)?;
        used.push(key);
        match value.as_f64().filter(|n| n.is_finite()) {
            Some(n) => Some(n),
            None if value.is_boolean() => None,
            None => {
                notes.add(&at.key(key), format!("{} is not a number: ignored", shown(value)));
                None
            }
        }
    };
    let minimum = number("minimum", notes);
    let maximum = number("maximum", notes);
    let exclusive_min = number("exclusiveMinimum", notes);
    let exclusive_max = number("exclusiveMaximum", notes);
    // Draft 4 wrote the exclusive forms as booleans on minimum and maximum.
    let flag = |key: &str| map.get(key) == Some(&Value::Bool(true));
    let (minimum, exclusive_min) = if flag("exclusiveMinimum") { (None, minimum) } else { (minimum, exclusive_min) };
    let (maximum, exclusive_max) = if flag("exclusiveMaximum") { (None, maximum) } else { (maximum, exclusive_max) };
    let low = exclusive_min.map(|bound| {
        let planned = if integer { bound.floor() + 1.0 } else { bound };
        let how = if integer { "the next integer" } else { "approximated: the bound itself now passes" };
        notes
            .add(&at.key("exclusiveMinimum"), format!("exclusive minimum {bound} is planned as min {planned} ({how})"));
        planned
    });
    let high = exclusive_max.map(|bound| {
        let planned = if integer { bound.ceil() - 1.0 } else { bound };
        let how = if integer { "the integer below" } else { "approximated: the bound itself now passes" };
        notes
            .add(&at.key("exclusiveMaximum"), format!("exclusive maximum {bound} is planned as max {planned} ({how})"));
        planned
    });
    spec.min = [minimum, low].into_iter().flatten().reduce(f64::max);
    spec.max = [maximum, high].into_iter().flatten().reduce(f64::min);
    check_range(spec, at, notes);
}

/// Drops a range whose min is above its max (a plan refuses it).
fn check_range(spec: &mut PropertySpec, at: &At, notes: &mut Notes) {
    if let (Some(min), Some(max)) = (spec.min, spec.max)
        && min > max
    {
        notes.add(at, format!("min {min} is above max {max}: both left out"));
        spec.min = None;
        spec.max = None;
    }
}

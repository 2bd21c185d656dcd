//! A folder of JSON Schemas, one event each: plain schemas (named by their
//! `title`, else the file), Iglu self-describing schemas (their `title`,
//! else `self.name`), and the per-event schemas of `export::json_schemas`
//! (the API's event body, named by `eventName`'s `const`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::schema::{self, description};
use super::{At, ImportError, Imported, Notes, PlanBuilder, file_name, parse, plan_name_of, shown};
use crate::{EventSpec, EventStatus, Plan, SchemaVer};

/// The fields of the API's event body besides `eventName` and `properties`.
const BODY_FIELDS: [&str; 3] = ["apiKey", "eventUniqueId", "eventTime"];

/// How far below the folder an Iglu registry's schemas are looked for: a
/// registry's root, its `schemas/`, a vendor's folder.
const IGLU_DEPTH: usize = 6;

/// Whether `path` is a schema of an Iglu registry:
/// `VENDOR/NAME/jsonschema/MODEL-REVISION-ADDITION`, without an extension.
fn is_iglu_file(path: &Path) -> bool {
    let version = path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.parse::<SchemaVer>().is_ok());
    let format = path.parent().and_then(Path::file_name).is_some_and(|n| n == "jsonschema");
    version && format
}

/// The Iglu registry schemas below `dir`, at most `depth` folders down
/// (symbolic links to folders are not followed: they may loop).
fn iglu_files(dir: &Path, depth: usize, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        match entry.file_type() {
            Ok(kind) if kind.is_dir() && depth > 0 => iglu_files(&path, depth - 1, found),
            Ok(_) if path.is_file() && is_iglu_file(&path) => found.push(path),
            _ => {}
        }
    }
}

/// Imports every `*.json` file of `folder`, and every schema of an Iglu
/// registry below it (`VENDOR/NAME/jsonschema/1-0-2`), in the order of
/// their paths. Of the versions of one Iglu schema (its `self`'s vendor and
/// name), the highest is read, and the others are noted.
pub(super) fn import_folder(folder: &Path) -> Result<Imported, ImportError> {
    let shown_path = folder.display().to_string();
    let read_error = |e: std::io::Error| ImportError::Read { file: shown_path.clone(), message: e.to_string() };
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    for entry in std::fs::read_dir(folder).map_err(read_error)? {
        let path = entry.map_err(read_error)?.path();
        let is_json = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("json"));
        if path.is_dir() {
            let before = files.len();
            iglu_files(&path, IGLU_DEPTH, &mut files);
            if files.len() == before {
                skipped.push(path);
            }
        } else if path.is_file() && (is_json || is_iglu_file(&path)) {
            files.push(path);
        } else if path.extension().is_none() && path.is_file() {
            skipped.push(path);
        }
    }
    files.sort();
    skipped.sort();
    if files.is_empty() {
        return Err(ImportError::Format {
            file: shown_path,
            message: "no *.json file in this folder, and no Iglu registry (VENDOR/NAME/jsonschema/1-0-0) below it"
                .into(),
        });
    }
    let name = folder
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| folder.canonicalize().ok()?.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| "imported".into());
    let mut builder = PlanBuilder::new(Plan::new(&name, SchemaVer::new(1, 0, 0)));
    let mut notes = Notes::new(&name);
    // A file is named by its path in the folder (an Iglu schema's own name
    // is its version).
    let relative = |path: &Path| -> String {
        path.strip_prefix(folder).map_or_else(|_| file_name(path), |p| p.to_string_lossy().replace('\\', "/"))
    };
    for path in &skipped {
        notes.file = relative(path);
        let what = if path.is_dir() {
            "a folder without an Iglu registry's schemas (VENDOR/NAME/jsonschema/1-0-0): not searched"
        } else {
            "no .json extension"
        };
        notes.add(&At::root(), format!("{what}; not read"));
    }
    let mut documents = Vec::with_capacity(files.len());
    for path in &files {
        let file = relative(path);
        let text = std::fs::read_to_string(path)
            .map_err(|e| ImportError::Read { file: path.display().to_string(), message: e.to_string() })?;
        let root = parse(&file, &text)?;
        documents.push((file, root));
    }
    // The newest version of each Iglu schema.
    let mut newest: BTreeMap<(String, String), (SchemaVer, usize)> = BTreeMap::new();
    for (index, (_, root)) in documents.iter().enumerate() {
        if let Some((key, version)) = iglu_self(root) {
            let entry = newest.entry(key).or_insert((version, index));
            if version > entry.0 {
                *entry = (version, index);
            }
        }
    }
    for (index, (file, root)) in documents.iter().enumerate() {
        notes.file = file.clone();
        if let Some((key, version)) = iglu_self(root)
            && let Some(&(kept, kept_at)) = newest.get(&key)
            && kept_at != index
        {
            notes.add(
                &At::root().key("self").key("version"),
                format!(
                    "version {version} of {}/{}; {} holds {kept}, the one read",
                    key.0, key.1, documents[kept_at].0
                ),
            );
            continue;
        }
        import_schema(file, root, &mut builder, &mut notes)?;
    }
    let mut plan = builder.plan;
    notes.file = name;
    super::printable_text(&mut plan, &mut notes);
    Ok(Imported { plan, notes: notes.list })
}

/// An Iglu self-describing schema's vendor and name, and its version.
fn iglu_self(root: &Value) -> Option<((String, String), SchemaVer)> {
    let own = root.get("self")?;
    let text = |key: &str| own.get(key).and_then(Value::as_str);
    let version = text("version")?.parse().ok()?;
    Some(((text("vendor").unwrap_or_default().to_owned(), text("name")?.to_owned()), version))
}

/// Imports one schema as one event.
pub(super) fn import_schema(
    file: &str,
    root: &Value,
    builder: &mut PlanBuilder,
    notes: &mut Notes,
) -> Result<(), ImportError> {
    let Some(map) = root.as_object() else {
        return Err(ImportError::Format {
            file: file.to_owned(),
            message: format!("not a JSON Schema: the document is {}, not an object", shown(root)),
        });
    };
    let at = At::root();
    let mut event = EventSpec { description: description(map), ..EventSpec::default() };
    if map.get("deprecated") == Some(&Value::Bool(true)) {
        event.status = EventStatus::Deprecated;
    }
    let body_name =
        map.get("properties").and_then(|p| p.get("eventName")).and_then(|n| n.get("const")).and_then(Value::as_str);
    let name = if let Some(name) = body_name {
        // The API's event body: the event's properties are its `properties`.
        let fields = map.get("properties").and_then(Value::as_object);
        for (key, _) in fields.into_iter().flatten() {
            if key != "eventName" && key != "properties" && !BODY_FIELDS.contains(&key.as_str()) {
                notes.add(
                    &at.key("properties").key(key),
                    format!("`{key}` is not a field of the API's event body: ignored"),
                );
            }
        }
        let place = at.key("properties").key("properties");
        if let Some(properties) = fields.and_then(|f| f.get("properties")) {
            let (schema, place) = unwrap_nullable(properties, place);
            let object = schema::object(schema, &place, notes, &[]);
            event.properties = object.properties;
            event.policy = object.policy;
        }
        name.to_owned()
    } else {
        let object = schema::object(root, &at, notes, &["self", "deprecated", "$schema", "title", "$id"]);
        event.properties = object.properties;
        event.policy = object.policy;
        let title = map.get("title").and_then(Value::as_str).filter(|t| !t.trim().is_empty());
        let iglu = map.get("self").and_then(|s| s.get("name")).and_then(Value::as_str);
        match (title, iglu) {
            (Some(title), _) => title.to_owned(),
            (None, Some(iglu)) => iglu.to_owned(),
            (None, None) => plan_name_of(file),
        }
    };
    builder.add_event(&name, event, &at, notes);
    Ok(())
}

/// `anyOf: [X, {"type": "null"}]` as X (the API takes a null `properties`
/// as none).
fn unwrap_nullable(schema: &Value, at: At) -> (&Value, At) {
    if let Some(choices) = schema.get("anyOf").and_then(Value::as_array)
        && choices.len() == 2
        && let Some(null_at) = choices.iter().position(|c| c.get("type").and_then(Value::as_str) == Some("null"))
    {
        let other = 1 - null_at;
        return (&choices[other], at.key("anyOf").index(other));
    }
    (schema, at)
}

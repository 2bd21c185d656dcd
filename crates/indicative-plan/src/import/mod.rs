//! Plans of other tools, read into ours: an mParticle data plan, a Segment
//! Protocols tracking plan, or a folder of JSON Schemas (one event each,
//! Snowplow's self-describing Iglu schemas included).
//!
//! An import never guesses in silence: whatever the other tool says that a
//! plan cannot (a nested object, an `anyOf`, a `custom_event_type`, a
//! screen view) is left out or widened, and an [`ImportNote`] names its
//! place and says what became of it. Only a file that cannot be read, or
//! that is not of the expected format at all, is an [`ImportError`].
//!
//! How each JSON Schema keyword maps, for every format (their properties are
//! JSON Schemas too):
//!
//! | the other tool's schema | the plan |
//! |---|---|
//! | `"type": "string"` | `string`; with `format: date-time`, `datetime`; with `enum`, `enum` |
//! | `"integer"`, `"number"`, `"boolean"` | the same type (`["integer", "number"]` is `number`) |
//! | `enum` or `const` without a type, or on a number | `enum`, the values as the API stores them (`1` as `"1"`) |
//! | `["string", "null"]`, `anyOf: [X, {"type": "null"}]` | optional: a null is no value, so `required` is dropped (with a note) |
//! | several scalar types, no type at all, `true` | `string` (any text), with a note |
//! | `pattern`, `minLength`, `maxLength` | the same on a `string` (`maxLength` over 255 is cut to 255) |
//! | `minimum`, `maximum` | `min`, `max`; `exclusiveMinimum`/`exclusiveMaximum` become the next integer for an integer, the bound itself for a number (noted) |
//! | `description`, `examples` | the same |
//! | objects, arrays, `$ref`, `allOf`, any other `anyOf`/`oneOf` | left out, with a note: the API refuses objects and arrays as property values |
//! | `additionalProperties: false` / `true` | the event's `policy: deny` / `allow` |
//!
//! ```
//! use indicative_plan::import::{import_text, Source};
//! let text = r#"{"title": "Sign Up", "type": "object",
//!   "properties": {"plan": {"type": "string", "enum": ["free", "pro"]}, "address": {"type": "object"}},
//!   "required": ["plan"], "additionalProperties": false}"#;
//! let imported = import_text(Source::JsonSchema, "sign-up.json", text)?;
//! let event = &imported.plan.events["Sign Up"];
//! assert_eq!(event.properties["plan"].values, ["free", "pro"]);
//! assert!(event.properties["plan"].required);
//! assert!(!event.properties.contains_key("address"));
//! assert_eq!(imported.notes[0].place, "sign-up.json#/properties/address");
//! # Ok::<(), indicative_plan::import::ImportError>(())
//! ```

mod json_schema;
pub(crate) mod mparticle;
mod schema;
mod segment;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use indicative_contract::limits::MAX_TEXT_CHARS;
use serde_json::Value;

use crate::suggest::folded;
use crate::{EventSpec, Plan, PropertySpec, SchemaVer};

/// The format of the other tool's plan.
///
/// ```
/// use indicative_plan::import::Source;
/// assert_eq!("segment".parse::<Source>(), Ok(Source::Segment));
/// assert_eq!(Source::JsonSchema.as_str(), "jsonschema");
/// assert!("amplitude".parse::<Source>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Source {
    /// An mParticle data plan (JSON): a whole plan with its
    /// `data_plan_versions`, one version, or a Data Plan Builder document;
    /// each holds `version_document.data_points`.
    Mparticle,
    /// A Segment Protocols tracking plan (JSON): the Public API's `rules`
    /// (TRACK and IDENTIFY rules with a `jsonSchema`), or an older Config
    /// API export (`rules.events`).
    Segment,
    /// A folder of JSON Schemas (`*.json`), one event each: plain schemas,
    /// Iglu self-describing schemas, or the per-event schemas of
    /// [`crate::export::json_schemas`].
    JsonSchema,
}

impl Source {
    /// Every source, in the order of the documentation.
    pub const ALL: [Self; 3] = [Self::Mparticle, Self::Segment, Self::JsonSchema];

    /// The source's name on the command line.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Mparticle => "mparticle",
            Self::Segment => "segment",
            Self::JsonSchema => "jsonschema",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Source {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "mparticle" => Ok(Self::Mparticle),
            "segment" => Ok(Self::Segment),
            "jsonschema" | "json-schema" => Ok(Self::JsonSchema),
            other => Err(format!("`{other}` is not a source; it is one of mparticle, segment, jsonschema")),
        }
    }
}

/// A plan read from another tool, and what could not come across as it was.
///
/// ```
/// use indicative_plan::import::{import_text, Source};
/// let imported = import_text(Source::JsonSchema, "search.json", r#"{"properties": {"query": {"type": ["string", "null"]}}, "required": ["query"]}"#)?;
/// assert!(!imported.plan.events["search"].properties["query"].required);
/// assert_eq!(imported.notes.len(), 1); // required, but null allowed: planned as optional
/// # Ok::<(), indicative_plan::import::ImportError>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    /// The plan.
    pub plan: Plan,
    /// What was left out, widened or approximated, each at its place.
    pub notes: Vec<ImportNote>,
}

/// Something of the other tool's plan that the imported plan does not say
/// as it was.
///
/// ```
/// use indicative_plan::import::{import_text, Source};
/// let imported = import_text(Source::JsonSchema, "e.json", r#"{"properties": {"tags": {"type": "array"}}}"#)?;
/// assert_eq!(
///     imported.notes[0].to_string(),
///     "e.json#/properties/tags: a nested array: the API refuses objects and arrays as property values (wrong-type); not planned",
/// );
/// # Ok::<(), indicative_plan::import::ImportError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportNote {
    /// Where: the file's name and a JSON Pointer into it
    /// (`plan.json#/version_document/data_points/3`).
    pub place: String,
    /// What became of it.
    pub message: String,
}

impl fmt::Display for ImportNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.place, self.message)
    }
}

/// A file that cannot be read, or that is not of the expected format at all.
///
/// ```
/// use indicative_plan::import::{import_text, ImportError, Source};
/// let error = import_text(Source::Mparticle, "plan.json", r#"{"data_plan_id": "shop"}"#).unwrap_err();
/// assert_eq!(error.to_string(), "plan.json: not an mParticle data plan: no version_document.data_points (nor data_plan_versions)");
/// let error = import_text(Source::Segment, "plan.json", "{").unwrap_err();
/// assert!(matches!(error, ImportError::Json { line: 1, .. }));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// The file or folder cannot be read.
    Read {
        /// The path, as it was given.
        file: String,
        /// Why.
        message: String,
    },
    /// The file is not JSON.
    Json {
        /// The file.
        file: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON reader said.
        message: String,
    },
    /// The file is JSON, but not of the expected format.
    Format {
        /// The file.
        file: String,
        /// What is missing.
        message: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Read { file, message } => write!(f, "{file}: cannot be read: {message}"),
            Self::Json { file, line, column, message } => write!(f, "{file}:{line}:{column}: not JSON: {message}"),
            Self::Format { file, message } => write!(f, "{file}: {message}"),
        }
    }
}

impl std::error::Error for ImportError {}

/// Imports the plan at `path`: a file for mParticle and Segment; a folder
/// of `*.json` files (or a single schema file) for JSON Schema.
///
/// ```no_run
/// use indicative_plan::import::{import, Source};
/// let imported = import(Source::Segment, std::path::Path::new("segment-plan.json"))?;
/// for note in &imported.notes {
///     eprintln!("note: {note}");
/// }
/// # Ok::<(), indicative_plan::import::ImportError>(())
/// ```
///
/// # Errors
///
/// The file (or folder) cannot be read, is not JSON, or is not of the
/// source's format at all.
pub fn import(source: Source, path: &Path) -> Result<Imported, ImportError> {
    let shown = path.display().to_string();
    let read_error = |e: std::io::Error| ImportError::Read { file: shown.clone(), message: e.to_string() };
    if source == Source::JsonSchema && path.is_dir() {
        return json_schema::import_folder(path);
    }
    let text = std::fs::read_to_string(path).map_err(read_error)?;
    import_text(source, &file_name(path), &text)
}

/// Imports one document: `name` is the file's name (notes and errors show
/// it; the plan is named after its stem when the document has no name).
/// For [`Source::JsonSchema`], the document is one schema: a plan of one
/// event.
///
/// ```
/// use indicative_plan::import::{import_text, Source};
/// let imported = import_text(Source::Segment, "shop.json", r#"{"rules": [
///   {"type": "TRACK", "key": "Order Completed", "version": 1, "jsonSchema": {"properties": {
///     "properties": {"type": "object", "properties": {"total": {"type": "number"}}, "required": ["total"]}}}},
///   {"type": "PAGE", "key": "Home", "jsonSchema": {}}
/// ]}"#)?;
/// assert_eq!(imported.plan.name, "shop");
/// assert!(imported.plan.events["Order Completed"].properties["total"].required);
/// assert_eq!(imported.notes[0].place, "shop.json#/rules/1");
/// # Ok::<(), indicative_plan::import::ImportError>(())
/// ```
///
/// # Errors
///
/// The text is not JSON, or not of the source's format at all.
pub fn import_text(source: Source, name: &str, text: &str) -> Result<Imported, ImportError> {
    let root = parse(name, text)?;
    let mut notes = Notes::new(name);
    let plan = match source {
        Source::Mparticle => mparticle::import(name, &root, &mut notes)?,
        Source::Segment => segment::import(name, &root, &mut notes)?,
        Source::JsonSchema => {
            let mut builder = PlanBuilder::new(Plan::new(&plan_name_of(name), SchemaVer::new(1, 0, 0)));
            json_schema::import_schema(name, &root, &mut builder, &mut notes)?;
            builder.plan
        }
    };
    let mut plan = plan;
    printable_text(&mut plan, &mut notes);
    Ok(Imported { plan, notes: notes.list })
}

/// Makes the free text of an imported plan (its name and description, and
/// its events', groups' and properties' descriptions, owners and examples)
/// what a plan can hold: each character a plan cannot hold (a control
/// character but tab and line breaks) becomes a space, with a note, rather
/// than the whole import failing to load. Names, values and patterns are
/// left as they are (names are noted where they are read).
fn printable_text(plan: &mut Plan, notes: &mut Notes) {
    let mut clean = |text: &mut String, what: &dyn Fn() -> String| {
        let Some(c) = indicative_plan_model::unprintable(text) else { return };
        let mut cleaned = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(bad) = indicative_plan_model::unprintable(rest) {
            let at = rest.find(bad).unwrap_or(rest.len());
            cleaned.push_str(&rest[..at]);
            cleaned.push(' ');
            rest = &rest[at + bad.len_utf8()..];
        }
        cleaned.push_str(rest);
        *text = cleaned;
        let message = format!("{} held U+{:04X}, which a plan cannot hold: written as a space", what(), u32::from(c));
        notes.list.push(ImportNote { place: notes.file.clone(), message });
    };
    let property =
        |clean: &mut dyn FnMut(&mut String, &dyn Fn() -> String), whose: &str, name: &str, spec: &mut PropertySpec| {
            if let Some(d) = spec.description.as_mut() {
                clean(d, &|| format!("the description of {whose} property `{name}`"));
            }
            for example in &mut spec.examples {
                clean(example, &|| format!("an example of {whose} property `{name}`"));
            }
        };
    clean(&mut plan.name, &|| "the plan's name".to_owned());
    if let Some(d) = plan.description.as_mut() {
        clean(d, &|| "the plan's description".to_owned());
    }
    for (name, group) in &mut plan.groups {
        if let Some(d) = group.description.as_mut() {
            clean(d, &|| format!("the description of group `{name}`"));
        }
        let whose = format!("group `{name}`'s");
        for (p, spec) in &mut group.properties {
            property(&mut clean, &whose, p, spec);
        }
    }
    for (name, event) in &mut plan.events {
        if let Some(d) = event.description.as_mut() {
            clean(d, &|| format!("the description of event `{name}`"));
        }
        if let Some(owner) = event.owner.as_mut() {
            clean(owner, &|| format!("the owner of event `{name}`"));
        }
        let whose = format!("event `{name}`'s");
        for (p, spec) in &mut event.properties {
            property(&mut clean, &whose, p, spec);
        }
    }
    for (p, spec) in &mut plan.user_properties {
        property(&mut clean, "the user", p, spec);
    }
}

/// Reads JSON, a byte order mark aside.
fn parse(name: &str, text: &str) -> Result<Value, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    serde_json::from_str(text).map_err(|e| ImportError::Json {
        file: name.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string().split(" at line ").next().unwrap_or_default().to_owned(),
    })
}

/// The last component of a path, as shown in notes.
fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
}

/// A plan's name from a file's: its stem, without `.json` and `.schema`.
fn plan_name_of(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = base.strip_suffix(".json").or_else(|| base.strip_suffix(".JSON")).unwrap_or(base);
    let stem = stem.strip_suffix(".schema").unwrap_or(stem);
    if stem.trim().is_empty() { "imported".to_owned() } else { stem.to_owned() }
}

/// A JSON Pointer into the document being read.
#[derive(Debug, Clone, Default)]
struct At(String);

impl At {
    fn root() -> Self {
        Self(String::new())
    }

    fn key(&self, key: &str) -> Self {
        Self(format!("{}/{}", self.0, key.replace('~', "~0").replace('/', "~1")))
    }

    fn index(&self, index: usize) -> Self {
        Self(format!("{}/{index}", self.0))
    }
}

/// The notes of one import, each placed in the file being read.
struct Notes {
    file: String,
    list: Vec<ImportNote>,
}

impl Notes {
    fn new(file: &str) -> Self {
        Self { file: file.to_owned(), list: Vec::new() }
    }

    fn add(&mut self, at: &At, message: impl Into<String>) {
        self.list.push(ImportNote { place: format!("{}#{}", self.file, at.0), message: message.into() });
    }
}

/// Why a name cannot be planned, if it cannot: 1 to 255 characters, each
/// one a plan can hold.
fn name_problem(name: &str) -> Option<String> {
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_TEXT_CHARS {
        return Some(format!("is {chars} characters; a planned name is 1 to {MAX_TEXT_CHARS}"));
    }
    indicative_plan_model::unprintable(name)
        .map(|c| format!("{:?} holds U+{:04X}, which a plan cannot hold", name, u32::from(c)))
}

/// A short rendering of a JSON value for a note.
fn shown(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text,
    }
}

/// Adds events and user properties to a plan as the loader would accept
/// them: valid names, none differing from another only in case, white
/// space, `_` or `-`.
struct PlanBuilder {
    plan: Plan,
    /// Folded event names, to the name kept.
    events: BTreeMap<String, String>,
    /// Folded user property names, to the name kept.
    users: BTreeMap<String, String>,
}

impl PlanBuilder {
    fn new(plan: Plan) -> Self {
        let events = plan.events.keys().map(|name| (folded(name), name.clone())).collect();
        let users = plan.user_properties.keys().map(|name| (folded(name), name.clone())).collect();
        Self { plan, events, users }
    }

    /// Adds an event unless its name is invalid or taken (then a note).
    fn add_event(&mut self, name: &str, event: EventSpec, at: &At, notes: &mut Notes) -> bool {
        if let Some(problem) = name_problem(name) {
            notes.add(at, format!("the event name {problem}: not planned"));
            return false;
        }
        if let Some(kept) = self.events.get(&folded(name)) {
            let message = if kept == name {
                format!("event `{name}` is planned twice: this one is left out")
            } else {
                format!(
                    "event `{name}` differs from the planned `{kept}` only in case, white space, `_` or `-`: left out"
                )
            };
            notes.add(at, message);
            return false;
        }
        self.events.insert(folded(name), name.to_owned());
        self.plan.events.insert(name.to_owned(), event);
        true
    }

    /// Adds user properties (names already checked within their object),
    /// leaving out those another object already planned.
    fn add_user_properties(&mut self, properties: BTreeMap<String, PropertySpec>, at: &At, notes: &mut Notes) {
        for (name, spec) in properties {
            if let Some(kept) = self.users.get(&folded(&name)) {
                notes.add(
                    &at.key(&name),
                    format!("user property `{name}` is planned already (as `{kept}`): this one is left out"),
                );
                continue;
            }
            self.users.insert(folded(&name), name.clone());
            self.plan.user_properties.insert(name, spec);
        }
    }
}

//! Reading a plan file (YAML, or JSON as the YAML subset it is) into a
//! [`Plan`], with every mistake reported at its file, line and column, all
//! of them in one go, as Cargo reports manifest errors.
//!
//! Two steps: the text's shape is read here (unknown keys, with a
//! suggestion; values of the wrong kind; versions, types and dates), and
//! `checks` judges the plan that comes out (names, collisions, includes,
//! patterns, bounds), naming places as paths that are found again in the
//! tree. A plan is first read straight into the model by serde, with no
//! tree and no places (`fast` for JSON, `fast_yaml` for YAML over the
//! parser's events), several times faster; only a plan with a mistake, or
//! with what the fast ways leave to this one, is read again the slow way,
//! to tell where.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::checks::{Place, Problem, Step, check};
use crate::model::{EventSpec, EventStatus, Group, Plan, Policy, PropertySpec, PropertyType, SchemaVer};
use crate::suggest::did_you_mean;
use crate::yaml::{Mapping, Mark, Node, Scalar, Sequence};

/// One mistake in a plan file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanError {
    /// The file, as it was named.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it, when there is something to say.
    pub help: Option<String>,
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)?;
        if let Some(help) = &self.help {
            write!(f, " ({help})")?;
        }
        Ok(())
    }
}

/// Every mistake found in a plan file, in the order of the file.
///
/// ```
/// let errors = indicative_plan_model::Plan::from_text("p.yaml", "name: P\nversion: 1.0\nevnts: {}\n").unwrap_err();
/// let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
/// assert_eq!(shown, [
///     "p.yaml:2:10: `1.0` is not MODEL-REVISION-ADDITION (SchemaVer, such as 1-0-0)",
///     "p.yaml:3:1: unknown key `evnts` (did you mean `events`?)",
/// ]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanErrors(pub Vec<PlanError>);

impl PlanErrors {
    /// The errors, in the order of the file.
    pub fn iter(&self) -> impl Iterator<Item = &PlanError> {
        self.0.iter()
    }
}

impl fmt::Display for PlanErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PlanErrors {}

/// A place the YAML reader gave (of a fault, or of a node), kept inside `text`: a fault at the end of
/// a text with no final line break is on its last line, after its last
/// character (the reader puts it on the line after).
/// The text's last place is counted once, whatever the number of errors.
struct Within {
    lines: usize,
    after_last: usize,
}

impl Within {
    fn of(text: &str) -> Self {
        let breaks = text.matches('\n').count() + text.matches('\r').count() - text.matches("\r\n").count();
        let last = text.rfind(['\n', '\r']).map_or(text, |at| &text[at + 1..]);
        Self { lines: breaks + 1, after_last: last.chars().count() + 1 }
    }

    fn place(&self, line: usize, column: usize) -> (usize, usize) {
        if line > self.lines { (self.lines, self.after_last) } else { (line, column) }
    }
}

impl Plan {
    /// Reads and checks a plan from its text; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// Every mistake found, each with its line and column.
    pub fn from_text(file: &str, text: &str) -> Result<Self, PlanErrors> {
        // A byte order mark at the start is not part of the text.
        let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        if crate::yaml::first_unprintable(text).is_some() {
            // The slow way says where.
            return Self::read_slowly(file, text);
        }
        if let Some(plan) = crate::fast::read_json(text).or_else(|| crate::fast_yaml::read_yaml(text))
            && check(&plan).is_empty()
        {
            return Ok(plan);
        }
        Self::read_slowly(file, text)
    }

    /// The slow way: the text's tree, with every node's place, read into a
    /// plan; every mistake is reported where it is.
    pub(crate) fn read_slowly(file: &str, text: &str) -> Result<Self, PlanErrors> {
        let mut reader = Reader::new(file);
        let plan = match crate::yaml::parse(text, MAX_NESTING) {
            Ok((root, kept)) => {
                reader.load_errors(kept);
                let plan = reader.plan(&root);
                if let Some(plan) = &plan {
                    for problem in check(plan) {
                        reader.problem(&root, problem);
                    }
                }
                plan
            }
            Err(errors) => {
                reader.load_errors(errors);
                None
            }
        };
        let mut errors = reader.errors;
        if errors.is_empty()
            && let Some(plan) = plan
        {
            return Ok(plan);
        }
        let within = Within::of(text);
        for error in &mut errors {
            (error.line, error.column) = within.place(error.line, error.column);
        }
        errors.sort_by_key(|e| (e.line, e.column));
        if errors.is_empty() {
            errors.push(PlanError {
                file: file.to_owned(),
                line: 1,
                column: 1,
                message: "the plan could not be read".into(),
                help: None,
            });
        }
        Err(PlanErrors(errors))
    }

    /// Reads and checks the plan file at `path`.
    ///
    /// # Errors
    ///
    /// The file cannot be read, or every mistake found in it.
    pub fn load(path: &Path) -> Result<Self, PlanErrors> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| {
            PlanErrors(vec![PlanError {
                file: file.clone(),
                line: 1,
                column: 1,
                message: format!("cannot read the plan: {e}"),
                help: None,
            }])
        })?;
        Self::from_text(&file, &text)
    }
}

/// The deepest nesting read: a plan needs six levels; this bounds the
/// parser's recursion on hostile input.
const MAX_NESTING: usize = 64;

struct Reader<'f> {
    file: &'f str,
    errors: Vec<PlanError>,
}

/// Where `place` is in the tree: the entry's key or value, or as far as
/// the path goes.
fn locate(root: &Node, place: &Place) -> Mark {
    let mut node = root;
    let last = place.steps.len().saturating_sub(1);
    for (i, step) in place.steps.iter().enumerate() {
        match (step, node) {
            (Step::Key(key), Node::Mapping(map)) => match map.iter().find(|(k, _)| k.as_str() == key) {
                Some((k, _)) if i == last && place.at_key => return *k.span(),
                Some((_, value)) => node = value,
                None => break,
            },
            (Step::Index(index), Node::Sequence(items)) => match items.iter().nth(*index) {
                Some(item) => node = item,
                None => break,
            },
            _ => break,
        }
    }
    *node.span()
}

fn start(mark: &Mark) -> (usize, usize) {
    (mark.line, mark.column)
}

fn is_null(scalar: &Scalar) -> bool {
    scalar.may_coerce() && matches!(scalar.as_str(), "" | "~" | "null" | "Null" | "NULL")
}

fn kind_of(node: &Node) -> &'static str {
    match node {
        Node::Scalar(_) => "a scalar",
        Node::Mapping(_) => "a mapping",
        Node::Sequence(_) => "a list",
    }
}

const PLAN_KEYS: [&str; 8] =
    ["$schema", "name", "version", "description", "policy", "groups", "events", "userProperties"];
const GROUP_KEYS: [&str; 2] = ["description", "properties"];
const EVENT_KEYS: [&str; 7] = ["description", "owner", "status", "sunset", "include", "policy", "properties"];
const PROPERTY_KEYS: [&str; 10] =
    ["type", "required", "description", "examples", "values", "pattern", "min", "max", "minLength", "maxLength"];

impl<'f> Reader<'f> {
    fn error(&mut self, span: &Mark, message: impl Into<String>, help: Option<String>) {
        let (line, column) = start(span);
        self.errors.push(PlanError { file: self.file.to_owned(), line, column, message: message.into(), help });
    }

    fn new(file: &'f str) -> Self {
        Self { file, errors: Vec::new() }
    }

    /// The mistakes found while the text was read into a tree.
    fn load_errors(&mut self, errors: Vec<crate::yaml::LoadError>) {
        for e in errors {
            self.error(&e.at, e.message, e.help);
        }
    }

    /// Reports a problem of the plan at its place in the tree.
    fn problem(&mut self, root: &Node, problem: Problem) {
        match problem {
            Problem::At { place, message, help } => self.error(&locate(root, &place), message, help),
            Problem::Collision { what, first, second } => {
                // Reported at the later of the two, naming the earlier.
                let (mut a, mut b) = ((first.0, locate(root, &first.1)), (second.0, locate(root, &second.1)));
                if (b.1.line, b.1.column) < (a.1.line, a.1.column) {
                    std::mem::swap(&mut a, &mut b);
                }
                let ((a, first), (b, second)) = (a, b);
                self.error(
                    &second,
                    format!("{what} `{b}` differs from `{a}` only in case, white space, `_` or `-`"),
                    Some(format!(
                        "the API keeps them apart, and so would your charts; `{a}` is at line {}, column {}",
                        first.line, first.column
                    )),
                );
            }
        }
    }

    fn plan(&mut self, root: &Node) -> Option<Plan> {
        let map = self.mapping(root, "the plan")?;
        self.known_keys(map, &PLAN_KEYS, "the plan");
        let name = self.required_text(map, "name", "the plan");
        let version = match map.get_node("version") {
            None => {
                self.missing(map, "the plan has no `version`".into(), Some("add `version: 1-0-0` (SchemaVer)".into()));
                None
            }
            Some(node) => self.scalar(node, "`version`").and_then(|s| match s.as_str().parse::<SchemaVer>() {
                Ok(version) => Some(version),
                Err(_) if is_null(s) => {
                    self.error(
                        s.span(),
                        String::from("`version` is empty"),
                        Some("write `version: 1-0-0` (SchemaVer)".into()),
                    );
                    None
                }
                Err(message) => {
                    self.error(s.span(), message, None);
                    None
                }
            }),
        };
        let description = self.optional_text(map, "description");
        let policy = self.policy(map).unwrap_or_default();
        let groups = self.groups(map);
        let user_properties = match map.get_node("userProperties") {
            Some(node) => self.properties(node, "`userProperties`"),
            None => BTreeMap::new(),
        };
        let events = self.events(map);
        let mut plan = Plan::new(&name?, version?);
        plan.description = description;
        plan.policy = policy;
        plan.groups = groups;
        plan.events = events;
        plan.user_properties = user_properties;
        Some(plan)
    }

    /// Reports a key that `map` lacks, at the mapping's first key (a
    /// mapping's own span starts at its first value).
    fn missing(&mut self, map: &Mapping, message: String, help: Option<String>) {
        match map.keys().next() {
            Some(first) => self.error(first.span(), message, help),
            None => self.error(map.span(), message, help),
        }
    }

    fn mapping<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n Mapping> {
        match node {
            Node::Mapping(map) => Some(map),
            Node::Scalar(s) if is_null(s) => None,
            other => {
                self.error(other.span(), format!("{what} must be a mapping, not {}", kind_of(other)), None);
                None
            }
        }
    }

    fn sequence<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n Sequence> {
        match node {
            Node::Sequence(items) => Some(items),
            other => {
                self.error(other.span(), format!("{what} must be a list, not {}", kind_of(other)), None);
                None
            }
        }
    }

    fn scalar<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n Scalar> {
        match node {
            Node::Scalar(s) => Some(s),
            other => {
                self.error(other.span(), format!("{what} must be a single value, not {}", kind_of(other)), None);
                None
            }
        }
    }

    fn known_keys(&mut self, map: &Mapping, known: &[&str], place: &str) {
        for key in map.keys() {
            if !known.contains(&key.as_str()) {
                let help = did_you_mean(key.as_str(), known.iter().copied().filter(|k| !k.starts_with('$')))
                    .map(|m| format!("did you mean `{m}`?"))
                    .or_else(|| {
                        Some(format!(
                            "{place} takes {}",
                            known
                                .iter()
                                .filter(|k| !k.starts_with('$'))
                                .map(|k| format!("`{k}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    });
                self.error(key.span(), format!("unknown key `{}`", key.as_str()), help);
            }
        }
    }

    fn text_of(&mut self, node: &Node, what: &str) -> Option<String> {
        let scalar = self.scalar(node, what)?;
        if is_null(scalar) {
            return None;
        }
        Some(scalar.as_str().to_owned())
    }

    fn required_text(&mut self, map: &Mapping, key: &str, place: &str) -> Option<String> {
        match map.get_node(key) {
            Some(node) => {
                let text = self.text_of(node, &format!("`{key}`"));
                if text.as_deref().is_none_or(|t| t.trim().is_empty()) {
                    self.error(node.span(), format!("`{key}` must not be empty"), None);
                    return None;
                }
                text
            }
            None => {
                self.missing(map, format!("{place} has no `{key}`"), None);
                None
            }
        }
    }

    /// An optional text; an empty one is none.
    fn optional_text(&mut self, map: &Mapping, key: &str) -> Option<String> {
        map.get_node(key).and_then(|node| self.text_of(node, &format!("`{key}`"))).filter(|text| !text.is_empty())
    }

    fn policy(&mut self, map: &Mapping) -> Option<Policy> {
        let node = map.get_node("policy")?;
        let text = self.text_of(node, "`policy`")?;
        match text.as_str() {
            "allow" => Some(Policy::Allow),
            "warn" => Some(Policy::Warn),
            "deny" => Some(Policy::Deny),
            other => {
                let help = did_you_mean(other, ["allow", "warn", "deny"]).map(|m| format!("did you mean `{m}`?"));
                self.error(node.span(), format!("`policy` is `{other}`; it is one of allow, warn, deny"), help);
                None
            }
        }
    }

    fn groups(&mut self, map: &Mapping) -> BTreeMap<String, Group> {
        let mut groups = BTreeMap::new();
        let Some(node) = map.get_node("groups") else { return groups };
        let Some(entries) = self.mapping(node, "`groups`") else { return groups };
        for (key, value) in entries.iter() {
            let mut group = Group::default();
            if let Some(body) = self.mapping(value, &format!("group `{}`", key.as_str())) {
                self.known_keys(body, &GROUP_KEYS, "a group");
                group.description = self.optional_text(body, "description");
                if let Some(props) = body.get_node("properties") {
                    group.properties = self.properties(props, "`properties`");
                }
            }
            groups.insert(key.as_str().to_owned(), group);
        }
        groups
    }

    fn events(&mut self, map: &Mapping) -> BTreeMap<String, EventSpec> {
        let mut events = BTreeMap::new();
        let Some(node) = map.get_node("events") else { return events };
        let Some(entries) = self.mapping(node, "`events`") else { return events };
        for (key, value) in entries.iter() {
            let event = match value {
                Node::Scalar(s) if is_null(s) => EventSpec::default(),
                Node::Mapping(body) => self.event(body),
                other => {
                    self.error(
                        other.span(),
                        format!("event `{}` must be a mapping, not {}", key.as_str(), kind_of(other)),
                        None,
                    );
                    continue;
                }
            };
            events.insert(key.as_str().to_owned(), event);
        }
        events
    }

    fn event(&mut self, body: &Mapping) -> EventSpec {
        self.known_keys(body, &EVENT_KEYS, "an event");
        let mut event = EventSpec {
            description: self.optional_text(body, "description"),
            owner: self.optional_text(body, "owner"),
            policy: self.policy(body),
            ..EventSpec::default()
        };
        if let Some(node) = body.get_node("status")
            && let Some(text) = self.text_of(node, "`status`")
        {
            event.status = match text.as_str() {
                "planned" => EventStatus::Planned,
                "active" => EventStatus::Active,
                "deprecated" => EventStatus::Deprecated,
                other => {
                    let help = did_you_mean(other, ["planned", "active", "deprecated"])
                        .map(|m| format!("did you mean `{m}`?"));
                    self.error(
                        node.span(),
                        format!("`status` is `{other}`; it is one of planned, active, deprecated"),
                        help,
                    );
                    EventStatus::Active
                }
            };
        }
        if let Some(node) = body.get_node("sunset")
            && let Some(text) = self.text_of(node, "`sunset`")
        {
            match text.parse::<jiff::civil::Date>() {
                Ok(date) if text.len() == 10 => event.sunset = Some(date),
                _ => self.error(node.span(), format!("`sunset` is `{text}`, not a date such as 2025-06-30"), None),
            }
        }
        if let Some(node) = body.get_node("include")
            && let Some(items) = self.sequence(node, "`include`")
        {
            for item in items.iter() {
                if let Some(scalar) = self.scalar(item, "an included group") {
                    event.include.push(scalar.as_str().to_owned());
                }
            }
        }
        if let Some(node) = body.get_node("properties") {
            event.properties = self.properties(node, "`properties`");
        }
        event
    }

    /// The properties of the mapping `node`, whose key `what` names.
    fn properties(&mut self, node: &Node, what: &str) -> BTreeMap<String, PropertySpec> {
        let mut properties = BTreeMap::new();
        let Some(entries) = self.mapping(node, what) else { return properties };
        for (key, value) in entries.iter() {
            if let Some(spec) = self.property(key, value) {
                properties.insert(key.as_str().to_owned(), spec);
            }
        }
        properties
    }

    fn property(&mut self, key: &Scalar, value: &Node) -> Option<PropertySpec> {
        let name = key.as_str();
        let Node::Mapping(body) = value else {
            if !matches!(value, Node::Scalar(s) if is_null(s)) {
                self.error(value.span(), format!("property `{name}` must be a mapping, not {}", kind_of(value)), None);
            } else {
                self.error(
                    value.span(),
                    format!("property `{name}` has no `type`"),
                    Some("write `{ type: string }` for any text".into()),
                );
            }
            return None;
        };
        self.known_keys(body, &PROPERTY_KEYS, "a property");
        let kind = match body.get_node("type") {
            None => {
                self.error(
                    body.span(),
                    format!("property `{name}` has no `type`"),
                    Some("one of string, integer, number, boolean, datetime, enum".into()),
                );
                return None;
            }
            Some(node) => {
                let Some(text) = self.text_of(node, "`type`") else {
                    // `type:` with nothing after it: said (at the key: an
                    // empty value's place is where the next line starts),
                    // not dropped.
                    if matches!(node, Node::Scalar(s) if is_null(s)) {
                        let key = body.keys().find(|key| key.as_str() == "type").map_or(node.span(), Scalar::span);
                        self.error(
                            key,
                            format!("property `{name}` has no `type`"),
                            Some("one of string, integer, number, boolean, datetime, enum".into()),
                        );
                    }
                    return None;
                };
                match PropertyType::parse(&text) {
                    Some(kind) => kind,
                    None => {
                        let names = PropertyType::ALL.map(PropertyType::as_str);
                        let help = did_you_mean(&text, names).map(|m| format!("did you mean `{m}`?"));
                        self.error(node.span(), format!("`type` is `{text}`; it is one of {}", names.join(", ")), help);
                        return None;
                    }
                }
            }
        };
        let mut spec = PropertySpec::of(kind);
        spec.description = self.optional_text(body, "description");
        if let Some(node) = body.get_node("required") {
            spec.required = self.boolean(node, "`required`").unwrap_or(false);
        }
        if let Some(node) = body.get_node("examples")
            && let Some(items) = self.sequence(node, "`examples`")
        {
            spec.examples = items.iter().filter_map(|item| self.text_of(item, "an example")).collect();
        }
        if let Some(node) = body.get_node("values")
            && let Some(items) = self.sequence(node, "`values`")
        {
            for item in items.iter() {
                if let Some(scalar) = self.scalar(item, "an enum value") {
                    spec.values.push(scalar.as_str().to_owned());
                }
            }
        }
        spec.pattern = body.get_node("pattern").and_then(|node| self.text_of(node, "`pattern`"));
        spec.min = body.get_node("min").and_then(|n| self.number(n, "`min`"));
        spec.max = body.get_node("max").and_then(|n| self.number(n, "`max`"));
        spec.min_length = body.get_node("minLength").and_then(|n| self.length(n, "`minLength`"));
        spec.max_length = body.get_node("maxLength").and_then(|n| self.length(n, "`maxLength`"));
        Some(spec)
    }

    fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        let scalar = self.scalar(node, what)?;
        // YAML 1.2's booleans (its core schema), written plain.
        match (scalar.may_coerce(), scalar.as_str()) {
            (true, "true" | "True" | "TRUE") => Some(true),
            (true, "false" | "False" | "FALSE") => Some(false),
            (false, other) => {
                self.error(
                    scalar.span(),
                    format!("{what} is the text {other:?}; it is true or false"),
                    Some("write it without quotes".into()),
                );
                None
            }
            (true, other) => {
                self.error(scalar.span(), format!("{what} is `{other}`; it is true or false"), None);
                None
            }
        }
    }

    fn number(&mut self, node: &Node, what: &str) -> Option<f64> {
        let scalar = self.scalar(node, what)?;
        match scalar.as_str().parse::<f64>() {
            Ok(value)
                if value.is_finite()
                    && crate::values::is_number_text(scalar.as_str())
                    && !crate::values::holds_exactly(scalar.as_str(), value) =>
            {
                self.error(
                    scalar.span(),
                    format!(
                        "{what} is `{}`, which a bound does not hold exactly: it would be read as {value}",
                        scalar.as_str()
                    ),
                    Some("a bound is a 64-bit float (about 15 significant digits): write one it holds".into()),
                );
                None
            }
            Ok(value) if value.is_finite() && crate::values::is_number_text(scalar.as_str()) => Some(value),
            _ => {
                self.error(
                    scalar.span(),
                    format!("{what} is `{}`, not a number", scalar.as_str()),
                    Some("a finite number written as JSON writes one, such as 0.5, -2 or 1e3".into()),
                );
                None
            }
        }
    }

    fn length(&mut self, node: &Node, what: &str) -> Option<u32> {
        let scalar = self.scalar(node, what)?;
        match scalar.as_str().parse::<u32>() {
            Ok(value) => Some(value),
            Err(_) => {
                self.error(
                    scalar.span(),
                    format!("{what} is `{}`, not a whole number of characters", scalar.as_str()),
                    None,
                );
                None
            }
        }
    }
}

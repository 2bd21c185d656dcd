//! Reading a plan file (YAML, or JSON as the YAML subset it is) into a
//! [`Plan`], checking it as it is read: every mistake is reported at its
//! file, line and column, all of them in one go, as Cargo reports manifest
//! errors.
//!
//! The file is parsed by `marked-yaml` into nodes that keep their place, and
//! converted here by hand rather than through serde: an unknown key gets a
//! suggestion, and checks that span several nodes (names that differ only
//! in case, includes that do not exist) point at the right one.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use indicative_contract::limits::MAX_TEXT_CHARS;
use marked_yaml::types::{MarkedMappingNode, MarkedScalarNode, MarkedSequenceNode};
use marked_yaml::{LoaderOptions, Marker, Node, Span};

use crate::model::{EventSpec, EventStatus, Group, Plan, Policy, PropertySpec, PropertyType, SchemaVer};
use crate::suggest::{did_you_mean, folded};

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
/// let errors = indicative_plan::Plan::from_text("p.yaml", "name: P\nversion: 1.0\nevnts: {}\n").unwrap_err();
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

impl Plan {
    /// Reads and checks a plan from its text; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// Every mistake found, each with its line and column.
    pub fn from_text(file: &str, text: &str) -> Result<Self, PlanErrors> {
        let mut reader = Reader { file, errors: Vec::new() };
        let plan = reader.plan(text);
        let mut errors = reader.errors;
        if errors.is_empty()
            && let Some(plan) = plan
        {
            return Ok(plan);
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

/// How deep flow or block collections may nest in `text`, looked at
/// cheaply: brackets and braces outside quotes, and indentation.
fn nesting_exceeds(text: &str, limit: usize) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let (mut quote, mut line, mut column) = (None, 1, 0);
    for c in text.chars() {
        column += 1;
        match (quote, c) {
            (_, '\n') => {
                line += 1;
                column = 0;
                quote = None;
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => {
                depth += 1;
                if depth > limit {
                    return Some((line, column));
                }
            }
            (None, ']' | '}') => depth = depth.saturating_sub(1),
            _ => {}
        }
        if column > limit * 8 && quote.is_none() && c != ' ' {
            // Indentation is not nesting past this point of a line.
        }
    }
    // Block nesting: more than `limit` distinct indentations in use at once.
    let mut stack: Vec<usize> = Vec::new();
    for (n, text_line) in text.lines().enumerate() {
        let trimmed = text_line.trim_start_matches([' ', '-']);
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = text_line.len() - trimmed.len();
        while stack.last().is_some_and(|&top| top >= indent) {
            stack.pop();
        }
        stack.push(indent);
        if stack.len() > limit {
            return Some((n + 1, indent + 1));
        }
    }
    None
}

struct Reader<'f> {
    file: &'f str,
    errors: Vec<PlanError>,
}

fn start(span: &Span) -> (usize, usize) {
    span.start().map_or((1, 1), |m: &Marker| (m.line(), m.column()))
}

fn is_null(scalar: &MarkedScalarNode) -> bool {
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

impl Reader<'_> {
    fn error(&mut self, span: &Span, message: impl Into<String>, help: Option<String>) {
        let (line, column) = start(span);
        self.errors.push(PlanError { file: self.file.to_owned(), line, column, message: message.into(), help });
    }

    fn plan(&mut self, text: &str) -> Option<Plan> {
        if let Some((line, column)) = nesting_exceeds(text, MAX_NESTING) {
            self.errors.push(PlanError {
                file: self.file.to_owned(),
                line,
                column,
                message: format!("nesting deeper than {MAX_NESTING} levels; a plan needs six"),
                help: None,
            });
            return None;
        }
        let options = LoaderOptions::default().error_on_duplicate_keys(true).prevent_coercion(true);
        let root = match marked_yaml::parse_yaml_with_options(0, text, options) {
            Ok(root) => root,
            Err(error) => {
                self.load_error(&error);
                return None;
            }
        };
        let map = self.mapping(&root, "the plan")?;
        self.known_keys(map, &PLAN_KEYS, "the plan");
        let name = self.required_text(map, "name", "the plan");
        let version = match map.get_node("version") {
            None => {
                self.missing(map, "the plan has no `version`".into(), Some("add `version: 1-0-0` (SchemaVer)".into()));
                None
            }
            Some(node) => self.scalar(node, "`version`").and_then(|s| match s.as_str().parse::<SchemaVer>() {
                Ok(version) => Some(version),
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
            Some(node) => self.properties(node, "user properties", &BTreeMap::new()),
            None => BTreeMap::new(),
        };
        let events = self.events(map, &groups);
        let mut plan = Plan::new(&name?, version?);
        plan.description = description;
        plan.policy = policy;
        plan.groups = groups.into_iter().map(|(name, (group, _))| (name, group)).collect();
        plan.events = events;
        plan.user_properties = user_properties;
        Some(plan)
    }

    /// Reports a key that `map` lacks, at the mapping's first key (a
    /// mapping's own span starts at its first value).
    fn missing(&mut self, map: &MarkedMappingNode, message: String, help: Option<String>) {
        match map.keys().next() {
            Some(first) => self.error(first.span(), message, help),
            None => self.error(map.span(), message, help),
        }
    }

    fn load_error(&mut self, error: &marked_yaml::LoadError) {
        use marked_yaml::LoadError;
        let (marker, message, help): (Option<&Marker>, String, Option<String>) = match error {
            LoadError::TopLevelMustBeMapping(m) => {
                (Some(m), "a plan is a mapping (name, version, events, ...)".into(), None)
            }
            LoadError::TopLevelMustBeSequence(m) => (Some(m), "a plan is a mapping".into(), None),
            LoadError::UnexpectedAnchor(m) => (
                Some(m),
                "anchors and aliases are not read in a plan".into(),
                Some("write the value out; use `groups` to share properties".into()),
            ),
            LoadError::MappingKeyMustBeScalar(m) => (Some(m), "a key must be a plain name".into(), None),
            LoadError::UnexpectedTag(m) => (Some(m), "tags (`!x`) are not read in a plan".into(), None),
            LoadError::ScanError(m, scan) => (Some(m), format!("not valid YAML or JSON: {}", scan.info()), None),
            LoadError::DuplicateKey(inner) => {
                let first = start(inner.prev_key.span());
                (
                    inner.key.span().start(),
                    format!("`{}` is given twice in one mapping", inner.key.as_str()),
                    Some(format!("the first is at line {}, column {}", first.0, first.1)),
                )
            }
        };
        let (line, column) = marker.map_or((1, 1), |m| (m.line(), m.column()));
        self.errors.push(PlanError { file: self.file.to_owned(), line, column, message, help });
    }

    fn mapping<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n MarkedMappingNode> {
        match node {
            Node::Mapping(map) => Some(map),
            Node::Scalar(s) if is_null(s) => None,
            other => {
                self.error(other.span(), format!("{what} must be a mapping, not {}", kind_of(other)), None);
                None
            }
        }
    }

    fn sequence<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n MarkedSequenceNode> {
        match node {
            Node::Sequence(items) => Some(items),
            other => {
                self.error(other.span(), format!("{what} must be a list, not {}", kind_of(other)), None);
                None
            }
        }
    }

    fn scalar<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n MarkedScalarNode> {
        match node {
            Node::Scalar(s) => Some(s),
            other => {
                self.error(other.span(), format!("{what} must be a single value, not {}", kind_of(other)), None);
                None
            }
        }
    }

    fn known_keys(&mut self, map: &MarkedMappingNode, known: &[&str], place: &str) {
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

    fn required_text(&mut self, map: &MarkedMappingNode, key: &str, place: &str) -> Option<String> {
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
    fn optional_text(&mut self, map: &MarkedMappingNode, key: &str) -> Option<String> {
        map.get_node(key).and_then(|node| self.text_of(node, &format!("`{key}`"))).filter(|text| !text.is_empty())
    }

    /// Checks a planned name (event, property, group, value): 1 to 255 characters.
    fn name(&mut self, key: &MarkedScalarNode, what: &str) -> bool {
        let chars = key.as_str().chars().count();
        if chars == 0 {
            self.error(key.span(), format!("{what} is empty; names are 1 to {MAX_TEXT_CHARS} characters"), None);
            return false;
        }
        if chars > MAX_TEXT_CHARS {
            self.error(
                key.span(),
                format!("{what} `{}` is {chars} characters; names are 1 to {MAX_TEXT_CHARS}", excerpt(key.as_str())),
                None,
            );
            return false;
        }
        true
    }

    /// Reports names of one collection that differ only in case or white space.
    fn collisions<'k>(&mut self, keys: impl Iterator<Item = &'k MarkedScalarNode>, what: &str) {
        let mut seen: BTreeMap<String, &MarkedScalarNode> = BTreeMap::new();
        for key in keys {
            let fold = folded(key.as_str());
            if let Some(first) = seen.get(&fold) {
                let (line, column) = start(first.span());
                let (a, b) = (first.as_str().to_owned(), key.as_str().to_owned());
                self.error(
                    key.span(),
                    format!("{what} `{b}` differs from `{a}` only in case or white space"),
                    Some(format!(
                        "the API keeps them apart, and so would your charts; `{a}` is at line {line}, column {column}"
                    )),
                );
            } else {
                seen.insert(fold, key);
            }
        }
    }

    fn policy(&mut self, map: &MarkedMappingNode) -> Option<Policy> {
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

    /// The groups, each with the span of its name.
    fn groups(&mut self, map: &MarkedMappingNode) -> BTreeMap<String, (Group, Span)> {
        let mut groups = BTreeMap::new();
        let Some(node) = map.get_node("groups") else { return groups };
        let Some(entries) = self.mapping(node, "`groups`") else { return groups };
        self.collisions(entries.keys(), "group");
        for (key, value) in entries.iter() {
            if !self.name(key, "a group name") {
                continue;
            }
            let mut group = Group::default();
            if let Some(body) = self.mapping(value, &format!("group `{}`", key.as_str())) {
                self.known_keys(body, &GROUP_KEYS, "a group");
                group.description = self.optional_text(body, "description");
                if let Some(props) = body.get_node("properties") {
                    group.properties = self.properties(props, &format!("group `{}`", key.as_str()), &BTreeMap::new());
                }
            }
            groups.insert(key.as_str().to_owned(), (group, *key.span()));
        }
        groups
    }

    fn events(
        &mut self,
        map: &MarkedMappingNode,
        groups: &BTreeMap<String, (Group, Span)>,
    ) -> BTreeMap<String, EventSpec> {
        let mut events = BTreeMap::new();
        let Some(node) = map.get_node("events") else { return events };
        let Some(entries) = self.mapping(node, "`events`") else { return events };
        self.collisions(entries.keys(), "event");
        for (key, value) in entries.iter() {
            if !self.name(key, "an event name") {
                continue;
            }
            let event = match value {
                Node::Scalar(s) if is_null(s) => EventSpec::default(),
                _ => match self.mapping(value, &format!("event `{}`", key.as_str())) {
                    Some(body) => self.event(key, body, groups),
                    None => continue,
                },
            };
            events.insert(key.as_str().to_owned(), event);
        }
        events
    }

    fn event(
        &mut self,
        key: &MarkedScalarNode,
        body: &MarkedMappingNode,
        groups: &BTreeMap<String, (Group, Span)>,
    ) -> EventSpec {
        let name = key.as_str();
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
            if event.status != EventStatus::Deprecated {
                self.error(
                    node.span(),
                    format!("event `{name}` has a sunset date but is not deprecated"),
                    Some("add `status: deprecated`, or remove `sunset`".into()),
                );
            }
        }
        let mut inherited: BTreeMap<String, String> = BTreeMap::new();
        if let Some(node) = body.get_node("include")
            && let Some(items) = self.sequence(node, "`include`")
        {
            for item in items.iter() {
                let Some(scalar) = self.scalar(item, "an included group") else { continue };
                let group = scalar.as_str();
                match groups.get(group) {
                    None => {
                        let help = did_you_mean(group, groups.keys().map(String::as_str))
                            .map(|m| format!("did you mean `{m}`?"));
                        self.error(
                            scalar.span(),
                            format!("event `{name}` includes `{group}`, which is not a group of the plan"),
                            help,
                        );
                    }
                    Some((included, _)) => {
                        for property in included.properties.keys() {
                            if let Some(other) = inherited.insert(folded(property), group.to_owned()) {
                                self.error(
                                    scalar.span(),
                                    format!("groups `{other}` and `{group}` both define `{property}`"),
                                    None,
                                );
                            }
                        }
                        event.include.push(group.to_owned());
                    }
                }
            }
        }
        if let Some(node) = body.get_node("properties") {
            event.properties = self.properties(node, &format!("event `{name}`"), &inherited);
        }
        event
    }

    /// Reads a mapping of properties; `inherited` maps the folded names
    /// that groups already define to the group.
    fn properties(
        &mut self,
        node: &Node,
        owner: &str,
        inherited: &BTreeMap<String, String>,
    ) -> BTreeMap<String, PropertySpec> {
        let mut properties = BTreeMap::new();
        let Some(entries) = self.mapping(node, &format!("the properties of {owner}")) else { return properties };
        self.collisions(entries.keys(), "property");
        for (key, value) in entries.iter() {
            if !self.name(key, "a property name") {
                continue;
            }
            if let Some(group) = inherited.get(&folded(key.as_str())) {
                self.error(
                    key.span(),
                    format!("{owner} defines `{}`, which its group `{group}` defines too", key.as_str()),
                    Some("define it once".into()),
                );
            }
            if let Some(spec) = self.property(key, value) {
                properties.insert(key.as_str().to_owned(), spec);
            }
        }
        properties
    }

    fn property(&mut self, key: &MarkedScalarNode, value: &Node) -> Option<PropertySpec> {
        let name = key.as_str();
        let Some(body) = self.mapping(value, &format!("property `{name}`")) else {
            if matches!(value, Node::Scalar(s) if is_null(s)) {
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
                let text = self.text_of(node, "`type`")?;
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
        const APPLIES: [(&str, &[PropertyType]); 6] = [
            ("values", &[PropertyType::Enum]),
            ("pattern", &[PropertyType::String]),
            ("min", &[PropertyType::Integer, PropertyType::Number]),
            ("max", &[PropertyType::Integer, PropertyType::Number]),
            ("minLength", &[PropertyType::String]),
            ("maxLength", &[PropertyType::String]),
        ];
        for (key, kinds) in APPLIES {
            if let Some(node) = body.get_node(key)
                && !kinds.contains(&kind)
            {
                let to: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                self.error(
                    node.span(),
                    format!("`{key}` applies to {} properties; `{name}` is {}", to.join(" and "), kind.as_str()),
                    None,
                );
            }
        }
        if let Some(node) = body.get_node("values")
            && let Some(items) = self.sequence(node, "`values`")
        {
            let mut keys = Vec::new();
            for item in items.iter() {
                let Some(scalar) = self.scalar(item, "an enum value") else { continue };
                if self.name(scalar, "an enum value") {
                    keys.push(scalar);
                    spec.values.push(scalar.as_str().to_owned());
                }
            }
            let mut exact = std::collections::BTreeSet::new();
            let mut first_of_each = Vec::new();
            for key in keys {
                if exact.insert(key.as_str()) {
                    first_of_each.push(key);
                } else {
                    self.error(key.span(), format!("the value `{}` is listed twice", key.as_str()), None);
                }
            }
            self.collisions(first_of_each.into_iter(), "the value");
        }
        if kind == PropertyType::Enum && spec.values.is_empty() && body.get_node("values").is_none() {
            self.error(
                body.span(),
                format!("enum `{name}` has no `values`"),
                Some("list them: `values: [a, b]`".into()),
            );
        }
        if let Some(node) = body.get_node("pattern")
            && let Some(pattern) = self.text_of(node, "`pattern`")
        {
            match regex::Regex::new(&pattern) {
                Ok(_) => spec.pattern = Some(pattern),
                Err(error) => {
                    let why = error.to_string().lines().last().unwrap_or_default().trim().to_owned();
                    self.error(node.span(), format!("`pattern` does not compile: {why}"), None);
                }
            }
        }
        spec.min = body.get_node("min").and_then(|n| self.number(n, "`min`"));
        spec.max = body.get_node("max").and_then(|n| self.number(n, "`max`"));
        if let (Some(min), Some(max)) = (spec.min, spec.max)
            && min > max
            && let Some(node) = body.get_node("min")
        {
            self.error(node.span(), format!("`min` ({min}) is above `max` ({max})"), None);
        }
        spec.min_length = body.get_node("minLength").and_then(|n| self.length(n, "`minLength`"));
        spec.max_length = body.get_node("maxLength").and_then(|n| self.length(n, "`maxLength`"));
        if let Some(max) = spec.max_length
            && max as usize > MAX_TEXT_CHARS
            && let Some(node) = body.get_node("maxLength")
        {
            self.error(
                node.span(),
                format!("`maxLength` is {max}; the API keeps at most {MAX_TEXT_CHARS} characters of a value"),
                Some(format!("use {MAX_TEXT_CHARS} or less")),
            );
        }
        if let (Some(min), Some(max)) = (spec.min_length, spec.max_length)
            && min > max
            && let Some(node) = body.get_node("minLength")
        {
            self.error(node.span(), format!("`minLength` ({min}) is above `maxLength` ({max})"), None);
        }
        Some(spec)
    }

    fn boolean(&mut self, node: &Node, what: &str) -> Option<bool> {
        let scalar = self.scalar(node, what)?;
        match (scalar.may_coerce(), scalar.as_str()) {
            (true, "true") => Some(true),
            (true, "false") => Some(false),
            (_, other) => {
                self.error(scalar.span(), format!("{what} is `{other}`; it is true or false"), None);
                None
            }
        }
    }

    fn number(&mut self, node: &Node, what: &str) -> Option<f64> {
        let scalar = self.scalar(node, what)?;
        match scalar.as_str().parse::<f64>() {
            Ok(value) if value.is_finite() && crate::values::is_number_text(scalar.as_str()) => Some(value),
            _ => {
                self.error(scalar.span(), format!("{what} is `{}`, not a number", scalar.as_str()), None);
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

/// At most 60 characters of a name, for a message.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

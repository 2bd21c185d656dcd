//! The plan's rules, run inside the lint engine's single pass: a plan is
//! compiled once into lookup tables (events and properties by name, regexes
//! built, enum values hashed), and the engine hands it each event it reads
//! through [`EventChecker`].

use std::borrow::Cow;
use std::sync::Arc;

use indicative_contract::{EventChecker, EventView, Findings, Rule, Severity, Target, ValueView};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::name_table::NameTable;
use crate::suggest::did_you_mean;
use crate::values::{compare_numbers, is_of_type};
use crate::{EventStatus, Plan, Policy, PropertySpec, PropertyType};

/// A plan ready to check events: build it once, share it between threads.
///
/// ```
/// use indicative_contract::{lint_body, LintOptions, RequestInfo};
/// use indicative_plan::{Plan, PlanChecker};
///
/// let plan = Plan::from_text("p.yaml", "name: Shop\nversion: 1-0-0\nevents:\n  Sign Up:\n    properties:\n      plan: { type: enum, values: [free, pro], required: true }\n")?;
/// let options = LintOptions::new(1_700_000_000_000).with_checker(PlanChecker::new(&plan).shared());
/// let body = br#"{"apiKey":"K","eventName":"Signup","eventUniqueId":"u"}"#;
/// let report = lint_body(body, &RequestInfo::default(), &options);
/// assert_eq!(report.codes(), ["unplanned-event"]);
/// assert_eq!(report.diagnostics[0].help.as_deref(), Some("did you mean `Sign Up`?"));
/// assert_eq!(report.status.code(), 200);
/// # Ok::<(), indicative_plan::PlanErrors>(())
/// ```
#[derive(Debug)]
pub struct PlanChecker {
    /// The planned events, numbered as `event_names` numbers them.
    events: Vec<Event>,
    event_names: NameTable,
    /// Every planned property name (of events and of users), numbered.
    property_names: NameTable,
    /// Every distinct planned property (a name and what its values must
    /// be), once: events that plan the same property share it, so the
    /// checks of a capture stay in a few cache lines.
    properties: Vec<Property>,
    users: Properties,
    policy: Policy,
}

#[derive(Debug)]
struct Event {
    status: EventStatus,
    /// The sunset date's first millisecond, UTC.
    sunset_millis: Option<i64>,
    policy: Policy,
    properties: Properties,
}

/// The properties of one event (or of users), in one allocation, so that
/// an event's check reads a few neighbouring cache lines: first their
/// names' numbers (in [`PlanChecker::property_names`]), sorted; then, in
/// the same order, their indices into [`PlanChecker::properties`]; then the
/// positions of the required ones.
#[derive(Debug, Default)]
struct Properties {
    table: Box<[u32]>,
    /// How many properties.
    count: usize,
    /// For a plan of few property names, by the name's number: 0 when the
    /// event does not plan it, else its position plus one (the top byte)
    /// and its index into [`PlanChecker::properties`] (the rest), so that a
    /// property is found by one load. Empty otherwise, and the numbers are
    /// searched.
    by_name: Box<[u32]>,
}

/// Plans with at most this many property names have their events'
/// properties found by number ([`Properties::by_name`]), when their tables
/// together stay under [`BY_NAME_BYTES`].
const BY_NAME_NAMES: usize = 4096;
const BY_NAME_BYTES: usize = 16 << 20;
/// The bits of a [`Properties::by_name`] entry that hold the index.
const INDEX_BITS: u32 = 24;

#[derive(Debug)]
struct Property {
    name: Arc<str>,
    kind: PropertyType,
    /// An enum's values, in the plan's order (a hash set too, for long lists).
    values: Arc<[String]>,
    many_values: Option<Arc<FxHashSet<String>>>,
    /// The compiled pattern, with the pattern as the plan wrote it (what a
    /// message shows: the compiled form is rewritten to mean the same under
    /// every engine).
    pattern: Option<(regex::Regex, Arc<str>)>,
    /// The bounds as numbers' texts (the shortest that reads back as each
    /// float), which values are compared with exactly.
    min: Option<Box<str>>,
    max: Option<Box<str>>,
    min_length: Option<usize>,
    max_length: Option<usize>,
}

impl Property {
    fn allows(&self, text: &str) -> bool {
        match &self.many_values {
            Some(set) => set.contains(text),
            None => self.values.iter().any(|v| v == text),
        }
    }
}

/// Past this many values, an enum is looked up in a hash set.
const FEW_VALUES: usize = 16;

/// An enum's values, shared: in order, and as a set when there are many.
type SharedValues = (Arc<[String]>, Option<Arc<FxHashSet<String>>>);

/// What compiled properties share, kept once while a plan is compiled.
#[derive(Default)]
struct Shared<'p> {
    ids: FxHashMap<Arc<str>, u32>,
    /// The names of `ids`, in the order numbered.
    names: Vec<&'p str>,
    properties: Vec<Property>,
    /// Compiled properties by (name id, a hash of what they check), with
    /// the spec each came from, to find an equal one.
    by_spec: FxHashMap<(u32, u64), Vec<(u32, &'p PropertySpec)>>,
    values: FxHashMap<&'p [String], SharedValues>,
    patterns: FxHashMap<&'p str, (regex::Regex, Arc<str>)>,
}

/// Whether two specs check values alike (`required`, descriptions and
/// examples aside).
fn checks_alike(a: &PropertySpec, b: &PropertySpec) -> bool {
    a.kind == b.kind
        && a.values == b.values
        && a.pattern == b.pattern
        && a.min.map(f64::to_bits) == b.min.map(f64::to_bits)
        && a.max.map(f64::to_bits) == b.max.map(f64::to_bits)
        && a.min_length == b.min_length
        && a.max_length == b.max_length
}

fn spec_hash(spec: &PropertySpec) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    (spec.kind as u8, &spec.values, &spec.pattern, spec.min.map(f64::to_bits), spec.max.map(f64::to_bits))
        .hash(&mut hasher);
    (spec.min_length, spec.max_length).hash(&mut hasher);
    hasher.finish()
}

impl<'p> Shared<'p> {
    fn id(&mut self, name: &'p str) -> u32 {
        if let Some(&id) = self.ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.ids.len()).unwrap_or(u32::MAX);
        self.ids.insert(name.into(), id);
        self.names.push(name);
        id
    }

    /// The index of the compiled property `name` with `spec`, compiled now
    /// if no event planned it alike before.
    fn property(&mut self, name: &str, id: u32, spec: &'p PropertySpec) -> u32 {
        let key = (id, spec_hash(spec));
        if let Some(bucket) = self.by_spec.get(&key)
            && let Some(&(index, _)) = bucket.iter().find(|(_, other)| checks_alike(other, spec))
        {
            return index;
        }
        let (values, many_values) = match self.values.get(spec.values.as_slice()) {
            Some(shared) => shared.clone(),
            None => {
                let set = (spec.values.len() > FEW_VALUES).then(|| Arc::new(spec.values.iter().cloned().collect()));
                let shared = (Arc::from(spec.values.as_slice()), set);
                self.values.insert(&spec.values, shared.clone());
                shared
            }
        };
        // The loader has checked that every pattern is portable and compiles.
        let pattern = spec.pattern.as_deref().and_then(|p| match self.patterns.get(p) {
            Some(re) => Some(re.clone()),
            None => {
                // A plan built in code, not loaded, may hold any pattern the
                // regex crate takes: checked as written.
                let rust = indicative_plan_model::pattern::portable(p).map_or_else(|_| p.to_owned(), |p| p.rust);
                let compiled = (regex::Regex::new(&rust).ok()?, Arc::from(p));
                self.patterns.insert(p, compiled.clone());
                Some(compiled)
            }
        });
        let name = self.ids.get_key_value(name).map_or_else(|| Arc::from(name), |(k, _)| Arc::clone(k));
        let index = u32::try_from(self.properties.len()).unwrap_or(u32::MAX);
        self.properties.push(Property {
            name,
            kind: spec.kind,
            values,
            many_values,
            pattern,
            min: spec.min.map(|b| b.to_string().into()),
            max: spec.max.map(|b| b.to_string().into()),
            min_length: spec.min_length.map(|n| n as usize),
            max_length: spec.max_length.map(|n| n as usize),
        });
        self.by_spec.entry(key).or_default().push((index, spec));
        index
    }
}

impl Properties {
    fn compile<'p>(specs: impl Iterator<Item = (&'p str, &'p PropertySpec)>, shared: &mut Shared<'p>) -> Self {
        let mut planned: Vec<(u32, u32, bool)> = specs
            .map(|(name, spec)| {
                let id = shared.id(name);
                (id, shared.property(name, id, spec), spec.required)
            })
            .collect();
        // A loaded plan names a property once per event; past that, the
        // first (the event's own, before its groups') stands.
        planned.sort_by_key(|&(id, _, _)| id);
        planned.dedup_by_key(|&mut (id, _, _)| id);
        let required = (0..planned.len()).filter(|&p| planned[p].2).map(|p| u32::try_from(p).unwrap_or(u32::MAX));
        let table =
            planned.iter().map(|&(id, _, _)| id).chain(planned.iter().map(|&(_, index, _)| index)).chain(required);
        Self { table: table.collect(), count: planned.len(), by_name: Box::default() }
    }

    /// Fills [`Self::by_name`] for a plan of `names` property names (when
    /// every position fits in the entry's top byte, and every index in the
    /// rest).
    fn index_by_name(&mut self, names: usize) {
        let Some(ids) = self.table.get(..self.count) else { return };
        let fits = |position: usize, index: usize| {
            let position = u32::try_from(position + 1).ok().filter(|&p| p < 1 << (32 - INDEX_BITS))?;
            let index = u32::try_from(index).ok().filter(|&i| i < 1 << INDEX_BITS)?;
            Some(position << INDEX_BITS | index)
        };
        let mut by_name = vec![0_u32; names];
        for (position, &id) in ids.iter().enumerate() {
            match (by_name.get_mut(id as usize), fits(position, self.entry(position))) {
                (Some(slot), Some(entry)) => *slot = entry,
                // Too many properties, or too many in the plan: searched.
                _ => return,
            }
        }
        self.by_name = by_name.into_boxed_slice();
    }

    /// The index into [`PlanChecker::properties`] of the property at `position`.
    fn entry(&self, position: usize) -> usize {
        self.table.get(self.count + position).map_or(usize::MAX, |&index| index as usize)
    }

    /// Each property's index into [`PlanChecker::properties`].
    fn entries(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.count).map(|position| self.entry(position))
    }

    /// The positions of the required properties.
    fn required(&self) -> &[u32] {
        self.table.get(2 * self.count..).unwrap_or_default()
    }

    /// The position of the property whose name is numbered `id`, and its
    /// index into [`PlanChecker::properties`].
    #[inline]
    fn find(&self, id: u32) -> Option<(usize, usize)> {
        if !self.by_name.is_empty() {
            let entry = *self.by_name.get(id as usize)?;
            let position = (entry >> INDEX_BITS) as usize;
            return position.checked_sub(1).map(|p| (p, (entry & ((1 << INDEX_BITS) - 1)) as usize));
        }
        let position = self.table.get(..self.count)?.binary_search(&id).ok()?;
        Some((position, self.entry(position)))
    }
}

impl PlanChecker {
    /// Compiles a (loaded, so checked) plan.
    #[must_use]
    pub fn new(plan: &Plan) -> Self {
        let mut shared = Shared::default();
        let mut events: Vec<Event> = plan
            .events
            .values()
            .map(|event| {
                let sunset_millis = event.sunset.and_then(|date| {
                    date.to_zoned(jiff::tz::TimeZone::UTC).ok().map(|z| z.timestamp().as_millisecond())
                });
                Event {
                    status: event.status,
                    sunset_millis,
                    policy: plan.policy_of(event),
                    properties: Properties::compile(plan.properties_of(event), &mut shared),
                }
            })
            .collect();
        let mut users = Properties::compile(plan.user_properties.iter().map(|(n, s)| (n.as_str(), s)), &mut shared);
        let names = shared.names.len();
        let bytes = names.saturating_mul(events.len() + 1).saturating_mul(size_of::<u32>());
        if names <= BY_NAME_NAMES && bytes <= BY_NAME_BYTES {
            for properties in events.iter_mut().map(|e| &mut e.properties).chain([&mut users]) {
                properties.index_by_name(names);
            }
        }
        Self {
            events,
            event_names: NameTable::new(plan.events.keys().map(String::as_str)),
            property_names: NameTable::new(shared.names.iter().copied()),
            properties: shared.properties,
            users,
            policy: plan.policy,
        }
    }

    /// The checker behind an `Arc`, as [`indicative_contract::LintOptions::with_checker`] takes it.
    #[must_use]
    pub fn shared(self) -> Arc<dyn EventChecker> {
        Arc::new(self)
    }
}

/// At most 60 characters of a value, quoted, for a message.
fn shown(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{:?}…", &text[..at]),
        None => format!("{text:?}"),
    }
}

/// The severity of a finding under a policy: `warn` reports at most a warning.
fn under(policy: Policy, severity: Severity) -> Severity {
    match policy {
        Policy::Allow => Severity::Off,
        Policy::Warn => severity.min(Severity::Warning),
        Policy::Deny => severity,
    }
}

/// Which planned properties were seen with a value: a bit each, on the
/// stack for the usual sizes.
struct Seen {
    small: [u64; 4],
    large: Vec<u64>,
}

impl Seen {
    fn new(count: usize) -> Self {
        Self { small: [0; 4], large: if count > 256 { vec![0; count.div_ceil(64)] } else { Vec::new() } }
    }

    fn words(&mut self) -> &mut [u64] {
        if self.large.is_empty() { &mut self.small } else { &mut self.large }
    }

    fn set(&mut self, i: usize) {
        self.words()[i / 64] |= 1 << (i % 64);
    }

    fn unset(&mut self, i: usize) {
        self.words()[i / 64] &= !(1 << (i % 64));
    }

    fn has(&mut self, i: usize) -> bool {
        self.words()[i / 64] & (1 << (i % 64)) != 0
    }
}

impl Property {
    /// Checks one value against the property's type and constraints.
    fn check(&self, text: &str, target: Target, findings: &mut Findings<'_, '_>) {
        if !is_of_type(self.kind, text) {
            findings.report(
                Rule::PropertyType,
                target,
                || format!("`{}` is {}, which is not {}", self.name, shown(text), type_phrase(self.kind)),
                Some(type_help(self.kind).into()),
            );
            return;
        }
        if self.kind == PropertyType::Enum && !self.allows(text) {
            let help = match did_you_mean(text, self.values.iter().map(String::as_str)) {
                Some(value) => format!("did you mean `{value}`?"),
                None => format!("the plan lists {}", list(&self.values)),
            };
            findings.report(
                Rule::PropertyEnum,
                target,
                || format!("`{}` is {}, which is not one of its planned values", self.name, shown(text)),
                Some(help),
            );
        }
        if let Some((pattern, written)) = &self.pattern
            && !pattern.is_match(text)
        {
            findings.report(
                Rule::PropertyPattern,
                target,
                || format!("`{}` is {}, which does not match `{written}`", self.name, shown(text)),
                None,
            );
        }
        if self.min.is_some() || self.max.is_some() {
            // As decimals, exactly: no float rounds the value (a text that
            // is not a number, of the wrong type, is no range's).
            let past = |bound: &Option<Box<str>>, side: std::cmp::Ordering| {
                bound.as_deref().is_some_and(|bound| compare_numbers(text, bound) == Some(side))
            };
            let below = past(&self.min, std::cmp::Ordering::Less);
            let above = past(&self.max, std::cmp::Ordering::Greater);
            if below || above {
                findings.report(
                    Rule::PropertyRange,
                    target,
                    || {
                        let bound = if below {
                            format!("below its minimum {}", self.min.as_deref().unwrap_or_default())
                        } else {
                            format!("above its maximum {}", self.max.as_deref().unwrap_or_default())
                        };
                        format!("`{}` is {text}, {bound}", self.name)
                    },
                    None,
                );
            }
        }
        // A text has at least a quarter as many characters as bytes, and
        // at most as many: most are judged without counting.
        let bytes = text.len();
        if self.max_length.is_some_and(|max| bytes > max)
            || self.min_length.is_some_and(|min| bytes < min.saturating_mul(4))
        {
            let chars = text.chars().count();
            let short = self.min_length.is_some_and(|min| chars < min);
            let long = self.max_length.is_some_and(|max| chars > max);
            if short || long {
                findings.report(
                    Rule::PropertyLength,
                    target,
                    || {
                        let bound = if short {
                            format!("fewer than its minimum of {}", self.min_length.unwrap_or_default())
                        } else {
                            format!("more than its maximum of {}", self.max_length.unwrap_or_default())
                        };
                        let unit = if chars == 1 { "character" } else { "characters" };
                        format!("`{}` is {chars} {unit} long, {bound}", self.name)
                    },
                    None,
                );
            }
        }
    }
}

fn type_phrase(kind: PropertyType) -> &'static str {
    match kind {
        PropertyType::String | PropertyType::Enum => "text",
        PropertyType::Integer => "an integer",
        PropertyType::Number => "a number",
        PropertyType::Boolean => "true or false",
        PropertyType::Datetime => "an RFC 3339 date-time",
    }
}

fn type_help(kind: PropertyType) -> &'static str {
    match kind {
        PropertyType::String | PropertyType::Enum => "",
        PropertyType::Integer => "send digits with an optional minus sign, such as 12 or \"12\"",
        PropertyType::Number => {
            "send a plain number, such as 12.5 or \"12.5\": no currency sign, no thousands separator"
        }
        PropertyType::Boolean => "send true or false",
        PropertyType::Datetime => "send a date-time with an offset, such as \"2024-05-01T10:00:00Z\"",
    }
}

fn list(values: &[String]) -> String {
    let shown: Vec<String> = values.iter().take(8).map(|v| format!("`{v}`")).collect();
    let more = if values.len() > 8 { format!(" and {} more", values.len() - 8) } else { String::new() };
    format!("{}{more}", shown.join(", "))
}

impl PlanChecker {
    /// Checks every property of `view` against `planned`; returns which
    /// planned properties had a value.
    fn properties(
        &self,
        view: &EventView<'_>,
        planned: &Properties,
        policy: Policy,
        unplanned: Rule,
        whose: &dyn Fn() -> String,
        findings: &mut Findings<'_, '_>,
    ) -> Seen {
        let mut seen = Seen::new(planned.count);
        let unplanned_severity = under(policy, findings.severity_of(unplanned));
        for i in 0..view.len() {
            let Some(property) = view.property(i) else { continue };
            let Some((position, index)) = self.property_names.find(&property.name).and_then(|id| planned.find(id))
            else {
                let severity = unplanned_severity;
                if severity != Severity::Off {
                    let help = did_you_mean(&property.name, planned.entries().map(|p| &*self.properties[p].name))
                        .map(|m| format!("did you mean `{m}`?"));
                    let name: Cow<'_, str> = property.name.clone();
                    findings.report_as(
                        unplanned,
                        severity,
                        Target::PropertyName(i),
                        || format!("property {} is not planned {}", shown(&name), whose()),
                        help,
                    );
                }
                continue;
            };
            // A repeated property's last value is the one stored: a null
            // after a value leaves the property absent.
            let Some(text) = stored(&property.value) else {
                seen.unset(position);
                continue;
            };
            seen.set(position);
            self.properties[index].check(&text, Target::Property(i), findings);
        }
        seen
    }
}

/// The text the API stores for a value; `None` for null and for what it
/// cannot read (its own rules report those).
fn stored<'v>(value: &'v ValueView<'_>) -> Option<Cow<'v, str>> {
    value.stored_text()
}

impl EventChecker for PlanChecker {
    fn check_event(&self, view: &EventView<'_>, findings: &mut Findings<'_, '_>) {
        // An empty name is the API's to judge (`empty-field`): nothing to look up.
        let Some(name) = view.name().filter(|n| !n.is_empty()) else { return };
        let Some(event) = self.event_names.find(name).and_then(|id| self.events.get(id as usize)) else {
            if findings.severity_of(Rule::UnplannedEvent) != Severity::Off {
                let help = did_you_mean(name, self.event_names.names()).map(|m| format!("did you mean `{m}`?"));
                findings.report(
                    Rule::UnplannedEvent,
                    Target::Name,
                    || format!("{} is not an event of the plan", shown(name)),
                    help,
                );
            }
            return;
        };
        if event.status == EventStatus::Deprecated {
            let severity = findings.severity_of(Rule::DeprecatedEvent);
            let past_sunset = event.sunset_millis.is_some_and(|sunset| findings.now() >= sunset);
            // Past its sunset, the rule's default (a warning) becomes an
            // error; a severity set by `--rule` or `[rules]` is kept.
            let escalated = past_sunset && severity == Rule::DeprecatedEvent.default_severity();
            let severity = if escalated { Severity::Error } else { severity };
            findings.report_as(
                Rule::DeprecatedEvent,
                severity,
                Target::Name,
                || {
                    if past_sunset {
                        format!("{} is deprecated, and past its sunset date", shown(name))
                    } else {
                        format!("{} is deprecated in the plan", shown(name))
                    }
                },
                None,
            );
        }
        let whose = || format!("for the event {}", shown(name));
        let mut seen =
            self.properties(view, &event.properties, event.policy, Rule::UnplannedProperty, &whose, findings);
        for &position in event.properties.required() {
            if !seen.has(position as usize) {
                let property = &*self.properties[event.properties.entry(position as usize)].name;
                findings.report(
                    Rule::MissingProperty,
                    Target::Event,
                    || format!("{} requires `{property}`, which is absent or null", shown(name)),
                    None,
                );
            }
        }
    }

    fn check_user(&self, view: &EventView<'_>, findings: &mut Findings<'_, '_>) {
        self.properties(
            view,
            &self.users,
            self.policy,
            Rule::UnplannedUserProperty,
            &|| "as a user property".to_owned(),
            findings,
        );
    }
}

#[cfg(test)]
mod tests {
    use indicative_contract::{LintOptions, RequestInfo, lint_body};

    use super::PlanChecker;
    use crate::Plan;

    /// An integer past 2^53 is compared exactly with an integral bound.
    #[test]
    fn large_integers_are_compared_exactly() {
        let yaml = "name: P\nversion: 1-0-0\nevents:\n  E:\n    properties:\n      id: { type: integer, min: -9007199254740992, max: 9007199254740992 }\n      n: { type: number, max: 1.5 }\n";
        let plan = Plan::from_text("p.yaml", yaml).unwrap_or_else(|e| panic!("{e:?}"));
        let options = LintOptions::new(0).with_checker(PlanChecker::new(&plan).shared());
        let lint = |properties: &str| {
            let body = format!(r#"{{"apiKey":"K","eventName":"E","eventUniqueId":"u","properties":{{{properties}}}}}"#);
            lint_body(body.as_bytes(), &RequestInfo::default(), &options).codes().join(" ")
        };
        assert_eq!(lint(r#""id":"9007199254740992""#), "");
        assert_eq!(lint(r#""id":"9007199254740993""#), "property-range");
        assert_eq!(lint(r#""id":"-9007199254740993""#), "property-range");
        assert_eq!(lint(r#""id":"123456789012345678901234567890""#), "property-range");
        assert_eq!(lint(r#""n":"1.5""#), "");
        assert_eq!(lint(r#""n":"1.50000001""#), "property-range");
    }

    /// A plan of more property names than the tables by number take, and
    /// an event of more properties than an entry's byte counts in a plan
    /// that has them, are searched by halves, with the same answers.
    #[test]
    fn large_plans_and_large_events_find_properties_by_search() {
        for count in [super::BY_NAME_NAMES + 4, 300] {
            let mut yaml = String::from("name: P\nversion: 1-0-0\npolicy: deny\nevents:\n  Big:\n    properties:\n");
            for i in 0..count {
                let required = if i == 7 { ", required: true" } else { "" };
                yaml.push_str(&format!("      p{i}: {{ type: integer{required} }}\n"));
            }
            yaml.push_str("  Small:\n    properties:\n      p1: { type: boolean }\n");
            let plan = Plan::from_text("p.yaml", &yaml).unwrap_or_else(|e| panic!("{e:?}"));
            let checker = PlanChecker::new(&plan);
            // Events in name order: Big, then Small (indexed when the plan is small).
            assert!(checker.events[0].properties.by_name.is_empty(), "{count}: searched");
            assert_eq!(checker.events[1].properties.by_name.is_empty(), count > super::BY_NAME_NAMES, "{count}");
            let options = LintOptions::new(0).with_checker(checker.shared());
            let lint = |name: &str, properties: &str| {
                let body = format!(
                    r#"{{"apiKey":"K","eventName":"{name}","eventUniqueId":"u","properties":{{{properties}}}}}"#
                );
                lint_body(body.as_bytes(), &RequestInfo::default(), &options).codes().join(" ")
            };
            let last = format!("p{}", count - 1);
            assert_eq!(lint("Big", &format!(r#""p7":"1","{last}":"2","p0":"3""#)), "");
            assert_eq!(
                lint("Big", &format!(r#""p7":"1","{last}":"x","nope":"1""#)),
                "property-type unplanned-property"
            );
            assert_eq!(lint("Big", r#""p0":"1""#), "missing-property");
            assert_eq!(lint("Small", r#""p1":"true","p2":"1""#), "unplanned-property");
            // The last of a repeated required property is the one stored.
            assert_eq!(lint("Big", r#""p7":"1","p7":null"#), "missing-property duplicate-key null-property-value");
            assert_eq!(lint("Big", r#""p7":null,"p7":"1""#), "null-property-value duplicate-key");
        }
    }
}

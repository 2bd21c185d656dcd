//! The checks of a loaded plan that look past one value: names and their
//! lengths, names that differ only in case, white space, `_` or `-`, includes,
//! patterns, bounds, and which constraint fits which type. They run on the
//! model, whichever way it was read, and name each problem's place as a
//! path; the loader turns paths into lines and columns.

use indicative_contract_limits::MAX_TEXT_CHARS;
use rustc_hash::FxHashMap;

use crate::model::{EventSpec, EventStatus, Plan, PropertySpec, PropertyType};
use crate::suggest::{did_you_mean, fold_hash, same_folded};

/// One step from a node to one of its children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// The entry of a mapping with this key.
    Key(String),
    /// The item of a list at this index.
    Index(usize),
}

/// A place in the plan file: a path from the top, and whether the problem
/// is the last entry's key (a name) or its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) steps: Vec<Step>,
    pub(crate) at_key: bool,
}

impl Place {
    fn key(steps: &[&str]) -> Self {
        Self { steps: steps.iter().map(|s| Step::Key((*s).to_owned())).collect(), at_key: true }
    }

    fn value(steps: &[&str]) -> Self {
        Self { steps: steps.iter().map(|s| Step::Key((*s).to_owned())).collect(), at_key: false }
    }

    fn item(mut self, index: usize) -> Self {
        self.steps.push(Step::Index(index));
        self.at_key = false;
        self
    }
}

/// A problem, and where it is. A collision names two places: the loader
/// reports it at the later one, with the earlier in the help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Problem {
    At { place: Place, message: String, help: Option<String> },
    Collision { what: &'static str, first: (String, Place), second: (String, Place) },
}

fn at(place: Place, message: String, help: Option<String>) -> Problem {
    Problem::At { place, message, help }
}

/// At most 60 characters of a name, for a message.
fn excerpt(text: &str) -> String {
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

/// Every problem of `plan`, in no particular order.
pub(crate) fn check(plan: &Plan) -> Vec<Problem> {
    check_on(plan, std::thread::available_parallelism().map_or(1, |n| n.get().min(8)))
}

/// Every problem of `plan`, its events checked on up to `threads` threads.
fn check_on(plan: &Plan, threads: usize) -> Vec<Problem> {
    let mut checker = Checker::default();
    checker.names(plan.groups.keys(), |g| Place::key(&["groups", g]), "a group name", "group");
    for (group, spec) in &plan.groups {
        checker.properties(&spec.properties, &["groups", group, "properties"]);
    }
    checker.names(plan.events.keys(), |e| Place::key(&["events", e]), "an event name", "event");
    // The API keeps white space at an end of an eventName, and lint warns
    // on every event sent so (`whitespace-name`): a plan cannot plan one.
    for name in plan.events.keys().filter(|n| indicative_contract_limits::has_edge_whitespace(n)) {
        checker.problems.push(at(
            Place::key(&["events", name]),
            format!("event name {name:?} has white space at an end"),
            Some("the API keeps it, and lint warns on every event sent with it (`whitespace-name`): trim it".into()),
        ));
    }
    checker.properties(&plan.user_properties, &["userProperties"]);
    let events: Vec<_> = plan.events.iter().collect();
    if threads < 2 || events.len() < EVENTS_PER_THREAD * 2 {
        for (name, event) in events {
            checker.event(plan, name, event);
        }
        return checker.problems;
    }
    // A large plan's events are checked on every core: each event's checks
    // read the plan and write only their own problems.
    let share = events.len().div_ceil(threads).max(EVENTS_PER_THREAD);
    let mut chunks = events.chunks(share);
    let mine = chunks.next().unwrap_or_default();
    std::thread::scope(|scope| {
        let others: Vec<_> = chunks
            .map(|chunk| {
                let work = move || {
                    let mut checker = Checker::default();
                    for (name, event) in chunk {
                        checker.event(plan, name, event);
                    }
                    checker.problems
                };
                std::thread::Builder::new().spawn_scoped(scope, work).map_err(|_| chunk)
            })
            .collect();
        for (name, event) in mine {
            checker.event(plan, name, event);
        }
        for other in others {
            match other {
                Ok(thread) => match thread.join() {
                    Ok(mut problems) => checker.problems.append(&mut problems),
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                // A thread the system would not start: its events are checked here.
                Err(chunk) => {
                    for (name, event) in chunk {
                        checker.event(plan, name, event);
                    }
                }
            }
        }
    });
    checker.problems
}

/// Below twice this many events, a plan is checked on one thread.
const EVENTS_PER_THREAD: usize = 128;

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
    /// Whether each pattern compiled (its error when not): plans repeat a
    /// few patterns over many properties, and a compilation is costly.
    patterns: FxHashMap<String, Option<String>>,
}

const APPLIES: [(&str, &[PropertyType]); 6] = [
    ("values", &[PropertyType::Enum]),
    ("pattern", &[PropertyType::String]),
    ("min", &[PropertyType::Integer, PropertyType::Number]),
    ("max", &[PropertyType::Integer, PropertyType::Number]),
    ("minLength", &[PropertyType::String]),
    ("maxLength", &[PropertyType::String]),
];

impl Checker {
    /// Checks one event: its includes, its sunset, its properties.
    fn event(&mut self, plan: &Plan, name: &str, event: &EventSpec) {
        let mut inherited: FxHashMap<u64, Vec<(&str, &str)>> = FxHashMap::default();
        let mut listed = rustc_hash::FxHashSet::default();
        for (k, group) in event.include.iter().enumerate() {
            let place = Place::value(&["events", name, "include"]).item(k);
            if !listed.insert(group) {
                self.problems.push(at(
                    place,
                    format!("event `{name}` includes `{group}` twice"),
                    Some("list each group once".into()),
                ));
                continue;
            }
            let Some(included) = plan.groups.get(group) else {
                let help =
                    did_you_mean(group, plan.groups.keys().map(String::as_str)).map(|m| format!("did you mean `{m}`?"));
                self.problems.push(at(
                    place,
                    format!("event `{name}` includes `{group}`, which is not a group of the plan"),
                    help,
                ));
                continue;
            };
            for property in included.properties.keys() {
                let same = inherited.entry(fold_hash(property)).or_default();
                if let Some((other, _)) = same.iter().find(|(_, p)| same_folded(p, property)) {
                    self.problems.push(at(
                        place.clone(),
                        format!("groups `{other}` and `{group}` both define `{property}`"),
                        None,
                    ));
                } else {
                    same.push((group, property));
                }
            }
        }
        if !inherited.is_empty() {
            for property in event.properties.keys() {
                let defined = inherited
                    .get(&fold_hash(property))
                    .and_then(|same| same.iter().find(|(_, p)| same_folded(p, property)));
                if let Some((group, _)) = defined {
                    self.problems.push(at(
                        Place::key(&["events", name, "properties", property]),
                        format!("event `{name}` defines `{property}`, which its group `{group}` defines too"),
                        Some("define it once".into()),
                    ));
                }
            }
        }
        if event.sunset.is_some() && event.status != EventStatus::Deprecated {
            self.problems.push(at(
                Place::value(&["events", name, "sunset"]),
                format!("event `{name}` has a sunset date but is not deprecated"),
                Some("add `status: deprecated`, or remove `sunset`".into()),
            ));
        }
        self.properties(&event.properties, &["events", name, "properties"]);
    }

    /// Checks the names of one collection: lengths, and names that differ
    /// only in case, white space, `_` or `-`.
    fn names<'n>(
        &mut self,
        names: impl Iterator<Item = &'n String>,
        place: impl Fn(&str) -> Place,
        what: &'static str,
        collision: &'static str,
    ) {
        // The first name of each fold hash; names whose fold differs but
        // whose hash is the same (rare) wait in `more`.
        let mut seen: FxHashMap<u64, &str> = FxHashMap::default();
        let mut more: Vec<(u64, &str)> = Vec::new();
        for name in names {
            self.length(name, || place(name), what);
            let hash = fold_hash(name);
            let first = match seen.entry(hash) {
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(name);
                    continue;
                }
                std::collections::hash_map::Entry::Occupied(first) => *first.get(),
            };
            let same = std::iter::once(first)
                .chain(more.iter().filter(|(h, _)| *h == hash).map(|(_, other)| *other))
                .find(|other| same_folded(other, name));
            match same {
                Some(first) => self.problems.push(Problem::Collision {
                    what: collision,
                    first: (first.to_owned(), place(first)),
                    second: (name.clone(), place(name)),
                }),
                None => more.push((hash, name)),
            }
        }
    }

    /// Checks a name's length; its place is made only when it is wrong.
    fn length(&mut self, name: &str, place: impl FnOnce() -> Place, what: &str) {
        if !name.is_empty() && name.len() <= MAX_TEXT_CHARS {
            return;
        }
        let chars = name.chars().count();
        if chars == 0 {
            self.problems.push(at(
                place(),
                format!("{what} is empty; names are 1 to {MAX_TEXT_CHARS} characters"),
                None,
            ));
        } else if chars > MAX_TEXT_CHARS {
            self.problems.push(at(
                place(),
                format!("{what} `{}` is {chars} characters; names are 1 to {MAX_TEXT_CHARS}", excerpt(name)),
                None,
            ));
        }
    }

    fn properties(&mut self, properties: &std::collections::BTreeMap<String, PropertySpec>, path: &[&str]) {
        let key = |name: &str| {
            let mut steps = path.to_vec();
            steps.push(name);
            Place::key(&steps)
        };
        self.names(properties.keys(), key, "a property name", "property");
        for (name, spec) in properties {
            let mut steps = path.to_vec();
            steps.push(name);
            self.property(name, spec, &steps);
        }
    }

    fn property(&mut self, name: &str, spec: &PropertySpec, path: &[&str]) {
        let field = |field: &str| {
            let mut steps = path.to_vec();
            steps.push(field);
            Place::value(&steps)
        };
        let kind = spec.kind;
        let given = [
            !spec.values.is_empty(),
            spec.pattern.is_some(),
            spec.min.is_some(),
            spec.max.is_some(),
            spec.min_length.is_some(),
            spec.max_length.is_some(),
        ];
        for ((key, kinds), given) in APPLIES.iter().zip(given) {
            if given && !kinds.contains(&kind) {
                let to: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
                self.problems.push(at(
                    field(key),
                    format!("`{key}` applies to {} properties; `{name}` is {}", to.join(" and "), kind.as_str()),
                    None,
                ));
            }
        }
        if kind == PropertyType::Enum {
            if spec.values.is_empty() {
                self.problems.push(at(
                    Place::value(path),
                    format!("enum `{name}` has no `values`"),
                    Some("list them: `values: [a, b]`".into()),
                ));
            }
            let mut seen: FxHashMap<u64, Vec<(usize, &str)>> = FxHashMap::default();
            for (i, value) in spec.values.iter().enumerate() {
                self.length(value, || field("values").item(i), "an enum value");
                let same = seen.entry(fold_hash(value)).or_default();
                if same.iter().any(|(_, other)| *other == value) {
                    self.problems.push(at(
                        field("values").item(i),
                        format!("the value `{value}` is listed twice"),
                        None,
                    ));
                } else if let Some(&(first, other)) = same.iter().find(|(_, other)| same_folded(other, value)) {
                    self.problems.push(Problem::Collision {
                        what: "the value",
                        first: (other.to_owned(), field("values").item(first)),
                        second: (value.clone(), field("values").item(i)),
                    });
                } else {
                    same.push((i, value));
                }
            }
        }
        if let Some(pattern) = &spec.pattern {
            let why = self
                .patterns
                .entry(pattern.clone())
                .or_insert_with(|| match crate::pattern::portable(pattern) {
                    Ok(portable) => regex::Regex::new(&portable.rust).err().map(|error| {
                        format!("does not compile: {}", error.to_string().lines().last().unwrap_or_default().trim())
                    }),
                    Err(why) => Some(why),
                })
                .clone();
            if let Some(why) = why {
                self.problems.push(at(field("pattern"), format!("`pattern` {why}"), None));
            }
        }
        if let (Some(min), Some(max)) = (spec.min, spec.max)
            && min > max
        {
            self.problems.push(at(field("min"), format!("`min` ({min}) is above `max` ({max})"), None));
        }
        if let Some(max) = spec.max_length
            && max as usize > MAX_TEXT_CHARS
        {
            self.problems.push(at(
                field("maxLength"),
                format!("`maxLength` is {max}; the API keeps at most {MAX_TEXT_CHARS} characters of a value"),
                Some(format!("use {MAX_TEXT_CHARS} or less")),
            ));
        }
        if let (Some(min), Some(max)) = (spec.min_length, spec.max_length)
            && min > max
        {
            self.problems.push(at(
                field("minLength"),
                format!("`minLength` ({min}) is above `maxLength` ({max})"),
                None,
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check_on;
    use crate::Plan;

    /// Checked on one thread or several, a plan has the same problems.
    #[test]
    fn events_checked_on_several_threads_have_the_same_problems() {
        let mut text = String::from(
            "name: P\nversion: 1-0-0\ngroups:\n  g:\n    properties:\n      a: { type: string }\n  h:\n    properties:\n      A: { type: string }\nevents:\n",
        );
        for i in 0..700 {
            let fault = match i % 7 {
                0 => "    include: [g, h]\n",
                1 => "    include: [gg]\n",
                2 => "    sunset: 2025-01-01\n",
                3 => {
                    "    properties:\n      p: { type: string, pattern: \"[\" }\n      P: { type: integer, min: 3, max: 1 }\n"
                }
                4 => "    include: [g]\n    properties:\n      a: { type: string }\n",
                _ => "    properties:\n      e: { type: enum, values: [x, X, x] }\n",
            };
            text.push_str(&format!("  event {i}:\n{fault}"));
            if i % 50 == 0 {
                text.push_str(&format!("  Event {i}:\n    properties:\n      q: {{ type: boolean, maxLength: 3 }}\n"));
            }
        }
        let plan = Plan::read_slowly("p.yaml", &text).expect_err("problems");
        assert!(plan.0.len() > 700, "{}", plan.0.len());
        let plan: Plan = crate::fast_yaml::read_yaml(&text).expect("read");
        let sorted = |threads| {
            let mut problems: Vec<String> = check_on(&plan, threads).iter().map(|p| format!("{p:?}")).collect();
            problems.sort();
            problems
        };
        let one = sorted(1);
        assert!(one.len() > 700, "{}", one.len());
        for threads in [2, 3, 8] {
            assert_eq!(sorted(threads), one, "{threads} threads");
        }
    }
}

//! What the derives read of a tracking plan, and a copy of it kept between
//! compilations.
//!
//! A proc-macro runs in a fresh process at each compilation, and in a debug
//! build it and the plan's loader are compiled without optimization: reading
//! and checking a YAML plan of 1,000 events costs about 0.2 s there, paid on
//! every edit-compile cycle of the crate. So, once a plan has been read and
//! checked, the derives keep what they need of it (its name, its policy,
//! its user properties, and each event with the groups it includes, as
//! JSON, one line per event) in `indicative-plan-cache/` under the Cargo target
//! directory. The next compilation reads the plan's bytes, and when their
//! hash, length and this crate's version match the copy's first line, it
//! reads the copy instead of the plan: the event names at once, and each
//! event only when a derive asks for it.
//!
//! The copy is only ever written for a plan that loaded without a mistake,
//! and any change to the plan's bytes misses it, so it can never hide one.
//! A copy that cannot be read is ignored and written again; one that cannot
//! be written is not kept. The directory is safe to delete.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indicative_plan_model::{EventSpec, Plan, Policy, PropertySpec};

/// The first word of a copy's first line.
const MAGIC: &str = "indicative-plan-cache";

/// A checked plan, as the derives read it: the plan itself when it was just
/// loaded, or the copy kept by an earlier compilation.
pub enum View {
    /// Loaded and checked in this compilation.
    Loaded(Arc<Plan>),
    /// Read from the copy.
    Copied(Copy),
}

/// The copy of a plan: its header (a plan with no events), and per event,
/// in name order, its name and its line (`"name"<TAB>{event}<TAB>{groups
/// it includes}`).
pub struct Copy {
    header: Plan,
    names: Vec<String>,
    lines: Vec<String>,
}

impl View {
    /// The plan's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Loaded(plan) => &plan.name,
            Self::Copied(copy) => &copy.header.name,
        }
    }

    /// The plan-wide policy for unplanned properties.
    pub fn policy(&self) -> Policy {
        match self {
            Self::Loaded(plan) => plan.policy,
            Self::Copied(copy) => copy.header.policy,
        }
    }

    /// The user properties.
    pub fn user_properties(&self) -> &BTreeMap<String, PropertySpec> {
        match self {
            Self::Loaded(plan) => &plan.user_properties,
            Self::Copied(copy) => &copy.header.user_properties,
        }
    }

    /// The planned event names, in order.
    pub fn names(&self) -> Box<dyn Iterator<Item = &str> + '_> {
        match self {
            Self::Loaded(plan) => Box::new(plan.events.keys().map(String::as_str)),
            Self::Copied(copy) => Box::new(copy.names.iter().map(String::as_str)),
        }
    }

    /// The event planned as `name`, with its groups' properties folded into
    /// its own (`include` then empty); `None` when it is not planned.
    pub fn event(&self, name: &str) -> Option<EventSpec> {
        match self {
            Self::Loaded(plan) => plan.events.get(name).map(|event| folded(plan, event)),
            Self::Copied(copy) => {
                let i = copy.names.binary_search_by(|n| n.as_str().cmp(name)).ok()?;
                let mut parts = copy.lines[i].split('\t');
                let (name_json, event_json, groups_json) = (parts.next()?, parts.next()?, parts.next()?);
                // A plan of this one event and the groups it includes, read
                // the JSON way (its checks cost little for one event, and
                // pass on a part of a plan that passed them whole).
                let text = format!(
                    "{{\"name\":\"copy\",\"version\":\"1-0-0\",\"groups\":{groups_json},\"events\":{{{name_json}:{event_json}}}}}"
                );
                let plan = Plan::from_text("plan copy", &text).ok()?;
                plan.events.values().next().map(|event| folded(&plan, event))
            }
        }
    }
}

/// `event` with the properties of the groups it includes folded into its
/// own (its own first, as `Plan::properties_of` gives them).
fn folded(plan: &Plan, event: &EventSpec) -> EventSpec {
    let mut event = event.clone();
    let grouped: Vec<(String, PropertySpec)> = event
        .include
        .iter()
        .filter_map(|g| plan.groups.get(g))
        .flat_map(|g| g.properties.iter().map(|(n, s)| (n.clone(), s.clone())))
        .collect();
    for (name, spec) in grouped {
        event.properties.entry(name).or_insert(spec);
    }
    event.include.clear();
    event
}

/// The copy's first line for a plan of `text`: the hash and length of its
/// bytes and this crate's version, which must all match for the copy to be
/// read.
fn key(text: &str) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!("{MAGIC} {} {:016x} {}", env!("CARGO_PKG_VERSION"), hasher.finish(), text.len())
}

/// The copy's text for `plan`, read from `text`.
pub fn write_copy(plan: &Plan, text: &str) -> Option<String> {
    let mut header = Plan::new(&plan.name, plan.version);
    header.policy = plan.policy;
    header.user_properties = plan.user_properties.clone();
    let mut out = format!("{}\n{}\n", key(text), serde_json::to_string(&header).ok()?);
    for (name, event) in &plan.events {
        let groups: BTreeMap<&String, &indicative_plan_model::Group> =
            event.include.iter().filter_map(|g| plan.groups.get_key_value(g)).collect();
        // JSON escapes tabs and line breaks inside strings: a line holds
        // three JSON texts, separated by tabs.
        for (i, part) in [serde_json::to_string(name), serde_json::to_string(event), serde_json::to_string(&groups)]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                out.push('\t');
            }
            out.push_str(&part.ok()?);
        }
        out.push('\n');
    }
    Some(out)
}

/// The copy in `copy`, when it was written for a plan of `text`.
pub fn read_copy(copy: &str, text: &str) -> Option<Copy> {
    let mut lines = copy.split('\n');
    if lines.next()? != key(text) {
        return None;
    }
    let header = Plan::from_text("plan copy", lines.next()?).ok()?;
    let mut names = Vec::new();
    let mut kept = Vec::new();
    for line in lines.filter(|line| !line.is_empty()) {
        let (name_json, _) = line.split_once('\t')?;
        names.push(serde_json::from_str::<String>(name_json).ok()?);
        kept.push(line.to_owned());
    }
    // Written in name order; anything else is not a copy this crate wrote.
    names.is_sorted().then_some(Copy { header, names, lines: kept })
}

/// Where the copy of the plan at `plan_path` is kept: in
/// `indicative-plan-cache/` of `CARGO_TARGET_DIR` when it is an absolute
/// path, or else of the nearest `target` directory that Cargo made (it holds
/// `CACHEDIR.TAG`) above the crate's manifest directory; `None` when there
/// is none.
pub fn copy_path(manifest_dir: &Path, plan_path: &Path) -> Option<PathBuf> {
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).filter(|dir| dir.is_absolute()).or_else(|| {
            manifest_dir.ancestors().map(|dir| dir.join("target")).find(|dir| dir.join("CACHEDIR.TAG").is_file())
        })?;
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    plan_path.hash(&mut hasher);
    let stem = plan_path.file_name().and_then(|n| n.to_str()).unwrap_or("plan");
    Some(target.join("indicative-plan-cache").join(format!("{stem}-{:016x}", hasher.finish())))
}

/// Keeps `copy` at `path`, written whole or not at all (a temporary file
/// renamed over it); a failure only means there is no copy.
pub fn keep(path: &Path, copy: &str) {
    let Some(dir) = path.parent() else { return };
    if std::fs::create_dir_all(dir).is_err() {
        return;
    }
    let temporary = path.with_extension(format!("{}.tmp", std::process::id()));
    if std::fs::write(&temporary, copy).is_ok() && std::fs::rename(&temporary, path).is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLAN: &str = "name: Shop\nversion: 1-2-0\npolicy: deny\ngroups:\n  money:\n    properties:\n      currency: { type: enum, values: [EUR, USD], required: true }\nevents:\n  \"Sign\\tUp \\\"now\\\"\":\n    status: deprecated\n    sunset: 2030-01-31\n    policy: allow\n    properties:\n      method: { type: enum, values: [email, google] }\n  Order Placed:\n    include: [money]\n    properties:\n      total: { type: number, required: true, min: 0 }\nuserProperties:\n  tier: { type: enum, values: [free, pro] }\n";

    fn views() -> (View, View) {
        let plan = Arc::new(Plan::from_text("p.yaml", PLAN).expect("the test plan loads"));
        let copy = write_copy(&plan, PLAN).expect("the copy is written");
        let read = read_copy(&copy, PLAN).expect("the copy is read back");
        (View::Loaded(plan), View::Copied(read))
    }

    #[test]
    fn a_copy_answers_as_the_plan_it_was_written_from() {
        let (loaded, copied) = views();
        assert_eq!(loaded.name(), copied.name());
        assert_eq!(loaded.policy(), copied.policy());
        assert_eq!(loaded.user_properties(), copied.user_properties());
        assert_eq!(loaded.names().collect::<Vec<_>>(), copied.names().collect::<Vec<_>>());
        assert_eq!(copied.names().count(), 2);
        for name in loaded.names() {
            assert_eq!(loaded.event(name), copied.event(name), "event {name:?}");
        }
        assert_eq!(copied.event("Sign Up"), None);
        // Groups are folded in.
        let order = copied.event("Order Placed").expect("planned");
        assert!(order.include.is_empty());
        assert_eq!(order.properties["currency"].kind, indicative_plan_model::PropertyType::Enum);
        assert!(order.properties["currency"].required);
        assert_eq!(order.properties.len(), 2);
    }

    #[test]
    fn a_copy_of_other_bytes_or_damaged_is_not_read() {
        let plan = Plan::from_text("p.yaml", PLAN).expect("the test plan loads");
        let copy = write_copy(&plan, PLAN).expect("the copy is written");
        // One byte more in the plan: another key.
        assert!(read_copy(&copy, &format!("{PLAN} ")).is_none());
        // A line cut short, lines out of order, nothing at all.
        let cut = &copy[..copy.len() - 10];
        assert!(read_copy(cut, PLAN).is_none_or(|c| View::Copied(c).event("Sign\tUp \"now\"").is_none()));
        let mut lines: Vec<&str> = copy.lines().collect();
        lines.swap(2, 3);
        assert!(read_copy(&lines.join("\n"), PLAN).is_none());
        assert!(read_copy("", PLAN).is_none());
        assert!(read_copy("garbage\n{}", PLAN).is_none());
    }

    #[test]
    fn a_copy_is_kept_whole_and_found_under_the_target_directory() {
        let root = std::env::temp_dir().join(format!("indicative-plan-cache-test-{}", std::process::id()));
        let manifest = root.join("crates/app");
        std::fs::create_dir_all(&manifest).expect("a scratch directory");
        // No target directory that Cargo made: no copy.
        if std::env::var_os("CARGO_TARGET_DIR").is_none() {
            assert_eq!(copy_path(&manifest, &manifest.join("plan.yaml")), None);
            std::fs::create_dir_all(root.join("target")).expect("a target directory");
            std::fs::write(root.join("target/CACHEDIR.TAG"), "Signature: 8a477f597d28d172789f06886806bc55")
                .expect("the tag");
            let path = copy_path(&manifest, &manifest.join("plan.yaml")).expect("under the target directory");
            assert!(path.starts_with(root.join("target/indicative-plan-cache")), "{}", path.display());
            keep(&path, "copy");
            assert_eq!(std::fs::read_to_string(&path).expect("kept"), "copy");
            assert_eq!(std::fs::read_dir(path.parent().expect("a directory")).expect("listed").count(), 1);
        }
        let _ = std::fs::remove_dir_all(&root);
    }
}

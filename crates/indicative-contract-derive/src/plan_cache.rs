//! What the derives read of a tracking plan, and a copy of it kept between
//! compilations.
//!
//! A proc-macro runs in a fresh process at each compilation, and in a debug
//! build it and the plan's loader are compiled without optimization: reading
//! and checking a YAML plan of 1,000 events costs about 0.2 s there, paid on
//! every edit-compile cycle of the crate. So, once a plan has been read and
//! checked, the derives keep what they need of it in
//! `indicative-plan-cache/` under the Cargo target directory: its name, its
//! policy, its user properties, and per event one line of tab-separated
//! fields (its status, sunset and policy, and its properties with their
//! groups' folded in, each with its type, whether it is required, and an
//! enum's values). The next compilation reads the plan's bytes, and when
//! their hash and length, the copy's format and the versions of this crate
//! and of the plan's loader match the copy's first line, it reads the copy
//! instead of the plan: the event names at once, and each event only when a
//! derive asks for it.
//!
//! The copy is only ever written for a plan that loaded without a mistake,
//! and any change to the plan's bytes misses it, so it can never hide one.
//! A copy that cannot be read is ignored and written again (an event's line
//! that cannot be read sends the derive back to the plan itself); one that
//! cannot be written is not kept. The directory is safe to delete.

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use indicative_plan_model::{EventSpec, EventStatus, Plan, Policy, PropertySpec, PropertyType};

/// The first word of a copy's first line.
const MAGIC: &str = "indicative-plan-cache";

/// The copy's format: changed whenever what a copy holds or how it is read
/// changes, so that no copy of another format is read.
const FORMAT: u32 = 1;

/// A checked plan, as the derives read it: the plan itself when it was just
/// loaded, or the copy kept by an earlier compilation.
pub enum View {
    /// Loaded and checked in this compilation.
    Loaded(Arc<Plan>),
    /// Read from the copy.
    Copied(Copy),
}

/// What the derives read of a planned event: its status and sunset, its
/// own policy, and its properties with those of its groups folded in.
#[derive(Debug, Clone, PartialEq)]
pub struct PlannedEvent {
    pub status: EventStatus,
    /// The sunset date, as the plan writes it.
    pub sunset: Option<String>,
    pub policy: Option<Policy>,
    /// By name: the type, whether required, and an enum's values.
    pub properties: BTreeMap<String, PropertySpec>,
}

impl PlannedEvent {
    fn of(plan: &Plan, event: &EventSpec) -> Self {
        let mut properties = event.properties.clone();
        for (name, spec) in event.include.iter().filter_map(|g| plan.groups.get(g)).flat_map(|g| &g.properties) {
            properties.entry(name.clone()).or_insert_with(|| spec.clone());
        }
        // Only what the derives read is kept in a copy.
        for spec in properties.values_mut() {
            *spec = PropertySpec {
                kind: spec.kind,
                required: spec.required,
                values: spec.values.clone(),
                ..Default::default()
            };
        }
        Self { status: event.status, sunset: event.sunset.map(|d| d.to_string()), policy: event.policy, properties }
    }

    /// The event's line of a copy: tab-separated fields (JSON escapes tabs
    /// and line breaks inside strings), `"name" status sunset policy`, then
    /// four per property: `"name" type required ["values"]`.
    fn line(&self, name: &str) -> Option<String> {
        let mut fields = vec![
            serde_json::to_string(name).ok()?,
            self.status.as_str().to_owned(),
            self.sunset.clone().unwrap_or_default(),
            self.policy.map(|p| p.as_str().to_owned()).unwrap_or_default(),
        ];
        for (name, spec) in &self.properties {
            fields.push(serde_json::to_string(name).ok()?);
            fields.push(spec.kind.as_str().to_owned());
            fields.push(if spec.required { "1" } else { "0" }.to_owned());
            fields.push(serde_json::to_string(&spec.values).ok()?);
        }
        Some(fields.join("\t"))
    }

    /// Reads a line [`line`](Self::line) wrote.
    fn read(line: &str) -> Option<Self> {
        let mut fields = line.split('\t');
        let _name = fields.next()?;
        let status_text = fields.next()?;
        let status = [EventStatus::Planned, EventStatus::Active, EventStatus::Deprecated]
            .into_iter()
            .find(|s| s.as_str() == status_text)?;
        let sunset = Some(fields.next()?).filter(|s| !s.is_empty()).map(str::to_owned);
        let policy = match fields.next()? {
            "" => None,
            text => Some([Policy::Allow, Policy::Warn, Policy::Deny].into_iter().find(|p| p.as_str() == text)?),
        };
        let mut properties = BTreeMap::new();
        while let Some(name) = fields.next() {
            let kind = PropertyType::parse(fields.next()?)?;
            let required = match fields.next()? {
                "1" => true,
                "0" => false,
                _ => return None,
            };
            let values: Vec<String> = match fields.next()? {
                "[]" => Vec::new(),
                values => serde_json::from_str(values).ok()?,
            };
            properties.insert(json_text(name)?, PropertySpec { kind, required, values, ..Default::default() });
        }
        Some(Self { status, sunset, policy, properties })
    }
}

/// A JSON string's text: its inside when it has no escape, else read.
fn json_text(json: &str) -> Option<String> {
    match json.strip_prefix('"').and_then(|inner| inner.strip_suffix('"')) {
        Some(inner) if !inner.contains(['\\', '"']) => Some(inner.to_owned()),
        _ => serde_json::from_str(json).ok(),
    }
}

/// The copy of a plan: its header (a plan with no events), and per event,
/// in name order, its name and its line ([`PlannedEvent::line`]).
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

    /// The event planned as `name`; `Ok(None)` when it is not planned, and
    /// `Err(())` when its line in the copy cannot be read (the caller then
    /// reads the plan itself).
    pub fn event(&self, name: &str) -> Result<Option<PlannedEvent>, ()> {
        match self {
            Self::Loaded(plan) => Ok(plan.events.get(name).map(|event| PlannedEvent::of(plan, event))),
            Self::Copied(copy) => match copy.names.binary_search_by(|n| n.as_str().cmp(name)) {
                Ok(i) => PlannedEvent::read(&copy.lines[i]).map(Some).ok_or(()),
                Err(_) => Ok(None),
            },
        }
    }
}

/// The copy's first line for a plan of `text`: the copy's format, the
/// versions of this crate and of the plan's loader, and the hash and length
/// of the plan's bytes, which must all match for the copy to be read.
fn key(text: &str) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut hasher);
    format!(
        "{MAGIC} {FORMAT} {} {} {:016x} {}",
        env!("CARGO_PKG_VERSION"),
        indicative_plan_model::VERSION,
        hasher.finish(),
        text.len()
    )
}

/// The copy's text for `plan`, read from `text`.
pub fn write_copy(plan: &Plan, text: &str) -> Option<String> {
    let mut header = Plan::new(&plan.name, plan.version);
    header.policy = plan.policy;
    header.user_properties = plan.user_properties.clone();
    let mut out = format!("{}\n{}\n", key(text), serde_json::to_string(&header).ok()?);
    for (name, event) in &plan.events {
        out.push_str(&PlannedEvent::of(plan, event).line(name)?);
        out.push('\n');
    }
    // The last line counts the events: a copy cut short is not read.
    out.push_str(&format!("end {}\n", plan.events.len()));
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
    let mut ended = false;
    for line in lines.filter(|line| !line.is_empty()) {
        if ended {
            return None;
        }
        if let Some(count) = line.strip_prefix("end ") {
            ended = count.parse() == Ok(names.len());
            if !ended {
                return None;
            }
            continue;
        }
        let (name_json, _) = line.split_once('\t')?;
        names.push(json_text(name_json)?);
        kept.push(line.to_owned());
    }
    // Written in name order; anything else is not a copy this crate wrote.
    (ended && names.is_sorted()).then_some(Copy { header, names, lines: kept })
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
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else { return };
    let temporary = path.with_file_name(format!("{name}.{}.tmp", std::process::id()));
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
            assert!(copied.event(name).expect("readable").is_some());
        }
        assert_eq!(copied.event("Sign Up"), Ok(None));
        let sign_up = copied.event("Sign\tUp \"now\"").expect("readable").expect("planned");
        assert_eq!(sign_up.sunset.as_deref(), Some("2030-01-31"));
        assert_eq!((sign_up.status, sign_up.policy), (EventStatus::Deprecated, Some(Policy::Allow)));
        assert_eq!(sign_up.properties["method"].values, ["email", "google"]);
        // Groups are folded in.
        let order = copied.event("Order Placed").expect("readable").expect("planned");
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
        for cut in [copy.len() - 2, copy.len() - 10, copy.len() / 2] {
            assert!(read_copy(&copy[..cut], PLAN).is_none(), "cut at {cut}");
        }
        let mut lines: Vec<&str> = copy.lines().collect();
        lines.swap(2, 3);
        assert!(read_copy(&lines.join("\n"), PLAN).is_none());
        assert!(read_copy("", PLAN).is_none());
        // A line damaged past its name: the copy is read, the event is not,
        // and the caller is told so (it then reads the plan).
        let damaged = copy.replace("\tnumber\t", "\tnumbr\t");
        let view = View::Copied(read_copy(&damaged, PLAN).expect("the names are intact"));
        assert_eq!(view.event("Order Placed"), Err(()));
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

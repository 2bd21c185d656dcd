//! Which planned events Rust code instruments, read from the sources with
//! `syn`: by the types that send them, not by a pattern over the text.
//!
//! An event is instrumented when the code
//! - derives it: a type with `#[derive(TrackEvent)]` (however the derive is
//!   named: `TrackEvent`, `indicative_contract::TrackEvent`), whose event name
//!   is its `#[event(name = "...")]` or the type's name; or
//! - builds its generated type (`tracking_plan!`, `indicative plan codegen
//!   rust`): a struct literal (`SignUp { .. }`) or an associated function
//!   call (`SignUp::new(..)`), through any path (`plan::SignUp::new`) or
//!   `use ... as` alias, in any module, and inside macro calls whose
//!   arguments are expressions (`vec![..]`, `assert_eq!(..)`).
//!
//! A helper function that takes or returns the type does not hide it: the
//! type is found where it is built or derived, wherever the call is. A type
//! the sources define themselves (a form struct `Login`, an enum variant
//! `Event::SignUp { .. }`) is not taken for an event's generated type of the
//! same name. What is not seen: code that macros generate (the sources are
//! read, not expanded), `#[cfg_attr(.., derive(TrackEvent))]`, and types
//! built only by generic code; `use ... as` aliases are resolved across the
//! folder, not per module.
//!
//! ```
//! use indicative_plan_rust::status::{Sources, status};
//!
//! let plan = indicative_plan_model::Plan::from_text("p.yaml", "name: P\nversion: 1-0-0\nevents:\n  Sign Up: {}\n  Log Out: {}\n")?;
//! let mut sources = Sources::default();
//! sources.add("src/lib.rs", "use plan::SignUp as Join;\nfn join() { let _ = Join::new(\"u\"); }\n");
//! let report = status(&plan, &sources);
//! assert_eq!(report.events[1].name, "Sign Up");
//! assert_eq!(report.events[1].built[0].line, 2);
//! assert!(report.events[0].built.is_empty() && report.events[0].derived.is_empty());
//! # Ok::<(), indicative_plan_model::PlanErrors>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use indicative_plan_model::suggest::did_you_mean;
use indicative_plan_model::{EventStatus, Plan};
use serde::Serialize;
use syn::spanned::Spanned;
use syn::visit::Visit;

use crate::idents::type_ident;

/// What the header of generated code says (see [`crate::codegen::source`]).
pub(crate) const GENERATED_MARK: &str = "by `indicative plan codegen rust`";

/// A place in the sources.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Site {
    /// The file, as it was given.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// The type derived or built there.
    #[serde(rename = "type")]
    pub type_name: String,
}

/// A type deriving `TrackEvent`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Derived {
    /// The event it sends.
    pub event: String,
    /// Where it is.
    #[serde(flatten)]
    pub site: Site,
}

/// A file that could not be read as Rust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unreadable {
    /// The file.
    pub file: String,
    /// 1-based line and column of the mistake.
    pub line: usize,
    /// Its column.
    pub column: usize,
    /// What syn said.
    pub message: String,
}

/// What the sources hold, file by file, before the plan is consulted.
#[derive(Debug, Default)]
pub struct Sources {
    derived: Vec<Derived>,
    /// Built types, by the name written (an alias is resolved later), with
    /// the path segment before it for a struct literal (an enum's variant
    /// is written `Enum::Variant { .. }`).
    built: Vec<(Site, Option<String>)>,
    /// Types the sources define themselves (not in generated files, and not
    /// deriving `TrackEvent`): a literal of one of these builds that type,
    /// not an event's generated type of the same name.
    defined: BTreeSet<String>,
    /// Enums the sources define.
    enums: BTreeSet<String>,
    /// `use ... as alias`: alias to the name it stands for.
    aliases: BTreeMap<String, String>,
    unreadable: Vec<Unreadable>,
}

impl Sources {
    /// Reads one Rust source file; `file` names it in the report.
    ///
    /// A file that `indicative plan codegen rust` wrote (its header says so)
    /// defines every planned event's type: its derives are definitions, not
    /// instrumentation, and are not counted (as `tracking_plan!`'s, which
    /// syn does not expand, are not).
    pub fn add(&mut self, file: &str, text: &str) {
        match syn::parse_file(text) {
            Ok(parsed) => {
                let generated =
                    text.lines().any(|line| line.starts_with("//! generated from `") && line.contains(GENERATED_MARK));
                let derived = self.derived.len();
                let mut visitor = Visitor { file, sources: self, defined: Vec::new() };
                visitor.visit_file(&parsed);
                let defined = std::mem::take(&mut visitor.defined);
                if generated {
                    self.derived.truncate(derived);
                } else {
                    self.defined.extend(defined);
                }
            }
            Err(error) => {
                let start = error.span().start();
                self.unreadable.push(Unreadable {
                    file: file.to_owned(),
                    line: start.line,
                    column: start.column + 1,
                    message: error.to_string(),
                });
            }
        }
    }

    /// The files that could not be read, with where and why.
    #[must_use]
    pub fn unreadable(&self) -> &[Unreadable] {
        &self.unreadable
    }
}

struct Visitor<'a> {
    file: &'a str,
    sources: &'a mut Sources,
    /// Types this file defines without deriving `TrackEvent`.
    defined: Vec<String>,
}

impl Visitor<'_> {
    fn site(&self, span: proc_macro2::Span, type_name: String) -> Site {
        Site { file: self.file.to_owned(), line: span.start().line, type_name }
    }

    fn derived(&mut self, ident: &syn::Ident, attrs: &[syn::Attribute]) {
        let derives_track_event = attrs.iter().filter(|a| a.path().is_ident("derive")).any(|a| {
            a.parse_args_with(syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated)
                .is_ok_and(|paths| paths.iter().any(|p| p.segments.last().is_some_and(|s| s.ident == "TrackEvent")))
        });
        if !derives_track_event {
            self.defined.push(ident.to_string());
            return;
        }
        let mut event = ident.to_string();
        for attr in attrs.iter().filter(|a| a.path().is_ident("event")) {
            // Other keys are the derive's business; only the name is read here.
            let _ = attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("name") {
                    let name: syn::LitStr = meta.value()?.parse()?;
                    event = name.value();
                } else if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
        }
        let site = self.site(ident.span(), ident.to_string());
        self.sources.derived.push(Derived { event, site });
    }

    fn built(&mut self, path: &syn::Path, type_segment_from_end: usize) {
        let segments: Vec<&syn::PathSegment> = path.segments.iter().collect();
        if segments.len() < type_segment_from_end {
            return;
        }
        let at = segments.len() - type_segment_from_end;
        let name = segments[at].ident.to_string();
        if name == "Self" {
            return;
        }
        let before = at.checked_sub(1).map(|i| segments[i].ident.to_string());
        let site = self.site(path.span(), name);
        self.sources.built.push((site, before));
    }

    fn use_tree(&mut self, tree: &syn::UseTree) {
        match tree {
            syn::UseTree::Path(path) => self.use_tree(&path.tree),
            syn::UseTree::Rename(rename) => {
                self.sources.aliases.insert(rename.rename.to_string(), rename.ident.to_string());
            }
            syn::UseTree::Group(group) => group.items.iter().for_each(|t| self.use_tree(t)),
            syn::UseTree::Name(_) | syn::UseTree::Glob(_) => {}
        }
    }
}

impl<'ast> Visit<'ast> for Visitor<'_> {
    fn visit_item_struct(&mut self, item: &'ast syn::ItemStruct) {
        self.derived(&item.ident, &item.attrs);
        syn::visit::visit_item_struct(self, item);
    }

    fn visit_item_enum(&mut self, item: &'ast syn::ItemEnum) {
        self.derived(&item.ident, &item.attrs);
        self.sources.enums.insert(item.ident.to_string());
        syn::visit::visit_item_enum(self, item);
    }

    fn visit_item_type(&mut self, item: &'ast syn::ItemType) {
        self.defined.push(item.ident.to_string());
        syn::visit::visit_item_type(self, item);
    }

    fn visit_item_union(&mut self, item: &'ast syn::ItemUnion) {
        self.defined.push(item.ident.to_string());
        syn::visit::visit_item_union(self, item);
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        self.use_tree(&item.tree);
    }

    fn visit_expr_struct(&mut self, expr: &'ast syn::ExprStruct) {
        self.built(&expr.path, 1);
        syn::visit::visit_expr_struct(self, expr);
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let syn::Expr::Path(path) = &*call.func {
            self.built(&path.path, 2);
        }
        syn::visit::visit_expr_call(self, call);
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // Arguments that are expressions (vec!, assert_eq!, format args):
        // the code in them counts like any other.
        let parser = syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated;
        if let Ok(exprs) = mac.parse_body_with(parser) {
            for expr in &exprs {
                self.visit_expr(expr);
            }
        } else if let Ok(block) = mac.parse_body_with(syn::Block::parse_within) {
            for stmt in &block {
                self.visit_stmt(stmt);
            }
        }
    }
}

/// One planned event and where the code instruments it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct EventStatusReport {
    /// The event's name.
    pub name: String,
    /// Its status in the plan.
    pub status: &'static str,
    /// The name of its generated type.
    pub generated_type: String,
    /// Types deriving it.
    pub derived: Vec<Site>,
    /// Places building its generated type.
    pub built: Vec<Site>,
}

impl EventStatusReport {
    /// Whether any code derives or builds it.
    #[must_use]
    pub fn instrumented(&self) -> bool {
        !self.derived.is_empty() || !self.built.is_empty()
    }
}

/// A derived event the plan does not have.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct UnplannedReport {
    /// The event's name.
    pub name: String,
    /// Where it is derived.
    #[serde(flatten)]
    pub site: Site,
    /// The planned name closest to it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub did_you_mean: Option<String>,
}

/// Per planned event, whether code instruments it; and derived events the
/// plan does not have.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Status {
    /// The planned events, in the plan's order (by name).
    pub events: Vec<EventStatusReport>,
    /// Derived events not in the plan.
    pub unplanned: Vec<UnplannedReport>,
    /// Active planned events no code instruments (planned and deprecated
    /// events are not expected to be).
    pub missing: Vec<String>,
}

/// The status of `plan` in `sources`.
#[must_use]
pub fn status(plan: &Plan, sources: &Sources) -> Status {
    let derived_types: BTreeSet<&str> = sources.derived.iter().map(|d| d.site.type_name.as_str()).collect();
    let resolve = |name: &str| sources.aliases.get(name).map_or(name, String::as_str).to_owned();
    let mut built: BTreeMap<String, Vec<Site>> = BTreeMap::new();
    for (site, before) in &sources.built {
        // `Enum::Variant { .. }` builds a variant, not a type.
        if before.as_ref().is_some_and(|b| sources.enums.contains(b)) {
            continue;
        }
        let resolved = resolve(&site.type_name);
        // A type that derives TrackEvent counts by its derive, not its name;
        // a type the sources define themselves is not a generated type.
        if derived_types.contains(resolved.as_str()) || sources.defined.contains(&resolved) {
            continue;
        }
        built.entry(resolved.clone()).or_default().push(Site { type_name: resolved, ..site.clone() });
    }
    let mut events = Vec::new();
    let mut missing = Vec::new();
    for (name, spec) in &plan.events {
        let generated_type = type_ident(name);
        let mut derived: Vec<Site> =
            sources.derived.iter().filter(|d| d.event == *name).map(|d| d.site.clone()).collect();
        derived.sort();
        let mut built = built.get(&generated_type).cloned().unwrap_or_default();
        built.sort();
        let report =
            EventStatusReport { name: name.clone(), status: spec.status.as_str(), generated_type, derived, built };
        if !report.instrumented() && spec.status == EventStatus::Active {
            missing.push(name.clone());
        }
        events.push(report);
    }
    let mut unplanned: Vec<UnplannedReport> = sources
        .derived
        .iter()
        .filter(|d| !plan.events.contains_key(&d.event))
        .map(|d| UnplannedReport {
            name: d.event.clone(),
            site: d.site.clone(),
            did_you_mean: did_you_mean(&d.event, plan.events.keys().map(String::as_str)).map(str::to_owned),
        })
        .collect();
    unplanned.sort_by(|a, b| a.site.cmp(&b.site));
    Status { events, unplanned, missing }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan() -> Plan {
        Plan::from_text(
            "p.yaml",
            "name: P\nversion: 1-0-0\nevents:\n  Sign Up: {}\n  Log In: {}\n  Log Out: {}\n  Order Placed: { status: deprecated }\n  Later: { status: planned }\n",
        )
        .expect("a plan")
    }

    #[test]
    fn derives_builds_aliases_helpers_and_macros_count() {
        let mut sources = Sources::default();
        // Saying what generates code is not being generated code.
        sources.add(
            "src/events.rs",
            r#"//! Derived by hand; the others are printed by `indicative plan codegen rust`.
            #[derive(Debug, indicative_contract::TrackEvent)]
            #[event(name = "Log In", plan = "x.yaml")]
            pub struct Login { #[event(unique_id)] user: String }

            #[derive(TrackEvent)]
            struct SignUpp { #[event(unique_id)] user: String }
            "#,
        );
        sources.add(
            "src/app.rs",
            r#"
            use crate::tracking_plan::{SignUp as Registration, LogOut};
            mod inner {
                pub fn helper() -> crate::tracking_plan::LogOut {
                    crate::tracking_plan::LogOut { unique_id: "u".into(), event_time: None }
                }
            }
            fn send() { let all = vec![Registration::new("u")]; }
            "#,
        );
        let report = status(&plan(), &sources);
        let by_name: BTreeMap<&str, &EventStatusReport> = report.events.iter().map(|e| (e.name.as_str(), e)).collect();
        assert_eq!(
            by_name["Log In"].derived,
            [Site { file: "src/events.rs".into(), line: 4, type_name: "Login".into() }]
        );
        assert_eq!(by_name["Sign Up"].built, [Site { file: "src/app.rs".into(), line: 8, type_name: "SignUp".into() }]);
        assert_eq!(by_name["Log Out"].built.len(), 1);
        assert_eq!(by_name["Log Out"].built[0].line, 5);
        // Deprecated and planned events are not missing; nothing else is.
        assert!(report.missing.is_empty(), "{:?}", report.missing);
        assert_eq!(report.unplanned.len(), 1);
        assert_eq!(report.unplanned[0].name, "SignUpp");
        assert_eq!(report.unplanned[0].did_you_mean.as_deref(), Some("Sign Up"));
    }

    #[test]
    fn types_of_the_same_name_that_the_sources_define_are_not_events() {
        let mut sources = Sources::default();
        sources.add(
            "src/forms.rs",
            r#"
            pub struct LogIn { pub username: String }
            pub enum Analytics { SignUp { id: u32 }, LogOut(u32) }
            type LogOut = u32;
            fn f() {
                let form = LogIn { username: String::new() };
                let e = Analytics::SignUp { id: 1 };
                let n = LogOut::from(3u8);
            }
            "#,
        );
        let report = status(&plan(), &sources);
        assert!(report.events.iter().all(|e| !e.instrumented()), "{report:?}");
        assert_eq!(report.missing, ["Log In", "Log Out", "Sign Up"]);
    }

    #[test]
    fn an_event_nobody_sends_is_missing_and_a_broken_file_is_reported() {
        let mut sources = Sources::default();
        sources.add("src/broken.rs", "fn f( {\n");
        let report = status(&plan(), &sources);
        assert_eq!(report.missing, ["Log In", "Log Out", "Sign Up"]);
        assert_eq!(sources.unreadable().len(), 1);
        assert_eq!(sources.unreadable()[0].file, "src/broken.rs");
    }

    /// The code `indicative plan codegen rust` writes defines the events'
    /// types; it does not send them.
    #[cfg(feature = "source")]
    #[test]
    fn generated_code_is_not_instrumentation() {
        let plan = plan();
        let mut sources = Sources::default();
        sources.add("src/generated.rs", &crate::codegen::source(&plan, "p.yaml").expect("code"));
        assert!(sources.unreadable().is_empty());
        let report = status(&plan, &sources);
        assert!(report.events.iter().all(|e| !e.instrumented()), "{report:?}");
        assert_eq!(report.missing, ["Log In", "Log Out", "Sign Up"]);
    }
}

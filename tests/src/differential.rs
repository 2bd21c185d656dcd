//! The judge of a difference between the strict profile and a JSON Schema
//! validator: which rules of the engine, that no schema can state, explain
//! it. Shared by the differential test (`tests/tests/validators.rs`) and the
//! fuzz targets (`fuzz/`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::OnceLock;

use indicative_contract::{
    LintOptions, Profile, Report, RequestInfo, RequestKind, Rule, Severity, lint_body, lint_query,
};
use serde_json::Value;

use crate::corpus::Case;

/// The options of the differential: the strict profile, a fixed "now".
#[must_use]
pub fn strict() -> LintOptions {
    LintOptions::new(1_700_006_400_000).with_profile(Profile::Strict)
}

/// The committed schema of `kind` (`schemas/<kind>.schema.json`).
///
/// # Panics
///
/// When the file is missing or not JSON.
#[must_use]
pub fn committed(kind: RequestKind) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas").join(format!("{}.schema.json", kind.name()));
    serde_json::from_slice(&std::fs::read(&path).expect("a committed schema")).expect("JSON")
}

/// The `jsonschema` crate's validators of every committed schema, one set per
/// regex engine.
pub struct Validators {
    /// Patterns under `fancy-regex` (the crate's default).
    pub fancy: BTreeMap<RequestKind, jsonschema::Validator>,
    /// Patterns under `regex`.
    pub regex: BTreeMap<RequestKind, jsonschema::Validator>,
}

impl Validators {
    /// The validators, built once per process.
    ///
    /// # Panics
    ///
    /// When a committed schema does not compile.
    #[must_use]
    pub fn get() -> &'static Self {
        static ALL: OnceLock<Validators> = OnceLock::new();
        ALL.get_or_init(|| {
            let build = |regex: bool| {
                RequestKind::ALL
                    .into_iter()
                    .map(|kind| {
                        let options = jsonschema::options();
                        let options = if regex {
                            options.with_pattern_options(jsonschema::PatternOptions::regex())
                        } else {
                            options.with_pattern_options(jsonschema::PatternOptions::fancy_regex())
                        };
                        (kind, options.build(&committed(kind)).expect("a schema compiles"))
                    })
                    .collect()
            };
            Self { fancy: build(false), regex: build(true) }
        })
    }
}

/// The engine's report on a case, with the path's key when it has one.
#[must_use]
pub fn engine(case: &Case) -> Report {
    if let Some(query) = &case.query {
        return lint_query(query, &RequestInfo::default(), &strict());
    }
    let path = case.path_key.then(|| format!("{}/3f2a9c7e-5b1d", case.kind.path()));
    let info = RequestInfo { path, ..RequestInfo::of_kind(case.kind) };
    lint_body(case.text.as_bytes(), &info, &strict())
}

/// The rules that explain why the engine (whose report is `report`) and a
/// validator (accepting when `validator_ok`) differ on `case`, whose parsed
/// document, if serde_json has one, is `instance`.
///
/// # Errors
///
/// A difference that no rule explains: a fault of the schema or the engine.
pub fn explain(
    case: &Case,
    report: &Report,
    instance: Option<&Value>,
    validator_ok: bool,
) -> Result<BTreeSet<Rule>, String> {
    if validator_ok {
        refused_only_by_the_engine(case, report, instance)
    } else if case.path_key
        && let Some(Value::Object(members)) = instance
    {
        // The kind's schema wants the key in the body; with one added, it
        // must accept what the engine does.
        let mut keyed = members.clone();
        keyed.insert("apiKey".into(), "3f2a9c7e-5b1d".into());
        if Validators::get().fancy[&case.kind].is_valid(&Value::Object(keyed)) {
            Ok(BTreeSet::from([Rule::MissingApiKey]))
        } else {
            Err("refused by a validator, even with the path's key in the body".into())
        }
    } else {
        Err("refused by a validator, accepted by the engine".into())
    }
}

fn refused_only_by_the_engine(
    case: &Case,
    report: &Report,
    instance: Option<&Value>,
) -> Result<BTreeSet<Rule>, String> {
    if case.query.is_none() && report.of(Rule::DuplicateKey).next().is_some() {
        let Some(instance) = instance else {
            // No document for serde_json (`1e400` has no f64), while other
            // parsers have one: every error must lie in a repeated member.
            let repeated: Vec<&str> = report.of(Rule::DuplicateKey).map(|d| d.pointer.as_str()).collect();
            let mut errors = report.diagnostics.iter().filter(|d| d.severity == Severity::Error);
            return if errors.all(|d| repeated.iter().any(|r| d.pointer.starts_with(r))) {
                Ok(BTreeSet::from([Rule::DuplicateKey]))
            } else {
                Err("an error outside the repeated members, and no document for serde_json".into())
            };
        };
        // A validator sees the value its parser keeps (the last): on that
        // document the engine must agree, or explain why not.
        let deduplicated = Case { text: serde_json::to_string(instance).expect("JSON"), ..case.clone() };
        let again = engine(&deduplicated);
        return if again.has_errors() {
            refused_only_by_the_engine(&deduplicated, &again, Some(instance))
        } else {
            Ok(BTreeSet::from([Rule::DuplicateKey]))
        };
    }
    let mut rules = BTreeSet::new();
    for diagnostic in report.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        let explained = match diagnostic.rule {
            Rule::InvalidJson | Rule::PropertyCountMismatch | Rule::InvalidQueryEncoding => true,
            // Only a text of the ISO syntax (or, in a GET, a decimal) may be
            // refused for its calendar or range: a pattern checks the syntax.
            Rule::InvalidEventTime | Rule::NegativeEventTime => {
                time_text(instance.and_then(|i| i.pointer(&diagnostic.pointer)), case.query.is_some())
            }
            _ => false,
        };
        if !explained {
            return Err(format!("{} at {} is expressible", diagnostic.rule.code(), diagnostic.pointer));
        }
        rules.insert(diagnostic.rule);
    }
    if rules.is_empty() { Err("no error, yet refused".into()) } else { Ok(rules) }
}

/// Whether `value` is a string of the ISO syntax, or (in a GET) a decimal.
fn time_text(value: Option<&Value>, decimal_too: bool) -> bool {
    static ISO: OnceLock<jsonschema::Validator> = OnceLock::new();
    let iso = ISO.get_or_init(|| {
        jsonschema::options()
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .build(&serde_json::json!({"pattern": indicative_contract::EVENT_TIME_ISO_PATTERN}))
            .expect("the pattern")
    });
    let Some(Value::String(text)) = value else { return false };
    let whole = |digits: &str| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let decimal = match text.split_once('.') {
        Some((int, fraction)) => whole(int) && whole(fraction),
        None => whole(text),
    };
    iso.is_valid(&Value::String(text.clone())) || (decimal_too && decimal)
}

/// The rules a kind's schema lists under `x-inexpressible`, by code.
///
/// # Panics
///
/// When an entry is not `code: what` with a rule's code.
#[must_use]
pub fn listed(kind: RequestKind) -> BTreeSet<Rule> {
    indicative_contract::schema::inexpressible(kind)
        .iter()
        .map(|entry| {
            let (code, _) = entry.split_once(": ").expect("`code: what`");
            Rule::from_code(code).unwrap_or_else(|| panic!("{kind}: {code} is not a rule"))
        })
        .collect()
}

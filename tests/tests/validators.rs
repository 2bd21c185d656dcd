//! One verdict under every validator: each payload of the differential
//! corpus (`indicative_tests::corpus`) is judged by the strict profile and by
//! JSON Schema validators on the committed schemas: the `jsonschema` crate
//! with each of its regex engines (`fancy-regex`, `regex`), and, when
//! `scripts/check-validators.sh` runs them and sets
//! `INDICATIVE_FOREIGN_VERDICTS` to their directory, Python's `jsonschema`
//! (patterns under `re`) and Ajv (patterns under ECMA-262).
//!
//! Every disagreement must be explained by a rule of the engine that a
//! schema cannot state, and the set of rules that explain some disagreement
//! is the schema's `x-inexpressible` list: derived here from the verdicts,
//! so that the list cannot go stale in either direction.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indicative_contract::schema::inexpressible;
use indicative_contract::{
    LintOptions, Profile, Report, RequestInfo, RequestKind, Rule, Severity, lint_body, lint_query,
};
use indicative_tests::corpus::{Case, corpus};
use serde_json::Value;

fn strict() -> LintOptions {
    LintOptions::new(1_700_006_400_000).with_profile(Profile::Strict)
}

fn committed(kind: RequestKind) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas").join(format!("{}.schema.json", kind.name()));
    serde_json::from_slice(&std::fs::read(&path).expect("a committed schema")).expect("JSON")
}

/// The crate's validators of every kind, one per regex engine.
struct CrateValidators {
    fancy: BTreeMap<&'static str, jsonschema::Validator>,
    regex: BTreeMap<&'static str, jsonschema::Validator>,
}

impl CrateValidators {
    fn new() -> Self {
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
                    (kind.name(), options.build(&committed(kind)).expect("a schema compiles"))
                })
                .collect()
        };
        Self { fancy: build(false), regex: build(true) }
    }
}

/// The verdicts of validators in other languages, by validator and case id.
fn foreign_verdicts(cases: usize) -> Option<BTreeMap<String, Vec<Option<bool>>>> {
    let dir = PathBuf::from(std::env::var_os("INDICATIVE_FOREIGN_VERDICTS")?);
    let mut all = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_none_or(|e| e != "ndjson") {
            continue;
        }
        let mut verdicts = vec![None; cases];
        let mut seen = vec![false; cases];
        let text = std::fs::read_to_string(&path).expect("verdicts");
        for line in text.lines() {
            let row: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{}: {e}: {line}", path.display()));
            let id = usize::try_from(row["id"].as_u64().expect("an id")).expect("an index");
            verdicts[id] = row["valid"].as_bool();
            seen[id] = true;
        }
        assert!(seen.iter().all(|&s| s), "{} misses cases: run scripts/check-validators.sh", path.display());
        let name = path.file_stem().expect("a name").to_string_lossy().into_owned();
        all.insert(name, verdicts);
    }
    assert!(!all.is_empty(), "no verdicts in {}", dir.display());
    Some(all)
}

fn engine(case: &Case) -> Report {
    if let Some(query) = &case.query {
        return lint_query(query, &RequestInfo::default(), &strict());
    }
    let path = case.path_key.then(|| format!("{}/3f2a9c7e-5b1d", case.kind.path()));
    let info = RequestInfo { path, ..RequestInfo::of_kind(case.kind) };
    lint_body(case.text.as_bytes(), &info, &strict())
}

/// Why the engine refuses what a validator accepts, or accepts what it
/// refuses: the rules, or an unexplained difference.
fn causes(
    validators: &CrateValidators,
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
        if validators.fancy[case.kind.name()].is_valid(&Value::Object(keyed)) {
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
        // A validator sees the value its parser keeps (the last): on that
        // document the engine must agree, or explain why not.
        let Some(instance) = instance else {
            // No document for serde_json (`1e400` has no f64), while other
            // parsers have one: every error must lie in a repeated member.
            let repeated: Vec<&str> = report.of(Rule::DuplicateKey).map(|d| d.pointer.as_str()).collect();
            let errors = report.diagnostics.iter().filter(|d| d.severity == Severity::Error);
            return if errors.clone().all(|d| repeated.iter().any(|r| d.pointer.starts_with(r))) {
                Ok(BTreeSet::from([Rule::DuplicateKey]))
            } else {
                Err("an error outside the repeated members, and no document for serde_json".into())
            };
        };
        let deduplicated = serde_json::to_string(instance).expect("JSON");
        let again = engine(&Case { text: deduplicated.clone(), ..case.clone() });
        return if again.has_errors() {
            refused_only_by_the_engine(&Case { text: deduplicated, ..case.clone() }, &again, Some(instance))
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
    let Some(Value::String(text)) = value else { return false };
    let iso = regex_lite_iso().is_valid(&Value::String(text.clone()));
    let decimal = !text.is_empty()
        && text.split_once('.').map_or(text.as_str(), |(i, _)| i).bytes().all(|b| b.is_ascii_digit())
        && text.split_once('.').is_none_or(|(_, f)| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    iso || (decimal_too && decimal)
}

fn regex_lite_iso() -> &'static jsonschema::Validator {
    static ISO: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    ISO.get_or_init(|| {
        jsonschema::options()
            .with_pattern_options(jsonschema::PatternOptions::regex())
            .build(&serde_json::json!({"pattern": indicative_contract::EVENT_TIME_ISO_PATTERN}))
            .expect("the pattern")
    })
}

/// The rules a kind's schema lists under `x-inexpressible`, by code.
fn listed(kind: RequestKind) -> BTreeSet<String> {
    let committed: Vec<String> = committed(kind)["x-inexpressible"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|entry| entry.as_str().expect("text").to_owned())
        .collect();
    assert_eq!(committed, inexpressible(kind), "{kind}: run cargo xtask codegen");
    committed
        .iter()
        .map(|entry| {
            let (code, _) = entry.split_once(": ").expect("`code: what`");
            assert!(Rule::from_code(code).is_some(), "{kind}: {code} is not a rule");
            code.to_owned()
        })
        .collect()
}

#[test]
fn every_validator_agrees_with_the_strict_profile_outside_the_listed_rules() {
    let cases = corpus();
    let crate_validators = CrateValidators::new();
    let foreign = foreign_verdicts(cases.len());
    let mut derived: BTreeMap<RequestKind, BTreeSet<String>> = BTreeMap::new();
    let mut by_validator: BTreeMap<String, usize> = BTreeMap::new();
    let mut unexplained = Vec::new();
    for (id, case) in cases.iter().enumerate() {
        let report = engine(case);
        let engine_ok = !report.has_errors();
        let instance: Option<Value> = serde_json::from_str(&case.text).ok();
        let mut verdicts: Vec<(String, Option<bool>)> = vec![
            (
                "jsonschema-rs (fancy-regex)".into(),
                instance.as_ref().map(|i| crate_validators.fancy[case.kind.name()].is_valid(i)),
            ),
            (
                "jsonschema-rs (regex)".into(),
                instance.as_ref().map(|i| crate_validators.regex[case.kind.name()].is_valid(i)),
            ),
        ];
        for (name, all) in foreign.iter().flatten() {
            verdicts.push((name.clone(), all[id]));
        }
        for (validator, verdict) in verdicts {
            // A parser that refuses the text refuses the payload.
            let validator_ok = verdict.unwrap_or(false);
            if validator_ok == engine_ok {
                continue;
            }
            *by_validator.entry(validator.clone()).or_default() += 1;
            match causes(&crate_validators, case, &report, instance.as_ref(), validator_ok) {
                Ok(rules) => {
                    derived.entry(case.kind).or_default().extend(rules.iter().map(|r| r.code().to_owned()));
                }
                Err(why) => unexplained.push(format!(
                    "#{id} {} under {validator}: {why}\n  {}\n  {}\n  {:?}",
                    case.kind,
                    case.query.as_deref().unwrap_or_default(),
                    case.text.chars().take(300).collect::<String>(),
                    report.diagnostics.iter().map(|d| (d.rule.code(), d.pointer.as_str())).collect::<Vec<_>>(),
                )),
            }
        }
    }
    assert!(unexplained.is_empty(), "{} unexplained differences:\n{}", unexplained.len(), unexplained.join("\n"));
    let mut stale = Vec::new();
    for kind in RequestKind::ALL {
        let listed = listed(kind);
        let derived = derived.remove(&kind).unwrap_or_default();
        for code in derived.difference(&listed) {
            stale.push(format!("{kind}: {code} explains a difference but is not listed"));
        }
        if foreign.is_some() {
            for code in listed.difference(&derived) {
                stale.push(format!("{kind}: {code} is listed but no validator differs on it"));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "x-inexpressible is stale (differences by validator: {by_validator:?}):\n{}",
        stale.join("\n")
    );
    if let Some(foreign) = &foreign {
        println!("judged {} payloads with the strict profile, jsonschema-rs and {:?}", cases.len(), foreign.keys());
    }
}

#[test]
fn the_corpus_has_every_near_miss_the_issue_names() {
    let cases = corpus();
    let has = |needle: &str| {
        cases.iter().any(|c| c.text.contains(needle) || c.query.as_deref().is_some_and(|q| q.contains(needle)))
    };
    for needle in [
        "2018-07-22\\n",
        "2018-07-22T00:03:57Z\\n",
        "\\ud800",
        &"😀".repeat(255),
        "+05:30",
        "2024-02-29",
        "2023-02-29",
        "%E2%82",
    ] {
        assert!(has(needle), "{needle}");
    }
}

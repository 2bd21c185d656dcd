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
use std::path::PathBuf;

use indicative_contract::RequestKind;
use indicative_contract::schema::inexpressible;
use indicative_tests::corpus::corpus;
use indicative_tests::differential::{Validators, committed, engine, explain, listed};
use serde_json::Value;

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

#[test]
fn every_validator_agrees_with_the_strict_profile_outside_the_listed_rules() {
    let cases = corpus();
    let crate_validators = Validators::get();
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
                instance.as_ref().map(|i| crate_validators.fancy[&case.kind].is_valid(i)),
            ),
            ("jsonschema-rs (regex)".into(), instance.as_ref().map(|i| crate_validators.regex[&case.kind].is_valid(i))),
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
            match explain(case, &report, instance.as_ref(), validator_ok) {
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
        let committed: Vec<String> = committed(kind)["x-inexpressible"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|entry| entry.as_str().expect("text").to_owned())
            .collect();
        assert_eq!(committed, inexpressible(kind), "{kind}: run cargo xtask codegen");
        let listed: BTreeSet<String> = listed(kind).iter().map(|rule| rule.code().to_owned()).collect();
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

//! Snapshots of the reports for every sample under `examples/payloads`, and a
//! check that each `bad/<code>.*` sample shows the rule it is named after.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use indicative_contract::input::{Format, Payload, split};
use indicative_contract::{LintOptions, Linter, Rule, Status, line_column, normalize_body, normalize_query};

/// 2023-11-15T00:00:00Z, as the sample linter uses.
const NOW: i64 = 1_700_006_400_000;

fn samples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/payloads");
    let mut files = Vec::new();
    for dir in ["good", "bad"] {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(root.join(dir)).expect("sample folder").map(|e| e.expect("entry").path()).collect();
        entries.sort();
        files.extend(entries);
    }
    files
}

fn format_of(path: &Path) -> Format {
    path.extension().and_then(|e| e.to_str()).and_then(Format::from_extension).expect("a sample of a known format")
}

/// The report of one file as a person reads it.
fn render(path: &Path) -> (String, Vec<Rule>, Vec<Status>) {
    let content = std::fs::read(path).expect("readable sample");
    let mut linter = Linter::new(LintOptions::new(NOW));
    let mut out = String::new();
    let (mut rules, mut statuses) = (Vec::new(), Vec::new());
    for doc in split(format_of(path), &content).expect("splittable sample") {
        let report = doc.lint(&mut linter);
        statuses.push(report.status);
        writeln!(out, "document {} (line {}): {} -> {}", doc.index, doc.line, report.kind, report.status).ok();
        for d in &report.diagnostics {
            rules.push(d.rule);
            let (line, column) = match doc.offset {
                Some(offset) => line_column(&content, offset + d.span.start),
                None => d.line_column(doc.source()),
            };
            writeln!(out, "  {line}:{column} {}[{}] {} {:?}: {}", d.severity, d.rule, d.status, d.pointer, d.message)
                .ok();
            if let Some(help) = &d.help {
                writeln!(out, "      help: {help}").ok();
            }
        }
        let stored = match &doc.payload {
            Payload::Body { bytes, request } => normalize_body(bytes, &report, request),
            Payload::Query { url, .. } => normalize_query(url, &report),
        };
        if let Some(stored) = stored {
            writeln!(out, "  stored: {stored}").ok();
        }
    }
    (out, rules, statuses)
}

#[test]
fn sample_reports() {
    for path in samples() {
        let name = format!(
            "{}__{}",
            path.parent().and_then(Path::file_name).and_then(|n| n.to_str()).unwrap_or_default(),
            path.file_name().and_then(|n| n.to_str()).unwrap_or_default()
        );
        let (report, _, _) = render(&path);
        insta::assert_snapshot!(name, report);
    }
}

#[test]
fn good_samples_are_clean_and_bad_ones_show_their_rule() {
    let mut shown = std::collections::BTreeSet::new();
    for path in samples() {
        let (report, rules, statuses) = render(&path);
        shown.extend(rules.iter().copied());
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if path.parent().is_some_and(|p| p.ends_with("good")) {
            assert!(rules.is_empty(), "{}: {report}", path.display());
            assert!(statuses.iter().all(|s| *s == Status::Ok), "{}", path.display());
        } else if let Some(rule) = Rule::from_code(stem) {
            assert!(rules.contains(&rule), "{} does not show {rule}:\n{report}", path.display());
        }
    }
    // Every rule appears somewhere in the corpus, except the body-size warning
    // (a 1 MiB sample would weigh down the repository; tests/rules.rs covers it).
    let missing: Vec<_> =
        Rule::ALL.iter().filter(|r| !shown.contains(r) && **r != Rule::PayloadOver1mb && !r.is_plan()).collect();
    assert!(
        missing.is_empty(),
        "rules no sample under examples/payloads/bad shows: {missing:?} (CONTRIBUTING.md, step 5)"
    );
}

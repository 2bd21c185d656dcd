//! Every rule's documentation (`docs/rules/<code>.md`) has its four parts,
//! and tells the truth: its example is flagged by the rule, and its fix
//! lints clean. These texts feed `indicative explain`, the SARIF rule help
//! and `docs/contract.md`.

use std::path::Path;

use indicative_contract::{LintOptions, Report, RequestInfo, Rule, RuleDoc, lint_body, lint_query};

/// 2024-06-01T00:00:00Z: the "now" the examples are written for.
const NOW: i64 = 1_717_200_000_000;

/// Examples too large to show whole: they are abbreviated in a `text` block.
const ABBREVIATED: [Rule; 2] = [Rule::PayloadOver1mb, Rule::BatchOverRecommendedSize];

/// The one fenced code block of a part: its language tag and its text.
fn block(rule: Rule, part: &str, text: &str) -> (String, String) {
    let blocks: Vec<&str> = text.split("```").collect();
    assert_eq!(
        blocks.len(),
        3,
        "docs/rules/{rule}.md: the {part} part must hold exactly one fenced code block (CONTRIBUTING.md, step 2)"
    );
    let (tag, body) = blocks[1].split_once('\n').unwrap_or((blocks[1], ""));
    (tag.trim().to_owned(), body.to_owned())
}

/// Lints a `json` body, or an `http` request: `METHOD TARGET`, headers, a
/// blank line and the body.
fn lint(rule: Rule, tag: &str, text: &str) -> Report {
    let options = LintOptions::new(NOW);
    match tag {
        "json" => lint_body(text.as_bytes(), &RequestInfo::default(), &options),
        "http" => {
            let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
            let mut lines = head.lines();
            let request_line = lines.next().unwrap_or_default();
            let (method, target) = request_line
                .split_once(' ')
                .unwrap_or_else(|| panic!("docs/rules/{rule}.md: `{request_line}` is not `METHOD TARGET`"));
            let content_type = lines
                .filter_map(|l| l.split_once(':'))
                .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-type"))
                .map(|(_, value)| value.trim());
            let info = RequestInfo::http(method, target, content_type);
            if method.eq_ignore_ascii_case("GET") {
                lint_query(target, &info, &options)
            } else {
                lint_body(body.as_bytes(), &info, &options)
            }
        }
        other => panic!("docs/rules/{rule}.md: a `{other}` block cannot be linted; use json or http"),
    }
}

#[test]
fn every_rule_has_the_four_parts_in_order() {
    for &rule in Rule::ALL {
        let text = rule.documentation();
        let headings: Vec<&str> = text.lines().filter_map(|l| l.strip_prefix("## ")).collect();
        assert_eq!(
            headings,
            RuleDoc::HEADINGS,
            "docs/rules/{rule}.md must have exactly the headings {:?}, in order (CONTRIBUTING.md, step 2)",
            RuleDoc::HEADINGS
        );
        assert!(text.starts_with("## What it flags"), "docs/rules/{rule}.md: nothing may come before the first part");
        let doc = rule.doc();
        for (part, body) in RuleDoc::HEADINGS.iter().zip([doc.flags, doc.why, doc.example, doc.fix]) {
            assert!(
                !body.trim().is_empty(),
                "docs/rules/{rule}.md: the part `{part}` is empty (CONTRIBUTING.md, step 2)"
            );
        }
    }
}

/// The API's rules; a plan rule's example needs its plan, and
/// `indicative-plan`'s own `tests/rule_docs.rs` lints those.
fn api_rules() -> impl Iterator<Item = Rule> {
    Rule::ALL.iter().copied().filter(|r| !r.is_plan())
}

#[test]
fn every_example_is_flagged_by_its_rule() {
    for rule in api_rules() {
        let (tag, text) = block(rule, "Example", rule.doc().example);
        if ABBREVIATED.contains(&rule) {
            assert_eq!(tag, "text", "docs/rules/{rule}.md: an abbreviated example is a `text` block");
            continue;
        }
        let report = lint(rule, &tag, &text);
        assert!(
            report.codes().contains(&rule.code()),
            "docs/rules/{rule}.md: the example is not flagged by {rule}; it gets {:?} (CONTRIBUTING.md, step 2)",
            report.codes()
        );
    }
}

#[test]
fn every_fix_lints_clean() {
    for rule in api_rules() {
        let (tag, text) = block(rule, "Fix", rule.doc().fix);
        let report = lint(rule, &tag, &text);
        assert!(
            report.diagnostics.is_empty(),
            "docs/rules/{rule}.md: the fix still has findings: {:?} (CONTRIBUTING.md, step 2)",
            report
                .diagnostics
                .iter()
                .map(|d| format!("{} at {}: {}", d.rule, d.pointer, d.message))
                .collect::<Vec<_>>()
        );
    }
}

#[test]
fn every_doc_file_is_a_rule() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    for entry in std::fs::read_dir(&dir).expect("docs/rules") {
        let name = entry.expect("an entry").file_name().to_string_lossy().into_owned();
        let code = name.strip_suffix(".md").unwrap_or(&name);
        assert!(
            Rule::from_code(code).is_some(),
            "docs/rules/{name} documents no rule of Rule::ALL (CONTRIBUTING.md, steps 1 and 2)"
        );
    }
}

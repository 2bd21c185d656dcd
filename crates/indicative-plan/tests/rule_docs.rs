//! The plan rules' documentation tells the truth: each example's plan loads,
//! its request is flagged by the rule, and the fix lints clean (API rules
//! included) against the same plan.

use indicative_contract::{LintOptions, RequestInfo, Rule, lint_body};
use indicative_plan::{Plan, PlanChecker};

/// 2024-06-01T00:00:00Z: the "now" the examples are written for.
const NOW: i64 = 1_717_200_000_000;

/// The fenced code blocks of a part, as (tag, text).
fn blocks(text: &str) -> Vec<(String, String)> {
    text.split("```")
        .skip(1)
        .step_by(2)
        .map(|block| {
            let (tag, body) = block.split_once('\n').unwrap_or((block, ""));
            (tag.trim().to_owned(), body.to_owned())
        })
        .collect()
}

fn plan_rules() -> impl Iterator<Item = Rule> {
    Rule::ALL.iter().copied().filter(|r| r.is_plan())
}

#[test]
fn every_plan_rule_example_is_flagged_and_its_fix_is_clean() {
    for rule in plan_rules() {
        let doc = rule.doc();
        let example = blocks(doc.example);
        let [(plan_tag, plan_text), (body_tag, body)] = example.as_slice() else {
            panic!("docs/rules/{rule}.md: the example holds a yaml plan and a json body (CONTRIBUTING.md, step 2)");
        };
        assert_eq!((plan_tag.as_str(), body_tag.as_str()), ("yaml", "json"), "docs/rules/{rule}.md");
        let plan = Plan::from_text(&format!("docs/rules/{rule}.md"), plan_text)
            .unwrap_or_else(|e| panic!("docs/rules/{rule}.md: the example's plan does not load:\n{e}"));
        let options = LintOptions::new(NOW).with_checker(PlanChecker::new(&plan).shared());
        let report = lint_body(body.as_bytes(), &RequestInfo::default(), &options);
        assert!(
            report.codes().contains(&rule.code()),
            "docs/rules/{rule}.md: the example is not flagged by {rule}; it gets {:?}",
            report.codes()
        );
        let fix = blocks(doc.fix);
        let [(fix_tag, fix_body)] = fix.as_slice() else {
            panic!("docs/rules/{rule}.md: the fix holds one json body");
        };
        assert_eq!(fix_tag, "json", "docs/rules/{rule}.md");
        let report = lint_body(fix_body.as_bytes(), &RequestInfo::default(), &options);
        assert!(
            report.diagnostics.is_empty(),
            "docs/rules/{rule}.md: the fix still has findings: {:?}",
            report
                .diagnostics
                .iter()
                .map(|d| format!("{} at {}: {}", d.rule, d.pointer, d.message))
                .collect::<Vec<_>>()
        );
    }
}

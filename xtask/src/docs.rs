//! The generated parts of documents people also write by hand: the rule
//! catalogue in `docs/contract.md` and the rules in brief in `README.md`.
//! Each part stands between two markers,
//! `<!-- generated: NAME (cargo xtask codegen) -->` and `<!-- end: NAME -->`;
//! what lies outside them is prose, left as it is.

use std::fmt::Write as _;

use indicative_contract::{Rule, Severity, Status};

/// The documents with generated parts: their path from the root, and for
/// each part its name and contents.
pub fn parts() -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        ("docs/contract.md", vec![("rule-table", rule_table()), ("rule-docs", rule_docs())]),
        ("README.md", vec![("rules-in-brief", rules_in_brief())]),
    ]
}

fn begin(name: &str) -> String {
    format!("<!-- generated: {name} (cargo xtask codegen) -->\n")
}

fn end(name: &str) -> String {
    format!("<!-- end: {name} -->")
}

/// `text` with the part `name` replaced by `contents`.
pub fn replace_part(text: &str, name: &str, contents: &str) -> Result<String, String> {
    let (begin, end) = (begin(name), end(name));
    let start = text.find(&begin).ok_or_else(|| format!("no `{}` marker", begin.trim()))? + begin.len();
    let stop = text[start..].find(&end).ok_or_else(|| format!("no `{end}` marker after `{}`", begin.trim()))? + start;
    Ok(format!("{}{contents}{}", &text[..start], &text[stop..]))
}

fn status(rule: Rule) -> String {
    match rule.status() {
        Status::Ok => "200".to_owned(),
        status => status.code().to_string(),
    }
}

fn rule_table() -> String {
    let mut out = String::from("| code | default | status | strict | when |\n|---|---|---|---|---|\n");
    for &rule in Rule::ALL {
        let _ = writeln!(
            out,
            "| [`{code}`](#{code}) | {} | {} | {} | {} |",
            rule.default_severity(),
            status(rule),
            if rule.in_strict_profile() { "**S**" } else { "" },
            rule.summary(),
            code = rule.code(),
        );
    }
    out
}

fn rule_docs() -> String {
    let mut out = String::new();
    for &rule in Rule::ALL {
        let strict = if rule.in_strict_profile() { "; in the strict profile, an error with status 400" } else { "" };
        let _ = write!(
            out,
            "### `{}`\n\n{}. Default severity: {}; predicted status: {}{strict}.\n\n",
            rule.code(),
            capitalized(rule.summary()),
            rule.default_severity(),
            status(rule),
        );
        // The rule's own headings sit one level below its title here.
        for line in rule.documentation().trim_end().lines() {
            match line.strip_prefix("## ") {
                Some(heading) => {
                    let _ = writeln!(out, "#### {heading}");
                }
                None => {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
        out.push('\n');
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
}

fn rules_in_brief() -> String {
    let codes = |keep: &dyn Fn(Rule) -> bool| {
        let codes: Vec<String> =
            Rule::ALL.iter().copied().filter(|&r| keep(r)).map(|r| format!("`{}`", r.code())).collect();
        codes.join(", ")
    };
    let errors_with =
        |status: Status| codes(&|r| !r.is_plan() && r.default_severity() == Severity::Error && r.status() == status);
    let mut out = String::new();
    let _ = writeln!(out, "- **400**: {}.", errors_with(Status::BadRequest));
    let _ = writeln!(out, "- **422**: {}.", errors_with(Status::Unprocessable));
    let _ = writeln!(
        out,
        "- **404 / 405** (HTTP input only): {}.",
        codes(&|r| matches!(r.status(), Status::NotFound | Status::MethodNotAllowed))
    );
    let _ = writeln!(
        out,
        "- **warnings and infos** (200: accepted, but not as you may think): {}.",
        codes(&|r| !r.is_plan() && r.default_severity() != Severity::Error)
    );
    let _ = writeln!(
        out,
        "- **the strict profile** makes these errors with status 400: {}.",
        codes(&|r| r.in_strict_profile())
    );
    let _ = writeln!(
        out,
        "- **a tracking plan** (`--plan`; status 200, since the API accepts what the plan refuses): {}.",
        codes(&|r| r.is_plan())
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_is_replaced_and_the_prose_kept() {
        let text = "intro\n<!-- generated: x (cargo xtask codegen) -->\nold\n<!-- end: x -->\noutro\n";
        let replaced = replace_part(text, "x", "new\n").expect("markers");
        assert_eq!(replaced, "intro\n<!-- generated: x (cargo xtask codegen) -->\nnew\n<!-- end: x -->\noutro\n");
        assert!(replace_part("no markers", "x", "").unwrap_err().contains("no `<!-- generated: x"));
    }

    #[test]
    fn every_rule_is_in_every_part() {
        for (_, parts) in parts() {
            for (name, contents) in parts {
                for rule in Rule::ALL {
                    assert!(contents.contains(&format!("`{}`", rule.code())), "{rule} is missing from {name}");
                }
            }
        }
    }
}

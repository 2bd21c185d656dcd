//! `indicative explain` and `indicative rules`: the rule catalogue, as text.

use std::io::{self, Write};
use std::process::ExitCode;

use indicative_contract::Rule;

use crate::args::SchemaArgs;

pub fn explain(code: &str) -> io::Result<ExitCode> {
    let mut out = io::stdout().lock();
    if code == "plan-file" {
        // Not a rule of requests: the id `plan check` gives a plan file's
        // own mistakes in SARIF and GitHub annotations.
        writeln!(out, "plan-file: a mistake in a tracking plan file itself (not in a request)\n")?;
        let text = "`indicative plan check` reports each mistake of a plan file at its line and column under this id in SARIF and GitHub annotations: YAML or JSON that does not read, unknown keys, names out of limits, duplicates, patterns that do not compile, includes that do not exist. docs/tracking-plans.md lists what is checked when a plan is loaded.";
        for line in render_markdown(text, 78) {
            writeln!(out, "{line}")?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(rule) = Rule::from_code(code) else {
        let near = did_you_mean_rule(code);
        writeln!(io::stderr(), "indicative: no rule {code:?}{near} (`indicative rules` lists them)")?;
        return Ok(ExitCode::from(2));
    };
    writeln!(out, "{}: {}", rule.code(), rule.summary())?;
    writeln!(out)?;
    writeln!(out, "  default severity  {}", rule.default_severity())?;
    let status = rule.status();
    let predicted = if status.code() == 200 { "200 (accepted)".to_owned() } else { status.code().to_string() };
    writeln!(out, "  predicted status  {predicted}")?;
    if rule.in_strict_profile() {
        writeln!(out, "  strict profile    error, status 400")?;
    }
    writeln!(out)?;
    for line in render_markdown(rule.documentation(), 78) {
        writeln!(out, "{line}")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// A rule's Markdown for a terminal: headings as plain lines, paragraphs
/// re-flowed to `width`, code blocks indented and kept as they are.
fn render_markdown(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut paragraph = String::new();
    let mut in_code = false;
    let flush = |paragraph: &mut String, lines: &mut Vec<String>| {
        if !paragraph.is_empty() {
            lines.extend(wrap(paragraph, width));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        if line.starts_with("```") {
            flush(&mut paragraph, &mut lines);
            in_code = !in_code;
            continue;
        }
        if in_code {
            lines.push(format!("    {line}").trim_end().to_owned());
        } else if let Some(heading) = line.strip_prefix("## ") {
            flush(&mut paragraph, &mut lines);
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(String::new());
            }
            lines.push(heading.to_uppercase());
        } else if line.trim().is_empty() {
            flush(&mut paragraph, &mut lines);
            if lines.last().is_some_and(|l| !l.is_empty()) {
                lines.push(String::new());
            }
        } else {
            paragraph.push(' ');
            paragraph.push_str(line);
        }
    }
    flush(&mut paragraph, &mut lines);
    while lines.last().is_some_and(String::is_empty) {
        lines.pop();
    }
    lines
}

/// The rule code a mistyped one most likely meant (case aside, within a
/// few edits), for "did you mean"; `None` when none is close.
pub fn nearest_rule(code: &str) -> Option<&'static str> {
    let code = code.to_ascii_lowercase();
    let (distance, nearest) =
        Rule::ALL.iter().map(|r| (strsim::levenshtein(r.code(), &code), r.code())).min_by_key(|&(d, _)| d)?;
    (distance <= (code.len() / 4).max(2)).then_some(nearest)
}

/// " (did you mean `X`?)" for a mistyped rule code, or nothing.
pub fn did_you_mean_rule(code: &str) -> String {
    nearest_rule(code).map_or_else(String::new, |near| format!("; did you mean {near:?}?"))
}

pub fn rules() -> io::Result<ExitCode> {
    let mut out = io::stdout().lock();
    writeln!(out, "{:<30} {:<8} {:<6} {:<6} when", "code", "severity", "status", "strict")?;
    for rule in Rule::ALL {
        writeln!(
            out,
            "{:<30} {:<8} {:<6} {:<6} {}",
            rule.code(),
            rule.default_severity().as_str(),
            rule.status().code(),
            if rule.in_strict_profile() { "S" } else { "" },
            rule.summary()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Re-flows documentation text into lines of at most `width` characters.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The documents of `schemas/`, as committed (`cargo xtask codegen` writes
/// them; a test keeps them fresh).
const SCHEMAS: [(&str, &str); 10] = [
    ("event", include_str!("../../../schemas/event.schema.json")),
    ("event-query", include_str!("../../../schemas/event-query.schema.json")),
    ("batch", include_str!("../../../schemas/batch.schema.json")),
    ("identify", include_str!("../../../schemas/identify.schema.json")),
    ("alias", include_str!("../../../schemas/alias.schema.json")),
    ("suppress", include_str!("../../../schemas/suppress.schema.json")),
    ("delete", include_str!("../../../schemas/delete.schema.json")),
    ("report", include_str!("../../../schemas/report.schema.json")),
    ("openapi", include_str!("../../../schemas/openapi.json")),
    ("openapi-3.0", include_str!("../../../schemas/openapi-3.0.json")),
];

pub fn schema(args: &SchemaArgs) -> io::Result<ExitCode> {
    let name = match (args.kind, args.openapi, args.openapi_3_0, args.report) {
        (Some(kind), ..) => kind.name(),
        (None, _, true, _) => "openapi-3.0",
        (None, _, _, true) => "report",
        // Without a choice, the OpenAPI document: it holds every request.
        (None, ..) => "openapi",
    };
    let text = SCHEMAS.iter().find(|(n, _)| *n == name).map_or("", |(_, text)| text);
    io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

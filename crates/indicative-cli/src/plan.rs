//! `indicative plan ...`: a thin layer over `indicative-plan`.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use indicative_plan::{Plan, PlanError};
use serde_json::json;

use crate::args::{OutputFormat, PlanCommand};

pub fn run(command: PlanCommand) -> io::Result<ExitCode> {
    match command {
        PlanCommand::Check { file, format } => check(&file, format),
    }
}

/// Checks a plan file and reports in `format`: exit 0 when it is sound, 1
/// when it has mistakes, 2 when it cannot be read.
fn check(path: &Path, format: OutputFormat) -> io::Result<ExitCode> {
    let file = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) => {
            writeln!(io::stderr(), "indicative: {file}: {e}")?;
            return Ok(ExitCode::from(2));
        }
    };
    let (plan, errors) = match Plan::from_text(&file, &text) {
        Ok(plan) => (Some(plan), Vec::new()),
        Err(errors) => (None, errors.0),
    };
    let mut out = io::BufWriter::new(anstream::stdout());
    match format {
        OutputFormat::Human => human(&mut out, &file, &text, plan.as_ref(), &errors)?,
        OutputFormat::Json => {
            let report = json!({
                "file": file,
                "valid": errors.is_empty(),
                "errors": errors.iter().map(|e| json!({"line": e.line, "column": e.column, "message": e.message, "help": e.help})).collect::<Vec<_>>(),
                "events": plan.as_ref().map_or(0, |p| p.events.len()),
                "userProperties": plan.as_ref().map_or(0, |p| p.user_properties.len()),
            });
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        OutputFormat::Sarif => {
            let results: Vec<serde_json::Value> = errors
                .iter()
                .map(|e| {
                    let text = match &e.help {
                        Some(help) => format!("{}. Help: {help}", e.message),
                        None => e.message.clone(),
                    };
                    json!({
                        "ruleId": "plan-file",
                        "ruleIndex": 0,
                        "level": "error",
                        "message": {"text": text},
                        "locations": [{"physicalLocation": {
                            "artifactLocation": {"uri": file.strip_prefix("./").unwrap_or(&file).replace('\\', "/")},
                            "region": {"startLine": e.line, "startColumn": e.column},
                        }}],
                    })
                })
                .collect();
            let log = json!({
                "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                "version": "2.1.0",
                "runs": [{
                    "tool": {"driver": {
                        "name": "indicative",
                        "version": env!("CARGO_PKG_VERSION"),
                        "informationUri": env!("CARGO_PKG_REPOSITORY"),
                        "rules": [{
                            "id": "plan-file",
                            "name": "PlanFile",
                            "shortDescription": {"text": "a mistake in a tracking plan file"},
                            "fullDescription": {"text": "The tracking plan file does not parse, or breaks a rule of the plan format (docs/tracking-plans.md, \"Checked when loaded\")."},
                            "defaultConfiguration": {"level": "error"},
                        }],
                    }},
                    "results": results,
                }],
            });
            serde_json::to_writer_pretty(&mut out, &log)?;
            writeln!(out)?;
        }
        OutputFormat::Github => {
            for e in &errors {
                let message = match &e.help {
                    Some(help) => format!("{}. Help: {help}", e.message),
                    None => e.message.clone(),
                };
                writeln!(
                    out,
                    "::error file={},line={},col={},title=plan-file::{}",
                    file.replace('%', "%25").replace(':', "%3A").replace(',', "%2C"),
                    e.line,
                    e.column,
                    message.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
                )?;
            }
        }
    }
    out.flush()?;
    Ok(if errors.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn human(out: &mut impl Write, file: &str, text: &str, plan: Option<&Plan>, errors: &[PlanError]) -> io::Result<()> {
    let red = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Red.into())).bold();
    let blue = anstyle::Style::new().fg_color(Some(anstyle::AnsiColor::Blue.into())).bold();
    let bold = anstyle::Style::new().bold();
    let lines: Vec<&str> = text.lines().collect();
    for e in errors {
        writeln!(out, "{red}error{red:#}{bold}: {}{bold:#}", e.message)?;
        let gutter = e.line.to_string();
        let pad = " ".repeat(gutter.len());
        writeln!(out, "{pad}{blue}-->{blue:#} {}:{}:{}", e.file, e.line, e.column)?;
        if let Some(line) = lines.get(e.line.saturating_sub(1)) {
            writeln!(out, "{pad} {blue}|{blue:#}")?;
            writeln!(out, "{blue}{gutter} |{blue:#} {line}")?;
            writeln!(out, "{pad} {blue}|{blue:#} {}{red}^{red:#}", " ".repeat(e.column.saturating_sub(1)))?;
        }
        if let Some(help) = &e.help {
            writeln!(out, "{pad} {blue}={blue:#} {bold}help{bold:#}: {help}")?;
        }
        writeln!(out)?;
    }
    match plan {
        Some(plan) => writeln!(
            out,
            "{file}: the plan {} {} is sound: {} events, {} groups, {} user properties",
            plan.name,
            plan.version,
            plan.events.len(),
            plan.groups.len(),
            plan.user_properties.len()
        ),
        None => writeln!(out, "{file}: {} error{}", errors.len(), if errors.len() == 1 { "" } else { "s" }),
    }
}

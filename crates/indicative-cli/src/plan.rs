//! `indicative plan ...`: a thin layer over `indicative-plan`.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use indicative_plan::{Plan, PlanError};
use serde_json::json;

use crate::args::{CodegenLanguage, ExportFormat, ImportFormat, OutputFormat, PlanCommand, ReportFormat};

pub fn run(command: PlanCommand) -> io::Result<ExitCode> {
    match command {
        PlanCommand::Check { file, format } => check(&file, format),
        PlanCommand::Diff { files, base, format } => diff(&files, base.as_deref(), format),
        PlanCommand::Coverage { plan, captures, format, fail_on_missing } => {
            coverage(&plan, &captures, format, fail_on_missing)
        }
        PlanCommand::Import { from, source, out } => import(from, &source, out.as_deref()),
        PlanCommand::Export { to, plan, out } => export(to, &plan, out.as_deref()),
        PlanCommand::Status { plan, dir, format, fail_on_missing } => status(&plan, &dir, format, fail_on_missing),
        PlanCommand::Codegen { language: CodegenLanguage::Rust, plan, out } => codegen_rust(&plan, out.as_deref()),
    }
}

/// Prints a usage or input error and answers exit code 2.
fn fail(message: impl std::fmt::Display) -> io::Result<ExitCode> {
    writeln!(io::stderr(), "indicative: {message}")?;
    Ok(ExitCode::from(2))
}

/// Loads a plan, or prints its errors.
fn load(path: &Path) -> Result<Plan, String> {
    Plan::load(path).map_err(|errors| format!("the plan has errors:\n{errors}"))
}

fn diff(files: &[std::path::PathBuf], base: Option<&str>, format: ReportFormat) -> io::Result<ExitCode> {
    let (old, new) = match (files, base) {
        ([new], Some(rev)) => {
            // A revision is never an option of git's (`--output=FILE` would
            // write a file).
            if rev.starts_with('-') || rev.is_empty() {
                return fail(format!("--base {rev:?} is not a revision"));
            }
            let shown = format!("{rev}:{}", new.display());
            let dir = new.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
            let name = new.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            let object = format!("{rev}:./{name}");
            let output =
                std::process::Command::new("git").current_dir(dir).args(["show", "--end-of-options", &object]).output();
            let text = match output {
                Ok(o) if o.status.success() => String::from_utf8_lossy(&o.stdout).into_owned(),
                Ok(o) => {
                    let why = String::from_utf8_lossy(&o.stderr);
                    return fail(format!("git show {object} (in {}), for {shown}: {}", dir.display(), why.trim()));
                }
                Err(e) => return fail(format!("git: {e}")),
            };
            let old = match Plan::from_text(&shown, &text) {
                Ok(plan) => plan,
                Err(errors) => return fail(format!("the plan at {shown} has errors:\n{errors}")),
            };
            (old, load(new))
        }
        ([old, new], None) => match load(old) {
            Ok(old) => (old, load(new)),
            Err(e) => return fail(e),
        },
        _ => return fail("plan diff takes OLD NEW, or NEW with --base REV"),
    };
    let new = match new {
        Ok(new) => new,
        Err(e) => return fail(e),
    };
    let d = indicative_plan::diff::diff(&old, &new);
    let mut out = io::BufWriter::new(anstream::stdout());
    match format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &json!({
                    "oldVersion": d.old_version,
                    "newVersion": d.new_version,
                    "changes": d.changes,
                    "needed": d.needed,
                    "made": d.made,
                    "backwards": d.backwards,
                    "enough": d.bump_is_enough(),
                }),
            )?;
            writeln!(out)?;
        }
        ReportFormat::Human => {
            for change in &d.changes {
                writeln!(out, "{:<9} {}: {}", change.bump.as_str(), change.place, change.message)?;
            }
            if !d.changes.is_empty() {
                writeln!(out)?;
            }
            let verdict = match (d.bump_is_enough(), d.backwards) {
                (true, _) => "enough",
                (false, true) => "NOT enough: the version went backwards",
                (false, false) => "NOT enough",
            };
            // "an ADDITION bump", "no bump".
            let bump = |b: indicative_plan::diff::Bump| match b {
                indicative_plan::diff::Bump::None => "no bump".to_owned(),
                indicative_plan::diff::Bump::Addition => format!("an {b} bump"),
                _ => format!("a {b} bump"),
            };
            let needs = if d.changes.len() == 1 { "it needs" } else { "they need" };
            writeln!(
                out,
                "{} → {}: {} change{}; {needs} {}, the version shows {}: {verdict}",
                d.old_version,
                d.new_version,
                d.changes.len(),
                if d.changes.len() == 1 { "" } else { "s" },
                bump(d.needed),
                bump(d.made)
            )?;
        }
    }
    out.flush()?;
    Ok(if d.bump_is_enough() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn coverage(
    plan_path: &Path,
    captures: &[std::path::PathBuf],
    format: ReportFormat,
    fail_on_missing: bool,
) -> io::Result<ExitCode> {
    let plan = match load(plan_path) {
        Ok(plan) => plan,
        Err(e) => return fail(e),
    };
    let counter = indicative_plan::coverage::CoverageCounter::default().shared();
    let options = indicative_contract::LintOptions::default().with_checker(counter.clone());
    let mut walk_errors = Vec::new();
    let inputs = crate::inputs::collect(captures, &mut walk_errors);
    let mut summary = crate::report::Summary::default();
    let mut sink = crate::output::Discard::default();
    let job =
        crate::inputs::Job { options: &options, kind: None, normalized: false, progress: false, source_lines: false };
    job.run(inputs, &mut sink, &mut summary)?;
    for (file, message) in walk_errors.iter().chain(&sink.errors) {
        writeln!(io::stderr(), "indicative: {file}: {message}")?;
    }
    let c = counter.coverage(&plan);
    let mut out = io::BufWriter::new(anstream::stdout());
    let unreadable: Vec<serde_json::Value> = walk_errors
        .iter()
        .chain(&sink.errors)
        .map(|(file, message)| serde_json::json!({"file": file, "message": message}))
        .collect();
    match format {
        ReportFormat::Json => {
            let mut value = serde_json::to_value(&c)?;
            if let Some(object) = value.as_object_mut() {
                object.insert("requestsRead".into(), summary.documents.into());
                object.insert("requestsRejected".into(), summary.rejected().into());
                object.insert("errors".into(), unreadable.into());
            }
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        ReportFormat::Human => {
            let percent = |rate: f64| format!("{:.0}%", rate * 100.0);
            for event in &c.events {
                writeln!(out, "{:>7}  {} ({})", event.seen, shown_name(&event.name), event.status)?;
                for p in &event.properties {
                    let required = if p.required { ", required" } else { "" };
                    writeln!(out, "           {:>5} filled  {}{required}", percent(p.fill_rate), p.name)?;
                }
                for p in &event.unplanned_properties {
                    writeln!(out, "           {:>5} times   {} (not planned)", p.count, p.name)?;
                }
            }
            if !c.user_properties.is_empty() {
                writeln!(out, "{:>7}  identify (user properties)", c.identifies_seen)?;
                for p in &c.user_properties {
                    writeln!(out, "           {:>5} filled  {}", percent(p.fill_rate), p.name)?;
                }
            }
            if !c.unplanned.is_empty() {
                writeln!(out, "\nseen but not planned:")?;
                for e in &c.unplanned {
                    writeln!(out, "{:>7}  {}", e.count, shown_name(&e.name))?;
                }
            }
            let planned_seen = c.events.iter().filter(|e| e.seen > 0).count();
            writeln!(
                out,
                "\n{} events and {} identifies read; {planned_seen} of {} planned events seen; never seen (active): {}",
                c.events_seen,
                c.identifies_seen,
                c.events.len(),
                if c.never_seen.is_empty() { "none".to_owned() } else { c.never_seen.join(", ") }
            )?;
            let rejected = summary.rejected();
            let requests = if summary.documents == 1 { "request" } else { "requests" };
            if rejected > 0 {
                writeln!(
                    out,
                    "{rejected} of the {} {requests} read are predicted to be rejected by the API (unreadable ones included); their events are counted as sent: `indicative lint` says why",
                    summary.documents
                )?;
            } else {
                writeln!(out, "{} {requests} read, none predicted to be rejected by the API", summary.documents)?;
            }
            if !unreadable.is_empty() {
                let files = if unreadable.len() == 1 { "file" } else { "files" };
                writeln!(out, "{} {files} could not be read (see above)", unreadable.len())?;
            }
        }
    }
    out.flush()?;
    Ok(if !walk_errors.is_empty() || !sink.errors.is_empty() || summary.unreadable_files > 0 {
        ExitCode::from(2)
    } else if fail_on_missing && !c.never_seen.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn import(from: ImportFormat, source: &Path, out: Option<&Path>) -> io::Result<ExitCode> {
    use indicative_plan::import::Source;
    let source_format = match from {
        ImportFormat::Mparticle => Source::Mparticle,
        ImportFormat::Segment => Source::Segment,
        ImportFormat::Jsonschema => Source::JsonSchema,
    };
    let imported = match indicative_plan::import::import(source_format, source) {
        Ok(imported) => imported,
        Err(e) => return fail(format!("{}: {e}", source.display())),
    };
    for note in &imported.notes {
        writeln!(io::stderr(), "note: {}: {}", note.place, note.message)?;
    }
    let yaml = indicative_plan::write::to_yaml(&imported.plan);
    // What is written must read back: the importer's output is a plan file.
    if let Err(errors) = Plan::from_text("the imported plan", &yaml) {
        return fail(format!("the imported plan does not load:\n{errors}"));
    }
    write_out(out, yaml.as_bytes())?;
    writeln!(
        io::stderr(),
        "imported {} events and {} user properties; {} note{}",
        imported.plan.events.len(),
        imported.plan.user_properties.len(),
        imported.notes.len(),
        if imported.notes.len() == 1 { "" } else { "s" }
    )?;
    Ok(ExitCode::SUCCESS)
}

fn status(plan_path: &Path, dir: &Path, format: ReportFormat, fail_on_missing: bool) -> io::Result<ExitCode> {
    use indicative_plan_rust::status::{Sources, status};
    let plan = match load(plan_path) {
        Ok(plan) => plan,
        Err(message) => return fail(message),
    };
    if !dir.is_dir() {
        return fail(format!("{}: not a folder of Rust sources", dir.display()));
    }
    let mut sources = Sources::default();
    let mut errors = Vec::new();
    let mut files = 0usize;
    let walk = ignore::WalkBuilder::new(dir).require_git(false).sort_by_file_name(Ord::cmp).build();
    for entry in walk {
        match entry {
            Ok(entry)
                if entry.file_type().is_some_and(|t| t.is_file())
                    && entry.path().extension().is_some_and(|e| e == "rs") =>
            {
                match std::fs::read_to_string(entry.path()) {
                    Ok(text) => {
                        files += 1;
                        sources.add(&entry.path().display().to_string(), &text);
                    }
                    Err(e) => errors.push(format!("{}: {e}", entry.path().display())),
                }
            }
            Ok(_) => {}
            Err(e) => errors.push(e.to_string()),
        }
    }
    for e in &errors {
        writeln!(io::stderr(), "indicative: {e}")?;
    }
    for u in sources.unreadable() {
        writeln!(
            io::stderr(),
            "indicative: {}:{}:{}: not read as Rust ({}); its events are not counted",
            u.file,
            u.line,
            u.column,
            u.message
        )?;
    }
    let report = status(&plan, &sources);
    let mut out = io::BufWriter::new(anstream::stdout());
    match format {
        ReportFormat::Json => {
            let value = json!({
                "plan": { "name": plan.name, "version": plan.version.to_string() },
                "filesRead": files,
                "unreadable": sources.unreadable(),
                "events": report.events,
                "unplanned": report.unplanned,
                "missing": report.missing,
            });
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        ReportFormat::Human => {
            for event in &report.events {
                let mark = if event.instrumented() { "ok" } else { "--" };
                writeln!(out, "{mark}  {} ({}; type {})", event.name, event.status, event.generated_type)?;
                for site in &event.derived {
                    writeln!(out, "      derived by {} at {}:{}", site.type_name, site.file, site.line)?;
                }
                for site in &event.built {
                    writeln!(out, "      built ({}) at {}:{}", site.type_name, site.file, site.line)?;
                }
            }
            if !report.unplanned.is_empty() {
                writeln!(out, "\nderived but not in the plan:")?;
                for u in &report.unplanned {
                    let hint = u.did_you_mean.as_ref().map(|n| format!(" (did you mean \"{n}\"?)")).unwrap_or_default();
                    writeln!(out, "    {} by {} at {}:{}{hint}", u.name, u.site.type_name, u.site.file, u.site.line)?;
                }
            }
            let instrumented = report.events.iter().filter(|e| e.instrumented()).count();
            writeln!(
                out,
                "\n{files} Rust files read; {instrumented} of {} planned events instrumented; never instrumented (active): {}",
                report.events.len(),
                if report.missing.is_empty() { "none".to_owned() } else { report.missing.join(", ") }
            )?;
        }
    }
    out.flush()?;
    Ok(if !errors.is_empty() {
        ExitCode::from(2)
    } else if fail_on_missing && !report.missing.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn codegen_rust(plan_path: &Path, out: Option<&Path>) -> io::Result<ExitCode> {
    let plan = match load(plan_path) {
        Ok(plan) => plan,
        Err(message) => return fail(message),
    };
    let shown =
        plan_path.file_name().map_or_else(|| plan_path.display().to_string(), |n| n.to_string_lossy().into_owned());
    match indicative_plan_rust::codegen::source(&plan, &shown) {
        Ok(code) => {
            write_out(out, code.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(clashes) => fail(format!("the plan's names do not make distinct Rust identifiers:\n{clashes}")),
    }
}

/// An event's name as a line of the human report shows it: quoted when it
/// is empty, has white space at an end, or holds a character that is not
/// printable (so that none is taken for another, or moves the terminal).
fn shown_name(name: &str) -> std::borrow::Cow<'_, str> {
    let plain = !name.is_empty()
        && !indicative_contract::limits::has_edge_whitespace(name)
        && !name.chars().any(|c| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'));
    if plain { name.into() } else { format!("{name:?}").into() }
}

/// An error of the file or folder at `path`, naming it.
fn at_path(path: &Path, error: &io::Error) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

fn write_out(out: Option<&Path>, bytes: &[u8]) -> io::Result<()> {
    match out {
        Some(path) => std::fs::write(path, bytes).map_err(|e| at_path(path, &e)),
        None => {
            let mut stdout = io::stdout().lock();
            stdout.write_all(bytes)?;
            stdout.flush()
        }
    }
}

fn export(to: ExportFormat, plan_path: &Path, out: Option<&Path>) -> io::Result<ExitCode> {
    let plan = match load(plan_path) {
        Ok(plan) => plan,
        Err(e) => return fail(e),
    };
    let pretty = |value: &serde_json::Value| {
        let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
        text.push('\n');
        text
    };
    match to {
        ExportFormat::Jsonschema => {
            let Some(dir) = out else {
                return fail("plan export --to jsonschema writes one file per event: give --out FOLDER");
            };
            std::fs::create_dir_all(dir).map_err(|e| at_path(dir, &e))?;
            let schemas = indicative_plan::export::json_schemas(&plan);
            for (name, schema) in &schemas {
                let file = dir.join(name);
                std::fs::write(&file, pretty(schema)).map_err(|e| at_path(&file, &e))?;
            }
            writeln!(io::stderr(), "wrote {} schemas to {}", schemas.len(), dir.display())?;
            for left in indicative_plan::export::json_schemas_leave_out(&plan) {
                writeln!(io::stderr(), "not in the schemas: {left}")?;
            }
            // Schemas of an earlier export (an event since removed or
            // renamed) are not deleted, but an import of the folder would
            // read them back: said.
            let written: std::collections::HashSet<&str> = schemas.iter().map(|(name, _)| name.as_str()).collect();
            let mut stale: Vec<String> = std::fs::read_dir(dir)
                .map_err(|e| at_path(dir, &e))?
                .filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .filter(|name| name.ends_with(".json") && !written.contains(name.as_str()))
                .collect();
            stale.sort();
            if !stale.is_empty() {
                writeln!(
                    io::stderr(),
                    "warning: {} also holds {} this export did not write, which an import of the folder would read: {}",
                    dir.display(),
                    if stale.len() == 1 { "a schema" } else { "schemas" },
                    stale.join(", ")
                )?;
            }
        }
        ExportFormat::Openapi => write_out(out, pretty(&indicative_plan::export::openapi(&plan)).as_bytes())?,
        ExportFormat::Mparticle => write_out(out, pretty(&indicative_plan::export::mparticle(&plan)).as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
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

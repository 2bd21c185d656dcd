//! The `indicative` command, as a library: the binary calls [`main`], and
//! `cargo xtask codegen` takes the schema of the JSON report from
//! [`report_schema`].
//!
//! Exit codes: 0 when no error was found (warnings allowed unless `--deny
//! warnings`), 1 when errors were found, 2 on a usage error or a file that
//! could not be read (the others are still linted).

mod args;
mod capture;
mod commands;
mod compressed;
mod config;
mod inputs;
mod output;
mod plan;
mod report;
mod serve;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command, LintArgs};

pub use output::json::{
    JsonDiagnostic, JsonDocument, JsonFileError, JsonPlanCounts, JsonReport, JsonSource, JsonSummary,
};

/// Reads the text of an `indicative.toml` as `indicative lint` does with no
/// flags, and tells what is wrong with it (the fuzz target of the config
/// file calls this). The message names the file and, for a TOML fault, the
/// line and column.
///
/// ```
/// assert!(indicative_cli::check_config("profile = \"strict\"\nnow = 0\n").is_ok());
/// let err = indicative_cli::check_config("profile = \"lax\"\n").unwrap_err();
/// assert!(err.starts_with("indicative.toml: profile must be"), "{err}");
/// ```
///
/// # Errors
///
/// What `indicative lint` would refuse the file for.
pub fn check_config(text: &str) -> Result<(), String> {
    let Ok(Cli { command: Command::Lint(args) }) = Cli::try_parse_from(["indicative", "lint"]) else {
        return Err("the lint command takes no argument here".into());
    };
    config::resolve_text(&args, Some(std::path::Path::new("indicative.toml")), Some(text)).map(drop)
}

/// The exit code when the output is closed before the command finished.
const SIGPIPE_EXIT: u8 = 128 + 13;

/// Runs the command line and tells the exit code.
///
/// ```no_run
/// std::process::exit(i32::from(indicative_cli::main() == std::process::ExitCode::SUCCESS));
/// ```
#[must_use]
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        // A reader that went away (`indicative lint … | head`): no message
        // (the reader chose to stop), but no success either, since the lint
        // did not finish: 141, as a shell reports a process SIGPIPE stopped,
        // so that `set -o pipefail` fails the step.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::from(SIGPIPE_EXIT),
        Err(e) => {
            let _ = writeln!(io::stderr(), "indicative: {e}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> io::Result<ExitCode> {
    match cli.command {
        Command::Lint(args) => lint(&args),
        Command::Explain { code } => commands::explain(&code),
        Command::Rules => commands::rules(),
        Command::Schema(args) => commands::schema(&args),
        Command::Serve(args) => serve::run(args),
        Command::Capture(command) => capture::run(command),
        Command::Plan(command) => plan::run(command),
    }
}

fn lint(args: &LintArgs) -> io::Result<ExitCode> {
    let mut settings = match config::resolve(args) {
        Ok(settings) => settings,
        Err(message) => {
            writeln!(io::stderr(), "indicative: {message}")?;
            return Ok(ExitCode::from(2));
        }
    };
    if let Some(path) = &settings.plan {
        match indicative_plan::Plan::load(path) {
            Ok(plan) => {
                let checker = indicative_plan::PlanChecker::new(&plan).shared();
                settings.options = settings.options.clone().with_checker(checker);
            }
            Err(errors) => {
                writeln!(
                    io::stderr(),
                    "indicative: the tracking plan has errors (`indicative plan check` shows them in every format):"
                )?;
                writeln!(io::stderr(), "{errors}")?;
                return Ok(ExitCode::from(2));
            }
        }
    }
    if let Some(jobs) = args.jobs
        && let Err(e) = rayon::ThreadPoolBuilder::new().num_threads(usize::from(jobs)).build_global()
    {
        writeln!(io::stderr(), "indicative: --jobs {jobs}: {e}")?;
        return Ok(ExitCode::from(2));
    }
    let mut out = output::for_format(args.format, args.normalized, args.documents, args.max_per_rule);
    let mut walk_errors = Vec::new();
    let inputs = inputs::collect(&args.paths, &mut walk_errors);
    let mut summary = report::Summary { plan: settings.plan.is_some(), ..report::Summary::default() };
    for (file, message) in &walk_errors {
        summary.unreadable_files += 1;
        out.file_error(file, message)?;
    }
    let job = inputs::Job {
        options: &settings.options,
        kind: settings.kind,
        normalized: args.normalized,
        progress: !args.no_progress,
        source_lines: args.format == crate::args::OutputFormat::Human,
    };
    job.run(inputs, out.as_mut(), &mut summary)?;
    out.finish(&summary)?;
    Ok(if summary.unreadable_files > 0 {
        ExitCode::from(2)
    } else if summary.errors + summary.plan_errors > 0
        || (settings.deny_warnings && summary.warnings + summary.plan_warnings > 0)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The JSON Schema (2020-12) of `indicative lint --format json`'s output.
///
/// ```
/// let schema = indicative_cli::report_schema();
/// assert_eq!(schema["title"], "JsonReport");
/// ```
#[must_use]
pub fn report_schema() -> serde_json::Value {
    let mut schema = schemars::SchemaGenerator::default().into_root_schema_for::<JsonReport>().to_value();
    indicative_contract::schema::tidy_descriptions(&mut schema);
    schema
}

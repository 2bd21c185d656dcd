//! Lints request files (JSON, NDJSON, URL lists, HAR) and prints every
//! diagnostic as `file:line:column`. The `indicative` CLI will supersede it;
//! until then this is the README's main command:
//!
//! ```text
//! cargo run -p indicative-contract --example lint_samples -- examples/payloads
//! ```
//!
//! It exits 0 when every file was read (findings are its output), 2 when a
//! file could not be read.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use indicative_contract::input::{Format, split};
use indicative_contract::{LintOptions, Linter, Severity, Status, line_column};

fn collect(path: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(path)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
        entries.sort();
        for entry in entries {
            collect(&entry, out)?;
        }
    } else if path.extension().and_then(|e| e.to_str()).and_then(Format::from_extension).is_some() {
        out.push(path.to_owned());
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if args.is_empty() {
        eprintln!("usage: lint_samples PATH...");
        return ExitCode::from(2);
    }
    // A fixed "now" keeps the output reproducible: 2023-11-15T00:00:00Z.
    let mut linter = Linter::new(LintOptions::new(1_700_006_400_000));
    let mut files = Vec::new();
    let mut failed = false;
    for arg in &args {
        if let Err(e) = collect(arg, &mut files) {
            eprintln!("error: {}: {e}", arg.display());
            failed = true;
        }
    }
    let (mut documents, mut rejected, mut counts) = (0, 0, [0usize; 4]);
    for file in &files {
        let content = match std::fs::read(file) {
            Ok(content) => content,
            Err(e) => {
                eprintln!("error: {}: {e}", file.display());
                failed = true;
                continue;
            }
        };
        let format = file.extension().and_then(|e| e.to_str()).and_then(Format::from_extension).unwrap_or(Format::Json);
        let docs = match split(format, &content) {
            Ok(docs) => docs,
            Err(e) => {
                eprintln!("error: {}: {e}", file.display());
                failed = true;
                continue;
            }
        };
        for doc in docs {
            documents += 1;
            let report = doc.lint(&mut linter);
            rejected += usize::from(report.status != Status::Ok);
            for d in &report.diagnostics {
                counts[d.severity as usize] += 1;
                let place = match (doc.offset, doc.entry) {
                    (Some(offset), _) => {
                        let (line, column) = line_column(&content, offset + d.span.start);
                        format!("{}:{line}:{column}", file.display())
                    }
                    (None, entry) => {
                        let (line, column) = d.line_column(doc.source());
                        format!("{} (entry {}) {line}:{column}", file.display(), entry.unwrap_or(0))
                    }
                };
                println!("{place}: {}[{}] {} [{}; status {}]", d.severity, d.rule, d.message, d.pointer, d.status);
                if let Some(help) = &d.help {
                    println!("    help: {help}");
                }
            }
        }
    }
    println!(
        "\n{} files, {documents} requests: {rejected} predicted to be rejected; {} errors, {} warnings, {} infos",
        files.len(),
        counts[Severity::Error as usize],
        counts[Severity::Warning as usize],
        counts[Severity::Info as usize]
    );
    if failed { ExitCode::from(2) } else { ExitCode::SUCCESS }
}

//! The generated files: each generator builds its output as a string, and
//! [`ensure_file_contents`] writes it, or in check mode compares it.

use std::path::{Path, PathBuf};

use indicative_contract::RequestKind;
use indicative_contract::schema::request_schema;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Every generated file: its path under `schemas/` and its contents (the
/// generated parts of `docs/contract.md` and `README.md` are [`crate::docs`]'s).
pub fn files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = RequestKind::ALL
        .into_iter()
        .map(|kind| (format!("{}.schema.json", kind.name()), pretty(&request_schema(kind))))
        .collect();
    files.push(("report.schema.json".into(), pretty(&indicative_cli::report_schema())));
    files.push(("tracking-plan.schema.json".into(), pretty(&indicative_plan::plan_schema())));
    files.push(("openapi.json".into(), pretty(&crate::openapi::document(crate::openapi::Version::V3_1))));
    files.push(("openapi-3.0.json".into(), pretty(&crate::openapi::document(crate::openapi::Version::V3_0))));
    files
}

fn pretty(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

pub fn run(mode: Mode) -> Result<(), String> {
    let dir = root().join("schemas");
    let files = files();
    let mut problems = Vec::new();
    for (name, contents) in &files {
        if let Err(problem) = ensure_file_contents(&dir.join(name), contents, mode) {
            problems.push(problem);
        }
    }
    // A file no generator writes is stale by definition.
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if !files.iter().any(|(generated, _)| *generated == name) {
                problems.push(format!("schemas/{name} is written by no generator: delete it, or add its generator"));
            }
        }
    }
    // The generated parts of documents people also write.
    for (path, parts) in crate::docs::parts() {
        let file = root().join(path);
        let generated = std::fs::read_to_string(&file).map_err(|e| format!("{path}: {e}")).and_then(|mut text| {
            for (name, contents) in &parts {
                text = crate::docs::replace_part(&text, name, contents).map_err(|e| format!("{path}: {e}"))?;
            }
            Ok(text)
        });
        match generated {
            Ok(text) => {
                if let Err(problem) = ensure_file_contents(&file, &text, mode) {
                    problems.push(problem);
                }
            }
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n\nrun `cargo xtask codegen` and commit the result", problems.join("\n\n")))
    }
}

/// Writes `contents` to `path`, or, in check mode, says how it differs.
pub fn ensure_file_contents(path: &Path, contents: &str, mode: Mode) -> Result<(), String> {
    let current = std::fs::read_to_string(path).ok();
    if current.as_deref() == Some(contents) {
        return Ok(());
    }
    let shown = path.strip_prefix(root()).unwrap_or(path).display().to_string();
    match mode {
        Mode::Write => {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| format!("{shown}: {e}"))?;
            }
            std::fs::write(path, contents).map_err(|e| format!("{shown}: {e}"))?;
            eprintln!("updated {shown}");
            Ok(())
        }
        Mode::Check => Err(match current {
            None => format!("{shown} is missing"),
            Some(current) => format!("{shown} is stale:\n{}", diff(&current, contents)),
        }),
    }
}

/// The first differing lines, as `-` (committed) and `+` (generated).
fn diff(old: &str, new: &str) -> String {
    let (old, new): (Vec<&str>, Vec<&str>) = (old.lines().collect(), new.lines().collect());
    let first = old.iter().zip(&new).position(|(a, b)| a != b).unwrap_or(old.len().min(new.len()));
    let mut out = format!("  first difference at line {}:\n", first + 1);
    for line in old.iter().skip(first).take(8) {
        out.push_str(&format!("  - {line}\n"));
    }
    for line in new.iter().skip(first).take(8) {
        out.push_str(&format!("  + {line}\n"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `cargo test` fails on stale schemas, as `cargo xtask codegen --check` does.
    #[test]
    fn generated_files_are_fresh() {
        if let Err(message) = run(Mode::Check) {
            panic!("{message}");
        }
    }

    #[test]
    fn generation_is_reproducible() {
        assert_eq!(files(), files());
    }

    #[test]
    fn check_mode_reports_a_stale_file_with_a_diff() {
        let dir = std::env::temp_dir().join(format!("xtask-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.json");
        std::fs::write(&path, "{\n  \"a\": 1\n}\n").unwrap();
        let error = ensure_file_contents(&path, "{\n  \"a\": 2\n}\n", Mode::Check).unwrap_err();
        assert!(error.contains("-   \"a\": 1") && error.contains("+   \"a\": 2"), "{error}");
        assert!(ensure_file_contents(&dir.join("missing.json"), "x", Mode::Check).unwrap_err().contains("missing"));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

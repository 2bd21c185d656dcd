//! One JSON object, streamed: `{"documents": [...], "errors": [...], "summary": {...}}`.
//! Documents are written as they are linted, so memory stays bounded; the
//! summary comes last because only then is it known. The types below are the
//! report's shape: the writer serializes them, and the generated schema
//! (`schemas/report.schema.json`) comes from them.

use std::collections::BTreeMap;
use std::io::{self, Write};

use schemars::JsonSchema;
use serde::Serialize;

use super::Output;
use crate::report::{DocResult, Summary};

/// The output of `indicative lint --format json`.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct JsonReport {
    /// Every request linted, in the order of the input.
    pub documents: Vec<JsonDocument>,
    /// Files that could not be read or split (the exit code is then 2).
    pub errors: Vec<JsonFileError>,
    /// The totals.
    pub summary: JsonSummary,
}

/// One request and what was found in it.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct JsonDocument {
    /// The file, as given (or `<stdin>`).
    pub file: String,
    /// The line of the file where the request starts (1-based).
    pub line: usize,
    /// The request's place among the file's requests, from 0.
    pub index: usize,
    /// The HAR entry the request came from; positions are then in its body
    /// or URL (for an entry that could not be read, which is of kind
    /// `unknown`, in the file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry: Option<usize>,
    /// The request kind (`event`, `batch`, ...), `ambiguous: ...` or `unknown`.
    pub kind: String,
    /// The HTTP status the API is predicted to answer.
    pub status: u16,
    /// What was found, in the order of the input.
    pub diagnostics: Vec<JsonDiagnostic>,
    /// With `--normalized`: what the API is predicted to store (null when rejected).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub normalized: Option<serde_json::Value>,
}

/// One problem.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct JsonDiagnostic {
    /// The rule's stable code (`indicative explain CODE`).
    pub code: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
    /// The HTTP status this problem alone predicts (200 when accepted; always
    /// 200 for a finding of the tracking plan).
    pub status: u16,
    /// Whose contract the finding is about: `api` (the API's) or `plan`
    /// (the tracking plan's).
    pub source: JsonSource,
    /// An RFC 6901 JSON Pointer to the value (empty for the request itself).
    pub pointer: String,
    /// The 1-based line of the value.
    pub line: usize,
    /// The 1-based column of the value, in characters.
    pub column: usize,
    /// What is wrong; API keys are masked.
    pub message: String,
    /// How to fix it, or null.
    pub help: Option<String>,
}

/// Whose contract a finding is about.
#[derive(Debug, Clone, Copy, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum JsonSource {
    /// The API's contract.
    Api,
    /// The tracking plan given with `--plan`.
    Plan,
}

/// A file that could not be read.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct JsonFileError {
    /// The file, as given.
    pub file: String,
    /// Why.
    pub message: String,
}

/// The totals of a run.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct JsonSummary {
    /// Files read (or tried).
    pub files: usize,
    /// Requests linted.
    pub documents: usize,
    /// Requests predicted to get another status than 200.
    pub rejected: usize,
    /// Diagnostics by severity.
    pub errors: usize,
    /// Diagnostics by severity.
    pub warnings: usize,
    /// Diagnostics by severity.
    pub infos: usize,
    /// Files that could not be read.
    pub unreadable_files: usize,
    /// How many requests are predicted each status, by status.
    pub statuses: BTreeMap<String, usize>,
    /// The tracking plan's findings, counted apart (absent without a plan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<JsonPlanCounts>,
}

/// The tracking plan's findings by severity.
#[derive(Debug, Serialize, JsonSchema)]
#[schemars(deny_unknown_fields)]
pub struct JsonPlanCounts {
    /// Plan findings that are errors.
    pub errors: usize,
    /// Plan findings that are warnings.
    pub warnings: usize,
    /// Plan findings that are infos.
    pub infos: usize,
}

impl JsonDocument {
    fn of(doc: &DocResult, normalized: bool) -> Self {
        Self {
            file: doc.file.to_string(),
            line: doc.line,
            index: doc.index,
            entry: doc.entry,
            kind: doc.kind.to_string(),
            status: doc.status.code(),
            diagnostics: doc
                .findings
                .iter()
                .map(|f| JsonDiagnostic {
                    code: f.diagnostic.rule.code().to_owned(),
                    severity: f.diagnostic.severity.as_str().to_owned(),
                    status: f.diagnostic.status.code(),
                    source: if f.diagnostic.rule.is_plan() { JsonSource::Plan } else { JsonSource::Api },
                    pointer: f.diagnostic.pointer.clone(),
                    line: f.line,
                    column: f.column,
                    message: f.diagnostic.message.clone(),
                    help: f.diagnostic.help.clone(),
                })
                .collect(),
            normalized: normalized.then(|| doc.normalized.clone().unwrap_or(serde_json::Value::Null)),
        }
    }
}

impl JsonSummary {
    fn of(s: &Summary) -> Self {
        Self {
            files: s.files,
            documents: s.documents,
            rejected: s.rejected(),
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            unreadable_files: s.unreadable_files,
            statuses: s.statuses.iter().map(|(status, n)| (status.to_string(), *n)).collect(),
            plan: s.plan.then_some(JsonPlanCounts {
                errors: s.plan_errors,
                warnings: s.plan_warnings,
                infos: s.plan_infos,
            }),
        }
    }
}

pub struct Json {
    out: Box<dyn Write>,
    normalized: bool,
    /// Whether documents with no finding are listed too.
    all: bool,
    documents: usize,
    errors: Vec<JsonFileError>,
}

impl Json {
    pub fn new(out: Box<dyn Write>, normalized: bool, all: bool) -> Self {
        Self { out, normalized, all, documents: 0, errors: Vec::new() }
    }
}

impl Output for Json {
    fn wants_clean_documents(&self) -> bool {
        self.all
    }

    fn document(&mut self, doc: &DocResult) -> io::Result<()> {
        if !self.all && doc.findings.is_empty() {
            return Ok(());
        }
        self.out.write_all(if self.documents == 0 { b"{\"documents\":[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.out, &JsonDocument::of(doc, self.normalized))?;
        self.documents += 1;
        Ok(())
    }

    fn file_error(&mut self, file: &str, message: &str) -> io::Result<()> {
        self.errors.push(JsonFileError { file: file.to_owned(), message: message.to_owned() });
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        self.out.write_all(if self.documents == 0 { b"{\"documents\":[" } else { b"\n" })?;
        let errors = serde_json::to_string(&self.errors)?;
        let summary = serde_json::to_string(&JsonSummary::of(s))?;
        writeln!(self.out, "],\"errors\":{errors},\"summary\":{summary}}}")?;
        self.out.flush()
    }
}

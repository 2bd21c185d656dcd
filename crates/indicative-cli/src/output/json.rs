//! One JSON object, streamed: `{"documents": [...], "errors": [...], "summary": {...}}`.
//! Documents are written as they are linted, so memory stays bounded; the
//! summary comes last because only then is it known.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::Output;
use crate::report::{DocResult, Summary};

pub struct Json {
    out: Box<dyn Write>,
    normalized: bool,
    documents: usize,
    errors: Vec<Value>,
}

impl Json {
    pub fn new(out: Box<dyn Write>, normalized: bool) -> Self {
        Self { out, normalized, documents: 0, errors: Vec::new() }
    }
}

/// A document as the JSON output shows it.
pub fn document(doc: &DocResult, normalized: bool) -> Value {
    let diagnostics: Vec<Value> = doc
        .findings
        .iter()
        .map(|f| {
            let d = &f.diagnostic;
            json!({
                "code": d.rule.code(),
                "severity": d.severity.as_str(),
                "status": d.status.code(),
                "pointer": d.pointer,
                "line": f.line,
                "column": f.column,
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    let mut value = json!({
        "file": doc.file,
        "line": doc.line,
        "index": doc.index,
        "kind": doc.kind,
        "status": doc.status.code(),
        "diagnostics": diagnostics,
    });
    if let Some(entry) = doc.entry {
        value["entry"] = json!(entry);
    }
    if normalized {
        value["normalized"] = doc.normalized.clone().unwrap_or(Value::Null);
    }
    value
}

pub fn summary(s: &Summary) -> Value {
    let statuses: serde_json::Map<String, Value> =
        s.statuses.iter().map(|(status, n)| (status.to_string(), json!(n))).collect();
    json!({
        "files": s.files,
        "documents": s.documents,
        "rejected": s.rejected(),
        "errors": s.errors,
        "warnings": s.warnings,
        "infos": s.infos,
        "unreadable_files": s.unreadable_files,
        "statuses": statuses,
    })
}

impl Output for Json {
    fn document(&mut self, doc: &DocResult) -> io::Result<()> {
        self.out.write_all(if self.documents == 0 { b"{\"documents\":[\n" } else { b",\n" })?;
        serde_json::to_writer(&mut self.out, &document(doc, self.normalized))?;
        self.documents += 1;
        Ok(())
    }

    fn file_error(&mut self, file: &str, message: &str) -> io::Result<()> {
        self.errors.push(json!({"file": file, "message": message}));
        Ok(())
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        self.out.write_all(if self.documents == 0 { b"{\"documents\":[" } else { b"\n" })?;
        write!(
            self.out,
            "],\"errors\":{},\"summary\":{}}}",
            Value::Array(std::mem::take(&mut self.errors)),
            summary(s)
        )?;
        writeln!(self.out)?;
        self.out.flush()
    }
}

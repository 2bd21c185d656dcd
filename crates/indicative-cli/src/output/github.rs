//! GitHub Actions workflow commands: one annotation per diagnostic.

use std::io::{self, Write};

use indicative_contract::Severity;

use super::Output;
use crate::report::{DocResult, Summary};

pub struct Github {
    out: Box<dyn Write>,
}

impl Github {
    pub fn new(out: Box<dyn Write>) -> Self {
        Self { out }
    }
}

/// Escapes a message for a workflow command.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Output for Github {
    fn document(&mut self, doc: &DocResult) -> io::Result<()> {
        for f in &doc.findings {
            let d = &f.diagnostic;
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "notice",
            };
            let (line, column) = if doc.entry.is_some() { (1, 1) } else { (f.line, f.column) };
            let mut message = if d.rule.is_plan() {
                format!("{} (tracking plan; the API would answer {}", d.message, d.status)
            } else {
                format!("{} (status {}", d.message, d.status)
            };
            if !d.pointer.is_empty() {
                message.push_str(&format!(", at {}", d.pointer));
            }
            message.push(')');
            if let Some(help) = &d.help {
                message.push_str(&format!(". Help: {help}"));
            }
            writeln!(
                self.out,
                "::{command} file={},line={line},col={column},title={}::{}",
                property(&doc.file),
                property(d.rule.code()),
                data(&message)
            )?;
        }
        Ok(())
    }

    fn file_error(&mut self, file: &str, message: &str) -> io::Result<()> {
        writeln!(self.out, "::error file={},title=unreadable::{}", property(file), data(message))
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        writeln!(
            self.out,
            "indicative: {} requests in {} files, {} predicted to be rejected; {} errors, {} warnings, {} infos{}",
            s.documents,
            s.files,
            s.rejected(),
            s.errors,
            s.warnings,
            s.infos,
            s.plan_phrase()
        )?;
        self.out.flush()
    }
}

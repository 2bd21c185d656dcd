//! GitHub Actions workflow commands: one annotation per diagnostic, up to
//! [`Cap`]'s limit per rule (a step shows only ten annotations of each
//! kind); then a notice per rule that was cut, counting what was left out,
//! and a per-rule summary.

use std::io::{self, Write};

use indicative_contract::Severity;

use super::cap::Cap;
use super::{Output, in_entry};
use crate::report::{DocResult, Summary};

pub struct Github {
    out: Box<dyn Write>,
    cap: Cap,
}

impl Github {
    pub fn new(out: Box<dyn Write>, cap: Cap) -> Self {
        Self { out, cap }
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
            if !self.cap.admit(d.rule) {
                continue;
            }
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                _ => "notice",
            };
            // A position in a HAR entry's body or URL is not one in the
            // file: the entry's first line stands for it.
            let (line, column) = if in_entry(doc) { (doc.line, 1) } else { (f.line, f.column) };
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
        if self.cap.left_out() {
            for (rule, shown, omitted) in self.cap.per_rule().filter(|(_, _, omitted)| *omitted > 0) {
                writeln!(
                    self.out,
                    "::notice title={}::{}",
                    property(rule.code()),
                    data(&format!(
                        "{omitted} more findings of {} were not annotated ({} shown; {})",
                        rule.code(),
                        shown,
                        self.cap.why()
                    ))
                )?;
            }
            for (rule, shown, omitted) in self.cap.per_rule() {
                writeln!(self.out, "indicative: {}: {} found, {shown} annotated", rule.code(), shown + omitted)?;
            }
        }
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

//! SARIF 2.1.0: one run, the rule catalogue as the driver's rules, one result
//! per diagnostic. Files that could not be read are tool notifications.

use std::io::{self, Write};

use indicative_contract::{Rule, Severity};
use serde_json::{Value, json};

use super::Output;
use crate::report::{DocResult, Summary};

pub struct Sarif {
    out: Box<dyn Write>,
    results: Vec<Value>,
    notifications: Vec<Value>,
}

impl Sarif {
    pub fn new(out: Box<dyn Write>) -> Self {
        Self { out, results: Vec::new(), notifications: Vec::new() }
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "note",
    }
}

/// A path as a relative URI reference: forward slashes, spaces and `%` escaped.
fn uri(file: &str) -> String {
    let file = file.strip_prefix("./").unwrap_or(file).replace('\\', "/");
    file.replace('%', "%25").replace(' ', "%20")
}

/// The rule catalogue as SARIF reporting descriptors: the summary, what
/// the rule flags, and its whole documentation (why it matters, an example
/// and the fix) as help.
fn rules() -> Vec<Value> {
    Rule::ALL
        .iter()
        .map(|rule| {
            let name: String = rule.code().split('-').map(|w| w[..1].to_uppercase() + &w[1..]).collect();
            let doc = rule.doc();
            let flags = doc.flags.split_whitespace().collect::<Vec<_>>().join(" ");
            json!({
                "id": rule.code(),
                "name": name,
                "shortDescription": {"text": rule.summary()},
                "fullDescription": {"text": flags},
                "help": {"text": rule.documentation(), "markdown": rule.documentation()},
                "defaultConfiguration": {"level": level(rule.default_severity())},
                "properties": {
                    "predictedStatus": rule.status().code(),
                    "strictProfile": rule.in_strict_profile(),
                    "tags": [if rule.is_plan() { "tracking-plan" } else { "api-contract" }],
                },
            })
        })
        .collect()
}

impl Output for Sarif {
    fn document(&mut self, doc: &DocResult) -> io::Result<()> {
        for f in &doc.findings {
            let d = &f.diagnostic;
            let index = Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message = format!("{message}. Help: {help}");
            }
            let (line, column) = if doc.entry.is_some() { (1, 1) } else { (f.line, f.column) };
            let mut result = json!({
                "ruleId": d.rule.code(),
                "ruleIndex": index,
                "level": level(d.severity),
                "message": {"text": message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&doc.file)},
                        "region": {"startLine": line, "startColumn": column},
                    },
                }],
                "properties": {
                    "predictedStatus": d.status.code(),
                    "pointer": d.pointer,
                    "document": doc.index,
                    "source": if d.rule.is_plan() { "plan" } else { "api" },
                },
            });
            if !d.pointer.is_empty() {
                result["locations"][0]["logicalLocations"] =
                    json!([{"fullyQualifiedName": d.pointer, "kind": "member"}]);
            }
            if let Some(entry) = doc.entry {
                result["properties"]["harEntry"] = json!(entry);
                result["properties"]["bodyLine"] = json!(f.line);
                result["properties"]["bodyColumn"] = json!(f.column);
            }
            self.results.push(result);
        }
        Ok(())
    }

    fn file_error(&mut self, file: &str, message: &str) -> io::Result<()> {
        self.notifications.push(json!({
            "level": "error",
            "message": {"text": format!("{file}: {message}")},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri(file)}}}],
        }));
        Ok(())
    }

    fn finish(&mut self, summary: &Summary) -> io::Result<()> {
        let log = json!({
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [{
                "tool": {"driver": {
                    "name": "indicative",
                    "version": env!("CARGO_PKG_VERSION"),
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": rules(),
                }},
                "invocations": [{
                    "executionSuccessful": summary.unreadable_files == 0,
                    "toolExecutionNotifications": std::mem::take(&mut self.notifications),
                }],
                "results": std::mem::take(&mut self.results),
            }],
        });
        serde_json::to_writer_pretty(&mut self.out, &log)?;
        writeln!(self.out)?;
        self.out.flush()
    }
}

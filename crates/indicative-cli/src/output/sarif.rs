//! SARIF 2.1.0: one run, the rule catalogue as the driver's rules, one result
//! per diagnostic. Files that could not be read are tool notifications.
//!
//! Written as a stream: the run's head first, then each result as its
//! document is linted, then the invocation and a per-rule summary, so that
//! memory stays bounded whatever the number of findings. Past the limits of
//! [`Cap`], results are counted and left out: the run's `properties.rules`
//! says per rule how many were found and how many left out, and a
//! notification names each rule that was cut.

use std::io::{self, Write};

use indicative_contract::{Rule, Severity};
use serde_json::{Value, json};

use super::cap::Cap;
use super::{Output, in_entry};
use crate::report::{DocResult, Summary};

pub struct Sarif {
    out: Box<dyn Write>,
    /// Whether the run's head is written.
    started: bool,
    results: usize,
    notifications: Vec<Value>,
    cap: Cap,
}

impl Sarif {
    pub fn new(out: Box<dyn Write>, cap: Cap) -> Self {
        Self { out, started: false, results: 0, notifications: Vec::new(), cap }
    }

    /// Writes the log up to the run's results, once.
    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            let tool = json!({"driver": {
                "name": "indicative",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": env!("CARGO_PKG_REPOSITORY"),
                "rules": rules(),
            }});
            write!(
                self.out,
                "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {},\n      \"columnKind\": \"unicodeCodePoints\",\n      \"results\": [",
                indented(&tool, 6)?
            )?;
        }
        Ok(())
    }
}

/// `value` pretty-printed, its lines after the first indented by `by` spaces.
fn indented(value: &Value, by: usize) -> io::Result<String> {
    Ok(serde_json::to_string_pretty(value)?.replace('\n', &format!("\n{}", " ".repeat(by))))
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        _ => "note",
    }
}

/// A path as a URI reference: a relative path as a relative reference,
/// an absolute one as a `file:` URI, with forward slashes and every byte
/// but letters, digits, `-._~` and `/` percent-encoded (so that `#`, `?`, a
/// `:` that would read as a scheme, spaces and non-ASCII names stay part
/// of the path).
fn uri(file: &str) -> String {
    let file = file.strip_prefix("./").unwrap_or(file).replace('\\', "/");
    let drive = file.as_bytes().get(1) == Some(&b':') && file.as_bytes().get(2) == Some(&b'/');
    let mut out = String::with_capacity(file.len() + 8);
    if file.starts_with('/') {
        out.push_str("file://");
    } else if drive {
        // A Windows path such as C:/dir/file.
        out.push_str("file:///");
        out.push_str(&file[..2]);
    }
    let rest = if drive { &file[2..] } else { &file[..] };
    for byte in rest.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
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
        self.start()?;
        for f in &doc.findings {
            let d = &f.diagnostic;
            if !self.cap.admit(d.rule) {
                continue;
            }
            let index = Rule::ALL.iter().position(|r| *r == d.rule).unwrap_or(0);
            let mut message = d.message.clone();
            if let Some(help) = &d.help {
                message = format!("{message}. Help: {help}");
            }
            // A position in a HAR entry's body or URL is not one in the
            // file: the entry's first line stands for it.
            let (line, column) = if in_entry(doc) { (doc.line, 1) } else { (f.line, f.column) };
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
            }
            if in_entry(doc) {
                result["properties"]["bodyLine"] = json!(f.line);
                result["properties"]["bodyColumn"] = json!(f.column);
            }
            let comma = if self.results == 0 { "" } else { "," };
            write!(self.out, "{comma}\n        {}", indented(&result, 8)?)?;
            self.results += 1;
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
        self.start()?;
        let mut per_rule = serde_json::Map::new();
        for (rule, shown, omitted) in self.cap.per_rule() {
            per_rule.insert(rule.code().to_owned(), json!({"reported": shown, "leftOut": omitted}));
            if omitted > 0 {
                self.notifications.push(json!({
                    "level": "note",
                    "message": {"text": format!(
                        "{omitted} more results of {} were left out ({})",
                        rule.code(),
                        self.cap.why()
                    )},
                    "associatedRule": {"id": rule.code(), "index": Rule::ALL.iter().position(|r| *r == rule).unwrap_or(0)},
                }));
            }
        }
        let invocations = json!([{
            "executionSuccessful": summary.unreadable_files == 0,
            "toolExecutionNotifications": std::mem::take(&mut self.notifications),
        }]);
        let properties = json!({"rules": per_rule});
        let close = if self.results == 0 { "]" } else { "\n      ]" };
        write!(
            self.out,
            "{close},\n      \"invocations\": {},\n      \"properties\": {}\n    }}\n  ]\n}}\n",
            indented(&invocations, 6)?,
            indented(&properties, 6)?
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_become_uri_references() {
        assert_eq!(super::uri("./payloads/a b.json"), "payloads/a%20b.json");
        assert_eq!(super::uri("q#1?.ndjson"), "q%231%3F.ndjson");
        assert_eq!(super::uri("a:b/100%.json"), "a%3Ab/100%25.json");
        assert_eq!(super::uri("caf\u{e9}.json"), "caf%C3%A9.json");
        assert_eq!(super::uri("/tmp/x y.har"), "file:///tmp/x%20y.har");
        assert_eq!(super::uri("C:\\work\\e.ndjson"), "file:///C:/work/e.ndjson");
        assert_eq!(super::uri("<stdin>"), "%3Cstdin%3E");
    }
}

//! `indicative capture report`: a running server's capture, printed as lint
//! prints its findings.

use std::borrow::Cow;
use std::io::{self, Write};
use std::process::ExitCode;
use std::sync::Arc;

use indicative_contract::input::{Document, Payload};
use indicative_contract::{DetectedKind, Diagnostic, Report, RequestInfo, RequestKind, Rule, Severity, Status};
use indicative_server::capture::{Record, Verdict};

use crate::args::{CaptureCommand, Deny, Documents, OutputFormat};
use crate::report::{Place, Summary, result_of};

pub fn run(command: CaptureCommand) -> io::Result<ExitCode> {
    let CaptureCommand::Report { url, format, deny, max_per_rule, admin_token } = command;
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let capture = match runtime.block_on(indicative_server::client::fetch_capture(&url, admin_token.as_deref())) {
        Ok(capture) => capture,
        Err(message) => {
            writeln!(io::stderr(), "indicative capture report: {message}")?;
            return Ok(ExitCode::from(2));
        }
    };
    let mut out = crate::output::for_format(format, false, Documents::Findings, max_per_rule);
    // The capture is the one input, its requests the documents.
    let mut summary = Summary { files: 1, ..Summary::default() };
    let base = url.trim_end_matches('/');
    let mut unchecked = 0;
    if capture.dropped_requests > 0 {
        // Their verdicts are not known here: the report cannot pass them.
        unchecked += 1;
        out.file_error(
            &format!("{base}/_contract/summary"),
            &format!(
                "{} earlier {} dropped from memory to keep the capture within the server's --max-events; {} not in this report (a --db database keeps them; raise --max-events, or reset the capture between tests)",
                capture.dropped_requests,
                if capture.dropped_requests == 1 { "request was" } else { "requests were" },
                if capture.dropped_requests == 1 { "its verdict is" } else { "their verdicts are" },
            ),
        )?;
    }
    for record in &capture.records {
        summary.plan |= record.findings.iter().any(|f| f.plan);
        if record.verdict == Verdict::Good {
            summary.add_clean(1);
            continue;
        }
        let file: Arc<str> = Arc::from(format!("{base}/_contract/events/{}", record.seq));
        let Some(report) = report_of(record) else {
            unchecked += 1;
            let why = match record.predicted {
                413 => "its body is over the server's --max-body-bytes",
                408 => "its body did not arrive in time",
                _ => "its body broke off",
            };
            out.file_error(
                &file,
                &format!(
                    "{} {} was answered {} before it was linted ({why})",
                    record.method, record.target, record.predicted
                ),
            )?;
            continue;
        };
        let query = report.kind.kind() == Some(RequestKind::EventQuery);
        let source = if query { record.target.as_bytes() } else { record.body_bytes() };
        let content_type = record.headers.iter().find(|h| h.name == "content-type").map(|h| h.value.as_str());
        let request = RequestInfo::http(&record.method, &record.target, content_type);
        let payload = if query {
            Payload::Query { url: Cow::Borrowed(&record.target), request }
        } else {
            Payload::Body { bytes: Cow::Borrowed(source), request }
        };
        let doc = Document { index: 0, line: 1, column: 1, offset: None, entry: None, payload };
        let place = Place { text: source, first_line: 1, first_column: 1, source_line: format == OutputFormat::Human };
        let mut result = result_of(report, &file, &doc, &place, false);
        result.index = usize::try_from(record.seq).unwrap_or(usize::MAX);
        let part = if query { "its URL" } else { "its body" };
        result.note = Some(format!("{} {}; line and column in {part}", record.method, record.target));
        summary.add(&result);
        out.document(&result)?;
    }
    summary.unreadable_files += unchecked;
    out.finish(&summary)?;
    Ok(if unchecked > 0 {
        ExitCode::from(2)
    } else if summary.errors + summary.plan_errors > 0
        || (deny == Some(Deny::Warnings) && summary.warnings + summary.plan_warnings > 0)
    {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The server's report of a request, as the lint engine would have made it;
/// `None` for a request answered before the lint read it.
fn report_of(record: &Record) -> Option<Report> {
    let status = Status::from_code(record.predicted)?;
    // A status the lint did not give (a body that broke off is 400 with no
    // finding) means the request was never linted.
    if status != Status::Ok && record.findings.is_empty() {
        return None;
    }
    let diagnostics = record
        .findings
        .iter()
        .filter_map(|f| {
            Some(Diagnostic {
                rule: Rule::from_code(f.code)?,
                severity: Severity::parse(f.severity)?,
                status: Status::from_code(f.status)?,
                pointer: f.pointer.clone(),
                span: f.start..f.end,
                message: f.message.clone(),
                help: f.help.clone(),
            })
        })
        .collect();
    let kind = record.kind.and_then(RequestKind::from_name).map_or(DetectedKind::Unknown, DetectedKind::Given);
    Some(Report { kind, status, diagnostics })
}

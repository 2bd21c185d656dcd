//! Reading a running server's capture over HTTP (`indicative capture report`).

use std::time::Duration;

use serde::Deserialize as _;
use serde_json::Value;

use crate::capture::Record;

/// What a server holds: its requests, oldest first, and how many earlier
/// ones it dropped to keep within `--max-events`.
///
/// ```no_run
/// # async fn run() -> Result<(), String> {
/// let capture = indicative_server::client::fetch_capture("http://127.0.0.1:9595", None).await?;
/// if capture.dropped_requests > 0 {
///     eprintln!("{} requests are no longer held", capture.dropped_requests);
/// }
/// println!("{} requests held", capture.records.len());
/// # Ok(())
/// # }
/// ```
pub struct Capture {
    /// The requests held.
    pub records: Vec<Record>,
    /// Requests dropped before the last page was read (their verdicts are
    /// not in `records`).
    pub dropped_requests: u64,
}

fn client() -> Result<reqwest::Client, String> {
    crate::install_tls();
    reqwest::Client::builder()
        .connect_timeout(Duration::from_secs(10))
        .timeout(Duration::from_secs(120))
        .build()
        .map_err(|e| e.to_string())
}

/// Every request a server at `base` (`http://127.0.0.1:9595`) holds, oldest
/// first, read page by page through `/_contract/events`, and then how many
/// it dropped (from `/_contract/summary`).
///
/// # Errors
///
/// The server cannot be reached, refuses (a wrong `token`), or answers
/// something that is not its capture.
pub async fn fetch_capture(base: &str, token: Option<&str>) -> Result<Capture, String> {
    let records = fetch_all(base, token).await?;
    let url = format!("{}/_contract/summary", base.trim_end_matches('/'));
    let mut request = client()?.get(&url);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.map_err(|e| format!("{url}: {}", chain(&e)))?;
    let status = response.status();
    let text = response.text().await.map_err(|e| format!("{url}: {e}"))?;
    let summary: Value = serde_json::from_str(&text)
        .ok()
        .filter(|_| status.is_success())
        .ok_or_else(|| format!("{url}: {status}: not an indicative serve summary"))?;
    let dropped_requests = summary["droppedRequests"]
        .as_u64()
        .ok_or_else(|| format!("{url}: not an indicative serve summary (no `droppedRequests`)"))?;
    Ok(Capture { records, dropped_requests })
}

/// Every request a server at `base` (`http://127.0.0.1:9595`) holds, oldest
/// first, read page by page through `/_contract/events`.
///
/// # Errors
///
/// The server cannot be reached, refuses (a wrong `token`), or answers
/// something that is not its capture.
pub async fn fetch_all(base: &str, token: Option<&str>) -> Result<Vec<Record>, String> {
    let base = base.trim_end_matches('/');
    let client = client()?;
    let mut records = Vec::new();
    let mut since = 0;
    loop {
        let url = format!("{base}/_contract/events?limit=1000&since={since}");
        let mut request = client.get(&url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.map_err(|e| format!("{url}: {}", chain(&e)))?;
        let status = response.status();
        let text = response.text().await.map_err(|e| format!("{url}: {e}"))?;
        if !status.is_success() {
            let why = serde_json::from_str::<Value>(&text)
                .ok()
                .and_then(|v| v["error"].as_str().map(str::to_owned))
                .unwrap_or(text);
            return Err(format!("{url}: {status}: {why}"));
        }
        let mut page: Value =
            serde_json::from_str(&text).map_err(|e| format!("{url}: not an indicative serve capture: {e}"))?;
        let Some(items) = page.get_mut("requests").and_then(Value::as_array_mut) else {
            return Err(format!("{url}: not an indicative serve capture (no `requests`)"));
        };
        for item in items.drain(..) {
            let record =
                Record::deserialize(item).map_err(|e| format!("{url}: a captured request cannot be read: {e}"))?;
            records.push(record);
        }
        match page.get("next").and_then(Value::as_u64) {
            Some(next) if next > since => since = next,
            _ => return Ok(records),
        }
    }
}

/// An error with its causes: reqwest's own message names the request, the
/// cause says why (connection refused, a timeout).
pub(crate) fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

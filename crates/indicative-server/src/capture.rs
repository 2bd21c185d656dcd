//! The capture: every request the server answered, recorded before its
//! answer was sent, with one row per event so that filters work on events.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A whole number as JSON Schema's `integer` has it: `2016` or `2016.0`.
pub(crate) fn whole_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    let Some(value) = Option::<serde_json::Number>::deserialize(d)? else { return Ok(None) };
    if let Some(n) = value.as_u64() {
        return Ok(Some(n));
    }
    match value.as_f64() {
        // Below 2^53 every whole f64 is exact.
        Some(f) if f.fract() == 0.0 && (0.0..9_007_199_254_740_992.0).contains(&f) => Ok(Some(f as u64)),
        _ => Err(serde::de::Error::custom(format!("{value} is not a whole number from 0 to {}", u64::MAX))),
    }
}

fn http_status<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    match whole_number(d)? {
        Some(status) if (100..=599).contains(&status) => Ok(u16::try_from(status).ok()),
        Some(status) => {
            Err(serde::de::Error::custom(format!("status must be an HTTP status, 100 to 599, not {status}")))
        }
        None => Ok(None),
    }
}

/// Reads back a rule code written by this server.
fn static_code<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let code = String::deserialize(d)?;
    indicative_contract::Rule::from_code(&code)
        .map(indicative_contract::Rule::code)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown rule code {code:?}")))
}

fn static_codes<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<&'static str>, D::Error> {
    let codes = Vec::<String>::deserialize(d)?;
    codes
        .iter()
        .map(|code| {
            indicative_contract::Rule::from_code(code)
                .map(indicative_contract::Rule::code)
                .ok_or_else(|| serde::de::Error::custom(format!("unknown rule code {code:?}")))
        })
        .collect()
}

fn static_severity<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let name = String::deserialize(d)?;
    ["error", "warning", "info", "off"]
        .into_iter()
        .find(|known| *known == name)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown severity {name:?}")))
}

fn static_kind<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'static str>, D::Error> {
    let Some(name) = Option::<String>::deserialize(d)? else { return Ok(None) };
    indicative_contract::RequestKind::from_name(&name)
        .map(|kind| Some(kind.name()))
        .ok_or_else(|| serde::de::Error::custom(format!("unknown kind {name:?}")))
}

/// What the server made of a request (or of one event in it).
///
/// ```
/// use indicative_server::capture::Verdict;
/// assert_eq!(Verdict::parse("warned"), Some(Verdict::Warned));
/// assert_eq!(Verdict::Bad.as_str(), "bad");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Accepted, with no finding.
    Good,
    /// Accepted (200), with findings.
    Warned,
    /// Rejected, or with an error the API accepts: a tracking plan's, or a
    /// rule made an error by the settings (`--rule`, the config).
    Bad,
}

impl Verdict {
    /// Reads `good`, `warned` or `bad`.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "good" => Some(Self::Good),
            "warned" => Some(Self::Warned),
            "bad" => Some(Self::Bad),
            _ => None,
        }
    }

    /// Its name.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Warned => "warned",
            Self::Bad => "bad",
        }
    }
}

/// One finding, as recorded: the lint's diagnostic and its byte span in the
/// recorded body (or target, for a GET).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's code.
    #[serde(deserialize_with = "static_code")]
    pub code: &'static str,
    /// `error`, `warning` or `info`.
    #[serde(deserialize_with = "static_severity")]
    pub severity: &'static str,
    /// The status this finding alone predicts.
    pub status: u16,
    /// A JSON Pointer to the value.
    pub pointer: String,
    /// What is wrong (keys masked).
    pub message: String,
    /// How to fix it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
    /// Where the value starts in the recorded body (or target, for a GET), in bytes.
    pub start: usize,
    /// Where it ends.
    pub end: usize,
    /// Whether the rule is a tracking plan's.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub plan: bool,
}

/// One event of a request: a batch has one per item; any other request has
/// exactly one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventRow {
    /// The item's index in a batch.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The `eventName`, as its stored text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// The event's properties (a GET's names and values paired), as sent.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub properties: serde_json::Map<String, Value>,
    /// The worst status of its findings and of the request's own.
    pub status: u16,
    /// Its verdict.
    pub verdict: Verdict,
    /// The codes of its findings and of the request's own.
    #[serde(deserialize_with = "static_codes")]
    pub codes: Vec<&'static str>,
}

/// A header, as sent (its value keys masked, and lossy if not UTF-8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Its name, lowercase.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// One captured request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// Its sequence number, from 1, never reused (a reset does not restart it).
    pub seq: u64,
    /// When it arrived (RFC 3339, UTC, milliseconds).
    pub time: String,
    /// The HTTP method.
    pub method: String,
    /// The path and query, keys masked.
    pub target: String,
    /// The headers, in the order sent, keys masked.
    pub headers: Vec<Header>,
    /// The body as text (keys masked), when it is UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The body's bytes, when it is not UTF-8 (keys masked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_bytes: Option<Vec<u8>>,
    /// The request kind, when known.
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "static_kind")]
    pub kind: Option<&'static str>,
    /// The status the API is predicted to answer.
    pub predicted: u16,
    /// The status this server answered (the prediction, or 413 or 429).
    pub status: u16,
    /// The verdict.
    pub verdict: Verdict,
    /// Every finding.
    pub findings: Vec<Finding>,
    /// One row per event.
    pub events: Vec<EventRow>,
}

impl Record {
    /// What it takes in memory, roughly: its body and target (and, as
    /// much again, its event rows' copies of names and properties).
    #[must_use]
    pub fn size(&self) -> usize {
        self.body_bytes().len()
            + self.target.len()
            + self.headers.iter().map(|h| h.name.len() + h.value.len()).sum::<usize>()
    }

    /// The recorded body's bytes.
    #[must_use]
    pub fn body_bytes(&self) -> &[u8] {
        self.body.as_deref().map_or_else(|| self.body_bytes.as_deref().unwrap_or_default(), str::as_bytes)
    }
}

/// What to select among captured events. Every given field must hold.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Filter {
    /// The event's verdict.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// The request kind (`event`, `batch`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The event name, exactly.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// A rule code among the event's findings.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The event's status (an HTTP status, 100 to 599).
    #[serde(default, skip_serializing_if = "Option::is_none", deserialize_with = "http_status")]
    pub status: Option<u16>,
    /// Property values the event must have, compared as the API stores them
    /// (`12` matches `"12"`).
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub properties: serde_json::Map<String, Value>,
    /// Text the event's name or one of its property names contains, in any
    /// case (the admin API lowercases it before it is matched).
    #[serde(default, rename = "q", skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
}

/// Whether `q` (lowercase) is in the row's event name or a property name,
/// in any case.
fn search_hit(row: &EventRow, q: &str) -> bool {
    row.event_name.as_deref().is_some_and(|name| name.to_lowercase().contains(q))
        || row.properties.keys().any(|name| name.to_lowercase().contains(q))
}

/// The text the API stores for a scalar; `None` for an object or array.
fn stored_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Null => Some("null".to_owned()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

fn same_value(actual: &Value, expected: &Value) -> bool {
    actual == expected || matches!((stored_text(actual), stored_text(expected)), (Some(a), Some(b)) if a == b)
}

impl Filter {
    /// How the event row differs from the filter: one line per unmet field.
    #[must_use]
    pub fn differences(&self, record: &Record, row: &EventRow) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(verdict) = self.verdict
            && row.verdict != verdict
        {
            out.push(format!("verdict is {}, expected {}", row.verdict.as_str(), verdict.as_str()));
        }
        if let Some(kind) = &self.kind
            && record.kind != Some(kind.as_str())
        {
            out.push(format!("kind is {}, expected {kind}", record.kind.unwrap_or("unknown")));
        }
        if let Some(name) = &self.event_name
            && row.event_name.as_deref() != Some(name.as_str())
        {
            match &row.event_name {
                Some(actual) => out.push(format!("eventName is {actual:?}, expected {name:?}")),
                None => out.push(format!("no eventName, expected {name:?}")),
            }
        }
        if let Some(code) = &self.code
            && !row.codes.contains(&code.as_str())
        {
            out.push(format!("no {code} finding"));
        }
        if let Some(status) = self.status
            && row.status != status
        {
            out.push(format!("status is {}, expected {status}", row.status));
        }
        for (name, expected) in &self.properties {
            match row.properties.get(name) {
                Some(actual) if same_value(actual, expected) => {}
                Some(actual) => out.push(format!("property {name:?} is {actual}, expected {expected}")),
                None => out.push(format!("no property {name:?}, expected {expected}")),
            }
        }
        if let Some(q) = &self.search
            && !search_hit(row, q)
        {
            out.push(format!("neither its name nor a property name contains {q:?}"));
        }
        out
    }

    /// Whether the event row matches (as [`differences`](Self::differences)
    /// being empty, without writing them).
    #[must_use]
    pub fn matches(&self, record: &Record, row: &EventRow) -> bool {
        self.verdict.is_none_or(|v| row.verdict == v)
            && self.kind.as_deref().is_none_or(|k| record.kind == Some(k))
            && self.event_name.as_deref().is_none_or(|n| row.event_name.as_deref() == Some(n))
            && self.code.as_deref().is_none_or(|c| row.codes.contains(&c))
            && self.status.is_none_or(|s| row.status == s)
            && self
                .properties
                .iter()
                .all(|(name, expected)| row.properties.get(name).is_some_and(|a| same_value(a, expected)))
            && self.search.as_deref().is_none_or(|q| search_hit(row, q))
    }
}

/// Counts by name.
pub type Counts = BTreeMap<String, u64>;

/// Totals over what the capture holds, and what it dropped.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    /// Requests held.
    pub requests: u64,
    /// Events held (a batch's items, one per other request).
    pub events: u64,
    /// Events by verdict.
    pub by_verdict: Counts,
    /// Requests by the status answered.
    pub by_status: Counts,
    /// Requests by kind (`unknown` when none).
    pub by_kind: Counts,
    /// Events by name.
    pub by_event_name: Counts,
    /// Findings by rule code.
    pub by_code: Counts,
    /// Requests dropped to keep the capture within its bound.
    pub dropped_requests: u64,
    /// Events dropped with them.
    pub dropped_events: u64,
    /// The last sequence number given (0 before the first request).
    pub last_seq: u64,
    /// The bytes the requests held take (bodies and targets).
    pub bytes: u64,
}

impl Summary {
    fn count(&mut self, record: &Record, sign: i64) {
        fn bump(counts: &mut Counts, key: &str, sign: i64) {
            let entry = counts.entry(key.to_owned()).or_default();
            *entry = entry.saturating_add_signed(sign);
            if *entry == 0 {
                counts.remove(key);
            }
        }
        self.requests = self.requests.saturating_add_signed(sign);
        self.bytes = self.bytes.saturating_add_signed(sign * record.size() as i64);
        self.events = self.events.saturating_add_signed(sign * record.events.len() as i64);
        bump(&mut self.by_status, &record.status.to_string(), sign);
        bump(&mut self.by_kind, record.kind.unwrap_or("unknown"), sign);
        for row in &record.events {
            bump(&mut self.by_verdict, row.verdict.as_str(), sign);
            if let Some(name) = &row.event_name {
                bump(&mut self.by_event_name, name, sign);
            }
        }
        for finding in &record.findings {
            bump(&mut self.by_code, finding.code, sign);
        }
    }
}

/// A page of matching events.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// The matching requests, in sequence order, each with every event row
    /// (`matched` says which rows matched).
    pub requests: Vec<Matched>,
    /// Pass as `since` for the next page; absent on the last page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<u64>,
}

/// A request with the indices of its event rows that matched a filter.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Matched {
    /// The request.
    #[serde(flatten)]
    pub record: Arc<Record>,
    /// Which of its event rows matched.
    pub matched: Vec<usize>,
}

struct Inner {
    records: VecDeque<Arc<Record>>,
    summary: Summary,
}

/// The in-memory capture, bounded by a number of events: when a new request
/// would pass the bound, the oldest requests are dropped (and counted).
///
/// ```
/// use indicative_server::capture::{Capture, Filter};
/// let capture = Capture::new(1000);
/// assert_eq!(capture.summary().requests, 0);
/// assert!(capture.page(&Filter::default(), 0, 10).requests.is_empty());
/// ```
pub struct Capture {
    inner: Mutex<Inner>,
    max_events: usize,
    max_bytes: usize,
    changed: tokio::sync::watch::Sender<u64>,
}

impl std::fmt::Debug for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Capture").field("max_events", &self.max_events).finish_non_exhaustive()
    }
}

impl Capture {
    /// Bounds the capture by the bytes its requests take too (see
    /// [`Record::size`]): past it, the oldest requests are dropped.
    #[must_use]
    pub const fn with_max_bytes(mut self, bytes: usize) -> Self {
        self.max_bytes = bytes;
        self
    }

    /// An empty capture holding at most `max_events` events (at least one request).
    #[must_use]
    pub fn new(max_events: usize) -> Self {
        Self {
            inner: Mutex::new(Inner { records: VecDeque::new(), summary: Summary::default() }),
            max_events,
            max_bytes: usize::MAX,
            changed: tokio::sync::watch::channel(0).0,
        }
    }

    /// A capture holding `records` (oldest first) read back from a
    /// database, numbering on from `last_seq`; `older` requests and
    /// `older_events` events stayed in the database, counted as dropped.
    #[must_use]
    pub fn restored(max_events: usize, records: Vec<Record>, last_seq: u64, older: u64, older_events: u64) -> Self {
        let capture = Self::new(max_events);
        {
            let mut inner = capture.lock();
            for record in records {
                inner.summary.count(&record, 1);
                inner.records.push_back(Arc::new(record));
            }
            inner.summary.last_seq = last_seq.max(inner.records.back().map_or(0, |r| r.seq));
            inner.summary.dropped_requests = older;
            inner.summary.dropped_events = older_events;
        }
        capture.changed.send_replace(capture.lock().summary.last_seq);
        capture
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Records a request, numbering it: `make` receives its sequence number.
    /// Returns the record as stored.
    pub fn record(&self, make: impl FnOnce(u64) -> Record) -> Arc<Record> {
        let (record, ()) = self.record_then(make, |_| ());
        self.publish();
        record
    }

    /// Records a request as [`record`](Self::record) does, and calls `then`
    /// with it while no other request or reset can come between (to queue
    /// its database write in the same order); wakes no waiter: call
    /// [`publish`](Self::publish) once the record is to be seen.
    pub fn record_then<T>(
        &self,
        make: impl FnOnce(u64) -> Record,
        then: impl FnOnce(&Arc<Record>) -> T,
    ) -> (Arc<Record>, T) {
        let mut inner = self.lock();
        let seq = inner.summary.last_seq + 1;
        let record = Arc::new(make(seq));
        inner.summary.last_seq = seq;
        let size = record.size();
        while !inner.records.is_empty()
            && (inner.summary.events as usize + record.events.len() > self.max_events
                || (inner.summary.bytes as usize).saturating_add(size) > self.max_bytes)
        {
            let Some(old) = inner.records.pop_front() else { break };
            inner.summary.count(&old, -1);
            inner.summary.dropped_requests += 1;
            inner.summary.dropped_events += old.events.len() as u64;
        }
        inner.summary.count(&record, 1);
        inner.records.push_back(Arc::clone(&record));
        let after = then(&record);
        (record, after)
    }

    /// Wakes the waiters (`wait`) to what the capture holds now.
    pub fn publish(&self) {
        let last = self.lock().summary.last_seq;
        self.changed.send_replace(last);
    }

    /// Takes back request `seq` (its database write failed, and its client
    /// was told so): the capture shows only what it keeps.
    pub fn forget(&self, seq: u64) {
        let mut inner = self.lock();
        let at = inner.records.partition_point(|r| r.seq < seq);
        if inner.records.get(at).is_some_and(|r| r.seq == seq)
            && let Some(record) = inner.records.remove(at)
        {
            inner.summary.count(&record, -1);
        }
    }

    /// The totals.
    #[must_use]
    pub fn summary(&self) -> Summary {
        self.lock().summary.clone()
    }

    /// Empties the capture; answers the summary it cleared. Sequence
    /// numbers go on from where they were.
    pub fn reset(&self) -> Summary {
        self.reset_then(|| ()).0
    }

    /// Empties the capture as [`reset`](Self::reset) does, calling `then`
    /// while no request can be recorded (to queue the database's reset in
    /// the same order as the writes).
    pub fn reset_then<T>(&self, then: impl FnOnce() -> T) -> (Summary, T) {
        let (cleared, after) = {
            let mut inner = self.lock();
            inner.records.clear();
            let cleared = inner.summary.clone();
            inner.summary = Summary { last_seq: cleared.last_seq, ..Summary::default() };
            (cleared, then())
        };
        self.changed.send_modify(|_| {});
        (cleared, after)
    }

    /// The request numbered `seq`, if held.
    #[must_use]
    pub fn get(&self, seq: u64) -> Option<Arc<Record>> {
        let inner = self.lock();
        let at = inner.records.partition_point(|r| r.seq < seq);
        inner.records.get(at).filter(|r| r.seq == seq).cloned()
    }

    /// Up to `limit` requests after sequence number `since` with an event
    /// that matches `filter`.
    #[must_use]
    pub fn page(&self, filter: &Filter, since: u64, limit: usize) -> Page {
        self.page_between(filter, since, None, limit)
    }

    /// As [`page`](Self::page), and only before sequence number `before`.
    #[must_use]
    pub fn page_between(&self, filter: &Filter, since: u64, before: Option<u64>, limit: usize) -> Page {
        let inner = self.lock();
        let range = Self::between(&inner, since, before);
        Self::collect(filter, inner.records.range(range), limit)
    }

    /// Up to `limit` requests after `since` and before sequence number
    /// `before` (all, when `None`) with an event that matches `filter`,
    /// newest first; `next` is the `before` of the following page.
    #[must_use]
    pub fn page_newest(&self, filter: &Filter, since: u64, before: Option<u64>, limit: usize) -> Page {
        let inner = self.lock();
        let range = Self::between(&inner, since, before);
        Self::collect(filter, inner.records.range(range).rev(), limit)
    }

    /// The positions of the requests after `since` and before `before`.
    fn between(inner: &Inner, since: u64, before: Option<u64>) -> std::ops::Range<usize> {
        let start = inner.records.partition_point(|r| r.seq <= since);
        let end = before.map_or(inner.records.len(), |before| inner.records.partition_point(|r| r.seq < before));
        start..end.max(start)
    }

    /// The first `limit` of `records` with an event that matches `filter`,
    /// and the cursor past them (the last one's number) when more match.
    fn collect<'a>(filter: &Filter, records: impl Iterator<Item = &'a Arc<Record>>, limit: usize) -> Page {
        let mut requests = Vec::new();
        let mut next = None;
        for record in records {
            let matched: Vec<usize> =
                (0..record.events.len()).filter(|&i| filter.matches(record, &record.events[i])).collect();
            if matched.is_empty() {
                continue;
            }
            if requests.len() == limit {
                next = requests.last().map(|m: &Matched| m.record.seq);
                break;
            }
            requests.push(Matched { record: Arc::clone(record), matched });
        }
        Page { requests, next }
    }

    /// The number of events after `since` that match `filter`, and the
    /// requests that hold them (at most `limit`).
    #[must_use]
    pub fn count(&self, filter: &Filter, since: u64, limit: usize) -> (usize, Vec<Matched>) {
        let inner = self.lock();
        let start = inner.records.partition_point(|r| r.seq <= since);
        let mut count = 0;
        let mut requests = Vec::new();
        for record in inner.records.range(start..) {
            let matched: Vec<usize> =
                (0..record.events.len()).filter(|&i| filter.matches(record, &record.events[i])).collect();
            count += matched.len();
            if !matched.is_empty() && requests.len() < limit {
                requests.push(Matched { record: Arc::clone(record), matched });
            }
        }
        (count, requests)
    }

    /// The events after `since` nearest to matching `filter` (fewest
    /// differences first), with how each differs; at most `limit`.
    #[must_use]
    pub fn nearest(&self, filter: &Filter, since: u64, limit: usize) -> Vec<Near> {
        let inner = self.lock();
        let start = inner.records.partition_point(|r| r.seq <= since);
        let mut near: Vec<Near> = Vec::new();
        for record in inner.records.range(start..) {
            for (index, row) in record.events.iter().enumerate() {
                let differences = filter.differences(record, row);
                if !differences.is_empty() {
                    near.push(Near { seq: record.seq, event: index, event_name: row.event_name.clone(), differences });
                }
            }
        }
        // Fewest differences first; then, when a name was expected, the
        // nearest name; then the newest (the stable sort keeps the reversed
        // sequence order).
        near.reverse();
        // Names are compared on their first 256 characters, each once.
        let expected = filter.event_name.as_ref().map(|e| e.chars().take(256).collect::<String>().to_lowercase());
        let distance = |n: &Near| match (&expected, &n.event_name) {
            (Some(expected), Some(name)) => {
                let name: String = name.chars().take(256).collect::<String>().to_lowercase();
                strsim::levenshtein(expected, &name)
                    + usize::from(Some(n.event_name.as_deref()) != Some(filter.event_name.as_deref()))
            }
            _ => usize::MAX,
        };
        near.sort_by_cached_key(|n| (n.differences.len(), distance(n)));
        near.truncate(limit);
        near
    }

    /// Every held request, oldest first.
    #[must_use]
    pub fn all(&self) -> Vec<Arc<Record>> {
        self.lock().records.iter().cloned().collect()
    }

    /// A receiver that sees the last sequence number change (and resets).
    #[must_use]
    pub fn subscribe(&self) -> tokio::sync::watch::Receiver<u64> {
        self.changed.subscribe()
    }
}

/// A captured event that did not match an expectation, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Near {
    /// The request's sequence number.
    pub seq: u64,
    /// The event row's place in the request.
    pub event: usize,
    /// Its event name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub event_name: Option<String>,
    /// What differs from the expectation.
    pub differences: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(seq: u64, names: &[&str]) -> Record {
        Record {
            seq,
            time: String::new(),
            method: "POST".into(),
            target: "/service/event/batch".into(),
            headers: vec![],
            body: Some(String::new()),
            body_bytes: None,
            kind: Some("batch"),
            predicted: 200,
            status: 200,
            verdict: Verdict::Good,
            findings: vec![],
            events: names
                .iter()
                .map(|name| EventRow {
                    index: None,
                    event_name: Some((*name).to_owned()),
                    properties: serde_json::Map::new(),
                    status: 200,
                    verdict: Verdict::Good,
                    codes: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn the_oldest_requests_are_dropped_and_counted() {
        let capture = Capture::new(5);
        capture.record(|seq| record(seq, &["A", "B"]));
        capture.record(|seq| record(seq, &["C", "D"]));
        capture.record(|seq| record(seq, &["E", "F"]));
        let summary = capture.summary();
        assert_eq!((summary.requests, summary.events), (2, 4));
        assert_eq!((summary.dropped_requests, summary.dropped_events, summary.last_seq), (1, 2, 3));
        assert_eq!(summary.by_event_name.keys().collect::<Vec<_>>(), ["C", "D", "E", "F"]);
        assert!(capture.get(1).is_none());
        assert_eq!(capture.get(3).map(|r| r.seq), Some(3));
        // A request larger than the bound is still kept, alone.
        capture.record(|seq| record(seq, &["G"; 9]));
        assert_eq!(capture.summary().requests, 1);
        // A bound in bytes too.
        let capture = Capture::new(1000).with_max_bytes(100);
        let size = record(1, &["A"]).size();
        for _ in 0..10 {
            capture.record(|seq| record(seq, &["A"]));
        }
        let summary = capture.summary();
        assert_eq!(summary.requests as usize, 100 / size);
        assert_eq!(summary.bytes as usize, summary.requests as usize * size);
    }

    #[test]
    fn pages_follow_the_cursor() {
        let capture = Capture::new(100);
        for _ in 0..5 {
            capture.record(|seq| record(seq, &["A", "B"]));
        }
        let filter = Filter { event_name: Some("B".into()), ..Filter::default() };
        let first = capture.page(&filter, 0, 2);
        assert_eq!(first.requests.iter().map(|m| m.record.seq).collect::<Vec<_>>(), [1, 2]);
        assert_eq!(first.requests[0].matched, [1]);
        let second = capture.page(&filter, first.next.unwrap(), 10);
        assert_eq!(second.requests.iter().map(|m| m.record.seq).collect::<Vec<_>>(), [3, 4, 5]);
        assert_eq!(second.next, None);
        assert_eq!(capture.count(&filter, 2, 0).0, 3);
        let cleared = capture.reset();
        assert_eq!(cleared.requests, 5);
        assert_eq!(capture.summary().last_seq, 5);
    }

    #[test]
    fn values_compare_as_stored() {
        assert!(same_value(&serde_json::json!(12), &serde_json::json!("12")));
        assert!(same_value(&serde_json::json!("true"), &serde_json::json!(true)));
        assert!(!same_value(&serde_json::json!("12.0"), &serde_json::json!(12)));
    }
}

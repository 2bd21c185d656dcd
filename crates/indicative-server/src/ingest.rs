//! The API's routes: each request's raw bytes go to the lint engine, the
//! request is recorded, and then the predicted status is answered.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use indicative_contract::{
    Diagnostic, Endpoint, EndpointError, LintOptions, Report, RequestInfo, RequestKind, Rule, Severity, Status,
    lint_body, lint_query,
};
use serde_json::{Map, Value, json};

use crate::capture::{EventRow, Finding, Header, Record, Verdict};
use crate::{App, mask};

/// Events counted in the current second, for `--rate-limit`.
#[derive(Debug, Default)]
pub(crate) struct RateWindow {
    second: i64,
    events: u64,
}

impl RateWindow {
    /// Admits `events` more in the second `now` (Unix seconds) under `limit`.
    fn admit(&mut self, now: i64, events: u64, limit: u64) -> bool {
        if now != self.second {
            self.second = now;
            self.events = 0;
        }
        if self.events + events > limit {
            return false;
        }
        self.events += events;
        true
    }
}

/// What a request's bytes say besides the lint's report: its key and its
/// events, read with serde_json (a body it cannot read has one event row
/// with nothing known).
struct View {
    key: Option<String>,
    events: Vec<SeenEvent>,
}

/// An event as read: its index in a batch, its name, its properties.
type SeenEvent = (Option<usize>, Option<String>, Map<String, Value>);

fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn body_view(body: &[u8], kind: Option<RequestKind>) -> View {
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(body) else {
        return View { key: None, events: vec![(None, None, Map::new())] };
    };
    let key = object.get("apiKey").and_then(text_of);
    let one = |event: &Map<String, Value>, index| {
        let properties = match event.get("properties") {
            Some(Value::Object(properties)) => properties.clone(),
            _ => Map::new(),
        };
        (index, event.get("eventName").and_then(text_of), properties)
    };
    let events = match (kind, object.get("events")) {
        (Some(RequestKind::Batch) | None, Some(Value::Array(items))) if !items.is_empty() => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::Object(event) => one(event, Some(i)),
                _ => (Some(i), None, Map::new()),
            })
            .collect(),
        _ => vec![one(&object, None)],
    };
    View { key, events }
}

fn query_view(target: &str) -> View {
    let query = target.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or_default();
    let (mut key, mut name) = (None, None);
    let (mut names, mut values) = (Vec::new(), Vec::new());
    for (param, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*param {
            "apiKey" if key.is_none() => key = Some(value.into_owned()),
            "eventName" if name.is_none() => name = Some(value.into_owned()),
            "propertyNames" => names.push(value.into_owned()),
            "propertyValues" => values.push(Value::String(value.into_owned())),
            _ => {}
        }
    }
    let properties = names.into_iter().zip(values).collect();
    View { key, events: vec![(None, name, properties)] }
}

/// The methods a path takes, for `Allow`.
fn allowed(path: &str) -> &'static str {
    let path = path.strip_suffix('/').unwrap_or(path);
    if path == "/service/event" { "GET, POST" } else { "POST" }
}

fn lossy_headers(headers: &HeaderMap, keys: &mask::Keys, keep_keys: bool) -> Vec<Header> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes());
            Header {
                name: name.as_str().to_owned(),
                value: if keep_keys { value.into_owned() } else { mask::header(name.as_str(), &value, keys) },
            }
        })
        .collect()
}

/// Where each key the capture masks stands in what the relay sends (the
/// target, the body, the forwarded headers), so that the relay writes each
/// back as it was; the reason the request cannot be relayed when one of
/// them is not in `allow` as it is written (escaped, or another key).
fn relay_spots(
    target: &str,
    headers: &HeaderMap,
    body: &[u8],
    keys: &mask::Keys,
    allow: &std::collections::HashSet<String>,
) -> Result<Vec<crate::relay::Spot>, String> {
    use crate::relay::{Place, Spot};
    let mut spots = Vec::new();
    let mut add = |place: Place, text: &[u8], ranges: Vec<std::ops::Range<usize>>| {
        for range in ranges {
            let raw = String::from_utf8_lossy(&text[range.clone()]);
            let masked = mask::text(&raw, &mask::Keys::new(vec![raw.to_string()]));
            if masked == raw {
                // Too short to mask: sent as it is.
                continue;
            }
            let Some(key) = allow.get(raw.as_ref()) else {
                return Err(format!(
                    "it carries a key written `{masked}` that is not one of --api-key as written, so it could not be restored to relay"
                ));
            };
            spots.push(Spot { place, range, hash: crate::relay::key_hash(key) });
        }
        Ok(())
    };
    add(Place::Target, target.as_bytes(), mask::target_ranges(target, keys))?;
    add(Place::Body, body, mask::body_ranges(body, keys))?;
    let forwarded = headers.iter().filter(|(name, _)| crate::relay::forwarded(name.as_str()));
    for (index, (_, value)) in forwarded.enumerate() {
        let value = String::from_utf8_lossy(value.as_bytes());
        add(Place::Header(index), value.as_bytes(), mask::text_ranges(&value, keys))?;
    }
    Ok(spots)
}

fn finding(diagnostic: &Diagnostic, keys: &mask::Keys) -> Finding {
    Finding {
        code: diagnostic.rule.code(),
        severity: diagnostic.severity.as_str(),
        status: diagnostic.status.code(),
        pointer: diagnostic.pointer.clone(),
        message: mask::text(&diagnostic.message, keys),
        help: diagnostic.help.as_ref().map(|help| mask::text(help, keys)),
        start: diagnostic.span.start,
        end: diagnostic.span.end,
        plan: diagnostic.rule.is_plan(),
    }
}

fn verdict_of(status: u16, findings: &[&Finding]) -> Verdict {
    // An error accepted by the API is a plan's, or a rule the settings made one.
    if status != 200 || findings.iter().any(|f| f.severity == "error") {
        Verdict::Bad
    } else if findings.is_empty() {
        Verdict::Good
    } else {
        Verdict::Warned
    }
}

/// The batch item a finding's pointer is inside: `/events/3/eventName` is 3.
fn item_of(pointer: &str) -> Option<usize> {
    let rest = pointer.strip_prefix("/events/")?;
    rest.split('/').next().unwrap_or_default().parse().ok()
}

fn rows(view: View, findings: &[Finding]) -> Vec<EventRow> {
    let batch = view.events.first().is_some_and(|(index, ..)| index.is_some());
    // Each finding belongs to its batch item (its pointer's index, read
    // once), or to the whole request: items × findings would be quadratic.
    let mut own: Vec<Vec<&Finding>> = vec![Vec::new(); view.events.len()];
    let mut shared: Vec<&Finding> = Vec::new();
    for finding in findings {
        match item_of(&finding.pointer).filter(|_| batch) {
            Some(index) if index < own.len() => own[index].push(finding),
            // An item past those read (the body could not be parsed whole).
            Some(_) => {}
            None if batch && finding.pointer.starts_with("/events/") => {}
            None => shared.push(finding),
        }
    }
    view.events
        .into_iter()
        .zip(own)
        .map(|((index, event_name, properties), mut own)| {
            own.extend(shared.iter().copied());
            let status = own
                .iter()
                .filter(|f| f.severity == "error" || f.status != 200)
                .filter_map(|f| Status::from_code(f.status))
                .fold(Status::Ok, Status::worst);
            EventRow {
                index,
                event_name,
                properties,
                status: status.code(),
                verdict: verdict_of(status.code(), &own),
                codes: own.iter().map(|f| f.code).collect(),
            }
        })
        .collect()
}

/// The key outside the allow-list, as a finding the report gains.
fn check_allow_list(report: &mut Report, key: Option<&str>, allow: &HashSet<String>, options: &LintOptions) {
    let severity = options.severity_of(Rule::InvalidApiKey);
    let Some(key) = key else { return };
    if severity == Severity::Off
        || allow.contains(key)
        || report.diagnostics.iter().any(|d| matches!(d.rule, Rule::MissingApiKey | Rule::InvalidApiKey))
    {
        return;
    }
    let status = if severity == Severity::Error { Status::BadRequest } else { Status::Ok };
    report.diagnostics.push(Diagnostic {
        rule: Rule::InvalidApiKey,
        severity,
        status,
        pointer: "/apiKey".into(),
        span: 0..0,
        message: format!(
            "the API key {} is not one this server accepts",
            indicative_contract::limits::mask_api_key(key)
        ),
        help: Some("start the server with this key in --api-key, or send one of the keys it lists".into()),
    });
    report.status = report.status.worst(status);
}

/// Answers one request to the API's paths.
pub(crate) async fn handle(app: Arc<App>, request: Request<Body>) -> Response {
    let (parts, body) = request.into_parts();
    let target = parts.uri.path_and_query().map_or_else(|| parts.uri.path().to_owned(), |pq| pq.as_str().to_owned());
    let method = parts.method.clone();
    let content_type =
        parts.headers.get(header::CONTENT_TYPE).map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let limit = app.config.max_body_bytes;

    let declared =
        parts.headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    let bytes = if declared.is_some_and(|n| n > limit as u64) {
        Err(StatusCode::PAYLOAD_TOO_LARGE)
    } else {
        match tokio::time::timeout(app.config.body_timeout, Limited::new(body, limit).collect()).await {
            Ok(Ok(collected)) => Ok(collected.to_bytes()),
            Ok(Err(error)) if error.downcast_ref::<LengthLimitError>().is_some() => Err(StatusCode::PAYLOAD_TOO_LARGE),
            // The client sent a broken body (or went away: then the answer
            // reaches no one, but the attempt is recorded).
            Ok(Err(_)) => Err(StatusCode::BAD_REQUEST),
            Err(_) => Err(StatusCode::REQUEST_TIMEOUT),
        }
    };
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(status) => return refuse(&app, &method, &target, &parts.headers, status, declared).await,
    };

    let info = RequestInfo::http(method.as_str(), &target, content_type.as_deref());
    let endpoint = Endpoint::resolve(method.as_str(), &target);
    let is_query = matches!(&endpoint, Ok(e) if e.kind == RequestKind::EventQuery);
    let live;
    let options = if app.config.live_now {
        live = app.config.options.clone().with_now(jiff::Timestamp::now().as_millisecond());
        &live
    } else {
        &app.config.options
    };
    let (mut report, view) = if is_query {
        (lint_query(&target, &info, options), query_view(&target))
    } else {
        let kind = endpoint.as_ref().ok().map(|e| e.kind);
        let mut view = body_view(&bytes, kind);
        if view.key.is_none()
            && let Ok(Endpoint { path_api_key: Some(key), .. }) = &endpoint
        {
            view.key = Some(key.clone());
        }
        (lint_body(&bytes, &info, options), view)
    };
    if let Some(allow) = &app.config.api_keys
        && endpoint.is_ok()
    {
        check_allow_list(&mut report, view.key.as_deref(), allow, options);
    }

    let events = view.events.len() as u64;
    let predicted = report.status.code();
    let limited = match app.config.rate_limit {
        Some(limit) if predicted == 200 => {
            let now = jiff::Timestamp::now().as_second();
            !app.rate.lock().unwrap_or_else(PoisonError::into_inner).admit(now, events, limit)
        }
        _ => false,
    };
    let answered = if limited { 429 } else { predicted };

    let keys =
        if app.config.keep_keys { mask::Keys::default() } else { mask::keys_in(view.key.as_deref(), &target, &bytes) };
    let findings: Vec<Finding> = report.diagnostics.iter().map(|d| finding(d, &keys)).collect();
    let all: Vec<&Finding> = findings.iter().collect();
    let verdict = verdict_of(predicted, &all);
    // A body sent compressed (`Content-Encoding: gzip`) is not read (the
    // lint sees its bytes, as the API would), so its keys cannot be found
    // in it: it is kept masked whole.
    let encoded = parts
        .headers
        .get(header::CONTENT_ENCODING)
        .is_some_and(|v| !v.as_bytes().trim_ascii().eq_ignore_ascii_case(b"identity"));
    let stored = match (app.config.keep_keys, encoded) {
        (true, _) => bytes.to_vec(),
        (false, true) => mask::opaque(&bytes),
        (false, false) => mask::body(&bytes, &keys),
    };
    let (body, body_bytes) = match String::from_utf8(stored) {
        Ok(text) => (Some(text), None),
        Err(e) => (None, Some(e.into_bytes())),
    };
    let view_key = view.key.clone();
    let mut event_rows = rows(view, &findings);
    if !app.config.keep_keys {
        for row in &mut event_rows {
            let mut properties = Value::Object(std::mem::take(&mut row.properties));
            mask::value(&mut properties, &keys);
            if let Value::Object(masked) = properties {
                row.properties = masked;
            }
            if let Some(name) = &mut row.event_name {
                *name = mask::text(name, &keys);
            }
        }
    }
    let headers = lossy_headers(&parts.headers, &keys, app.config.keep_keys);
    // What the relay needs to send it on: the key in full, which the capture
    // keeps only with --keep-keys, or can restore from the allow-list.
    let relayable = match (&app.config.api_keys, view_key.as_deref()) {
        // No relay, or not relayed (the outbox says why): no keys to place.
        _ if app.config.upstream.is_none() || answered != 200 => Ok(None),
        // Its body is kept as it came but not decoded, and the relay sends
        // no Content-Encoding: the API would not read what it sent.
        _ if encoded => Err("its body was sent with a Content-Encoding, which the relay does not send on".to_owned()),
        _ if app.config.keep_keys => Ok(None),
        (Some(allow), Some(key)) if allow.contains(key) => relay_spots(&target, &parts.headers, &bytes, &keys, allow)
            .map(|spots| Some(crate::relay::Relayable { key_hash: crate::relay::key_hash(key), spots })),
        (Some(_), _) => Err("its key is not one of --api-key, so it could not be kept to relay".to_owned()),
        (None, _) => Err("keys are masked at rest: relaying needs --api-key (or --keep-keys)".to_owned()),
    };
    let stored = store(
        app.as_ref(),
        |seq| Record {
            seq,
            time: now_text(),
            method: method.as_str().to_owned(),
            target: masked_target(&app, &target, &keys),
            headers,
            body,
            body_bytes,
            kind: report.kind.kind().map(RequestKind::name),
            predicted,
            status: answered,
            verdict,
            findings,
            events: event_rows,
        },
        relayable,
    )
    .await;
    let record = match stored {
        Ok(record) => record,
        Err(response) => return response,
    };

    let mut answer = json!({
        "status": answered,
        "predicted": predicted,
        "verdict": verdict.as_str(),
        "seq": record.seq,
        "findings": record.findings.iter().map(|f| {
            let mut item = json!({"code": f.code, "severity": f.severity, "status": f.status, "pointer": f.pointer, "message": f.message});
            if let Some(help) = &f.help { item["help"] = json!(help); }
            item
        }).collect::<Vec<_>>(),
    });
    if limited {
        answer["message"] = json!(format!(
            "over the emulated rate limit of {} events per second (--rate-limit); the reference states the limit but not this status",
            app.config.rate_limit.unwrap_or_default()
        ));
    }
    let status = StatusCode::from_u16(answered).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, axum::Json(answer)).into_response();
    if matches!(endpoint, Err(EndpointError::MethodNotAllowed { .. })) {
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allowed(parts.uri.path())));
    }
    response
}

/// A request refused before the lint read it (413, or a body that broke
/// off): recorded with no body, and answered.
async fn refuse(
    app: &App,
    method: &Method,
    target: &str,
    headers: &HeaderMap,
    status: StatusCode,
    declared: Option<u64>,
) -> Response {
    let keys = if app.config.keep_keys { mask::Keys::default() } else { mask::keys_in(None, target, b"") };
    let message = match status {
        StatusCode::PAYLOAD_TOO_LARGE => format!(
            "the body is over --max-body-bytes ({} bytes){}",
            app.config.max_body_bytes,
            declared.map_or_else(String::new, |n| format!(": Content-Length is {n}"))
        ),
        StatusCode::REQUEST_TIMEOUT => {
            format!("the body did not arrive within {} seconds", app.config.body_timeout.as_secs_f64())
        }
        _ => "the body could not be read to its end".to_owned(),
    };
    let stored = store(
        app,
        |seq| Record {
            seq,
            time: now_text(),
            method: method.as_str().to_owned(),
            target: masked_target(app, target, &keys),
            headers: lossy_headers(headers, &keys, app.config.keep_keys),
            body: None,
            body_bytes: None,
            kind: None,
            predicted: status.as_u16(),
            status: status.as_u16(),
            verdict: Verdict::Bad,
            findings: Vec::new(),
            events: vec![EventRow {
                index: None,
                event_name: None,
                properties: Map::new(),
                status: status.as_u16(),
                verdict: Verdict::Bad,
                codes: Vec::new(),
            }],
        },
        Err(format!("answered {} before it was read", status.as_u16())),
    )
    .await;
    let record = match stored {
        Ok(record) => record,
        Err(response) => return response,
    };
    let answer =
        json!({"status": status.as_u16(), "verdict": "bad", "seq": record.seq, "message": message, "findings": []});
    (status, axum::Json(answer)).into_response()
}

/// Records a request (see [`App::record`]); when the database refuses it,
/// the answer to send instead: 503, so that the client learns its request
/// was not stored (and may retry), never a false 200.
async fn store(
    app: &App,
    make: impl FnOnce(u64) -> Record,
    relayable: Result<Option<crate::relay::Relayable>, String>,
) -> Result<std::sync::Arc<Record>, Response> {
    app.record(make, relayable).await.map_err(|(record, error)| {
        let message = format!("the capture could not be stored: {error}");
        let answer = json!({"status": 503, "seq": record.seq, "message": message});
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(answer)).into_response()
    })
}

/// A request's target as the capture keeps it: keys masked unless --keep-keys.
fn masked_target(app: &App, target: &str, keys: &mask::Keys) -> String {
    if app.config.keep_keys { target.to_owned() } else { mask::target(target, keys) }
}

fn now_text() -> String {
    let now = jiff::Timestamp::now();
    format!("{now:.3}")
}

/// The rate window shared by a server's requests.
pub(crate) fn rate_window() -> Mutex<RateWindow> {
    Mutex::new(RateWindow::default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rate_window_counts_events_per_second() {
        let mut window = RateWindow::default();
        assert!(window.admit(10, 200, 250));
        assert!(!window.admit(10, 51, 250));
        assert!(window.admit(10, 50, 250));
        assert!(window.admit(11, 250, 250));
    }

    #[test]
    fn batch_findings_belong_to_their_items() {
        assert_eq!(item_of("/events/3/eventName"), Some(3));
        assert_eq!(item_of("/events/31/eventName"), Some(31));
        assert_eq!(item_of("/events/3"), Some(3));
        assert_eq!(item_of("/events"), None);
        assert_eq!(item_of("/apiKey"), None);
    }
}

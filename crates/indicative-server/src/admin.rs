//! The admin API, under `/_contract/`: what was captured, and the
//! expectations tests state about it.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Limited};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::App;
use crate::capture::{Filter, Verdict};
use crate::export;

/// The admin endpoints: path, methods, what it does.
pub const ENDPOINTS: [(&str, &str, &str); 13] = [
    ("/_contract/ui", "GET", "the capture inspector: a web page to watch and filter what was sent"),
    ("/_contract/rules/{code}", "GET", "a rule's documentation (Markdown)"),
    ("/_contract/health", "GET", "the server is up; its version and last sequence number"),
    ("/_contract/summary", "GET", "totals by verdict, status, kind, event name and rule code; what was dropped"),
    ("/_contract/events", "GET", "captured requests with an event matching the filters, in pages"),
    ("/_contract/events/{seq}", "GET", "one captured request"),
    ("/_contract/reset", "POST", "empties the capture; answers the summary it cleared"),
    ("/_contract/verify", "POST", "200 when the capture meets an expectation, 417 with the nearest events when not"),
    ("/_contract/wait", "GET", "waits until enough matching events arrived; 408 with what did on timeout"),
    ("/_contract/export", "GET", "the capture as HAR (format=har) or NDJSON bodies (format=ndjson)"),
    (
        "/_contract/drift",
        "GET",
        "with --upstream: the outbox by state, and every request whose upstream status differed from the predicted one",
    ),
    ("/_contract/openapi.json", "GET", "this server's OpenAPI document: the API's paths and these"),
    ("/_contract/", "GET", "this list"),
];

/// The largest admin request body read.
const MAX_ADMIN_BODY: usize = 1 << 20;
/// The longest a `wait` may last.
pub(crate) const MAX_WAIT_MS: u64 = 60_000;
/// The most requests a page holds.
const MAX_LIMIT: usize = 1000;

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, axum::Json(json!({"error": message.into()}))).into_response()
}

fn endpoints() -> Value {
    ENDPOINTS.iter().map(|(path, method, what)| json!({"path": path, "method": method, "description": what})).collect()
}

/// The query's parameters, each at most once.
fn params(query: Option<&str>) -> Result<Vec<(String, String)>, String> {
    let mut out: Vec<(String, String)> = Vec::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if out.iter().any(|(seen, _)| *seen == name) {
            return Err(format!("the parameter {name:?} is given twice"));
        }
        out.push((name.into_owned(), value.into_owned()));
    }
    Ok(out)
}

fn number<T: std::str::FromStr>(name: &str, value: &str) -> Result<T, String> {
    value.parse().map_err(|_| format!("{name} must be a whole number, not {value:?}"))
}

/// A filter, a `since` and the endpoint's own parameters from a query.
struct Query {
    filter: Filter,
    since: u64,
    limit: usize,
    count: usize,
    timeout_ms: u64,
    format: Option<String>,
    /// `events?order=desc`: newest first, paged by `before`.
    newest: bool,
    before: Option<u64>,
}

fn query(query: Option<&str>, own: &[&str]) -> Result<Query, String> {
    let mut q = Query {
        filter: Filter::default(),
        since: 0,
        limit: 100,
        count: 1,
        timeout_ms: 10_000,
        format: None,
        newest: false,
        before: None,
    };
    for (name, value) in params(query)? {
        match name.as_str() {
            "verdict" => {
                q.filter.verdict = Some(
                    Verdict::parse(&value)
                        .ok_or_else(|| format!("verdict must be good, warned or bad, not {value:?}"))?,
                );
            }
            "kind" => q.filter.kind = Some(value),
            "eventName" => q.filter.event_name = Some(value),
            "code" => q.filter.code = Some(value),
            "q" => q.filter.search = Some(value.to_lowercase()),
            "order" if own.contains(&"order") => match value.as_str() {
                "asc" => q.newest = false,
                "desc" => q.newest = true,
                _ => return Err(format!("order must be asc or desc, not {value:?}")),
            },
            "before" if own.contains(&"before") => q.before = Some(number("before", &value)?),
            "status" => {
                let status = number("status", &value)?;
                if !(100..=599).contains(&status) {
                    return Err(format!("status must be an HTTP status, 100 to 599, not {status}"));
                }
                q.filter.status = Some(status);
            }
            "since" => q.since = number("since", &value)?,
            "limit" if own.contains(&"limit") => {
                q.limit = number("limit", &value)?;
                if q.limit == 0 || q.limit > MAX_LIMIT {
                    return Err(format!("limit must be between 1 and {MAX_LIMIT}"));
                }
            }
            "count" if own.contains(&"count") => {
                q.count = number("count", &value)?;
                if q.count == 0 {
                    return Err("count must be at least 1".into());
                }
            }
            "timeout" if own.contains(&"timeout") => {
                q.timeout_ms = number("timeout", &value)?;
                if q.timeout_ms > MAX_WAIT_MS {
                    return Err(format!("timeout must be at most {MAX_WAIT_MS} milliseconds"));
                }
            }
            "format" if own.contains(&"format") => q.format = Some(value),
            other => {
                let mut known = vec!["verdict", "kind", "eventName", "code", "status", "q", "since"];
                known.extend(own);
                return Err(format!("unknown parameter {other:?}: this endpoint takes {}", known.join(", ")));
            }
        }
    }
    Ok(q)
}

/// An expectation, for `verify`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct Expectation {
    #[serde(flatten)]
    filter: Filter,
    #[serde(default, deserialize_with = "crate::capture::whole_number")]
    since: Option<u64>,
    #[serde(default, deserialize_with = "crate::capture::whole_number")]
    at_least: Option<u64>,
    #[serde(default, deserialize_with = "crate::capture::whole_number")]
    at_most: Option<u64>,
}

/// Answers one request under `/_contract/`.
pub(crate) async fn handle(app: Arc<App>, request: Request<Body>) -> Response {
    // The page's own files and the rules' pages hold nothing captured: they
    // load without the token, and the page then asks for it.
    let route = request.uri().path().strip_prefix("/_contract").unwrap_or_default();
    if let Some(response) = crate::ui::serve(route, request.method()) {
        return response;
    }
    if let Some(token) = &app.config.admin_token {
        let given = request.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
        // The scheme is case-insensitive (RFC 9110, 11.1), the token not.
        let bearer = given
            .and_then(|v| v.trim().split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, credentials)| credentials.trim_start());
        if bearer != Some(token.as_str()) {
            let mut response = error(
                StatusCode::UNAUTHORIZED,
                "the admin API needs the header `Authorization: Bearer <--admin-token>`",
            );
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            return response;
        }
    }
    let path = request.uri().path().to_owned();
    let raw_query = request.uri().query().map(str::to_owned);
    let method = request.method().clone();
    let route = path.strip_prefix("/_contract").unwrap_or_default();
    let (allow, own): (&str, &[&str]) = match route {
        "/" | "" | "/health" | "/summary" | "/openapi.json" | "/drift" => ("GET", &[]),
        "/events" => ("GET", &["limit", "order", "before"]),
        "/wait" => ("GET", &["count", "timeout", "limit"]),
        "/export" => ("GET", &["format"]),
        "/reset" | "/verify" => ("POST", &[]),
        _ if route.starts_with("/events/") => ("GET", &[]),
        "/ui" | "/ui/" | "/ui/app.js" | "/ui/style.css" => ("GET", &[]),
        _ if route.starts_with("/rules/") => ("GET", &[]),
        _ => {
            return (
                StatusCode::NOT_FOUND,
                axum::Json(json!({"error": format!("no admin endpoint at {path}"), "endpoints": endpoints()})),
            )
                .into_response();
        }
    };
    let head = method == Method::HEAD && allow == "GET";
    if method.as_str() != allow && !head {
        let mut response = error(StatusCode::METHOD_NOT_ALLOWED, format!("{path} takes {allow}"));
        response.headers_mut().insert(header::ALLOW, HeaderValue::from_static(allow));
        return response;
    }
    let q = match query(raw_query.as_deref(), own) {
        Ok(q) => q,
        Err(message) => return error(StatusCode::BAD_REQUEST, message),
    };
    let nothing_filtered = q.filter == Filter::default() && q.since == 0;
    match route {
        "/" | "" => axum::Json(json!({"endpoints": endpoints()})).into_response(),
        "/health" => axum::Json(json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "lastSeq": app.capture.summary().last_seq,
        }))
        .into_response(),
        "/summary" if nothing_filtered => {
            let summary = app.capture.summary();
            let mut value = serde_json::to_value(&summary).unwrap_or_default();
            if let Some(planned) = &app.config.planned_events {
                let unseen: Vec<&String> =
                    planned.iter().filter(|name| !summary.by_event_name.contains_key(*name)).collect();
                value["plannedNotSeen"] = json!(unseen);
            }
            axum::Json(value).into_response()
        }
        "/summary" | "/openapi.json" | "/reset" | "/verify" | "/drift" if !nothing_filtered => {
            error(StatusCode::BAD_REQUEST, format!("{path} takes no parameters"))
        }
        "/openapi.json" => axum::Json(crate::openapi::document()).into_response(),
        "/drift" => match (&app.db, &app.config.upstream) {
            (Some(path), Some(_)) => match crate::relay::report(path) {
                Ok(report) => axum::Json(report).into_response(),
                Err(e) => error(StatusCode::SERVICE_UNAVAILABLE, format!("the relay's state cannot be read: {e}")),
            },
            _ => error(StatusCode::NOT_FOUND, "the relay is off: start the server with --upstream URL and --db PATH"),
        },
        "/reset" => {
            let (cleared, queued) =
                app.capture.reset_then(|| app.store.as_ref().map(crate::store::Store::enqueue_reset));
            if let Some(queued) = queued
                && let Err(e) = queued.wait().await
            {
                return error(StatusCode::SERVICE_UNAVAILABLE, format!("the database was not cleared: {e}"));
            }
            axum::Json(cleared).into_response()
        }
        "/events" if q.newest => {
            axum::Json(app.capture.page_newest(&q.filter, q.since, q.before, q.limit)).into_response()
        }
        "/events" => axum::Json(app.capture.page_between(&q.filter, q.since, q.before, q.limit)).into_response(),
        "/wait" => wait(&app, q).await,
        "/export" => match q.format.as_deref().unwrap_or("har") {
            "har" => export::har(&app.capture.all()),
            "ndjson" => export::ndjson(&app.capture.all()),
            other => error(StatusCode::BAD_REQUEST, format!("format must be har or ndjson, not {other:?}")),
        },
        "/verify" => verify(&app, request).await,
        _ => {
            let seq = route.strip_prefix("/events/").unwrap_or_default();
            match seq.parse::<u64>() {
                Ok(seq) => match app.capture.get(seq) {
                    Some(record) => axum::Json(record).into_response(),
                    None => error(StatusCode::NOT_FOUND, format!("no captured request numbered {seq} is held")),
                },
                Err(_) => error(StatusCode::BAD_REQUEST, format!("{seq:?} is not a sequence number")),
            }
        }
    }
}

/// Long-polls until `count` matching events arrived after `since`.
async fn wait(app: &App, q: Query) -> Response {
    let mut changes = app.capture.subscribe();
    let deadline = tokio::time::Instant::now() + Duration::from_millis(q.timeout_ms);
    loop {
        // Mark the current state seen before counting, so that a request
        // recorded after the count wakes the loop.
        changes.borrow_and_update();
        let (matched, requests) = app.capture.count(&q.filter, q.since, q.limit);
        if matched >= q.count {
            return axum::Json(json!({"matched": matched, "expected": q.count, "requests": requests})).into_response();
        }
        let changed = tokio::time::timeout_at(deadline, changes.changed()).await;
        if !matches!(changed, Ok(Ok(()))) {
            return (
                StatusCode::REQUEST_TIMEOUT,
                axum::Json(json!({
                    "error": format!("{matched} of {} matching events arrived within {} ms", q.count, q.timeout_ms),
                    "matched": matched,
                    "expected": q.count,
                    "requests": requests,
                })),
            )
                .into_response();
        }
    }
}

async fn verify(app: &App, request: Request<Body>) -> Response {
    let body = match Limited::new(request.into_body(), MAX_ADMIN_BODY).collect().await {
        Ok(body) => body.to_bytes(),
        Err(_) => {
            return error(StatusCode::PAYLOAD_TOO_LARGE, format!("an expectation is at most {MAX_ADMIN_BODY} bytes"));
        }
    };
    let expectation: Expectation = match serde_json::from_slice(&body) {
        Ok(expectation) => expectation,
        Err(e) => {
            return error(
                StatusCode::BAD_REQUEST,
                format!(
                    "not an expectation: {e} (fields: verdict, kind, eventName, code, status, properties, since, atLeast, atMost)"
                ),
            );
        }
    };
    let mut expectation = expectation;
    expectation.filter.search = expectation.filter.search.map(|q| q.to_lowercase());
    // At least one, unless atMost says fewer (`{"atMost": 0}`: nothing was
    // sent); an atMost below atLeast is an expectation no capture can meet:
    // 417 at once, saying so (the served OpenAPI cannot express the bound,
    // so such a body is schema-valid: not a 400).
    let at_least = usize::try_from(expectation.at_least.unwrap_or(expectation.at_most.map_or(1, |most| most.min(1))))
        .unwrap_or(usize::MAX);
    let at_most = expectation.at_most.map(|most| usize::try_from(most).unwrap_or(usize::MAX));
    if let Some(most) = at_most.filter(|&most| most < at_least) {
        return error(
            StatusCode::EXPECTATION_FAILED,
            format!("atMost ({most}) is below atLeast ({at_least}): no capture can meet this expectation"),
        );
    }
    let since = expectation.since.unwrap_or(0);
    let (matched, requests) = app.capture.count(&expectation.filter, since, 10);
    let met = matched >= at_least && at_most.is_none_or(|most| matched <= most);
    let expected = match at_most {
        Some(most) if most == at_least => format!("exactly {most}"),
        Some(most) => format!("{at_least} to {most}"),
        None => format!("at least {at_least}"),
    };
    if met {
        return axum::Json(json!({"matched": matched, "expected": expected, "requests": requests})).into_response();
    }
    // Too few: the events nearest to matching say what was sent instead.
    // Too many: `requests` holds the ones that matched; nothing is near.
    let nearest = if matched < at_least { app.capture.nearest(&expectation.filter, since, 5) } else { Vec::new() };
    (
        StatusCode::EXPECTATION_FAILED,
        axum::Json(json!({
            "error": format!("{matched} matching events captured, expected {expected}"),
            "matched": matched,
            "expected": expected,
            "requests": requests,
            "nearest": nearest,
        })),
    )
        .into_response()
}

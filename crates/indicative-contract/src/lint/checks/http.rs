//! The HTTP request around a body or query: endpoint, method, content type.

use super::excerpt;
use crate::kind::{Endpoint, EndpointError, RequestKind};
use crate::limits::mask_api_key;
use crate::lint::RequestInfo;
use crate::lint::sink::{HTTP_TAG, ROOT, Sink};
use crate::rule::{Rule, Severity};

/// A path (of no API endpoint) with its keys masked as
/// [`crate::keys::target_key_ranges`] finds them: every segment from the
/// third on but the words of the API's paths, as a key may stand there.
fn masked_path(path: &str) -> String {
    let mut masked = String::with_capacity(path.len());
    let mut at = 0;
    for range in crate::keys::target_key_ranges(path) {
        masked.push_str(&path[at..range.start]);
        masked.push_str(&mask_api_key(&path[range.clone()]));
        at = range.end;
    }
    masked.push_str(&path[at..]);
    masked
}

/// What the HTTP layer told: the endpoint's kind and where the key may be.
#[derive(Default)]
pub(crate) struct Http {
    pub(crate) kind: Option<RequestKind>,
    pub(crate) path_key: Option<String>,
    /// Whether the path's query names an `apiKey` (a body's request only:
    /// see [`query_has_key`]).
    pub(crate) query_key: bool,
    /// Whether HTTP itself answers (404, 405, reported as errors) before
    /// the request is read: then nothing else about it is reported.
    pub(crate) refused: bool,
}

/// The HTTP facts of a request, borrowed (a GET URL's own, or a
/// [`RequestInfo`]'s): nothing is copied to check them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HttpFacts<'a> {
    pub(crate) method: Option<&'a str>,
    pub(crate) path: Option<&'a str>,
    pub(crate) content_type: Option<&'a str>,
}

impl<'a> HttpFacts<'a> {
    pub(crate) fn of(request: &'a RequestInfo) -> Self {
        Self {
            method: request.method.as_deref(),
            path: request.path.as_deref(),
            content_type: request.content_type.as_deref(),
        }
    }
}

/// Whether the query of a request's path names an `apiKey`.
pub(crate) fn query_has_key(request: &RequestInfo) -> bool {
    request
        .path
        .as_deref()
        .and_then(|path| path.split_once('?'))
        .is_some_and(|(_, query)| crate::lint::param::has_param(query, "apiKey"))
}

/// Checks the method, path and content type of HTTP input. Diagnostics made
/// here carry [`HTTP_TAG`], so that no later filtering drops them.
pub(crate) fn check_http(sink: &mut Sink<'_>, request: HttpFacts<'_>) -> Http {
    let mut http = Http::default();
    let Some(path) = request.path else { return http };
    let saved = std::mem::replace(&mut sink.tag, HTTP_TAG);
    let method = request.method;
    match Endpoint::resolve(method.unwrap_or("POST"), path) {
        Ok(endpoint) => {
            http.kind = Some(endpoint.kind);
            http.path_key = endpoint.path_api_key;
        }
        Err(EndpointError::UnknownPath) => {
            // Unless the rule is turned down: then the request is read.
            http.refused = sink.severity(Rule::UnknownEndpoint) == Severity::Error;
            sink.emit(
            Rule::UnknownEndpoint,
            ROOT,
            0..0,
            || format!("{} is not one of the API's paths", excerpt(&masked_path(crate::kind::path_of(path)))),
            Some("the endpoints are /service/event, /service/event/batch, /service/identify, /service/alias, /service/suppress and /service/delete".into()),
        );
        }
        Err(EndpointError::MethodNotAllowed { kind }) => {
            http.kind = Some(kind);
            http.refused = sink.severity(Rule::MethodNotAllowed) == Severity::Error;
            sink.emit(
                Rule::MethodNotAllowed,
                ROOT,
                0..0,
                || match (kind, method) {
                    // The only path that takes GET, but with a key segment.
                    (RequestKind::Event, Some(m)) if m.eq_ignore_ascii_case("GET") => {
                        "/service/event with a key in its path does not take GET: only /service/event does, with the key as the apiKey parameter".to_owned()
                    }
                    _ => format!("{} does not take {}", kind.path(), method.unwrap_or("POST")),
                },
                Some("every endpoint takes POST; only /service/event (without a key in the path) takes GET".into()),
            );
        }
    }
    let is_post = method.is_some_and(|m| !m.eq_ignore_ascii_case("GET"));
    // A request HTTP answers itself is not read: its content type is moot.
    if is_post && !http.refused {
        let media = request.content_type.map(|ct| ct.split(';').next().unwrap_or_default().trim());
        if !media.is_some_and(|m| m.eq_ignore_ascii_case("application/json")) {
            sink.emit(
                Rule::WrongContentType,
                ROOT,
                0..0,
                || match request.content_type {
                    Some(ct) => format!("the Content-Type is {}, not application/json", excerpt(ct)),
                    None => "the request has no Content-Type header".into(),
                },
                Some("send Content-Type: application/json".into()),
            );
        }
    }
    sink.tag = saved;
    http
}

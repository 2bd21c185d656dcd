//! The seven request kinds, and which endpoint a method and path reach.

use std::fmt;

/// A kind of request the API takes.
///
/// ```
/// use indicative_contract::RequestKind;
/// assert_eq!(RequestKind::from_name("event-query"), Some(RequestKind::EventQuery));
/// assert_eq!(RequestKind::Batch.path(), "/service/event/batch");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RequestKind {
    /// POST `/service/event`: one event.
    Event,
    /// GET `/service/event`: one event, as query parameters.
    EventQuery,
    /// POST `/service/event/batch`: many events.
    Batch,
    /// POST `/service/identify`: user properties.
    Identify,
    /// POST `/service/alias`: merge two ids.
    Alias,
    /// POST `/service/suppress`: stop processing a user's data.
    Suppress,
    /// POST `/service/delete`: delete a user's data.
    Delete,
}

impl RequestKind {
    /// Every kind, in docs/contract.md's order.
    pub const ALL: [Self; 7] =
        [Self::Event, Self::EventQuery, Self::Batch, Self::Identify, Self::Alias, Self::Suppress, Self::Delete];

    /// The kebab-case name used by the CLI's `--kind` and the schema files.
    ///
    /// ```
    /// assert_eq!(indicative_contract::RequestKind::Identify.name(), "identify");
    /// ```
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Event => "event",
            Self::EventQuery => "event-query",
            Self::Batch => "batch",
            Self::Identify => "identify",
            Self::Alias => "alias",
            Self::Suppress => "suppress",
            Self::Delete => "delete",
        }
    }

    /// Looks a kind up by [`name`](Self::name).
    ///
    /// ```
    /// assert_eq!(indicative_contract::RequestKind::from_name("nope"), None);
    /// ```
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The endpoint's path, without a key.
    ///
    /// ```
    /// assert_eq!(indicative_contract::RequestKind::EventQuery.path(), "/service/event");
    /// ```
    #[must_use]
    pub const fn path(self) -> &'static str {
        match self {
            Self::Event | Self::EventQuery => "/service/event",
            Self::Batch => "/service/event/batch",
            Self::Identify => "/service/identify",
            Self::Alias => "/service/alias",
            Self::Suppress => "/service/suppress",
            Self::Delete => "/service/delete",
        }
    }

    /// The HTTP method the kind is sent with.
    ///
    /// ```
    /// assert_eq!(indicative_contract::RequestKind::EventQuery.method(), "GET");
    /// ```
    #[must_use]
    pub const fn method(self) -> &'static str {
        match self {
            Self::EventQuery => "GET",
            _ => "POST",
        }
    }

    /// Whether the API key may also be given as a last path segment.
    ///
    /// ```
    /// use indicative_contract::RequestKind;
    /// assert!(RequestKind::Alias.takes_key_in_path() && !RequestKind::Batch.takes_key_in_path());
    /// ```
    #[must_use]
    pub const fn takes_key_in_path(self) -> bool {
        !matches!(self, Self::Batch | Self::EventQuery)
    }
}

impl fmt::Display for RequestKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the request kind of a lint was, and how it was known.
///
/// ```
/// use indicative_contract::{DetectedKind, RequestKind};
/// let kind = DetectedKind::Ambiguous(vec![RequestKind::Identify, RequestKind::Suppress, RequestKind::Delete]);
/// assert_eq!(kind.kind(), None);
/// assert_eq!(kind.to_string(), "ambiguous: identify, suppress or delete");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DetectedKind {
    /// Given by the caller, or by the endpoint the request was sent to.
    Given(RequestKind),
    /// Told from the body's fields.
    Detected(RequestKind),
    /// The fields fit more than one kind (`{apiKey, uniqueId}`): only the rules
    /// the candidates share were checked.
    Ambiguous(Vec<RequestKind>),
    /// The body could not be read, or its fields fit no kind.
    Unknown,
}

impl DetectedKind {
    /// The kind, when it is known.
    ///
    /// ```
    /// use indicative_contract::{DetectedKind, RequestKind};
    /// assert_eq!(DetectedKind::Detected(RequestKind::Alias).kind(), Some(RequestKind::Alias));
    /// ```
    #[must_use]
    pub fn kind(&self) -> Option<RequestKind> {
        match self {
            Self::Given(kind) | Self::Detected(kind) => Some(*kind),
            Self::Ambiguous(_) | Self::Unknown => None,
        }
    }
}

impl fmt::Display for DetectedKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Given(kind) | Self::Detected(kind) => f.write_str(kind.name()),
            Self::Ambiguous(kinds) => write!(f, "ambiguous: {}", kinds_phrase(kinds)),
            Self::Unknown => f.write_str("unknown"),
        }
    }
}

/// Kinds as a phrase: "identify, suppress or delete".
pub(crate) fn kinds_phrase(kinds: &[RequestKind]) -> String {
    let mut out = String::new();
    for (i, kind) in kinds.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == kinds.len() { " or " } else { ", " });
        }
        out.push_str(kind.name());
    }
    out
}

/// The endpoint a method and path reach.
///
/// ```
/// use indicative_contract::{Endpoint, RequestKind};
/// let endpoint = Endpoint::resolve("POST", "/service/alias/KEY123").unwrap();
/// assert_eq!(endpoint.kind, RequestKind::Alias);
/// assert_eq!(endpoint.path_api_key.as_deref(), Some("KEY123"));
/// assert!(Endpoint::resolve("GET", "/service/alias").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The request kind the endpoint takes.
    pub kind: RequestKind,
    /// The API key given as the last path segment, percent-decoded.
    pub path_api_key: Option<String>,
}

/// Why a method and path reach no endpoint.
///
/// ```
/// use indicative_contract::{Endpoint, EndpointError};
/// assert_eq!(Endpoint::resolve("POST", "/v1/track"), Err(EndpointError::UnknownPath));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndpointError {
    /// No endpoint has this path (404).
    UnknownPath,
    /// The path exists, but does not take the method (405).
    MethodNotAllowed {
        /// The kind the path takes with the methods it allows.
        kind: RequestKind,
    },
}

impl Endpoint {
    /// Resolves an HTTP method and a path (a query string, a scheme and host
    /// are ignored; one trailing `/` is allowed).
    ///
    /// # Errors
    ///
    /// [`EndpointError::UnknownPath`] for a path that is not the API's, and
    /// [`EndpointError::MethodNotAllowed`] for a method the path does not take.
    ///
    /// ```
    /// use indicative_contract::{Endpoint, RequestKind};
    /// let get = Endpoint::resolve("GET", "https://api.indicative.com/service/event?apiKey=k").unwrap();
    /// assert_eq!(get.kind, RequestKind::EventQuery);
    /// ```
    pub fn resolve(method: &str, path: &str) -> Result<Self, EndpointError> {
        let path = path_of(path);
        let path = path.strip_suffix('/').unwrap_or(path);
        let rest = path.strip_prefix("/service/").ok_or(EndpointError::UnknownPath)?;
        let mut segments = rest.split('/');
        let head = segments.next().unwrap_or_default();
        let second = segments.next();
        if segments.next().is_some() {
            return Err(EndpointError::UnknownPath);
        }
        let (kind, key) = match (head, second) {
            ("event", Some("batch")) => (RequestKind::Batch, None),
            ("event", key) => (RequestKind::Event, key),
            ("identify", key) => (RequestKind::Identify, key),
            ("alias", key) => (RequestKind::Alias, key),
            ("suppress", key) => (RequestKind::Suppress, key),
            ("delete", key) => (RequestKind::Delete, key),
            _ => return Err(EndpointError::UnknownPath),
        };
        let path_api_key = key.map(percent_decode);
        let is_get = method.eq_ignore_ascii_case("GET");
        let is_post = method.eq_ignore_ascii_case("POST");
        match kind {
            // Only the bare event path takes GET (docs/contract.md, "Rules").
            RequestKind::Event if is_get && path_api_key.is_none() => {
                Ok(Self { kind: RequestKind::EventQuery, path_api_key })
            }
            _ if is_post => Ok(Self { kind, path_api_key }),
            _ => Err(EndpointError::MethodNotAllowed { kind }),
        }
    }
}

/// The path of a URL, without scheme, host, query or fragment.
pub(crate) fn path_of(url: &str) -> &str {
    // A byte search: `split(['?', '#'])` went through the char pattern's
    // decoder, a few percent of a HAR's whole lint.
    let end = url.bytes().position(|b| b == b'?' || b == b'#').unwrap_or(url.len());
    let url = &url[..end];
    match url.find("://") {
        Some(at) => {
            let after = &url[at + 3..];
            after.find('/').map_or("/", |slash| &after[slash..])
        }
        None => url,
    }
}

fn percent_decode(segment: &str) -> String {
    // A path segment is not form-encoded: `+` stays a plus.
    percent_encoding::percent_decode_str(segment).decode_utf8_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_path_of_a_url_leaves_out_scheme_host_query_and_fragment() {
        for (url, path) in [
            ("https://api.indicative.com/service/event?apiKey=k#top", "/service/event"),
            ("/service/alias#a?b", "/service/alias"),
            ("/service/event?next=https://x/y", "/service/event"),
            ("https://api.indicative.com", "/"),
            ("https://api.indicative.com?é=1", "/"),
            ("", ""),
        ] {
            assert_eq!(path_of(url), path, "{url}");
        }
    }

    #[test]
    fn resolves_every_documented_endpoint() {
        let cases = [
            ("POST", "/service/event", RequestKind::Event, None),
            ("POST", "/service/event/K", RequestKind::Event, Some("K")),
            ("GET", "/service/event", RequestKind::EventQuery, None),
            ("POST", "/service/event/batch", RequestKind::Batch, None),
            ("POST", "/service/identify/K", RequestKind::Identify, Some("K")),
            ("POST", "/service/alias", RequestKind::Alias, None),
            ("POST", "/service/suppress/K", RequestKind::Suppress, Some("K")),
            ("post", "/service/delete/", RequestKind::Delete, None),
            ("POST", "https://api.indicative.com/service/delete/a%20b+c", RequestKind::Delete, Some("a b+c")),
        ];
        for (method, path, kind, key) in cases {
            let endpoint = Endpoint::resolve(method, path).unwrap_or_else(|e| panic!("{path}: {e:?}"));
            assert_eq!(endpoint.kind, kind, "{path}");
            assert_eq!(endpoint.path_api_key.as_deref(), key, "{path}");
        }
    }

    #[test]
    fn rejects_other_paths_and_methods() {
        assert_eq!(Endpoint::resolve("POST", "/service"), Err(EndpointError::UnknownPath));
        assert_eq!(Endpoint::resolve("POST", "/service/track"), Err(EndpointError::UnknownPath));
        assert_eq!(Endpoint::resolve("POST", "/service/event/batch/K"), Err(EndpointError::UnknownPath));
        assert_eq!(
            Endpoint::resolve("GET", "/service/event/K"),
            Err(EndpointError::MethodNotAllowed { kind: RequestKind::Event })
        );
        assert_eq!(
            Endpoint::resolve("PUT", "/service/identify"),
            Err(EndpointError::MethodNotAllowed { kind: RequestKind::Identify })
        );
    }
}

//! The capture inspector (`/_contract/ui`): a page of plain HTML, CSS and
//! JavaScript built into the binary (no CDN, no build step), over the admin
//! API; and each rule's documentation, which the page links to.

use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};

const INDEX: &str = include_str!("ui/index.html");
const SCRIPT: &str = include_str!("ui/app.js");
const STYLE: &str = include_str!("ui/style.css");

/// Only this server's own assets and API: no inline script, no other origin.
const POLICY: &str = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The page's files and the rules' pages; `None` for any other route.
pub(crate) fn serve(route: &str, method: &Method) -> Option<Response> {
    if method != Method::GET && method != Method::HEAD {
        return None;
    }
    let mut response = page(route)?;
    // No capture is in these answers, and they load without the token: no
    // script but the page's own runs on this origin, and nothing is sniffed.
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(POLICY));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Some(response)
}

/// The page's file or rule page at `route`.
fn page(route: &str) -> Option<Response> {
    let (body, content_type) = match route {
        "/ui" | "/ui/" => (INDEX.to_owned(), "text/html; charset=utf-8"),
        "/ui/app.js" => (SCRIPT.to_owned(), "text/javascript; charset=utf-8"),
        "/ui/style.css" => (STYLE.to_owned(), "text/css; charset=utf-8"),
        _ => {
            let code = route.strip_prefix("/rules/")?;
            return Some(match indicative_contract::Rule::from_code(code) {
                Some(rule) => {
                    let text = format!(
                        "# `{}`\n\n{} · {} · predicted status {}\n\n{}\n",
                        rule.code(),
                        rule.summary(),
                        rule.default_severity().as_str(),
                        rule.status().code(),
                        rule.documentation()
                    );
                    ([(header::CONTENT_TYPE, HeaderValue::from_static("text/markdown; charset=utf-8"))], text)
                        .into_response()
                }
                None => (
                    StatusCode::NOT_FOUND,
                    axum::Json(serde_json::json!({"error": format!("no rule has the code {code:?}")})),
                )
                    .into_response(),
            });
        }
    };
    Some(([(header::CONTENT_TYPE, HeaderValue::from_static(content_type))], body).into_response())
}

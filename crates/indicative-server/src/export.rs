//! The capture written out for `indicative lint` to read back.
//!
//! - **HAR** (1.2) keeps everything the lint reads: method, URL, headers and
//!   body, so every request to the API's paths lints to the verdict it was
//!   given. (The lint reads only entries whose path starts with `/service/`.)
//! - **NDJSON** has the POST bodies, one per line. A line break inside a
//!   body becomes a space between tokens and a vertical tab inside a string
//!   (where a raw control character is as invalid as the line break was), so
//!   every body keeps its verdict; GET requests and what a path said (the
//!   kind, a key) are in the HAR only.

use std::sync::Arc;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::capture::Record;

/// One body as one NDJSON line.
fn one_line(body: &[u8]) -> Vec<u8> {
    let mut out = body.to_vec();
    let mut in_string = false;
    let mut escaped = false;
    for byte in &mut out {
        if in_string {
            match *byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                b'\n' | b'\r' => *byte = 0x0B,
                _ => {}
            }
        } else {
            match *byte {
                b'"' => in_string = true,
                b'\n' | b'\r' => *byte = b' ',
                _ => {}
            }
        }
    }
    out
}

/// The POST bodies, one per line.
#[must_use]
pub fn ndjson_bytes(records: &[Arc<Record>]) -> Vec<u8> {
    let mut out = Vec::new();
    for record in records.iter().filter(|r| r.method == "POST" && (r.body.is_some() || r.body_bytes.is_some())) {
        let body = record.body_bytes();
        if body.iter().all(u8::is_ascii_whitespace) {
            // A blank line is no document: an empty body is written as `""`
            // would change its verdict, so it is left out, as NDJSON must.
            continue;
        }
        out.extend(one_line(body));
        out.push(b'\n');
    }
    out
}

/// The capture as a HAR archive.
#[must_use]
pub fn har_value(records: &[Arc<Record>]) -> Value {
    let entries: Vec<Value> = records
        .iter()
        .map(|record| {
            let host = record.headers.iter().find(|h| h.name == "host").map_or("127.0.0.1", |h| h.value.as_str());
            let content_type =
                record.headers.iter().find(|h| h.name == "content-type").map_or("", |h| h.value.as_str());
            let headers: Vec<Value> =
                record.headers.iter().map(|h| json!({"name": h.name, "value": h.value})).collect();
            let mut request = json!({
                "method": record.method,
                "url": format!("http://{host}{}", record.target),
                "httpVersion": "HTTP/1.1",
                "cookies": [],
                "headers": headers,
                "queryString": [],
                "headersSize": -1,
                "bodySize": record.body_bytes().len(),
            });
            if let Some(text) = &record.body {
                request["postData"] = json!({"mimeType": content_type, "text": text});
            } else if let Some(bytes) = &record.body_bytes {
                // Not UTF-8: written in base64, as HAR has it for bytes.
                use base64::Engine as _;
                let text = base64::engine::general_purpose::STANDARD.encode(bytes);
                request["postData"] = json!({"mimeType": content_type, "encoding": "base64", "text": text});
            }
            json!({
                "startedDateTime": record.time,
                "time": 0,
                "request": request,
                "response": {
                    "status": record.status,
                    "statusText": "",
                    "httpVersion": "HTTP/1.1",
                    "cookies": [],
                    "headers": [],
                    "content": {"size": 0, "mimeType": "application/json"},
                    "redirectURL": "",
                    "headersSize": -1,
                    "bodySize": -1,
                },
                "cache": {},
                "timings": {"send": 0, "wait": 0, "receive": 0},
                "comment": format!("seq {} verdict {}", record.seq, record.verdict.as_str()),
            })
        })
        .collect();
    json!({"log": {
        "version": "1.2",
        "creator": {"name": "indicative serve", "version": env!("CARGO_PKG_VERSION")},
        "entries": entries,
    }})
}

pub(crate) fn har(records: &[Arc<Record>]) -> Response {
    let mut response = axum::Json(har_value(records)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"capture.har\""));
    response
}

pub(crate) fn ndjson(records: &[Arc<Record>]) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson")),
            (header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"capture.ndjson\"")),
        ],
        ndjson_bytes(records),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn line_breaks_keep_their_meaning() {
        assert_eq!(one_line(b"{\n\"a\": \"x\\\"\ny\"\r\n}"), b"{ \"a\": \"x\\\"\x0by\"  }");
    }
}

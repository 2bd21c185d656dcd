//! A loopback HTTP/1.1 recorder: answers 200 to every request and keeps
//! what it was sent, to be written as a HAR file for `indicative lint`.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Captured {
    pub method: String,
    pub target: String,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

/// Listens on 127.0.0.1 and records; returns the base URL and the record.
pub async fn start() -> (String, Arc<Mutex<Vec<Captured>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("an address"));
    let record = Arc::new(Mutex::new(Vec::new()));
    let shared = Arc::clone(&record);
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                let mut reader = BufReader::new(stream);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).await.unwrap_or(0) == 0 {
                        return;
                    }
                    let mut parts = line.split_whitespace();
                    let (method, target) = (parts.next().unwrap_or_default().to_owned(), parts.next().unwrap_or_default().to_owned());
                    let mut headers = Vec::new();
                    loop {
                        let mut header = String::new();
                        reader.read_line(&mut header).await.expect("a header");
                        let header = header.trim_end();
                        if header.is_empty() {
                            break;
                        }
                        if let Some((name, value)) = header.split_once(':') {
                            headers.push((name.trim().to_owned(), value.trim().to_owned()));
                        }
                    }
                    let length = headers
                        .iter()
                        .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
                        .map_or(0, |(_, value)| value.parse().expect("a length"));
                    let mut body = vec![0; length];
                    reader.read_exact(&mut body).await.expect("the body");
                    let body = String::from_utf8(body).expect("a UTF-8 body");
                    shared.lock().expect("the record").push(Captured { method, target, headers, body });
                    let answer = b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n";
                    reader.get_mut().write_all(answer).await.expect("answered");
                }
            });
        }
    });
    (base, record)
}

/// The record as a HAR 1.2 archive, each request against the API's host.
pub fn har(captured: &[Captured]) -> serde_json::Value {
    let entries: Vec<serde_json::Value> = captured
        .iter()
        .map(|c| {
            let headers: Vec<_> = c.headers.iter().map(|(n, v)| serde_json::json!({"name": n, "value": v})).collect();
            let mut request = serde_json::json!({
                "method": c.method,
                "url": format!("https://api.indicative.com{}", c.target),
                "headers": headers,
            });
            if c.method == "POST" {
                let mime = c.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case("content-type")).map(|(_, v)| v.clone());
                request["postData"] = serde_json::json!({"mimeType": mime.unwrap_or_default(), "text": c.body});
            }
            serde_json::json!({"request": request})
        })
        .collect();
    serde_json::json!({"log": {"version": "1.2", "creator": {"name": "indicative-progenitor-client", "version": "0"}, "entries": entries}})
}

//! `indicative serve` answers every payload of the differential corpus with
//! the status, and records the findings, that the lint engine predicts for
//! the same request: the server adds plumbing (bytes off the socket, the
//! path, the content type), never a rule of its own.

use std::sync::Arc;

use indicative_contract::{LintOptions, Profile, RequestInfo, lint_body, lint_query};
use indicative_server::{App, Config};
use indicative_tests::corpus::{Case, corpus};
use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

const NOW: i64 = 1_700_000_000_000;

/// The request a case stands for: method, path and query, body.
fn request(case: &Case) -> (&'static str, String, Vec<u8>) {
    match &case.query {
        Some(query) => ("GET", format!("/service/event?{query}"), Vec::new()),
        None if case.path_key => {
            ("POST", format!("{}/3f2a9c7e-5b1d", case.kind.path()), case.text.clone().into_bytes())
        }
        None => ("POST", case.kind.path().to_owned(), case.text.clone().into_bytes()),
    }
}

/// One kept-alive HTTP/1.1 connection that sends requests byte for byte.
struct Connection {
    stream: BufReader<TcpStream>,
}

impl Connection {
    async fn open(address: &str) -> Self {
        Self { stream: BufReader::new(TcpStream::connect(address).await.expect("connects")) }
    }

    /// Sends a request; answers its status and JSON body.
    async fn send(&mut self, method: &str, target: &str, body: &[u8]) -> (u16, Value) {
        let mut request = format!("{method} {target} HTTP/1.1\r\nHost: test\r\n").into_bytes();
        if method == "POST" {
            request.extend(format!("Content-Type: application/json\r\nContent-Length: {}\r\n", body.len()).bytes());
        }
        request.extend(b"\r\n");
        request.extend(body);
        self.stream.get_mut().write_all(&request).await.expect("sends");
        let mut status_line = String::new();
        self.stream.read_line(&mut status_line).await.expect("a status line");
        let status = status_line.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status");
        let mut length = 0;
        loop {
            let mut line = String::new();
            self.stream.read_line(&mut line).await.expect("a header");
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().expect("a length");
            }
        }
        let mut answer = vec![0; length];
        self.stream.read_exact(&mut answer).await.expect("the body");
        (status, serde_json::from_slice(&answer).expect("a JSON answer"))
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_server_answers_what_the_engine_predicts_on_the_whole_corpus() {
    for profile in [Profile::Default, Profile::Strict] {
        let options = LintOptions::new(NOW).with_profile(profile);
        let app = App::new(Config::new(options.clone()));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("binds on loopback");
        let address = listener.local_addr().expect("an address").to_string();
        let server = tokio::spawn(indicative_server::serve(listener, app.clone(), std::future::pending()));
        let cases = Arc::new(corpus());
        // Eight connections at once, each taking every eighth case, the
        // bytes sent as they are (an HTTP client would re-encode a query).
        let mut clients = Vec::new();
        for lane in 0..8 {
            let (cases, address) = (Arc::clone(&cases), address.clone());
            clients.push(tokio::spawn(async move {
                let mut connection = Connection::open(&address).await;
                let mut answered = Vec::new();
                for (i, case) in cases.iter().enumerate().skip(lane).step_by(8) {
                    let (method, target, body) = request(case);
                    answered.push((i, connection.send(method, &target, &body).await));
                }
                answered
            }));
        }
        let mut answers = vec![(0, Value::Null); cases.len()];
        for client in clients {
            for (i, answer) in client.await.expect("a client") {
                answers[i] = answer;
            }
        }
        assert_eq!(app.capture().summary().requests, cases.len() as u64, "every request is captured");
        for (case, (status, answer)) in cases.iter().zip(&answers) {
            let (method, target, body) = request(case);
            let info = RequestInfo::http(method, &target, (method == "POST").then_some("application/json"));
            let report =
                if method == "GET" { lint_query(&target, &info, &options) } else { lint_body(&body, &info, &options) };
            let context = || format!("{profile}: {method} {target} {}", case.text);
            assert_eq!(*status, report.status.code(), "{}", context());
            let codes = |findings: &Value| -> Vec<String> {
                findings.as_array().map_or_else(Vec::new, |all| {
                    all.iter().filter_map(|f| f["code"].as_str().map(str::to_owned)).collect()
                })
            };
            assert_eq!(codes(&answer["findings"]), report.codes(), "{}", context());
            let seq = answer["seq"].as_u64().expect("a sequence number");
            let record = app.capture().get(seq).expect("the record");
            let recorded: Vec<&str> = record.findings.iter().map(|f| f.code).collect();
            assert_eq!(recorded, report.codes(), "{}", context());
            assert_eq!(record.predicted, report.status.code());
        }
        server.abort();
    }
}

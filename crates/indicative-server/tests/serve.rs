//! The contract server over real sockets on loopback: the API's answers, the
//! capture, and the admin API.

// A test: a failed step is a panic with its place.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use indicative_contract::{LintOptions, RequestInfo, lint_body};
use indicative_server::{App, Config};
use reqwest::StatusCode;
use serde_json::{Value, json};

const NOW: i64 = 1_700_000_000_000;
const KEY: &str = "3f2a9c7e-5b1d-4e8a";

fn client() -> reqwest::Client {
    indicative_server::install_tls();
    reqwest::Client::new()
}

struct Server {
    base: String,
    app: Arc<App>,
    client: reqwest::Client,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(config: Config) -> Self {
        let app = App::new(config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(indicative_server::serve(listener, app.clone(), std::future::pending()));
        Self { base, app, client: client(), task }
    }

    async fn default() -> Self {
        Self::start(Config::new(LintOptions::new(NOW))).await
    }

    async fn post(&self, path: &str, body: &str) -> (StatusCode, Value) {
        let response = self
            .client
            .post(format!("{}{path}", self.base))
            .header("content-type", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .unwrap();
        let status = response.status();
        (status, response.json().await.unwrap())
    }

    /// Sends raw bytes on a new connection; answers what came back.
    async fn raw(&self, request: &[u8]) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(self.base.trim_start_matches("http://")).await.unwrap();
        // A server that answers before it reads the whole request (431)
        // may close on the rest: then the write fails, and the read below
        // ends with what came before the reset (nothing, at worst).
        let _ = stream.write_all(request).await;
        let mut answer = Vec::new();
        let mut buffer = [0; 4096];
        // Read until the answer's headers and body are in (the server keeps
        // the connection open), or the connection ends.
        loop {
            let n = stream.read(&mut buffer).await.unwrap_or(0);
            answer.extend_from_slice(&buffer[..n]);
            let text = String::from_utf8_lossy(&answer);
            if n == 0 || text.contains("\r\n\r\n{") && text.ends_with('}') {
                return text.into_owned();
            }
        }
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let response = self.client.get(format!("{}{path}", self.base)).send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.task.abort();
    }
}

fn event(name: &str) -> String {
    json!({"apiKey": KEY, "eventName": name, "eventUniqueId": "user47", "properties": {"plan": "pro", "n": 3}})
        .to_string()
}

#[tokio::test]
async fn every_route_answers_what_the_engine_predicts() {
    let server = Server::default().await;
    let bodies = [
        ("/service/event", event("Sign Up")),
        ("/service/event/KEY-IN-PATH-1", r#"{"eventName":"E","eventUniqueId":"u"}"#.to_owned()),
        ("/service/event/batch", format!(r#"{{"apiKey":"{KEY}","events":[{},{{"eventName":""}}]}}"#, event("A"))),
        ("/service/identify", format!(r#"{{"apiKey":"{KEY}","uniqueId":"u","properties":{{"a":"b"}}}}"#)),
        ("/service/identify/KEY-IN-PATH-1", r#"{"uniqueId":"u"}"#.to_owned()),
        ("/service/alias", format!(r#"{{"apiKey":"{KEY}","previousId":"a","newId":"a"}}"#)),
        ("/service/alias/KEY-IN-PATH-1", r#"{"previousId":"a","newId":"b"}"#.to_owned()),
        ("/service/suppress", format!(r#"{{"apiKey":"{KEY}","uniqueId":"u"}}"#)),
        ("/service/suppress/KEY-IN-PATH-1", r#"{"uniqueId":""}"#.to_owned()),
        ("/service/delete", format!(r#"{{"apiKey":"{KEY}","uniqueId":"u"}}"#)),
        ("/service/delete/KEY-IN-PATH-1", "{not json".to_owned()),
        ("/service/event", r#"{"apiKey":"k","eventName":"E","eventUniqueId":"u","eventTime":-1}"#.to_owned()),
        ("/v1/track", event("A")),
    ];
    for (path, body) in &bodies {
        let (status, answer) = server.post(path, body).await;
        let info = RequestInfo::http("POST", path, Some("application/json"));
        let report = lint_body(body.as_bytes(), &info, &LintOptions::new(NOW));
        assert_eq!(status.as_u16(), report.status.code(), "{path} {body}");
        let codes: Vec<&str> =
            answer["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
        assert_eq!(codes, report.codes(), "{path} {body}");
        assert_eq!(answer["status"], status.as_u16());
    }
    // GET, on the one path that takes it.
    let (status, answer) =
        server.get(&format!("/service/event?apiKey={KEY}&eventName=G&eventUniqueId=u&propertyNames=a")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["findings"][0]["code"], "property-count-mismatch");
    let (status, _) = server.get(&format!("/service/event?apiKey={KEY}&eventName=G&eventUniqueId=u")).await;
    assert_eq!(status, StatusCode::OK);
    // A wrong method is 405 with Allow; an unknown path 404.
    for (path, allow) in
        [("/service/event", "GET, POST"), ("/service/identify", "POST"), ("/service/event/batch", "POST")]
    {
        let response = server.client.put(format!("{}{path}", server.base)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
        assert_eq!(response.headers()["allow"], allow, "{path}");
    }
    let response = server.client.get(format!("{}/service/identify", server.base)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(server.get("/nowhere").await.0, StatusCode::NOT_FOUND);
    // Every request was captured, the unknown ones too.
    assert_eq!(server.app.capture().summary().requests, bodies.len() as u64 + 7);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_is_captured_before_it_is_answered() {
    let server = Arc::new(Server::default().await);
    let mut clients = Vec::new();
    for client in 0..8 {
        let server = Arc::clone(&server);
        clients.push(tokio::spawn(async move {
            for i in 0..25 {
                let (status, answer) = server.post("/service/event", &event(&format!("E{client}-{i}"))).await;
                assert_eq!(status, StatusCode::OK);
                let seq = answer["seq"].as_u64().unwrap();
                // Read right after the answer: the record is there.
                let (status, record) = server.get(&format!("/_contract/events/{seq}")).await;
                assert_eq!(status, StatusCode::OK, "seq {seq}");
                assert_eq!(record["events"][0]["eventName"], format!("E{client}-{i}"));
            }
        }));
    }
    for client in clients {
        client.await.unwrap();
    }
    let summary = server.app.capture().summary();
    assert_eq!((summary.requests, summary.last_seq), (200, 200));
}

#[tokio::test]
async fn keys_never_appear_in_full() {
    let server = Server::default().await;
    let body = format!(
        r#"{{"apiKey":"{KEY}","eventName":"E","eventUniqueId":"u","properties":{{"echo":"{KEY}"}},"apiKey":"{KEY}"}}"#
    );
    server.post("/service/event/OTHER-KEY-99", &body).await;
    server
        .get(&format!("/service/event?apiKey={KEY}&eventName=E&eventUniqueId=u&propertyNames=k&propertyValues={KEY}"))
        .await;
    // An escaped parameter name, a key nested in a property, in a name.
    server.get(&format!("/service/event?api%4Bey={KEY}&eventName=E&eventUniqueId=u")).await;
    let nested = format!(
        r#"{{"apiKey":"{KEY}","eventName":"{KEY}","eventUniqueId":"u","properties":{{"cfg":{{"apiKey":"{KEY}"}},"list":["{KEY}"],"{KEY}":"x"}}}}"#
    );
    server.post("/service/event", &nested).await;
    // Credentials in headers: another key, a bearer token.
    server
        .client
        .post(format!("{}/service/event", server.base))
        .header("content-type", "application/json")
        .header("authorization", "Bearer SECRET-TOKEN-42")
        .header("x-api-key", "OTHER-KEY-99")
        .body(event("E"))
        .send()
        .await
        .unwrap();
    // A compressed body is not read, so its keys cannot be found: it is
    // kept masked whole (a gzip stream stands for one here).
    let compressed = [&b"\x1f\x8b\x08\x00"[..], KEY.as_bytes()].concat();
    server
        .client
        .post(format!("{}/service/event", server.base))
        .header("content-type", "application/json")
        .header("content-encoding", "gzip")
        .body(compressed.clone())
        .send()
        .await
        .unwrap();
    let held = server.app.capture().all();
    let record = held.iter().find(|r| r.headers.iter().any(|h| h.name == "content-encoding")).unwrap();
    assert_eq!(record.body_bytes().len(), compressed.len());
    assert!(record.body_bytes()[4..].iter().all(|&b| b == b'*'), "{:?}", record.body_bytes());
    // Keys in paths that are not the API's: every segment from the third
    // on is hidden, as the 404's message shows it.
    for path in ["/service/event/batch/{KEY}", "/service/track/{KEY}", "//service//event/{KEY}"] {
        let (status, _) = server.post(&path.replace("{KEY}", KEY), r#"{"events":[]}"#).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    for path in
        ["/_contract/events", "/_contract/export?format=har", "/_contract/export?format=ndjson", "/_contract/summary"]
    {
        let text = server.client.get(format!("{}{path}", server.base)).send().await.unwrap().text().await.unwrap();
        assert!(!text.contains(KEY), "{path}: {text}");
        assert!(!text.contains("OTHER-KEY-99"), "{path}: {text}");
        assert!(!text.contains("SECRET-TOKEN-42"), "{path}: {text}");
    }
    let (_, page) = server.get("/_contract/events?limit=100").await;
    assert!(page.to_string().contains(r#""value":"Bearer SECR***********""#), "{page}");
    let (_, page) = server.get("/_contract/events?limit=100").await;
    let targets: Vec<&str> = page["requests"].as_array().unwrap().iter().filter_map(|r| r["target"].as_str()).collect();
    for hidden in ["/service/event/batch/3f2a**************", "/service/track/3f2a**************"] {
        assert!(targets.contains(&hidden), "{hidden} in {targets:?}");
    }
    let record = &page["requests"].as_array().unwrap().iter().find(|r| r["seq"] == 1).unwrap();
    assert!(record["body"].as_str().unwrap().contains(r#""apiKey":"3f2a**************""#), "{record}");
    assert_eq!(record["target"], "/service/event/OTHE********");
    // Masking keeps byte lengths, so the findings' spans still point at their values.
    let body_text = record["body"].as_str().unwrap();
    let finding = record["findings"].as_array().unwrap().iter().find(|f| f["code"] == "api-key-conflict").unwrap();
    let (start, end) = (finding["start"].as_u64().unwrap() as usize, finding["end"].as_u64().unwrap() as usize);
    assert_eq!(&body_text[start..end], r#""3f2a**************""#);

    // --keep-keys keeps them.
    let mut config = Config::new(LintOptions::new(NOW));
    config.keep_keys = true;
    let keeping = Server::start(config).await;
    keeping.post("/service/event", &event("E")).await;
    let (_, page) = keeping.get("/_contract/events").await;
    assert!(page["requests"][0]["body"].as_str().unwrap().contains(KEY));
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_and_recorded() {
    let mut config = Config::new(LintOptions::new(NOW));
    config.max_body_bytes = 100;
    let server = Server::start(config).await;
    let big = event(&"x".repeat(200));
    let (status, answer) = server.post("/service/event", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(answer["message"].as_str().unwrap().contains("--max-body-bytes"), "{answer}");
    // Without a Content-Length (chunked), the limit holds as the body streams.
    let chunked = format!(
        "POST /service/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{big}\r\n0\r\n\r\n",
        big.len()
    );
    let answer = server.raw(chunked.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    let summary = server.app.capture().summary();
    assert_eq!(summary.by_status.get("413"), Some(&2));
    // A body within the limit is read.
    assert_eq!(server.post("/service/alias", r#"{"apiKey":"k","previousId":"a","newId":"b"}"#).await.0, StatusCode::OK);
}

#[tokio::test]
async fn the_capture_keeps_its_bound_and_counts_what_it_dropped() {
    let mut config = Config::new(LintOptions::new(NOW));
    config.max_events = 10;
    let server = Server::start(config).await;
    let batch = format!(r#"{{"apiKey":"{KEY}","events":[{}]}}"#, vec![event("B"); 4].join(","));
    for _ in 0..5 {
        server.post("/service/event/batch", &batch).await;
    }
    let (_, summary) = server.get("/_contract/summary").await;
    assert_eq!(summary["requests"], 2);
    assert_eq!(summary["events"], 8);
    assert_eq!(summary["droppedRequests"], 3);
    assert_eq!(summary["droppedEvents"], 12);
    assert_eq!(summary["byEventName"]["B"], 8);
    let (status, _) = server.get("/_contract/events/1").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let response = server.client.post(format!("{}/_contract/reset", server.base)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let cleared: Value = response.json().await.unwrap();
    assert_eq!(cleared["requests"], 2);
    let (_, summary) = server.get("/_contract/summary").await;
    assert_eq!((summary["requests"].as_u64(), summary["lastSeq"].as_u64()), (Some(0), Some(5)));
}

#[tokio::test]
async fn filters_select_events_and_pages_follow_the_cursor() {
    let server = Server::default().await;
    let batch = format!(
        r#"{{"apiKey":"{KEY}","events":[{},{},{{"eventName":"Checkout","eventUniqueId":""}}]}}"#,
        event("Sign Up"),
        event("Log In")
    );
    for _ in 0..3 {
        server.post("/service/event/batch", &batch).await;
    }
    server.post("/service/alias", r#"{"apiKey":"k","previousId":"a","newId":"a"}"#).await;
    let (_, page) = server.get("/_contract/events?eventName=Checkout&verdict=bad&code=empty-field&limit=2").await;
    assert_eq!(page["requests"].as_array().unwrap().len(), 2);
    assert_eq!(page["requests"][0]["matched"], json!([2]));
    let next = page["next"].as_u64().unwrap();
    let (_, rest) = server.get(&format!("/_contract/events?eventName=Checkout&since={next}")).await;
    assert_eq!(rest["requests"].as_array().unwrap().len(), 1);
    assert!(rest.get("next").is_none());
    // The items of a batch with a bad one have their own verdicts.
    let (_, warned) = server.get("/_contract/events?verdict=warned&kind=batch").await;
    assert_eq!(warned["requests"][0]["matched"], json!([0, 1]));
    assert_eq!(warned["requests"][0]["verdict"], "bad");
    let (_, warned) = server.get("/_contract/events?verdict=warned&kind=alias").await;
    assert_eq!(warned["requests"][0]["findings"][0]["code"], "alias-same-id");
    // Bad parameters are refused, clearly.
    let (status, error) = server.get("/_contract/events?verdict=ok").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["error"].as_str().unwrap().contains("good, warned or bad"));
    let (status, error) = server.get("/_contract/events?colour=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error["error"].as_str().unwrap().contains("unknown parameter \"colour\""));
    // Newest first, paged by `before`; a text search over names, any case.
    let (_, newest) = server.get("/_contract/events?order=desc&limit=2").await;
    let seqs: Vec<u64> = newest["requests"].as_array().unwrap().iter().map(|r| r["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [4, 3]);
    let (_, older) = server.get(&format!("/_contract/events?order=desc&before={}", newest["next"])).await;
    let seqs: Vec<u64> = older["requests"].as_array().unwrap().iter().map(|r| r["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [2, 1]);
    let (_, since) = server.get("/_contract/events?order=desc&since=2").await;
    assert_eq!(since["requests"].as_array().unwrap().len(), 2);
    let (_, found) = server.get("/_contract/events?q=LOG%20i").await;
    assert_eq!(found["requests"][0]["matched"], json!([1]));
    let (_, by_property) = server.get("/_contract/events?q=PLA&kind=batch").await;
    assert_eq!(by_property["requests"][0]["matched"], json!([0, 1]));
    let (status, listing) = server.get("/_contract/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(listing["endpoints"].as_array().unwrap().len() >= 9);
}

#[tokio::test]
async fn verify_answers_417_with_the_nearest_events() {
    let server = Server::default().await;
    server.post("/service/event", &event("Sign up")).await;
    server.post("/service/event", &event("Log In")).await;
    let verify = |body: Value| {
        let request = server.client.post(format!("{}/_contract/verify", server.base)).json(&body).send();
        async move {
            let response = request.await.unwrap();
            (response.status(), response.json::<Value>().await.unwrap())
        }
    };
    let (status, answer) = verify(json!({"eventName": "Sign Up", "properties": {"plan": "pro"}})).await;
    assert_eq!(status, StatusCode::EXPECTATION_FAILED);
    assert_eq!(answer["nearest"][0]["eventName"], "Sign up");
    assert_eq!(answer["nearest"][0]["differences"], json!(["eventName is \"Sign up\", expected \"Sign Up\""]));
    // Values compare as the API stores them: 3 is "3".
    let (status, answer) = verify(json!({"eventName": "Log In", "properties": {"n": "3"}, "atMost": 1})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["matched"], 1);
    let (status, _) = verify(json!({"verdict": "warned", "atLeast": 3})).await;
    assert_eq!(status, StatusCode::EXPECTATION_FAILED);
    // Nothing of a kind was sent: atMost 0 alone.
    let (status, answer) = verify(json!({"eventName": "Never Sent", "atMost": 0})).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    // Too many: the matching requests, and no "nearest" (they all match).
    let (status, answer) = verify(json!({"eventName": "Log In", "atMost": 0})).await;
    assert_eq!(status, StatusCode::EXPECTATION_FAILED, "{answer}");
    assert_eq!((&answer["matched"], &answer["nearest"]), (&json!(1), &json!([])), "{answer}");
    assert_eq!(answer["requests"].as_array().map(Vec::len), Some(1), "{answer}");
    // An expectation no capture can meet says so at once.
    let (status, answer) = verify(json!({"atLeast": 5, "atMost": 2})).await;
    assert_eq!(status, StatusCode::EXPECTATION_FAILED, "{answer}");
    assert!(answer["error"].as_str().unwrap().contains("atMost (2) is below atLeast (5)"), "{answer}");
    let (status, answer) = verify(json!({"eventNam": "x"})).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(answer["error"].as_str().unwrap().contains("eventNam"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wait_returns_when_the_events_arrive_and_408_when_they_do_not() {
    let server = Arc::new(Server::default().await);
    server.post("/service/event", &event("Before")).await;
    let waiting = {
        let server = Arc::clone(&server);
        tokio::spawn(async move { server.get("/_contract/wait?eventName=Later&count=2&since=1&timeout=60000").await })
    };
    // The wait holds until both have arrived, whenever that is: events that
    // came before the wait began count too, so there is no race to lose.
    server.post("/service/event", &event("Later")).await;
    assert!(!waiting.is_finished());
    server.post("/service/event", &event("Later")).await;
    let (status, answer) = waiting.await.unwrap();
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["matched"], 2);
    let (status, answer) = server.get("/_contract/wait?eventName=Never&timeout=50").await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_eq!(answer["matched"], 0);
}

#[tokio::test]
async fn the_export_lints_back_to_the_same_verdicts() {
    use indicative_contract::input::{Format, split};
    let server = Server::default().await;
    server.post("/service/event", &event("A")).await;
    server.post("/service/event/batch", &format!(r#"{{"apiKey":"{KEY}","events":[{},{{}}]}}"#, event("B"))).await;
    server.post("/service/identify/PATHKEY-123", "{\n  \"uniqueId\": \"u\"\n}").await;
    server.post("/service/alias", "{\"apiKey\":\"k\",\"previousId\":\"a\nb\"}").await;
    server.get(&format!("/service/event?apiKey={KEY}&eventName=G&eventUniqueId=u&eventTime=%ZZ")).await;
    let response = server
        .client
        .post(format!("{}/service/delete", server.base))
        .header("content-type", "application/json")
        .body(b"{\"apiKey\":\"k\",\"uniqueId\":\"caf\xE9\"}".to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let records = server.app.capture().all();
    let statuses: Vec<u16> = records.iter().map(|r| r.status).collect();

    let har = server.client.get(format!("{}/_contract/export?format=har", server.base)).send().await.unwrap();
    let har = har.bytes().await.unwrap();
    let docs = split(Format::Har, &har).unwrap();
    let mut linter = indicative_contract::Linter::new(LintOptions::new(NOW));
    let linted: Vec<u16> = docs.iter().map(|d| d.lint(&mut linter).status.code()).collect();
    assert_eq!(linted, statuses);

    let ndjson = server.client.get(format!("{}/_contract/export?format=ndjson", server.base)).send().await.unwrap();
    let ndjson = ndjson.bytes().await.unwrap();
    let docs = split(Format::Ndjson, &ndjson).unwrap();
    let posts: Vec<_> = records.iter().filter(|r| r.method == "POST").collect();
    assert_eq!(docs.len(), posts.len());
    for (doc, record) in docs.iter().zip(posts) {
        // The path told the kind and the key; the body alone keeps the verdict's JSON findings.
        let report = doc.lint(&mut linter);
        let json_broken = |codes: &[&str]| codes.contains(&"invalid-json");
        let recorded: Vec<&str> = record.findings.iter().map(|f| f.code).collect();
        assert_eq!(json_broken(&report.codes()), json_broken(&recorded), "{record:?}");
    }
}

#[tokio::test]
async fn plan_findings_are_recorded_but_never_answered() {
    let plan = indicative_plan::Plan::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/plans/tracking-plan.yaml"
    )))
    .unwrap();
    let options = LintOptions::new(NOW).with_checker(indicative_plan::PlanChecker::new(&plan).shared());
    let server = Server::start(Config::new(options)).await;
    let (status, answer) = server.post("/service/event", &event("Sign Upp")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(answer["verdict"], "bad");
    let codes: Vec<&str> = answer["findings"].as_array().unwrap().iter().map(|f| f["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"unplanned-event"), "{codes:?}");
    let (_, page) = server.get("/_contract/events?code=unplanned-event&verdict=bad").await;
    assert_eq!(page["requests"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_rate_limit_counts_events_and_answers_429() {
    let server = Server::start(Config::new(LintOptions::new(NOW)).with_rate_limit(5)).await;
    let batch = format!(r#"{{"apiKey":"{KEY}","events":[{}]}}"#, vec![event("B"); 4].join(","));
    // The first batch finds the window empty; a batch of more events than
    // the limit never fits, whenever it comes.
    assert_eq!(server.post("/service/event/batch", &batch).await.0, StatusCode::OK);
    let six = format!(r#"{{"apiKey":"{KEY}","events":[{}]}}"#, vec![event("B"); 6].join(","));
    let (status, answer) = server.post("/service/event/batch", &six).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert!(answer["message"].as_str().unwrap().contains("not this status"), "{answer}");
    assert_eq!(answer["predicted"], 200);
    // Within one second (or two, should the clock tick between), three more
    // 4-event batches cannot all fit under 5 events a second.
    let mut refused = 1;
    for _ in 0..3 {
        if server.post("/service/event/batch", &batch).await.0 == StatusCode::TOO_MANY_REQUESTS {
            refused += 1;
        }
    }
    assert!(refused >= 2);
    assert_eq!(server.app.capture().summary().by_status.get("429").copied(), Some(refused));
}

#[tokio::test]
async fn the_admin_token_and_the_key_allow_list_are_enforced() {
    let mut config = Config::new(LintOptions::new(NOW));
    config.admin_token = Some("s3cret".into());
    config.api_keys = Some([KEY.to_owned()].into());
    let server = Server::start(config).await;
    assert_eq!(server.post("/service/event", &event("A")).await.0, StatusCode::OK);
    let (status, answer) =
        server.post("/service/event", r#"{"apiKey":"another-key","eventName":"E","eventUniqueId":"u"}"#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["findings"][0]["code"], "invalid-api-key");
    assert!(!answer.to_string().contains("another-key"));
    let (status, _) = server.get("/_contract/summary").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let response =
        server.client.get(format!("{}/_contract/summary", server.base)).bearer_auth("s3cret").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let wrong =
        server.client.get(format!("{}/_contract/events", server.base)).bearer_auth("s3cre").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    // The scheme's case is free (RFC 9110), the token's not.
    for (given, status) in [
        ("bearer s3cret", StatusCode::OK),
        ("BEARER  s3cret", StatusCode::OK),
        ("Bearer S3CRET", StatusCode::UNAUTHORIZED),
    ] {
        let response = server
            .client
            .get(format!("{}/_contract/summary", server.base))
            .header("authorization", given)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), status, "{given}");
    }
    // The page's own files and the rules' pages hold nothing captured: they
    // load without the token (the page asks for it); what was captured does not.
    for path in ["/_contract/ui", "/_contract/ui/app.js", "/_contract/ui/style.css", "/_contract/rules/invalid-json"] {
        for method in [reqwest::Method::GET, reqwest::Method::HEAD] {
            let response =
                server.client.request(method.clone(), format!("{}{path}", server.base)).send().await.unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{method} {path}");
            assert_eq!(response.headers()["x-content-type-options"], "nosniff", "{path}");
            assert!(response.headers().contains_key("content-security-policy"), "{path}");
        }
    }
    for path in [
        "/_contract/events",
        "/_contract/events/1",
        "/_contract/export?format=har",
        "/_contract/wait",
        "/_contract/",
        "/_contract/summary?x=/ui",
        "/_contract/openapi.json",
        "/_contract/drift",
    ] {
        assert_eq!(server.get(path).await.0, StatusCode::UNAUTHORIZED, "{path}");
    }
    // Paths a client would not clean up on its way: still the token's.
    for path in [
        "/_contract/ui/../events",
        "/_contract/ui/%2e%2e/events",
        "/_contract/ui%2F..%2Fevents",
        "/_contract/ui/app.js/",
    ] {
        let answer = server.raw(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 401"), "{path}: {answer}");
    }
    let reset = server.client.post(format!("{}/_contract/reset", server.base)).send().await.unwrap();
    assert_eq!(reset.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_database_keeps_the_capture_across_restarts() {
    let dir = std::env::temp_dir().join(format!("indicative-serve-db-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("capture.db");
    let _ = std::fs::remove_file(&path);
    let before = {
        let mut config = Config::new(LintOptions::new(NOW));
        config.max_events = 6;
        let app = App::with_database(config, &path).unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(indicative_server::serve(listener, app.clone(), std::future::pending()));
        let server = Server { base, app, client: client(), task };
        // Concurrent clients: their records share transactions.
        let server = Arc::new(server);
        let mut clients = Vec::new();
        for client in 0..4 {
            let server = Arc::clone(&server);
            clients.push(tokio::spawn(async move {
                for i in 0..5 {
                    server.post("/service/event", &event(&format!("E{client}-{i}"))).await;
                }
            }));
        }
        for client in clients {
            client.await.unwrap();
        }
        server.post("/service/event/batch", &format!(r#"{{"apiKey":"{KEY}","events":[{},{{}}]}}"#, event("B"))).await;
        let (_, page) = server.get("/_contract/events").await;
        (server.app.capture().summary(), page)
    };
    assert_eq!(before.0.last_seq, 21);
    assert_eq!((before.0.requests, before.0.dropped_requests), (5, 16));

    // Restarted on the same file: the newest requests within the bound are
    // back, the rest are still in the database (counted as dropped), and
    // numbering goes on.
    let mut config = Config::new(LintOptions::new(NOW));
    config.max_events = 6;
    let app = App::with_database(config, &path).unwrap();
    let after = app.capture().summary();
    assert_eq!(after.last_seq, 21);
    assert_eq!(after.requests, before.0.requests);
    assert_eq!(after.by_event_name, before.0.by_event_name);
    assert_eq!((after.dropped_requests, after.dropped_events), (16, 16));
    let page =
        serde_json::to_value(app.capture().page(&indicative_server::capture::Filter::default(), 0, 100)).unwrap();
    assert_eq!(page, before.1);
    // Everything is in the database, one row per event.
    let connection = rusqlite_count(&path);
    assert_eq!(connection, (21, 22));
    // A reset clears the file too; numbers go on after it.
    app.capture().reset();
    drop(app);
    let mut config = Config::new(LintOptions::new(NOW));
    config.max_events = 6;
    let app = App::with_database(config, &path).unwrap();
    let server = {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let task = tokio::spawn(indicative_server::serve(listener, app.clone(), std::future::pending()));
        Server { base, app, client: client(), task }
    };
    let response = server.client.post(format!("{}/_contract/reset", server.base)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(rusqlite_count(&path), (0, 0));
    let (_, answer) = server.post("/service/event", &event("After")).await;
    assert_eq!(answer["seq"], 22);
    // A file that is not a capture database is refused, clearly.
    let other = dir.join("other.db");
    std::fs::write(
        &other,
        b"not a database at all, not even close to one....................................................",
    )
    .unwrap();
    let error = App::with_database(Config::new(LintOptions::new(NOW)), &other).unwrap_err();
    assert!(error.contains("other.db"), "{error}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The writer never checkpoints (a slow `fsync` would hold every answer
/// waiting): a thread of its own copies the WAL into the database file.
/// Read without its WAL, the file alone comes to hold every request while
/// the server runs.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wal_is_copied_into_the_database_file_while_the_server_runs() {
    let dir = std::env::temp_dir().join(format!("indicative-serve-checkpoint-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("capture.db");
    let app = App::with_database(Config::new(LintOptions::new(NOW)), &path).unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(indicative_server::serve(listener, app.clone(), std::future::pending()));
    let server = Server { base, app, client: client(), task };
    for i in 0..200 {
        server.post("/service/event", &event(&format!("E{i}"))).await;
    }
    let alone = dir.join("alone.db");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let in_file = loop {
        // The file without its WAL: only what was copied into it.
        std::fs::copy(&path, &alone).unwrap();
        let count = rusqlite::Connection::open(&alone)
            .and_then(|c| c.query_row("SELECT count(*) FROM requests", [], |row| row.get::<_, u64>(0)))
            .unwrap_or(0);
        if count == 200 || std::time::Instant::now() > deadline {
            break count;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    assert_eq!(in_file, 200, "requests in the database file itself, without its WAL");
    drop(server);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Requests and event rows in the database file.
fn rusqlite_count(path: &std::path::Path) -> (u64, u64) {
    let connection = rusqlite::Connection::open(path).unwrap();
    let requests = connection.query_row("SELECT count(*) FROM requests", [], |row| row.get(0)).unwrap();
    let events = connection.query_row("SELECT count(*) FROM events", [], |row| row.get(0)).unwrap();
    (requests, events)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_time_out_without_holding_the_others() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut config = Config::new(LintOptions::new(NOW));
    config.header_timeout = std::time::Duration::from_millis(300);
    config.body_timeout = std::time::Duration::from_millis(300);
    let server = Server::start(config).await;
    let address = server.base.trim_start_matches("http://").to_owned();
    // A hundred clients that send half a header and stop.
    let mut slow = Vec::new();
    for _ in 0..100 {
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        stream.write_all(b"POST /service/event HTTP/1.1\r\nHost: x\r\nContent-Ty").await.unwrap();
        slow.push(stream);
    }
    // The others are served meanwhile.
    for i in 0..20 {
        assert_eq!(server.post("/service/event", &event(&format!("E{i}"))).await.0, StatusCode::OK);
    }
    // The slow ones are cut off (the read ends: no answer, or hyper's 408).
    for mut stream in slow {
        let mut rest = Vec::new();
        let read = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut rest)).await;
        assert!(read.is_ok(), "a slow client was never cut off");
    }
    // A body that stops half way is answered 408, and recorded.
    let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
    stream
        .write_all(b"POST /service/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"apiKey\":")
        .await
        .unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert_eq!(server.app.capture().summary().by_status.get("408"), Some(&1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_get_clear_answers_and_the_server_goes_on() {
    use tokio::io::AsyncWriteExt;
    let server = Server::default().await;
    // Headers over hyper's limit: 431, and no record (the request never arrived whole).
    let huge = format!("GET /service/event HTTP/1.1\r\nHost: x\r\nX-Big: {}\r\n\r\n", "a".repeat(500_000));
    // The server closes on what it did not read, and the reset that close
    // sends can overtake its answer (rarely, on loopback): asked again then.
    let mut answer = String::new();
    for _ in 0..5 {
        answer = server.raw(huge.as_bytes()).await;
        if !answer.is_empty() {
            break;
        }
    }
    assert!(answer.starts_with("HTTP/1.1 431"), "{}", &answer[..answer.len().min(200)]);
    // Raw bytes that are not UTF-8 in the target: refused by the HTTP parser.
    let answer = server.raw(b"GET /service/event?eventName=caf\xE9 HTTP/1.1\r\nHost: x\r\n\r\n").await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    // Percent-escaped bytes that are not UTF-8 reach the lint, which says where.
    let (status, answer) = server.get("/service/event?apiKey=k&eventName=caf%E9&eventUniqueId=u").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(answer["findings"][0]["code"], "invalid-query-encoding");
    // A path that does not take the method: only the 405, as the lint of
    // the same request says (its empty body is read by no one).
    let (status, answer) = server.get("/service/alias?apiKey=abcdefgh&previousId=a&newId=b").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let codes: Vec<&str> = answer["findings"].as_array().unwrap().iter().filter_map(|f| f["code"].as_str()).collect();
    assert_eq!(codes, ["method-not-allowed"]);
    // A client that resets in the middle of its body.
    {
        let mut stream = tokio::net::TcpStream::connect(server.base.trim_start_matches("http://")).await.unwrap();
        stream
            .write_all(b"POST /service/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"apiKey\"")
            .await
            .unwrap();
        stream.set_zero_linger().unwrap();
    }
    // The attempt is recorded, once its connection ends.
    let mut changes = server.app.capture().subscribe();
    while server.app.capture().summary().by_status.get("400").copied().unwrap_or(0) < 2 {
        changes.changed().await.unwrap();
    }
    // And the server goes on.
    assert_eq!(server.post("/service/event", &event("After")).await.0, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_connections_at_once_are_all_answered_and_captured() {
    let server = Arc::new(Server::default().await);
    let address = server.base.trim_start_matches("http://").to_owned();
    let mut clients = Vec::new();
    for i in 0..2000 {
        let address = address.clone();
        clients.push(tokio::spawn(async move {
            use tokio::io::{AsyncReadExt, AsyncWriteExt};
            let body = event(&format!("C{i}"));
            let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
            let request = format!(
                "POST /service/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            stream.write_all(request.as_bytes()).await.unwrap();
            let mut answer = String::new();
            stream.read_to_string(&mut answer).await.unwrap();
            answer.starts_with("HTTP/1.1 200")
        }));
    }
    let mut ok = 0;
    for client in clients {
        ok += usize::from(client.await.unwrap());
    }
    assert_eq!(ok, 2000);
    let summary = server.app.capture().summary();
    assert_eq!((summary.requests, summary.by_event_name.len()), (2000, 2000));
}

//! Relay mode against a fake upstream on loopback that answers 500, 429,
//! hangs and resets: nothing accepted is lost, nothing rejected is sent,
//! backoff and the rate hold (measured from the upstream's own clock), and
//! a restart resumes the outbox.

// A test: a failed step is a panic with its place.
#![allow(clippy::unwrap_used)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use indicative_contract::LintOptions;
use indicative_server::relay::Upstream;
use indicative_server::{App, Config};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const NOW: i64 = 1_700_000_000_000;
const KEY: &str = "3f2a9c7e-5b1d-4e8a";

/// How the fake upstream answers one request.
#[derive(Debug, Clone, Copy)]
enum Behaviour {
    Status(u16),
    /// 429 with `Retry-After: 1`.
    TooMany,
    /// Never answers (the relay's timeout ends it).
    Hang,
    /// Closes the connection without an answer.
    Reset,
}

/// One request the fake upstream received.
#[derive(Debug, Clone)]
struct Arrival {
    at: Instant,
    target: String,
    body: String,
    events: usize,
    answered: Option<u16>,
}

#[derive(Default)]
struct Fake {
    script: Mutex<VecDeque<Behaviour>>,
    arrivals: Mutex<Vec<Arrival>>,
    /// Requests whose body contains this text are answered 400 (drift).
    refuse: Mutex<Option<String>>,
}

async fn read_request(stream: &mut BufReader<tokio::net::TcpStream>) -> Option<(String, String)> {
    let mut line = String::new();
    if stream.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let target = line.split(' ').nth(1)?.to_owned();
    let mut length = 0;
    loop {
        let mut header = String::new();
        stream.read_line(&mut header).await.ok()?;
        if header == "\r\n" || header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some((target, String::from_utf8_lossy(&body).into_owned()))
}

/// Starts the fake upstream; answers its base URL.
async fn fake_upstream(fake: Arc<Fake>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { continue };
            let fake = Arc::clone(&fake);
            tokio::spawn(async move {
                let mut stream = BufReader::new(stream);
                while let Some((target, body)) = read_request(&mut stream).await {
                    let events = serde_json::from_str::<Value>(&body)
                        .ok()
                        .and_then(|v| v["events"].as_array().map(Vec::len))
                        .unwrap_or(1);
                    let behaviour = fake.script.lock().unwrap().pop_front();
                    let refused = fake.refuse.lock().unwrap().as_ref().is_some_and(|text| body.contains(text.as_str()));
                    let answer = match behaviour {
                        Some(Behaviour::Status(status)) => Some((status, "")),
                        Some(Behaviour::TooMany) => Some((429, "Retry-After: 1\r\n")),
                        Some(Behaviour::Hang | Behaviour::Reset) => None,
                        None if refused => Some((400, "")),
                        None => Some((200, "")),
                    };
                    fake.arrivals.lock().unwrap().push(Arrival {
                        at: Instant::now(),
                        target,
                        body,
                        events,
                        answered: answer.map(|(status, _)| status),
                    });
                    match (behaviour, answer) {
                        (Some(Behaviour::Hang), _) => {
                            tokio::time::sleep(Duration::from_secs(5)).await;
                            return;
                        }
                        (_, None) => {
                            let _ = stream.get_ref().set_zero_linger();
                            return;
                        }
                        (_, Some((status, extra))) => {
                            let response = format!("HTTP/1.1 {status} X\r\nContent-Length: 0\r\n{extra}\r\n");
                            if stream.get_mut().write_all(response.as_bytes()).await.is_err() {
                                return;
                            }
                        }
                    }
                }
            });
        }
    });
    base
}

fn config(upstream: &str, rate: f64) -> Config {
    let mut config = Config::new(LintOptions::new(NOW));
    let mut relay = Upstream::new(upstream);
    relay.rate = rate;
    relay.timeout = Duration::from_millis(300);
    config.upstream = Some(relay);
    config.api_keys = Some([KEY.to_owned()].into());
    config
}

async fn serve(app: &Arc<App>) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(indicative_server::serve(listener, Arc::clone(app), std::future::pending()));
    app.start_relay().unwrap();
    base
}

fn client() -> reqwest::Client {
    indicative_server::install_tls();
    reqwest::Client::new()
}

async fn post(client: &reqwest::Client, url: String, body: String) -> u16 {
    client.post(url).header("content-type", "application/json").body(body).send().await.unwrap().status().as_u16()
}

fn event(name: &str) -> String {
    json!({"apiKey": KEY, "eventName": name, "eventUniqueId": "user47"}).to_string()
}

/// Waits (bounded) until `done` holds of the fake's arrivals.
async fn until(fake: &Fake, what: &str, done: impl Fn(&[Arrival]) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done(&fake.arrivals.lock().unwrap()) {
        assert!(Instant::now() < deadline, "the upstream never got {what}: {:#?}", fake.arrivals.lock().unwrap());
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn names(arrivals: &[Arrival]) -> Vec<String> {
    arrivals
        .iter()
        .filter(|a| a.answered == Some(200) || a.answered == Some(400))
        .flat_map(|a| {
            let body: Value = serde_json::from_str(&a.body).unwrap();
            match body["events"].as_array() {
                Some(items) => items.iter().map(|i| i["eventName"].as_str().unwrap().to_owned()).collect(),
                None => vec![body["eventName"].as_str().unwrap_or_default().to_owned()],
            }
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_lose_nothing_and_the_rate_and_backoff_hold() {
    let fake = Arc::new(Fake::default());
    fake.script.lock().unwrap().extend([
        Behaviour::Status(500),
        Behaviour::TooMany,
        Behaviour::Hang,
        Behaviour::Reset,
        Behaviour::Status(503),
    ]);
    *fake.refuse.lock().unwrap() = Some("Drift".into());
    let upstream = fake_upstream(Arc::clone(&fake)).await;
    let dir = tempdir();
    let rate = 6.0;
    let app = App::with_database(config(&upstream, rate), &dir.join("capture.db")).unwrap();
    let base = serve(&app).await;
    let client = client();
    let mut sent = Vec::new();
    for i in 0..8 {
        assert_eq!(post(&client, format!("{base}/service/event"), event(&format!("E{i}"))).await, 200);
        sent.push(format!("E{i}"));
    }
    let batch = json!({"apiKey": KEY, "events": (0..5).map(|i| json!({"eventName": format!("B{i}"), "eventUniqueId": "u"})).collect::<Vec<_>>()});
    assert_eq!(post(&client, format!("{base}/service/event/batch"), batch.to_string()).await, 200);
    sent.extend((0..5).map(|i| format!("B{i}")));
    // Accepted here, refused upstream: drift.
    assert_eq!(post(&client, format!("{base}/service/event"), event("Drift")).await, 200);
    sent.push("Drift".into());
    // Rejected here: quarantined, never sent.
    let bad = json!({"apiKey": KEY, "eventName": "", "eventUniqueId": "u"}).to_string();
    assert_eq!(post(&client, format!("{base}/service/event"), bad).await, 422);
    // A key the relay does not know: quarantined too.
    let other = json!({"apiKey": "another-key-1234", "eventName": "Other", "eventUniqueId": "u"}).to_string();
    assert_eq!(post(&client, format!("{base}/service/event"), other).await, 400);
    // Accepted, but sent with a Content-Encoding: kept masked whole, and
    // quarantined (the relay sends no Content-Encoding on).
    let encoded = client
        .post(format!("{base}/service/event"))
        .header("content-type", "application/json")
        .header("content-encoding", "utf-8")
        .body(event("Encoded"))
        .send()
        .await
        .unwrap();
    assert_eq!(encoded.status(), 200);

    until(&fake, "every accepted event", |arrivals| {
        let got = names(arrivals);
        sent.iter().all(|name| got.contains(name))
    })
    .await;
    let arrivals = fake.arrivals.lock().unwrap().clone();
    let got = names(&arrivals);
    // Nothing lost, nothing rejected sent, keys restored in full.
    assert!(!got.iter().any(|name| name.is_empty() || name == "Other" || name == "Encoded"), "{got:?}");
    for arrival in &arrivals {
        assert!(arrival.body.contains(KEY), "a relayed body lacks the key: {}", arrival.body);
        assert!(!arrival.body.contains("****"));
        assert!(arrival.target.starts_with("/service/event"));
    }
    // Exactly once for what no fault hit: every name arrives once, except
    // those whose attempt was hit (at most one per scripted fault; a hang
    // or a reset may have reached the upstream before it failed).
    let faults = 5;
    let duplicates = got.len() - sent.len();
    assert!(duplicates <= faults, "{duplicates} duplicates: {got:?}");

    // The rate, from the upstream's clock: no second holds more than `rate`
    // events (5 ms of slack for the clocks' granularity).
    for (i, arrival) in arrivals.iter().enumerate() {
        let in_second: usize = arrivals[..=i]
            .iter()
            .filter(|a| arrival.at.duration_since(a.at) < Duration::from_millis(995))
            .map(|a| a.events)
            .sum();
        assert!(in_second as f64 <= rate, "{in_second} events within a second (at most {rate})");
    }
    // Backoff: a request answered 500 is tried again no sooner than 0.5 s
    // later; after a 429 with Retry-After: 1 nothing at all is sent for 1 s.
    let first = &arrivals[0];
    assert_eq!(first.answered, Some(500));
    let retry = arrivals.iter().skip(1).find(|a| a.body == first.body).unwrap();
    assert!(retry.at.duration_since(first.at) >= Duration::from_millis(500));
    let limited = &arrivals[1];
    assert_eq!(limited.answered, Some(429));
    assert!(arrivals[2].at.duration_since(limited.at) >= Duration::from_secs(1));

    // The relay's account: drift, and the outbox.
    let mut drift = Value::Null;
    for _ in 0..100 {
        drift = client.get(format!("{base}/_contract/drift")).send().await.unwrap().json().await.unwrap();
        if drift["outbox"]["sent"] == json!(10) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(drift["outbox"]["sent"], 10, "{drift}");
    assert_eq!(drift["outbox"]["quarantined"], 3, "{drift}");
    assert_eq!(drift["drift"].as_array().unwrap().len(), 1, "{drift}");
    assert_eq!(
        (drift["drift"][0]["predicted"].as_u64(), drift["drift"][0]["upstream"].as_u64()),
        (Some(200), Some(400))
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_restart_resumes_the_outbox_and_sends_each_request_once() {
    let dir = tempdir();
    let db = dir.join("capture.db");
    // First run: the upstream is down (nothing listens on its port).
    let down = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", down.local_addr().unwrap());
    drop(down);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let app = App::with_database(config(&dead, 1000.0), &db).unwrap();
        let base = serve(&app).await;
        let client = client();
        for i in 0..20 {
            assert_eq!(post(&client, format!("{base}/service/event"), event(&format!("R{i}"))).await, 200);
        }
    });
    // The server goes away with everything pending.
    runtime.shutdown_timeout(Duration::from_secs(5));

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let fake = Arc::new(Fake::default());
        let upstream = fake_upstream(Arc::clone(&fake)).await;
        let app = App::with_database(config(&upstream, 1000.0), &db).unwrap();
        let _base = serve(&app).await;
        until(&fake, "the 20 pending requests", |arrivals| arrivals.len() >= 20).await;
        // Nothing more comes: each was sent once.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut got = names(&fake.arrivals.lock().unwrap());
        got.sort();
        let mut want: Vec<String> = (0..20).map(|i| format!("R{i}")).collect();
        want.sort();
        assert_eq!(got, want);
    });
    runtime.shutdown_timeout(Duration::from_secs(5));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "indicative-relay-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_that_mask_alike_are_each_restored_as_sent() {
    let fake = Arc::new(Fake::default());
    let upstream = fake_upstream(Arc::clone(&fake)).await;
    let dir = tempdir();
    let mut config = config(&upstream, 1000.0);
    config.api_keys = Some(["abcd1111".to_owned(), "abcd5678".to_owned()].into());
    let app = App::with_database(config, &dir.join("capture.db")).unwrap();
    let base = serve(&app).await;
    let client = client();
    for (key, name) in [("abcd1111", "One"), ("abcd5678", "Five"), ("abcd1111", "One again")] {
        let body = json!({"apiKey": key, "eventName": name, "eventUniqueId": "u"}).to_string();
        assert_eq!(post(&client, format!("{base}/service/event"), body).await, 200);
    }
    // And the key in the path.
    let body = json!({"eventName": "Path", "eventUniqueId": "u"}).to_string();
    assert_eq!(post(&client, format!("{base}/service/event/abcd5678"), body).await, 200);
    // A batch item's key that --api-key does not list cannot be written
    // back: the batch is never sent (it would reach the API masked).
    let unlisted =
        r#"{"apiKey":"abcd1111","events":[{"apiKey":"abcd9999","eventName":"Unlisted","eventUniqueId":"u"}]}"#;
    assert_eq!(post(&client, format!("{base}/service/event/batch"), unlisted.to_owned()).await, 200);
    // Several keys in one request, each written back where it stood, byte
    // for byte: the path's and the body's, a repeated member, a batch
    // item's, a repeated GET parameter.
    let several = [
        ("/service/event/abcd5678", r#"{"apiKey":"abcd1111","eventName":"Both","eventUniqueId":"u"}"#),
        ("/service/event", r#"{"apiKey":"abcd5678","apiKey":"abcd1111","eventName":"Twice","eventUniqueId":"u"}"#),
        (
            "/service/event/batch",
            r#"{"apiKey":"abcd1111","events":[{"apiKey":"abcd5678","eventName":"Item","eventUniqueId":"u"}]}"#,
        ),
    ];
    for (path, body) in several {
        assert_eq!(post(&client, format!("{base}{path}"), body.to_owned()).await, 200, "{body}");
    }
    let query = "/service/event?apiKey=abcd1111&apiKey=abcd5678&eventName=Get&eventUniqueId=u";
    assert_eq!(client.get(format!("{base}{query}")).send().await.unwrap().status().as_u16(), 200);
    until(&fake, "the eight requests", |arrivals| arrivals.len() >= 8).await;
    let arrivals = fake.arrivals.lock().unwrap().clone();
    assert_eq!(arrivals.len(), 8, "{arrivals:#?}");
    for arrival in &arrivals {
        if arrival.body.is_empty() {
            assert_eq!(arrival.target, query);
            continue;
        }
        let body: Value = serde_json::from_str(&arrival.body).unwrap();
        match body["eventName"].as_str().or(body["events"][0]["eventName"].as_str()).unwrap() {
            "One" | "One again" => assert_eq!(body["apiKey"], "abcd1111"),
            "Five" => assert_eq!(body["apiKey"], "abcd5678"),
            "Path" => assert_eq!(arrival.target, "/service/event/abcd5678"),
            name => {
                let (path, sent) = several.iter().find(|(_, b)| b.contains(name)).unwrap();
                assert_eq!((arrival.target.as_str(), arrival.body.as_str()), (*path, *sent));
            }
        }
    }
    let connection = rusqlite::Connection::open(dir.join("capture.db")).unwrap();
    let note: String =
        connection.query_row("SELECT note FROM outbox WHERE state = 'quarantined'", [], |row| row.get(0)).unwrap();
    assert!(note.contains("abcd****") && note.contains("not one of --api-key as written"), "{note}");
    std::fs::remove_dir_all(&dir).unwrap();
}

//! `indicative serve`: a contract server for the mParticle Analytics
//! (formerly Indicative) REST API.
//!
//! Point an SDK or a service at it in integration tests. Every request to
//! the API's paths is linted from its raw bytes by the same engine as
//! `indicative lint`, **recorded before it is answered**, and answered with
//! the status the API is predicted to give and a JSON body listing the
//! findings. The admin API under `/_contract/` then tells what was sent:
//! `events` with filters, `verify` an expectation (200, or 417 with the
//! nearest events and how they differ), `wait` for events without sleeping
//! (408 on timeout), `summary`, `reset`, and `export` as HAR or NDJSON for
//! `indicative lint` to read back.
//!
//! ```
//! use indicative_server::{App, Config};
//! use indicative_contract::LintOptions;
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let app = App::new(Config::new(LintOptions::new(1_700_000_000_000)));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
//! let address = listener.local_addr().unwrap();
//! let server = tokio::spawn(indicative_server::serve(listener, app.clone(), std::future::pending()));
//! // ... send requests to http://{address}/service/event ...
//! # let _ = address;
//! assert_eq!(app.capture().summary().requests, 0);
//! server.abort();
//! # });
//! ```

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::Request;
use axum::response::Response;
use indicative_contract::LintOptions;

mod admin;
pub mod capture;
pub mod client;
pub mod export;
mod ingest;
pub mod mask;
pub mod openapi;
pub mod relay;
pub mod store;
mod ui;

pub use admin::ENDPOINTS;
use capture::Capture;

/// The largest body read by default: 10 MiB (the API's batching clients
/// keep requests under 1 MB; `payload-over-1mb` warns past that).
pub const DEFAULT_MAX_BODY_BYTES: usize = 10 << 20;

/// The most events held in memory by default.
pub const DEFAULT_MAX_EVENTS: usize = 100_000;

/// The most bytes held in memory by default: 1 GiB.
pub const DEFAULT_MAX_CAPTURE_BYTES: usize = 1 << 30;

/// How the server lints, records and answers.
///
/// ```
/// use indicative_server::Config;
/// let config = Config::new(indicative_contract::LintOptions::new(0)).with_rate_limit(250);
/// assert_eq!(config.rate_limit, Some(250));
/// assert_eq!(config.max_events, indicative_server::DEFAULT_MAX_EVENTS);
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    /// The lint's settings: profile, rules, "now", and a tracking plan's checker.
    pub options: LintOptions,
    /// Bodies over this many bytes are answered 413.
    pub max_body_bytes: usize,
    /// The most events the in-memory capture holds; the oldest requests are
    /// dropped (and counted) past it.
    pub max_events: usize,
    /// The most bytes (bodies, targets and headers) the in-memory capture
    /// holds; the oldest requests are dropped past it.
    pub max_capture_bytes: usize,
    /// Keep API keys in full in the capture (masked otherwise).
    pub keep_keys: bool,
    /// Emulate the API's rate limit: answer 429 past this many events per
    /// second (a batch counts its events). The reference states the limit,
    /// not the status; 429 is HTTP's.
    pub rate_limit: Option<u64>,
    /// The keys the server accepts; any other is `invalid-api-key` (400).
    pub api_keys: Option<HashSet<String>>,
    /// A bearer token the admin API requires.
    pub admin_token: Option<String>,
    /// Judge `eventTime` against the clock at each request, rather than the
    /// options' fixed "now".
    pub live_now: bool,
    /// The longest a client may take to send a request's headers before
    /// it is disconnected.
    pub header_timeout: std::time::Duration,
    /// The longest a client may take to send a request's body before it is
    /// answered 408 (and the request recorded so).
    pub body_timeout: std::time::Duration,
    /// Relay accepted requests to the real API (needs a database).
    pub upstream: Option<relay::Upstream>,
    /// The tracking plan's event names, for the summary's `plannedNotSeen`.
    pub planned_events: Option<Vec<String>>,
}

impl Config {
    /// The defaults, linting with `options`.
    #[must_use]
    pub fn new(options: LintOptions) -> Self {
        Self {
            options,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_events: DEFAULT_MAX_EVENTS,
            max_capture_bytes: DEFAULT_MAX_CAPTURE_BYTES,
            keep_keys: false,
            rate_limit: None,
            api_keys: None,
            admin_token: None,
            live_now: false,
            header_timeout: std::time::Duration::from_secs(10),
            body_timeout: std::time::Duration::from_secs(30),
            upstream: None,
            planned_events: None,
        }
    }

    /// Sets the emulated rate limit, in events per second.
    #[must_use]
    pub const fn with_rate_limit(mut self, events_per_second: u64) -> Self {
        self.rate_limit = Some(events_per_second);
        self
    }
}

/// The server's state: its settings and its capture.
///
/// ```
/// let app = indicative_server::App::new(indicative_server::Config::new(indicative_contract::LintOptions::new(0)));
/// assert_eq!(app.capture().summary().last_seq, 0);
/// ```
#[derive(Debug)]
pub struct App {
    config: Config,
    capture: Capture,
    store: Option<store::Store>,
    /// Wakes the relay when a request joins its outbox.
    relay: Option<Arc<tokio::sync::Notify>>,
    db: Option<std::path::PathBuf>,
    rate: Mutex<ingest::RateWindow>,
}

impl App {
    /// A server with `config` and an empty capture.
    #[must_use]
    pub fn new(config: Config) -> Arc<Self> {
        let capture = Capture::new(config.max_events).with_max_bytes(config.max_capture_bytes);
        Arc::new(Self { config, capture, store: None, relay: None, db: None, rate: ingest::rate_window() })
    }

    /// A server whose capture is also written to the SQLite database at
    /// `path` (created if absent) before each answer; the newest requests
    /// in it, within `max_events`, are read back to start with.
    ///
    /// # Errors
    ///
    /// The database cannot be opened, or is not a capture database.
    ///
    /// ```
    /// use indicative_server::{App, Config};
    /// let dir = std::env::temp_dir().join(format!("indicative-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir).unwrap();
    /// let app = App::with_database(Config::new(indicative_contract::LintOptions::new(0)), &dir.join("capture.db")).unwrap();
    /// assert_eq!(app.capture().summary().requests, 0);
    /// # std::fs::remove_dir_all(&dir).unwrap();
    /// ```
    pub fn with_database(config: Config, path: &std::path::Path) -> Result<Arc<Self>, String> {
        let (store, capture) = store::open(path, config.max_events, config.max_capture_bytes)?;
        let relay = config.upstream.as_ref().map(|_| Arc::new(tokio::sync::Notify::new()));
        Ok(Arc::new(Self {
            config,
            capture,
            store: Some(store),
            relay,
            db: Some(path.to_owned()),
            rate: ingest::rate_window(),
        }))
    }

    /// Starts relaying to [`Config::upstream`] what the database's outbox
    /// holds (what is left from before a restart first), on the current
    /// tokio runtime. Does nothing without an upstream.
    ///
    /// # Errors
    ///
    /// An upstream without a database (the outbox must be durable), or a
    /// database the relay cannot open.
    pub fn start_relay(self: &Arc<Self>) -> Result<(), String> {
        let Some(upstream) = &self.config.upstream else { return Ok(()) };
        let (Some(path), Some(notify)) = (&self.db, &self.relay) else {
            return Err("--upstream needs --db: the relay's outbox must survive a restart".into());
        };
        relay::spawn(path, upstream.clone(), Arc::clone(notify), self.config.api_keys.clone(), self.config.keep_keys)
    }

    /// Records a request in the capture and, with a database, commits it
    /// there; returns the record once it is stored.
    pub(crate) async fn record(
        &self,
        make: impl FnOnce(u64) -> capture::Record,
        relayable: Result<Option<relay::Relayable>, String>,
    ) -> Result<Arc<capture::Record>, (Arc<capture::Record>, String)> {
        let relay = self.relay.is_some();
        let (record, queued) = self.capture.record_then(make, |record| {
            let outbox = relay.then(|| match relayable {
                Ok(restore) if record.status == 200 => {
                    let (key_hash, spots) = restore.map_or((None, Vec::new()), |r| (Some(r.key_hash), r.spots));
                    let request = Some(relay::payload(record, &spots));
                    store::Outbox { state: "pending", note: None, request, key_hash }
                }
                Ok(_) if record.predicted != 200 => {
                    store::Outbox::quarantined(format!("predicted {}: the API would reject it", record.predicted))
                }
                // Answered 429 by the emulated rate limit: the client sends it again.
                Ok(_) => store::Outbox::quarantined(format!("answered {}", record.status)),
                Err(why) => store::Outbox::quarantined(why),
            });
            let pending = outbox.as_ref().is_some_and(|o| o.state == "pending");
            (self.store.as_ref().map(|store| store.enqueue(Arc::clone(record), outbox)), pending)
        });
        let (committed, pending) = queued;
        if let Some(committed) = committed
            && let Err(e) = committed.wait().await
        {
            // Not stored, and its client is told so: the capture does not show it.
            self.capture.forget(record.seq);
            return Err((record, e));
        }
        self.capture.publish();
        if pending && let Some(relay) = &self.relay {
            relay.notify_one();
        }
        Ok(record)
    }

    /// The capture.
    #[must_use]
    pub const fn capture(&self) -> &Capture {
        &self.capture
    }

    /// The settings.
    #[must_use]
    pub const fn config(&self) -> &Config {
        &self.config
    }
}

async fn dispatch(State(app): State<Arc<App>>, request: Request<Body>) -> Response {
    let path = request.uri().path();
    if path == "/_contract" || path.starts_with("/_contract/") {
        admin::handle(app, request).await
    } else {
        ingest::handle(app, request).await
    }
}

/// Makes ring the process's TLS provider (once; later calls do nothing), as
/// reqwest's clients need one: the relay and [`client`] call it before
/// building theirs; call it before building a reqwest client of your own in
/// the same process.
///
/// ```
/// indicative_server::install_tls();
/// let _client = reqwest::Client::new();
/// ```
pub fn install_tls() {
    // An error means a provider is installed already: fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The router: the API's paths (every path that is not the admin API's is
/// linted, so an unknown one is answered 404 as the lint predicts) and the
/// admin API under `/_contract/`.
///
/// ```
/// let app = indicative_server::App::new(indicative_server::Config::new(indicative_contract::LintOptions::new(0)));
/// let _router: axum::Router = indicative_server::router(app);
/// ```
pub fn router(app: Arc<App>) -> Router {
    Router::new().fallback(dispatch).with_state(app)
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the
/// requests in flight finish (for at most 10 seconds).
///
/// Each connection speaks HTTP/1.1 with keep-alive; a client that takes
/// longer than [`Config::header_timeout`] to send a request's headers is
/// disconnected, and one that takes longer than [`Config::body_timeout`] to
/// send its body is answered 408, so slow clients never hold the server.
///
/// # Errors
///
/// Never for a connection's failure (it is dropped, the others go on);
/// the signature leaves room for a listener that fails for good.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Arc<App>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;

    let header_timeout = app.config.header_timeout;
    let router = router(app);
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.timer(TokioTimer::new()).header_read_timeout(header_timeout).keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let stream = match accepted {
                    Ok((stream, _)) => stream,
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a moment and go on.
                    Err(_) => {
                        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                        continue;
                    }
                };
                let _ = stream.set_nodelay(true);
                let connection = builder.serve_connection(TokioIo::new(stream), TowerToHyperService::new(router.clone()));
                let connection = graceful.watch(connection);
                tokio::spawn(async move {
                    // A client that breaks off only ends its own connection.
                    let _ = connection.await;
                });
            }
            () = &mut shutdown => break,
        }
    }
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), graceful.shutdown()).await;
    Ok(())
}

//! Relay mode (`--upstream URL`): accepted requests go on to the real API,
//! from the database's outbox, paced, with retries.
//!
//! - **Durable**: a request joins the outbox, with what to send (keys
//!   masked), in the transaction that records it, before it is answered; a
//!   reset of the capture leaves the outbox alone. The relay marks a request
//!   sent once the upstream answered. A restart resumes what was pending:
//!   every accepted request reaches the upstream at least once. A fault can
//!   send one twice (a timeout or a 5xx after the upstream acted on it, a
//!   crash between its answer and the mark); without one, each goes once.
//! - **Paced**: over any second, the upstream receives at most `rate` events
//!   (250 by default, the API's limit), retries included; a request larger
//!   than that goes alone.
//! - **Retried** on 5xx, 429, timeouts and broken connections, with
//!   exponential backoff (0.5 s doubling, at most 60 s). A 429 pauses the
//!   whole relay for its `Retry-After` (seconds or an HTTP date) or the
//!   backoff. Any other answer ends it.
//! - **Quarantined**: a request the server predicts the API rejects, one
//!   answered 413 or 429 here, or one whose key is not in `--api-key`, is
//!   never forwarded (the outbox says why).
//! - **Drift**: when the upstream's status differs from the predicted one,
//!   the pair is recorded (`/_contract/drift`): the production check of the
//!   predictions.
//!
//! Keys are masked at rest; the relay writes back each key a request
//! carried from `--api-key`: the outbox holds, for each, its place and its
//! hash ([`Spot`]); a request with a key that is not listed as written is
//! quarantined. Not needed when the capture keeps keys (`--keep-keys`).

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::Notify;
use tokio::time::Instant;

use crate::capture::Record;
use crate::mask;

/// Where and how fast to relay.
///
/// ```
/// let upstream = indicative_server::relay::Upstream::new("https://api.indicative.com");
/// assert_eq!(upstream.rate, 250.0);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Upstream {
    /// The API's base URL (`https://api.indicative.com`).
    pub url: String,
    /// Events per second, at most.
    pub rate: f64,
    /// How long one attempt may take.
    pub timeout: Duration,
}

impl Upstream {
    /// Relays to `url` at the API's rate, 250 events per second, with a 10 s timeout.
    #[must_use]
    pub fn new(url: &str) -> Self {
        Self { url: url.trim_end_matches('/').to_owned(), rate: 250.0, timeout: Duration::from_secs(10) }
    }
}

/// The headers the relay sends on (those the API reads).
#[must_use]
pub fn forwarded(name: &str) -> bool {
    matches!(name, "content-type" | "indicative-client" | "user-agent")
}

/// Where in what the relay sends a masked key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// The request target (path and query).
    Target,
    /// The body.
    Body,
    /// The value of the forwarded header of this index (among those
    /// [`forwarded`] keeps, in order).
    Header(usize),
}

/// A key masked in what the relay sends: its place, its byte range there
/// and its [`key_hash`], so that the relay writes back, at each place, the
/// one of `--api-key` that stood there (a request may carry several keys,
/// and two keys may mask alike).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spot {
    /// Where.
    pub place: Place,
    /// The key's bytes there.
    pub range: std::ops::Range<usize>,
    /// Which key.
    pub hash: String,
}

/// What the relay needs to write back a request's keys: the hash of the
/// key the request is sent with (which `--api-key` must list at relay
/// time) and where each masked key stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relayable {
    /// [`key_hash`] of the request's key.
    pub key_hash: String,
    /// Every masked key.
    pub spots: Vec<Spot>,
}

/// What the relay will send for a request, as JSON (keys masked, as the
/// capture holds them): its method, target, the headers the API reads, its
/// body (base64 when it is not UTF-8), and where each masked key stands.
#[must_use]
pub fn payload(record: &Record, spots: &[Spot]) -> String {
    use base64::Engine as _;
    let headers: Vec<(&str, &str)> =
        record.headers.iter().filter(|h| forwarded(&h.name)).map(|h| (h.name.as_str(), h.value.as_str())).collect();
    let keys: Vec<serde_json::Value> = spots
        .iter()
        .map(|spot| {
            let mut key = serde_json::json!({"at": spot.range.start, "len": spot.range.len(), "hash": spot.hash});
            match spot.place {
                Place::Target => key["in"] = "target".into(),
                Place::Body => key["in"] = "body".into(),
                Place::Header(index) => {
                    key["in"] = "header".into();
                    key["header"] = index.into();
                }
            }
            key
        })
        .collect();
    let mut payload =
        serde_json::json!({"method": record.method, "target": record.target, "headers": headers, "keys": keys});
    match (&record.body, &record.body_bytes) {
        (Some(text), _) => payload["body"] = text.as_str().into(),
        (None, Some(bytes)) => payload["bodyBase64"] = base64::engine::general_purpose::STANDARD.encode(bytes).into(),
        (None, None) => {}
    }
    payload.to_string()
}

/// Which key a request carried, as the outbox stores it: a 64-bit FNV-1a
/// hash, from which the key cannot be read back, so that the relay restores
/// the right one of `--api-key` (two keys may mask alike).
///
/// ```
/// use indicative_server::relay::key_hash;
/// assert_ne!(key_hash("abcd1111"), key_hash("abcd5678"));
/// assert_eq!(key_hash("abcd1111").len(), 16);
/// ```
#[must_use]
pub fn key_hash(key: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A `Retry-After` value: seconds, or an HTTP date (RFC 9110).
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = jiff::fmt::strtime::parse("%a, %d %b %Y %H:%M:%S GMT", value).ok()?.to_datetime().ok()?;
    let at = at.to_zoned(jiff::tz::TimeZone::UTC).ok()?.timestamp();
    let wait = at.duration_since(jiff::Timestamp::now());
    Some(Duration::try_from(wait).unwrap_or(Duration::ZERO))
}

/// The longest backoff between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(60);

fn backoff(attempts: u32) -> Duration {
    Duration::from_millis(500).saturating_mul(1 << attempts.min(10)).min(MAX_BACKOFF)
}

fn now_millis() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// One due row of the outbox.
struct Due {
    seq: u64,
    events: u64,
    attempts: u32,
    request: Option<String>,
    key_hash: Option<String>,
}

/// What became of one attempt.
enum Outcome {
    /// The upstream answered for good: this status.
    Done(u16),
    /// It cannot be sent (no payload, or its key is not known to this run): why.
    Gone(String),
    /// Try again after at least this long: why; whether it was a 429.
    Retry(Option<Duration>, String, bool),
}

pub(crate) fn spawn(
    path: &Path,
    upstream: Upstream,
    notify: Arc<Notify>,
    keys: Option<HashSet<String>>,
    keep_keys: bool,
) -> Result<(), String> {
    let connection = Connection::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    connection.busy_timeout(Duration::from_secs(10)).map_err(|e| format!("{}: {e}", path.display()))?;
    crate::install_tls();
    let client = reqwest::Client::builder()
        .timeout(upstream.timeout)
        .connect_timeout(upstream.timeout)
        .build()
        .map_err(|e| format!("the relay's HTTP client: {e}"))?;
    let keys: Vec<String> = if keep_keys { Vec::new() } else { keys.into_iter().flatten().collect() };
    tokio::spawn(async move {
        let connection = std::sync::Mutex::new(connection);
        let mut relay = Relay {
            connection,
            client,
            upstream,
            keys,
            window: std::collections::VecDeque::new(),
            paused_until: Instant::now(),
        };
        relay.run(&notify).await;
    });
    Ok(())
}

struct Relay {
    /// Its own connection (WAL lets it read while the writer writes); in a
    /// mutex, never held across an await, so that the task is `Send`.
    connection: std::sync::Mutex<Connection>,
    client: reqwest::Client,
    upstream: Upstream,
    keys: Vec<String>,
    /// What was sent in the last second: (when, events).
    window: std::collections::VecDeque<(Instant, u64)>,
    /// Until when the upstream asked for quiet (a 429): no request goes.
    paused_until: Instant,
}

impl Relay {
    async fn run(&mut self, notify: &Notify) {
        loop {
            let due = match self.due() {
                Ok(due) => due,
                Err(e) => {
                    eprintln!("indicative serve: the relay cannot read its outbox: {e}");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                    continue;
                }
            };
            if due.is_empty() {
                // Sleep until the next retry is due, or a new request arrives.
                let next = self.next_retry().ok().flatten();
                let wait = next.map_or(Duration::from_secs(3600), |at| {
                    Duration::from_millis(u64::try_from(at - now_millis()).unwrap_or(0))
                });
                let _ = tokio::time::timeout(wait, notify.notified()).await;
                continue;
            }
            for row in due {
                self.pace(row.events).await;
                let outcome = self.attempt(&row).await;
                if let Outcome::Retry(after, _, true) = &outcome {
                    // The upstream's rate limit: every request waits, not only this one.
                    self.paused_until = Instant::now() + after.unwrap_or_else(|| backoff(row.attempts));
                }
                if let Err(e) = self.settle(&row, outcome) {
                    eprintln!("indicative serve: the relay cannot update its outbox: {e}");
                }
            }
        }
    }

    /// Waits until `events` more fit in the last second's budget (a request
    /// larger than the whole budget goes alone), and counts them: over any
    /// second, the upstream receives at most the rate, retries included.
    async fn pace(&mut self, events: u64) {
        tokio::time::sleep_until(self.paused_until).await;
        let second = Duration::from_secs(1);
        loop {
            let now = Instant::now();
            while self.window.front().is_some_and(|(at, _)| now.duration_since(*at) >= second) {
                self.window.pop_front();
            }
            let used: u64 = self.window.iter().map(|(_, n)| n).sum();
            let budget = self.upstream.rate.floor().max(1.0) as u64;
            if self.window.is_empty() || used + events.max(1) <= budget {
                break;
            }
            let oldest = self.window.front().map_or(now, |(at, _)| *at);
            tokio::time::sleep_until(oldest + second).await;
        }
        self.window.push_back((Instant::now(), events.max(1)));
    }

    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.connection.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn due(&self) -> rusqlite::Result<Vec<Due>> {
        let connection = self.db();
        let mut statement = connection.prepare_cached(
            "SELECT seq, events, attempts, request, key_hash FROM outbox
             WHERE state = 'pending' AND next_attempt <= ?1 ORDER BY seq LIMIT 64",
        )?;
        let rows = statement.query_map(params![now_millis()], |row| {
            Ok(Due {
                seq: row.get(0)?,
                events: row.get(1)?,
                attempts: row.get(2)?,
                request: row.get(3)?,
                key_hash: row.get(4)?,
            })
        })?;
        rows.collect()
    }

    fn next_retry(&self) -> rusqlite::Result<Option<i64>> {
        self.db()
            .query_row("SELECT min(next_attempt) FROM outbox WHERE state = 'pending'", [], |row| row.get(0))
            .optional()
            .map(Option::flatten)
    }

    /// Writes back each masked key of `payload` (the one of `--api-key`
    /// whose hash its spot holds) where the capture masked it, in `place`'s
    /// bytes; the reason when one cannot be.
    fn restore(&self, payload: &serde_json::Value, place: Place, bytes: &mut [u8]) -> Result<(), String> {
        for spot in payload["keys"].as_array().into_iter().flatten() {
            let here = match (spot["in"].as_str(), spot["header"].as_u64()) {
                (Some("target"), _) => place == Place::Target,
                (Some("body"), _) => place == Place::Body,
                (Some("header"), Some(index)) => usize::try_from(index).is_ok_and(|i| place == Place::Header(i)),
                _ => return Err("the outbox holds a key's place it does not know".into()),
            };
            if !here {
                continue;
            }
            let (Some(at), Some(len), Some(hash)) = (spot["at"].as_u64(), spot["len"].as_u64(), spot["hash"].as_str())
            else {
                return Err("the outbox holds a key's place it does not know".into());
            };
            let key = self.keys.iter().find(|key| key_hash(key) == hash && key.len() as u64 == len);
            let Some(key) = key else {
                return Err("a key it carried is not among this run's --api-key".into());
            };
            let at = usize::try_from(at).unwrap_or(usize::MAX);
            let Some(slot) = bytes.get_mut(at..at.saturating_add(key.len())) else {
                return Err("the outbox holds a key's place outside its request".into());
            };
            slot.copy_from_slice(key.as_bytes());
        }
        Ok(())
    }

    /// Restores the request's key (the one of `--api-key` whose hash the
    /// outbox holds) where the capture masked it: for rows written before
    /// the outbox held each key's place.
    fn unmask(&self, text: &str, hash: Option<&str>) -> String {
        let Some(key) = hash.and_then(|hash| self.keys.iter().find(|key| key_hash(key) == hash)) else {
            return text.to_owned();
        };
        let masked = mask::text(key, &mask::Keys::new(vec![key.clone()]));
        if masked == *key { text.to_owned() } else { text.replace(&masked, key) }
    }

    /// A text of the payload with its keys written back.
    fn restored(
        &self,
        payload: &serde_json::Value,
        place: Place,
        text: &str,
        hash: Option<&str>,
    ) -> Result<String, String> {
        if payload.get("keys").is_none() {
            return Ok(self.unmask(text, hash));
        }
        let mut bytes = text.as_bytes().to_vec();
        self.restore(payload, place, &mut bytes)?;
        String::from_utf8(bytes).map_err(|_| "a key written back leaves its text not UTF-8".to_owned())
    }

    async fn attempt(&self, row: &Due) -> Outcome {
        let Some(payload) =
            row.request.as_deref().and_then(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        else {
            return Outcome::Gone("the outbox holds no request to send".into());
        };
        if row.key_hash.is_some()
            && !self.keys.iter().any(|key| Some(key_hash(key).as_str()) == row.key_hash.as_deref())
        {
            return Outcome::Gone("its key is not among this run's --api-key".into());
        }
        let hash = row.key_hash.as_deref();
        let text = |name: &str| payload[name].as_str().unwrap_or_default();
        // Nothing is sent with a key left masked.
        let target = match self.restored(&payload, Place::Target, text("target"), hash) {
            Ok(target) => target,
            Err(why) => return Outcome::Gone(why),
        };
        let url = format!("{}{target}", self.upstream.url);
        let method = reqwest::Method::from_bytes(text("method").as_bytes()).unwrap_or(reqwest::Method::POST);
        let is_get = method == reqwest::Method::GET;
        let mut request = self.client.request(method, url);
        for (index, header) in payload["headers"].as_array().into_iter().flatten().enumerate() {
            if let (Some(name), Some(value)) = (header[0].as_str(), header[1].as_str()) {
                match self.restored(&payload, Place::Header(index), value, hash) {
                    Ok(value) => request = request.header(name, value),
                    Err(why) => return Outcome::Gone(why),
                }
            }
        }
        let body = match (payload["body"].as_str(), payload["bodyBase64"].as_str()) {
            (Some(body), _) => match self.restored(&payload, Place::Body, body, hash) {
                Ok(body) => body.into_bytes(),
                Err(why) => return Outcome::Gone(why),
            },
            (None, Some(encoded)) => {
                use base64::Engine as _;
                let mut bytes = base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default();
                if let Err(why) = self.restore(&payload, Place::Body, &mut bytes) {
                    return Outcome::Gone(why);
                }
                bytes
            }
            (None, None) => Vec::new(),
        };
        if !is_get {
            request = request.body(body);
        }
        match request.send().await {
            Ok(response) => {
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(reqwest::header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(retry_after);
                // Read the answer to its end, so that the connection is reused.
                let _ = response.bytes().await;
                if status.is_server_error() || status.as_u16() == 429 {
                    Outcome::Retry(
                        retry_after,
                        format!("the upstream answered {}", status.as_u16()),
                        status.as_u16() == 429,
                    )
                } else {
                    Outcome::Done(status.as_u16())
                }
            }
            // The error's URL would carry a key in a path or a query: it is
            // left out of what is logged and stored.
            Err(e) => Outcome::Retry(
                None,
                format!("the upstream did not answer: {}", crate::client::chain(&e.without_url())),
                false,
            ),
        }
    }

    fn settle(&self, row: &Due, outcome: Outcome) -> rusqlite::Result<()> {
        let connection = self.db();
        match outcome {
            Outcome::Gone(why) => {
                connection.execute(
                    "UPDATE outbox SET state = 'quarantined', note = ?2 WHERE seq = ?1",
                    params![row.seq, why],
                )?;
            }
            Outcome::Done(status) => {
                connection.execute(
                    "UPDATE outbox SET state = 'sent', attempts = attempts + 1, upstream_status = ?2, note = NULL WHERE seq = ?1",
                    params![row.seq, status],
                )?;
                let predicted: Option<u16> = connection
                    .query_row("SELECT predicted FROM requests WHERE seq = ?1", params![row.seq], |r| r.get(0))
                    .optional()?;
                if let Some(predicted) = predicted
                    && predicted != status
                {
                    connection.execute(
                        "INSERT OR REPLACE INTO drift (seq, time, predicted, upstream) VALUES (?1, ?2, ?3, ?4)",
                        params![row.seq, jiff::Timestamp::now().to_string(), predicted, status],
                    )?;
                }
            }
            Outcome::Retry(after, why, _) => {
                // The backoff, or longer if the upstream said so (Retry-After).
                let wait = backoff(row.attempts).max(after.unwrap_or_default());
                let next = now_millis() + i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
                connection.execute(
                    "UPDATE outbox SET attempts = attempts + 1, next_attempt = ?2, note = ?3 WHERE seq = ?1",
                    params![row.seq, next, why],
                )?;
            }
        }
        Ok(())
    }
}

/// The relay's state, read from the database: outbox rows by state, and
/// the drift between predicted and upstream statuses.
///
/// # Errors
///
/// The database cannot be read.
pub fn report(path: &Path) -> Result<serde_json::Value, String> {
    let connection = Connection::open(path).map_err(|e| e.to_string())?;
    let mut states = serde_json::Map::new();
    let mut statement =
        connection.prepare("SELECT state, count(*) FROM outbox GROUP BY state").map_err(|e| e.to_string())?;
    let rows = statement
        .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, u64>(1)?)))
        .map_err(|e| e.to_string())?;
    for row in rows {
        let (state, count) = row.map_err(|e| e.to_string())?;
        states.insert(state, count.into());
    }
    let mut statement = connection
        .prepare("SELECT seq, time, predicted, upstream FROM drift ORDER BY seq")
        .map_err(|e| e.to_string())?;
    let drift: Vec<serde_json::Value> = statement
        .query_map([], |row| {
            Ok(serde_json::json!({
                "seq": row.get::<_, u64>(0)?,
                "time": row.get::<_, String>(1)?,
                "predicted": row.get::<_, u16>(2)?,
                "upstream": row.get::<_, u16>(3)?,
            }))
        })
        .map_err(|e| e.to_string())?
        .collect::<Result<_, _>>()
        .map_err(|e| e.to_string())?;
    Ok(serde_json::json!({"outbox": states, "drift": drift}))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_seconds_or_a_date() {
        assert_eq!(retry_after("3"), Some(Duration::from_secs(3)));
        let later = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(120);
        let date = later.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let wait = retry_after(&date).unwrap();
        assert!(wait > Duration::from_secs(100) && wait <= Duration::from_secs(120), "{wait:?}");
        assert_eq!(retry_after("soon"), None);
    }

    #[test]
    fn backoff_doubles_up_to_a_minute() {
        assert_eq!(backoff(0), Duration::from_millis(500));
        assert_eq!(backoff(3), Duration::from_secs(4));
        assert_eq!(backoff(30), MAX_BACKOFF);
    }
}

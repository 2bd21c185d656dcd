//! The durable capture (`--db`): every record written to SQLite before its
//! request is answered.
//!
//! One writer thread owns the connection. Handlers queue their records and
//! wait; the writer takes every record queued, writes them in one
//! transaction and commits, then releases their answers: a commit costs one
//! WAL append whatever the number of requests in it, so durability does not
//! cost throughput under load (group commit). The journal is SQLite's WAL
//! with `synchronous=NORMAL`: a commit survives the process being killed
//! (`kill -9`); only a power loss may undo the last commits. The database
//! opens cleanly after a crash (SQLite replays or discards the WAL).
//!
//! Checkpoints (copying the WAL back into the database file, with its
//! `fsync`s) run on a thread of their own with its own connection, never
//! on the writer's: a slow disk then delays the copy, not the answers. The
//! writer wakes the checkpointer after its commits, at most every
//! 200 ms; a passive checkpoint never blocks the writer, and
//! when the WAL has grown past 16,384 pages (a load that never
//! pauses long enough for a passive checkpoint to finish), a restarting one
//! makes the writer wait (at most 100 ms, for readers to move on) so that
//! the WAL starts over; if readers keep it from finishing, the next try
//! waits 10 s.
//!
//! Tables, for whoever queries the file with `sqlite3`:
//! - `requests(seq, time, method, target, kind, status, predicted, verdict, record)`,
//!   `record` being the JSON the admin API answers for the request;
//! - `events(seq, idx, event_name, verdict, status, codes)`, one row per event;
//! - `meta(key, value)`: `last_seq`, so that numbers go on after a reset;
//! - with `--upstream`, `outbox(seq, events, state, attempts, next_attempt,
//!   upstream_status, note, request, key_hash)`, written in the request's
//!   own transaction (`pending` when accepted, with what to send, keys
//!   masked; `quarantined` with the reason otherwise), and
//!   `drift(seq, time, predicted, upstream)`.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc;

use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::oneshot;

use crate::capture::{Capture, Record};

/// The schema's version, in `PRAGMA user_version`.
const VERSION: i64 = 1;

/// The most records one transaction takes.
const MAX_BATCH: usize = 4096;

/// The shortest time between two checkpoints.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(200);

/// The WAL's length (in pages, 4 KiB by default) past which a checkpoint
/// blocks the writer until the WAL can start over.
const WAL_BOUND_FRAMES: i64 = 16_384;

/// How long a restarting checkpoint waits for readers (holding the writer).
const RESTART_WAIT: std::time::Duration = std::time::Duration::from_millis(100);

/// After a restarting checkpoint that readers kept from finishing, how long
/// until the next is tried.
const RESTART_BACKOFF: std::time::Duration = std::time::Duration::from_secs(10);

enum Job {
    Write(Arc<Record>, Option<Outbox>, oneshot::Sender<Result<(), String>>),
    Reset(oneshot::Sender<Result<(), String>>),
}

/// A request's row in the relay's outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outbox {
    /// `pending` (to be relayed) or `quarantined` (never relayed).
    pub state: &'static str,
    /// Why it was quarantined.
    pub note: Option<String>,
    /// What to send (keys masked), so that a reset of the capture leaves
    /// the relay's work whole: see [`relay::payload`](crate::relay::payload).
    pub request: Option<String>,
    /// Which of `--api-key` the request carried (a hash, not the key).
    pub key_hash: Option<String>,
}

impl Outbox {
    /// A row never to be relayed, and why.
    #[must_use]
    pub fn quarantined(why: String) -> Self {
        Self { state: "quarantined", note: Some(why), request: None, key_hash: None }
    }
}

/// The database's writer.
#[derive(Debug, Clone)]
pub struct Store {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Write(record, ..) => write!(f, "Write({})", record.seq),
            Self::Reset(_) => f.write_str("Reset"),
        }
    }
}

fn error(path: &Path, e: impl std::fmt::Display) -> String {
    format!("{}: {e}", path.display())
}

fn schema(connection: &Connection) -> rusqlite::Result<()> {
    connection.execute_batch(
        "CREATE TABLE IF NOT EXISTS requests (
             seq INTEGER PRIMARY KEY,
             time TEXT NOT NULL,
             method TEXT NOT NULL,
             target TEXT NOT NULL,
             kind TEXT,
             status INTEGER NOT NULL,
             predicted INTEGER NOT NULL,
             verdict TEXT NOT NULL,
             record TEXT NOT NULL
         );
         CREATE TABLE IF NOT EXISTS events (
             seq INTEGER NOT NULL,
             idx INTEGER NOT NULL,
             event_name TEXT,
             verdict TEXT NOT NULL,
             status INTEGER NOT NULL,
             codes TEXT NOT NULL,
             PRIMARY KEY (seq, idx)
         ) WITHOUT ROWID;
         CREATE INDEX IF NOT EXISTS events_by_name ON events (event_name);
         CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
         CREATE TABLE IF NOT EXISTS outbox (
             seq INTEGER PRIMARY KEY,
             events INTEGER NOT NULL,
             state TEXT NOT NULL,
             attempts INTEGER NOT NULL DEFAULT 0,
             next_attempt INTEGER NOT NULL DEFAULT 0,
             upstream_status INTEGER,
             note TEXT,
             request TEXT,
             key_hash TEXT
         );
         CREATE INDEX IF NOT EXISTS outbox_due ON outbox (state, next_attempt);
         CREATE TABLE IF NOT EXISTS drift (
             seq INTEGER PRIMARY KEY,
             time TEXT NOT NULL,
             predicted INTEGER NOT NULL,
             upstream INTEGER NOT NULL
         );",
    )
}

/// Opens (or creates) the database at `path` and reads back the newest
/// records, within `max_events` and `max_bytes`, into a capture.
///
/// # Errors
///
/// The file cannot be opened or is not this server's database.
pub fn open(path: &Path, max_events: usize, max_bytes: usize) -> Result<(Store, Capture), String> {
    let mut connection = Connection::open(path).map_err(|e| error(path, e))?;
    let version: i64 =
        connection.pragma_query_value(None, "user_version", |row| row.get(0)).map_err(|e| error(path, e))?;
    let has_tables: bool = connection
        .query_row("SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table'", [], |row| row.get(0))
        .map_err(|e| error(path, e))?;
    if has_tables && version != VERSION {
        return Err(error(
            path,
            format!("not a capture database of this version (user_version {version}, expected {VERSION})"),
        ));
    }
    connection.pragma_update(None, "journal_mode", "WAL").map_err(|e| error(path, e))?;
    connection.pragma_update(None, "synchronous", "NORMAL").map_err(|e| error(path, e))?;
    // The relay updates its outbox from another connection.
    connection.busy_timeout(std::time::Duration::from_secs(10)).map_err(|e| error(path, e))?;
    schema(&connection).map_err(|e| error(path, e))?;
    connection.pragma_update(None, "user_version", VERSION).map_err(|e| error(path, e))?;

    // The checkpointer's connection checkpoints; the writer's never does.
    connection.pragma_update(None, "wal_autocheckpoint", 0).map_err(|e| error(path, e))?;
    let checkpoints = Connection::open(path).map_err(|e| error(path, e))?;

    let capture = load(&connection, max_events, max_bytes).map_err(|e| error(path, e))?;
    let (jobs, queue) = mpsc::channel();
    let (wake, woken) = mpsc::sync_channel(1);
    let shown = path.display().to_string();
    let checkpointer_shown = shown.clone();
    std::thread::Builder::new()
        .name("capture-checkpoints".into())
        .spawn(move || checkpointer(&checkpoints, &woken, WAL_BOUND_FRAMES, &checkpointer_shown))
        .map_err(|e| error(path, e))?;
    std::thread::Builder::new()
        .name("capture-writer".into())
        .spawn(move || writer(&mut connection, &queue, &wake, &shown))
        .map_err(|e| error(path, e))?;
    Ok((Store { jobs }, capture))
}

/// Checkpoints the WAL when the writer says it committed, at most every
/// [`CHECKPOINT_EVERY`], until the writer stops. Passive, unless the WAL
/// holds `bound` pages or more: then the writer waits while the WAL is
/// copied and starts over.
fn checkpointer(connection: &Connection, woken: &mpsc::Receiver<()>, bound: i64, path: &str) {
    // A restarting checkpoint holds the writer while it waits for readers
    // (a `sqlite3` session on the file): it waits briefly, and after a try
    // that could not finish, the next waits a while.
    let _ = connection.busy_timeout(RESTART_WAIT);
    let mut restart_after = std::time::Instant::now();
    let mut failures = Failures::default();
    while woken.recv().is_ok() {
        let checkpoint = |mode: &str| {
            connection.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?, row.get::<_, i64>(2)?))
            })
        };
        let result = checkpoint("PASSIVE").and_then(|(_, pages, copied)| {
            if pages < bound || copied >= pages || std::time::Instant::now() < restart_after {
                return Ok(());
            }
            let restarted = checkpoint("RESTART");
            if !matches!(restarted, Ok((0, _, _))) {
                restart_after = std::time::Instant::now() + RESTART_BACKOFF;
            }
            restarted.map(|_| ())
        });
        if let Some(line) = failures.after(result.map_err(|e| e.to_string()), std::time::Instant::now()) {
            eprintln!("indicative serve: {path}: {line}");
        }
        std::thread::sleep(CHECKPOINT_EVERY);
    }
}

/// How often a checkpoint that keeps failing is reported again.
const FAILURE_REPORT_EVERY: std::time::Duration = std::time::Duration::from_secs(60);

/// What the checkpointer says about its failures: the first at once, then
/// how many followed once a minute while they go on (a checkpoint is tried
/// after every write, up to five times a second), and when one succeeds
/// again.
#[derive(Debug, Default)]
struct Failures {
    /// Failures since the last line written, and when that line was.
    unreported: u64,
    since: Option<std::time::Instant>,
    failing: bool,
}

impl Failures {
    /// The line to write after a checkpoint's `result` at `now`, if any.
    fn after(&mut self, result: Result<(), String>, now: std::time::Instant) -> Option<String> {
        match result {
            Ok(()) if self.failing => {
                let more = std::mem::take(&mut self.unreported);
                self.failing = false;
                self.since = None;
                Some(if more == 0 {
                    "the capture database's checkpoints succeed again".to_owned()
                } else {
                    format!("the capture database's checkpoints succeed again (after {more} more failures)")
                })
            }
            Ok(()) => None,
            Err(e) if !self.failing => {
                self.failing = true;
                self.since = Some(now);
                Some(format!(
                    "the capture database's checkpoint failed (it is tried again after the next write; repeats are counted once a minute): {e}"
                ))
            }
            Err(e) => {
                self.unreported += 1;
                if self.since.is_some_and(|since| now.duration_since(since) < FAILURE_REPORT_EVERY) {
                    return None;
                }
                self.since = Some(now);
                let count = std::mem::take(&mut self.unreported);
                Some(format!(
                    "the capture database's checkpoint failed {count} more times since it was last reported: {e}"
                ))
            }
        }
    }
}

fn load(connection: &Connection, max_events: usize, max_bytes: usize) -> Result<Capture, String> {
    let last_seq: u64 = connection
        .query_row("SELECT value FROM meta WHERE key = 'last_seq'", [], |row| row.get(0))
        .optional()
        .map_err(|e| e.to_string())?
        .unwrap_or(0);
    let mut statement =
        connection.prepare("SELECT seq, record FROM requests ORDER BY seq DESC").map_err(|e| e.to_string())?;
    let mut rows = statement.query([]).map_err(|e| e.to_string())?;
    let (mut records, mut events, mut bytes) = (Vec::new(), 0usize, 0usize);
    let (mut older, mut older_events) = (0u64, 0u64);
    while let Some(row) = rows.next().map_err(|e| e.to_string())? {
        let seq: u64 = row.get(0).map_err(|e| e.to_string())?;
        let text: String = row.get(1).map_err(|e| e.to_string())?;
        let record = match read_back(&text) {
            Ok(record) => record,
            // One row this binary cannot read (written by another version)
            // must not keep the server from starting: it stays in the file.
            Err(e) => {
                eprintln!(
                    "indicative serve: request {seq} in the database cannot be read back ({e}); it is left there"
                );
                older += 1;
                continue;
            }
        };
        let full = events + record.events.len() > max_events || bytes.saturating_add(record.size()) > max_bytes;
        if older > 0 || (!records.is_empty() && full) {
            older += 1;
            older_events += record.events.len() as u64;
            continue;
        }
        events += record.events.len();
        bytes += record.size();
        records.push(record);
    }
    records.reverse();
    Ok(Capture::restored(max_events, records, last_seq, older, older_events).with_max_bytes(max_bytes))
}

/// A record from its JSON. (Its codes are `&'static str`, so it is read
/// through an owned `Value` rather than borrowed from the text.)
fn read_back(text: &str) -> Result<Record, serde_json::Error> {
    use serde::Deserialize as _;
    let value: serde_json::Value = serde_json::from_str(text)?;
    Record::deserialize(value)
}

fn write_one(transaction: &rusqlite::Transaction<'_>, record: &Record) -> rusqlite::Result<()> {
    let json = serde_json::to_string(record).unwrap_or_default();
    transaction.execute(
        "INSERT OR REPLACE INTO requests (seq, time, method, target, kind, status, predicted, verdict, record)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            record.seq,
            record.time,
            record.method,
            record.target,
            record.kind,
            record.status,
            record.predicted,
            record.verdict.as_str(),
            json
        ],
    )?;
    let mut insert = transaction.prepare_cached(
        "INSERT OR REPLACE INTO events (seq, idx, event_name, verdict, status, codes) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for (idx, row) in record.events.iter().enumerate() {
        insert.execute(params![
            record.seq,
            idx,
            row.event_name,
            row.verdict.as_str(),
            row.status,
            row.codes.join(",")
        ])?;
    }
    transaction.execute(
        "INSERT INTO meta (key, value) VALUES ('last_seq', ?1)
         ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)",
        params![record.seq],
    )?;
    Ok(())
}

fn write_all(connection: &mut Connection, jobs: &[Job]) -> rusqlite::Result<()> {
    let transaction = connection.transaction()?;
    for job in jobs {
        match job {
            Job::Write(record, outbox, _) => {
                write_one(&transaction, record)?;
                if let Some(outbox) = outbox {
                    transaction.execute(
                        "INSERT OR REPLACE INTO outbox (seq, events, state, note, request, key_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                        params![record.seq, record.events.len(), outbox.state, outbox.note, outbox.request, outbox.key_hash],
                    )?;
                }
            }
            Job::Reset(_) => transaction.execute_batch("DELETE FROM events; DELETE FROM requests;")?,
        }
    }
    transaction.commit()
}

fn writer(connection: &mut Connection, queue: &mpsc::Receiver<Job>, wake: &mpsc::SyncSender<()>, path: &str) {
    while let Ok(first) = queue.recv() {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH
            && let Ok(job) = queue.try_recv()
        {
            jobs.push(job);
        }
        let result = write_all(connection, &jobs).map_err(|e| format!("{path}: {e}"));
        if let Err(e) = &result {
            eprintln!("indicative serve: the capture database refused a write: {e}");
        }
        // Full: the checkpointer is already due to run.
        let _ = wake.try_send(());
        for job in jobs {
            let (Job::Write(_, _, done) | Job::Reset(done)) = job;
            let _ = done.send(result.clone());
        }
    }
}

impl Store {
    /// Queues `record` (and its row in the relay's outbox, if any); the
    /// receiver answers once it is committed. Never blocks: call it while
    /// holding the capture's lock, so that writes and resets reach the
    /// database in the order the capture saw them.
    #[must_use]
    pub fn enqueue(&self, record: Arc<Record>, outbox: Option<Outbox>) -> Committed {
        let (done, wait) = oneshot::channel();
        let _ = self.jobs.send(Job::Write(record, outbox, done));
        Committed(wait)
    }

    /// Queues the deletion of every request (the sequence numbers go on),
    /// as [`enqueue`](Self::enqueue) does.
    #[must_use]
    pub fn enqueue_reset(&self) -> Committed {
        let (done, wait) = oneshot::channel();
        let _ = self.jobs.send(Job::Reset(done));
        Committed(wait)
    }
}

/// A queued write, to await.
#[derive(Debug)]
pub struct Committed(oneshot::Receiver<Result<(), String>>);

impl Committed {
    /// Waits for the commit.
    ///
    /// # Errors
    ///
    /// The database refused the write, or its writer stopped.
    pub async fn wait(self) -> Result<(), String> {
        self.0.await.map_err(|_| "the capture database's writer stopped".to_owned())?
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::Failures;

    /// A checkpoint failing five times a second says so once, then once a
    /// minute with a count, then once when it succeeds again.
    #[test]
    fn repeated_checkpoint_failures_are_reported_once_a_minute() {
        let start = Instant::now();
        let mut failures = Failures::default();
        let fail = || Err("disk I/O error".to_owned());
        assert_eq!(failures.after(Ok(()), start), None);
        let first = failures.after(fail(), start).unwrap_or_default();
        assert!(first.contains("checkpoint failed") && first.ends_with("disk I/O error"), "{first}");
        let lines: Vec<String> =
            (1..=600).filter_map(|tick| failures.after(fail(), start + Duration::from_millis(200 * tick))).collect();
        // 120 s of failures: a line at 60 s and at 120 s, each counting its own.
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines[0].contains("failed 300 more times"), "{}", lines[0]);
        assert!(lines[1].contains("failed 300 more times"), "{}", lines[1]);
        assert_eq!(failures.after(fail(), start + Duration::from_secs(121)), None);
        let again = failures.after(Ok(()), start + Duration::from_secs(122)).unwrap_or_default();
        assert!(again.contains("succeed again (after 1 more failures)"), "{again}");
        assert_eq!(failures.after(Ok(()), start + Duration::from_secs(123)), None);
        // A new run of failures is reported at once.
        assert!(failures.after(fail(), start + Duration::from_secs(124)).is_some());
    }
}

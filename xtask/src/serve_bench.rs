//! `cargo xtask bench serve` (and a section of `cargo xtask bench`):
//! `indicative serve` under a load generator made by others (oha, from
//! crates.io), beside Stoplight Prism (npm) mocking `schemas/openapi.json`
//! with request validation, on the same machine and load. Loopback only.
//!
//! 1. A fixed rate for a fixed time, in memory and with `--db`: no failed
//!    request, and the capture holds exactly the requests sent.
//! 2. Saturation (as fast as 64 connections go), both servers: requests
//!    per second and latency percentiles.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::codegen::root;

type Result<T> = std::result::Result<T, String>;

/// The pinned peers.
const OHA: &str = "1.10.0";
const PRISM: &str = "5.14.2";

/// The request every run sends: a valid event, as SDKs send it.
const BODY: &str = r#"{"apiKey":"Your-API-Key","eventName":"Checkout Completed","eventUniqueId":"user47","eventTime":1700000000000,"properties":{"cart_id":"c-0a1b2c3d","total":"24.90","currency":"EUR"}}"#;

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(listener.local_addr().map_err(|e| e.to_string())?.port())
}

fn start_indicative(bin: &Path, db: Option<&Path>) -> Result<Server> {
    let mut command = Command::new(bin);
    command.args(["serve", "--listen", "127.0.0.1:0", "--max-events", "100000000"]);
    if let Some(db) = db {
        command.arg("--db").arg(db);
    }
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().map_err(|e| e.to_string())?;
    let mut line = String::new();
    let stdout = child.stdout.take().ok_or("no stdout")?;
    BufReader::new(stdout).read_line(&mut line).map_err(|e| e.to_string())?;
    let base = line.trim().rsplit(' ').next().unwrap_or_default().to_owned();
    if !base.starts_with("http://127.0.0.1:") {
        return Err(format!("indicative serve did not start: {line}"));
    }
    Ok(Server { child, base })
}

fn prism_bin() -> Result<PathBuf> {
    let dir = root().join("bench/target/prism");
    let bin = dir.join("node_modules/.bin/prism");
    if !bin.exists() {
        std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
        crate::bench::run_command(Command::new("npm").current_dir(&dir).args([
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            &format!("@stoplight/prism-cli@{PRISM}"),
        ]))?;
    }
    Ok(bin)
}

fn start_prism() -> Result<Server> {
    let port = free_port()?;
    let child = Command::new(prism_bin()?)
        .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string(), "--errors"])
        .arg(root().join("schemas/openapi.json"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let server = Server { child, base: format!("http://127.0.0.1:{port}") };
    let deadline = Instant::now() + Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err("Prism did not start within 60 s".into());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(server)
}

fn oha_bin() -> Result<PathBuf> {
    let installed = Command::new("oha").arg("--version").output().ok().filter(|o| o.status.success());
    if installed.is_some_and(|o| String::from_utf8_lossy(&o.stdout).contains(OHA)) {
        return Ok(PathBuf::from("oha"));
    }
    crate::bench::run_command(Command::new("cargo").args(["install", "--locked", "--quiet", "oha", "--version", OHA]))?;
    Ok(PathBuf::from("oha"))
}

/// What one oha run measured.
struct Load {
    sent: u64,
    ok: u64,
    failed: u64,
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
}

fn oha(url: &str, seconds: u64, rate: Option<u64>, connections: u64) -> Result<Load> {
    let body = root().join("bench/target/serve-body.json");
    std::fs::write(&body, BODY).map_err(|e| e.to_string())?;
    let mut command = Command::new(oha_bin()?);
    command.args(["--no-tui", "--output-format", "json", "-z", &format!("{seconds}s"), "-c", &connections.to_string()]);
    command.args(["-m", "POST", "-H", "Content-Type: application/json", "-D"]).arg(&body);
    if let Some(rate) = rate {
        // A fixed rate, with latencies measured from when each request was
        // due (no coordinated omission).
        command.args(["-q", &rate.to_string(), "--latency-correction"]);
    }
    // Requests in flight at the deadline finish: every request sent is counted.
    command.arg("--wait-ongoing-requests-after-deadline").arg(url);
    let output = command.output().map_err(|e| format!("oha: {e}"))?;
    if !output.status.success() {
        return Err(format!("oha failed: {}", String::from_utf8_lossy(&output.stderr)));
    }
    let json: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| format!("oha's output: {e}: {}", String::from_utf8_lossy(&output.stdout)))?;
    let codes = json["statusCodeDistribution"].as_object().cloned().unwrap_or_default();
    let ok = codes.get("200").and_then(serde_json::Value::as_u64).unwrap_or(0);
    let answered: u64 = codes.values().filter_map(serde_json::Value::as_u64).sum();
    let errors: u64 =
        json["errorDistribution"].as_object().map_or(0, |e| e.values().filter_map(serde_json::Value::as_u64).sum());
    let ms = |key: &str| json["latencyPercentiles"][key].as_f64().unwrap_or(f64::NAN) * 1e3;
    Ok(Load {
        sent: answered + errors,
        ok,
        failed: answered - ok + errors,
        rps: json["summary"]["requestsPerSec"].as_f64().unwrap_or(0.0),
        p50_ms: ms("p50"),
        p99_ms: ms("p99"),
    })
}

fn captured(base: &str) -> Result<u64> {
    let port = base.rsplit(':').next().unwrap_or_default();
    let mut stream = std::net::TcpStream::connect(format!("127.0.0.1:{port}")).map_err(|e| e.to_string())?;
    use std::io::{Read, Write};
    stream
        .write_all(b"GET /_contract/summary HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        .map_err(|e| e.to_string())?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).map_err(|e| e.to_string())?;
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or_default();
    let summary: serde_json::Value = serde_json::from_str(body).map_err(|e| format!("{e}: {answer}"))?;
    summary["requests"].as_u64().ok_or_else(|| format!("no count in {summary}"))
}

/// Runs the load benchmarks; writes their section of BENCHMARKS.md.
pub fn section(report: &mut String, quick: bool) -> Result<()> {
    let root = root();
    crate::bench::run_command(Command::new("cargo").current_dir(&root).args([
        "build",
        "-q",
        "--release",
        "-p",
        "indicative-cli",
    ]))?;
    let bin = root.join("target/release/indicative");
    let (fixed_seconds, saturation_seconds, rate) = if quick { (5, 5, 1000) } else { (20, 15, 2000) };
    let _ = writeln!(report, "\n## indicative serve under load (oha {OHA}; Stoplight Prism {PRISM} beside it)\n");
    let _ = writeln!(
        report,
        "`cargo xtask bench serve` (or the whole `cargo xtask bench`). oha sends the same valid event (`POST /service/event`, {} bytes) over loopback on kept-alive connections to the release build, and waits for the requests in flight at the deadline (`-w`), so that every request sent is counted. The load generator and the server share this machine's two cores.\n",
        BODY.len()
    );
    let _ = writeln!(report, "### A fixed rate: nothing fails, the capture holds exactly what was sent\n");
    let _ = writeln!(
        report,
        "| mode | rate (requests/s) | seconds | sent | answered 200 | failed | captured | p50 (ms) | p99 (ms) |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    let dir = root.join("bench/target/serve");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let mut saturation = Vec::new();
    for (mode, db) in [("memory", None), ("SQLite (--db)", Some(dir.join("capture.db")))] {
        let server = start_indicative(&bin, db.as_deref())?;
        let url = format!("{}/service/event", server.base);
        let load = oha(&url, fixed_seconds, Some(rate), 32)?;
        let held = captured(&server.base)?;
        let _ = writeln!(
            report,
            "| {mode} | {rate} | {fixed_seconds} | {} | {} | {} | {held}{} | {:.2} | {:.2} |",
            load.sent,
            load.ok,
            load.failed,
            if held == load.sent { "" } else { " (**differs**)" },
            load.p50_ms,
            load.p99_ms
        );
        if held != load.sent || load.failed > 0 {
            return Err(format!("{mode}: {} sent, {} failed, {held} captured", load.sent, load.failed));
        }
        let load = oha(&url, saturation_seconds, None, 64)?;
        saturation.push((format!("indicative serve, {mode}"), load));
    }
    let prism = start_prism()?;
    let load = oha(&format!("{}/service/event", prism.base), saturation_seconds, None, 64)?;
    let prism_rps = load.rps;
    saturation.push(("Prism mock, request validation".into(), load));
    drop(prism);
    let _ = writeln!(report, "\n### Saturation: 64 connections for {saturation_seconds} s\n");
    let _ = writeln!(report, "| server | requests/s | × Prism | answered 200 | failed | p50 (ms) | p99 (ms) |");
    let _ = writeln!(report, "|---|---:|---:|---:|---:|---:|---:|");
    for (name, load) in &saturation {
        let _ = writeln!(
            report,
            "| {name} | {:.0} | {:.1} | {} | {} | {:.2} | {:.2} |",
            load.rps,
            load.rps / prism_rps,
            load.ok,
            load.failed,
            load.p50_ms,
            load.p99_ms
        );
    }
    let memory = saturation.first().map_or(0.0, |(_, l)| l.rps / prism_rps);
    let _ = writeln!(
        report,
        "\nTarget: at least 20x Prism's throughput at its saturation: {} ({memory:.1}x in memory).",
        if memory >= 20.0 { "met" } else { "**missed**" }
    );
    Ok(())
}

/// `cargo xtask bench serve`: only this section, replaced in BENCHMARKS.md.
pub fn bench(quick: bool) -> Result<()> {
    let mut section_text = String::new();
    section(&mut section_text, quick)?;
    crate::bench::replace_section("\n## indicative serve under load", &section_text, None)?;
    eprintln!("wrote the serve section of BENCHMARKS.md");
    Ok(())
}

//! The CLI at scale, in a test binary of its own (see `run_measured`).

use std::io::Write as _;
use std::path::Path;

/// 2023-11-15T00:00:00Z: a fixed "now" keeps the output reproducible.
const NOW: &str = "2023-11-15T00:00:00Z";

/// Runs the binary with `args` and a file: its standard output, exit
/// code and peak resident memory (KB), from `wait4` on that child. The
/// kernel counts in a child's peak the memory of the process that spawned
/// it (the peak of the old address space is kept across `execve`), which
/// is why this test has a binary of its own, and writes its input as it
/// makes it: this process stays far under the bound asserted.
fn run_measured(args: &[&str], file: &Path) -> (String, i32, u64) {
    use std::io::Read;
    use wait4::Wait4;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_indicative"))
        .args(args)
        .arg(file)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut out = String::new();
    child.stdout.take().expect("piped").read_to_string(&mut out).expect("UTF-8 output");
    let used = child.wait4().expect("wait4");
    (out, used.status.code().expect("an exit code"), used.rusage.maxrss / 1024)
}

/// A million findings (200,000 events of five number values each, an
/// info apiece) and 200 errors: the CI formats keep each rule's first
/// findings, count the rest per rule, and stay small in memory.
#[test]
fn a_million_findings_in_the_ci_formats() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("million.ndjson");
    // Written as it is made: this process stays small (see `run_measured`).
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("create"));
    for i in 0..200_000 {
        let name = if i % 1000 == 999 { String::new() } else { format!("E{i}") };
        writeln!(
            out,
            "{{\"apiKey\":\"K\",\"eventName\":\"{name}\",\"eventUniqueId\":\"u{i}\",\"properties\":{{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}}}}"
        )
        .expect("write");
    }
    out.flush().expect("write");
    let (sarif, code, peak) = run_measured(&["lint", "--now", NOW, "--format", "sarif"], &file);
    assert_eq!(code, 1);
    assert!(peak < 100 * 1024, "SARIF peak memory {peak} KB");
    let log: serde_json::Value = serde_json::from_str(&sarif).expect("SARIF is JSON");
    // Still SARIF 2.1.0 with its per-rule counts and notifications (as in
    // cli.rs: serde-sarif's model reads it and writes it back unchanged).
    let typed: serde_sarif::sarif::Sarif = serde_json::from_value(log.clone()).expect("SARIF 2.1.0");
    assert_eq!(serde_json::to_value(&typed).expect("serde-sarif writes JSON"), log);
    let run = &log["runs"][0];
    let count = |rule: &str| run["results"].as_array().map_or(0, |r| r.iter().filter(|x| x["ruleId"] == rule).count());
    assert_eq!((count("non-string-property-value"), count("empty-field")), (250, 200));
    assert_eq!(
        run["properties"]["rules"]["non-string-property-value"],
        serde_json::json!({"reported": 250, "leftOut": 999_750})
    );
    assert_eq!(run["properties"]["rules"]["empty-field"], serde_json::json!({"reported": 200, "leftOut": 0}));
    let notes = run["invocations"][0]["toolExecutionNotifications"].as_array().expect("notifications");
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0]["message"]["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("999750 more results of non-string-property-value"))
    );

    let (github, code, peak) = run_measured(&["lint", "--now", NOW, "--format", "github"], &file);
    assert_eq!(code, 1);
    assert!(peak < 100 * 1024, "github peak memory {peak} KB");
    let lines: Vec<&str> = github.lines().collect();
    assert_eq!(lines.iter().filter(|l| l.starts_with("::error")).count(), 10);
    // Nine notices of findings and one that says what was left out: a step shows ten of each kind.
    assert_eq!(lines.iter().filter(|l| l.starts_with("::notice file=")).count(), 9);
    assert!(lines.iter().any(|l| l.starts_with("::notice title=indicative::19 of 1000200 findings")), "{github}");
    assert!(lines.contains(&"indicative: empty-field: 200 found, 10 annotated"), "{github}");
    assert!(lines.contains(&"indicative: non-string-property-value: 1000000 found, 9 annotated"), "{github}");
    assert!(lines.last().is_some_and(|l| l.contains("1000000 infos")), "{github}");

    let (human, _, _) = run_measured(&["lint", "--now", NOW, "--max-per-rule", "3"], &file);
    assert_eq!(human.matches("info[non-string-property-value]").count(), 3);
    assert!(human.contains(&format!("  1000000  {:<32}3 shown", "non-string-property-value")), "{human}");
}

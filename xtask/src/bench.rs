//! `cargo xtask bench`: the lint engine side by side with its peers (criterion,
//! in the stand-alone `bench` package), the CLI on a 1 GB NDJSON file, and the
//! build cost of the derive; writes BENCHMARKS.md.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::codegen::root;

type Result<T> = std::result::Result<T, String>;

fn run(command: &mut Command) -> Result<()> {
    let status = command.status().map_err(|e| format!("{command:?}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{command:?} failed: {status}")) }
}

/// Runs a command to success (for the other benchmark modules).
pub(crate) fn run_command(command: &mut Command) -> Result<()> {
    run(command)
}

/// Writes one section of BENCHMARKS.md (a `## ` heading, `marker`, to the
/// next heading) with `text`, for the commands that run one section alone.
/// A section not there yet goes after the section headed `after`, or at the
/// end.
pub(crate) fn replace_section(marker: &str, text: &str, after: Option<&str>) -> Result<()> {
    let path = root().join("BENCHMARKS.md");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    let section_end = |start: usize, heading: &str| {
        let rest = &current[start + heading.len()..];
        rest.find("\n## ").map_or(current.len(), |e| start + heading.len() + e)
    };
    let updated = match current.find(marker) {
        Some(start) => format!("{}{text}{}", &current[..start], &current[section_end(start, marker)..]),
        None => match after.and_then(|heading| current.find(heading).map(|start| section_end(start, heading))) {
            Some(end) => format!("{}{text}{}", &current[..end], &current[end..]),
            None => format!("{current}{text}"),
        },
    };
    std::fs::write(&path, updated).map_err(|e| e.to_string())
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The median time (ns) criterion measured for one benchmark of a group.
fn estimate(group: &str, bench: &str) -> Option<f64> {
    let path = root().join("bench/target/criterion").join(group).join(bench).join("new/estimates.json");
    let value: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    value["median"]["point_estimate"].as_f64()
}

/// A time in a table cell, or a dash when the benchmark did not run.
fn show(ns: Option<f64>) -> String {
    ns.map_or("–".to_owned(), |ns| format!("{ns:.0}"))
}

/// `x / y` in a table cell, or a dash.
fn ratio(x: Option<f64>, y: Option<f64>) -> String {
    match (x, y) {
        (Some(x), Some(y)) => format!("{:.2}", x / y),
        _ => "–".to_owned(),
    }
}

pub fn bench(quick: bool) -> Result<()> {
    let root = root();
    let (warm, measure) = if quick { ("0.5", "1.5") } else { ("1", "4") };
    run(Command::new("cargo").current_dir(root.join("bench")).args([
        "bench",
        "--bench",
        "lint",
        "--",
        "--warm-up-time",
        warm,
        "--measurement-time",
        measure,
    ]))?;
    let mut report = String::new();
    engine_table(&mut report)?;
    let scale = if quick { 256 << 20 } else { 1 << 30 };
    cli_at_scale(&mut report, scale)?;
    input_forms(&mut report)?;
    plan_cost(&mut report, scale)?;
    derive_cost(&mut report)?;
    crate::plan_build_bench::section(&mut report, quick)?;
    crate::serve_bench::section(&mut report, quick)?;
    let notes = std::fs::read_to_string(root.join("bench/NOTES.md")).unwrap_or_default();
    let text = format!("{}\n{report}\n{notes}", header(quick));
    std::fs::write(root.join("BENCHMARKS.md"), text).map_err(|e| e.to_string())?;
    eprintln!("wrote BENCHMARKS.md");
    Ok(())
}

fn header(quick: bool) -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
        })
        .unwrap_or_else(|| "unknown".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let rustc = Command::new("rustc")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default();
    format!(
        "# Benchmarks\n\nWritten by `cargo xtask bench{}` (the numbers below are from the last run; rerun it to reproduce).\n\n\
         - Machine: {cpu}, {cores} cores (shared: medians and ratios are what to read)\n\
         - Toolchain: {rustc}, release profile\n\
         - Engine and peers: criterion medians over corpora generated from fixed seeds (`bench/src/lib.rs`); every implementation reads the same bytes, and their verdicts are checked equal before they are timed. Strict profile.\n",
        if quick { " --quick" } else { "" }
    )
}

fn engine_table(report: &mut String) -> Result<()> {
    let meta_path = root().join("bench/target/criterion/corpora.json");
    let meta: Vec<serde_json::Value> =
        serde_json::from_slice(&std::fs::read(&meta_path).map_err(|e| format!("{}: {e}", meta_path.display()))?)
            .map_err(|e| e.to_string())?;
    let benches =
        ["a-lint-verdict", "a-lint-report", "b-jsonschema", "c-jsonschema-macro", "d-serde-ignored-any", "e-typed"];
    let _ = writeln!(report, "\n## The engine side by side (ns per event; lower is better)\n");
    let _ = writeln!(
        report,
        "| corpus | bytes/event | (a) verdict | (a) report | (a) MB/s | (b) jsonschema | (c) jsonschema macro | (d) serde IgnoredAny | (e) typed | (b)/(a) | (c)/(a) | (a)/(d) |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    let mut verdicts = Vec::new();
    for corpus in &meta {
        let name = corpus["name"].as_str().unwrap_or_default();
        let bytes = corpus["bytes"].as_f64().unwrap_or(1.0);
        let events = corpus["events"].as_f64().unwrap_or(1.0);
        // Nanoseconds per event, for each of `benches`.
        let cells: Vec<Option<f64>> = benches.iter().map(|b| estimate(name, b).map(|ns| ns / events)).collect();
        let mbps = cells[1].map_or("–".into(), |ns| format!("{:.0}", bytes / events / ns * 1e3));
        let _ = writeln!(
            report,
            "| {name} | {:.0} | {} | {} | {mbps} | {} | {} | {} | {} | {} | {} | {} |",
            bytes / events,
            show(cells[0]),
            show(cells[1]),
            show(cells[2]),
            show(cells[3]),
            show(cells[4]),
            show(cells[5]),
            ratio(cells[2], cells[1]),
            ratio(cells[3], cells[1]),
            ratio(cells[1], cells[4]),
        );
        if corpus["valid"].as_bool() == Some(true)
            && name.starts_with("event-")
            && let (Some(a), Some(b), Some(c), Some(d)) = (cells[1], cells[2], cells[3], cells[4])
        {
            verdicts.push((name.to_owned(), b / a, c / a, a / d));
        }
    }
    invalid_table(report, &meta);
    let _ = writeln!(report, "\n### Targets on valid single events\n");
    let _ = writeln!(report, "| corpus | (a) ≥ 3x faster than (b) | (a) faster than (c) | (a) within 1.5x of (d) |");
    let _ = writeln!(report, "|---|---|---|---|");
    let mark = |ok: bool, value: f64| format!("{} ({value:.2})", if ok { "met" } else { "**missed**" });
    for (name, b, c, d) in verdicts {
        let _ = writeln!(report, "| {name} | {} | {} | {} |", mark(b >= 3.0, b), mark(c > 1.0, c), mark(d <= 1.5, d));
    }
    Ok(())
}

/// Invalid payloads, like for like: verdict against jsonschema's
/// `is_valid`, and the full report against every error jsonschema finds,
/// each rendered (message and instance path).
fn invalid_table(report: &mut String, meta: &[serde_json::Value]) {
    let _ = writeln!(report, "\n### Invalid payloads, like for like (ns per event)\n");
    let _ = writeln!(
        report,
        "The table above divides (b), a verdict, by (a)'s full report. Here each is set beside its like: (a)'s verdict beside jsonschema's `is_valid`, and (a)'s full report (every finding with its message, pointer and help) beside every error jsonschema finds, each rendered as its message and instance path.\n"
    );
    let _ = writeln!(
        report,
        "| corpus | (a) verdict | (b) `is_valid` | (b)/(a) | (a) full report | (b) every error, rendered | (b)/(a) |"
    );
    let _ = writeln!(report, "|---|---:|---:|---:|---:|---:|---:|");
    for corpus in meta.iter().filter(|c| c["valid"].as_bool() == Some(false)) {
        let name = corpus["name"].as_str().unwrap_or_default();
        let events = corpus["events"].as_f64().unwrap_or(1.0);
        let ns = |bench: &str| estimate(name, bench).map(|ns| ns / events);
        let (verdict, valid) = (ns("a-lint-verdict"), ns("b-jsonschema"));
        let (full, all) = (ns("a-lint-report"), ns("b-jsonschema-all-errors"));
        let _ = writeln!(
            report,
            "| {name} | {} | {} | {} | {} | {} | {} |",
            show(verdict),
            show(valid),
            ratio(valid, verdict),
            show(full),
            show(all),
            ratio(all, full)
        );
    }
}

/// Times one command: wall seconds (measured here, to the microsecond)
/// and peak RSS (KB, by `/usr/bin/time`).
fn timed(command: &str, threads: Option<&str>) -> Result<(f64, u64)> {
    let mut cmd = Command::new("/usr/bin/time");
    cmd.args(["-f", "%e %M", "sh", "-c", command]);
    if let Some(n) = threads {
        cmd.env("RAYON_NUM_THREADS", n);
    }
    let start = Instant::now();
    let out = cmd.output().map_err(|e| format!("/usr/bin/time: {e}"))?;
    let wall = start.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&out.stderr);
    let last = text.lines().last().unwrap_or_default();
    let rss =
        last.split_whitespace().nth(1).and_then(|r| r.parse().ok()).ok_or_else(|| format!("no timing in {text}"))?;
    Ok((wall, rss))
}

/// Runs `command` `runs` times: the median wall seconds and the largest
/// peak RSS (KB).
fn measured(command: &str, threads: Option<&str>, runs: usize) -> Result<(f64, u64)> {
    let runs: Vec<(f64, u64)> = (0..runs).map(|_| timed(command, threads)).collect::<Result<_>>()?;
    Ok((median(runs.iter().map(|r| r.0).collect()), runs.iter().map(|r| r.1).max().unwrap_or(0)))
}

/// A table of runs over `size` bytes: (label, wall seconds, peak RSS in KB).
fn runs_table<'a>(report: &mut String, size: f64, rows: impl Iterator<Item = (&'a str, f64, u64)>) {
    let _ = writeln!(report, "| run | wall (s) | MB/s | peak RSS (MB) |");
    let _ = writeln!(report, "|---|---:|---:|---:|");
    for (label, wall, rss) in rows {
        let _ = writeln!(
            report,
            "| {label} | {wall:.2} | {:.0} | {:.0} |",
            size / 1e6 / wall.max(1e-9),
            rss as f64 / 1024.0
        );
    }
}

fn cli_at_scale(report: &mut String, bytes: usize) -> Result<()> {
    let root = root();
    let file = root.join("bench/target/scale.ndjson");
    // The generator writes whole lines: a little over `bytes`.
    if std::fs::metadata(&file).map(|m| m.len() as usize).ok().is_none_or(|len| len < bytes || len > bytes + (1 << 20))
    {
        run(Command::new("cargo")
            .current_dir(root.join("bench"))
            .args(["run", "-q", "--release", "--bin", "ndjson", "--"])
            .arg(&file)
            .arg(bytes.to_string()))?;
    }
    run(Command::new("cargo").current_dir(&root).args(["build", "-q", "--release", "-p", "indicative-cli"]))?;
    let size = std::fs::metadata(&file).map_err(|e| e.to_string())?.len() as f64;
    let bin = root.join("target/release/indicative");
    let lint = format!(
        "{} lint {} --now 2023-11-15T00:00:00Z --format github --no-progress > /dev/null; test $? -le 1",
        bin.display(),
        file.display()
    );
    let one_core = format!("taskset -c 0 {lint}");
    let cat = format!("cat {} > /dev/null", file.display());
    // The same events as one JSON array, which is streamed as NDJSON is.
    let array = root.join("bench/target/scale.json");
    let modified = |path: &Path| std::fs::metadata(path).and_then(|m| m.modified()).ok();
    if modified(&array).is_none() || modified(&array) < modified(&file) {
        run(Command::new("cargo")
            .current_dir(root.join("bench"))
            .args(["run", "-q", "--release", "--bin", "forms", "--", "array"])
            .arg(&file)
            .arg(&array))?;
    }
    let array_lint = lint.replace(&file.display().to_string(), &array.display().to_string());
    let array_one_core = format!("taskset -c 0 {array_lint}");
    // And compressed both ways, at the tools' default levels.
    let mut packed = Vec::new();
    for extension in ["gz", "zst"] {
        let path = root.join(format!("bench/target/scale.ndjson.{extension}"));
        if modified(&path).is_none() || modified(&path) < modified(&file) {
            run(Command::new("cargo")
                .current_dir(root.join("bench"))
                .args(["run", "-q", "--release", "--bin", "forms", "--", "compress"])
                .arg(&file)
                .arg(&path))?;
        }
        packed.push(lint.replace(&file.display().to_string(), &path.display().to_string()));
    }
    let mut rows = Vec::new();
    for (label, command, threads) in [
        ("cat (I/O floor)", &cat, None),
        ("indicative, one core (`taskset -c 0`)", &one_core, None),
        ("indicative, one lint thread (`RAYON_NUM_THREADS=1`)", &lint, Some("1")),
        ("indicative, both cores", &lint, None),
        ("the same events as one JSON array, one core", &array_one_core, None),
        ("the same events as one JSON array, both cores", &array_lint, None),
        ("the NDJSON gzip-compressed (`.ndjson.gz`), both cores", &packed[0], None),
        ("the NDJSON zstd-compressed (`.ndjson.zst`), both cores", &packed[1], None),
    ] {
        let (wall, rss) = measured(command, threads, 5)?;
        rows.push((label, wall, rss));
    }
    let _ = writeln!(report, "\n## The CLI at scale\n");
    let _ = writeln!(
        report,
        "`indicative lint` on {:.0} MB of NDJSON (1% invalid lines), `--format github` to /dev/null; median of 5 runs, `/usr/bin/time`. The CLI runs three stages on their own threads (a reader cutting 4 MiB chunks of lines, the lint on the rayon pool, the writer), so one lint thread still has the other core for reading and writing: the single-thread throughput is the whole process confined to one core. The binary's allocator is jemalloc. Command: `cargo xtask bench scale`.\n",
        size / 1e6
    );
    runs_table(report, size, rows.iter().map(|(label, wall, rss)| (*label, *wall, *rss)));
    let speedup = rows[1].1 / rows[3].1.max(1e-9);
    let over_one_lint_thread = rows[2].1 / rows[3].1.max(1e-9);
    let peak = rows.iter().skip(1).map(|r| r.2).max().unwrap_or(0) as f64 / 1024.0;
    let array_speedup = rows[4].1 / rows[5].1.max(1e-9);
    let array_ratio = rows[5].1 / rows[3].1.max(1e-9);
    let mark = |ok: bool| if ok { "met" } else { "**missed**" };
    let _ = writeln!(
        report,
        "\nBoth cores: {speedup:.2}x the single-core throughput (target 1.7x: {}); {over_one_lint_thread:.2}x the one-lint-thread run. Peak memory {peak:.0} MB, the array's included (target under 100 MB: {}). The array (the NDJSON's lines joined by `,\\n` in brackets, {:.0} MB): {array_speedup:.2}x its single-core throughput on both cores, {array_ratio:.2}x the NDJSON's time.",
        mark(speedup >= 1.7),
        mark(peak < 100.0),
        std::fs::metadata(&array).map_or(0.0, |m| m.len() as f64) / 1e6
    );
    let size_of = |extension: &str| {
        std::fs::metadata(root.join(format!("bench/target/scale.ndjson.{extension}"))).map_or(0.0, |m| m.len() as f64)
            / 1e6
    };
    let _ = writeln!(
        report,
        "Compressed ({:.0} MB as gzip, {:.0} MB as zstd; MB/s above counts the NDJSON's bytes): gzip {:.2}x, zstd {:.2}x the plain file's time; decompression runs on the reading thread, beside the lint.",
        size_of("gz"),
        size_of("zst"),
        rows[6].1 / rows[3].1.max(1e-9),
        rows[7].1 / rows[3].1.max(1e-9)
    );
    Ok(())
}

/// The same 200,000 events in every form the CLI reads (NDJSON, a JSON
/// array pretty-printed and minified, GET URLs, a HAR), clean and with a
/// finding on every event, each against NDJSON: every file is linted once a
/// round, the rounds one after another (so that a change of load on this
/// shared machine falls on every form alike), and each ratio is the median
/// of the rounds' ratios.
fn input_forms(report: &mut String) -> Result<()> {
    let root = root();
    let dir = root.join("bench/target/forms");
    let events = 200_000;
    if !dir.join("findings.har").exists() {
        run(Command::new("cargo")
            .current_dir(root.join("bench"))
            .args(["run", "-q", "--release", "--bin", "forms", "--", "write"])
            .arg(&dir)
            .arg(events.to_string()))?;
    }
    run(Command::new("cargo").current_dir(&root).args(["build", "-q", "--release", "-p", "indicative-cli"]))?;
    let bin = root.join("target/release/indicative");
    let forms = [
        ("NDJSON", "ndjson"),
        ("JSON array, pretty-printed", "pretty.json"),
        ("JSON array, minified", "min.json"),
        ("GET URLs (`.urls`)", "urls"),
        ("HAR (one POST per event)", "har"),
    ];
    let prefixes = ["clean", "findings"];
    let rounds = 7;
    // (wall, peak RSS) of each round, for each form and prefix.
    let mut runs = vec![vec![Vec::new(); prefixes.len()]; forms.len()];
    for _ in 0..rounds {
        for (f, (_, extension)) in forms.iter().enumerate() {
            for (p, prefix) in prefixes.iter().enumerate() {
                let file = dir.join(format!("{prefix}.{extension}"));
                let command = format!(
                    "{} lint {} --now 2023-11-15T00:00:00Z --format github --no-progress > /dev/null; test $? -le 1",
                    bin.display(),
                    file.display()
                );
                runs[f][p].push(timed(&command, None)?);
            }
        }
    }
    let _ = writeln!(report, "\n## Every input form, against NDJSON\n");
    let _ = writeln!(
        report,
        "The same {events} events (eight properties each; `bench/src/bin/forms.rs`) in every form `indicative lint` reads, once clean and once with a finding on every event (`eventTime` before 1970, an error in a body and in a GET alike). Both cores, `--format github` to /dev/null; {rounds} rounds, each linting every file once; the time is the median, the ratio the median of the rounds' ratios. Command: `cargo xtask bench forms`. Target: each form within 1.5x of NDJSON's time.\n"
    );
    let _ = writeln!(report, "| form | MB | clean (s) | ÷ NDJSON | with findings (s) | ÷ NDJSON | peak RSS (MB) |");
    let _ = writeln!(report, "|---|---:|---:|---:|---:|---:|---:|");
    let mark = |ratio: f64| if ratio <= 1.5 { format!("{ratio:.2}") } else { format!("**{ratio:.2}** (missed)") };
    let size_of = |extension: &str| -> Result<f64> {
        Ok(std::fs::metadata(dir.join(format!("clean.{extension}"))).map_err(|e| e.to_string())?.len() as f64)
    };
    // Each form's time per byte over NDJSON's, clean and with findings.
    let mut per_byte = Vec::new();
    for (f, (label, extension)) in forms.iter().enumerate() {
        let size = size_of(extension)?;
        let cell = |p: usize| {
            let wall = median(runs[f][p].iter().map(|r: &(f64, u64)| r.0).collect());
            let ratio = median(runs[f][p].iter().zip(&runs[0][p]).map(|(r, n)| r.0 / n.0.max(1e-9)).collect());
            (wall, ratio)
        };
        let ((clean, clean_ratio), (findings, findings_ratio)) = (cell(0), cell(1));
        let bytes = size / size_of(forms[0].1)?;
        per_byte.push(format!("{label} {:.2} and {:.2}", clean_ratio / bytes, findings_ratio / bytes));
        let rss = runs[f].iter().flatten().map(|r| r.1).max().unwrap_or(0);
        let _ = writeln!(
            report,
            "| {label} | {:.0} | {clean:.3} | {} | {findings:.3} | {} | {:.0} |",
            size / 1e6,
            mark(clean_ratio),
            mark(findings_ratio),
            rss as f64 / 1024.0
        );
    }
    let _ = writeln!(
        report,
        "\nThe same ratios per byte (each form's ratio divided by its size over NDJSON's; clean, then with findings): {}.",
        per_byte[1..].join("; ")
    );
    Ok(())
}

/// `cargo xtask bench forms`: only the input forms' section, replaced in
/// BENCHMARKS.md.
pub fn forms_bench() -> Result<()> {
    let mut text = String::new();
    input_forms(&mut text)?;
    replace_section("\n## Every input form, against NDJSON", &text, Some("\n## The CLI at scale"))?;
    eprintln!("wrote the input forms' section of BENCHMARKS.md");
    Ok(())
}

/// `cargo xtask bench scale`: only the CLI at scale (1 GB of NDJSON, or
/// 256 MB with `--quick`), replaced in BENCHMARKS.md.
pub fn scale_bench(quick: bool) -> Result<()> {
    let mut text = String::new();
    cli_at_scale(&mut text, if quick { 256 << 20 } else { 1 << 30 })?;
    replace_section("\n## The CLI at scale", &text, Some("\n## The engine side by side"))?;
    eprintln!("wrote the CLI at scale's section of BENCHMARKS.md");
    Ok(())
}

/// `cargo xtask bench plan`: only the tracking plan's cost, replaced in
/// BENCHMARKS.md.
pub fn plan_bench(quick: bool) -> Result<()> {
    let mut text = String::new();
    plan_cost(&mut text, if quick { 256 << 20 } else { 1 << 30 })?;
    replace_section("\n## A tracking plan's cost", &text, Some("\n## Every input form, against NDJSON"))?;
    eprintln!("wrote the tracking plan's section of BENCHMARKS.md");
    Ok(())
}

/// What a tracking plan costs: loading a plan of 1,000 events of 30
/// properties, and linting NDJSON that names its events with and without it,
/// on one core; the two runs interleaved, the ratio the median of each
/// pair's.
fn plan_cost(report: &mut String, bytes: usize) -> Result<()> {
    let root = root();
    run(Command::new("cargo").current_dir(&root).args(["build", "-q", "--release", "-p", "indicative-cli"]))?;
    let (plan, file) = (root.join("bench/target/plan.yaml"), root.join("bench/target/planned.ndjson"));
    if std::fs::metadata(&file).map(|m| m.len() as usize).ok().is_none_or(|len| len < bytes) || !plan.exists() {
        run(Command::new("cargo")
            .current_dir(root.join("bench"))
            .args(["run", "-q", "--release", "--bin", "plan", "--", "generate"])
            .arg(&plan)
            .arg(&file)
            .arg(bytes.to_string()))?;
    }
    let json_plan = plan.with_extension("json");
    let load = |path: &std::path::Path| -> Result<f64> {
        let out = Command::new("cargo")
            .current_dir(root.join("bench"))
            .args(["run", "-q", "--release", "--bin", "plan", "--", "load"])
            .arg(path)
            .output()
            .map_err(|e| format!("plan load: {e}"))?;
        String::from_utf8_lossy(&out.stdout).trim().parse().map_err(|_| "plan load printed no time".to_owned())
    };
    let (yaml_ms, json_ms) = (load(&plan)?, load(&json_plan)?);
    let size = std::fs::metadata(&file).map_err(|e| e.to_string())?.len() as f64;
    let bin = root.join("target/release/indicative");
    let lint = |with_plan: bool| {
        let plan_flag = if with_plan { format!(" --plan {}", json_plan.display()) } else { String::new() };
        format!(
            "taskset -c 0 {} lint {}{plan_flag} --now 2023-11-15T00:00:00Z --format github --no-progress > /dev/null; test $? -le 1",
            bin.display(),
            file.display()
        )
    };
    let (without, with) = (lint(false), lint(true));
    // (wall seconds, peak RSS in KB) of each run: without the plan, with it.
    let pairs: Vec<[(f64, u64); 2]> =
        (0..7).map(|_| Ok([timed(&without, None)?, timed(&with, None)?])).collect::<Result<_>>()?;
    let walls = [0, 1]
        .map(|i| (median(pairs.iter().map(|p| p[i].0).collect()), pairs.iter().map(|p| p[i].1).max().unwrap_or(0)));
    let ratio = median(pairs.iter().map(|[a, b]| b.0 / a.0.max(1e-9)).collect());
    let _ = writeln!(report, "\n## A tracking plan's cost\n");
    let _ = writeln!(
        report,
        "A plan of 1,000 events of 30 properties (every type: patterns, enums, ranges, lengths; policy deny), written out in full (1.7 MB of YAML, 1.8 MB of JSON), and {:.0} MB of NDJSON events that name its events uniformly at random (so each event's plan is cold in the cache) and send 8 planned properties each, two of them with a pattern. Lint on one core (`taskset -c 0`), `--format github` to /dev/null, with the JSON plan: 7 runs of each, interleaved, the wall time the median, the ratio the median of each pair's. Command: `cargo xtask bench plan`. The plan's load is the median of 21 loads and compilations in one process (`bench/src/bin/plan.rs`).\n",
        size / 1e6
    );
    let labels = ["without the plan", "with `--plan`"];
    runs_table(report, size, labels.iter().zip(&walls).map(|(label, (wall, rss))| (*label, *wall, *rss)));
    let mark = |ok: bool| if ok { "met" } else { "**missed**" };
    let _ = writeln!(
        report,
        "\nWith the plan: {ratio:.2}x the time without it (target at most 1.3x: {}). Loading the plan: {json_ms:.1} ms as JSON (target under 50 ms: {}), {yaml_ms:.1} ms as YAML ({}).",
        mark(ratio <= 1.3),
        mark(json_ms < 50.0),
        mark(yaml_ms < 50.0)
    );
    Ok(())
}

fn derive_cost(report: &mut String) -> Result<()> {
    let root = root();
    let dir = root.join("bench/target/derive-cost");
    let core = root.join("crates/indicative-contract").display().to_string();
    let mut rows = Vec::new();
    for (folder, name, derive, dependency) in [
        ("serde", "serde", "serde::Serialize", "serde = { version = \"1\", features = [\"derive\"] }".to_owned()),
        (
            "track-event",
            "TrackEvent, `features = [\"derive\"]`",
            "indicative_contract::TrackEvent",
            format!("indicative-contract = {{ path = {core:?}, default-features = false, features = [\"derive\"] }}"),
        ),
        (
            "track-event-default-features",
            "TrackEvent, default features (with the lint engine)",
            "indicative_contract::TrackEvent",
            format!("indicative-contract = {{ path = {core:?} }}"),
        ),
    ] {
        let krate = dir.join(folder);
        write_crate(&krate, derive, &dependency)?;
        // Fetch first, so that only building is timed.
        run(Command::new("cargo").current_dir(&krate).args(["fetch", "-q"]))?;
        let mut clean = Vec::new();
        for _ in 0..3 {
            let _ = std::fs::remove_dir_all(krate.join("target"));
            let start = Instant::now();
            run(Command::new("cargo").current_dir(&krate).args(["build", "-q"]))?;
            clean.push(start.elapsed().as_secs_f64());
        }
        let mut again = Vec::new();
        for _ in 0..3 {
            let lib = krate.join("src/lib.rs");
            let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
            std::fs::write(&lib, format!("{text}\n")).map_err(|e| e.to_string())?;
            let start = Instant::now();
            run(Command::new("cargo").current_dir(&krate).args(["build", "-q"]))?;
            again.push(start.elapsed().as_secs_f64());
        }
        rows.push((name, median(clean), median(again)));
    }
    let _ = writeln!(report, "\n## Derive build cost\n");
    let _ = writeln!(
        report,
        "A crate of 100 structs of 8 fields each, `cargo build` (debug): from clean (the median of 3 builds), and the crate alone rebuilt after touching its source (median of 3). A crate that only derives events needs only the `derive` feature; the lint engine (the default `lint` feature) brings serde_json, simdutf8, safe_arch, strsim, rustc-hash and serde with its derive (a derive-only build has serde's traits from serde_core).\n"
    );
    let _ = writeln!(report, "| derive | from clean (s) | the crate alone (s) | from clean / serde |");
    let _ = writeln!(report, "|---|---:|---:|---:|");
    for (name, clean, again) in &rows {
        let _ = writeln!(report, "| {name} | {clean:.2} | {again:.2} | {:.2} |", clean / rows[0].1);
    }
    let (clean_ratio, crate_ratio) = (rows[1].1 / rows[0].1, rows[1].2 / rows[0].2);
    let _ = writeln!(
        report,
        "\nFrom clean, TrackEvent (`features = [\"derive\"]`) takes {clean_ratio:.2}x serde's time (target 1.5x: {}); the crate alone, {crate_ratio:.2}x. With default features, {:.2}x.",
        if clean_ratio <= 1.5 { "met" } else { "**missed**" },
        rows[2].1 / rows[0].1
    );
    Ok(())
}

fn write_crate(dir: &Path, derive: &str, dependency: &str) -> Result<()> {
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let manifest = format!(
        "[package]\nname = \"derive-cost\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\n[dependencies]\n{dependency}\n\n[workspace]\n"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let mut lib = String::from("#![allow(dead_code)]\n");
    for i in 0..100 {
        let attr = if derive.contains("TrackEvent") { "    #[event(unique_id)]\n" } else { "" };
        let _ = write!(
            lib,
            "#[derive({derive})]\npub struct Event{i} {{\n{attr}    pub user: String,\n    pub plan: String,\n    pub seats: u32,\n    pub price: f64,\n    pub gift: bool,\n    pub coupon: Option<String>,\n    pub source: String,\n    pub count: u64,\n}}\n\n"
        );
    }
    std::fs::write(dir.join("src/lib.rs"), lib).map_err(|e| e.to_string())
}

//! `cargo xtask bench plan-build [--quick]`: what checking derives against a
//! tracking plan costs at build time, and how long `tracking_plan!` takes to
//! expand; its section of BENCHMARKS.md.
//!
//! Three generated crates under `bench/target/plan-build`, each depending on
//! `indicative-contract` with the `plan` feature (so their dependencies are
//! the same):
//! - `without-plan`: 100 structs deriving `TrackEvent`, 8 fields each;
//! - `with-plan`: the same source, and `[package.metadata.indicative] plan`
//!   naming a plan of 1,000 events (the 100 among them);
//! - `generated`: `tracking_plan!` over that plan, and nothing else.
//!
//! Each is built from clean, then rebuilt after touching its source (the
//! crate alone: what the plan adds to every edit-compile cycle). The
//! expansion of `tracking_plan!` is read from rustc's own pass timings
//! (`-Z time-passes`, on the nightly toolchain: `expand_crate`).

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::codegen::root;

type Result<T> = std::result::Result<T, String>;

const EVENTS: usize = 1000;
const DERIVED: usize = 100;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// The plan: 1,000 events of 8 properties of every type.
fn plan() -> String {
    let mut yaml = String::from("name: Build Cost\nversion: 1-0-0\npolicy: deny\nevents:\n");
    for i in 0..EVENTS {
        let _ = write!(
            yaml,
            "  Event {i}:\n    description: Event number {i}.\n    properties:\n      plan: {{ type: enum, values: [free, pro, enterprise], required: true }}\n      seats: {{ type: integer, min: 1 }}\n      price: {{ type: number, required: true }}\n      gift: {{ type: boolean }}\n      coupon: {{ type: string, maxLength: 32 }}\n      source: {{ type: string, required: true }}\n      count: {{ type: integer }}\n      paid_at: {{ type: datetime }}\n"
        );
    }
    yaml
}

/// 100 derived events of the plan's first 100.
fn derived_source() -> String {
    let mut lib = String::from(
        "#![allow(dead_code)]\nuse indicative_contract::{ToPropertyValue, TrackEvent};\n\n#[derive(ToPropertyValue)]\npub enum Plan {\n    #[property(rename = \"free\")]\n    Free,\n    #[property(rename = \"pro\")]\n    Pro,\n}\n\n",
    );
    for i in 0..DERIVED {
        let _ = write!(
            lib,
            "#[derive(TrackEvent)]\n#[event(name = \"Event {i}\")]\npub struct Event{i} {{\n    #[event(unique_id)]\n    pub user: String,\n    pub plan: Plan,\n    pub seats: Option<u32>,\n    pub price: f64,\n    pub gift: Option<bool>,\n    pub coupon: Option<String>,\n    pub source: String,\n    pub count: Option<u64>,\n    pub paid_at: Option<indicative_contract::jiff::Timestamp>,\n}}\n\n"
        );
    }
    lib
}

/// The plan's loader and
/// the derive optimized, in an otherwise unoptimized debug build.
const OPTIMIZED_LOADER: &str = "\n[profile.dev.package.yaml-rust2]\nopt-level = 3\n[profile.dev.package.indicative-plan-model]\nopt-level = 3\n[profile.dev.package.indicative-contract-derive]\nopt-level = 3\n";

/// Writes a crate whose Cargo.toml names the plan file `plan` (if any);
/// the plan is written both as `tracking-plan.yaml` and as
/// `tracking-plan.json` (the same plan).
fn write_crate(dir: &Path, plan_file: Option<&str>, lib: &str, optimized_loader: bool) -> Result<()> {
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let core = root().join("crates/indicative-contract").display().to_string();
    let metadata =
        plan_file.map(|file| format!("\n[package.metadata.indicative]\nplan = \"{file}\"\n")).unwrap_or_default();
    let manifest = format!(
        "[package]\nname = \"plan-build\"\nversion = \"0.0.0\"\nedition = \"2024\"\n{metadata}\n[dependencies]\nindicative-contract = {{ path = {core:?}, default-features = false, features = [\"plan\"] }}\n\n[workspace]\n{}",
        if optimized_loader { OPTIMIZED_LOADER } else { "" }
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    let yaml = plan();
    let parsed = indicative_plan::Plan::from_text("tracking-plan.yaml", &yaml).map_err(|e| e.to_string())?;
    let json = serde_json::to_string_pretty(&parsed).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("tracking-plan.yaml"), yaml).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("tracking-plan.json"), json).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("src/lib.rs"), lib).map_err(|e| e.to_string())
}

fn cargo(dir: &Path, args: &[&str]) -> Result<std::process::Output> {
    let output = Command::new("cargo").current_dir(dir).args(args).output().map_err(|e| format!("cargo: {e}"))?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(format!("cargo {args:?} in {} failed:\n{}", dir.display(), String::from_utf8_lossy(&output.stderr)))
    }
}

/// A crate's build times: medians from clean and of the crate alone
/// rebuilt after touching its source, with each run of the latter kept (s).
struct Times {
    clean: f64,
    alone: f64,
    alone_runs: Vec<f64>,
}

fn touch(dir: &Path) -> Result<()> {
    let lib = dir.join("src/lib.rs");
    let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
    std::fs::write(&lib, format!("{text}\n")).map_err(|e| e.to_string())
}

/// Builds each crate of `dirs` from clean `runs` times, then the crate alone
/// `alone` times, interleaved (one build of each crate per round) so that
/// a shared machine's changing load falls on every crate alike.
fn build_times(dirs: &[&Path], runs: usize, alone: usize) -> Result<Vec<Times>> {
    let mut clean = vec![Vec::new(); dirs.len()];
    let mut again = vec![Vec::new(); dirs.len()];
    for dir in dirs {
        cargo(dir, &["fetch", "-q"])?;
    }
    for _ in 0..runs {
        for (i, dir) in dirs.iter().enumerate() {
            let _ = std::fs::remove_dir_all(dir.join("target"));
            let start = Instant::now();
            cargo(dir, &["build", "-q"])?;
            clean[i].push(start.elapsed().as_secs_f64());
        }
    }
    for _ in 0..alone {
        for (i, dir) in dirs.iter().enumerate() {
            touch(dir)?;
            let start = Instant::now();
            cargo(dir, &["build", "-q"])?;
            again[i].push(start.elapsed().as_secs_f64());
        }
    }
    Ok(clean
        .into_iter()
        .zip(again)
        .map(|(clean, again)| Times { clean: median(clean), alone: median(again.clone()), alone_runs: again })
        .collect())
}

/// The median over rounds of `with`'s time over `without`'s in the same
/// round: the ratio that a changing load on the machine disturbs least.
fn paired_ratio(with: &Times, without: &Times) -> f64 {
    median(with.alone_runs.iter().zip(&without.alone_runs).map(|(w, wo)| w / wo).collect())
}

/// `expand_crate`'s time (s) from `-Z time-passes`, median of `runs`.
fn expansion_time(dir: &Path, runs: usize) -> Result<Option<f64>> {
    let nightly = Command::new("cargo").args(["+nightly", "--version"]).output().is_ok_and(|o| o.status.success());
    if !nightly {
        return Ok(None);
    }
    let mut times = Vec::new();
    for _ in 0..runs.max(3) {
        touch(dir)?;
        let output = cargo(
            dir,
            &["+nightly", "rustc", "-q", "--lib", "--target-dir", "target/nightly", "--", "-Z", "time-passes"],
        )?;
        let passes = String::from_utf8_lossy(&output.stderr).into_owned();
        // `time:   0.123; rss: ...	expand_crate`
        let seconds = passes
            .lines()
            .find(|line| line.trim_end().ends_with("expand_crate"))
            .and_then(|line| line.trim_start().strip_prefix("time:"))
            .and_then(|rest| rest.split(';').next())
            .and_then(|s| s.trim().parse::<f64>().ok())
            .ok_or_else(|| format!("no expand_crate time in:\n{passes}"))?;
        times.push(seconds);
    }
    Ok(Some(median(times)))
}

/// The macro's own work, in process: reading and checking the plan, and
/// generating its items (the tokens rustc then parses), median of 5 (s).
fn macro_work() -> Result<f64> {
    let text = plan();
    let mut times = Vec::new();
    for _ in 0..5 {
        let start = Instant::now();
        let plan = indicative_plan::Plan::from_text("tracking-plan.yaml", &text).map_err(|e| e.to_string())?;
        let items = indicative_plan_rust::codegen::items(&plan).map_err(|e| e.to_string())?;
        std::hint::black_box(items.to_string());
        times.push(start.elapsed().as_secs_f64());
    }
    Ok(median(times))
}

/// Runs the measurements; appends the section to `report`.
pub fn section(report: &mut String, quick: bool) -> Result<()> {
    let runs = if quick { 1 } else { 3 };
    let dir = root().join("bench/target/plan-build");
    let source = derived_source();
    let yaml = Some("tracking-plan.yaml");
    write_crate(&dir.join("without-plan"), None, &source, false)?;
    write_crate(&dir.join("with-plan"), yaml, &source, false)?;
    write_crate(&dir.join("with-json-plan"), Some("tracking-plan.json"), &source, false)?;
    write_crate(&dir.join("without-plan-optimized"), None, &source, true)?;
    write_crate(&dir.join("with-plan-optimized"), yaml, &source, true)?;
    write_crate(&dir.join("generated"), None, "indicative_contract::tracking_plan!(\"tracking-plan.yaml\");\n", false)?;
    let alone = if quick { 5 } else { 11 };
    let derived = build_times(
        &[
            &dir.join("without-plan"),
            &dir.join("with-plan"),
            &dir.join("with-json-plan"),
            &dir.join("without-plan-optimized"),
            &dir.join("with-plan-optimized"),
        ],
        runs,
        alone,
    )?;
    let [without, with, with_json, without_optimized, with_optimized] =
        <[Times; 5]>::try_from(derived).map_err(|_| "five crates were built".to_owned())?;
    let generated = build_times(&[&dir.join("generated")], runs, alone)?.remove(0);
    let expansion = expansion_time(&dir.join("generated"), runs)?;
    let work = macro_work()?;

    let _ = writeln!(report, "\n## Derives checked against a tracking plan: build cost\n");
    let _ = writeln!(
        report,
        "A crate of {DERIVED} structs deriving `TrackEvent` (8 properties each), built with `indicative-contract`'s `plan` feature, without a plan and with a plan of {EVENTS:} events named in its Cargo.toml; and a crate holding only `tracking_plan!` over that plan ({EVENTS} structs, 1,000 enums). `cargo build` (debug): from clean (median of {runs}), and the crate alone rebuilt after touching its source (median of {}); the five derive crates' builds interleaved, one of each per round, and ratios the median of each round's ratio. Command: `cargo xtask bench plan-build{}`.\n",
        alone,
        if quick { " --quick" } else { "" }
    );
    let _ = writeln!(report, "| crate | from clean (s) | the crate alone (s) |");
    let _ = writeln!(report, "|---|---:|---:|");
    let _ = writeln!(report, "| {DERIVED} derives, no plan | {:.2} | {:.2} |", without.clean, without.alone);
    let _ = writeln!(report, "| {DERIVED} derives, plan of {EVENTS} events | {:.2} | {:.2} |", with.clean, with.alone);
    let _ = writeln!(
        report,
        "| {DERIVED} derives, the same plan as JSON | {:.2} | {:.2} |",
        with_json.clean, with_json.alone
    );
    let _ = writeln!(
        report,
        "| {DERIVED} derives, no plan, loader optimized | {:.2} | {:.2} |",
        without_optimized.clean, without_optimized.alone
    );
    let _ = writeln!(
        report,
        "| {DERIVED} derives, plan of {EVENTS} events, loader optimized | {:.2} | {:.2} |",
        with_optimized.clean, with_optimized.alone
    );
    let _ =
        writeln!(report, "| `tracking_plan!` over {EVENTS} events | {:.2} | {:.2} |", generated.clean, generated.alone);
    let ratio = paired_ratio(&with, &without);
    let json_ratio = paired_ratio(&with_json, &without);
    let optimized_ratio = paired_ratio(&with_optimized, &without_optimized);
    let verdict = |r: f64| if r <= 1.3 { "met" } else { "**missed**" };
    let _ = writeln!(
        report,
        "\nWith the plan, the crate alone builds in {ratio:.2}x its time without (target 1.3x: {}); from clean, {:.2}x. With the same plan written as JSON (which the loader reads by a faster way, with no YAML parser), {json_ratio:.2}x (target 1.3x: {}). With the plan's loader and the derive optimized in the debug profile (`[profile.dev.package.<name>] opt-level = 3` for `yaml-rust2`, `indicative-plan-model` and `indicative-contract-derive`), {optimized_ratio:.2}x (target 1.3x: {}); from clean, {:.2}x.",
        verdict(ratio),
        with.clean / without.clean,
        verdict(json_ratio),
        verdict(optimized_ratio),
        with_optimized.clean / without_optimized.clean
    );
    let _ = writeln!(
        report,
        "\n`tracking_plan!` over {EVENTS} events: the macro's own work (reading and checking the plan, generating its items) takes {work:.3} s in process (median of 5; target under 1 s: {}).",
        if work < 1.0 { "met" } else { "**missed**" }
    );
    match expansion {
        Some(seconds) => {
            let _ = writeln!(
                report,
                "rustc's whole expansion of that crate (`expand_crate`, `-Z time-passes` on nightly, median of {}), which also runs the derives on the {EVENTS} structs and 1,000 enums the macro writes, takes {seconds:.3} s.",
                runs.max(3),
            );
        }
        None => {
            let _ = writeln!(report, "rustc's whole expansion was not measured: no nightly toolchain here.");
        }
    }
    Ok(())
}

/// `cargo xtask bench plan-build`: only this section, replaced in BENCHMARKS.md.
pub fn bench(quick: bool) -> Result<()> {
    let mut section_text = String::new();
    section(&mut section_text, quick)?;
    crate::bench::replace_section(
        "\n## Derives checked against a tracking plan: build cost",
        &section_text,
        Some("\n## Derive build cost"),
    )?;
    eprintln!("wrote the plan build-cost section of BENCHMARKS.md");
    Ok(())
}

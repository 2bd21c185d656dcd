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

/// What docs/plan-rust.md recommends for large plans: the plan's loader and
/// the derive optimized, in an otherwise unoptimized debug build.
const OPTIMIZED_LOADER: &str = "\n[profile.dev.package.yaml-rust2]\nopt-level = 3\n[profile.dev.package.indicative-plan-model]\nopt-level = 3\n[profile.dev.package.indicative-contract-derive]\nopt-level = 3\n";

fn write_crate(dir: &Path, metadata: bool, lib: &str, optimized_loader: bool) -> Result<()> {
    std::fs::create_dir_all(dir.join("src")).map_err(|e| e.to_string())?;
    let core = root().join("crates/indicative-contract").display().to_string();
    let metadata = if metadata { "\n[package.metadata.indicative]\nplan = \"tracking-plan.yaml\"\n" } else { "" };
    let manifest = format!(
        "[package]\nname = \"plan-build\"\nversion = \"0.0.0\"\nedition = \"2024\"\n{metadata}\n[dependencies]\nindicative-contract = {{ path = {core:?}, default-features = false, features = [\"plan\"] }}\n\n[workspace]\n{}",
        if optimized_loader { OPTIMIZED_LOADER } else { "" }
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("tracking-plan.yaml"), plan()).map_err(|e| e.to_string())?;
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

/// (from clean, the crate alone): medians of `runs` builds each.
fn build_times(dir: &Path, runs: usize) -> Result<(f64, f64)> {
    cargo(dir, &["fetch", "-q"])?;
    let mut clean = Vec::new();
    for _ in 0..runs {
        let _ = std::fs::remove_dir_all(dir.join("target"));
        let start = Instant::now();
        cargo(dir, &["build", "-q"])?;
        clean.push(start.elapsed().as_secs_f64());
    }
    let mut again = Vec::new();
    for _ in 0..runs.max(5) {
        let lib = dir.join("src/lib.rs");
        let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
        std::fs::write(&lib, format!("{text}\n")).map_err(|e| e.to_string())?;
        let start = Instant::now();
        cargo(dir, &["build", "-q"])?;
        again.push(start.elapsed().as_secs_f64());
    }
    Ok((median(clean), median(again)))
}

/// `expand_crate`'s time (s) from `-Z time-passes`, median of `runs`.
fn expansion_time(dir: &Path, runs: usize) -> Result<Option<f64>> {
    let nightly = Command::new("cargo").args(["+nightly", "--version"]).output().is_ok_and(|o| o.status.success());
    if !nightly {
        return Ok(None);
    }
    let mut times = Vec::new();
    for _ in 0..runs.max(3) {
        let lib = dir.join("src/lib.rs");
        let text = std::fs::read_to_string(&lib).map_err(|e| e.to_string())?;
        std::fs::write(&lib, format!("{text}\n")).map_err(|e| e.to_string())?;
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
    write_crate(&dir.join("without-plan"), false, &source, false)?;
    write_crate(&dir.join("with-plan"), true, &source, false)?;
    write_crate(&dir.join("without-plan-optimized"), false, &source, true)?;
    write_crate(&dir.join("with-plan-optimized"), true, &source, true)?;
    write_crate(
        &dir.join("generated"),
        false,
        "indicative_contract::tracking_plan!(\"tracking-plan.yaml\");\n",
        false,
    )?;
    let without = build_times(&dir.join("without-plan"), runs)?;
    let with = build_times(&dir.join("with-plan"), runs)?;
    let without_optimized = build_times(&dir.join("without-plan-optimized"), runs)?;
    let with_optimized = build_times(&dir.join("with-plan-optimized"), runs)?;
    let generated = build_times(&dir.join("generated"), runs)?;
    let expansion = expansion_time(&dir.join("generated"), runs)?;
    let work = macro_work()?;

    let _ = writeln!(report, "\n## Derives checked against a tracking plan: build cost\n");
    let _ = writeln!(
        report,
        "A crate of {DERIVED} structs deriving `TrackEvent` (8 properties each), built with `indicative-contract`'s `plan` feature, without a plan and with a plan of {EVENTS:} events named in its Cargo.toml; and a crate holding only `tracking_plan!` over that plan ({EVENTS} structs, 1,000 enums). `cargo build` (debug): from clean (median of {runs}), and the crate alone rebuilt after touching its source (median of {}). Command: `cargo xtask bench plan-build{}`.\n",
        runs.max(5),
        if quick { " --quick" } else { "" }
    );
    let _ = writeln!(report, "| crate | from clean (s) | the crate alone (s) |");
    let _ = writeln!(report, "|---|---:|---:|");
    let _ = writeln!(report, "| {DERIVED} derives, no plan | {:.2} | {:.2} |", without.0, without.1);
    let _ = writeln!(report, "| {DERIVED} derives, plan of {EVENTS} events | {:.2} | {:.2} |", with.0, with.1);
    let _ = writeln!(
        report,
        "| {DERIVED} derives, no plan, loader optimized | {:.2} | {:.2} |",
        without_optimized.0, without_optimized.1
    );
    let _ = writeln!(
        report,
        "| {DERIVED} derives, plan of {EVENTS} events, loader optimized | {:.2} | {:.2} |",
        with_optimized.0, with_optimized.1
    );
    let _ = writeln!(report, "| `tracking_plan!` over {EVENTS} events | {:.2} | {:.2} |", generated.0, generated.1);
    let ratio = with.1 / without.1;
    let optimized_ratio = with_optimized.1 / without_optimized.1;
    let verdict = |r: f64| if r <= 1.3 { "met" } else { "**missed**" };
    let _ = writeln!(
        report,
        "\nWith the plan, the crate alone builds in {ratio:.2}x its time without (target 1.3x: {}); from clean, {:.2}x. Reading a plan of {EVENTS} events in an unoptimized proc-macro is most of the difference. With the plan's loader and the derive optimized in the debug profile (`[profile.dev.package.<name>] opt-level = 3` for `yaml-rust2`, `indicative-plan-model` and `indicative-contract-derive`, as docs/plan-rust.md recommends for large plans), {optimized_ratio:.2}x (target 1.3x: {}); from clean, {:.2}x.",
        verdict(ratio),
        with.0 / without.0,
        verdict(optimized_ratio),
        with_optimized.0 / without_optimized.0
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

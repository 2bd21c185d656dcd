//! The plan benchmark's inputs and its load timing:
//!
//! - `plan generate PLAN NDJSON BYTES`: a plan of 1,000 events of 30
//!   properties (as YAML at PLAN, and as JSON beside it, PLAN with the
//!   extension `.json`), and about BYTES of NDJSON events it accepts;
//! - `plan load PLAN`: loads and compiles the plan 21 times and prints the
//!   median milliseconds;
//! - `plan lint PLAN NDJSON`: lints the file's lines (events the plan
//!   accepts, as `generate` writes them) in this process,
//!   without and with the plan, in alternation (7 passes each), and prints
//!   each one's fastest pass and the ratio: the plan checks' own cost, without
//!   the plan's load or the reading of the file, for profiling (with
//!   `--profile without` or `--profile with` after NDJSON, only those
//!   passes run, to profile each apart; with `--noop-checker`, a checker
//!   that reads each event's name and nothing else stands for the plan:
//!   the cost of the engine's hand-over alone).

use std::time::Instant;

/// A checker that reads each event's name and checks nothing.
struct NameOnly;

impl indicative_contract::EventChecker for NameOnly {
    fn check_event(&self, event: &indicative_contract::EventView<'_>, _: &mut indicative_contract::Findings<'_, '_>) {
        std::hint::black_box(event.name());
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["generate", plan, ndjson, bytes] => {
            let bytes: usize = bytes.parse().expect("BYTES is a number");
            let yaml = indicative_bench::plan(1000, 30);
            std::fs::write(plan, &yaml).expect("write the plan");
            let loaded = indicative_plan::Plan::from_text("plan.yaml", &yaml).expect("the plan loads");
            let json = serde_json::to_string_pretty(&loaded).expect("JSON");
            std::fs::write(std::path::Path::new(plan).with_extension("json"), json).expect("write the JSON plan");
            let mut file = std::io::BufWriter::new(std::fs::File::create(ndjson).expect("create"));
            let mut written = 0;
            let mut seed = 0;
            while written < bytes {
                let piece = indicative_bench::planned_ndjson((64 << 20).min(bytes - written), 1000, 500 + seed);
                std::io::Write::write_all(&mut file, &piece).expect("write");
                written += piece.len();
                seed += 1;
            }
        }
        ["load", plan] => {
            let text = std::fs::read_to_string(plan).expect("read the plan");
            // What a run does: read the plan once and keep it until the end
            // (the drops, which a run does not wait for, are left out).
            let mut kept = Vec::new();
            let mut times: Vec<f64> = (0..21)
                .map(|_| {
                    let start = Instant::now();
                    let plan = indicative_plan::Plan::from_text("plan.yaml", &text).expect("the plan loads");
                    let checker = indicative_plan::PlanChecker::new(&plan);
                    let elapsed = start.elapsed().as_secs_f64() * 1e3;
                    kept.push((plan, checker));
                    elapsed
                })
                .collect();
            drop(kept);
            times.sort_by(f64::total_cmp);
            println!("{:.2}", times[times.len() / 2]);
        }
        ["lint", plan, ndjson, rest @ ..] => {
            let noop = rest.first() == Some(&"--noop-checker");
            let only = match &rest[usize::from(noop)..] {
                [] => None,
                ["--profile", which @ ("with" | "without")] => Some(*which == "with"),
                _ => panic!("after NDJSON: nothing, or [--noop-checker] [--profile with|without]"),
            };
            let text = std::fs::read_to_string(plan).expect("read the plan");
            let plan = indicative_plan::Plan::from_text(plan, &text).expect("the plan loads");
            let bytes = std::fs::read(ndjson).expect("read the events");
            let lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
            // 2023-11-15, as the CLI benchmark's `--now`.
            let now = 1_700_006_400_000;
            let without = indicative_contract::LintOptions::new(now);
            let checker: std::sync::Arc<dyn indicative_contract::EventChecker> =
                if noop { std::sync::Arc::new(NameOnly) } else { indicative_plan::PlanChecker::new(&plan).shared() };
            let with = indicative_contract::LintOptions::new(now).with_checker(checker);
            let pass = |options: &indicative_contract::LintOptions| {
                let mut linter = indicative_contract::Linter::new(options.clone());
                let request = indicative_contract::RequestInfo::default();
                let start = Instant::now();
                let findings: usize = lines.iter().map(|l| linter.lint_body(l, &request).diagnostics.len()).sum();
                (start.elapsed().as_secs_f64() * 1e3, findings)
            };
            assert!(!lines.is_empty(), "{ndjson} has no events");
            if let Some(with_plan) = only {
                for _ in 0..7 {
                    pass(if with_plan { &with } else { &without });
                }
                return;
            }
            let (mut best_without, mut best_with) = (f64::MAX, f64::MAX);
            for _ in 0..7 {
                let (ms, found) = pass(&without);
                best_without = best_without.min(ms);
                let (ms, findings) = pass(&with);
                assert_eq!(findings, found, "the events are planned: the plan finds nothing more");
                best_with = best_with.min(ms);
            }
            println!(
                "{} events: without the plan {best_without:.1} ms, with it {best_with:.1} ms ({:.2}x; {:.0} ns more per event)",
                lines.len(),
                best_with / best_without,
                (best_with - best_without) * 1e6 / lines.len() as f64
            );
        }
        _ => {
            eprintln!("usage: plan generate PLAN NDJSON BYTES | plan load PLAN | plan lint PLAN NDJSON");
            std::process::exit(2);
        }
    }
}

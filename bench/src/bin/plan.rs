//! The plan benchmark's inputs and its load timing:
//!
//! - `plan generate PLAN NDJSON BYTES`: a plan of 1,000 events of 30
//!   properties (as YAML at PLAN, and as JSON beside it, PLAN with the
//!   extension `.json`), and about BYTES of NDJSON events it accepts;
//! - `plan load PLAN`: loads and compiles the plan 21 times and prints the
//!   median milliseconds.

use std::time::Instant;

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
        _ => {
            eprintln!("usage: plan generate PLAN NDJSON BYTES | plan load PLAN");
            std::process::exit(2);
        }
    }
}

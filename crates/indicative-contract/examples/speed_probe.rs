//! A quick check of the engine's speed against serde_json's parse-only floor
//! (deserializing into `IgnoredAny`) on one 1 KB event with 25 properties.
//! Issue 6's `cargo xtask bench` is the real, side-by-side benchmark; this
//! probe only keeps the figures quoted while designing the engine
//! reproducible:
//!
//! ```text
//! cargo run --release -p indicative-contract --example speed_probe [PROPERTIES]
//! ```
//!
//! PROPERTIES (25 unless given) sets the event's size: 5 makes it about 300
//! bytes. It prints the median of 5 rounds for each, and their ratio.
//!
//! Each round reads 64 events that differ in their values, each in its own
//! allocation, as the benchmark's corpora are: with one event at one
//! address, the figures moved by several percent from build to build with
//! where the linker had put it.

use std::time::Instant;

use indicative_contract::{LintOptions, Linter, RequestInfo};

fn median_ns(rounds: usize, iterations: usize, mut run: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iterations {
                run();
            }
            start.elapsed().as_secs_f64() * 1e9 / iterations as f64
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[rounds / 2]
}

fn main() {
    let count = std::env::args().nth(1).map_or(Ok(25), |arg| arg.parse::<usize>());
    let Ok(count) = count else {
        eprintln!("usage: speed_probe [PROPERTIES]");
        std::process::exit(2);
    };
    let bodies: Vec<Vec<u8>> = (0..64)
        .map(|n| {
            let properties: Vec<String> =
                (0..count).map(|i| format!("\"property_{i}\":\"value number {} é\"", i * 64 + n)).collect();
            format!(
                r#"{{"apiKey":"3f2a9c7e-5b1d-4e8a-9f6c-2d7b8e1a4c90","eventName":"Checkout Completed","eventUniqueId":"user-{n:06}","eventTime":{},"properties":{{{}}}}}"#,
                1_700_000_000_123_u64 + n as u64 * 1000,
                properties.join(",")
            )
            .into_bytes()
        })
        .collect();
    let mut linter = Linter::new(LintOptions::new(1_700_006_400_000));
    let request = RequestInfo::default();
    for body in &bodies {
        assert!(linter.lint_body(body, &request).diagnostics.is_empty(), "the probe's events must be clean");
    }

    let iterations = 200_000 / bodies.len();
    let per_body = |ns: f64| ns / bodies.len() as f64;
    let ours = per_body(median_ns(5, iterations, || {
        for body in &bodies {
            std::hint::black_box(linter.lint_body(std::hint::black_box(body), &request));
        }
    }));
    let floor = per_body(median_ns(5, iterations, || {
        for body in &bodies {
            let parsed = serde_json::from_slice::<serde::de::IgnoredAny>(std::hint::black_box(body));
            std::hint::black_box(parsed.is_ok());
        }
    }));
    let value = per_body(median_ns(5, iterations, || {
        for body in &bodies {
            let parsed = serde_json::from_slice::<serde_json::Value>(std::hint::black_box(body));
            std::hint::black_box(parsed.is_ok());
        }
    }));
    let bytes = bodies.iter().map(Vec::len).sum::<usize>() / bodies.len();
    println!("{bytes} bytes on average, median of 5 rounds of {iterations} x {}:", bodies.len());
    println!("  lint engine, bytes to report      {ours:7.0} ns");
    println!("  serde_json into IgnoredAny        {floor:7.0} ns   engine / this = {:.2}", ours / floor);
    println!("  serde_json into Value             {value:7.0} ns   this / engine = {:.2}", value / ours);
}

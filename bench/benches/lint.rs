//! Side by side, on the same bytes: (a) the lint engine, bytes to verdict and
//! bytes to full report; (b) the `jsonschema` crate's validator built from
//! the committed schema, from bytes (parse into `Value`, then validate); (c)
//! jsonschema's compile-time validator macro on the same schema, from bytes;
//! (d) `serde_json` into `IgnoredAny`, the parse-only floor; (e) the typed
//! deserialization. On invalid payloads, (b) also renders every error (its
//! message and instance path), like for like with (a)'s full report.
//! `cargo xtask bench` runs this and writes BENCHMARKS.md.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use indicative_bench::corpora;
use indicative_contract::{Batch, Event, LintOptions, Linter, Profile, RequestInfo, RequestKind};

#[jsonschema::validator(path = "../schemas/event.schema.json")]
struct EventSchema;

#[jsonschema::validator(path = "../schemas/batch.schema.json")]
struct BatchSchema;

fn schema(kind: RequestKind) -> jsonschema::Validator {
    let path = format!("{}/../schemas/{}.schema.json", env!("CARGO_MANIFEST_DIR"), kind.name());
    let schema: serde_json::Value = serde_json::from_slice(&std::fs::read(path).expect("schema")).expect("JSON");
    jsonschema::validator_for(&schema).expect("compiles")
}

/// jsonschema's every error in `bytes` (or the parse error), each rendered
/// as its message and instance path: what (a)'s full report does.
fn every_error_rendered(runtime: &jsonschema::Validator, bytes: &[u8]) -> usize {
    match serde_json::from_slice::<serde_json::Value>(bytes) {
        Ok(v) => runtime.iter_errors(&v).map(|e| e.to_string().len() + e.instance_path().to_string().len()).sum(),
        Err(e) => e.to_string().len(),
    }
}

/// What `cargo xtask bench` needs to turn times into ns per event and MB/s.
fn write_metadata() {
    let list: Vec<serde_json::Value> = corpora()
        .iter()
        .map(|c| serde_json::json!({"name": c.name, "bytes": c.bytes(), "events": c.events(), "valid": c.valid}))
        .chain(std::iter::once({
            let file = indicative_bench::ndjson(1 << 20, 7);
            let lines = file.split(|&b| b == b'\n').filter(|l| !l.is_empty()).count();
            serde_json::json!({"name": "ndjson-1pct-invalid", "bytes": file.len(), "events": lines, "valid": false})
        }))
        .collect();
    let dir = format!("{}/target/criterion", env!("CARGO_MANIFEST_DIR"));
    let _ = std::fs::create_dir_all(&dir);
    let _ = std::fs::write(format!("{dir}/corpora.json"), serde_json::to_string_pretty(&list).unwrap_or_default());
}

fn bench(c: &mut Criterion) {
    write_metadata();
    for corpus in corpora() {
        let mut group = c.benchmark_group(corpus.name);
        group.throughput(Throughput::Bytes(corpus.bytes() as u64));
        let info = RequestInfo::of_kind(corpus.kind);
        let docs = &corpus.documents;
        let runtime = schema(corpus.kind);
        let macro_valid = |value: &serde_json::Value| match corpus.kind {
            RequestKind::Batch => BatchSchema::is_valid(value),
            _ => EventSchema::is_valid(value),
        };
        // The verdicts must agree before their speed is compared.
        let mut linter = Linter::new(LintOptions::new(1_700_006_400_000).with_profile(Profile::Strict));
        for doc in docs {
            let ours = !linter.lint_body(doc, &info).has_errors();
            let value: serde_json::Value = serde_json::from_slice(doc).expect("JSON");
            assert_eq!(ours, corpus.valid, "{}", corpus.name);
            assert_eq!(runtime.is_valid(&value), ours, "{}", corpus.name);
            assert_eq!(macro_valid(&value), ours, "{}", corpus.name);
        }

        group.bench_function("a-lint-verdict", |b| {
            b.iter(|| docs.iter().filter(|d| linter.verdict(black_box(d), &info).code() == 200).count())
        });
        group.bench_function("a-lint-report", |b| {
            b.iter(|| docs.iter().map(|d| linter.lint_body(black_box(d), &info).diagnostics.len()).sum::<usize>())
        });
        group.bench_function("b-jsonschema", |b| {
            b.iter(|| {
                docs.iter()
                    .filter(|d| {
                        serde_json::from_slice::<serde_json::Value>(black_box(d)).is_ok_and(|v| runtime.is_valid(&v))
                    })
                    .count()
            })
        });
        if !corpus.valid {
            // Like for like with (a)'s full report: every error, each
            // rendered as its message and the pointer to the value.
            group.bench_function("b-jsonschema-all-errors", |b| {
                b.iter(|| docs.iter().map(|d| every_error_rendered(&runtime, black_box(d))).sum::<usize>())
            });
        }
        group.bench_function("c-jsonschema-macro", |b| {
            b.iter(|| {
                docs.iter()
                    .filter(|d| {
                        serde_json::from_slice::<serde_json::Value>(black_box(d)).is_ok_and(|v| macro_valid(&v))
                    })
                    .count()
            })
        });
        group.bench_function("d-serde-ignored-any", |b| {
            b.iter(|| {
                docs.iter().filter(|d| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(d)).is_ok()).count()
            })
        });
        group.bench_function("e-typed", |b| {
            b.iter(|| match corpus.kind {
                RequestKind::Batch => {
                    docs.iter().filter(|d| serde_json::from_slice::<Batch>(black_box(d)).is_ok()).count()
                }
                _ => docs.iter().filter(|d| serde_json::from_slice::<Event>(black_box(d)).is_ok()).count(),
            })
        });
        group.finish();
    }

    // The NDJSON mix: 1% invalid lines, linted line by line.
    let file = indicative_bench::ndjson(1 << 20, 7);
    let lines: Vec<&[u8]> = file.split(|&b| b == b'\n').filter(|l| !l.is_empty()).collect();
    let mut group = c.benchmark_group("ndjson-1pct-invalid");
    group.throughput(Throughput::Bytes(file.len() as u64));
    let info = RequestInfo::of_kind(RequestKind::Event);
    let mut linter = Linter::new(LintOptions::new(1_700_006_400_000).with_profile(Profile::Strict));
    let runtime = schema(RequestKind::Event);
    group.bench_function("a-lint-report", |b| {
        b.iter(|| lines.iter().map(|l| linter.lint_body(black_box(l), &info).diagnostics.len()).sum::<usize>())
    });
    group.bench_function("b-jsonschema", |b| {
        b.iter(|| {
            lines
                .iter()
                .filter(|l| {
                    serde_json::from_slice::<serde_json::Value>(black_box(l)).is_ok_and(|v| runtime.is_valid(&v))
                })
                .count()
        })
    });
    group.bench_function("b-jsonschema-all-errors", |b| {
        b.iter(|| lines.iter().map(|l| every_error_rendered(&runtime, black_box(l))).sum::<usize>())
    });
    group.bench_function("d-serde-ignored-any", |b| {
        b.iter(|| {
            lines.iter().filter(|l| serde_json::from_slice::<serde::de::IgnoredAny>(black_box(l)).is_ok()).count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! The fuzz targets' committed seeds (`fuzz/seeds/<target>/`) and every
//! input that once made a target fail (`fuzz/regressions/<target>/`),
//! replayed through the same functions on the stable toolchain: each must
//! now hold every invariant.

use std::path::Path;

/// A target's body: it panics when an invariant does not hold.
type Target = fn(&[u8]);

const TARGETS: [(&str, Target); 5] = [
    ("lint_body", indicative_tests::fuzz::lint_body),
    ("lint_query", indicative_tests::fuzz::lint_query),
    ("split", indicative_tests::fuzz::split),
    ("config", indicative_tests::fuzz::config),
    ("plan", indicative_tests::fuzz::plan),
];

fn replay(kind: &str) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz").join(kind);
    let mut count = 0;
    for (target, run) in TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        let mut paths: Vec<_> = entries.map(|e| e.expect("an entry").path()).collect();
        paths.sort();
        for path in paths {
            let data = std::fs::read(&path).expect("an input");
            if let Err(panic) = std::panic::catch_unwind(|| run(&data)) {
                let message = panic.downcast_ref::<String>().cloned().unwrap_or_default();
                panic!("{} fails {target}: {message}", path.display());
            }
            count += 1;
        }
    }
    count
}

#[test]
fn every_input_that_once_failed_now_passes() {
    replay("regressions");
}

#[test]
fn every_seed_passes() {
    assert!(replay("seeds") > 100, "the seeds are missing");
}

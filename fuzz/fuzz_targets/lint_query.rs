//! See `indicative_tests::fuzz::lint_query`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| indicative_tests::fuzz::lint_query(data));

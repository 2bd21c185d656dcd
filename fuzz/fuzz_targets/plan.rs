//! See `indicative_tests::fuzz::plan`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| indicative_tests::fuzz::plan(data));

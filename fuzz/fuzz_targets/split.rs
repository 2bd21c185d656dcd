//! See `indicative_tests::fuzz::split`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| indicative_tests::fuzz::split(data));

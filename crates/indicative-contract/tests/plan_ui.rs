//! Compile-time checks of derives against a tracking plan (the `plan`
//! feature): one case per error in `tests/ui/plan/fail` (with its reviewed
//! `.stderr`), and cases that must compile in `tests/ui/plan/pass`.
//!
//! The cases name their plan with `#[event(plan = "...")]`, relative to the
//! manifest directory of the crate trybuild builds them in,
//! `target/tests/trybuild/indicative-contract`: hence the `../../../../`.

#[test]
fn plan_ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/plan/fail/*.rs");
    cases.pass("tests/ui/plan/pass/*.rs");
}

//! Compile-time errors of the derive macros and `const` constructors: one
//! case per error in `tests/ui/fail` (with its reviewed `.stderr`), and cases
//! that must compile in `tests/ui/pass`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}

/// Without the `plan` feature (CI's derive-only run), naming a plan is an
/// error that names the feature.
#[cfg(not(feature = "plan"))]
#[test]
fn plan_named_without_the_plan_feature() {
    trybuild::TestCases::new().compile_fail("tests/ui/no-plan-feature/*.rs");
}

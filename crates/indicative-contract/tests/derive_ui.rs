//! Compile-time errors of the derive macros and `const` constructors: one
//! case per error in `tests/ui/fail` (with its reviewed `.stderr`), and cases
//! that must compile in `tests/ui/pass`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}

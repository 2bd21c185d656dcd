//! Project tasks, run as `cargo xtask TASK`:
//!
//! - `codegen`: writes the JSON Schemas and OpenAPI documents under `schemas/`
//!   from the Rust models, and the rule catalogue's parts of
//!   `docs/contract.md` and `README.md` from `Rule::ALL`;
//! - `codegen --check`: fails, with a diff, when a generated file or part is
//!   stale, or a file in `schemas/` is written by no generator;
//! - `bench [--quick]`: the benchmarks of BENCHMARKS.md, which it writes;
//!   `bench serve [--quick]` runs only `indicative serve`'s load section,
//!   `bench plan-build [--quick]` only the plan-checked derives' build cost,
//!   `bench plan [--quick]` only the tracking plan's lint cost, `bench scale
//!   [--quick]` only the CLI on 1 GB of NDJSON, `bench forms` only the input
//!   forms against NDJSON;
//! - `fuzz [--seconds N] [--runs R] [--seed S] [--fresh] [TARGET...]`: every fuzz
//!   target for N seconds or R inputs.

mod bench;
mod codegen;
mod docs;
mod fuzz;
mod openapi;
mod plan_build_bench;
mod serve_bench;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["bench"] => bench::bench(false),
        ["bench", "--quick"] => bench::bench(true),
        ["bench", "serve"] => serve_bench::bench(false),
        ["bench", "serve", "--quick"] => serve_bench::bench(true),
        ["bench", "forms"] => bench::forms_bench(),
        ["bench", "scale"] => bench::scale_bench(false),
        ["bench", "scale", "--quick"] => bench::scale_bench(true),
        ["bench", "plan"] => bench::plan_bench(false),
        ["bench", "plan", "--quick"] => bench::plan_bench(true),
        ["bench", "plan-build"] => plan_build_bench::bench(false),
        ["bench", "plan-build", "--quick"] => plan_build_bench::bench(true),
        ["fuzz", rest @ ..] => fuzz::fuzz(rest),
        _ => Err(
            "usage: cargo xtask codegen [--check] | cargo xtask bench [serve | scale | plan | plan-build] [--quick] | cargo xtask bench forms | cargo xtask fuzz [--seconds N] [--runs R] [--seed S] [--fresh] [TARGET...]"
                .to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

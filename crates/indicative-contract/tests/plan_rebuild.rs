//! A crate whose derives name a tracking plan is checked against the plan
//! as it is now, not as it was when the crate was last built: cargo
//! rebuilds the crate when the plan changes (the derive includes the plan's
//! bytes), and the derive's copy of a checked plan (kept between
//! compilations, keyed by the plan's content) is never taken for another
//! version of it.
//!
//! The test builds a small crate of its own in `CARGO_TARGET_TMPDIR`,
//! offline, with this workspace's lockfile, three times: with a plan its
//! event fits, after the plan renamed the event's property (an error), and
//! with the first plan back.

use std::path::Path;
use std::process::Command;

const FITS: &str = "name: Shop\nversion: 1-0-0\npolicy: deny\nevents:\n  Sign Up:\n    properties:\n      plan: { type: string, required: true }\n";

const MAIN: &str = r#"use indicative_contract::TrackEvent;

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "tracking-plan.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
    plan: String,
}

fn main() {
    let event = SignUp { user: "u".into(), plan: "pro".into() };
    let _ = (event.user, event.plan);
}
"#;

/// `cargo build` of the crate in `dir`: whether it built, and its errors.
fn build(dir: &Path) -> (bool, String) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(["build", "--offline", "--quiet", "--color", "never"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .env_remove("RUSTFLAGS")
        .output()
        .expect("cargo runs");
    (output.status.success(), String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn a_changed_plan_is_checked_at_the_next_build() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("plan-rebuild");
    std::fs::create_dir_all(dir.join("src")).expect("a folder");
    let manifest = format!(
        "[package]\nname = \"plan-rebuild\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\nindicative-contract = {{ path = {:?}, default-features = false, features = [\"plan\"] }}\n\n\
         [workspace]\n",
        root.join("crates/indicative-contract").canonicalize().expect("the crate's folder")
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).expect("written");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("the workspace's lockfile");
    std::fs::write(dir.join("src/main.rs"), MAIN).expect("written");
    let plan = dir.join("tracking-plan.yaml");

    std::fs::write(&plan, FITS).expect("written");
    let (built, errors) = build(&dir);
    assert!(built, "the event fits the plan:\n{errors}");

    // The plan renames the property: the crate, untouched, no longer fits.
    std::fs::write(&plan, FITS.replace("      plan:", "      tier:")).expect("written");
    let (built, errors) = build(&dir);
    assert!(!built, "built against the old plan");
    assert!(
        errors.contains(r#"property "plan" is not in the tracking plan for event "Sign Up""#),
        "not the plan's error:\n{errors}"
    );

    // The first plan back: built again, not refused from the last one.
    std::fs::write(&plan, FITS).expect("written");
    let (built, errors) = build(&dir);
    assert!(built, "the first plan is back:\n{errors}");
}

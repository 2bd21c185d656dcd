//! Settings: the config file and the flags, resolved into one place.

use std::path::{Path, PathBuf};

use indicative_contract::{LintOptions, Profile, RequestKind, Rule, Severity};
use serde::Deserialize;

use crate::args::{Deny, LintArgs, ProfileArg};

/// `indicative.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    profile: Option<String>,
    now: Option<toml::Value>,
    kind: Option<String>,
    #[serde(default)]
    deny: Vec<String>,
    #[serde(default)]
    rules: std::collections::BTreeMap<String, String>,
    /// A tracking plan, relative to the config file.
    plan: Option<PathBuf>,
}

/// Everything a lint run needs to know, flags over config over defaults.
#[derive(Debug)]
pub struct Settings {
    pub options: LintOptions,
    pub kind: Option<RequestKind>,
    pub deny_warnings: bool,
    /// The tracking plan to check against, if any.
    pub plan: Option<PathBuf>,
    /// Whether "now" was given (by the flag or the config), rather than read off the clock.
    pub now_fixed: bool,
}

/// Reads the config (given, or found from the working directory upwards)
/// and applies the flags over it.
pub fn resolve(args: &LintArgs) -> Result<Settings, String> {
    let path = match &args.config {
        Some(path) => Some(path.clone()),
        None => find_config(&std::env::current_dir().map_err(|e| format!("cannot read the working directory: {e}"))?),
    };
    let text = match &path {
        Some(path) => Some(std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?),
        None => None,
    };
    resolve_text(args, path.as_deref(), text.as_deref())
}

/// Applies the flags over a config file's `text` (read from `path`).
pub fn resolve_text(args: &LintArgs, path: Option<&Path>, text: Option<&str>) -> Result<Settings, String> {
    let file = match (path, text) {
        (Some(path), Some(text)) => {
            toml::from_str::<ConfigFile>(text).map_err(|e| format!("{}: {e}", path.display()))?
        }
        _ => ConfigFile::default(),
    };
    let at = || path.map_or_else(String::new, |p| format!("{}: ", p.display()));

    let profile = match (args.profile, file.profile.as_deref()) {
        (Some(ProfileArg::Strict), _) => Profile::Strict,
        (Some(ProfileArg::Default), _) => Profile::Default,
        (None, Some(name)) => Profile::parse(name)
            .ok_or_else(|| format!("{}profile must be \"default\" or \"strict\", not {name:?}", at()))?,
        (None, None) => Profile::Default,
    };
    let now = match (&args.now, &file.now) {
        (Some(text), _) => parse_now(text)?,
        (None, Some(toml::Value::Integer(millis))) => within_range(*millis).map_err(|e| format!("{}{e}", at()))?,
        (None, Some(toml::Value::String(text))) => parse_now(text).map_err(|e| format!("{}{e}", at()))?,
        (None, Some(other)) => {
            return Err(format!("{}now must be an RFC 3339 time or Unix milliseconds, not {}", at(), other.type_str()));
        }
        (None, None) => jiff::Timestamp::now().as_millisecond(),
    };
    let mut options = LintOptions::new(now).with_profile(profile);
    if let Some(bytes) = args.max_body_bytes {
        options = options.with_max_body_bytes(bytes);
    }
    for (code, severity) in &file.rules {
        options = set_rule(options, code, severity).map_err(|e| format!("{}[rules] {e}", at()))?;
    }
    for flag in &args.rules {
        let (code, severity) = flag.split_once('=').ok_or_else(|| format!("--rule {flag:?}: write CODE=SEVERITY"))?;
        options = set_rule(options, code.trim(), severity.trim()).map_err(|e| format!("--rule {e}"))?;
    }
    let kind = match (args.kind, file.kind.as_deref()) {
        (Some(kind), _) => Some(kind),
        (None, Some(name)) => {
            Some(RequestKind::from_name(name).ok_or_else(|| format!("{}unknown kind {name:?}", at()))?)
        }
        (None, None) => None,
    };
    for deny in &file.deny {
        if deny != "warnings" {
            return Err(format!("{}deny takes [\"warnings\"], not {deny:?}", at()));
        }
    }
    let deny_warnings = args.deny == Some(Deny::Warnings) || !file.deny.is_empty();
    let plan = args.plan.clone().or_else(|| {
        let relative = file.plan.as_ref()?;
        let dir = path.and_then(Path::parent).unwrap_or(Path::new(""));
        Some(dir.join(relative))
    });
    let now_fixed = args.now.is_some() || file.now.is_some();
    Ok(Settings { options, kind, deny_warnings, plan, now_fixed })
}

fn find_config(start: &Path) -> Option<PathBuf> {
    start.ancestors().map(|dir| dir.join("indicative.toml")).find(|path| path.is_file())
}

/// Reads `--now`: an RFC 3339 time, or Unix milliseconds, from 1970 to the
/// end of 9999 (the times the API takes).
pub fn parse_now(text: &str) -> Result<i64, String> {
    if let Ok(millis) = text.parse::<i64>() {
        return within_range(millis);
    }
    text.parse::<jiff::Timestamp>()
        .map_err(|e| format!("now {text:?} is neither Unix milliseconds nor an RFC 3339 time: {e}"))
        .and_then(|t| within_range(t.as_millisecond()))
}

/// The last millisecond of 9999, UTC.
const LAST_MILLIS: i64 = 253_402_300_799_999;

fn within_range(millis: i64) -> Result<i64, String> {
    if (0..=LAST_MILLIS).contains(&millis) {
        Ok(millis)
    } else {
        Err(format!("now {millis} is outside the times the API takes (1970-01-01 to the end of 9999)"))
    }
}

fn set_rule(options: LintOptions, code: &str, severity: &str) -> Result<LintOptions, String> {
    let Some(rule) = Rule::from_code(code) else {
        let near = crate::commands::did_you_mean_rule(code);
        return Err(format!("unknown rule {code:?}{near} (`indicative rules` lists them)"));
    };
    let severity = Severity::parse(severity)
        .ok_or_else(|| format!("{code}: severity must be off, info, warning or error, not {severity:?}"))?;
    Ok(options.with_severity(rule, severity))
}

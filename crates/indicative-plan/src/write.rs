//! Writing a plan as a plan file: YAML in the order people read it (name,
//! version, policy, groups, events, user properties; each property on one
//! line), which [`Plan::from_text`] reads back into the same plan.

use std::fmt::Write as _;

use crate::{EventSpec, EventStatus, Plan, Policy, PropertySpec};

/// The plan as YAML.
///
/// ```
/// use indicative_plan::{Plan, write::to_yaml};
/// let plan = Plan::from_text("p.yaml", "name: Shop\nversion: 1-0-0\nevents:\n  Sign Up:\n    properties:\n      plan: { type: enum, values: [free, \"pro: yearly\"], required: true }\n")?;
/// let yaml = to_yaml(&plan);
/// assert!(yaml.contains("plan: { type: enum, required: true, values: [free, \"pro: yearly\"] }"), "{yaml}");
/// assert_eq!(Plan::from_text("again.yaml", &yaml)?, plan);
/// # Ok::<(), indicative_plan::PlanErrors>(())
/// ```
#[must_use]
pub fn to_yaml(plan: &Plan) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# yaml-language-server: $schema=https://raw.githubusercontent.com/indicative-contract/indicative-contract/main/schemas/tracking-plan.schema.json"
    );
    let _ = writeln!(out, "name: {}", scalar(&plan.name));
    let _ = writeln!(out, "version: {}", plan.version);
    if let Some(description) = &plan.description {
        let _ = writeln!(out, "description: {}", scalar(description));
    }
    if plan.policy != Policy::default() {
        let _ = writeln!(out, "policy: {}", plan.policy.as_str());
    }
    if !plan.groups.is_empty() {
        let _ = writeln!(out, "\ngroups:");
        for (name, group) in &plan.groups {
            let _ = writeln!(out, "  {}:", scalar(name));
            if let Some(description) = &group.description {
                let _ = writeln!(out, "    description: {}", scalar(description));
            }
            properties(&mut out, "    ", &group.properties);
        }
    }
    if !plan.events.is_empty() {
        let _ = writeln!(out, "\nevents:");
        for (name, event) in &plan.events {
            write_event(&mut out, name, event);
        }
    }
    if !plan.user_properties.is_empty() {
        let _ = writeln!(out, "\nuserProperties:");
        for (name, spec) in &plan.user_properties {
            let _ = writeln!(out, "  {}: {}", scalar(name), property(spec));
        }
    }
    out
}

fn write_event(out: &mut String, name: &str, event: &EventSpec) {
    if *event == EventSpec::default() {
        let _ = writeln!(out, "  {}: {{}}", scalar(name));
        return;
    }
    let _ = writeln!(out, "  {}:", scalar(name));
    if let Some(description) = &event.description {
        let _ = writeln!(out, "    description: {}", scalar(description));
    }
    if let Some(owner) = &event.owner {
        let _ = writeln!(out, "    owner: {}", scalar(owner));
    }
    if event.status != EventStatus::default() {
        let _ = writeln!(out, "    status: {}", event.status.as_str());
    }
    if let Some(sunset) = event.sunset {
        let _ = writeln!(out, "    sunset: {sunset}");
    }
    if !event.include.is_empty() {
        let _ = writeln!(out, "    include: {}", list(&event.include));
    }
    if let Some(policy) = event.policy {
        let _ = writeln!(out, "    policy: {}", policy.as_str());
    }
    properties(out, "    ", &event.properties);
}

fn properties(out: &mut String, indent: &str, properties: &std::collections::BTreeMap<String, PropertySpec>) {
    if properties.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}properties:");
    for (name, spec) in properties {
        let _ = writeln!(out, "{indent}  {}: {}", scalar(name), property(spec));
    }
}

/// One property as a flow mapping on one line.
fn property(spec: &PropertySpec) -> String {
    let mut parts = vec![format!("type: {}", spec.kind.as_str())];
    if spec.required {
        parts.push("required: true".into());
    }
    if !spec.values.is_empty() {
        parts.push(format!("values: {}", list(&spec.values)));
    }
    if let Some(pattern) = &spec.pattern {
        parts.push(format!("pattern: {}", quoted(pattern)));
    }
    for (key, bound) in [("min", spec.min), ("max", spec.max)] {
        if let Some(bound) = bound {
            parts.push(format!("{key}: {bound}"));
        }
    }
    for (key, bound) in [("minLength", spec.min_length), ("maxLength", spec.max_length)] {
        if let Some(bound) = bound {
            parts.push(format!("{key}: {bound}"));
        }
    }
    if let Some(description) = &spec.description {
        parts.push(format!("description: {}", quoted(description)));
    }
    if !spec.examples.is_empty() {
        parts.push(format!("examples: {}", list(&spec.examples)));
    }
    format!("{{ {} }}", parts.join(", "))
}

fn list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|item| scalar(item)).collect();
    format!("[{}]", items.join(", "))
}

/// A text as a YAML scalar: plain when YAML (in block and flow context)
/// reads it back as the same string, double-quoted (JSON escapes, which
/// YAML shares) otherwise.
fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.' | '/' | '(' | ')'))
        && text.starts_with(|c: char| c.is_alphabetic())
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !matches!(
            text.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "null" | "y" | "n" | "nan" | "inf"
        );
    if plain { text.to_owned() } else { quoted(text) }
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_else(|_| format!("{text:?}"))
}

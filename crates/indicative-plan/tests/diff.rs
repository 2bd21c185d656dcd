//! The classification of every kind of change between two plans, and the
//! verdict on the version bump.

use indicative_plan::Plan;
use indicative_plan::diff::{Bump, diff};

const BASE: &str = r#"
name: P
version: 2-3-4
policy: warn
groups:
  cart:
    properties:
      cart_id: { type: string, required: true }
events:
  A:
    include: [cart]
    properties:
      kind: { type: enum, values: [x, y] }
      count: { type: integer, min: 0, max: 10 }
      code: { type: string, pattern: "^[a-z]+$", maxLength: 8 }
      flag: { type: boolean }
  B: {}
userProperties:
  tier: { type: enum, values: [free, pro] }
"#;

fn plan(text: &str) -> Plan {
    Plan::from_text("p.yaml", text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

/// Each edit of the base plan (a `from` → `to` replacement), the change it
/// makes, and the bump that change needs.
const TABLE: &[(&str, &str, &str, Bump)] = &[
    ("  B: {}\n", "", "event `B` removed", Bump::Model),
    ("  B: {}\n", "  B: {}\n  C: {}\n", "event `C` added", Bump::Addition),
    ("      flag: { type: boolean }\n", "", "property `flag` removed", Bump::Model),
    (
        "      flag: { type: boolean }\n",
        "      flag: { type: boolean }\n      note: { type: string }\n",
        "optional property `note` added",
        Bump::Addition,
    ),
    (
        "      flag: { type: boolean }\n",
        "      flag: { type: boolean }\n      note: { type: string, required: true }\n",
        "required property `note` added",
        Bump::Model,
    ),
    ("flag: { type: boolean }", "flag: { type: boolean, required: true }", "made required", Bump::Model),
    ("cart_id: { type: string, required: true }", "cart_id: { type: string }", "made optional", Bump::Revision),
    (
        "count: { type: integer, min: 0, max: 10 }",
        "count: { type: number, min: 0, max: 10 }",
        "type integer → number",
        Bump::Revision,
    ),
    ("flag: { type: boolean }", "flag: { type: string }", "type boolean → string", Bump::Revision),
    ("flag: { type: boolean }", "flag: { type: integer }", "type boolean → integer", Bump::Model),
    ("values: [x, y]", "values: [x]", "enum value `y` removed", Bump::Model),
    ("values: [x, y]", "values: [x, y, z]", "enum value `z` added", Bump::Revision),
    ("min: 0, max: 10", "min: 1, max: 10", "min 0 → 1", Bump::Model),
    ("min: 0, max: 10", "min: 0, max: 20", "max 10 → 20", Bump::Revision),
    ("min: 0, max: 10", "max: 10", "min 0 → none", Bump::Revision),
    ("maxLength: 8", "maxLength: 4", "maxLength 8 → 4", Bump::Model),
    ("pattern: \"^[a-z]+$\", ", "", "pattern `^[a-z]+$` → none", Bump::Revision),
    ("pattern: \"^[a-z]+$\"", "pattern: \"^[a-z]*$\"", "pattern `^[a-z]+$` → `^[a-z]*$`", Bump::Model),
    ("policy: warn", "policy: deny", "policy warn → deny", Bump::Model),
    ("name: P", "name: Q", "the plan's name `P` → `Q`", Bump::Addition),
    ("policy: warn", "policy: allow", "policy warn → allow", Bump::Revision),
    ("  B: {}\n", "  B:\n    status: deprecated\n", "status active → deprecated", Bump::Revision),
    ("  B: {}\n", "  B:\n    description: Something.\n", "description or owner changed", Bump::Addition),
    (
        "tier: { type: enum, values: [free, pro] }",
        "tier: { type: enum, values: [free] }",
        "enum value `pro` removed",
        Bump::Model,
    ),
    (
        "cart_id: { type: string, required: true }",
        "cart_id: { type: integer, required: true }",
        "type string → integer",
        Bump::Model,
    ),
];

#[test]
fn every_kind_of_change_is_classed() {
    let base = plan(BASE);
    for (from, to, message, bump) in TABLE {
        assert!(BASE.contains(from), "the table's edit {from:?} must apply");
        let changed = plan(&BASE.replacen(from, to, 1));
        let d = diff(&base, &changed);
        assert_eq!(d.changes.len(), 1, "{from:?} → {to:?}: {:?}", d.changes);
        assert_eq!((d.changes[0].message.as_str(), d.changes[0].bump), (*message, *bump), "{from:?} → {to:?}");
        assert_eq!(d.needed, *bump);
    }
    assert!(diff(&base, &base).changes.is_empty());
}

/// A type widened while constraints are added or tightened: data sent
/// before may fail, so MODEL, whatever the type's own change needs.
#[test]
fn constraints_are_compared_across_a_type_change() {
    let base = plan(BASE);
    for (from, to, expected) in [
        (
            "count: { type: integer, min: 0, max: 10 }",
            "count: { type: number, min: 5, max: 6 }",
            &[("type integer → number", Bump::Revision), ("min 0 → 5", Bump::Model), ("max 10 → 6", Bump::Model)][..],
        ),
        (
            "kind: { type: enum, values: [x, y] }",
            "kind: { type: string, pattern: \"^X$\", maxLength: 2 }",
            &[
                ("type enum → string", Bump::Revision),
                ("pattern none → `^X$`", Bump::Model),
                ("maxLength none → 2", Bump::Model),
            ],
        ),
        (
            "code: { type: string, pattern: \"^[a-z]+$\", maxLength: 8 }",
            "code: { type: integer }",
            &[
                ("type string → integer", Bump::Model),
                ("pattern `^[a-z]+$` → none", Bump::Revision),
                ("maxLength 8 → none", Bump::Revision),
            ],
        ),
    ] {
        let d = diff(&base, &plan(&BASE.replacen(from, to, 1)));
        let found: Vec<(&str, Bump)> = d.changes.iter().map(|c| (c.message.as_str(), c.bump)).collect();
        assert_eq!(found, expected, "{from} → {to}");
        assert_eq!(d.needed, Bump::Model, "{from} → {to}");
    }
}

#[test]
fn a_group_change_shows_in_every_event_that_includes_it() {
    let base = plan(BASE);
    let changed = plan(&BASE.replace(
        "cart_id: { type: string, required: true }",
        "cart_id: { type: string, required: true, maxLength: 4 }",
    ));
    let d = diff(&base, &changed);
    assert_eq!(d.changes[0].place, "events.A.properties.cart_id");
}

#[test]
fn the_bump_must_cover_the_changes() {
    let base = plan(BASE);
    let edit = |version: &str, from: &str, to: &str| {
        plan(&BASE.replacen("version: 2-3-4", &format!("version: {version}"), 1).replacen(from, to, 1))
    };
    let removed = ("  B: {}\n", "");
    for (version, enough) in [("3-0-0", true), ("2-4-0", false), ("2-3-5", false), ("2-3-4", false), ("1-9-9", false)] {
        let d = diff(&base, &edit(version, removed.0, removed.1));
        assert_eq!(d.bump_is_enough(), enough, "{version}");
    }
    let added = ("  B: {}\n", "  B: {}\n  C: {}\n");
    for (version, enough) in [("2-3-5", true), ("2-4-0", true), ("2-3-4", false)] {
        assert_eq!(diff(&base, &edit(version, added.0, added.1)).bump_is_enough(), enough, "{version}");
    }
    // No change needs no bump, but a version never goes backwards.
    assert!(diff(&base, &base).bump_is_enough());
    let back = diff(&base, &edit("1-9-9", "", ""));
    assert!(back.changes.is_empty() && back.backwards && !back.bump_is_enough());
}

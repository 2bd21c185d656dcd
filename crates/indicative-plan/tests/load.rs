//! Loading a plan: every mistake of docs/tracking-plans.md's "Checked when
//! loaded", each at its line and column; sound plans load whole.

use indicative_plan::{Plan, PropertyType};

/// Plans with one kind of mistake each (besides the ones named), and what
/// the loader says.
const CASES: &[(&str, &str)] = &[
    ("not YAML", "name: P\nversion: 1-0-0\nevents: [\n"),
    ("not a mapping", "- a\n- b\n"),
    ("a key given twice", "name: P\nversion: 1-0-0\nname: Q\n"),
    (
        "keys given twice, escapes a plan may not hold, and what else is wrong",
        "{\"name\": \"P\", \"version\": \"1-0-0\", \"events\": {\"A\": {}, \"A\": {\"owner\": \"x\", \"owner\": \"y\"},\n\"E\\u0007\": {}, \"F\\u001b\": {\"properties\": {\"p\": {\"type\": \"strin\"}}}}}\n",
    ),
    ("no name, no version", "events: {}\n"),
    ("a bad version", "name: P\nversion: 1.2.0\n"),
    ("a version with a leading zero", "name: P\nversion: 1-02-0\n"),
    ("unknown keys with suggestions", "name: P\nversion: 1-0-0\nevnts: {}\nuser_properties: {}\n"),
    ("a wrong shape", "name: P\nversion: 1-0-0\nevents: [a, b]\n"),
    ("an unknown policy", "name: P\nversion: 1-0-0\npolicy: deney\n"),
    ("an empty event name", "name: P\nversion: 1-0-0\nevents:\n  \"\": {}\n"),
    (
        "names that differ in case or white space",
        "name: P\nversion: 1-0-0\nevents:\n  Sign Up: {}\n  sign up: {}\n  \"Sign Up \": {}\n  SignUp: {}\n",
    ),
    (
        "an unknown status and a sunset on an active event",
        "name: P\nversion: 1-0-0\nevents:\n  E:\n    status: retired\n  F:\n    sunset: 2025-01-01\n  G:\n    status: deprecated\n    sunset: soon\n",
    ),
    (
        "a missing group",
        "name: P\nversion: 1-0-0\ngroups:\n  cart:\n    properties: {}\nevents:\n  E:\n    include: [crt]\n",
    ),
    (
        "a property in an event and its group",
        "name: P\nversion: 1-0-0\ngroups:\n  cart:\n    properties:\n      cart_id: { type: string }\nevents:\n  E:\n    include: [cart]\n    properties:\n      Cart_ID: { type: string }\n",
    ),
    (
        "two groups defining one property",
        "name: P\nversion: 1-0-0\ngroups:\n  a:\n    properties:\n      x: { type: string }\n  b:\n    properties:\n      x: { type: integer }\nevents:\n  E:\n    include: [a, b]\n",
    ),
    (
        "a group included twice",
        "name: P\nversion: 1-0-0\ngroups:\n  a:\n    properties:\n      x: { type: string }\nevents:\n  E:\n    include: [a, a]\n",
    ),
    (
        "property mistakes",
        "name: P\nversion: 1-0-0\nevents:\n  E:\n    properties:\n      a: { type: text }\n      b: { required: true }\n      c: { type: enum }\n      d: { type: string, values: [x] }\n      e: { type: string, pattern: \"[unclosed\" }\n      f: { type: integer, min: 10, max: 1 }\n      g: { type: string, minLength: 5, maxLength: 2 }\n      h: { type: string, maxLength: 300 }\n      i: { type: integer, maxLength: 3 }\n      j: { type: boolean, required: yes }\n      k: { type: number, min: ten }\n      l: ~\n",
    ),
    (
        "enum values repeated or differing in case",
        "name: P\nversion: 1-0-0\nevents:\n  E:\n    properties:\n      p: { type: enum, values: [USD, usd, EUR, EUR] }\n",
    ),
    (
        "a name over 255 characters",
        "name: P\nversion: 1-0-0\nevents:\n  E:\n    properties:\n      p: { type: enum, values: [\"VVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVVV\"] }\n",
    ),
    (
        "values left empty, each at its key",
        "name: P\nversion:\nevents:\n  E:\n    properties:\n      d:\n      e: { type: string }\n      f:\n# the end\n\n",
    ),
    (
        "bounds a float does not hold",
        "name: P\nversion: 1-0-0\nevents:\n  E:\n    properties:\n      i: { type: integer, max: 9007199254740993 }\n      n: { type: number, min: 0.1, max: 10.0000000000000000001 }\n",
    ),
    (
        "bounds a float does not hold, in JSON",
        "{\"name\": \"P\", \"version\": \"1-0-0\", \"events\": {\"E\": {\"properties\": {\"i\": {\"type\": \"integer\", \"min\": -9223372036854775808, \"max\": 9223372036854775807}}}}}\n",
    ),
    ("anchors and aliases", "name: P\nversion: 1-0-0\ngroups: &g {}\nevents: *g\n"),
    (
        "JSON with a mistake",
        "{\"name\": \"P\", \"version\": \"1-0-0\", \"events\": {\"E\": {\"properties\": {\"p\": {\"type\": \"integr\"}}}}}\n",
    ),
];

#[test]
fn every_mistake_is_reported_where_it_is() {
    let mut shown = String::new();
    for (name, text) in CASES {
        let errors = Plan::from_text("plan.yaml", text).expect_err(name);
        shown.push_str(&format!("## {name}\n"));
        for error in errors.iter() {
            assert!(error.line >= 1 && error.column >= 1, "{name}: {error}");
            shown.push_str(&format!("{error}\n"));
        }
        shown.push('\n');
    }
    insta::assert_snapshot!(shown);
}

#[test]
fn nesting_is_bounded_before_the_parser_recurses() {
    for text in ["a: ".to_owned() + &"[".repeat(100_000), "a: ".to_owned() + &"{b: ".repeat(50_000)] {
        let errors = Plan::from_text("deep.yaml", &text).expect_err("too deep");
        let text = errors.to_string();
        assert!(text.contains("nesting deeper than 64 levels") || text.contains("recursion limit exceeded"), "{text}");
    }
    let block: String = (0..200).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    assert!(Plan::from_text("deep.yaml", &block).is_err());
}

#[test]
fn a_sound_plan_loads_whole() {
    let plan = Plan::load(std::path::Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/plans/tracking-plan.yaml"
    )))
    .expect("the example plan is sound");
    assert_eq!(plan.name, "Acme Shop");
    assert_eq!(plan.version.to_string(), "2-1-0");
    assert_eq!(plan.events.len(), 14);
    let checkout = &plan.events["Checkout Completed"];
    assert_eq!(checkout.include, ["cart"]);
    let folded: Vec<&str> = plan.properties_of(checkout).map(|(name, _)| name).collect();
    assert!(folded.contains(&"cart_id") && folded.contains(&"order_id"), "{folded:?}");
    assert_eq!(checkout.properties["paid_at"].kind, PropertyType::Datetime);
    assert_eq!(plan.events["Order Placed"].sunset.map(|d| d.to_string()).as_deref(), Some("2024-09-30"));
    assert_eq!(plan.user_properties["seats"].min, Some(1.0));
}

#[test]
fn json_and_yaml_load_the_same_plan() {
    let yaml = "name: P\nversion: 1-0-0\nevents:\n  E:\n    properties:\n      p: { type: enum, values: [a, \"b c\"], required: true }\n";
    let json = r#"{"$schema": "../schemas/tracking-plan.schema.json", "name": "P", "version": "1-0-0",
        "events": {"E": {"properties": {"p": {"type": "enum", "values": ["a", "b c"], "required": true}}}}}"#;
    assert_eq!(Plan::from_text("p.yaml", yaml).expect("yaml"), Plan::from_text("p.json", json).expect("json"));
}

#[test]
fn a_type_left_empty_is_reported_not_dropped() {
    let text = "name: P\nversion: 1-0-0\nevents:\n  E:\n    properties:\n      p: { type: ~ }\n      q:\n        type:\n        required: true\n";
    let errors = Plan::from_text("p.yaml", text).expect_err("two properties without a type");
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "p.yaml:6:12: property `p` has no `type` (one of string, integer, number, boolean, datetime, enum)",
            "p.yaml:8:9: property `q` has no `type` (one of string, integer, number, boolean, datetime, enum)",
        ]
    );
}

/// A plan holds printable characters, tab and line breaks aside, as YAML
/// says: raw (which the parser lets through in a plain key), or from an
/// escape, in YAML or JSON. Such a plan could not be written back.
#[test]
fn characters_yaml_does_not_allow_are_refused_where_they_are() {
    let yaml = |events: &str| format!("name: P\nversion: 1-0-0\nevents:\n{events}");
    for (text, expected) in [
        (
            yaml("  E:\n    properties:\n      \u{6}x: { type: string }\n"),
            "p.yaml:6:7: not valid YAML or JSON: U+0006 is not a printable character; a plan holds none but tab and line breaks",
        ),
        (
            yaml("  \"E\u{7f}\": {}\n"),
            "p.yaml:4:5: not valid YAML or JSON: U+007F is not a printable character; a plan holds none but tab and line breaks",
        ),
        (
            yaml("  E:\n    description: \"ring \\a\"\n"),
            "p.yaml:5:18: U+0007 is not a printable character; a plan holds none but tab and line breaks (write the value without the escape)",
        ),
        (
            r#"{"name": "P", "version": "1-0-0", "events": {"E\u0007": {}}}"#.to_owned(),
            "p.yaml:1:46: U+0007 is not a printable character; a plan holds none but tab and line breaks (write the value without the escape)",
        ),
        (
            r#"{"name": "P", "version": "1-0-0", "events": {"E\b": {}}}"#.to_owned(),
            "p.yaml:1:46: U+0008 is not a printable character; a plan holds none but tab and line breaks (write the value without the escape)",
        ),
        (
            yaml("  E:\n    properties: { p: { type: string, pattern\u{feff}^/\", x: 1 } }\n"),
            "p.yaml:5:45: not valid YAML or JSON: U+FEFF (a byte order mark) stands only at the start of a plan file",
        ),
        (
            yaml("  \"E\\uFEFF\": {}\n"),
            "p.yaml:4:3: U+FEFF (a byte order mark) stands only at the start of a plan file (write the value without the escape)",
        ),
    ] {
        let errors = Plan::from_text("p.yaml", &text).expect_err(&text);
        assert_eq!(errors.to_string(), expected, "{text:?}");
    }
    // A byte order mark at the start is read past.
    assert!(Plan::from_text("p.yaml", &format!("\u{feff}{}", yaml("  E: {}\n"))).is_ok());
    // Tab, line breaks, and every other character are read.
    let plan = Plan::from_text("p.yaml", &yaml("  \"E\\tF\\nG \u{85}\u{202e}\": {}\n")).expect("printable");
    assert!(plan.events.contains_key("E\tF\nG \u{85}\u{202e}"));
}

/// What the JSON way used to read past, the slow way reports: each is an
/// error, wherever the plan is read from.
#[test]
fn every_way_in_refuses_the_same() {
    for (text, expected) in [
        (
            r#"{"$schema": "\u0007", "name": "P", "version": "1-0-0"}"#.to_owned(),
            "p.yaml:1:13: U+0007 is not a printable character; a plan holds none but tab and line breaks (write the value without the escape)",
        ),
        (
            r#"{"name": "P", "version": "1-0-0", "events": {"E": {"properties": {"p": {"type": "number", "min": null}}}}}"#
                .to_owned(),
            "p.yaml:1:98: `min` is `null`, not a number (a finite number written as JSON writes one, such as 0.5, -2 or 1e3)",
        ),
        (
            // JSON takes a tab after `:`; yaml-rust2, which the slow way
            // reads with, refused it, so the mistake went unsaid.
            "{\n\t\"name\":\t12,\n\t\"version\":\t\"1-0-0\",\n\t\"events\":\t{\"E\": {\"properties\": {\"p\": {\"type\":\t\"integr\"}}}}\n}\n"
                .to_owned(),
            "p.yaml:4:48: `type` is `integr`; it is one of string, integer, number, boolean, datetime, enum (did you mean `integer`?)",
        ),
        (
            "\u{feff}\u{feff}name: P\nversion: 1-0-0\n".to_owned(),
            "p.yaml:1:1: not valid YAML or JSON: U+FEFF (a byte order mark) stands only at the start of a plan file",
        ),
        (
            "name: P\nversion: 1-0-0\n---\n[\n".to_owned(),
            "p.yaml:3:1: a plan file holds one document (remove the `---` and what follows it)",
        ),
    ] {
        let errors = Plan::from_text("p.yaml", &text).expect_err(&text);
        assert_eq!(errors.to_string(), expected, "{text:?}");
    }
    // Deep block nesting is refused, not followed down the stack.
    let deep = format!("name: P\nversion: 1-0-0\nevents:\n  {}x\n", "- ".repeat(100_000));
    let errors = Plan::from_text("deep.yaml", &deep).expect_err("too deep").to_string();
    assert!(errors.contains("nesting deeper than 64 levels"), "{errors}");
}

/// `required` takes YAML 1.2's booleans written plain, in any of their
/// spellings; quoted, it is text, and the message says so.
#[test]
fn booleans_are_yaml_1_2_s() {
    let plan = |required: &str| {
        format!(
            "name: P\nversion: 1-0-0\nevents:\n  E:\n    properties:\n      p: {{ type: string, required: {required} }}\n"
        )
    };
    for (written, expected) in [("True", true), ("TRUE", true), ("false", false), ("False", false)] {
        let loaded = Plan::from_text("p.yaml", &plan(written)).unwrap_or_else(|e| panic!("{written}: {e}"));
        assert_eq!(loaded.events["E"].properties["p"].required, expected, "{written}");
    }
    let errors = Plan::from_text("p.yaml", &plan("\"true\"")).expect_err("quoted");
    assert_eq!(
        errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        ["p.yaml:6:36: `required` is the text \"true\"; it is true or false (write it without quotes)"]
    );
}

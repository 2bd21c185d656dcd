//! Imports of other tools' plans (mParticle, Segment, JSON Schema) from
//! fixtures written after their documented formats, and exports of ours:
//! the round trips, and the exported schemas checked by a JSON Schema
//! validator against good and bad payloads.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indicative_plan::export;
use indicative_plan::import::{ImportError, Imported, Source, import, import_text};
use indicative_plan::{EventSpec, EventStatus, Plan, Policy, PropertySpec, PropertyType};
use serde_json::{Value, json};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path)
}

fn imported(source: Source, path: &str) -> Imported {
    match import(source, &fixture(path)) {
        Ok(imported) => imported,
        Err(error) => panic!("{path} does not import: {error}"),
    }
}

/// The notes, as (place after the `#`, message).
fn notes(imported: &Imported) -> Vec<(&str, &str)> {
    imported
        .notes
        .iter()
        .map(|note| (note.place.split_once('#').map_or(note.place.as_str(), |(_, at)| at), note.message.as_str()))
        .collect()
}

/// The places noted, after the `#`.
fn noted_places(imported: &Imported) -> BTreeSet<&str> {
    notes(imported).into_iter().map(|(place, _)| place).collect()
}

/// Asserts that a note at `place` says `words`.
fn assert_noted(imported: &Imported, place: &str, words: &str) {
    let found = notes(imported).into_iter().any(|(at, message)| at == place && message.contains(words));
    assert!(found, "no note at {place} saying {words:?}; the notes:\n{:#?}", imported.notes);
}

fn spec(kind: PropertyType) -> PropertySpec {
    PropertySpec::of(kind)
}

fn enumeration(values: &[&str]) -> PropertySpec {
    PropertySpec { values: values.iter().map(|v| (*v).to_owned()).collect(), ..spec(PropertyType::Enum) }
}

/// An imported plan is a plan the loader accepts as it is: written in the
/// plan file's shape (JSON), it loads back the same.
fn assert_loadable(plan: &Plan) {
    let text = serde_json::to_string_pretty(plan).expect("a plan serializes");
    match Plan::from_text("imported.json", &text) {
        Ok(loaded) => assert_eq!(&loaded, plan),
        Err(errors) => panic!("the imported plan does not load:\n{errors}\n{text}"),
    }
}

const DATA_POINTS: &str = "/data_plan_versions/1/version_document/data_points";
const ATTRIBUTES: &str = "validator/definition/properties/data/properties/custom_attributes";

#[test]
fn mparticle_data_plan_imports_its_custom_events_and_user_attributes() {
    let imported = imported(Source::Mparticle, "mparticle/shop-data-plan.json");
    let plan = &imported.plan;
    assert_eq!(plan.name, "Shop Web");
    assert_eq!(plan.version.to_string(), "2-0-0");
    assert_eq!(plan.description.as_deref(), Some("What the web shop sends."));
    assert_eq!(plan.events.keys().collect::<Vec<_>>(), ["Checkout Completed", "Product Viewed", "Search"]);

    let checkout = &plan.events["Checkout Completed"];
    assert_eq!(checkout.description.as_deref(), Some("The order was paid."));
    assert_eq!(checkout.policy, Some(Policy::Deny));
    let expected: BTreeMap<String, PropertySpec> = [
        (
            "order_id",
            PropertySpec {
                required: true,
                description: Some("Our order number.".into()),
                examples: vec!["o-000042".into()],
                pattern: Some("^o-[0-9]{6}$".into()),
                ..spec(PropertyType::String)
            },
        ),
        ("total", PropertySpec { required: true, min: Some(0.0), ..spec(PropertyType::Number) }),
        ("currency", PropertySpec { required: true, ..enumeration(&["USD", "EUR", "GBP"]) }),
        ("coupon", PropertySpec { max_length: Some(32), ..spec(PropertyType::String) }),
        ("placed_at", spec(PropertyType::Datetime)),
    ]
    .into_iter()
    .map(|(name, spec)| (name.to_owned(), spec))
    .collect();
    assert_eq!(checkout.properties, expected);

    let viewed = &plan.events["Product Viewed"];
    assert_eq!(viewed.policy, Some(Policy::Allow));
    assert_eq!(
        viewed.properties["sku"],
        PropertySpec { required: true, min_length: Some(3), max_length: Some(40), ..spec(PropertyType::String) }
    );
    assert_eq!(viewed.properties["price"], PropertySpec { min: Some(0.0), ..spec(PropertyType::Number) });
    assert_eq!(
        viewed.properties["quantity"],
        PropertySpec { min: Some(1.0), max: Some(99.0), ..spec(PropertyType::Integer) }
    );
    assert_eq!(viewed.properties["on_sale"], spec(PropertyType::Boolean));
    assert_eq!(viewed.properties["review"].max_length, Some(255));

    let search = &plan.events["Search"];
    assert_eq!(search.description, None);
    assert_eq!(search.policy, None);
    assert_eq!(search.properties.keys().collect::<Vec<_>>(), ["query", "results"]);

    assert_eq!(plan.user_properties["plan"], enumeration(&["free", "pro", "enterprise"]));
    assert_eq!(plan.user_properties["$Age"], PropertySpec { min: Some(13.0), ..spec(PropertyType::Integer) });
    assert_eq!(plan.user_properties["email"], spec(PropertyType::String));
    assert_eq!(plan.user_properties["signed_up_at"], spec(PropertyType::Datetime));

    // Every place that did not come across as it was is noted, and only those.
    let checkout_at = format!("{DATA_POINTS}/0");
    let viewed_at = format!("{DATA_POINTS}/1");
    let search_at = format!("{DATA_POINTS}/2");
    let expected: BTreeSet<String> = [
        "/data_plan_versions".to_owned(),
        format!("{checkout_at}/match/criteria/custom_event_type"),
        format!("{checkout_at}/{ATTRIBUTES}/properties/shipping_address"),
        format!("{checkout_at}/{ATTRIBUTES}/properties/items"),
        format!("{checkout_at}/{ATTRIBUTES}/required/3"),
        format!("{viewed_at}/match/criteria/custom_event_type"),
        format!("{viewed_at}/validator/definition/properties/data/properties/custom_flags"),
        format!("{viewed_at}/{ATTRIBUTES}/properties/price/exclusiveMinimum"),
        format!("{viewed_at}/{ATTRIBUTES}/properties/quantity/exclusiveMinimum"),
        format!("{viewed_at}/{ATTRIBUTES}/properties/review/maxLength"),
        format!("{search_at}/match/criteria/custom_event_type"),
        format!("{search_at}/{ATTRIBUTES}/properties/filter"),
        format!("{DATA_POINTS}/3"),
        format!("{DATA_POINTS}/4"),
        format!("{DATA_POINTS}/5/validator/definition/properties/email/format"),
        format!("{DATA_POINTS}/5/validator/definition/additionalProperties"),
    ]
    .into_iter()
    .collect();
    assert_eq!(noted_places(&imported), expected.iter().map(String::as_str).collect());
    assert_noted(&imported, "/data_plan_versions", "version 2, the highest, is imported");
    assert_noted(
        &imported,
        &format!("{checkout_at}/match/criteria/custom_event_type"),
        "\"transaction\" has no counterpart",
    );
    assert_noted(&imported, &format!("{checkout_at}/{ATTRIBUTES}/properties/shipping_address"), "a nested object");
    assert_noted(&imported, &format!("{checkout_at}/{ATTRIBUTES}/properties/items"), "a nested array");
    assert_noted(&imported, &format!("{checkout_at}/{ATTRIBUTES}/required/3"), "`coupon` is required but may be null");
    assert_noted(&imported, &format!("{viewed_at}/{ATTRIBUTES}/properties/price/exclusiveMinimum"), "approximated");
    assert_noted(&imported, &format!("{viewed_at}/{ATTRIBUTES}/properties/quantity/exclusiveMinimum"), "as min 1");
    assert_noted(&imported, &format!("{viewed_at}/{ATTRIBUTES}/properties/review/maxLength"), "cut to 255");
    assert_noted(&imported, &format!("{search_at}/{ATTRIBUTES}/properties/filter"), "`anyOf`");
    assert_noted(&imported, &format!("{DATA_POINTS}/3"), "a `screen_view` data point");
    assert_noted(&imported, &format!("{DATA_POINTS}/4"), "a `product_action` data point");
    assert_noted(
        &imported,
        &format!("{DATA_POINTS}/5/validator/definition/properties/email/format"),
        "\"email\" is not checked",
    );
    assert_eq!(imported.notes[0].place, "shop-data-plan.json#/data_plan_versions");
    assert_loadable(plan);
}

#[test]
fn segment_public_api_rules_import_track_and_identify() {
    let imported = imported(Source::Segment, "segment/acme-rules.json");
    let plan = &imported.plan;
    assert_eq!(plan.name, "acme-rules");
    assert_eq!(plan.version.to_string(), "1-0-0");
    assert_eq!(plan.events.keys().collect::<Vec<_>>(), ["Order Completed", "Signed Up"]);

    let order = &plan.events["Order Completed"];
    assert_eq!(order.description.as_deref(), Some("A customer paid for an order."));
    assert_eq!(order.status, EventStatus::Active);
    assert_eq!(
        order.properties["order_id"],
        PropertySpec { required: true, pattern: Some("^[A-Z]{2}-[0-9]+$".into()), ..spec(PropertyType::String) }
    );
    assert_eq!(
        order.properties["revenue"],
        PropertySpec {
            required: true,
            min: Some(0.0),
            description: Some("In the order's currency.".into()),
            ..spec(PropertyType::Number)
        }
    );
    // An enum with null, a nullable required integer, a schema without type.
    assert_eq!(order.properties["currency"], enumeration(&["USD", "EUR"]));
    assert_eq!(order.properties["items_count"], PropertySpec { min: Some(1.0), ..spec(PropertyType::Integer) });
    assert_eq!(order.properties["coupon"], spec(PropertyType::String));
    assert_eq!(order.properties["gift"], spec(PropertyType::Boolean));
    assert!(!order.properties.contains_key("products"));

    let signed_up = &plan.events["Signed Up"];
    assert_eq!(signed_up.status, EventStatus::Deprecated);
    assert_eq!(signed_up.sunset, None);
    assert_eq!(signed_up.policy, Some(Policy::Deny));
    assert_eq!(
        signed_up.properties["method"],
        PropertySpec { required: true, ..enumeration(&["email", "google", "apple"]) }
    );
    assert_eq!(signed_up.properties["referrer"], spec(PropertyType::String));

    assert_eq!(plan.user_properties.keys().collect::<Vec<_>>(), ["age", "created_at", "email", "plan"]);
    assert!(plan.user_properties["email"].required);
    assert_eq!(plan.user_properties["plan"], enumeration(&["free", "team", "business"]));
    assert_eq!(plan.user_properties["age"], PropertySpec { min: Some(13.0), ..spec(PropertyType::Integer) });
    assert_eq!(plan.user_properties["created_at"], spec(PropertyType::Datetime));

    let order_at = "/data/rules/2/jsonSchema/properties/properties";
    let expected: BTreeSet<String> = [
        "/data/rules/0".to_owned(),
        "/data/rules/1".to_owned(),
        format!("{order_at}/properties/coupon"),
        format!("{order_at}/properties/products"),
        format!("{order_at}/required/2"),
        "/data/rules/3/jsonSchema/properties/context".to_owned(),
        "/data/rules/3/jsonSchema/properties/properties/properties/referrer/type".to_owned(),
        "/data/rules/3/deprecatedAt".to_owned(),
        "/data/rules/4".to_owned(),
        "/data/rules/5/jsonSchema/properties/traits/properties/address".to_owned(),
        "/data/rules/5/jsonSchema/properties/traits/properties/email/format".to_owned(),
    ]
    .into_iter()
    .collect();
    assert_eq!(noted_places(&imported), expected.iter().map(String::as_str).collect());
    assert_noted(&imported, "/data/rules/0", "a COMMON rule");
    assert_noted(&imported, "/data/rules/1", "(version 1) is left out");
    assert_noted(&imported, "/data/rules/4", "a PAGE rule has no counterpart");
    assert_noted(&imported, &format!("{order_at}/properties/coupon"), "no `type`: any value, planned as a string");
    assert_noted(&imported, &format!("{order_at}/properties/products"), "a nested array");
    assert_noted(&imported, &format!("{order_at}/required/2"), "`items_count` is required but may be null");
    assert_noted(&imported, "/data/rules/3/jsonSchema/properties/context", "`context` has no counterpart");
    assert_noted(
        &imported,
        "/data/rules/3/jsonSchema/properties/properties/properties/referrer/type",
        "several types (string, integer)",
    );
    assert_noted(&imported, "/data/rules/3/deprecatedAt", "without a sunset date");
    assert_noted(&imported, "/data/rules/5/jsonSchema/properties/traits/properties/address", "a nested object");
    assert_loadable(plan);
}

#[test]
fn segment_config_api_export_imports_events_and_identify_traits() {
    let imported = imported(Source::Segment, "segment/acme-config-api.json");
    let plan = &imported.plan;
    assert_eq!(plan.name, "Acme Mobile");
    assert_eq!(plan.events.keys().collect::<Vec<_>>(), ["Video Paused", "Video Played"]);
    let played = &plan.events["Video Played"];
    assert_eq!(played.description.as_deref(), Some("Playback started."));
    assert_eq!(played.properties["video_id"], PropertySpec { required: true, ..spec(PropertyType::String) });
    assert_eq!(played.properties["position"], PropertySpec { min: Some(0.0), ..spec(PropertyType::Number) });
    assert_eq!(played.properties["quality"], enumeration(&["sd", "hd", "4k"]));
    assert_eq!(played.properties["muted"], spec(PropertyType::Boolean));
    assert!(plan.events["Video Paused"].properties.is_empty());
    assert_eq!(plan.user_properties["subscriber"], spec(PropertyType::Boolean));
    assert_eq!(
        notes(&imported),
        [
            ("/rules/global", "`global` rules have no counterpart in a plan: skipped"),
            (
                "/rules/events/0/rules/properties/properties/required/1",
                "`muted` is required but may be null; a null is no value here, so it is planned as optional"
            ),
            (
                "/rules/events/1/rules/properties/properties/properties/video_id",
                "`$ref` \"#/definitions/id\" is not followed: not planned"
            ),
        ]
    );
    assert_loadable(plan);
}

#[test]
fn json_schema_folder_imports_one_event_per_file() {
    let imported = imported(Source::JsonSchema, "jsonschema");
    let plan = &imported.plan;
    assert_eq!(plan.name, "jsonschema");
    assert_eq!(plan.version.to_string(), "1-0-0");
    // Named by title, by the Iglu `self.name`, by the file's stem.
    assert_eq!(plan.events.keys().collect::<Vec<_>>(), ["Checkout Completed", "link_click", "product-viewed"]);

    let checkout = &plan.events["Checkout Completed"];
    assert_eq!(checkout.policy, Some(Policy::Deny));
    assert_eq!(checkout.description.as_deref(), Some("The order was paid."));
    assert_eq!(checkout.properties["currency"], PropertySpec { required: true, ..enumeration(&["USD", "EUR", "GBP"]) });
    assert_eq!(checkout.properties["coupon"], PropertySpec { max_length: Some(255), ..spec(PropertyType::String) });
    assert!(!checkout.properties.contains_key("lines"));

    let click = &plan.events["link_click"];
    assert_eq!(click.policy, Some(Policy::Deny));
    assert_eq!(
        click.properties["target_url"],
        PropertySpec { required: true, min_length: Some(1), max_length: Some(255), ..spec(PropertyType::String) }
    );
    assert_eq!(click.properties["element_id"], PropertySpec { max_length: Some(255), ..spec(PropertyType::String) });
    assert_eq!(click.properties["new_tab"], spec(PropertyType::Boolean));
    assert_eq!(
        click.properties["position"],
        PropertySpec { min: Some(0.0), max: Some(100.0), ..spec(PropertyType::Integer) }
    );

    let viewed = &plan.events["product-viewed"];
    assert_eq!(viewed.policy, None);
    assert_eq!(viewed.properties.keys().collect::<Vec<_>>(), ["price", "variant", "viewed_at"]);
    assert_eq!(viewed.properties["variant"], enumeration(&["red", "blue", "3"]));
    assert_eq!(viewed.properties["viewed_at"], spec(PropertyType::Datetime));

    let places: BTreeSet<&str> = imported.notes.iter().map(|n| n.place.as_str()).collect();
    let expected: BTreeSet<&str> = [
        "drafts#",
        "checkout_completed.json#/properties/coupon/anyOf/0/maxLength",
        "checkout_completed.json#/properties/lines",
        "checkout_completed.json#/required/3",
        "link_click.json#/properties/position/multipleOf",
        "link_click.json#/properties/target_url/maxLength",
        "product-viewed.json#/properties/discount",
        "product-viewed.json#/properties/price/exclusiveMinimum",
        "product-viewed.json#/properties/sku",
    ]
    .into_iter()
    .collect();
    assert_eq!(places, expected, "{:#?}", imported.notes);
    assert_noted(&imported, "/properties/sku", "`$ref` \"#/definitions/sku\" is not followed");
    assert_noted(&imported, "/properties/discount", "`oneOf` (a choice of 2 schemas)");
    assert_loadable(plan);
}

#[test]
fn imports_refuse_what_is_not_their_format() {
    let error = import_text(Source::Mparticle, "plan.json", r#"{"data_plan_id": "shop"}"#).unwrap_err();
    assert!(error.to_string().contains("no version_document.data_points"), "{error}");
    let error = import_text(Source::Segment, "plan.json", r#"{"events": []}"#).unwrap_err();
    assert_eq!(
        error.to_string(),
        "plan.json: not a Segment tracking plan: no rules (neither the Public API's `rules` list nor the Config API's `rules.events`)"
    );
    let error = import_text(Source::JsonSchema, "e.json", "[1, 2]").unwrap_err();
    assert!(matches!(error, ImportError::Format { .. }), "{error}");
    let error = import_text(Source::Mparticle, "plan.json", "{\"version_document\": ").unwrap_err();
    assert!(matches!(error, ImportError::Json { line: 1, .. }), "{error}");
    let error = import(Source::Segment, Path::new("/no/such/plan.json")).unwrap_err();
    assert!(matches!(error, ImportError::Read { .. }), "{error}");
    // A folder of folders.
    let error = import(Source::JsonSchema, &fixture("")).unwrap_err();
    assert!(
        error
            .to_string()
            .ends_with(": no *.json file in this folder, and no Iglu registry (VENDOR/NAME/jsonschema/1-0-0) below it"),
        "{error}"
    );
}

/// An Iglu registry's layout (`schemas/VENDOR/NAME/jsonschema/M-R-A`, files
/// without an extension) is read, and of an Iglu schema's versions the
/// highest, wherever it is; the others are noted.
#[test]
fn an_iglu_registry_is_read_at_its_newest_versions() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let schema = |version: &str, properties: &str| {
        format!(
            r#"{{"$schema": "http://iglucentral.com/schemas/com.snowplowanalytics.self-desc/schema/jsonschema/1-0-0#",
                "self": {{"vendor": "com.acme", "name": "checkout_completed", "format": "jsonschema", "version": "{version}"}},
                "type": "object", "properties": {{{properties}}}}}"#
        )
    };
    let at = dir.path().join("schemas/com.acme/checkout_completed/jsonschema");
    std::fs::create_dir_all(&at).expect("folders");
    std::fs::write(at.join("1-0-0"), schema("1-0-0", r#""total": {"type": "number"}"#)).expect("write");
    std::fs::write(at.join("1-0-2"), schema("1-0-2", r#""total": {"type": "number"}, "coupon": {"type": "string"}"#))
        .expect("write");
    // An older copy beside the registry, read first by its path's order.
    std::fs::write(dir.path().join("a-old.json"), schema("1-0-1", r#""total": {"type": "string"}"#)).expect("write");
    let imported = import(Source::JsonSchema, dir.path()).unwrap_or_else(|e| panic!("{e}"));
    let event = &imported.plan.events["checkout_completed"];
    assert_eq!(event.properties.keys().collect::<Vec<_>>(), ["coupon", "total"]);
    assert_eq!(event.properties["total"].kind, PropertyType::Number);
    let notes: Vec<String> = imported.notes.iter().map(|n| format!("{}: {}", n.place, n.message)).collect();
    assert_eq!(
        notes,
        [
            "a-old.json#/self/version: version 1-0-1 of com.acme/checkout_completed; schemas/com.acme/checkout_completed/jsonschema/1-0-2 holds 1-0-2, the one read",
            "schemas/com.acme/checkout_completed/jsonschema/1-0-0#/self/version: version 1-0-0 of com.acme/checkout_completed; schemas/com.acme/checkout_completed/jsonschema/1-0-2 holds 1-0-2, the one read",
        ]
    );
}

#[test]
fn hostile_input_gives_notes_not_panics() {
    let texts = [
        r#"{"version_document": {"data_points": [1, null, {"match": 3}, {"match": {"type": "custom_event", "criteria": {"event_name": ""}}}]}}"#,
        r#"{"version_document": {"data_points": [{"match": {"type": "custom_event", "criteria": {"event_name": "E"}},
            "validator": {"type": "json_schema", "definition": {"properties": {"data": {"properties": {"custom_attributes":
            {"properties": {"a": {"type": 7}, "b": {"enum": []}, "c": {"type": "integer", "minimum": 5, "maximum": 1},
             "d": {"type": "string", "pattern": "(?<=x)y"}, "e": {"type": "string", "minLength": 9, "maxLength": 2},
             "f": {"enum": ["x", "X", "x"]}, "": {"type": "string"}}, "required": [3, "zz"]}}}}}}}]}}"#,
    ];
    for text in texts {
        let imported = import_text(Source::Mparticle, "p.json", text).expect("a data plan");
        assert!(!imported.notes.is_empty());
        assert_loadable(&imported.plan);
    }
    // Annotations of ours, edited by hand into contradictions.
    let text = r#"{"x-indicative": {"version": "1-0", "policy": "strict", "groups": {
        "a": {"properties": {"p": {"type": "string"}}}, "b": {"properties": {"P": {"type": "string"}}}, "": {}, "a_": {}}},
      "version_document": {"data_points": [{"match": {"type": "custom_event", "criteria": {"event_name": "E", "custom_event_type": "other"}},
        "validator": {"type": "json_schema", "definition": {
          "x-indicative": {"include": ["a", "a", "b", "zz"], "status": "gone", "sunset": "tomorrow", "policy": 3},
          "properties": {"data": {"properties": {"custom_attributes": {"properties": {
            "p": {"type": "integer"}, "q": {"type": "string", "x-indicative": {"group": "zz"}}}}}}}}}}]}}"#;
    let imported = import_text(Source::Mparticle, "p.json", text).expect("a data plan");
    let event = &imported.plan.events["E"];
    assert_eq!(event.include, ["a"]);
    assert_eq!(event.properties.keys().collect::<Vec<_>>(), ["q"]);
    assert_eq!(imported.plan.groups.keys().collect::<Vec<_>>(), ["a", "b"]);
    assert_eq!(imported.notes.len(), 11, "{:#?}", imported.notes);
    assert_loadable(&imported.plan);

    let imported = import_text(
        Source::Segment,
        "p.json",
        r#"[{"type": "TRACK"}, {"type": "TRACK", "key": "E", "jsonSchema": 5}, {}]"#,
    )
    .expect("rules");
    assert_eq!(imported.plan.events.keys().collect::<Vec<_>>(), ["E"]);
    assert_eq!(imported.notes.len(), 3, "{:#?}", imported.notes);

    // A name a plan cannot hold (a control character) is noted and left
    // out; the rest is imported.
    let imported = import_text(
        Source::Segment,
        "p.json",
        r#"[{"type": "TRACK", "key": "E", "jsonSchema": {"properties": {"properties": {"properties":
            {"ctl\u0007": {"type": "string"}, "ok": {"type": "string"}}}}}},
            {"type": "TRACK", "key": "bell\u0007", "jsonSchema": {}}]"#,
    )
    .expect("rules");
    assert_eq!(imported.plan.events.keys().collect::<Vec<_>>(), ["E"]);
    assert_eq!(imported.plan.events["E"].properties.keys().collect::<Vec<_>>(), ["ok"]);
    let messages: Vec<&str> = imported.notes.iter().map(|n| n.message.as_str()).collect();
    assert_eq!(messages.iter().filter(|m| m.contains("U+0007, which a plan cannot hold")).count(), 2, "{messages:#?}");
    assert_loadable(&imported.plan);

    // Free text a plan cannot hold (a description, an example) is written
    // with spaces and noted: the import still loads.
    let imported = import_text(
        Source::Segment,
        "p.json",
        r#"[{"type": "TRACK", "key": "E", "jsonSchema": {"description": "rings\u0007\u0007 twice",
            "properties": {"properties": {"properties":
            {"p": {"type": "string", "description": "a\u001bb", "examples": ["x\u0000"]}}}}}}]"#,
    )
    .expect("rules");
    let event = &imported.plan.events["E"];
    assert_eq!(event.description.as_deref(), Some("rings   twice"));
    assert_eq!(event.properties["p"].description.as_deref(), Some("a b"));
    assert_eq!(event.properties["p"].examples, ["x "]);
    let messages: Vec<&str> = imported.notes.iter().map(|n| n.message.as_str()).collect();
    assert!(
        messages.contains(&"the description of event `E` held U+0007, which a plan cannot hold: written as a space"),
        "{messages:#?}"
    );
    assert_eq!(messages.iter().filter(|m| m.ends_with("written as a space")).count(), 3, "{messages:#?}");
    assert_loadable(&imported.plan);
}

/// A plan with every feature the formats have to carry.
const RICH_PLAN: &str = r#"
name: Shop
version: 1-2-0
description: What the shop sends to mParticle Analytics.
policy: warn
groups:
  cart:
    description: The cart at the time of the event.
    properties:
      cart_id: { type: string, required: true, pattern: "^c-[0-9a-f]{8}$" }
      item_count: { type: integer, min: 0 }
events:
  Checkout Completed:
    description: The order was paid.
    owner: checkout-team
    include: [cart]
    policy: deny
    properties:
      total: { type: number, required: true, min: 0, examples: ["12.50"], description: "Paid, taxes included." }
      currency: { type: enum, values: [USD, EUR, GBP], required: true }
      coupon: { type: string, minLength: 3, maxLength: 32 }
      paid_at: { type: datetime }
      gift: { type: boolean }
      quantity: { type: integer, min: 1, max: 99.5 }
  Old Checkout:
    status: deprecated
    sunset: 2025-06-30
    properties:
      total: { type: number }
  Wishlist Shared:
    status: planned
    policy: allow
    properties:
      channel: { type: enum, values: [email, link] }
  Sign Up:
    properties:
      plan: { type: enum, values: [free, pro], required: true }
  Sign Up!:
    include: [cart]
userProperties:
  plan: { type: enum, values: [free, pro, enterprise], required: true }
  signed_up_at: { type: datetime, description: First sign-up. }
"#;

fn rich_plan() -> Plan {
    match Plan::from_text("rich.yaml", RICH_PLAN) {
        Ok(plan) => plan,
        Err(errors) => panic!("{errors}"),
    }
}

#[test]
fn mparticle_export_imports_back_into_the_same_plan() {
    let plan = rich_plan();
    let document = export::mparticle(&plan);
    assert_eq!(document["data_plan_id"], "shop");
    let version = &document["data_plan_versions"][0];
    assert_eq!(version["version"], 1);
    let points = version["version_document"]["data_points"].as_array().expect("data points");
    assert_eq!(points.len(), plan.events.len() + 1);
    let checkout = &points[0];
    assert_eq!(
        checkout["match"]["criteria"],
        json!({"event_name": "Checkout Completed", "custom_event_type": "other"})
    );
    let attributes = &checkout["validator"]["definition"]["properties"]["data"]["properties"]["custom_attributes"];
    assert_eq!(attributes["additionalProperties"], false);
    assert_eq!(
        attributes["properties"]["total"],
        json!({"type": "number", "minimum": 0, "description": "Paid, taxes included.", "examples": ["12.50"]})
    );
    assert_eq!(attributes["properties"]["paid_at"], json!({"type": "string", "format": "date-time"}));
    assert_eq!(attributes["properties"]["cart_id"]["x-indicative"], json!({"group": "cart"}));
    assert_eq!(attributes["required"], json!(["cart_id", "currency", "total"]));
    assert_eq!(points[plan.events.len()]["match"]["type"], "user_attributes");

    let back = import_text(Source::Mparticle, "shop.json", &document.to_string()).expect("our own export imports");
    assert_eq!(back.plan, plan);
    assert!(back.notes.is_empty(), "{:#?}", back.notes);
    // And again: the export of the import is the export.
    assert_eq!(export::mparticle(&back.plan), document);
}

#[test]
fn mparticle_export_of_imported_fixture_round_trips() {
    let plan = imported(Source::Mparticle, "mparticle/shop-data-plan.json").plan;
    let back = import_text(Source::Mparticle, "again.json", &export::mparticle(&plan).to_string()).expect("imports");
    assert_eq!(back.plan, plan);
    assert!(back.notes.is_empty(), "{:#?}", back.notes);
}

/// What an event's JSON Schema says of it: its properties flattened, and
/// what a schema cannot carry (owner, planned status, sunset, groups, the
/// allow and warn policies) gone.
fn as_schema_says(plan: &Plan, event: &EventSpec) -> EventSpec {
    EventSpec {
        description: event.description.clone(),
        status: if event.status == EventStatus::Deprecated { EventStatus::Deprecated } else { EventStatus::Active },
        policy: (plan.policy_of(event) == Policy::Deny).then_some(Policy::Deny),
        properties: plan.properties_of(event).map(|(name, spec)| (name.to_owned(), spec.clone())).collect(),
        ..EventSpec::default()
    }
}

#[test]
fn json_schemas_import_back_into_the_same_events() {
    let plan = rich_plan();
    let schemas = export::json_schemas(&plan);
    let files: Vec<&str> = schemas.iter().map(|(file, _)| file.as_str()).collect();
    assert_eq!(
        files,
        [
            "checkout-completed.schema.json",
            "old-checkout.schema.json",
            "sign-up.schema.json",
            "sign-up-2.schema.json",
            "wishlist-shared.schema.json",
        ]
    );
    let folder = std::env::temp_dir().join(format!("indicative-plan-json-schemas-{}", std::process::id()));
    std::fs::create_dir_all(&folder).expect("a temporary folder");
    for (file, schema) in &schemas {
        std::fs::write(folder.join(file), serde_json::to_string_pretty(schema).expect("JSON")).expect("written");
    }
    let back = import(Source::JsonSchema, &folder);
    std::fs::remove_dir_all(&folder).expect("removed");
    let back = back.expect("our own schemas import");
    assert!(back.notes.is_empty(), "{:#?}", back.notes);
    let expected: BTreeMap<String, EventSpec> =
        plan.events.iter().map(|(name, event)| (name.clone(), as_schema_says(&plan, event))).collect();
    assert_eq!(back.plan.events, expected);
    // The range of an integer or number comes back through x-minimum and x-maximum.
    assert_eq!(back.plan.events["Checkout Completed"].properties["quantity"].max, Some(99.5));
    assert_loadable(&back.plan);
}

fn validator(schema: &Value) -> jsonschema::Validator {
    match jsonschema::validator_for(schema) {
        Ok(validator) => validator,
        Err(error) => panic!("the schema does not compile: {error}\n{schema:#}"),
    }
}

fn checkout_payload() -> Value {
    json!({
        "apiKey": "K",
        "eventName": "Checkout Completed",
        "eventUniqueId": "user-47",
        "eventTime": "2024-05-01T10:00:00Z",
        "properties": {
            "total": "12.50",
            "currency": "EUR",
            "cart_id": "c-0123abcd",
            "item_count": "3",
            "paid_at": "2024-05-01T10:00:00.5+02:00",
            "gift": "false",
            "quantity": "-2",
        },
    })
}

/// The payload with `change` applied to its `properties`.
fn with_properties(change: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut payload = checkout_payload();
    if let Some(properties) = payload["properties"].as_object_mut() {
        change(properties);
    }
    payload
}

#[test]
fn exported_json_schemas_check_payloads() {
    let plan = rich_plan();
    let schemas: BTreeMap<String, Value> = export::json_schemas(&plan).into_iter().collect();
    for (file, schema) in &schemas {
        assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema", "{file}");
        validator(schema);
    }
    let checkout = &schemas["checkout-completed.schema.json"];
    let inexpressible: Vec<&str> =
        checkout["x-inexpressible"].as_array().expect("a list").iter().filter_map(Value::as_str).collect();
    assert!(inexpressible.iter().any(|r| r.starts_with("invalid-event-time")), "{inexpressible:#?}");
    assert!(
        inexpressible.iter().any(|r| r.starts_with("property-type: the calendar validity") && r.contains("`paid_at`"))
    );
    assert!(inexpressible.iter().any(|r| r.starts_with("property-range:") && r.contains("`quantity` min 1, max 99.5")));
    let check = validator(checkout);
    assert!(
        check.is_valid(&checkout_payload()),
        "{:?}",
        check.iter_errors(&checkout_payload()).map(|e| e.to_string()).collect::<Vec<_>>()
    );

    let failing = [
        ("a value not of the enum", with_properties(|p| drop(p.insert("currency".into(), json!("usd"))))),
        ("a missing required property", with_properties(|p| drop(p.remove("total")))),
        ("a required property of the group missing", with_properties(|p| drop(p.remove("cart_id")))),
        ("a non-integer for an integer", with_properties(|p| drop(p.insert("item_count".into(), json!("1.5"))))),
        ("an integer with a final line feed", with_properties(|p| drop(p.insert("item_count".into(), json!("3\n"))))),
        ("a number that is not one", with_properties(|p| drop(p.insert("total".into(), json!("$12"))))),
        (
            "a number sent as a JSON number (strict profile)",
            with_properties(|p| drop(p.insert("total".into(), json!(12.5)))),
        ),
        ("a boolean that is not one", with_properties(|p| drop(p.insert("gift".into(), json!("yes"))))),
        ("a date without its time", with_properties(|p| drop(p.insert("paid_at".into(), json!("2024-05-01"))))),
        ("a pattern not matched", with_properties(|p| drop(p.insert("cart_id".into(), json!("cart-1"))))),
        ("a text too short", with_properties(|p| drop(p.insert("coupon".into(), json!("ab"))))),
        ("an unplanned property under deny", with_properties(|p| drop(p.insert("note".into(), json!("hi"))))),
        ("no properties at all", {
            let mut payload = checkout_payload();
            payload.as_object_mut().map(|o| o.remove("properties"));
            payload
        }),
        ("another event's name", {
            let mut payload = checkout_payload();
            payload["eventName"] = json!("Checkout completed");
            payload
        }),
        ("no apiKey", {
            let mut payload = checkout_payload();
            payload.as_object_mut().map(|o| o.remove("apiKey"));
            payload
        }),
    ];
    for (what, payload) in &failing {
        assert!(!check.is_valid(payload), "{what} passes:\n{payload:#}");
    }
    // What the schema cannot say: a datetime on no calendar day passes.
    assert!(check.is_valid(&with_properties(|p| drop(p.insert("paid_at".into(), json!("2023-02-29T00:00:00Z"))))));

    // Under allow (and warn), unplanned properties are any text; without a
    // required property, `properties` may be absent or null.
    let wishlist = validator(&schemas["wishlist-shared.schema.json"]);
    let base = json!({"apiKey": "K", "eventName": "Wishlist Shared", "eventUniqueId": "u"});
    assert!(wishlist.is_valid(&base));
    let mut with_null = base.clone();
    with_null["properties"] = Value::Null;
    assert!(wishlist.is_valid(&with_null));
    let mut unplanned = base.clone();
    unplanned["properties"] = json!({"channel": "link", "campaign": "spring"});
    assert!(wishlist.is_valid(&unplanned));
    unplanned["properties"]["channel"] = json!("sms");
    assert!(!wishlist.is_valid(&unplanned));

    let old = &schemas["old-checkout.schema.json"];
    assert_eq!(old["deprecated"], true);
    assert!(
        old["x-inexpressible"]
            .as_array()
            .expect("a list")
            .iter()
            .any(|r| r.as_str().is_some_and(|r| r.contains("2025-06-30")))
    );
}

/// Every `$ref` of a document, with its place.
fn references(value: &Value, at: &str, found: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                if key == "$ref" {
                    found.push((at.to_owned(), item.as_str().unwrap_or_default().to_owned()));
                } else {
                    references(item, &format!("{at}/{key}"), found);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                references(item, &format!("{at}/{i}"), found);
            }
        }
        _ => {}
    }
}

#[test]
fn openapi_document_offers_one_of_the_planned_events() {
    let plan = rich_plan();
    let document = export::openapi(&plan);
    assert_eq!(document["openapi"], "3.1.0");
    assert_eq!(document["info"]["version"], "1.2.0");
    assert_eq!(document["info"]["x-schemaver"], "1-2-0");
    for path in ["/service/event", "/service/event/{apiKey}", "/service/event/batch"] {
        let operation = &document["paths"][path]["post"];
        assert!(operation.is_object(), "{path}");
        for status in ["200", "400", "422"] {
            assert!(operation["responses"][status]["$ref"].is_string(), "{path} {status}");
        }
    }
    let schemas = document["components"]["schemas"].as_object().expect("component schemas");
    let name = regex::Regex::new("^[a-zA-Z0-9._-]+$").expect("a regex");
    for key in schemas.keys() {
        assert!(name.is_match(key), "component `{key}`");
    }
    let mut found = Vec::new();
    references(&document, "", &mut found);
    for (at, target) in &found {
        let pointer = target.strip_prefix('#').unwrap_or(target);
        assert!(document.pointer(pointer).is_some(), "{at}: {target} resolves to nothing");
    }
    for union in ["PlannedEvent", "PlannedEventKeyInPath", "PlannedBatchEvent"] {
        let schema = &schemas[union];
        assert_eq!(schema["discriminator"]["propertyName"], "eventName");
        let mapping = schema["discriminator"]["mapping"].as_object().expect("a mapping");
        assert_eq!(mapping.keys().collect::<Vec<_>>(), plan.events.keys().collect::<Vec<_>>());
        assert_eq!(schema["oneOf"].as_array().map(Vec::len), Some(plan.events.len()));
    }
    assert_eq!(schemas["PlannedEvent"]["discriminator"]["mapping"]["Sign Up!"], "#/components/schemas/event.sign-up-2");

    // The body schemas check payloads as the per-event schemas do.
    let body = |component: &str| {
        validator(&json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{component}"),
            "components": document["components"],
        }))
    };
    let single = body("PlannedEvent");
    assert!(single.is_valid(&checkout_payload()));
    assert!(!single.is_valid(&with_properties(|p| drop(p.insert("currency".into(), json!("usd"))))));
    assert!(!single.is_valid(&json!({"apiKey": "K", "eventName": "Unplanned", "eventUniqueId": "u"})));
    let in_path = body("PlannedEventKeyInPath");
    let mut keyless = checkout_payload();
    keyless.as_object_mut().map(|o| o.remove("apiKey"));
    assert!(in_path.is_valid(&keyless));
    assert!(!single.is_valid(&keyless));
    let batch = body("PlannedBatch");
    let good = json!({"apiKey": "K", "events": [keyless, {"eventName": "Sign Up", "eventUniqueId": "u", "properties": {"plan": "pro"}}]});
    assert!(batch.is_valid(&good));
    let mut bad = good.clone();
    bad["events"][1]["properties"]["plan"] = json!("gold");
    assert!(!batch.is_valid(&bad));
}

#[test]
fn an_empty_plan_exports_documents_that_plan_nothing() {
    let plan = Plan::from_text("empty.yaml", "name: Empty\nversion: 0-1-0\n").expect("a plan");
    assert!(export::json_schemas(&plan).is_empty());
    let document = export::openapi(&plan);
    let body = &document["components"]["schemas"]["PlannedEvent"];
    assert_eq!(body["not"], json!({}));
    let back = import_text(Source::Mparticle, "empty.json", &export::mparticle(&plan).to_string()).expect("imports");
    assert_eq!(back.plan, plan);
}

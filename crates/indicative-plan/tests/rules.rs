//! Every plan rule fires where it should and stays silent where it should,
//! in every place an event can be: a POST event, batch items, a GET, and
//! an identify's user properties.

use indicative_contract::{LintOptions, Report, RequestInfo, Rule, Severity, Status, lint_body, lint_query};
use indicative_plan::{Plan, PlanChecker};

/// 2024-06-01T00:00:00Z.
const NOW: i64 = 1_717_200_000_000;

const PLAN: &str = r#"
name: Test
version: 1-0-0
policy: warn
groups:
  cart:
    properties:
      cart_id: { type: string, required: true, pattern: "^c-[0-9]+(.x)?$" }
events:
  Checkout:
    include: [cart]
    policy: deny
    properties:
      total: { type: number, required: true, min: 0, max: 10000 }
      items: { type: integer, min: 1 }
      currency: { type: enum, values: [USD, EUR] }
      gift: { type: boolean }
      paid_at: { type: datetime }
      note: { type: string, minLength: 2, maxLength: 5 }
  Browse:
    properties:
      page: { type: string }
  Old:
    status: deprecated
    sunset: 2024-09-30
  Older:
    status: deprecated
    sunset: 2024-01-01
  Soon:
    status: planned
userProperties:
  tier: { type: enum, values: [free, pro] }
"#;

fn options() -> LintOptions {
    let plan = Plan::from_text("test.yaml", PLAN).expect("the test plan loads");
    LintOptions::new(NOW).with_checker(PlanChecker::new(&plan).shared())
}

fn event(name: &str, properties: &str) -> String {
    format!(r#"{{"apiKey":"K","eventName":"{name}","eventUniqueId":"u","properties":{{{properties}}}}}"#)
}

fn lint(body: &str) -> Report {
    lint_body(body.as_bytes(), &RequestInfo::default(), &options())
}

/// The codes of the plan's findings.
fn plan_codes(report: &Report) -> Vec<&'static str> {
    report.diagnostics.iter().filter(|d| d.rule.is_plan()).map(|d| d.rule.code()).collect()
}

const CHECKOUT_OK: &str = r#""cart_id":"c-1","total":"12.50""#;

#[test]
fn a_planned_event_with_good_values_is_clean() {
    let all = r#""cart_id":"c-1","total":"12.50","items":"3","currency":"EUR","gift":"true","paid_at":"2024-05-01T10:00:00Z","note":"hi""#;
    let report = lint(&event("Checkout", all));
    assert!(report.diagnostics.is_empty(), "{:?}", report.diagnostics);
    // The API's coercion is what is checked: numbers and bools as sent.
    let report = lint(&event("Checkout", r#""cart_id":"c-1","total":12.5,"items":3,"gift":false"#));
    assert_eq!(plan_codes(&report), Vec::<&str>::new());
    assert_eq!(report.codes(), ["non-string-property-value"; 3], "only the API's own info");
}

#[test]
fn unplanned_event_suggests_the_planned_name() {
    let report = lint(&event("checkout", CHECKOUT_OK));
    assert_eq!(plan_codes(&report), ["unplanned-event"]);
    let d = &report.diagnostics[0];
    assert_eq!((d.pointer.as_str(), d.status, d.severity), ("/eventName", Status::Ok, Severity::Error));
    assert_eq!(d.help.as_deref(), Some("did you mean `Checkout`?"));
    // Nothing else is checked on an unplanned event.
    assert_eq!(plan_codes(&lint(&event("Logout", r#""x":"1""#))), ["unplanned-event"]);
    assert_eq!(lint(&event("Logout", "")).diagnostics[0].help, None);
}

#[test]
fn deprecated_event_warns_then_errs_after_its_sunset() {
    let before = lint(&event("Old", ""));
    assert_eq!(plan_codes(&before), ["deprecated-event"]);
    assert_eq!(before.diagnostics[0].severity, Severity::Warning);
    let after = lint(&event("Older", ""));
    assert_eq!(after.diagnostics[0].severity, Severity::Error);
    assert!(after.diagnostics[0].message.contains("past its sunset"));
    let off = options().with_severity(Rule::DeprecatedEvent, Severity::Off);
    assert!(lint_body(event("Older", "").as_bytes(), &RequestInfo::default(), &off).diagnostics.is_empty());
    // A severity other than the default is kept past the sunset too.
    let info = options().with_severity(Rule::DeprecatedEvent, Severity::Info);
    let report = lint_body(event("Older", "").as_bytes(), &RequestInfo::default(), &info);
    assert_eq!(report.diagnostics[0].severity, Severity::Info);
    assert!(lint(&event("Soon", "")).diagnostics.is_empty(), "a planned event is accepted");
}

#[test]
fn missing_property_counts_null_as_missing_and_groups_too() {
    assert_eq!(plan_codes(&lint(&event("Checkout", r#""cart_id":"c-1""#))), ["missing-property"]);
    assert_eq!(plan_codes(&lint(&event("Checkout", r#""total":"1""#))), ["missing-property"], "the group's cart_id");
    let null = lint(&event("Checkout", r#""cart_id":"c-1","total":null"#));
    assert_eq!(plan_codes(&null), ["missing-property"]);
    assert_eq!(null.codes(), ["missing-property", "null-property-value"]);
    let none = lint(r#"{"apiKey":"K","eventName":"Checkout","eventUniqueId":"u"}"#);
    assert_eq!(plan_codes(&none), ["missing-property", "missing-property"]);
    assert_eq!(none.diagnostics[0].pointer, "");
}

#[test]
fn unplanned_property_follows_the_policy() {
    let deny = lint(&event("Checkout", &format!(r#"{CHECKOUT_OK},"totl":"1""#)));
    assert_eq!(plan_codes(&deny), ["unplanned-property"]);
    assert_eq!(deny.diagnostics[0].severity, Severity::Error);
    assert_eq!(deny.diagnostics[0].help.as_deref(), Some("did you mean `total`?"));
    assert_eq!(deny.diagnostics[0].pointer, "/properties/totl");
    let warn = lint(&event("Browse", r#""page":"/","ref":"x""#));
    assert_eq!(warn.diagnostics[0].severity, Severity::Warning, "the plan's policy is warn");
    let allow = PLAN.replace("policy: warn", "policy: allow");
    let plan = Plan::from_text("allow.yaml", &allow).expect("loads");
    let options = LintOptions::new(NOW).with_checker(PlanChecker::new(&plan).shared());
    let report = lint_body(event("Browse", r#""page":"/","ref":"x""#).as_bytes(), &RequestInfo::default(), &options);
    assert!(report.diagnostics.is_empty());
}

#[test]
fn property_type_is_about_the_stored_text() {
    for (properties, expected) in [
        (r#""total":"$12""#, "property-type"),
        (r#""total":"12,50""#, "property-type"),
        (r#""total":"1e3""#, ""),
        (r#""items":"1.0""#, "property-type"),
        (r#""items":"012""#, "property-type"),
        (r#""items":2.0"#, "property-type"),
        (r#""gift":"yes""#, "property-type"),
        (r#""gift":"True""#, "property-type"),
        (r#""paid_at":"2024-05-01""#, "property-type"),
        (r#""paid_at":"2023-02-29T00:00:00Z""#, "property-type"),
        (r#""paid_at":1714557600"#, "property-type"),
        (r#""paid_at":"2024-02-29T23:59:59.5+02:00""#, ""),
        // A leap second, where one can be: at the end of a UTC day.
        (r#""paid_at":"2016-12-31T23:59:60Z""#, ""),
        (r#""paid_at":"2016-12-31T20:59:60-03:00""#, ""),
        (r#""paid_at":"2016-12-31T12:59:60Z""#, "property-type"),
    ] {
        let report = lint(&event("Checkout", &format!(r#""cart_id":"c-1","total":"1",{properties}"#)));
        let codes = plan_codes(&report);
        let codes: Vec<&str> = codes.into_iter().filter(|c| *c != "property-range").collect();
        assert_eq!(codes.join(","), expected, "{properties}");
    }
}

#[test]
fn enum_pattern_range_and_length() {
    let case = |properties: &str| plan_codes(&lint(&event("Checkout", &format!(r#"{CHECKOUT_OK},{properties}"#))));
    assert_eq!(case(r#""currency":"usd""#), ["property-enum"]);
    assert_eq!(
        lint(&event("Checkout", &format!(r#"{CHECKOUT_OK},"currency":"usd""#))).diagnostics[0].help.as_deref(),
        Some("did you mean `USD`?")
    );
    assert_eq!(case(r#""currency":"USD""#), Vec::<&str>::new());
    let report = lint(&event("Checkout", r#""cart_id":"C-1","total":"1""#));
    assert_eq!(plan_codes(&report), ["property-pattern"]);
    // The pattern as the plan wrote it, not as compiled (`.` is rewritten
    // to mean the same under every engine).
    assert!(
        report.diagnostics[0].message.ends_with("does not match `^c-[0-9]+(.x)?$`"),
        "{}",
        report.diagnostics[0].message
    );
    assert_eq!(case(r#""items":"0""#), ["property-range"]);
    assert_eq!(case(r#""items":"1""#), Vec::<&str>::new());
    assert_eq!(plan_codes(&lint(&event("Checkout", r#""cart_id":"c-1","total":"10000.5""#))), ["property-range"]);
    assert_eq!(plan_codes(&lint(&event("Checkout", r#""cart_id":"c-1","total":"-0.01""#))), ["property-range"]);
    // Compared as decimals, exactly: a float would round these to the bound.
    let exact = |total: &str| plan_codes(&lint(&event("Checkout", &format!(r#""cart_id":"c-1","total":{total}"#))));
    assert_eq!(exact(r#""10000.0000000000000000001""#), ["property-range"]);
    assert_eq!(exact("10000.0000000000000000001"), ["property-range"]);
    assert_eq!(exact(r#""-0.0000000000000000001""#), ["property-range"]);
    assert_eq!(exact(r#""1e4""#), Vec::<&str>::new());
    assert_eq!(exact(r#""10000.000""#), Vec::<&str>::new());
    assert_eq!(case(r#""note":"a""#), ["property-length"]);
    assert_eq!(case(r#""note":"ab""#), Vec::<&str>::new());
    assert_eq!(case(r#""note":"ééééé""#), Vec::<&str>::new(), "characters, not bytes");
    assert_eq!(case(r#""note":"abcdef""#), ["property-length"]);
    // A value of the wrong type is not also out of range.
    assert_eq!(case(r#""items":"many""#), ["property-type"]);
}

#[test]
fn batch_items_are_checked_each_at_its_place() {
    let body = format!(
        r#"{{"apiKey":"K","events":[{},{},{}]}}"#,
        event("Checkout", CHECKOUT_OK).replace(r#""apiKey":"K","#, ""),
        event("Checkout", r#""cart_id":"c-1","total":"x""#).replace(r#""apiKey":"K","#, ""),
        event("Nope", "").replace(r#""apiKey":"K","#, "")
    );
    let report = lint(&body);
    let found: Vec<(&str, &str)> = report.diagnostics.iter().map(|d| (d.rule.code(), d.pointer.as_str())).collect();
    assert_eq!(found, [("property-type", "/events/1/properties/total"), ("unplanned-event", "/events/2/eventName")]);
    assert_eq!(report.status, Status::Ok);
}

#[test]
fn get_events_are_checked_with_their_parameters() {
    let url = "/service/event?apiKey=K&eventName=Checkout&eventUniqueId=u&propertyNames=cart_id&propertyValues=c-1&propertyNames=total&propertyValues=%2412&propertyNames=extra&propertyValues=1";
    let report = lint_query(url, &RequestInfo::default(), &options());
    let found: Vec<(&str, &str)> = report.diagnostics.iter().map(|d| (d.rule.code(), d.pointer.as_str())).collect();
    assert_eq!(found, [("property-type", "/propertyValues/1"), ("unplanned-property", "/propertyNames/2")]);
    let unplanned =
        lint_query("/service/event?apiKey=K&eventName=checkout&eventUniqueId=u", &RequestInfo::default(), &options());
    assert_eq!(unplanned.codes(), ["unplanned-event"]);
    assert_eq!(unplanned.diagnostics[0].pointer, "/eventName");
}

#[test]
fn identify_is_checked_against_the_user_properties() {
    let report = lint(r#"{"apiKey":"K","uniqueId":"u","properties":{"tier":"gold","teir":"pro"}}"#);
    let found: Vec<(&str, Severity)> = report.diagnostics.iter().map(|d| (d.rule.code(), d.severity)).collect();
    assert_eq!(found, [("property-enum", Severity::Error), ("unplanned-user-property", Severity::Warning)]);
    assert_eq!(report.diagnostics[1].help.as_deref(), Some("did you mean `tier`?"));
    // Suppress and delete carry no properties to check.
    let suppress = lint_body(
        br#"{"apiKey":"K","uniqueId":"u"}"#,
        &RequestInfo::http("POST", "/service/suppress", Some("application/json")),
        &options(),
    );
    assert!(suppress.diagnostics.is_empty());
}

#[test]
fn repeated_properties_and_escapes_are_read_as_the_api_reads_them() {
    // An escaped name is the same name; a repeated `properties` object: the last one counts.
    let escaped = lint(&event("Check\\u006fut", r#""cart_\u0069d":"c-1","total":"1""#));
    assert!(escaped.diagnostics.is_empty(), "{:?}", escaped.diagnostics);
    // An escaped value is checked decoded: "\u0031" is "1", "EU\u0052" is "EUR".
    let decoded = lint(&event("Checkout", r#""cart_id":"c\u002d1","total":"\u0031","currency":"EU\u0052""#));
    assert!(decoded.diagnostics.is_empty(), "{:?}", decoded.diagnostics);
    let wrong = lint(&event("Checkout", r#""cart_id":"c-1","total":"\u0078","currency":"EU\u0058""#));
    assert_eq!(wrong.codes(), ["property-type", "property-enum"]);
    // An escaped backslash: "abc\\d" is 5 characters (6 as written), within the note's 2 to 5.
    let plain = lint(&event("Checkout", r#""cart_id":"c-1","total":"1","note":"abc\\d""#));
    assert!(plain.diagnostics.is_empty(), "{:?}", plain.diagnostics);
    let body = r#"{"apiKey":"K","eventName":"Checkout","eventUniqueId":"u","properties":{"x":"1"},"properties":{"cart_id":"c-1","total":"1"}}"#;
    assert_eq!(lint(body).codes(), ["duplicate-key"]);
}

#[test]
fn plan_findings_never_change_the_status_or_the_verdict() {
    let body = event("Nope", r#""x":"1""#);
    let mut linter = indicative_contract::Linter::new(options());
    assert_eq!(linter.verdict(body.as_bytes(), &RequestInfo::default()), Status::Ok);
    let bad = r#"{"apiKey":"K","eventName":"","eventUniqueId":"u"}"#;
    assert_eq!(lint(bad).status, Status::Unprocessable);
    assert_eq!(lint(bad).codes(), ["empty-field"], "an empty name is the API's to judge");
}

//! The derive macros and the run time agree: the limits are one definition,
//! and a derived event never makes a payload the strict profile refuses.

use indicative_contract::limits::name_length_problem;
use indicative_contract::{
    ApiKey, Batch, EventName, EventTime, LintOptions, Profile, RequestInfo, RequestKind, ToPropertyValue, TrackEvent,
    UniqueId, UserProperties, lint_body,
};
use proptest::prelude::*;

#[test]
fn compile_time_and_run_time_agree_on_the_boundaries() {
    // The derive and the const constructors call `name_length_problem`; the
    // runtime constructors must give the same verdict on every boundary.
    for unit in ["a", "é", "😀", "\u{0301}"] {
        for n in [0, 1, 254, 255, 256, 300] {
            let text = unit.repeat(n);
            let compile_time = name_length_problem(&text).is_none();
            assert_eq!(EventName::new(text.clone()).is_ok(), compile_time, "{n} x {unit:?}");
            assert_eq!(UniqueId::new(text.clone()).is_ok(), compile_time, "{n} x {unit:?}");
        }
    }
}

#[derive(ToPropertyValue, Debug, Clone)]
enum Plan {
    Free,
    #[property(rename = "pro plan")]
    Pro,
    Enterprise,
}

#[derive(TrackEvent, Debug)]
#[event(name = "Checkout Completed")]
struct CheckoutCompleted {
    #[event(unique_id)]
    user: String,
    #[event(time)]
    at: Option<EventTime>,
    plan: Plan,
    total: f64,
    items: u32,
    gift: bool,
    coupon: Option<String>,
    #[event(rename = "shipping note")]
    note: String,
}

#[derive(UserProperties, Debug)]
struct Account {
    #[user(unique_id)]
    id: String,
    plan: Plan,
    seats: Option<u16>,
}

fn plan() -> impl Strategy<Value = Plan> {
    prop_oneof![Just(Plan::Free), Just(Plan::Pro), Just(Plan::Enterprise)]
}

fn time() -> impl Strategy<Value = Option<EventTime>> {
    prop_oneof![
        Just(None),
        (0_i64..=253_402_300_799_999).prop_map(|ms| EventTime::from_unix_millis(ms).ok()),
        (0.0_f64..1e11).prop_map(|s| EventTime::from_number(s).ok()),
    ]
}

fn strict() -> LintOptions {
    LintOptions::new(1_700_006_400_000).with_profile(Profile::Strict)
}

proptest! {
    #[test]
    fn derived_events_make_payloads_the_strict_profile_accepts(
        user in any::<String>(),
        at in time(),
        plan in plan(),
        total in any::<f64>(),
        items in any::<u32>(),
        gift in any::<bool>(),
        coupon in proptest::option::of(any::<String>()),
        note in "\\PC{0,300}",
    ) {
        let event = CheckoutCompleted { user: user.clone(), at, plan, total, items, gift, coupon, note };
        let key = ApiKey::new("Your-API-Key").unwrap();
        match event.to_event(&key) {
            Ok(request) => {
                let body = serde_json::to_vec(&request).unwrap();
                let report = lint_body(&body, &RequestInfo::of_kind(RequestKind::Event), &strict());
                prop_assert!(!report.has_errors(), "{}\n{:#?}", String::from_utf8_lossy(&body), report.diagnostics);
                let batch = Batch::from_tracked(key, [&event as &dyn TrackEvent]).unwrap();
                let body = serde_json::to_vec(&batch).unwrap();
                prop_assert!(!lint_body(&body, &RequestInfo::of_kind(RequestKind::Batch), &strict()).has_errors());
            }
            Err(error) => {
                // Only the unique id is known at run time alone; its error
                // carries the rule the engine reports for the same value.
                let body = serde_json::json!({"apiKey": "K", "eventName": "E", "eventUniqueId": user}).to_string();
                let report = lint_body(body.as_bytes(), &RequestInfo::default(), &strict());
                prop_assert_eq!(report.codes(), vec![error.rule().code()]);
            }
        }
    }

    #[test]
    fn derived_user_properties_make_identifies_the_strict_profile_accepts(
        id in "\\PC{1,255}",
        plan in plan(),
        seats in proptest::option::of(any::<u16>()),
    ) {
        let identify = Account { id, plan, seats }.to_identify(&ApiKey::new("K").unwrap()).unwrap();
        let body = serde_json::to_vec(&identify).unwrap();
        let report = lint_body(&body, &RequestInfo::of_kind(RequestKind::Identify), &strict());
        prop_assert!(!report.has_errors(), "{:#?}", report.diagnostics);
    }
}

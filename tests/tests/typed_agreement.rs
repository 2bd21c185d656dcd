//! The typed models and the lint engine agree: for every kind, a body
//! deserializes into the typed model if and only if the strict profile
//! reports no error for it.

use indicative_contract::{
    Alias, Batch, Delete, Event, EventQuery, Identify, LintOptions, Profile, RequestInfo, RequestKind, Suppress,
    lint_body, lint_query,
};
use indicative_tests::*;
use proptest::prelude::*;
use serde::de::DeserializeOwned;

fn strict() -> LintOptions {
    LintOptions::new(1_700_006_400_000).with_profile(Profile::Strict)
}

#[track_caller]
fn agree<T: DeserializeOwned + std::fmt::Debug>(kind: RequestKind, body: &str) -> Result<(), TestCaseError> {
    let typed = serde_json::from_str::<T>(body);
    let report = lint_body(body.as_bytes(), &RequestInfo::of_kind(kind), &strict());
    prop_assert_eq!(
        typed.is_ok(),
        !report.has_errors(),
        "{}\ntyped: {:?}\nstrict: {:#?}",
        body,
        typed,
        report.diagnostics
    );
    Ok(())
}

proptest! {
    #[test]
    fn event(body in object(EVENT.0, EVENT.1)) {
        agree::<Event>(RequestKind::Event, &body)?;
    }

    #[test]
    fn batch(body in object(BATCH.0, BATCH.1)) {
        agree::<Batch>(RequestKind::Batch, &body)?;
    }

    #[test]
    fn identify(body in object(IDENTIFY.0, IDENTIFY.1)) {
        agree::<Identify>(RequestKind::Identify, &body)?;
    }

    #[test]
    fn alias(body in object(ALIAS.0, ALIAS.1)) {
        agree::<Alias>(RequestKind::Alias, &body)?;
    }

    #[test]
    fn suppress(body in object(SUPPRESS.0, SUPPRESS.1)) {
        agree::<Suppress>(RequestKind::Suppress, &body)?;
    }

    #[test]
    fn delete(body in object(DELETE.0, DELETE.1)) {
        agree::<Delete>(RequestKind::Delete, &body)?;
    }

    #[test]
    fn event_query(params in prop::collection::vec(query_param(), 0..9)) {
        let query = params.join("&");
        let typed = EventQuery::from_query(&query);
        let report = lint_query(&query, &RequestInfo::default(), &strict());
        prop_assert_eq!(typed.is_ok(), !report.has_errors(), "{}\ntyped: {:?}\nstrict: {:#?}", query, typed, report.diagnostics);
        if let Ok(typed) = typed {
            // What the typed query writes reads back the same.
            prop_assert_eq!(EventQuery::from_query(&typed.to_query_string()).ok(), Some(typed));
        }
    }

    #[test]
    fn typed_values_round_trip_and_lint_clean(body in object(&["apiKey", "eventName", "eventUniqueId", "properties", "eventTime"], &[])) {
        // Whatever deserializes serializes to a body the strict profile accepts.
        if let Ok(event) = serde_json::from_str::<Event>(&body) {
            let bytes = serde_json::to_vec(&event).unwrap();
            let report = lint_body(&bytes, &RequestInfo::of_kind(RequestKind::Event), &strict());
            prop_assert!(!report.has_errors(), "{:#?}", report.diagnostics);
            prop_assert_eq!(serde_json::from_slice::<Event>(&bytes).unwrap(), event);
        }
    }
}

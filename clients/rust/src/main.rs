//! Every request form, sent by the client progenitor generates from
//! `schemas/openapi-3.0.json` (see `build.rs`), to a loopback recorder; the
//! requests are written as a HAR file (the first argument) for
//! `indicative lint --profile strict` (scripts/check-generated-clients.sh).

#![allow(clippy::all, missing_docs, unused_qualifications, unreachable_pub)]

mod recorder;

mod client {
    include!(concat!(env!("OUT_DIR"), "/client.rs"));
}

use std::collections::HashMap;
use std::fmt::Debug;
use std::str::FromStr;

use client::types::{
    Alias, AliasKeyInPath, Batch, BatchEvent, Delete, DeleteKeyInPath, Event, EventKeyInPath, EventTime, Identify,
    IdentifyKeyInPath, Properties, PropertyValue, Suppress, SuppressKeyInPath,
};

/// A constrained text type, from text that meets its constraints.
fn t<T: FromStr>(text: &str) -> T
where
    T::Err: Debug,
{
    text.parse().unwrap_or_else(|e| panic!("{text:?}: {e:?}"))
}

fn properties(pairs: &[(&str, &str)]) -> Option<Properties> {
    let map: HashMap<String, PropertyValue> = pairs.iter().map(|(k, v)| ((*k).to_owned(), PropertyValue(v.to_string()))).collect();
    Some(Properties(map))
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let out = std::env::args().nth(1).expect("usage: indicative-progenitor-client CAPTURE.har");
    let (base, record) = recorder::start().await;
    let client = client::Client::new(&base);
    let key = "3f2a9c7e-5b1d-4e8a-9f6c-2d7b8e1a4c90";
    // Milliseconds, seconds, and ISO 8601 with and without a fraction.
    let times = [
        EventTime::Number(1_700_000_000_000.0),
        EventTime::Number(1_700_000_000.0),
        EventTime::String(t("2023-11-14T22:13:20Z")),
        EventTime::String(t("2023-11-14T22:13:20.123+01:00")),
    ];
    let mut sent = 0;
    for time in &times {
        let event = Event {
            api_key: t(key),
            event_name: t("Checkout"),
            event_unique_id: t("user47"),
            event_time: Some(time.clone().into()),
            properties: properties(&[("plan", "pro"), ("total", "24.90")]).map(Into::into),
        };
        client.track_event(&event).await.expect("track_event");
        let in_path = EventKeyInPath {
            api_key: None,
            event_name: event.event_name.clone(),
            event_unique_id: event.event_unique_id.clone(),
            event_time: Some(time.clone().into()),
            properties: properties(&[("plan", "pro"), ("total", "24.90")]).map(Into::into),
        };
        client.track_event_with_key_in_path(&t(key), &in_path).await.expect("track_event_with_key_in_path");
        sent += 2;
    }
    let bare = Event { api_key: t(key), event_name: t("Log-In"), event_unique_id: t("user752"), event_time: None, properties: None };
    client.track_event(&bare).await.expect("track_event");
    let events = times
        .iter()
        .enumerate()
        .map(|(i, time)| BatchEvent {
            api_key: None,
            event_name: t("Viewed"),
            event_unique_id: t(&format!("user{i}")),
            event_time: Some(time.clone().into()),
            properties: properties(&[("page", "/pricing")]).map(Into::into),
        })
        .collect();
    client.track_batch(&Batch { api_key: t(key), events }).await.expect("track_batch");
    sent += 2;
    let names = vec![t("Gender"), t("Age")];
    let values = vec![t("Female"), t("23")];
    for time in ["1700000000000", "1700000000", "2023-11-14T22:13:20Z"] {
        client
            .track_event_by_query(&t(key), &t("Registration"), Some(&t(time)), &t("user47"), Some(&names), Some(&values))
            .await
            .expect("track_event_by_query");
        sent += 1;
    }
    client.track_event_by_query(&t(key), &t("Registration"), None, &t("user47"), None, None).await.expect("GET");
    client
        .identify_user(&Identify { api_key: t(key), unique_id: t("user47"), properties: properties(&[("plan", "pro")]).map(Into::into) })
        .await
        .expect("identify_user");
    client
        .identify_user_with_key_in_path(
            &t(key),
            &IdentifyKeyInPath { api_key: None, unique_id: t("user47"), properties: properties(&[("plan", "pro")]).map(Into::into) },
        )
        .await
        .expect("identify_user_with_key_in_path");
    client.alias_user(&Alias { api_key: t(key), previous_id: t("anon-1"), new_id: t("user47") }).await.expect("alias_user");
    client
        .alias_user_with_key_in_path(&t(key), &AliasKeyInPath { api_key: None, previous_id: t("anon-1"), new_id: t("user47") })
        .await
        .expect("alias_user_with_key_in_path");
    client.suppress_user(&Suppress { api_key: t(key), unique_id: t("user47") }).await.expect("suppress_user");
    client
        .suppress_user_with_key_in_path(&t(key), &SuppressKeyInPath { api_key: None, unique_id: t("user47") })
        .await
        .expect("suppress_user_with_key_in_path");
    client.delete_user(&Delete { api_key: t(key), unique_id: t("user47") }).await.expect("delete_user");
    client
        .delete_user_with_key_in_path(&t(key), &DeleteKeyInPath { api_key: None, unique_id: t("user47") })
        .await
        .expect("delete_user_with_key_in_path");
    sent += 9;

    let captured = record.lock().expect("the record").clone();
    assert_eq!(captured.len(), sent, "every request reached the recorder");
    std::fs::write(&out, recorder::har(&captured).to_string()).expect("the HAR file");
    println!("captured {} requests", captured.len());
}

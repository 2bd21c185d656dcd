//! Raw identifiers are sent without their `r#`: a struct's name as the event
//! name, a field's as the property name, a variant's as its value.
#![allow(non_camel_case_types)]

use indicative_contract::{ToPropertyValue, TrackEvent};

#[derive(ToPropertyValue)]
enum Kind {
    Alpha,
    r#Gamma,
}

#[derive(TrackEvent)]
struct r#loop {
    #[event(unique_id)]
    user: String,
    r#type: Kind,
}

fn main() {
    let sent = r#loop { user: "u".into(), r#type: Kind::r#Gamma }.to_batch_event().unwrap();
    assert_eq!(sent.event_name.as_str(), "loop");
    assert_eq!(sent.properties.unwrap().get("type").unwrap().as_str(), "Gamma");
    assert_eq!(Kind::Alpha.to_property_value().unwrap().as_str(), "Alpha");
}

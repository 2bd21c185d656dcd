#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(TrackEvent)]
#[event(name = "")]
struct Opened {
    #[event(rename = "")]
    plan: String,
    tags: Vec<String>,
    #[event(skp)]
    note: String,
}

fn main() {}

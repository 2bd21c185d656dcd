#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(TrackEvent)]
struct Opened {
    #[event(unique_id)]
    user: String,
    #[event(time)]
    at: indicative_contract::EventTime,
    #[event(time)]
    received: indicative_contract::EventTime,
}

fn main() {}

#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(TrackEvent)]
struct Opened {
    #[event(unique_id, rename = "id")]
    user: String,
}

fn main() {}

#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(TrackEvent)]
struct Opened {
    #[event(unique_id)]
    user: String,
    tags: Vec<String>,
}

fn main() {}

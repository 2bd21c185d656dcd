#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(TrackEvent)]
struct Opened {
    #[event(unique_id)]
    user: String,
    #[event(unique_id)]
    device: String,
}

fn main() {}

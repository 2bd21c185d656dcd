#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(TrackEvent)]
struct Opened {
    user: String,
}

fn main() {}

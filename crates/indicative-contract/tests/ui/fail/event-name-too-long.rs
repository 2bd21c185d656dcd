#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(TrackEvent)]
#[event(name = "éééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé")]
struct Opened {
    #[event(unique_id)]
    user: String,
}

fn main() {}

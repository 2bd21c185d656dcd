#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(TrackEvent)]
#[event(nmae = "Opened")]
struct Opened {
    #[event(unique_id)]
    user: String,
    #[event(renam = "plan")]
    tier: String,
}

fn main() {}

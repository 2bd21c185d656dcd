#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

struct Address {
    city: String,
}

#[derive(TrackEvent)]
struct Opened {
    #[event(unique_id)]
    user: String,
    address: Address,
}

fn main() {}

#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(UserProperties)]
struct Profile {
    country: String,
}

fn main() {}

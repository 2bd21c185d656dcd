#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(ToPropertyValue)]
enum Plan {
    Free,
    Paid(u32),
}

fn main() {}

#![allow(dead_code, unused_imports)]

use indicative_contract::{TrackEvent, ToPropertyValue, UserProperties};

#[derive(ToPropertyValue)]
enum Plan {
    Free,
    #[property(rename = "Free")]
    Trial,
}

fn main() {}

#![allow(dead_code, unused_imports)]

const EMPTY: indicative_contract::EventName = indicative_contract::event_name!("");

fn main() {}

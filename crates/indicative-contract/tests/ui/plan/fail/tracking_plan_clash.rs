// Plan names that map to one Rust identifier: an error naming both.
indicative_contract::tracking_plan!("../../../../crates/indicative-contract/tests/ui/plans/clash.yaml");

fn main() {}

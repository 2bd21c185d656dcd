// The type of a deprecated event warns where it is used (denied here).
#![deny(deprecated)]

indicative_contract::tracking_plan!("../../../../crates/indicative-contract/tests/ui/plans/shop.yaml" as shop);

fn main() {
    let _ = shop::OrderPlaced::new("u", 12.0);
}

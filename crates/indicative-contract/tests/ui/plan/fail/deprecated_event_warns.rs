// A deprecated event warns (here denied, so that the warning shows), at its
// name; so does a property the plan does not have under its `warn` policy.
#![deny(deprecated)]
use indicative_contract::TrackEvent;

#[derive(TrackEvent)]
#[event(name = "Order Placed", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct OrderPlaced {
    #[event(unique_id)]
    user: String,
    total: f64,
}

#[derive(TrackEvent)]
#[event(name = "Page Viewed", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct PageViewed {
    #[event(unique_id)]
    user: String,
    path: String,
    title: Option<String>,
}

fn main() {}

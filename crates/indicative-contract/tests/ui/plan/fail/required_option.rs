// A required property's field cannot be an Option: an error at its type.
use indicative_contract::TrackEvent;

#[derive(TrackEvent)]
#[event(name = "Order Placed", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
#[deprecated]
struct OrderPlaced {
    #[event(unique_id)]
    user: String,
    total: Option<f64>,
}

fn main() {}

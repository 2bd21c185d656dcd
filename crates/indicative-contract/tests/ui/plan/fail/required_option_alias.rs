// A required property's field whose type may be absent behind an alias or a
// reference: refused by type, not by spelling.
use indicative_contract::TrackEvent;

type MaybeTotal = Option<f64>;

#[derive(TrackEvent)]
#[event(name = "Order Placed", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
#[deprecated]
struct OrderPlaced {
    #[event(unique_id)]
    user: String,
    total: MaybeTotal,
}

fn main() {}

// A property the plan requires has no field: an error at the struct.
use indicative_contract::TrackEvent;

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
    referral: String,
}

fn main() {}

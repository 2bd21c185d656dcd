// The event's name is not in the plan: an error at the name, with the
// planned name it is closest to.
use indicative_contract::TrackEvent;

#[derive(TrackEvent)]
#[event(name = "Sign up", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
}

fn main() {}

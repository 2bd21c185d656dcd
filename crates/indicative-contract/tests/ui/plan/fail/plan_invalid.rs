// A plan with a mistake: an error at the path that gives the mistake's
// file, line and column.
use indicative_contract::TrackEvent;

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "../../../../crates/indicative-contract/tests/ui/plans/broken.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
}

fn main() {}

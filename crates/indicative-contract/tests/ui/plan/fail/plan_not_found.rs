// A plan file that is not there: an error at the path.
use indicative_contract::TrackEvent;

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "no-such-plan.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
}

fn main() {}

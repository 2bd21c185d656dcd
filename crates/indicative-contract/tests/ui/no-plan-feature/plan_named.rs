// Without the `plan` feature, a plan named on a type is an error that says
// which feature to turn on: never a plan silently left unchecked.
use indicative_contract::TrackEvent;

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "tracking-plan.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
}

fn main() {}

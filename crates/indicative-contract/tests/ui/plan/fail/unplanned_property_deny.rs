// Under the plan's `deny` policy, a field the plan does not have is an
// error at its name (or its rename), with the closest planned name.
use indicative_contract::{ToPropertyValue, TrackEvent};

#[derive(ToPropertyValue)]
enum Method {
    #[property(rename = "email")]
    Email,
}

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
    method: Method,
    referal: Option<String>,
    #[event(rename = "coupon")]
    code: Option<String>,
}

fn main() {}

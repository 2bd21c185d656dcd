// An enum used for an `enum` property has a variant whose value the plan
// does not list: the error names the stray variant.
use indicative_contract::{ToPropertyValue, TrackEvent};

#[derive(ToPropertyValue)]
enum Method {
    #[property(rename = "email")]
    Email,
    #[property(rename = "apple")]
    Apple,
}

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
    method: Method,
}

fn main() {}

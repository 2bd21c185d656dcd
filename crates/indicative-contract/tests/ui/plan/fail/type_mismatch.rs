// A field whose type does not fit its property's type in the plan: an error
// at the type (the compiler's, from the trait FitsPlanType).
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
    age: Option<f64>,
    paid_at: Option<String>,
    referral: Option<bool>,
}

fn main() {}

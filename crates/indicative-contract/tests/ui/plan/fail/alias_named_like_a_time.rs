// An alias named like a type that fits `datetime` (`Timestamp`), but of a
// number: judged by its type, not its name (an error at the type).
use indicative_contract::{ToPropertyValue, TrackEvent};

type Timestamp = i64;

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
    paid_at: Option<Timestamp>,
}

fn main() {}

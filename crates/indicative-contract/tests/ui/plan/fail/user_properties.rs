// User properties are checked against the plan's `userProperties`: a
// property it does not have (policy `deny`). (Types are checked as for
// events, once the names are right: type_mismatch.rs.)
use indicative_contract::UserProperties;

#[derive(UserProperties)]
#[user(plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct Traits {
    #[user(unique_id)]
    id: String,
    seats: Option<String>,
    teir: Option<String>,
}

fn main() {}

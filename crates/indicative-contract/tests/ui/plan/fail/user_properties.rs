// User properties are checked against the plan's `userProperties`: a
// property it does not have (policy `deny`), and, in the same compile, a
// field whose type does not fit its property's (`seats` is an integer).
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

// Naming the plan on a type of another derive's attribute is refused as any
// unknown key is.
use indicative_contract::ToPropertyValue;

#[derive(ToPropertyValue)]
#[property(plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
enum Tier {
    Free,
}

fn main() {}

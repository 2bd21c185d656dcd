// A required property's field whose type, named through an alias, does not
// fit the property's type: the check of its presence also checks its type
// (an error at the type, the compiler's, from the trait FitsPlanType).
use indicative_contract::TrackEvent;

type Path = u64;

#[derive(TrackEvent)]
#[event(name = "Page Viewed", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct PageViewed {
    #[event(unique_id)]
    user: String,
    path: Path,
}

fn main() {}

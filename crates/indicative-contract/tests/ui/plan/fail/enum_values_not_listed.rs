// A type used for an `enum` property that neither lists its values (a
// `#[derive(ToPropertyValue)]` enum) nor is text, though it says it fits:
// an error at the type (the compiler's, from the trait PlanValues).
use indicative_contract::plan_types::{EnumType, FitsPlanType};
use indicative_contract::{PropertyValue, ToPropertyValue, TrackEvent};

struct Method(&'static str);

impl ToPropertyValue for Method {
    fn to_property_value(&self) -> Option<PropertyValue> {
        Some(self.0.into())
    }
}

impl FitsPlanType<EnumType> for Method {}

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
    method: Method,
}

fn main() {}

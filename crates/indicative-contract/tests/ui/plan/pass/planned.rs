// Types that fit the plan compile, with no warning: a planned event with its
// required properties, optional ones as Options, an enum of planned values,
// a timestamp for a datetime, integers of every width, and user properties;
// fields of generic types, checked in the method where the impl's generics
// are in scope; and a deprecated field type, which warns at the field only
// (allowed there), not again in the checks beside the impl.
#![deny(warnings)]
use indicative_contract::plan_types::{EnumType, FitsPlanType, IntegerType, PlanValues};
use indicative_contract::{ToPropertyValue, TrackEvent, UserProperties};

#[derive(Clone, Copy, ToPropertyValue)]
enum Method {
    #[property(rename = "email")]
    Email,
    #[property(rename = "google")]
    Google,
}

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct SignUp<'a> {
    #[event(unique_id)]
    user: &'a str,
    method: Method,
    referral: Option<&'a str>,
    age: Option<u8>,
    paid_at: Option<indicative_contract::jiff::Timestamp>,
}

#[deprecated(note = "a deprecated field type")]
type Years = u8;

#[allow(deprecated)]
#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct SignUpAged {
    #[event(unique_id)]
    user: String,
    method: Method,
    age: Years,
}

#[derive(ToPropertyValue)]
enum Tier {
    #[property(rename = "pro")]
    Pro,
}

#[derive(UserProperties)]
#[user(plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct Traits {
    #[user(unique_id)]
    id: String,
    tier: Option<Tier>,
    seats: u32,
}

#[derive(UserProperties)]
#[user(plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct GenericTraits<T: ToPropertyValue + PlanValues + FitsPlanType<EnumType>, N: ToPropertyValue + FitsPlanType<IntegerType>> {
    #[user(unique_id)]
    id: String,
    tier: Option<T>,
    seats: N,
}

fn main() {
    let event = SignUp { user: "u", method: Method::Google, referral: None, age: Some(30), paid_at: None };
    let sent = event.to_batch_event().unwrap();
    assert_eq!(sent.event_name.as_str(), "Sign Up");
    #[allow(deprecated)]
    let aged = SignUpAged { user: "u".into(), method: Method::Email, age: 30 }.to_batch_event().unwrap();
    assert_eq!(aged.event_name.as_str(), "Sign Up");
    let generic = GenericTraits { id: "u".into(), tier: Some(Tier::Pro), seats: 3_u64 }.to_parts().unwrap();
    let _ = (generic, Method::Email, Traits { id: "u".into(), tier: Some(Tier::Pro), seats: 3 }.to_parts().unwrap());
}

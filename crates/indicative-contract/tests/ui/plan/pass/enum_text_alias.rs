// Text for an `enum` property compiles whatever it is called: an alias of
// `String`, an `Option` or a reference of one, a `Cow<str>`, judged by type
// (`PlanValues`, which text implements listing no values: they are checked
// when linted), not by spelling.
#![deny(warnings)]
use std::borrow::Cow;

use indicative_contract::{TrackEvent, UserProperties};

type Text = String;

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct SignUp {
    #[event(unique_id)]
    user: String,
    method: Text,
}

#[derive(TrackEvent)]
#[event(name = "Sign Up", plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct SignUpBorrowed<'a> {
    #[event(unique_id)]
    user: &'a str,
    method: &'a Text,
}

#[derive(UserProperties)]
#[user(plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct Traits<'a> {
    #[user(unique_id)]
    id: String,
    tier: Option<Text>,
    #[user(skip)]
    _other: Option<Cow<'a, str>>,
}

#[derive(UserProperties)]
#[user(plan = "../../../../crates/indicative-contract/tests/ui/plans/shop.yaml")]
struct CowTraits<'a> {
    #[user(unique_id)]
    id: String,
    tier: Option<Cow<'a, str>>,
}

fn main() {
    let sent = SignUp { user: "u".into(), method: "email".into() }.to_batch_event().unwrap();
    assert_eq!(sent.properties.unwrap().get("method").unwrap().as_str(), "email");
    let method = Text::from("google");
    let _ = SignUpBorrowed { user: "u", method: &method }.to_batch_event().unwrap();
    let (_, properties) = Traits { id: "u".into(), tier: Some("pro".into()), _other: None }.to_parts().unwrap();
    assert_eq!(properties.get("tier").unwrap().as_str(), "pro");
    let _ = CowTraits { id: "u".into(), tier: Some(Cow::Borrowed("free")) }.to_parts().unwrap();
}

// tracking_plan! on names that are not Rust identifiers: every one maps to
// an identifier by the documented rule, and the code compiles with no
// warning; a deprecated event warns only where it is used.
#![deny(warnings)]

indicative_contract::tracking_plan!("../../../../crates/indicative-contract/tests/ui/plans/terrible.yaml" as terrible);

use indicative_contract::{TrackEvent, UserProperties};
use terrible::{_42TerribleEventName3, _42TerribleEventName3KindOfThing as Kind, Self_, Unnamed, User};

fn main() {
    let mut event = _42TerribleEventName3::new("u", Kind::AB, "text".to_owned());
    event.self_ = Some(7);
    event._42 = Some(1.5);
    event.unnamed = Some(true);
    let sent = event.to_batch_event().unwrap();
    assert_eq!(sent.event_name.as_str(), "42_--terrible==\"event'++name~!3");
    let properties = sent.properties.unwrap();
    assert_eq!(properties.get("kind of thing").unwrap().as_str(), "a b");
    assert_eq!(properties.get("Self").unwrap().as_str(), "7");
    assert_eq!(properties.get("€").unwrap().as_str(), "true");
    let _ = (Kind::XY, Kind::Self_, Kind::Unnamed, Kind::_9);
    assert_eq!(Self_::new("u").to_batch_event().unwrap().event_name.as_str(), "Self");
    assert_eq!(Unnamed::new("u").to_batch_event().unwrap().event_name.as_str(), "日本語");
    let mut user = User::new("u");
    user.user_s_id = Some("x".to_owned());
    let _ = user.to_parts().unwrap();
}

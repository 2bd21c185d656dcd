//! Every field kind a derived event takes, and names at 255 characters.

use indicative_contract::{ApiKey, Batch, EventTime, ToPropertyValue, TrackEvent, UserProperties};

#[derive(ToPropertyValue)]
enum Plan {
    Free,
    #[property(rename = "pro plan")]
    Pro,
}

struct Cents(u64);

impl ToPropertyValue for Cents {
    fn to_property_value(&self) -> Option<indicative_contract::PropertyValue> {
        Some(format!("{}.{:02}", self.0 / 100, self.0 % 100).into())
    }
}

#[derive(TrackEvent)]
#[event(name = "ééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééééé")]
struct Purchased<'a> {
    #[event(unique_id)]
    user: u64,
    #[event(time)]
    at: Option<jiff::Timestamp>,
    plan: Plan,
    price: Cents,
    quantity: u32,
    ratio: f64,
    gift: bool,
    coupon: Option<String>,
    note: &'a str,
    #[event(rename = "😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀")]
    long_name: char,
    r#type: String,
    #[event(skip)]
    internal: Vec<String>,
}

#[derive(TrackEvent)]
struct Opened {
    #[event(unique_id)]
    user: String,
    #[event(time)]
    at: EventTime,
}

#[derive(UserProperties)]
struct Profile {
    #[user(unique_id)]
    id: String,
    plan: Plan,
    #[user(skip)]
    cache: std::collections::HashMap<String, String>,
}

fn main() {
    let key = ApiKey::new("K").unwrap();
    let purchased = Purchased {
        user: 47,
        at: None,
        plan: Plan::Pro,
        price: Cents(1999),
        quantity: 2,
        ratio: 0.5,
        gift: false,
        coupon: None,
        note: "n",
        long_name: 'x',
        r#type: "t".into(),
        internal: vec![],
    };
    let opened = Opened { user: "u".into(), at: EventTime::from_unix_millis(1_700_000_000_000).unwrap() };
    let _ = purchased.to_event(&key).unwrap();
    let _ = Batch::from_tracked(key.clone(), [&purchased as &dyn TrackEvent, &opened]).unwrap();
    let _ = Profile { id: "u".into(), plan: Plan::Free, cache: Default::default() }.to_identify(&key).unwrap();
}

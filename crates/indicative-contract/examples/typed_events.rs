//! Typed events: describe each event once, as a struct, and send requests
//! that cannot be invalid. Names and limits are checked when this compiles;
//! only values known at run time (the user's id) are checked when it runs.
//!
//! ```text
//! cargo run -p indicative-contract --example typed_events
//! ```

use indicative_contract::{ApiKey, Batch, ContractError, EventTime, ToPropertyValue, TrackEvent, UserProperties};

/// A plan, stored as its name.
#[derive(ToPropertyValue)]
enum Plan {
    Free,
    #[property(rename = "pro plan")]
    Pro,
}

#[derive(TrackEvent)]
#[event(name = "Subscription Started")]
struct SubscriptionStarted {
    #[event(unique_id)]
    user_id: String,
    #[event(time)]
    started_at: Option<EventTime>,
    plan: Plan,
    #[event(rename = "seats")]
    seat_count: u32,
    coupon: Option<String>,
    #[event(skip)]
    internal_note: String,
}

#[derive(TrackEvent)]
struct Login {
    #[event(unique_id)]
    user_id: String,
    method: &'static str,
}

#[derive(UserProperties)]
struct Profile {
    #[user(unique_id)]
    user_id: String,
    plan: Plan,
    country: String,
}

/// The body as sent, but with the key masked: never log a key in full.
fn shown(body: &impl serde::Serialize, key: &ApiKey) -> String {
    let mut value = serde_json::to_value(body).unwrap_or_default();
    value["apiKey"] = key.to_string().into();
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn main() -> Result<(), ContractError> {
    let key = ApiKey::new("Your-API-Key")?;
    let started = SubscriptionStarted {
        user_id: "user47".into(),
        started_at: Some(EventTime::from_unix_millis(1_700_000_000_000)?),
        plan: Plan::Pro,
        seat_count: 5,
        coupon: None,
        internal_note: "never sent".into(),
    };
    let login = Login { user_id: "user47".into(), method: "password" };
    // A skipped field stays in the application.
    println!("kept, not sent: {:?}\n", started.internal_note);

    let batch = Batch::from_tracked(key.clone(), [&started as &dyn TrackEvent, &login])?;
    println!("POST /service/event/batch\n{}\n", shown(&batch, &key));

    let identify = Profile { user_id: "user47".into(), plan: Plan::Free, country: "FR".into() }.to_identify(&key)?;
    println!("POST /service/identify\n{}\n", shown(&identify, &key));

    // A value known only at run time is checked then, with the rule's code.
    let nobody = Login { user_id: String::new(), method: "sso" };
    match nobody.to_event(&key) {
        Ok(_) => println!("unexpected: an empty user id was accepted"),
        Err(error) => println!("refused: {error}"),
    }
    Ok(())
}

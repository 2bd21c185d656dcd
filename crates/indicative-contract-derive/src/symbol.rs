//! The attribute keywords, named once.

/// `#[event(...)]`, on a `TrackEvent` struct and its fields.
pub const EVENT: &str = "event";
/// `#[user(...)]`, on a `UserProperties` struct's fields.
pub const USER: &str = "user";
/// `#[property(...)]`, on an `ToPropertyValue` enum's variants.
pub const PROPERTY: &str = "property";

/// `name = "..."`: the event's name (container).
pub const NAME: &str = "name";
/// `unique_id`: the field holding the user's id.
pub const UNIQUE_ID: &str = "unique_id";
/// `time`: the field holding the event's time.
pub const TIME: &str = "time";
/// `rename = "..."`: the property's (or variant's) name.
pub const RENAME: &str = "rename";
/// `skip`: a field that is not sent.
pub const SKIP: &str = "skip";
/// `plan = "..."`: the tracking plan to check against (container), relative
/// to the crate's manifest directory.
pub const PLAN: &str = "plan";
/// `generated`: the type was generated from a plan by `tracking_plan!` in
/// this compilation (container): it is not checked against a plan again.
pub const GENERATED: &str = "generated";

//! The types of the tracking plan Acme Shop (2-1-0),
//! generated from `tracking-plan.yaml` by `indicative plan codegen rust`.
//! Do not edit: generate again when the plan changes.
//! `tracking_plan!` expands to the same items.

/// Event `Cart Viewed` of the tracking plan Acme Shop (2-1-0). Owner: checkout.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Cart Viewed")]
pub struct CartViewed {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// The cart's id.
    ///
    /// Property `cart_id`: string, required.
    pub cart_id: ::std::string::String,
    /// How many items the cart holds.
    ///
    /// Property `item_count`: integer.
    pub item_count: ::core::option::Option<i64>,
}
#[allow(deprecated)]
impl CartViewed {
    /// A `CartViewed` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>, cart_id: ::std::string::String) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            cart_id,
            item_count: ::core::option::Option::None,
        }
    }
}
/// The values of property `currency` of event `Checkout Completed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum CheckoutCompletedCurrency {
    /// `USD`
    #[property(rename = "USD")]
    Usd,
    /// `EUR`
    #[property(rename = "EUR")]
    Eur,
    /// `GBP`
    #[property(rename = "GBP")]
    Gbp,
}
/// The order was paid.
///
/// Event `Checkout Completed` of the tracking plan Acme Shop (2-1-0). Owner: checkout.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Checkout Completed")]
pub struct CheckoutCompleted {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `coupon`: string.
    pub coupon: ::core::option::Option<::std::string::String>,
    /// Property `currency`: enum, required.
    pub currency: CheckoutCompletedCurrency,
    /// Property `order_id`: string, required.
    pub order_id: ::std::string::String,
    /// Property `paid_at`: datetime.
    pub paid_at: ::core::option::Option<::indicative_contract::jiff::Timestamp>,
    /// Property `total`: number, required.
    pub total: f64,
    /// The cart's id.
    ///
    /// Property `cart_id`: string, required.
    pub cart_id: ::std::string::String,
    /// How many items the cart holds.
    ///
    /// Property `item_count`: integer.
    pub item_count: ::core::option::Option<i64>,
}
#[allow(deprecated)]
impl CheckoutCompleted {
    /// A `CheckoutCompleted` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        unique_id: impl ::core::convert::Into<::std::string::String>,
        currency: CheckoutCompletedCurrency,
        order_id: ::std::string::String,
        total: f64,
        cart_id: ::std::string::String,
    ) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            coupon: ::core::option::Option::None,
            currency,
            order_id,
            paid_at: ::core::option::Option::None,
            total,
            cart_id,
            item_count: ::core::option::Option::None,
        }
    }
}
/// The values of property `currency` of event `Checkout Started`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum CheckoutStartedCurrency {
    /// `USD`
    #[property(rename = "USD")]
    Usd,
    /// `EUR`
    #[property(rename = "EUR")]
    Eur,
    /// `GBP`
    #[property(rename = "GBP")]
    Gbp,
}
/// Event `Checkout Started` of the tracking plan Acme Shop (2-1-0). Owner: checkout.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Checkout Started")]
pub struct CheckoutStarted {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `currency`: enum, required.
    pub currency: CheckoutStartedCurrency,
    /// Property `total`: number, required.
    pub total: f64,
    /// The cart's id.
    ///
    /// Property `cart_id`: string, required.
    pub cart_id: ::std::string::String,
    /// How many items the cart holds.
    ///
    /// Property `item_count`: integer.
    pub item_count: ::core::option::Option<i64>,
}
#[allow(deprecated)]
impl CheckoutStarted {
    /// A `CheckoutStarted` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        unique_id: impl ::core::convert::Into<::std::string::String>,
        currency: CheckoutStartedCurrency,
        total: f64,
        cart_id: ::std::string::String,
    ) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            currency,
            total,
            cart_id,
            item_count: ::core::option::Option::None,
        }
    }
}
/// The values of property `method` of event `Log In`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum LogInMethod {
    /// `email`
    #[property(rename = "email")]
    Email,
    /// `google`
    #[property(rename = "google")]
    Google,
    /// `apple`
    #[property(rename = "apple")]
    Apple,
}
/// Event `Log In` of the tracking plan Acme Shop (2-1-0). Owner: identity.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Log In")]
pub struct LogIn {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `method`: enum, required.
    pub method: LogInMethod,
}
#[allow(deprecated)]
impl LogIn {
    /// A `LogIn` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>, method: LogInMethod) -> Self {
        Self { unique_id: unique_id.into(), event_time: ::core::option::Option::None, method }
    }
}
/// Event `Log Out` of the tracking plan Acme Shop (2-1-0). Owner: identity.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Log Out")]
pub struct LogOut {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
}
#[allow(deprecated)]
impl LogOut {
    /// A `LogOut` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>) -> Self {
        Self { unique_id: unique_id.into(), event_time: ::core::option::Option::None }
    }
}
/// The values of property `list` of event `Newsletter Subscribed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum NewsletterSubscribedList {
    /// `weekly`
    #[property(rename = "weekly")]
    Weekly,
    /// `product news`
    #[property(rename = "product news")]
    ProductNews,
}
/// Not sent yet; the form ships next quarter.
///
/// Event `Newsletter Subscribed` of the tracking plan Acme Shop (2-1-0). Owner: growth.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Newsletter Subscribed")]
pub struct NewsletterSubscribed {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `list`: enum, required.
    pub list: NewsletterSubscribedList,
}
#[allow(deprecated)]
impl NewsletterSubscribed {
    /// A `NewsletterSubscribed` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>, list: NewsletterSubscribedList) -> Self {
        Self { unique_id: unique_id.into(), event_time: ::core::option::Option::None, list }
    }
}
/// Replaced by Checkout Completed.
///
/// Event `Order Placed` of the tracking plan Acme Shop (2-1-0). Owner: checkout.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Order Placed")]
#[deprecated(note = "the tracking plan deprecates event `Order Placed`; it is refused from 2024-09-30")]
pub struct OrderPlaced {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `order_id`: string.
    pub order_id: ::core::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl OrderPlaced {
    /// A `OrderPlaced` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            order_id: ::core::option::Option::None,
        }
    }
}
/// The values of property `reason` of event `Order Refunded`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum OrderRefundedReason {
    /// `damaged`
    #[property(rename = "damaged")]
    Damaged,
    /// `late`
    #[property(rename = "late")]
    Late,
    /// `not as described`
    #[property(rename = "not as described")]
    NotAsDescribed,
    /// `other`
    #[property(rename = "other")]
    Other,
}
/// Event `Order Refunded` of the tracking plan Acme Shop (2-1-0). Owner: support.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Order Refunded")]
pub struct OrderRefunded {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `amount`: number, required.
    pub amount: f64,
    /// Property `order_id`: string, required.
    pub order_id: ::std::string::String,
    /// Property `reason`: enum.
    pub reason: ::core::option::Option<OrderRefundedReason>,
}
#[allow(deprecated)]
impl OrderRefunded {
    /// A `OrderRefunded` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        unique_id: impl ::core::convert::Into<::std::string::String>,
        amount: f64,
        order_id: ::std::string::String,
    ) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            amount,
            order_id,
            reason: ::core::option::Option::None,
        }
    }
}
/// Event `Page Viewed` of the tracking plan Acme Shop (2-1-0). Owner: web.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Page Viewed")]
pub struct PageViewed {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `path`: string, required.
    pub path: ::std::string::String,
    /// Property `referrer`: string.
    pub referrer: ::core::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl PageViewed {
    /// A `PageViewed` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>, path: ::std::string::String) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            path,
            referrer: ::core::option::Option::None,
        }
    }
}
/// Event `Product Added` of the tracking plan Acme Shop (2-1-0). Owner: catalog.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Product Added")]
pub struct ProductAdded {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `product_id`: string, required.
    pub product_id: ::std::string::String,
    /// Property `quantity`: integer, required.
    pub quantity: i64,
    /// The cart's id.
    ///
    /// Property `cart_id`: string, required.
    pub cart_id: ::std::string::String,
    /// How many items the cart holds.
    ///
    /// Property `item_count`: integer.
    pub item_count: ::core::option::Option<i64>,
}
#[allow(deprecated)]
impl ProductAdded {
    /// A `ProductAdded` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        unique_id: impl ::core::convert::Into<::std::string::String>,
        product_id: ::std::string::String,
        quantity: i64,
        cart_id: ::std::string::String,
    ) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            product_id,
            quantity,
            cart_id,
            item_count: ::core::option::Option::None,
        }
    }
}
/// The values of property `currency` of event `Product Viewed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum ProductViewedCurrency {
    /// `USD`
    #[property(rename = "USD")]
    Usd,
    /// `EUR`
    #[property(rename = "EUR")]
    Eur,
    /// `GBP`
    #[property(rename = "GBP")]
    Gbp,
}
/// Event `Product Viewed` of the tracking plan Acme Shop (2-1-0). Owner: catalog.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Product Viewed")]
pub struct ProductViewed {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `category`: string.
    pub category: ::core::option::Option<::std::string::String>,
    /// Property `currency`: enum, required.
    pub currency: ProductViewedCurrency,
    /// Property `price`: number, required.
    pub price: f64,
    /// Property `product_id`: string, required.
    pub product_id: ::std::string::String,
}
#[allow(deprecated)]
impl ProductViewed {
    /// A `ProductViewed` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        unique_id: impl ::core::convert::Into<::std::string::String>,
        currency: ProductViewedCurrency,
        price: f64,
        product_id: ::std::string::String,
    ) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            category: ::core::option::Option::None,
            currency,
            price,
            product_id,
        }
    }
}
/// The values of property `method` of event `Sign Up`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum SignUpMethod {
    /// `email`
    #[property(rename = "email")]
    Email,
    /// `google`
    #[property(rename = "google")]
    Google,
    /// `apple`
    #[property(rename = "apple")]
    Apple,
}
/// The values of property `plan` of event `Sign Up`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum SignUpPlan {
    /// `free`
    #[property(rename = "free")]
    Free,
    /// `pro`
    #[property(rename = "pro")]
    Pro,
    /// `enterprise`
    #[property(rename = "enterprise")]
    Enterprise,
}
/// A visitor created an account.
///
/// Event `Sign Up` of the tracking plan Acme Shop (2-1-0). Owner: growth.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Sign Up")]
pub struct SignUp {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `method`: enum, required.
    pub method: SignUpMethod,
    /// Property `plan`: enum.
    pub plan: ::core::option::Option<SignUpPlan>,
    /// Property `referral_code`: string.
    pub referral_code: ::core::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl SignUp {
    /// A `SignUp` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>, method: SignUpMethod) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            method,
            plan: ::core::option::Option::None,
            referral_code: ::core::option::Option::None,
        }
    }
}
/// The values of property `plan` of event `Subscription Cancelled`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum SubscriptionCancelledPlan {
    /// `free`
    #[property(rename = "free")]
    Free,
    /// `pro`
    #[property(rename = "pro")]
    Pro,
    /// `enterprise`
    #[property(rename = "enterprise")]
    Enterprise,
}
/// Event `Subscription Cancelled` of the tracking plan Acme Shop (2-1-0). Owner: billing.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Subscription Cancelled")]
pub struct SubscriptionCancelled {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `plan`: enum, required.
    pub plan: SubscriptionCancelledPlan,
    /// Property `reason`: string.
    pub reason: ::core::option::Option<::std::string::String>,
}
#[allow(deprecated)]
impl SubscriptionCancelled {
    /// A `SubscriptionCancelled` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>, plan: SubscriptionCancelledPlan) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            plan,
            reason: ::core::option::Option::None,
        }
    }
}
/// The values of property `plan` of event `Subscription Started`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum SubscriptionStartedPlan {
    /// `free`
    #[property(rename = "free")]
    Free,
    /// `pro`
    #[property(rename = "pro")]
    Pro,
    /// `enterprise`
    #[property(rename = "enterprise")]
    Enterprise,
}
/// Event `Subscription Started` of the tracking plan Acme Shop (2-1-0). Owner: billing.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::TrackEvent)]
#[event(name = "Subscription Started")]
pub struct SubscriptionStarted {
    /// The unique id of the user who triggered the event (`eventUniqueId`).
    #[event(unique_id)]
    pub unique_id: ::std::string::String,
    /// When it happened (`eventTime`); `None` is when the API receives it.
    #[event(time)]
    pub event_time: ::core::option::Option<::indicative_contract::EventTime>,
    /// Property `plan`: enum, required.
    pub plan: SubscriptionStartedPlan,
    /// Property `seats`: integer.
    pub seats: ::core::option::Option<i64>,
    /// Property `trial`: boolean.
    pub trial: ::core::option::Option<bool>,
}
#[allow(deprecated)]
impl SubscriptionStarted {
    /// A `SubscriptionStarted` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>, plan: SubscriptionStartedPlan) -> Self {
        Self {
            unique_id: unique_id.into(),
            event_time: ::core::option::Option::None,
            plan,
            seats: ::core::option::Option::None,
            trial: ::core::option::Option::None,
        }
    }
}
/// The values of property `plan` of the user properties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::indicative_contract::ToPropertyValue)]
pub enum UserPlan {
    /// `free`
    #[property(rename = "free")]
    Free,
    /// `pro`
    #[property(rename = "pro")]
    Pro,
    /// `enterprise`
    #[property(rename = "enterprise")]
    Enterprise,
}
/// The user properties of the tracking plan Acme Shop (2-1-0), for identify requests.
#[derive(Debug, Clone, PartialEq, ::indicative_contract::UserProperties)]
pub struct User {
    /// The user's unique id (`uniqueId`).
    #[user(unique_id)]
    pub unique_id: ::std::string::String,
    /// Property `company`: string.
    pub company: ::core::option::Option<::std::string::String>,
    /// Property `email`: string.
    pub email: ::core::option::Option<::std::string::String>,
    /// Property `plan`: enum.
    pub plan: ::core::option::Option<UserPlan>,
    /// Property `seats`: integer.
    pub seats: ::core::option::Option<i64>,
    /// Property `signed_up_at`: datetime.
    pub signed_up_at: ::core::option::Option<::indicative_contract::jiff::Timestamp>,
}
#[allow(deprecated)]
impl User {
    /// A `User` with its required properties; the others are `None`.
    #[must_use]
    #[allow(clippy::too_many_arguments)]
    pub fn new(unique_id: impl ::core::convert::Into<::std::string::String>) -> Self {
        Self {
            unique_id: unique_id.into(),
            company: ::core::option::Option::None,
            email: ::core::option::Option::None,
            plan: ::core::option::Option::None,
            seats: ::core::option::Option::None,
            signed_up_at: ::core::option::Option::None,
        }
    }
}

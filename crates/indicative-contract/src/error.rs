//! The error of the typed models: a broken rule, with the rule's code.

use std::fmt;

use crate::rule::Rule;

/// A value that breaks a rule of the contract, refused by a typed model.
///
/// It carries the same [`Rule`] the lint engine reports for the same value.
///
/// ```
/// use indicative_contract::{EventName, Rule};
/// let err = EventName::new("").unwrap_err();
/// assert_eq!(err.rule(), Rule::EmptyField);
/// assert_eq!(err.to_string(), "[empty-field] eventName is empty; it needs 1 to 255 characters");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractError {
    rule: Rule,
    message: String,
}

impl ContractError {
    pub(crate) fn new(rule: Rule, message: impl Into<String>) -> Self {
        Self { rule, message: message.into() }
    }

    /// The rule the value breaks.
    ///
    /// ```
    /// use indicative_contract::{ApiKey, Rule};
    /// assert_eq!(ApiKey::new(" ").unwrap_err().rule(), Rule::InvalidApiKey);
    /// ```
    #[must_use]
    pub const fn rule(&self) -> Rule {
        self.rule
    }

    /// The message, without the code.
    ///
    /// ```
    /// use indicative_contract::UniqueId;
    /// assert!(UniqueId::new("").unwrap_err().message().contains("uniqueId"));
    /// ```
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ContractError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{}] {}", self.rule.code(), self.message)
    }
}

impl std::error::Error for ContractError {}

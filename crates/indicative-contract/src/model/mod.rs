//! The typed requests: values that cannot break the contract.

pub(crate) mod requests;
pub(crate) mod values;

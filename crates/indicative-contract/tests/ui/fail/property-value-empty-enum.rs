// An enum with no variants has no value to send: an error at the enum, not
// the compiler's own about the derive's code.
use indicative_contract::ToPropertyValue;

#[derive(ToPropertyValue)]
enum Empty {}

fn main() {}

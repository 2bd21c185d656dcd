//! The one rule that turns a plan's names (events, properties, enum values)
//! into Rust identifiers.
//!
//! 1. The name is cut into words: each run of ASCII letters and digits is a
//!    word, and a run is cut again where a lower-case letter or a digit is
//!    followed by an upper-case one (`signUp`: `sign`, `Up`), and before the
//!    last capital of a run of capitals followed by a lower-case letter
//!    (`HTTPServer`: `HTTP`, `Server`). Every other character (spaces,
//!    punctuation, letters outside ASCII) only separates words.
//! 2. A type or variant joins the words capitalised (`Order Completed`:
//!    `OrderCompleted`; `URL opened`: `UrlOpened`); a field joins them in
//!    lower case with `_` (`Order Total`: `order_total`).
//! 3. A name with no word at all becomes `Unnamed` (`unnamed`).
//! 4. An identifier that would start with a digit gets a leading `_`
//!    (`42 things`: `_42Things`, `_42_things`).
//! 5. A Rust keyword gets a trailing `_` (`type`: `type_`; `Self`: `Self_`).
//!
//! Two names of one scope (the types of a plan, the fields of an event, the
//! variants of an enum) that come out the same are an error that names both;
//! rename one in the plan.
//!
//! ```
//! use indicative_plan_rust::idents::{field_ident, type_ident};
//! assert_eq!(type_ident("Checkout Completed"), "CheckoutCompleted");
//! assert_eq!(field_ident("orderTotal"), "order_total");
//! assert_eq!(type_ident("42_--terrible==\"event'++name~!3"), "_42TerribleEventName3");
//! assert_eq!(field_ident("type"), "type_");
//! assert_eq!(type_ident("€"), "Unnamed");
//! ```

/// Rust's keywords (strict and reserved, edition 2024), which an identifier
/// made by the rule may not be.
const KEYWORDS: &[&str] = &[
    "Self", "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro",
    "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self", "static", "struct", "super",
    "trait", "true", "try", "type", "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while",
    "yield",
];

/// The words of `name`, by step 1 of the rule.
///
/// ```
/// use indicative_plan_rust::idents::words;
/// assert_eq!(words("HTTPServer signUp v2"), ["HTTP", "Server", "sign", "Up", "v2"]);
/// ```
#[must_use]
pub fn words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    for run in name.split(|c: char| !c.is_ascii_alphanumeric()).filter(|run| !run.is_empty()) {
        let bytes = run.as_bytes();
        let mut start = 0;
        for i in 1..bytes.len() {
            let (before, here) = (bytes[i - 1], bytes[i]);
            let next_lower = bytes.get(i + 1).is_some_and(u8::is_ascii_lowercase);
            let cut = here.is_ascii_uppercase()
                && (before.is_ascii_lowercase()
                    || before.is_ascii_digit()
                    || (before.is_ascii_uppercase() && next_lower));
            if cut {
                words.push(&run[start..i]);
                start = i;
            }
        }
        words.push(&run[start..]);
    }
    words
}

fn finish(mut ident: String, unnamed: &str) -> String {
    if ident.is_empty() {
        ident = unnamed.to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        ident.insert(0, '_');
    }
    if KEYWORDS.contains(&ident.as_str()) {
        ident.push('_');
    }
    ident
}

/// The identifier of a type or an enum variant named `name`.
///
/// ```
/// assert_eq!(indicative_plan_rust::idents::type_ident("sign_up"), "SignUp");
/// ```
#[must_use]
pub fn type_ident(name: &str) -> String {
    let mut ident = String::new();
    for word in words(name) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            ident.push(first.to_ascii_uppercase());
            ident.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    finish(ident, "Unnamed")
}

/// The identifier of a field named `name`.
///
/// ```
/// assert_eq!(indicative_plan_rust::idents::field_ident("Plan Tier"), "plan_tier");
/// ```
#[must_use]
pub fn field_ident(name: &str) -> String {
    let ident = words(name).iter().map(|w| w.to_ascii_lowercase()).collect::<Vec<_>>().join("_");
    finish(ident, "unnamed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_identifier_made_is_one_rust_reads() {
        let names = [
            "Sign Up",
            "signUp",
            "sign_up",
            "SIGN-UP",
            "42",
            "",
            "   ",
            "type",
            "Self",
            "self",
            "crate",
            "a1B2",
            "日本",
            "42_--terrible==\"event'++name~!3",
            "x",
            "_",
            "__a__",
            "async",
            "Ünïcode",
        ];
        for name in names {
            for ident in [type_ident(name), field_ident(name)] {
                assert!(syn::parse_str::<syn::Ident>(&ident).is_ok(), "{name:?} gave {ident:?}");
            }
        }
    }

    #[test]
    fn the_rule_as_documented() {
        assert_eq!(type_ident("URL opened"), "UrlOpened");
        assert_eq!(field_ident("HTTPServer"), "http_server");
        assert_eq!(type_ident("42 things"), "_42Things");
        assert_eq!(field_ident("42 things"), "_42_things");
        assert_eq!(type_ident("Self"), "Self_");
        assert_eq!(field_ident("self"), "self_");
        assert_eq!(field_ident("Ünïcode"), "n_code");
        assert_eq!(type_ident(""), "Unnamed");
    }
}

//! Suggestions for names that are not in the plan: the same name but for
//! case and white space first, then the closest within a small edit
//! distance.

/// A name with case and white space ironed out: `" Sign  Up"` and
/// `"sign up"` fold alike, and so do `"SignUp"` and `"Sign Up"`.
///
/// ```
/// use indicative_plan_model::suggest::folded;
/// assert_eq!(folded(" Sign  Up "), folded("signup"));
/// assert_ne!(folded("Sign Up"), folded("Sign In"));
/// ```
#[must_use]
pub fn folded(name: &str) -> String {
    name.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').flat_map(char::to_lowercase).collect()
}

/// The characters of [`folded`], without building the string.
fn folded_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.chars().filter(|c| !c.is_whitespace() && *c != '_' && *c != '-').flat_map(char::to_lowercase)
}

/// A hash of [`folded`]`(name)`, without building it: names that fold
/// alike hash alike.
///
/// ```
/// use indicative_plan_model::suggest::{fold_hash, same_folded};
/// assert_eq!(fold_hash("Sign Up"), fold_hash("sign_up"));
/// assert!(same_folded("Sign Up", "signup") && !same_folded("Sign Up", "Sign In"));
/// ```
#[must_use]
pub fn fold_hash(name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    if name.is_ascii() {
        // The same characters as below, hashed alike, without decoding:
        // most names are ASCII, and a plan's check folds every one.
        for &byte in name.as_bytes() {
            if !matches!(byte, b' ' | b'\t'..=b'\r' | b'_' | b'-') {
                char::from(byte.to_ascii_lowercase()).hash(&mut hasher);
            }
        }
    } else {
        for c in folded_chars(name) {
            c.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Whether two names fold alike.
#[must_use]
pub fn same_folded(a: &str, b: &str) -> bool {
    folded_chars(a).eq(folded_chars(b))
}

/// The candidate `unknown` most likely meant, if any is close enough.
///
/// ```
/// use indicative_plan_model::suggest::did_you_mean;
/// let planned = ["Sign Up", "Checkout Completed", "Product Viewed"];
/// assert_eq!(did_you_mean("signup", planned), Some("Sign Up"));
/// assert_eq!(did_you_mean("Checkout Complete", planned), Some("Checkout Completed"));
/// assert_eq!(did_you_mean("Logout", planned), None);
/// ```
pub fn did_you_mean<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let fold = folded(unknown);
    let length = fold.chars().count();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let other = folded(candidate);
        if other == fold {
            return Some(candidate);
        }
        if !in_reach(length, &other) {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&fold, &other);
        // One edit in short names, two in longer ones, never more than a
        // third of the name.
        let allowed = if other.chars().count() > 6 { 2 } else { 1 };
        if distance <= allowed && distance * 3 <= other.chars().count() && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// Whether a folded candidate is within two edits of a folded name of
/// `length` characters by their lengths alone: only then are they compared
/// (which costs the product of their lengths, in time and memory).
fn in_reach(length: usize, candidate: &str) -> bool {
    // Typos are made in names people type: past this length, two names of
    // like length are not compared (which would cost the product).
    const LONGEST: usize = 100;
    length <= LONGEST && candidate.chars().count().abs_diff(length) <= 2
}

#[cfg(test)]
mod tests {
    use super::{did_you_mean, in_reach};

    #[test]
    fn names_of_distant_lengths_are_not_compared() {
        let planned = ["Sign Up", "Checkout Completed"];
        assert_eq!(did_you_mean("Checkout Completed!!", planned), Some("Checkout Completed"));
        assert_eq!(did_you_mean("Checkout Completed!!!", planned), None);
        assert!(in_reach(19, "checkoutcompleted") && !in_reach(20, "checkoutcompleted"));
        assert!(in_reach(1, "é") && !in_reach(4, "é"));
        let long = "x".repeat(101);
        assert!(in_reach(100, &long) && !in_reach(101, &long));
    }
}

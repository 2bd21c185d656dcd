//! Did-you-mean for unknown fields.

/// The field `unknown` most likely meant: a case-insensitive match first, then
/// the closest name within a small edit distance.
pub(crate) fn did_you_mean<'a>(
    unknown: &str,
    candidates: impl IntoIterator<Item = &'a str> + Clone,
) -> Option<&'a str> {
    if let Some(exact) = candidates.clone().into_iter().find(|c| c.eq_ignore_ascii_case(unknown)) {
        return Some(exact);
    }
    let folded = unknown.to_lowercase();
    in_reach(unknown, candidates)
        .map(|c| (strsim::damerau_levenshtein(&folded, &c.to_lowercase()), c))
        // Allow one edit in short names, two in longer ones, never more than
        // a third of the name: `id` must not mean `newId`.
        .filter(|&(distance, c)| distance <= if c.len() > 6 { 2 } else { 1 } && distance * 3 <= c.len())
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
}

/// The candidates within two edits of `unknown` by their lengths alone:
/// the only ones worth comparing (which costs the product of the two
/// lengths, in time and memory). A name far longer than every candidate
/// is not even counted through.
fn in_reach<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str> + Clone) -> impl Iterator<Item = &'a str> {
    let longest = candidates.clone().into_iter().map(str::len).max().unwrap_or_default();
    // A character is at most four bytes.
    let length = (unknown.len() <= 4 * (longest + 2)).then(|| unknown.chars().count());
    candidates.into_iter().filter(move |c| length.is_some_and(|length| c.chars().count().abs_diff(length) <= 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIELDS: [&str; 5] = ["apiKey", "eventName", "eventUniqueId", "properties", "eventTime"];

    #[test]
    fn finds_case_slips_and_typos() {
        assert_eq!(did_you_mean("eventname", FIELDS), Some("eventName"));
        assert_eq!(did_you_mean("EVENTTIME", FIELDS), Some("eventTime"));
        assert_eq!(did_you_mean("api_key", FIELDS), Some("apiKey"));
        assert_eq!(did_you_mean("propertes", FIELDS), Some("properties"));
        assert_eq!(did_you_mean("eventUniqeId", FIELDS), Some("eventUniqueId"));
        assert_eq!(did_you_mean("automatic", FIELDS), None);
        assert_eq!(did_you_mean("timestamp", FIELDS), None);
    }

    #[test]
    fn a_name_far_longer_than_every_candidate_is_none_of_them() {
        assert_eq!(did_you_mean("eventNames", FIELDS), Some("eventName"));
        assert_eq!(did_you_mean("eventNameXYZ", FIELDS), None);
        assert_eq!(in_reach("eventNameXYZ", FIELDS).collect::<Vec<_>>(), ["eventUniqueId", "properties"]);
        // Compared, this would take 10 MB times 13 steps and as many words.
        assert_eq!(in_reach(&"e".repeat(10 << 20), FIELDS).count(), 0);
        assert_eq!(in_reach(&"é".repeat(15), FIELDS).collect::<Vec<_>>(), ["eventUniqueId"]);
    }
}

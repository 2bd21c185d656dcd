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
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(&folded, &c.to_lowercase()), c))
        // Allow one edit in short names, two in longer ones, never more than
        // a third of the name: `id` must not mean `newId`.
        .filter(|&(distance, c)| distance <= if c.len() > 6 { 2 } else { 1 } && distance * 3 <= c.len())
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
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
}

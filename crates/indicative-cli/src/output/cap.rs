//! How many findings of each rule an output shows, and what it left out:
//! past the limits of the platforms that read CI formats (GitHub code
//! scanning takes 25,000 results per SARIF run), a million findings are
//! noise. Each rule keeps its first findings, and under a total each rule
//! found keeps a place for its first, so that one noisy rule never hides
//! another; what is left out is counted, per rule, and said at the end. The
//! summary and the exit code always count every finding. (GitHub
//! annotations choose their own: see `github`.)

use indicative_contract::Rule;

/// SARIF's default: at most this many results per rule...
pub const SARIF_PER_RULE: usize = 250;
/// ...and this many in all (GitHub code scanning's limit per run).
pub const SARIF_RESULTS: usize = 25_000;

/// The counts of one output.
#[derive(Debug, Clone)]
pub struct Cap {
    /// At most this many per rule (`None`: no limit).
    per_rule: Option<usize>,
    /// At most this many in all.
    total: Option<usize>,
    /// Per rule, in catalogue order: shown, and left out.
    shown: Vec<usize>,
    omitted: Vec<usize>,
    shown_total: usize,
    /// How many rules have none shown.
    unshown_rules: usize,
}

impl Cap {
    /// Limits of `per_rule` (0: none) and `total` in all.
    pub fn new(per_rule: usize, total: Option<usize>) -> Self {
        Self {
            per_rule: (per_rule > 0).then_some(per_rule),
            total,
            shown: vec![0; Rule::ALL.len()],
            omitted: vec![0; Rule::ALL.len()],
            shown_total: 0,
            unshown_rules: Rule::ALL.len(),
        }
    }

    /// Whether a finding of `rule` is shown; counts it either way. Under a
    /// total, a rule's first finding always has room: each rule not shown
    /// yet keeps one place, so that noisy rules never fill the total alone.
    pub fn admit(&mut self, rule: Rule) -> bool {
        let i = Rule::ALL.iter().position(|r| *r == rule).unwrap_or(0);
        let kept_for_others = if self.shown[i] == 0 { 0 } else { self.unshown_rules };
        let over = self.per_rule.is_some_and(|n| self.shown[i] >= n)
            || self.total.is_some_and(|n| self.shown_total + kept_for_others >= n);
        if over {
            self.omitted[i] += 1;
        } else {
            if self.shown[i] == 0 {
                self.unshown_rules -= 1;
            }
            self.shown[i] += 1;
            self.shown_total += 1;
        }
        !over
    }

    /// Each rule with findings: (rule, shown, left out), in catalogue order.
    pub fn per_rule(&self) -> impl Iterator<Item = (Rule, usize, usize)> + '_ {
        Rule::ALL
            .iter()
            .zip(self.shown.iter().zip(&self.omitted))
            .filter(|(_, (shown, omitted))| **shown + **omitted > 0)
            .map(|(rule, (shown, omitted))| (*rule, *shown, *omitted))
    }

    /// Whether anything was left out.
    pub fn left_out(&self) -> bool {
        self.omitted.iter().any(|n| *n > 0)
    }

    /// Why findings were left out, in words.
    pub fn why(&self) -> String {
        match (self.per_rule, self.total) {
            (Some(n), Some(t)) => format!(
                "at most {n} per rule and {t} in all (the platform's limit); --max-per-rule sets the first, 0 for none"
            ),
            (Some(n), None) => format!("at most {n} per rule; --max-per-rule 0 shows every one"),
            (None, Some(t)) => format!("at most {t} in all (the platform's limit), each rule's first findings kept"),
            (None, None) => String::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_rule_keeps_its_first_findings_and_the_rest_are_counted() {
        let rules = Rule::ALL.len();
        let mut cap = Cap::new(2, Some(rules + 1));
        let (a, b) = (Rule::ALL[0], Rule::ALL[1]);
        let admitted: Vec<bool> = [a, a, a, b, b].iter().map(|r| cap.admit(*r)).collect();
        // Two of `a`, then the first of `b`; the total keeps a place for every other rule.
        assert_eq!(admitted, [true, true, false, true, false]);
        assert_eq!(cap.per_rule().collect::<Vec<_>>(), [(a, 2, 1), (b, 1, 1)]);
        assert!(cap.left_out());
        // A noisy rule under a total alone leaves room for each other rule's first.
        let mut cap = Cap::new(0, Some(rules + 10));
        let noisy = (0..1000).filter(|_| cap.admit(a)).count();
        assert_eq!(noisy, 11);
        assert!(Rule::ALL[1..].iter().all(|r| cap.admit(*r)), "each rule's first is shown");
        assert!(!Rule::ALL.iter().any(|r| cap.admit(*r)), "then the total is full");
        let mut none = Cap::new(0, None);
        assert!((0..1000).all(|_| none.admit(a)));
        assert!(!none.left_out());
    }
}

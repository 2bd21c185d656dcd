//! GitHub Actions workflow commands: one annotation per diagnostic.
//!
//! A step shows at most ten annotations of each kind (error, warning,
//! notice), and drops the rest silently. By default, then, the annotations
//! are chosen at the end: for each kind, one finding of each rule in turn
//! (in the order the rules were first found), so that every rule found
//! shows before any shows twice, up to ten; when findings were left out, a
//! notice says so (it takes the tenth notice's place) and the log counts
//! each rule's findings. With `--max-per-rule N`, annotations are written
//! as found instead, at most `N` per rule (0: every one), for readers of
//! the log other than GitHub's.

use std::io::{self, Write};

use indicative_contract::{Rule, Severity};

use super::cap::Cap;
use super::{Output, in_entry};
use crate::report::{DocResult, Summary};

/// The annotations a step shows of each kind.
pub const PER_KIND: usize = 10;

pub struct Github {
    out: Box<dyn Write>,
    cap: Cap,
    /// `None` with `--max-per-rule`: annotations are written as found.
    chosen: Option<Chosen>,
    /// Findings seen so far.
    order: usize,
}

/// The annotations kept to choose from at the end: per kind and rule, the
/// first [`PER_KIND`] (all a kind could show of one rule), in the order
/// the pairs were first found, and how many each had.
#[derive(Default)]
struct Chosen {
    groups: Vec<Group>,
    /// The errors of files that could not be read, each an annotation.
    unreadable: Vec<String>,
    /// By kind and rule (its discriminant, as `LintOptions` indexes it), the group's index in `groups`.
    index: Vec<usize>,
}

struct Group {
    kind: usize,
    rule: Rule,
    found: usize,
    /// (order found, the annotation's line).
    lines: Vec<(usize, String)>,
}

const KINDS: [&str; 3] = ["error", "warning", "notice"];

impl Github {
    /// `max_per_rule`: `--max-per-rule`, if given.
    pub fn new(out: Box<dyn Write>, max_per_rule: Option<usize>) -> Self {
        Self {
            out,
            cap: Cap::new(max_per_rule.unwrap_or(0), None),
            chosen: max_per_rule.is_none().then(Chosen::default),
            order: 0,
        }
    }
}

/// Escapes a message for a workflow command.
fn data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

impl Chosen {
    fn keep(&mut self, kind: usize, rule: Rule, order: usize, line: impl FnOnce() -> String) {
        // Each finding finds its group in one load, not by a search of all.
        if self.index.is_empty() {
            self.index = vec![usize::MAX; KINDS.len() * Rule::ALL.len()];
        }
        let slot = kind * Rule::ALL.len() + rule as usize;
        let at = match self.index[slot] {
            usize::MAX => {
                self.groups.push(Group { kind, rule, found: 0, lines: Vec::new() });
                self.index[slot] = self.groups.len() - 1;
                self.groups.len() - 1
            }
            at => at,
        };
        let group = &mut self.groups[at];
        group.found += 1;
        if group.lines.len() < PER_KIND {
            group.lines.push((order, line()));
        }
    }

    /// The lines to write, in the order found, each with its group's index;
    /// `taken_errors` error places are taken already (by files that could
    /// not be read).
    fn choose(&self, taken_errors: usize) -> Vec<(usize, usize, &str)> {
        let found: usize = self.groups.iter().map(|g| g.found).sum();
        let mut lines = Vec::new();
        for kind in 0..KINDS.len() {
            let groups: Vec<usize> = (0..self.groups.len()).filter(|&g| self.groups[g].kind == kind).collect();
            let room = if kind == 0 { PER_KIND.saturating_sub(taken_errors) } else { PER_KIND };
            let mut taken = 0;
            for round in 0..PER_KIND {
                for &g in &groups {
                    if taken < room
                        && let Some((order, line)) = self.groups[g].lines.get(round)
                    {
                        lines.push((*order, g, line.as_str()));
                        taken += 1;
                    }
                }
            }
        }
        // The last notice makes room for the one that says what was left
        // out (findings, or files that could not be read past ten).
        let notices = lines.iter().filter(|(_, g, _)| self.groups[*g].kind == 2).count();
        if (lines.len() < found || taken_errors > PER_KIND) && notices == PER_KIND {
            lines.pop();
        }
        lines.sort_by_key(|(order, _, _)| *order);
        lines
    }
}

impl Output for Github {
    fn document(&mut self, doc: &DocResult) -> io::Result<()> {
        for f in &doc.findings {
            let d = &f.diagnostic;
            let kind = match d.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                _ => 2,
            };
            let command = KINDS[kind];
            // A position in a HAR entry's body or URL is not one in the
            // file: the entry's first line stands for it.
            let (line, column) = if in_entry(doc) { (doc.line, 1) } else { (f.line, f.column) };
            let mut message = if d.rule.is_plan() {
                format!("{} (tracking plan; the API would answer {}", d.message, d.status)
            } else {
                format!("{} (status {}", d.message, d.status)
            };
            if !d.pointer.is_empty() {
                message.push_str(&format!(", at {}", super::shown_pointer(&d.pointer)));
            }
            message.push(')');
            if let Some(help) = &d.help {
                message.push_str(&format!(". Help: {help}"));
            }
            let line = move || {
                format!(
                    "::{command} file={},line={line},col={column},title={}::{}",
                    property(&doc.file),
                    property(d.rule.code()),
                    data(&message)
                )
            };
            match &mut self.chosen {
                Some(chosen) => {
                    let order = self.order;
                    self.order += 1;
                    chosen.keep(kind, d.rule, order, line);
                }
                None => {
                    if self.cap.admit(d.rule) {
                        writeln!(self.out, "{}", line())?;
                    }
                }
            }
        }
        Ok(())
    }

    fn file_error(&mut self, file: &str, message: &str) -> io::Result<()> {
        let line = format!("::error file={},title=unreadable::{}", property(file), data(message));
        match &mut self.chosen {
            // Written first at the end, in the error places they take.
            Some(chosen) => {
                chosen.unreadable.push(line);
                Ok(())
            }
            None => writeln!(self.out, "{line}"),
        }
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        if let Some(chosen) = &self.chosen {
            for line in &chosen.unreadable {
                writeln!(self.out, "{line}")?;
            }
            let lines = chosen.choose(chosen.unreadable.len());
            for (_, _, line) in &lines {
                writeln!(self.out, "{line}")?;
            }
            let found: usize = chosen.groups.iter().map(|g| g.found).sum();
            let unreadable = chosen.unreadable.len();
            if lines.len() < found || unreadable > PER_KIND {
                let mut left = Vec::new();
                if lines.len() < found {
                    left.push(format!("{} of {found} findings were annotated", lines.len()));
                }
                if unreadable > PER_KIND {
                    left.push(format!(
                        "{} of the {unreadable} files that could not be read were annotated (the log lists each)",
                        PER_KIND.min(unreadable)
                    ));
                }
                writeln!(
                    self.out,
                    "::notice title=indicative::{}",
                    data(&format!(
                        "{}: a step shows {PER_KIND} annotations of each kind, so each rule found shows once before any shows twice. The log counts every rule's findings; --format sarif or json lists them",
                        left.join("; ")
                    ))
                )?;
                if unreadable > 0 {
                    writeln!(
                        self.out,
                        "indicative: unreadable files: {unreadable}, {} annotated",
                        unreadable.min(PER_KIND)
                    )?;
                }
                let mut rules: Vec<(Rule, usize, usize)> = Vec::new();
                for (g, group) in chosen.groups.iter().enumerate() {
                    let shown = lines.iter().filter(|(_, of, _)| *of == g).count();
                    match rules.iter_mut().find(|(rule, _, _)| *rule == group.rule) {
                        Some(entry) => {
                            entry.1 += group.found;
                            entry.2 += shown;
                        }
                        None => rules.push((group.rule, group.found, shown)),
                    }
                }
                rules.sort_by_key(|(rule, _, _)| Rule::ALL.iter().position(|r| r == rule));
                for (rule, found, shown) in rules {
                    writeln!(self.out, "indicative: {}: {found} found, {shown} annotated", rule.code())?;
                }
            }
        } else if self.cap.left_out() {
            for (rule, shown, omitted) in self.cap.per_rule().filter(|(_, _, omitted)| *omitted > 0) {
                writeln!(
                    self.out,
                    "::notice title={}::{}",
                    property(rule.code()),
                    data(&format!(
                        "{omitted} more findings of {} were not annotated ({} shown; {})",
                        rule.code(),
                        shown,
                        self.cap.why()
                    ))
                )?;
            }
            for (rule, shown, omitted) in self.cap.per_rule() {
                writeln!(self.out, "indicative: {}: {} found, {shown} annotated", rule.code(), shown + omitted)?;
            }
        }
        writeln!(
            self.out,
            "indicative: {} requests in {} files, {} predicted to be rejected; {} errors, {} warnings, {} infos{}",
            s.documents,
            s.files,
            s.rejected(),
            s.errors,
            s.warnings,
            s.infos,
            s.plan_phrase()
        )?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use indicative_contract::Rule;

    use super::{Chosen, PER_KIND};

    /// A noisy rule found first does not hide a rule found once later; a
    /// kind's ten places are shared in turns, and a notice's tenth place is
    /// kept for the one that says what was left out.
    #[test]
    fn each_rule_found_is_annotated_before_any_twice() {
        let (noisy, rare, info) = (Rule::ALL[0], Rule::ALL[1], Rule::ALL[2]);
        let mut chosen = Chosen::default();
        let mut order = 0;
        let mut keep = |chosen: &mut Chosen, kind: usize, rule: Rule| {
            chosen.keep(kind, rule, order, || format!("::{} {} {order}", super::KINDS[kind], rule.code()));
            order += 1;
        };
        for _ in 0..30 {
            keep(&mut chosen, 0, noisy);
        }
        keep(&mut chosen, 0, rare);
        for _ in 0..20 {
            keep(&mut chosen, 2, info);
        }
        let lines = chosen.choose(0);
        let of = |rule: Rule| lines.iter().filter(|(_, _, l)| l.contains(&format!(" {} ", rule.code()))).count();
        assert_eq!((of(noisy), of(rare), of(info)), (PER_KIND - 1, 1, PER_KIND - 1));
        // In the order found.
        assert!(lines.windows(2).all(|w| w[0].0 < w[1].0));
        // Nothing left out: every one, and no place kept.
        let mut few = Chosen::default();
        for kind in [0, 1, 2, 2] {
            keep(&mut few, kind, info);
        }
        assert_eq!(few.choose(0).len(), 4);
        // Files that could not be read take error places first.
        assert_eq!(chosen.choose(3).iter().filter(|(_, _, l)| l.starts_with("::error")).count(), PER_KIND - 3);
        // More of them than a step shows: no error place is left, and the
        // tenth notice's place is kept to say so, though every finding of
        // the other kinds would fit.
        let mut notices = Chosen::default();
        for _ in 0..PER_KIND {
            keep(&mut notices, 2, info);
        }
        assert_eq!(notices.choose(PER_KIND).len(), PER_KIND);
        assert_eq!(notices.choose(PER_KIND + 1).len(), PER_KIND - 1);
    }
}

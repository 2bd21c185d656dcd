//! rustc-style diagnostics: `error[code]: message`, the place, the source line
//! with a caret, the predicted status, and help.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};
use indicative_contract::{DetectedKind, Severity};

use super::Output;
use super::cap::Cap;
use crate::report::{DocResult, Finding, Summary};

/// The widest slice of a source line shown, in characters.
const SHOWN: usize = 100;

pub struct Human {
    out: Box<dyn Write>,
    normalized: bool,
    /// No limit unless `--max-per-rule` asks for one.
    cap: Cap,
    /// Requests of an ambiguous kind: the first few are noted, the rest counted.
    ambiguous: usize,
}

/// How many requests of an ambiguous kind are noted one by one.
const AMBIGUOUS_NOTED: usize = 3;

fn style(color: AnsiColor) -> Style {
    Style::new().fg_color(Some(color.into())).bold()
}

impl Human {
    pub fn new(out: Box<dyn Write>, normalized: bool, cap: Cap) -> Self {
        Self { out, normalized, cap, ambiguous: 0 }
    }

    /// Counts a request of an ambiguous kind; whether to note it.
    fn ambiguous_count(&mut self) -> bool {
        self.ambiguous += 1;
        self.ambiguous <= AMBIGUOUS_NOTED
    }

    fn finding(&mut self, doc: &DocResult, f: &Finding) -> io::Result<()> {
        let d = &f.diagnostic;
        let (word, color) = match d.severity {
            Severity::Error => ("error", AnsiColor::Red),
            Severity::Warning => ("warning", AnsiColor::Yellow),
            _ => ("info", AnsiColor::Cyan),
        };
        let (head, blue, bold) = (style(color), style(AnsiColor::Blue), Style::new().bold());
        writeln!(self.out, "{head}{word}[{}]{head:#}{bold}: {}{bold:#}", d.rule, d.message)?;
        let gutter = f.line.to_string();
        let pad = " ".repeat(gutter.len());
        let note = doc.note.as_deref().map_or_else(String::new, |n| format!(" ({n})"));
        writeln!(self.out, "{pad}{blue}-->{blue:#} {}:{}:{}{note}", doc.file, f.line, f.column)?;
        // A finding about the request itself (its endpoint, method or
        // headers) has no place in the body to point at.
        let about_request = d.span == (0..0) && d.pointer.is_empty();
        if !f.source_line.is_empty() && !about_request {
            // Its document's keys are hidden already (see `report.rs`); a
            // line masked again would be misread where a key's quotes or
            // brackets are hidden.
            let (shown, caret_at, width) = window(&f.source_line, f.column.saturating_sub(f.source_column), f.width);
            let (caret_at, width) = cells(&shown, caret_at, width);
            writeln!(self.out, "{pad} {blue}|{blue:#}")?;
            writeln!(self.out, "{blue}{gutter} |{blue:#} {shown}")?;
            writeln!(self.out, "{pad} {blue}|{blue:#} {}{head}{}{head:#}", " ".repeat(caret_at), "^".repeat(width))?;
        }
        let pointer =
            if d.pointer.is_empty() { "the request".to_owned() } else { super::shown_pointer(&d.pointer).into_owned() };
        if d.rule.is_plan() {
            writeln!(
                self.out,
                "{pad} {blue}={blue:#} {bold}tracking plan{bold:#}: the plan refuses it; the API would accept it ({}, at {pointer})",
                d.status
            )?;
        } else {
            writeln!(self.out, "{pad} {blue}={blue:#} {bold}status{bold:#}: {} (at {pointer})", d.status)?;
        }
        if let Some(help) = &d.help {
            writeln!(self.out, "{pad} {blue}={blue:#} {bold}help{bold:#}: {help}")?;
        }
        writeln!(self.out)
    }
}

/// The caret's place and width in a shown line, in characters, as display
/// cells: a wide character (CJK, most emoji) takes two, a combining mark
/// none.
fn cells(shown: &str, caret_at: usize, width: usize) -> (usize, usize) {
    use unicode_width::UnicodeWidthChar as _;
    let cell = |c: char| c.width().unwrap_or(0);
    let before = shown.chars().take(caret_at).map(cell).sum();
    let under = shown.chars().skip(caret_at).take(width).map(cell).sum::<usize>();
    (before, under.max(1))
}

/// A window of at most [`SHOWN`] characters of `line` around the caret, and
/// the caret's column and width within it.
fn window(line: &str, column: usize, width: usize) -> (String, usize, usize) {
    // Control characters as their pictures (U+2400...), one column each,
    // so that none moves the caret or styles the terminal.
    let chars: Vec<char> = line
        .chars()
        .map(|c| match c {
            '\t' => ' ',
            '\u{7f}' => '\u{2421}',
            c if c < ' ' => char::from_u32(0x2400 + u32::from(c)).unwrap_or('?'),
            // C1 controls (a terminal reads U+009B as CSI) and the marks
            // that reorder text on screen.
            '\u{80}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200e}' | '\u{200f}' => {
                '\u{fffd}'
            }
            c => c,
        })
        .collect();
    // As much of the line as fits, the caret a third in when it must move.
    let start = column.saturating_sub(SHOWN / 3).min(chars.len().saturating_sub(SHOWN));
    let end = (start + SHOWN).min(chars.len());
    let mut shown: String = chars[start..end].iter().collect();
    let mut caret_at = column - start;
    if start > 0 {
        shown.insert(0, '…');
        caret_at += 1;
    }
    if end < chars.len() {
        shown.push('…');
    }
    let room = shown.chars().count().saturating_sub(caret_at).max(1);
    (shown, caret_at, width.min(room).max(1))
}

impl Output for Human {
    fn document(&mut self, doc: &DocResult) -> io::Result<()> {
        for finding in &doc.findings {
            if self.cap.admit(finding.diagnostic.rule) {
                self.finding(doc, finding)?;
            }
        }
        if let DetectedKind::Ambiguous(_) = &doc.kind
            && self.ambiguous_count()
        {
            let blue = style(AnsiColor::Blue);
            writeln!(
                self.out,
                "{blue}note{blue:#}: {}:{}: the request's kind is ambiguous ({}): only the rules those kinds share were checked; --kind, or the endpoint's path in a HAR or URL, settles it\n",
                doc.file,
                doc.line,
                doc.kind.to_string().trim_start_matches("ambiguous: ")
            )?;
        }
        if self.normalized
            && let Some(stored) = &doc.normalized
        {
            writeln!(self.out, "{}:{}: stored: {stored}", doc.file, doc.line)?;
        }
        Ok(())
    }

    fn file_error(&mut self, file: &str, message: &str) -> io::Result<()> {
        self.out.flush()?;
        let red = style(AnsiColor::Red);
        let mut err = anstream::stderr();
        writeln!(err, "{red}error{red:#}: {file}: {message}")
    }

    fn finish(&mut self, s: &Summary) -> io::Result<()> {
        let statuses: Vec<String> = s
            .statuses
            .iter()
            .filter(|(status, _)| **status != 200)
            .map(|(status, n)| format!("{status}: {n}"))
            .collect();
        let rejected = if statuses.is_empty() { String::new() } else { format!(" ({})", statuses.join(", ")) };
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        if self.cap.left_out() {
            // What was left out, per rule, as ruff's --statistics shows it.
            writeln!(self.out, "findings per rule ({}):", self.cap.why())?;
            for (rule, shown, omitted) in self.cap.per_rule() {
                writeln!(self.out, "{:>9}  {:<32}{shown} shown", shown + omitted, rule.code())?;
            }
        }
        writeln!(
            self.out,
            "{}, {}: {} predicted to be rejected{rejected}; {}, {}, {}{}",
            plural(s.files, "file"),
            plural(s.documents, "request"),
            s.rejected(),
            plural(s.errors, "error"),
            plural(s.warnings, "warning"),
            plural(s.infos, "info"),
            s.plan_phrase(),
        )?;
        if s.unreadable_files > 0 {
            writeln!(self.out, "{} could not be read", plural(s.unreadable_files, "file"))?;
        }
        if self.ambiguous > AMBIGUOUS_NOTED {
            writeln!(
                self.out,
                "{} of an ambiguous kind (the first {AMBIGUOUS_NOTED} noted above); --kind settles it",
                plural(self.ambiguous, "request")
            )?;
        }
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::{SHOWN, cells, window};

    #[test]
    fn windows_keep_the_caret_on_its_text() {
        assert_eq!(window("abc", 1, 1), ("abc".into(), 1, 1));
        let long = format!("{}X{}", "a".repeat(200), "b".repeat(200));
        let (shown, at, width) = window(&long, 200, 1);
        assert_eq!(shown.chars().nth(at), Some('X'));
        assert_eq!(width, 1);
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        assert_eq!(window("ab", 1, 50).2, 1);
        // A line that fits is shown whole, wherever the caret is.
        let fits = format!("{}X", "a".repeat(80));
        assert_eq!(window(&fits, 80, 1), (fits.clone(), 80, 1));
        // Near the end of a long line, the window shows as much as it can.
        let (shown, at, _) = window(&long, 399, 1);
        assert_eq!(shown.chars().count(), SHOWN + 1);
        assert_eq!(shown.chars().nth(at), Some('b'));
        // Control characters are drawn, not sent to the terminal.
        assert_eq!(window("x\u{1b}[31mR\u{7f}", 1, 1).0, "x\u{241b}[31mR\u{2421}");
        assert_eq!(window("a\u{9b}31mb\u{202e}c", 1, 1).0, "a\u{fffd}31mb\u{fffd}c");
    }

    /// The caret stands under its text on screen: wide characters before
    /// it take two cells, and so do those under it.
    #[test]
    fn the_caret_counts_display_cells() {
        assert_eq!(cells("abc", 1, 2), (1, 2));
        assert_eq!(cells("日本x", 2, 1), (4, 1));
        assert_eq!(cells("a\"日本\"", 1, 4), (1, 6));
        assert_eq!(cells("e\u{301}x", 2, 1), (1, 1));
    }
}

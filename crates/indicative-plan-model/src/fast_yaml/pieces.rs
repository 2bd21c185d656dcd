//! A large YAML plan read in pieces, one per core: its block mapping of
//! `events` cut where an event's key stands, each piece but the first
//! parsed and read on a thread of its own, and the first and the rest of
//! the plan (what comes before `events:` and after its last event) on the
//! calling thread meanwhile.
//!
//! A cut is made only where the text shows the parser would be at the
//! start of an event's line, in block context:
//!
//! - `events:` stands alone on a line at the left margin (a comment aside),
//!   and the text before it, parsed alone, is whole (no quote, bracket or
//!   brace left open that the line could be inside);
//! - every line up to the next one at the left margin is blank, a comment,
//!   or indented by spaces, as many as the first of them or more (none by
//!   fewer, none by a tab); those as far in as the first are keys (a
//!   letter, a digit, `_`, a quote or any character past ASCII starts
//!   them);
//! - each piece starts at such a key and, parsed alone, is one whole
//!   mapping: no quote or bracket runs on into the next piece, so each is
//!   read as it is read in the whole text (with a comment line after it
//!   where the text goes on, for the one value the parser reads otherwise
//!   at the end of a text: see `read_piece`).
//!
//! Anything else (a cut that does not hold, an event named in two pieces,
//! any refusal of the fast way) reads the text in one piece instead; a
//! property test holds every plan read in pieces to the one-piece reading.

use std::collections::BTreeMap;

use super::{Item, events_of, read_document, read_events};
use crate::fast::{EventFile, Unique};
use crate::model::{EventSpec, Plan};

/// Below this size a plan is read in one piece: a thread costs more than
/// it saves.
pub(super) const FROM: usize = 256 * 1024;

/// How many pieces to cut: one per core, at most eight.
pub(super) fn parts() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// The plan, read in up to `parts` pieces, or `None` when the text cannot
/// be cut so (the caller reads it in one) or the fast way refuses it. The
/// first piece, the head's check and the rest are read on the calling
/// thread, each other piece on a thread of its own.
pub(super) fn read(text: &str, parts: usize) -> Option<Plan> {
    let cut = Cut::of(text, parts)?;
    let count = cut.pieces.len();
    // Whether the text goes on after piece `i`.
    let followed = |i: usize| i + 1 < count || !cut.tail.is_empty();
    let (first, others) = cut.pieces.split_first()?;
    std::thread::scope(|scope| {
        let others: Vec<_> = others
            .iter()
            .zip(1..)
            .map(|(&piece, i)| {
                let followed = followed(i);
                std::thread::Builder::new()
                    .spawn_scoped(scope, move || read_piece(piece, followed))
                    .map_err(|_| (piece, followed))
            })
            .collect();
        let mut events = read_piece(first, followed(0))?;
        let mut plan = if whole(cut.head) { cut.rest()? } else { return None };
        for other in others {
            let mut more = match other {
                Ok(thread) => match thread.join() {
                    Ok(more) => more?,
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                // A thread the system would not start: its piece is read here.
                Err((piece, followed)) => read_piece(piece, followed)?,
            };
            let count = events.len() + more.len();
            events.append(&mut more);
            // An event named in two pieces: the one-piece reading refuses it.
            if events.len() != count {
                return None;
            }
        }
        plan.events = events;
        Some(plan)
    })
}

/// One piece's events. Where a piece ends and the text goes on, the text
/// goes on with a line less indented than any value of the piece (an
/// event's key, or a line at the margin), and the parser reads some values
/// otherwise at the end of a text: an empty block scalar (`|` with nothing
/// under it) is a line break there, and empty before a line less indented.
/// Such a piece is read with a comment line at the margin after it, which
/// ends its last value as that line does.
fn read_piece(piece: &str, followed: bool) -> Option<BTreeMap<String, EventSpec>> {
    let events: Unique<EventFile> = if followed {
        // Cut at a line's start: the piece ends with its line feed.
        if !piece.ends_with('\n') {
            return None;
        }
        read_document(events_of(&[piece, "#\n"].concat()))?
    } else {
        read_document(events_of(piece))?
    };
    Some(events.0.into_iter().map(|(name, event)| (name, event.into())).collect())
}

/// Whether `text`, parsed alone, is whole: no fault up to its end.
fn whole(text: &str) -> bool {
    events_of(text).all(|item: Item| item.is_ok())
}

/// Where a text is cut.
#[derive(Debug)]
struct Cut<'t> {
    /// Up to the `events:` line.
    head: &'t str,
    /// From the first line at the left margin after the events.
    tail: &'t str,
    /// The events, each piece starting at an event's key.
    pieces: Vec<&'t str>,
}

impl<'t> Cut<'t> {
    fn of(text: &'t str, parts: usize) -> Option<Self> {
        if parts < 2 || text.match_indices('\r').any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n')) {
            // A carriage return alone breaks a line where `lines` does not.
            return None;
        }
        let mut lines = lines(text);
        let (head_end, events_line) = lines.find(|&(_, line)| is_events_line(line))?;
        // The events' lines, and where each event's key stands: as many
        // spaces in as the first of them.
        let mut keys = Vec::new();
        let mut indent = None;
        let mut end = text.len();
        for (start, line) in lines {
            let content = line.trim_end_matches(['\n', '\r']);
            let spaces = content.bytes().take_while(|&b| b == b' ').count();
            let Some(&first) = content.as_bytes().get(spaces) else { continue };
            if first == b'\t' && content.bytes().all(|b| b == b' ' || b == b'\t') {
                continue;
            }
            // A comment, at the left margin or as far in as the keys (or,
            // before the first key, anywhere).
            if first == b'#' && (spaces == 0 || indent.is_none_or(|indent| spaces == indent)) {
                continue;
            }
            if spaces == 0 {
                if first == b'\t' {
                    return None;
                }
                // The first line at the left margin: the events end.
                end = start;
                break;
            }
            match indent {
                Some(indent) if spaces > indent => continue,
                // Less indented than the keys: not cut.
                Some(indent) if spaces < indent => return None,
                _ => {}
            }
            // A key: plain (no indicator starts it), or quoted. Anything
            // else as far in (`- `, `? `, a flow, an anchor, a tab...) is
            // not cut.
            if !(first.is_ascii_alphanumeric() || first >= 0x80 || matches!(first, b'_' | b'"' | b'\'')) {
                return None;
            }
            indent = Some(spaces);
            keys.push(start);
        }
        if keys.len() < parts {
            return None;
        }
        // Cut at the first key past each share of the events' bytes.
        let from = head_end + events_line.len();
        let mut bounds = vec![keys[0]];
        for k in 1..parts {
            let share = from + (end - from) * k / parts;
            if let Some(&key) = keys.get(keys.partition_point(|&key| key < share))
                && bounds.last().is_some_and(|&last| key > last)
            {
                bounds.push(key);
            }
        }
        bounds.push(end);
        let pieces = bounds.windows(2).map(|w| &text[w[0]..w[1]]).collect();
        Some(Cut { head: &text[..head_end], tail: &text[end..], pieces })
    }

    /// The plan without its events: the head and the tail, with the
    /// `events:` line written `events: {}`.
    fn rest(&self) -> Option<Plan> {
        read_events(events_of(&[self.head, "events: {}\n", self.tail].concat()))
    }
}

/// Each line of `text`, with its line feed, and where it starts.
fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |line| {
        let at = start;
        start += line.len();
        (at, line)
    })
}

/// `events:` alone on its line, at the left margin, a comment aside.
fn is_events_line(line: &str) -> bool {
    let Some(rest) = line.strip_prefix("events:") else { return false };
    let rest = rest.trim_end_matches(['\n', '\r']);
    let after = rest.trim_start_matches(' ');
    after.is_empty() || (after.starts_with('#') && after.len() < rest.len())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{Cut, read};
    use crate::Plan;
    use crate::fast_yaml::{events_of, read_events};

    const EXAMPLE: &str = include_str!("../../../../examples/plans/tracking-plan.yaml");

    /// Whatever is read in pieces is read the same in one.
    fn agrees(text: &str, parts: usize) -> Result<(), TestCaseError> {
        if let Some(plan) = read(text, parts) {
            let whole = read_events(events_of(text));
            prop_assert_eq!(whole.as_ref(), Some(&plan), "{:?}", text);
            if crate::checks::check(&plan).is_empty() && crate::yaml::first_unprintable(text).is_none() {
                let slow = Plan::read_slowly("p.yaml", text);
                prop_assert_eq!(slow.as_ref().ok(), Some(&plan), "{:?}\n{:?}", text, slow.as_ref().err());
            }
        }
        Ok(())
    }

    #[test]
    fn the_example_is_cut_where_its_events_start() {
        let cut = Cut::of(EXAMPLE, 3).expect("cut");
        assert!(cut.head.ends_with("      referrer: { type: string }\n\n"), "{}", cut.head);
        assert!(cut.tail.starts_with("userProperties:\n"), "{}", cut.tail);
        assert_eq!(cut.pieces.len(), 3);
        assert!(cut.pieces.iter().all(|piece| piece.starts_with("  ") && !piece.starts_with("   ")));
        assert!(cut.pieces[0].starts_with("  Sign Up:\n"));
        assert_eq!([cut.head, "events:\n", &cut.pieces.concat(), cut.tail].concat(), EXAMPLE);
        for parts in 2..6 {
            let plan = read(EXAMPLE, parts).expect("read in pieces");
            assert_eq!(Some(plan), read_events(events_of(EXAMPLE)), "{parts} pieces");
        }
    }

    /// `text` with each level of its two-space indentation `width` spaces.
    fn indented(text: &str, width: usize) -> String {
        text.lines()
            .map(|line| {
                let spaces = line.bytes().take_while(|&b| b == b' ').count();
                format!("{}{}\n", " ".repeat(spaces / 2 * width + spaces % 2), &line[spaces..])
            })
            .collect()
    }

    /// However far in the events' keys stand (as far as the first), the
    /// plan is cut there.
    #[test]
    fn events_indented_any_width_are_cut() {
        for width in 1..=6 {
            let text = indented(EXAMPLE, width);
            let whole = read_events(events_of(&text));
            assert!(whole.is_some(), "{width}");
            let cut = Cut::of(&text, 3).expect("cut");
            assert_eq!(cut.pieces.len(), 3, "{width}");
            let key = " ".repeat(width);
            assert!(cut.pieces.iter().all(|piece| piece.starts_with(&key) && !piece[width..].starts_with(' ')));
            for parts in 2..6 {
                assert_eq!(read(&text, parts), whole, "{width} spaces, {parts} pieces");
            }
        }
    }

    /// A plan large enough to be read in pieces loads as the slow way reads
    /// it, and its mistakes are reported as the slow way reports them.
    #[test]
    fn large_plans_load_in_pieces_as_the_slow_way_reads_them() {
        let mut text = String::from("name: P\nversion: 1-0-0\nevents:\n");
        for i in 0..3000 {
            text.push_str(&format!(
                "  event {i}:\n    description: \"the {i}th\"\n    properties:\n      p: {{ type: enum, values: [a, b], required: true }}\n      q: {{ type: number, min: -1.5 }}\n      r: {{ type: string, pattern: \"^[a-z]+$\", maxLength: 64 }}\n"
            ));
        }
        text.push_str("userProperties:\n  tier: { type: enum, values: [free, pro] }\n");
        assert!(text.len() >= super::FROM);
        assert_eq!(Cut::of(&text, 2).map(|cut| cut.pieces.len()), Some(2));
        let plan = Plan::from_text("big.yaml", &text).expect("loads");
        assert_eq!(plan.events.len(), 3000);
        assert_eq!(Some(&plan), read(&text, 2).as_ref());
        assert_eq!(Plan::read_slowly("big.yaml", &text).expect("and the slow way"), plan);
        // A mistake in the last piece, and one named in two pieces.
        let wrong = text.replace("  event 2999:\n    description", "  event 2999:\n    descripton");
        let wrong = wrong.replace("  event 2998:\n", "  event 1:\n");
        let errors = Plan::from_text("big.yaml", &wrong).expect_err("mistakes");
        assert_eq!(Some(errors.clone()), Plan::read_slowly("big.yaml", &wrong).err());
        assert!(errors.to_string().contains("`event 1` is given twice"), "{errors}");
        let wrong = text.replace("  event 2999:\n    description", "  event 2999:\n    descripton");
        let errors = Plan::from_text("big.yaml", &wrong).expect_err("a mistake");
        assert_eq!(errors.to_string(), "big.yaml:17999:5: unknown key `descripton` (did you mean `description`?)");
    }

    /// A block scalar ending a piece reads as it does in the whole text,
    /// whatever its style, chomping, indentation and content, and whatever
    /// follows the piece (another piece, the tail, the end of the text).
    /// An empty one (`|` with nothing under it) was read as a line break at
    /// a piece's end, and as empty in the whole text (an outside review).
    #[test]
    fn block_scalars_at_a_pieces_end_read_as_in_the_whole() {
        let head = "name: P\nversion: 1-0-0\nevents:\n";
        let mut checked = 0;
        for header in ["|", "|-", "|+", ">", ">-", ">+", "|2", ">1+", "|  # a comment"] {
            for content in ["", "\n", "\n\n", "      text\n", "      text\n\n", "      a\n\n      b\n  \n"] {
                for value in
                    [format!("    description: {header}\n{content}"), format!("    owner: {header}\n{content}")]
                {
                    for after in ["  b: {}\n", "userProperties: {}\n", "", "# a comment\n  b: {}\n"] {
                        let text = format!("{head}  a:\n{value}{after}");
                        let text = if after.is_empty() { format!("{head}  z: {{}}\n  a:\n{value}") } else { text };
                        let whole = read_events(events_of(&text));
                        if let Some(plan) = read(&text, 2) {
                            assert_eq!(whole.as_ref(), Some(&plan), "{text:?}");
                            checked += 1;
                        } else {
                            assert!(Cut::of(&text, 2).is_none() || whole.is_none(), "{text:?} was not read in pieces");
                        }
                    }
                }
            }
        }
        assert!(checked > 300, "{checked}");
        // The review's cases, an enum value among them: read in pieces as
        // `"\n"`, it passed the checks the slow way's `""` fails.
        for text in [
            "name: P\nversion: 1-0-0\nevents:\n  a: {}\n  b:\n    description: |\nuserProperties: {}\n",
            "name: P\nversion: 1-0-0\nevents:\n  a:\n    description: |\n  b: {}\n",
            "name: P\nversion: 1-0-0\nevents:\n  a: {}\n  b:\n    properties:\n      e:\n        type: enum\n        values:\n          - |\nuserProperties: {}\n",
        ] {
            let plan = read(text, 2).expect("read in pieces");
            assert_eq!(Some(plan), read_events(events_of(text)), "{text:?}");
        }
    }

    /// Texts a cut must not be made in, or whose pieces do not read alone.
    #[test]
    fn texts_that_do_not_cut_are_read_in_one_piece() {
        let events = EXAMPLE.find("events:\n").expect("events");
        let head = &EXAMPLE[..events];
        for (what, text) in [
            ("the first event indented further", format!("{head}events:\n    a: {{}}\n  b: {{}}\n  c: {{}}\n")),
            ("one space in", format!("{head}events:\n  a: {{}}\n b: {{}}\n  c: {{}}\n")),
            ("a comment less indented", format!("{head}events:\n    a: {{}}\n  # c\n    b: {{}}\n    c: {{}}\n")),
            ("a sequence", format!("{head}events:\n  - a: {{}}\n  - b: {{}}\n  - c: {{}}\n")),
            ("a tab in", format!("{head}events:\n  a: {{}}\n\tb: {{}}\n  c: {{}}\n")),
            ("a flow mapping", format!("{head}events: {{\n  a: {{}},\n  b: {{}}\n}}\n")),
            ("a lone carriage return", format!("{head}events:\n  a: {{}}\r  b: {{}}\n  c: {{}}\n")),
        ] {
            assert!(Cut::of(&text, 2).is_none() || read(&text, 2).is_none(), "{what}");
        }
        // A quote left open before `events:` and closed after them (which
        // yaml-rust2 refuses, as it is indented less than its key; the cut
        // does not count on that: the head is read alone first).
        let quoted = "name: P\nversion: 1-0-0\ndescription: \"x\nevents:\n  a: {}\n  b: {}\n\"\nuserProperties: {}\n";
        assert!(Cut::of(quoted, 2).is_some());
        assert!(!super::whole(Cut::of(quoted, 2).expect("cut").head));
        assert_eq!(read(quoted, 2), None);
        // Cut, but an event named in two pieces.
        let twice = format!("{head}events:\n  a: {{}}\n  b: {{}}\n  a: {{}}\n");
        assert!(Cut::of(&twice, 3).is_some());
        assert_eq!(read(&twice, 3), None);
        // A second document after the events.
        let two = format!("{head}events:\n  a: {{}}\n  b: {{}}\n---\nname: Q\n");
        assert_eq!(read(&two, 2), None);
        // A carriage return before each line feed is read past.
        let crlf = EXAMPLE.replace('\n', "\r\n");
        assert_eq!(read(&crlf, 2).as_ref(), read_events(events_of(&crlf)).as_ref());
        assert!(read(&crlf, 2).is_some());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 3000, ..ProptestConfig::default() })]

        /// The example plan, indented one to four spaces a level, mutated
        /// (quotes, brackets, line breaks, indentation, comments, document
        /// markers), then read in two to five pieces.
        #[test]
        fn pieces_read_as_the_whole_reads(
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
            parts in 2..6usize,
            width in prop::sample::select(vec![2, 2, 1, 3, 4]),
        ) {
            let mut bytes = indented(EXAMPLE, width).into_bytes();
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                match byte % 3 {
                    0 => { bytes.remove(i); }
                    1 => bytes.insert(i, b"{}[]:,-\"' \n\r\t#&*!|>~"[usize::from(byte) % 20]),
                    _ => {
                        let line = b"\n  e: {}\n---\n...\nevents:\n   x: 1\n  \"q\n  - a\n# c\n    description: |\n      - >+\n";
                        let from = usize::from(byte) % line.len();
                        bytes.splice(i..i, line[from..].iter().copied());
                    }
                }
            }
            agrees(&String::from_utf8_lossy(&bytes), parts)?;
        }

        /// Generated plans (each value spelt many ways), read in pieces.
        #[test]
        fn generated_plans_read_in_pieces_as_in_one(text in crate::fast_yaml::tests::plan_text(), parts in 2..4usize) {
            agrees(&text, parts)?;
        }
    }
}

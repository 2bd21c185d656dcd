//! The fast way in for a YAML plan: serde reads the parser's events
//! straight into the same file types as a JSON plan (`fast`), with no tree
//! and no places.
//!
//! It reads each value as the slow way (`load`) does and refuses whatever
//! the slow way might read otherwise or report: a plain null (`~`, `null`,
//! an empty value) anywhere, anchors, aliases and tags, a repeated key, an
//! unknown key, a `$schema` that is not a text, more than one document, a
//! text holding a character a plan may not hold, any fault of the parser.
//! The loader then reads the text the slow way, which says where the
//! mistake is; a property test holds every plan this way reads to what the
//! slow way reads from the same text.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::{Marker, ScanError, TScalarStyle};

use crate::fast::plan_of;
use crate::model::Plan;

/// Reads `text` as a YAML (or JSON) plan, or `None` when this way does not
/// take it. The text holds no character a plan may not hold (the loader
/// checks first); its nesting is bounded by the file types' shape.
pub(crate) fn read_yaml(text: &str) -> Option<Plan> {
    if text.len() >= pieces::FROM
        && let Some(plan) = pieces::read(text, pieces::parts())
    {
        return Some(plan);
    }
    read_events(events_of(text))
}

mod pieces;

type Item = Result<(Event, Marker), ScanError>;

/// The parser's events, up to the end of the stream or the first fault.
fn events_of(text: &str) -> impl Iterator<Item = Item> + '_ {
    let mut parser = Parser::new_from_str(text);
    let mut done = false;
    std::iter::from_fn(move || {
        if done {
            return None;
        }
        let item = parser.next_token();
        done = matches!(item, Err(_) | Ok((Event::StreamEnd, _)));
        Some(item)
    })
}

fn read_events(events: impl Iterator<Item = Item>) -> Option<Plan> {
    plan_of(read_document(events)?)
}

/// The one document `events` hold, read as a `T`.
fn read_document<T: for<'de> Deserialize<'de>>(events: impl Iterator<Item = Item>) -> Option<T> {
    let mut events = Events { iter: events, peeked: None };
    if !matches!(events.next().ok()?, Event::StreamStart) || !matches!(events.next().ok()?, Event::DocumentStart) {
        return None;
    }
    let value = T::deserialize(&mut events).ok()?;
    // One document, and the end of the text (where `events_of` stops).
    if !matches!(events.next().ok()?, Event::DocumentEnd) || !matches!(events.next().ok()?, Event::StreamEnd) {
        return None;
    }
    Some(value)
}

/// Why this way does not take a text; the slow way tells what is wrong.
#[derive(Debug)]
struct Refused;

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("left to the slow way")
    }
}

impl std::error::Error for Refused {}

impl de::Error for Refused {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Self
    }
}

/// The parser's events, with one looked at ahead, and what the slow way
/// refuses anywhere refused as it comes.
struct Events<I: Iterator<Item = Item>> {
    iter: I,
    peeked: Option<Event>,
}

impl<I: Iterator<Item = Item>> Events<I> {
    fn next(&mut self) -> Result<Event, Refused> {
        if let Some(event) = self.peeked.take() {
            return Ok(event);
        }
        let (event, _) = self.iter.next().ok_or(Refused)?.map_err(|_| Refused)?;
        match &event {
            // Anchors, aliases and tags.
            Event::Alias(_) => Err(Refused),
            Event::Scalar(_, _, anchor, tag) | Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag)
                if *anchor != 0 || tag.is_some() =>
            {
                Err(Refused)
            }
            _ => Ok(event),
        }
    }

    fn peek(&mut self) -> Result<&Event, Refused> {
        let event = match self.peeked.take() {
            Some(event) => event,
            None => self.next()?,
        };
        Ok(self.peeked.insert(event))
    }

    /// A scalar's text, and whether it was written plain. A text that holds
    /// what a plan may not (only an escape can give it: the file was checked
    /// first) is refused.
    fn scalar(&mut self) -> Result<(String, bool), Refused> {
        match self.next()? {
            Event::Scalar(text, style, ..) if crate::yaml::is_all_printable(&text) => {
                Ok((text, style == TScalarStyle::Plain))
            }
            _ => Err(Refused),
        }
    }

    /// A scalar read as text: a plain null is refused (the slow way reads
    /// it as no value, or as the text `null`, depending on the key).
    fn text(&mut self) -> Result<String, Refused> {
        let (value, plain) = self.scalar()?;
        if plain && matches!(value.as_str(), "" | "~" | "null" | "Null" | "NULL") { Err(Refused) } else { Ok(value) }
    }
}

impl<'de, I: Iterator<Item = Item>> de::Deserializer<'de> for &mut Events<I> {
    type Error = Refused;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Refused> {
        Err(Refused)
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        // As the slow way: YAML 1.2's `true` or `false` (any of its three
        // spellings), written plain.
        match self.scalar()? {
            (value, true) if matches!(value.as_str(), "true" | "True" | "TRUE") => visitor.visit_bool(true),
            (value, true) if matches!(value.as_str(), "false" | "False" | "FALSE") => visitor.visit_bool(false),
            _ => Err(Refused),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        // As the slow way: a number's text, quoted or not.
        let (value, _) = self.scalar()?;
        match value.parse::<f64>() {
            Ok(number)
                if number.is_finite()
                    && crate::values::is_number_text(&value)
                    && crate::values::holds_exactly(&value, number) =>
            {
                visitor.visit_f64(number)
            }
            _ => Err(Refused),
        }
    }

    fn deserialize_u32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        let (value, _) = self.scalar()?;
        visitor.visit_u32(value.parse::<u32>().map_err(|_| Refused)?)
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        visitor.visit_string(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_str(visitor)
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        self.deserialize_str(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        // A value that is there is some value; a null is refused where it is read.
        visitor.visit_some(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        if !matches!(self.next()?, Event::SequenceStart(..)) {
            return Err(Refused);
        }
        let mut items = Items { events: self, done: false };
        let value = visitor.visit_seq(&mut items)?;
        if items.done { Ok(value) } else { Err(Refused) }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Refused> {
        if !matches!(self.next()?, Event::MappingStart(..)) {
            return Err(Refused);
        }
        let mut entries = Items { events: self, done: false };
        let value = visitor.visit_map(&mut entries)?;
        if entries.done { Ok(value) } else { Err(Refused) }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Refused> {
        self.deserialize_map(visitor)
    }

    serde::forward_to_deserialize_any! {
        i8 i16 i32 i64 i128 u8 u16 u64 u128 f32 char bytes byte_buf unit unit_struct newtype_struct
        tuple tuple_struct enum ignored_any
    }
}

/// The items of a list, or the entries of a mapping, up to its end.
struct Items<'a, I: Iterator<Item = Item>> {
    events: &'a mut Events<I>,
    done: bool,
}

impl<I: Iterator<Item = Item>> Items<'_, I> {
    /// Whether the list or mapping ends here (its end is then taken).
    fn at_end(&mut self) -> Result<bool, Refused> {
        if self.done {
            return Err(Refused);
        }
        if matches!(self.events.peek()?, Event::SequenceEnd | Event::MappingEnd) {
            self.events.next()?;
            self.done = true;
        }
        Ok(self.done)
    }
}

impl<'de, I: Iterator<Item = Item>> SeqAccess<'de> for &mut Items<'_, I> {
    type Error = Refused;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Refused> {
        if self.at_end()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.events).map(Some)
    }
}

impl<'de, I: Iterator<Item = Item>> MapAccess<'de> for &mut Items<'_, I> {
    type Error = Refused;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Refused> {
        if self.at_end()? {
            return Ok(None);
        }
        seed.deserialize(&mut *self.events).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Refused> {
        seed.deserialize(&mut *self.events)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use proptest::prelude::*;

    use super::read_yaml;
    use crate::Plan;

    const EXAMPLE: &str = include_str!("../../../examples/plans/tracking-plan.yaml");

    /// What `Plan::from_text` makes of a plan this way reads: the plan, when
    /// the text holds only what YAML allows (checked first) and the checks
    /// find nothing wrong with it (else the slow way is asked).
    fn fast(text: &str) -> Option<Plan> {
        if crate::yaml::first_unprintable(text).is_some() {
            return None;
        }
        read_yaml(text).filter(|plan| crate::checks::check(plan).is_empty())
    }

    /// Whatever this way reads, the slow way reads the same from the text.
    fn agrees(text: &str) -> Result<(), TestCaseError> {
        if let Some(plan) = fast(text) {
            let slow = Plan::read_slowly("p.yaml", text);
            prop_assert_eq!(slow.as_ref().ok(), Some(&plan), "{}\n{:?}", text, slow.as_ref().err());
        }
        Ok(())
    }

    #[test]
    fn sound_plans_are_read_this_way() {
        let plan = fast(EXAMPLE).expect("the example plan is read the fast way");
        assert_eq!(Plan::read_slowly("p.yaml", EXAMPLE).expect("and the slow way"), plan);
        let json = serde_json::to_string_pretty(&plan).expect("JSON");
        assert_eq!(fast(&json), Some(plan), "a JSON plan is YAML too");
    }

    /// A large plan (a thousand events) reads the same both ways, and a
    /// fault near its end is refused.
    #[test]
    fn large_plans_read_the_same_both_ways() {
        let mut text = String::from("name: Big\nversion: 1-0-0\nevents:\n");
        for i in 0..1000 {
            text.push_str(&format!(
                "  event {i}:\n    properties:\n      p: {{ type: enum, values: [a, \"b\"], required: true }}\n      q: {{ type: number, min: -1.5 }}\n"
            ));
        }
        let plan = fast(&text).expect("read the fast way");
        assert_eq!(plan.events.len(), 1000);
        assert_eq!(Plan::read_slowly("big.yaml", &text).expect("and the slow way"), plan);
        for fault in ["  event 0: ~\n", "  x: [\n", "  event 1: { a: 1 }\n", "---\na: 1\n", "  y: *a\n"] {
            assert_eq!(fast(&format!("{text}{fault}")), None, "{fault}");
        }
    }

    /// Each way a value may be written, some right, some wrong: plain,
    /// quoted, null, of the wrong kind, with an anchor or a tag. The first
    /// `sound` choices are the plan's own, taken most of the time, so that
    /// many plans are sound and read both ways.
    fn spelling(choices: &'static [&'static str], sound: usize) -> impl Strategy<Value = &'static str> {
        prop_oneof![15 => prop::sample::select(&choices[..sound]), 1 => prop::sample::select(choices)]
    }

    prop_compose! {
        fn property()(
            kind in spelling(&["string", "\"string\"", "'integer'", "number", "boolean", "datetime", "enum", "~", "", "text", "!!str string"], 6),
            required in spelling(&["", ", required: true", ", required: false", ", required: \"true\"", ", required: True", ", required: ~", ", required: yes"], 3),
            bound in spelling(&["", ", min: 0", ", max: \"12\"", ", min: 1.5", ", max: -2", ", min: 1e3", ", min: .inf", ", max: ~", ", min: ten", ", max: 0x10", ", min: 5, max: 1"], 6),
            length in spelling(&["", ", maxLength: 3", ", minLength: \"3\"", ", maxLength: -1", ", maxLength: 300", ", minLength: ~", ", maxLength: 3.0"], 2),
            values in spelling(&["", ", values: [a, b]", ", values: [\"a\", ~]", ", values: [null]", ", values: a", ", values: []", ", values: [a, A]"], 1),
            other in spelling(&["", ", description: hi", ", description: \"\"", ", description: ~", ", description: 12", ", examples: [x, ~]", ", pattern: \"^a\"", ", pattern: \"[\"", ", colour: red", ", description: &d x", ", description: |", ", description: >-"], 5),
            block in any::<bool>(),
        ) -> String {
            let body = format!("type: {kind}{required}{bound}{length}{values}{other}");
            if block {
                let lines: Vec<String> = body.split(", ").map(|entry| format!("\n        {entry}")).collect();
                lines.concat()
            } else {
                format!(" {{ {body} }}")
            }
        }
    }

    prop_compose! {
        fn event()(
            name in spelling(&["E", "\"F g\"", "12", "true", "e", "'E '", "~", "\"\""], 4),
            head in spelling(&["", "\n    owner: team", "\n    status: deprecated\n    sunset: 2025-01-01", "\n    policy: deny", "\n    include: [g]", "\n    status: retired", "\n    include: [nope]", "\n    policy: ~", "\n    description:", "\n    sunset: \"2025-1-1\""], 4),
            properties in prop::collection::vec(("[a-e]", property()), 1..3),
            empty in prop::bool::weighted(0.15),
        ) -> String {
            if empty {
                return format!("\n  {name}:");
            }
            let list: String = properties.iter().map(|(key, spec)| format!("\n      {key}:{spec}")).collect();
            format!("\n  {name}:{head}\n    properties:{list}")
        }
    }

    prop_compose! {
        pub(super) fn plan_text()(
            name in spelling(&["P", "\"P\"", "12", "' '", "~", ""], 3),
            version in spelling(&["1-0-0", "\"1-0-0\"", "2-1-0", "1.0", "~"], 3),
            top in spelling(&["", "\npolicy: warn", "\npolicy: Deny", "\ndescription: d", "\n\"$schema\": x", "\n$schema: {a: 1, a: 2}", "\ncolour: red", "\nuserProperties:\n  tier: { type: enum, values: [free, pro] }", "\nuserProperties:", "\ngroups:\n  g:\n    properties:\n      a: { type: string }", "\n# a comment"], 4),
            events in prop::collection::vec(event(), 1..3),
            tail in spelling(&["", "\n", "\n---\nname: Q", "\n...", "\n  # trailing comment"], 2),
        ) -> String {
            format!("name: {name}\nversion: {version}{top}\nevents:{}{tail}", events.concat())
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn written_plans_read_as_the_slow_way_reads_them(text in plan_text()) {
            agrees(&text)?;
        }

        /// The JSON way too: a plan as JSON, mutated (escapes, nulls and
        /// numbers included), read by `fast::read_json`.
        #[test]
        fn mutated_json_plans_read_as_the_slow_way_reads_them(
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        ) {
            let plan = Plan::read_slowly("p.yaml", EXAMPLE).expect("the example plan loads");
            let mut bytes = serde_json::to_string_pretty(&plan).expect("JSON").into_bytes();
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                match byte % 3 {
                    0 => bytes[i] = byte,
                    1 => { bytes.remove(i); }
                    _ => bytes.insert(i, b"{}[]:,-\"\\ \nu0n7e"[usize::from(byte) % 15]),
                }
            }
            let text = String::from_utf8_lossy(&bytes);
            if crate::yaml::first_unprintable(&text).is_none()
                && let Some(plan) = crate::fast::read_json(&text).filter(|plan| crate::checks::check(plan).is_empty())
            {
                let slow = Plan::read_slowly("p.json", &text);
                prop_assert_eq!(slow.as_ref().ok(), Some(&plan), "{}\n{:?}", text, slow.as_ref().err());
            }
        }

        #[test]
        fn mutated_plans_read_as_the_slow_way_reads_them(
            edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..6),
        ) {
            let mut bytes = EXAMPLE.as_bytes().to_vec();
            for (at, byte) in edits {
                let i = at.index(bytes.len());
                match byte % 3 {
                    0 => bytes[i] = byte,
                    1 => { bytes.remove(i); }
                    _ => bytes.insert(i, b"{}[]:,-\"' \n#&*!|>~"[usize::from(byte) % 18]),
                }
            }
            agrees(&String::from_utf8_lossy(&bytes))?;
        }
    }
}

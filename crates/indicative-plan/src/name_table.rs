//! A set of names, numbered, for the checks' hot path: found by hash in one
//! small table (open addressing) whose slots hold short names themselves,
//! so that a lookup reads one slot and no other memory, and compares two
//! words, where a hash map of strings would call `memcmp` on a string
//! stored elsewhere.

use std::hash::Hasher;

/// Names numbered from 0 in the order first given (a repeated name keeps
/// its first number).
#[derive(Debug, Default)]
pub(crate) struct NameTable {
    /// Its length is a power of two, at least twice the number of names
    /// (or 0).
    slots: Box<[Slot]>,
    names: Vec<Box<str>>,
}

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The name's [`words`]: for a name of up to 16 bytes, the name itself.
    words: [u64; 2],
    /// The name's length in bytes.
    len: usize,
    /// The name's number plus one; 0: an empty slot.
    number: u32,
}

/// Two words that are, for a name of up to 16 bytes, the name itself: its
/// bytes padded with zeros (up to 8), or its first and its last 8 bytes
/// (up to 16, overlapping). For a longer name, its first and last 8 bytes.
#[inline]
fn words(name: &[u8]) -> [u64; 2] {
    let word = |at: usize| name.get(at..).and_then(<[u8]>::first_chunk::<8>).map_or(0, |w| u64::from_le_bytes(*w));
    if name.len() < 8 {
        let mut padded = [0; 8];
        padded[..name.len()].copy_from_slice(name);
        return [u64::from_le_bytes(padded), 0];
    }
    [word(0), word(name.len() - 8)]
}

/// The hash a name is found by: of its words when they are the name, of
/// every byte otherwise.
#[inline]
fn hash(name: &[u8], [first, last]: [u64; 2]) -> u64 {
    if name.len() > 16 {
        let mut hasher = rustc_hash::FxHasher::default();
        hasher.write(name);
        return hasher.finish();
    }
    // rustc-hash's mix of two words: a full product, folded, then spread.
    let product =
        u128::from(first ^ 0x243F_6A88_85A3_08D3 ^ name.len() as u64) * u128::from(last ^ 0x1319_8A2E_0370_7344);
    #[allow(clippy::cast_possible_truncation)] // the fold takes both halves
    let folded = (product as u64) ^ (product >> 64) as u64;
    folded.wrapping_mul(0xF135_7AEA_2E62_A9C5).rotate_left(26)
}

impl NameTable {
    /// The table of `names`.
    pub(crate) fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> Self {
        let names: Vec<&str> = names.into_iter().collect();
        let size = if names.is_empty() { 0 } else { (names.len() * 2).next_power_of_two() };
        let mut table =
            Self { slots: vec![Slot::default(); size].into_boxed_slice(), names: Vec::with_capacity(names.len()) };
        for name in names {
            if table.find(name).is_some() {
                continue;
            }
            let words = words(name.as_bytes());
            #[allow(clippy::cast_possible_truncation)] // the low bits are wanted
            let mut at = hash(name.as_bytes(), words) as usize & (size - 1);
            while table.slots[at].number != 0 {
                at = (at + 1) & (size - 1);
            }
            let number = u32::try_from(table.names.len() + 1).unwrap_or(u32::MAX);
            table.slots[at] = Slot { words, len: name.len(), number };
            table.names.push(name.into());
        }
        table
    }

    /// The number of `name`, if it is in the table.
    #[inline]
    pub(crate) fn find(&self, name: &str) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let bytes = name.as_bytes();
        let words = words(bytes);
        #[allow(clippy::cast_possible_truncation)] // the low bits are wanted
        let mut at = hash(bytes, words) as usize & mask;
        loop {
            let slot = self.slots[at];
            let number = slot.number.checked_sub(1)?;
            if slot.words == words
                && slot.len == bytes.len()
                && (bytes.len() <= 16 || self.names.get(number as usize).is_some_and(|n| **n == *name))
            {
                return Some(number);
            }
            at = (at + 1) & mask;
        }
    }

    /// How many slots a lookup of `name` reads (for the test that names
    /// alike spread over the table).
    #[cfg(test)]
    fn probes(&self, name: &str) -> usize {
        let words = words(name.as_bytes());
        #[allow(clippy::cast_possible_truncation)]
        let mut at = hash(name.as_bytes(), words) as usize & (self.slots.len() - 1);
        let mut probes = 1;
        while self.slots[at].number != 0 && (self.slots[at].words != words || self.slots[at].len != name.len()) {
            at = (at + 1) & (self.slots.len() - 1);
            probes += 1;
        }
        probes
    }

    /// The names, in the order numbered.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|name| &**name)
    }
}

#[cfg(test)]
mod tests {
    use super::NameTable;

    /// Names that differ in one byte anywhere, or only in length (a
    /// trailing NUL), are told apart, at every length around the words'
    /// bounds.
    #[test]
    fn tells_apart_names_that_differ_in_one_byte_or_in_length() {
        for len in 0..40 {
            let name: String = (0..len).map(|i| char::from(b'a' + (i % 26) as u8)).collect();
            let mut near: Vec<String> = (0..len)
                .map(|at| {
                    let mut bytes = name.clone().into_bytes();
                    bytes[at] = b'#';
                    String::from_utf8(bytes).unwrap_or_default()
                })
                .collect();
            near.push(format!("{name}\0"));
            near.push(format!("{name}a"));
            let table = NameTable::new([name.as_str()]);
            assert_eq!(table.find(&name), Some(0), "{name:?}");
            for other in &near {
                assert_eq!(table.find(other), None, "{other:?} is not {name:?}");
            }
            let all = NameTable::new(near.iter().map(String::as_str).chain([name.as_str()]));
            assert_eq!(all.find(&name), u32::try_from(near.len()).ok(), "{name:?} among its near misses");
        }
    }

    /// Every name is found with its number and nothing else is, whatever
    /// the number of names (so whatever the table's collisions); a name
    /// given twice keeps its first number.
    #[test]
    fn finds_each_name_and_nothing_else() {
        for count in [0, 1, 2, 3, 7, 8, 9, 64, 300, 1000] {
            let names: Vec<String> = (0..count).map(|i| format!("property_{i}")).collect();
            let table = NameTable::new(names.iter().chain(names.first()).map(String::as_str));
            assert!(table.names().eq(names.iter().map(String::as_str)));
            for (number, name) in names.iter().enumerate() {
                assert_eq!(table.find(name), Some(u32::try_from(number).unwrap_or(u32::MAX)), "{name} of {count}");
            }
            for absent in ["", "property_", "Property_0", "property_0 ", "property_10000", "property_00"] {
                assert_eq!(table.find(absent), None, "{absent} of {count}");
            }
        }
    }

    /// Names that differ only in a few bytes at one end (numbered names,
    /// short and long) spread over the table: a lookup reads few slots.
    #[test]
    fn names_alike_spread_over_the_table() {
        for form in ["p{}", "property_{}", "{}_event", "a_long_event_name_number_{}", "{}_a_long_event_name"] {
            let names: Vec<String> = (0..1000).map(|i| form.replace("{}", &i.to_string())).collect();
            let table = NameTable::new(names.iter().map(String::as_str));
            let probes: usize = names.iter().map(|n| table.probes(n)).sum();
            assert!(probes <= 2 * names.len(), "{form}: {probes} slots read for {} names", names.len());
        }
    }
}

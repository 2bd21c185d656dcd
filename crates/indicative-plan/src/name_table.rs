//! A set of names, numbered, for the checks' hot path: found by hash in one
//! small table (open addressing), and compared without a call into `memcmp`
//! when they are short, as property and event names are.

use std::hash::Hasher;

/// Names numbered from 0 in the order first given (a repeated name keeps
/// its first number).
#[derive(Debug, Default)]
pub(crate) struct NameTable {
    /// Each slot: the hash's upper half, and the name's number plus one
    /// (0: an empty slot). Its length is a power of two, at least twice
    /// the number of names (or 0).
    slots: Box<[(u32, u32)]>,
    names: Vec<Box<str>>,
}

/// The hash a name is found by.
#[inline]
fn hash(name: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(name.as_bytes());
    hasher.finish()
}

/// The slot a hash starts its search at, and its tag.
#[inline]
#[allow(clippy::cast_possible_truncation)] // both halves are wanted
fn start_and_tag(hash: u64, mask: usize) -> (usize, u32) {
    (hash as usize & mask, (hash >> 32) as u32)
}

/// `a == b`, without a call for names of 8 to 16 bytes (two overlapping
/// words each).
#[inline]
fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if (8..=16).contains(&n) {
        let word = |s: &[u8], at: usize| s.get(at..).and_then(<[u8]>::first_chunk::<8>).map(|w| u64::from_le_bytes(*w));
        return word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8);
    }
    a == b
}

impl NameTable {
    /// The table of `names`.
    pub(crate) fn new<'n>(names: impl IntoIterator<Item = &'n str>) -> Self {
        let names: Vec<&str> = names.into_iter().collect();
        let size = if names.is_empty() { 0 } else { (names.len() * 2).next_power_of_two() };
        let mut table = Self { slots: vec![(0, 0); size].into_boxed_slice(), names: Vec::with_capacity(names.len()) };
        for name in names {
            let (mut at, tag) = start_and_tag(hash(name), size - 1);
            loop {
                let (slot_tag, number) = table.slots[at];
                let Some(number) = number.checked_sub(1) else { break };
                if slot_tag == tag && same(&table.names[number as usize], name) {
                    break;
                }
                at = (at + 1) & (size - 1);
            }
            if table.slots[at].1 == 0 {
                let number = u32::try_from(table.names.len()).unwrap_or(u32::MAX);
                table.slots[at] = (tag, number + 1);
                table.names.push(name.into());
            }
        }
        table
    }

    /// The number of `name`, if it is in the table.
    #[inline]
    pub(crate) fn find(&self, name: &str) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let (mut at, tag) = start_and_tag(hash(name), mask);
        loop {
            let (slot_tag, number) = self.slots[at];
            let number = number.checked_sub(1)?;
            if slot_tag == tag && same(&self.names[number as usize], name) {
                return Some(number);
            }
            at = (at + 1) & mask;
        }
    }

    /// The names, in the order numbered.
    pub(crate) fn names(&self) -> impl Iterator<Item = &str> {
        self.names.iter().map(|name| &**name)
    }
}

#[cfg(test)]
mod tests {
    use super::{NameTable, same};

    #[test]
    fn same_agrees_with_equality_at_every_length() {
        let base = "abcdefghijklmnopqrstuvwxyzé";
        for (i, _) in base.char_indices() {
            let a = &base[..i];
            assert!(same(a, a), "{a}");
            for (j, _) in base.char_indices() {
                assert_eq!(same(a, &base[..j]), i == j);
            }
            // A change at either end, or in the middle, is seen.
            let mut bytes = a.as_bytes().to_vec();
            for at in [0, bytes.len() / 2, bytes.len().saturating_sub(1)] {
                if let Some(b) = bytes.get_mut(at).filter(|b| b.is_ascii_lowercase()) {
                    *b = b.to_ascii_uppercase();
                    assert!(!same(a, std::str::from_utf8(&bytes).unwrap_or_default()), "{a} at {at}");
                    bytes[at] = bytes[at].to_ascii_lowercase();
                }
            }
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
}

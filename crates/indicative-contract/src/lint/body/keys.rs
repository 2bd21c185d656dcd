//! The repeated-name check of a `properties` object: a short list for the
//! first few names, an open-addressing table past that.

use std::hash::Hasher;

/// The property names of one `properties` object, to find repeats. The
/// first [`FEW_KEYS`] are compared in a list (most objects are small, and a
/// scan of a few hashes beats a table's random access); past that, an
/// open-addressing table whose slots belong to the object whose generation
/// they carry, so starting the next object clears nothing. Property objects
/// never nest (an object as a value is skipped), so one table serves.
#[derive(Debug, Default)]
pub(crate) struct KeyTable {
    few: [(u64, usize); FEW_KEYS],
    slots: Vec<Slot>,
    generation: u32,
    count: usize,
}

const FEW_KEYS: usize = 8;

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    hash: u64,
    at: usize,
    generation: u32,
}

impl KeyTable {
    #[inline]
    pub(super) fn start(&mut self) {
        self.count = 0;
    }

    #[inline]
    fn index(&self, hash: u64) -> usize {
        // The high bits of an Fx hash are the well-mixed ones.
        (hash >> (64 - self.slots.len().trailing_zeros())) as usize
    }

    /// Records the key at `at`, or returns where an equal key (same hash,
    /// and `same` confirms it) was recorded before.
    #[inline]
    pub(super) fn insert(&mut self, hash: u64, at: usize, same: impl Fn(usize) -> bool) -> Option<usize> {
        if self.count < FEW_KEYS {
            let earlier = self.few[..self.count].iter().find(|&&(h, earlier)| h == hash && same(earlier));
            if let Some(&(_, earlier)) = earlier {
                return Some(earlier);
            }
            self.few[self.count] = (hash, at);
            self.count += 1;
            return None;
        }
        if self.count == FEW_KEYS {
            self.open_table();
        }
        if (self.count + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.index(hash);
        loop {
            let slot = self.slots[i];
            if slot.generation != self.generation {
                self.slots[i] = Slot { hash, at, generation: self.generation };
                self.count += 1;
                return None;
            }
            if slot.hash == hash && same(slot.at) {
                return Some(slot.at);
            }
            i = (i + 1) & mask;
        }
    }

    /// Moves the listed keys into the table, under a new generation.
    fn open_table(&mut self) {
        if self.slots.is_empty() {
            self.slots = vec![Slot::default(); 64];
        }
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.slots.fill(Slot::default());
            self.generation = 1;
        }
        let mask = self.slots.len() - 1;
        for (hash, at) in self.few {
            let mut i = self.index(hash);
            while self.slots[i].generation == self.generation {
                i = (i + 1) & mask;
            }
            self.slots[i] = Slot { hash, at, generation: self.generation };
        }
    }

    fn grow(&mut self) {
        let generation = self.generation;
        let doubled = vec![Slot::default(); self.slots.len() * 2];
        let old = std::mem::replace(&mut self.slots, doubled);
        let mask = self.slots.len() - 1;
        for slot in old.into_iter().filter(|s| s.generation == generation) {
            let mut i = self.index(slot.hash);
            while self.slots[i].generation == generation {
                i = (i + 1) & mask;
            }
            self.slots[i] = slot;
        }
    }
}

#[inline]
pub(super) fn fx_hash(text: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(text.as_bytes());
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table against a plain search, for objects of every size around
    /// the list's capacity and the table's growth, one after another (so
    /// stale slots of earlier objects are present), with one repeat placed
    /// at every pair of positions.
    #[test]
    fn key_table_finds_every_repeat_and_nothing_else() {
        let mut table = KeyTable::default();
        // Hashes that all probe from slot 0, and well-spread ones.
        let hashes: [fn(usize) -> u64; 2] =
            [|k| (k / 2) as u64, |k| ((k / 2) as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)];
        for (len, hash) in [0, 1, 2, FEW_KEYS - 1, FEW_KEYS, FEW_KEYS + 1, 20, 33, 70]
            .into_iter()
            .flat_map(|len| hashes.map(|h| (len, h)))
        {
            for first in 0..len {
                for second in first + 1..len {
                    // Keys are their positions, except that `second` repeats `first`;
                    // hashes collide in pairs, so `same` must tell them apart.
                    let keys: Vec<usize> = (0..len).map(|i| if i == second { first } else { i }).collect();
                    table.start();
                    for (at, &key) in keys.iter().enumerate() {
                        let found = table.insert(hash(key), at, |earlier| keys[earlier] == key);
                        let expected = keys[..at].iter().position(|&k| k == key);
                        assert_eq!(found, expected, "len {len}, repeat {first}/{second}, at {at}");
                    }
                }
            }
        }
    }
}

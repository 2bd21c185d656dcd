//! Where a query's separators and escapes are (`&`, `=`, `+`, `%`), found
//! sixty-four bytes at a time as a bit mask: with SSE2 compares on x86-64
//! (through `safe_arch`, so in safe code), byte by byte elsewhere. A query
//! of an event has a mark every ten bytes or so: a search restarted at each
//! one (`memchr3`) cost more in its setup than in its search.

/// The bytes that are marks.
const MARKS: [u8; 4] = [b'&', b'=', b'+', b'%'];

/// The positions of the marks of `bytes`, in order.
pub(crate) struct Marks<'a> {
    bytes: &'a [u8],
    /// The offset of the block `mask` is of.
    base: usize,
    /// The marks of that block not yet given.
    mask: u64,
}

impl<'a> Marks<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, base: 0, mask: block_mask(bytes) }
    }
}

impl Iterator for Marks<'_> {
    type Item = usize;

    #[inline]
    fn next(&mut self) -> Option<usize> {
        while self.mask == 0 {
            self.base += 64;
            if self.base >= self.bytes.len() {
                return None;
            }
            self.mask = block_mask(&self.bytes[self.base..]);
        }
        let at = self.base + self.mask.trailing_zeros() as usize;
        self.mask &= self.mask - 1;
        Some(at)
    }
}

/// The marks among the first 64 bytes of `bytes` (fewer at its end).
#[inline]
fn block_mask(bytes: &[u8]) -> u64 {
    let mut block = [0; 64];
    let n = bytes.len().min(64);
    block[..n].copy_from_slice(&bytes[..n]);
    masks(&block)
}

/// The marks of `block`, byte by byte (the reference the SSE2 version is
/// tested against, and the version for other targets).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2", not(test)), allow(dead_code))]
fn masks_by_bytes(block: &[u8; 64]) -> u64 {
    block.iter().enumerate().fold(0, |mask, (i, b)| if MARKS.contains(b) { mask | 1 << i } else { mask })
}

/// The marks of `block`, sixteen bytes per compare.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
fn masks(block: &[u8; 64]) -> u64 {
    use safe_arch::{bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i};
    let splat = |b: u8| set_splat_i8_m128i(i8::from_ne_bytes([b]));
    let [amp, eq, plus, pct] = MARKS.map(splat);
    let mut mask = 0;
    for (i, chunk) in block.chunks_exact(16).enumerate() {
        let mut bytes = [0; 16];
        bytes.copy_from_slice(chunk);
        let x = load_unaligned_m128i(&bytes);
        let found = bitor_m128i(
            bitor_m128i(cmp_eq_mask_i8_m128i(x, amp), cmp_eq_mask_i8_m128i(x, eq)),
            bitor_m128i(cmp_eq_mask_i8_m128i(x, plus), cmp_eq_mask_i8_m128i(x, pct)),
        );
        mask |= u64::from(move_mask_i8_m128i(found) as u16) << (16 * i);
    }
    mask
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
fn masks(block: &[u8; 64]) -> u64 {
    masks_by_bytes(block)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn marks_are_every_separator_and_escape(bytes in prop::collection::vec(
            prop::sample::select(b"&=+%a0 \xe9\x80\xff\x26\x3d\x2b\x25\x00".to_vec()), 0..300)) {
            let expected: Vec<usize> = (0..bytes.len()).filter(|&i| MARKS.contains(&bytes[i])).collect();
            prop_assert_eq!(Marks::new(&bytes).collect::<Vec<_>>(), expected);
            let mut block = [0; 64];
            let n = bytes.len().min(64);
            block[..n].copy_from_slice(&bytes[..n]);
            prop_assert_eq!(masks(&block), masks_by_bytes(&block));
        }
    }
}

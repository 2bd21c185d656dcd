//! Sixty-four bytes at a time: where the quotes, backslashes, brackets and
//! commas are, as bit masks (bit `i` for byte `i`), found with SSE2
//! compares on x86-64 (through `safe_arch`, so in safe code) and byte by
//! byte elsewhere; and which bytes are inside strings, from those masks.

/// The bytes of one block that matter to the cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Masks {
    pub quote: u64,
    pub backslash: u64,
    /// `[` and `{`.
    pub open: u64,
    /// `]` and `}`.
    pub close: u64,
    pub comma: u64,
}

/// The masks of `block`, byte by byte (the reference the SSE2 version is
/// tested against, and the version for other targets).
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2", not(test)), allow(dead_code))]
pub(super) fn masks_by_bytes(block: &[u8; 64]) -> Masks {
    let mut m = Masks { quote: 0, backslash: 0, open: 0, close: 0, comma: 0 };
    for (i, &b) in block.iter().enumerate() {
        let bit = 1 << i;
        match b {
            b'"' => m.quote |= bit,
            b'\\' => m.backslash |= bit,
            b'[' | b'{' => m.open |= bit,
            b']' | b'}' => m.close |= bit,
            b',' => m.comma |= bit,
            _ => {}
        }
    }
    m
}

/// The masks of `block`, sixteen bytes per compare.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(super) fn masks(block: &[u8; 64]) -> Masks {
    use safe_arch::{bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, move_mask_i8_m128i, set_splat_i8_m128i};
    let splat = |b: u8| set_splat_i8_m128i(i8::from_ne_bytes([b]));
    let (quote, backslash, comma, case, open, close) =
        (splat(b'"'), splat(b'\\'), splat(b','), splat(0x20), splat(b'{'), splat(b'}'));
    let mut m = Masks { quote: 0, backslash: 0, open: 0, close: 0, comma: 0 };
    for (i, chunk) in block.chunks_exact(16).enumerate() {
        let mut bytes = [0; 16];
        bytes.copy_from_slice(chunk);
        let x = load_unaligned_m128i(&bytes);
        // `[` and `{` differ only in bit 0x20, as do `]` and `}`.
        let folded = bitor_m128i(x, case);
        let mask = |y| u64::from(move_mask_i8_m128i(y) as u16) << (16 * i);
        m.quote |= mask(cmp_eq_mask_i8_m128i(x, quote));
        m.backslash |= mask(cmp_eq_mask_i8_m128i(x, backslash));
        m.comma |= mask(cmp_eq_mask_i8_m128i(x, comma));
        m.open |= mask(cmp_eq_mask_i8_m128i(folded, open));
        m.close |= mask(cmp_eq_mask_i8_m128i(folded, close));
    }
    m
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
pub(super) fn masks(block: &[u8; 64]) -> Masks {
    masks_by_bytes(block)
}

/// Bit `i` is the parity of bits `0..=i` of `x`: with the unescaped quotes
/// as `x`, the bytes inside strings (opening quote included, closing one
/// not).
#[inline]
pub(super) const fn prefix_xor(mut x: u64) -> u64 {
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    x
}

/// The bytes escaped by a backslash, given the backslashes and whether the
/// block's first byte is escaped (by a backslash that ended the block
/// before); and whether the block's last backslash escapes the next
/// block's first byte.
#[inline]
pub(super) fn escaped(mut backslash: u64, first_escaped: bool) -> (u64, bool) {
    let mut escaped = u64::from(first_escaped);
    backslash &= !escaped;
    let mut carry = false;
    while backslash != 0 {
        let i = backslash.trailing_zeros();
        backslash &= backslash - 1;
        if escaped >> i & 1 == 0 {
            // An escaping backslash: the byte after it is escaped, and if
            // that is a backslash, it escapes nothing.
            if i == 63 {
                carry = true;
            } else {
                escaped |= 1 << (i + 1);
            }
        }
    }
    (escaped, carry)
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;
const LOWS: u64 = 0x7f7f_7f7f_7f7f_7f7f;

/// Counts the bytes of `bytes` that `lanes` marks (1 in each marked byte
/// lane of a word), eight bytes at a time: the marks add up in byte lanes
/// for up to 255 words, and are then summed across the lanes.
#[inline]
fn tally(bytes: &[u8], lanes: impl Fn(u64) -> u64, plain: impl Fn(u8) -> bool) -> usize {
    let mut words = bytes.chunks_exact(8);
    let mut total = 0;
    loop {
        let mut sums = 0;
        let mut n = 0;
        for chunk in words.by_ref().take(255) {
            let mut word = [0; 8];
            word.copy_from_slice(chunk);
            sums += lanes(u64::from_le_bytes(word));
            n += 1;
        }
        // Pairs of lanes into 16-bit lanes (at most 2 × 255), then their sum.
        let pairs = (sums & 0x00ff_00ff_00ff_00ff) + (sums >> 8 & 0x00ff_00ff_00ff_00ff);
        total += (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize;
        if n < 255 {
            break;
        }
    }
    total + words.remainder().iter().filter(|&&b| plain(b)).count()
}

/// How many `\n` bytes `bytes` holds.
#[inline]
pub(super) fn newlines(bytes: &[u8]) -> usize {
    tally(
        bytes,
        |x| {
            // A lane is zero exactly where the byte is a newline; the high
            // bit of `!(((y & LOWS) + LOWS) | y)` marks exactly those.
            let y = x ^ (ONES * u64::from(b'\n'));
            (!(((y & LOWS) + LOWS) | y) & HIGHS) >> 7
        },
        |b| b == b'\n',
    )
}

/// How many characters the UTF-8 in `bytes` holds: the bytes that are not
/// continuation bytes (`10xxxxxx`).
#[inline]
pub(super) fn characters(bytes: &[u8]) -> usize {
    let continuation = tally(bytes, |x| (x & !(x << 1) & HIGHS) >> 7, |b| b & 0xc0 == 0x80);
    bytes.len() - continuation
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn masks_agree_with_a_byte_by_byte_scan(bytes in prop::collection::vec(
            prop::sample::select(b"\"\\[]{},:a 0\xe9\x7f\x80\xff\x5b\x7b\x5d\x7d\x3b\x1b".to_vec()), 64)) {
            let mut block = [0; 64];
            block.copy_from_slice(&bytes);
            prop_assert_eq!(masks(&block), masks_by_bytes(&block));
        }

        #[test]
        fn prefix_xor_is_the_running_parity(x: u64) {
            let mut parity = 0;
            for i in 0..64 {
                parity ^= x >> i & 1;
                prop_assert_eq!(prefix_xor(x) >> i & 1, parity);
            }
        }
    }

    proptest! {
        #[test]
        fn tallies_agree_with_a_byte_by_byte_count(text in "[a\n\u{e9}\u{1F600}\u{7f}\u{80}]{0,3000}") {
            let bytes = text.as_bytes();
            prop_assert_eq!(newlines(bytes), bytes.iter().filter(|&&b| b == b'\n').count());
            prop_assert_eq!(characters(bytes), text.chars().count());
        }
    }

    #[test]
    fn runs_of_backslashes_escape_in_pairs() {
        // Backslashes at 0, 1, 2 and 4 (`\\\"\x`): bytes 1, 3 and 5 are escaped.
        let backslash = 0b1_0111;
        assert_eq!(escaped(backslash, false), (0b10_1010, false));
        // Escaped from the block before: byte 0 is escaped, so byte 1's
        // backslash escapes byte 2.
        assert_eq!(escaped(0b11, true), (0b101, false));
        assert_eq!(escaped(1 << 63, false), (0, true));
    }
}

//! Where the fast part of a string ends: the first quote, backslash or
//! control byte, found 16 bytes at a time with SSE2 on x86-64 and a word at
//! a time elsewhere.

/// Bytes that end the fast part of a string scan: the closing quote, a
/// backslash, and control characters (which JSON forbids raw in strings).
static STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// The offset in `bytes` of the first quote, backslash or control byte (or
/// `bytes.len()`), and whether that byte is the quote: the common case is
/// then told without loading the byte again. Sixteen bytes at a time with
/// SSE2 compares (through `safe_arch`, so in safe code); the tail byte by
/// byte.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline]
pub(super) fn find_stop(bytes: &[u8]) -> (usize, bool) {
    use safe_arch::{bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, min_u8_m128i, move_mask_i8_m128i};
    use safe_arch::{m128i, set_splat_i8_m128i};
    let splat = |b: u8| set_splat_i8_m128i(i8::from_ne_bytes([b]));
    let (quote, backslash, below_space) = (splat(b'"'), splat(b'\\'), splat(0x1f));
    let mut blocks = bytes.chunks_exact(16);
    let mut offset = 0;
    for chunk in &mut blocks {
        let mut block = [0; 16];
        block.copy_from_slice(chunk);
        let x: m128i = load_unaligned_m128i(&block);
        let quotes = move_mask_i8_m128i(cmp_eq_mask_i8_m128i(x, quote));
        // A byte is a control byte when the unsigned minimum with 0x1f is itself.
        let others =
            bitor_m128i(cmp_eq_mask_i8_m128i(x, backslash), cmp_eq_mask_i8_m128i(min_u8_m128i(x, below_space), x));
        let marks = quotes | move_mask_i8_m128i(others);
        if marks != 0 {
            let first = marks.trailing_zeros();
            return (offset + first as usize, quotes >> first & 1 != 0);
        }
        offset += 16;
    }
    let rest = blocks.remainder();
    let at = rest.iter().position(|&b| STOP[usize::from(b)]).unwrap_or(rest.len());
    (offset + at, rest.get(at) == Some(&b'"'))
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
#[inline]
pub(super) fn find_stop(bytes: &[u8]) -> (usize, bool) {
    find_stop_by_words(bytes)
}

/// [`find_stop`] eight bytes at a time, for targets without SSE2: for each
/// byte class, the classic "has a zero byte" bit trick marks matching
/// bytes; its lowest mark is always exact (borrows only make marks above a
/// true one), and only the lowest is used.
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
#[inline]
fn find_stop_by_words(bytes: &[u8]) -> (usize, bool) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut words {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let quote = x ^ (ONES * u64::from(b'"'));
        let backslash = x ^ (ONES * u64::from(b'\\'));
        let quotes = quote.wrapping_sub(ONES) & !quote & HIGHS;
        let marks = quotes | ((backslash.wrapping_sub(ONES) & !backslash) | (x.wrapping_sub(ONES * 0x20) & !x)) & HIGHS;
        if marks != 0 {
            let first = marks.trailing_zeros();
            return (offset + (first / 8) as usize, quotes >> first & 1 != 0);
        }
        offset += 8;
    }
    let rest = words.remainder();
    let at = rest.iter().position(|&b| STOP[usize::from(b)]).unwrap_or(rest.len());
    (offset + at, rest.get(at) == Some(&b'"'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_stop_agrees_with_a_plain_scan() {
        let plain = |b: &[u8]| {
            let at = b.iter().position(|&x| STOP[usize::from(x)]).unwrap_or(b.len());
            (at, b.get(at) == Some(&b'"'))
        };
        let mut cases: Vec<Vec<u8>> = vec![b"".to_vec(), b"abc".to_vec(), "é😀\"".as_bytes().to_vec()];
        // Every stop byte and its neighbours at every offset of a 40-byte
        // run (two SIMD blocks and a tail), alone and before a second stop.
        let stops = [b'"', b'\\', 0x00, 0x1f, 0x20, 0x21, 0x5b, 0x5d, 0x7f, 0x80, 0xff, b'!', b'#'];
        for stop in stops {
            for at in 0..40 {
                let mut bytes = vec![b'a'; 40];
                bytes[at] = stop;
                cases.push(bytes.clone());
                bytes[at.saturating_sub(1)] = 0xe9;
                cases.push(bytes.clone());
                for second in [b'"', b'\\', 0x01] {
                    for gap in [1, 7, 15, 16] {
                        let mut bytes = bytes.clone();
                        if let Some(b) = bytes.get_mut(at + gap) {
                            *b = second;
                            cases.push(bytes);
                        }
                    }
                }
            }
        }
        for bytes in cases {
            assert_eq!(find_stop(&bytes), plain(&bytes), "{bytes:?}");
            assert_eq!(find_stop_by_words(&bytes), plain(&bytes), "{bytes:?}");
        }
    }
}

//! Byte classes (RFC 9110 section 5.6.2 tokens, field-vchar, VCHAR) and word-at-a-time scanning.
//!
//! The scanners take 16 bytes per step with SIMD where [`simd::ENABLED`] (SSE2 on x86_64,
//! simd128 on wasm32), then finish with SWAR (SIMD within a register): eight bytes per step with
//! plain integer arithmetic, which is also the whole loop on other targets and with the
//! `force-swar` feature.

use super::simd;

/// The 16 bytes at `at`, if there are that many.
#[inline(always)]
fn block(s: &[u8], at: usize) -> Option<&[u8; 16]> {
    s.get(at..at + 16).and_then(|c| c.try_into().ok())
}

/// `tchar` = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~"
/// / DIGIT / ALPHA.
static TOKEN: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        i += 1;
    }
    t
};

/// Whether `b` is a token character.
#[inline(always)]
pub(crate) fn is_token(b: u8) -> bool {
    TOKEN[b as usize]
}

/// Whether every byte of `s` is a token character and `s` is not empty. Branch-free over the
/// bytes (the table lookups are and-ed together), as the names checked are short.
#[inline]
pub(crate) fn is_token_str(s: &[u8]) -> bool {
    let n = s.len();
    if simd::ENABLED && (8..=16).contains(&n) {
        // The first and the last eight bytes as one block hold every byte of `s` (some twice);
        // when they are all letters, digits or `-`, as in the usual field names, `s` is a
        // token without the byte loop.
        let mut c = [0u8; 16];
        c[..8].copy_from_slice(&s[..8]);
        c[8..].copy_from_slice(&s[n - 8..]);
        if simd::name_stops(&c) == 0 {
            return true;
        }
    }
    n != 0 && s.iter().fold(true, |ok, &b| ok & is_token(b))
}

/// field-vchar / SP / HTAB: anything but CTLs (other than HTAB) and DEL. obs-text allowed.
/// (The definition the block-wise scans are tested against.)
#[cfg(test)]
fn is_field_byte(b: u8) -> bool {
    (b >= 0x20 && b != 0x7f) || b == b'\t'
}

/// Whether every byte of `s` is a field byte (anything but CTLs other than HTAB, and DEL), a
/// block at a time.
#[inline(always)]
pub(crate) fn all_field_bytes(s: &[u8]) -> bool {
    // reasons and most values are short: one or two words (overlapping), no loop, no call
    let n = s.len();
    if n <= 8 {
        return field_word(load_upto8(s));
    }
    if n <= 16 {
        return field_word(load(s)) & field_word(load(&s[n - 8..]));
    }
    all_field_bytes_long(s)
}

fn all_field_bytes_long(s: &[u8]) -> bool {
    let mut at = 0;
    loop {
        at = skip_field_bytes(s, at);
        match s.get(at) {
            None => return true,
            Some(b'\t') => at += 1,
            Some(_) => return false,
        }
    }
}

const LO: u64 = 0x0101_0101_0101_0101;
const HI: u64 = 0x8080_8080_8080_8080;

#[inline(always)]
fn load(chunk: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&chunk[..8]);
    u64::from_le_bytes(w)
}

/// Up to 8 bytes as one word holding every byte of `s` (some twice when `s` is shorter than 8):
/// enough for a test that every byte is in a class. The empty string gives spaces.
#[inline(always)]
fn load_upto8(s: &[u8]) -> u64 {
    let n = s.len();
    if n == 8 {
        load(s)
    } else if n >= 4 {
        load4(s) as u64 | (load4(&s[n - 4..]) as u64) << 32
    } else if n > 0 {
        u32::from_le_bytes([s[0], s[n / 2], s[n - 1], s[0]]) as u64 * (1 << 32 | 1)
    } else {
        LO * 0x20
    }
}

#[inline(always)]
fn load4(chunk: &[u8]) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&chunk[..4]);
    u32::from_le_bytes(w)
}

/// Whether all eight bytes of `x` are field bytes (HTAB included), branch-free and exact per
/// byte: the sums are of each byte's low seven bits, so none carries into the next byte.
#[inline(always)]
fn field_word(x: u64) -> bool {
    let low = x & !HI;
    let printable = low + LO * 0x60; // high bit: low >= 0x20
    let del = low + LO; // high bit: low == 0x7f
    let not_tab = (low ^ (LO * 0x09)) + !HI; // high bit: low != 0x09
                                             // a byte with its own high bit set is obs-text, always allowed
    ((!printable & not_tab) | del) & !x & HI == 0
}

/// Flags (high bit set) the bytes of `x` that are below `n` (n <= 128). The lowest flagged byte is
/// exact; bytes above it may be flagged spuriously by the borrow, which callers never look at.
#[inline(always)]
fn below(x: u64, n: u8) -> u64 {
    x.wrapping_sub(LO * n as u64) & !x & HI
}

/// Flags bytes equal to `n` (same exactness rule as [`below`]).
#[inline(always)]
fn equal(x: u64, n: u8) -> u64 {
    below(x ^ (LO * n as u64), 1)
}

/// Index of the first byte at or after `at` that is not a field byte (or is HTAB, which callers
/// then step over), or `s.len()`.
#[inline]
pub(crate) fn skip_field_bytes(s: &[u8], mut at: usize) -> usize {
    if simd::ENABLED {
        // two blocks per step: field values (user agents, cookies) are long
        while let (Some(a), Some(b)) = (block(s, at), block(s, at + 16)) {
            let m = simd::field_stops(a) | simd::field_stops(b) << 16;
            if m != 0 {
                return at + m.trailing_zeros() as usize;
            }
            at += 32;
        }
        if let Some(c) = block(s, at) {
            let m = simd::field_stops(c);
            if m != 0 {
                return at + m.trailing_zeros() as usize;
            }
            at += 16;
        }
    }
    while at + 8 <= s.len() {
        let x = load(&s[at..]);
        let m = below(x, 0x20) | equal(x, 0x7f);
        if m != 0 {
            return at + (m.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < s.len() && s[at] >= 0x20 && s[at] != 0x7f {
        at += 1;
    }
    at
}

/// Index of the first `byte` in `s`, eight bytes per step.
#[inline]
pub(crate) fn find_byte(s: &[u8], byte: u8) -> Option<usize> {
    let mut at = 0;
    while at + 8 <= s.len() {
        let m = equal(load(&s[at..]), byte);
        if m != 0 {
            return Some(at + (m.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    if at < s.len() && s.len() >= 8 {
        // the last 8 bytes, overlapping checked ones: those hold no match, so the lowest
        // flagged byte (the exact one, see `below`) is at or after `at`
        let last = s.len() - 8;
        let m = equal(load(&s[last..]), byte);
        return (m != 0).then(|| last + (m.trailing_zeros() / 8) as usize);
    }
    s[at..].iter().position(|&b| b == byte).map(|i| at + i)
}

/// Index of the first byte at or after `at` that cannot be in a request-target: outside VCHAR
/// (0x21-0x7e), or `#` (a fragment, which no form allows), or `s.len()`.
#[inline]
pub(crate) fn skip_target_bytes(s: &[u8], mut at: usize) -> usize {
    if simd::ENABLED {
        while let Some(c) = block(s, at) {
            let m = simd::target_stops(c);
            if m != 0 {
                return at + m.trailing_zeros() as usize;
            }
            at += 16;
        }
    }
    while at + 8 <= s.len() {
        let x = load(&s[at..]);
        // bytes >= 0x7f: adding 1 sets the high bit (or the byte had it already).
        let m = below(x, 0x21) | ((x.wrapping_add(LO) | x) & HI) | equal(x, b'#');
        if m != 0 {
            return at + (m.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while at < s.len() && (0x21..0x7f).contains(&s[at]) && s[at] != b'#' {
        at += 1;
    }
    at
}

/// Index of the first non-token byte at or after `at`, or `s.len()`.
#[inline]
pub(crate) fn skip_token(s: &[u8], mut at: usize) -> usize {
    if simd::ENABLED {
        while let Some(c) = block(s, at) {
            let m = simd::name_stops(c);
            if m == 0 {
                at += 16;
                continue;
            }
            at += m.trailing_zeros() as usize;
            if !is_token(s[at]) {
                return at;
            }
            at += 1; // a token byte outside letters, digits and `-` (`_`, `.`, ...)
        }
    }
    while at < s.len() && is_token(s[at]) {
        at += 1;
    }
    at
}

/// `name` equals `lower` with ASCII letters in either case; `lower` is a lower-case field name
/// (letters and `-`). Branch-free over a fixed length, so the comparisons the framing rules make
/// for every received field cost a few vector instructions instead of a byte loop.
#[inline]
pub(crate) fn eq_lower<const N: usize>(name: &[u8], lower: &[u8; N]) -> bool {
    let Ok(name) = <&[u8; N]>::try_from(name) else {
        return false;
    };
    let mut diff = 0u8;
    for i in 0..N {
        // letters match in either case: set bit 0x20 of the input where `lower` has a letter
        let fold = if lower[i].is_ascii_lowercase() {
            0x20
        } else {
            0
        };
        diff |= (name[i] | fold) ^ lower[i];
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eq_lower_is_exactly_ascii_case_insensitive_equality() {
        fn check<const N: usize>(lower: &[u8; N]) {
            let mut name = *lower;
            // every byte value at every position, against the plain definition
            for i in 0..N {
                for b in 0u8..=255 {
                    name[i] = b;
                    assert_eq!(eq_lower(&name, lower), name.eq_ignore_ascii_case(lower));
                }
                name[i] = lower[i].to_ascii_uppercase();
            }
            assert!(eq_lower(&name, lower));
            assert!(!eq_lower(&name[..N - 1], lower));
        }
        check(b"content-length");
        check(b"transfer-encoding");
        check(b"connection");
        check(b"upgrade");
        check(b"expect");
        check(b"host");
    }

    fn naive_field(s: &[u8], at: usize) -> usize {
        (at..s.len())
            .find(|&i| s[i] < 0x20 || s[i] == 0x7f)
            .unwrap_or(s.len())
    }

    fn naive_target(s: &[u8], at: usize) -> usize {
        (at..s.len())
            .find(|&i| !(0x21..0x7f).contains(&s[i]) || s[i] == b'#')
            .unwrap_or(s.len())
    }

    #[test]
    fn swar_matches_naive_on_every_byte_and_position() {
        for special in 0u8..=255 {
            for pos in 0..20 {
                let mut s = [b'a'; 20];
                s[pos] = special;
                for start in 0..=pos {
                    assert_eq!(
                        skip_field_bytes(&s, start),
                        naive_field(&s, start),
                        "{special:#x} {pos}"
                    );
                    assert_eq!(
                        skip_target_bytes(&s, start),
                        naive_target(&s, start),
                        "{special:#x} {pos}"
                    );
                }
            }
        }
    }

    #[test]
    fn find_byte_matches_position() {
        for len in 0..40 {
            for pos in 0..=len {
                let mut s = [b'a'; 40];
                if pos < len {
                    s[pos] = b',';
                }
                // a second one later must not matter
                if pos + 3 < len {
                    s[pos + 3] = b',';
                }
                let s = &s[..len];
                assert_eq!(find_byte(s, b','), s.iter().position(|&b| b == b','));
            }
        }
    }

    #[test]
    fn all_field_bytes_matches_is_field_byte() {
        for special in 0u8..=255 {
            for len in 1..40 {
                for pos in [0, len / 2, len - 1] {
                    let mut s = [b'a'; 40];
                    s[pos] = special;
                    let s = &s[..len];
                    assert_eq!(all_field_bytes(s), s.iter().all(|&b| is_field_byte(b)));
                }
            }
        }
        assert!(all_field_bytes(b""));
    }

    /// Two special bytes at every pair of positions: the short path's overlapping words and
    /// exact per-byte tests (a space right after a control byte, HTAB next to anything).
    #[test]
    fn all_field_bytes_pairs() {
        let specials = [
            0u8, 8, 9, 10, 13, 0x1f, 0x20, 0x21, 0x7e, 0x7f, 0x80, 0xa0, 0xff,
        ];
        for len in 1..=20 {
            for i in 0..len {
                for j in i..len {
                    for &x in &specials {
                        for &y in &specials {
                            let mut s = [b'a'; 20];
                            s[i] = x;
                            s[j] = y;
                            let s = &s[..len];
                            let want = s.iter().all(|&b| is_field_byte(b));
                            assert_eq!(all_field_bytes(s), want, "{s:?}");
                        }
                    }
                }
            }
        }
    }

    /// Every byte value at every position of strings up to 20 bytes, in a name of letters
    /// (the block path for 8 to 16 bytes) and in one with `_` (the table path), against the
    /// table definition.
    #[test]
    fn is_token_str_matches_table() {
        for filler in [b'a', b'_'] {
            for len in 1..=20 {
                for pos in 0..len {
                    for b in 0u8..=255 {
                        let mut s = [filler; 20];
                        s[pos] = b;
                        let s = &s[..len];
                        assert_eq!(is_token_str(s), s.iter().all(|&b| is_token(b)), "{s:?}");
                    }
                }
            }
        }
        assert!(!is_token_str(b""));
    }

    #[test]
    fn tokens() {
        assert!(is_token_str(b"Content-Length"));
        assert!(!is_token_str(b"a b"));
        assert!(!is_token_str(b""));
        assert!(!is_token(b'"'));
        assert_eq!(skip_token(b"GET /", 0), 3);
    }
}

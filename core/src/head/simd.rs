//! 16-byte classification of head bytes with SIMD: SSE2 on x86_64 (part of the x86_64 baseline,
//! so no runtime detection is needed) and simd128 on wasm32 when the build enables it
//! (`-C target-feature=+simd128`). Everywhere else, and with the `force-swar` feature,
//! [`ENABLED`] is false and the scanners in `chars.rs` use their portable SWAR loops; the scalar
//! versions below then only serve as the reference the tests compare against.
//!
//! Why `unsafe` here: the only unsafe operation is the unaligned 16-byte load
//! (`_mm_loadu_si128` / `v128_load`), taken from a `&[u8; 16]`, so the 16 bytes are in bounds by
//! type and the load has no alignment requirement. On the kittyhell request this module cut the
//! head parse from 3357 to ~2000 instructions (callgrind) and its time by a third; see the
//! commit message and benches/RESULTS.md for the measured before/after.
#![allow(unsafe_code)]

/// Whether a SIMD implementation is compiled in.
pub(crate) const ENABLED: bool = cfg!(all(
    not(feature = "force-swar"),
    any(
        all(target_arch = "x86_64", target_feature = "sse2"),
        all(target_arch = "wasm32", target_feature = "simd128")
    )
));

/// Bit `i` set when byte `i` is not a field byte or is HTAB (`< 0x20` or `0x7f`), the stop set
/// of `skip_field_bytes`.
#[inline(always)]
pub(crate) fn field_stops(c: &[u8; 16]) -> u32 {
    imp::field_stops(c)
}

/// Bit `i` set when byte `i` is outside VCHAR (`0x21..=0x7e`) or is `#`: the stop set of
/// `skip_target_bytes`.
#[inline(always)]
pub(crate) fn target_stops(c: &[u8; 16]) -> u32 {
    imp::target_stops(c)
}

/// Bit `i` set when byte `i` is not an ASCII letter, digit or `-`: the common token bytes.
/// A set bit is not necessarily a non-token byte; the caller checks it with the table.
#[inline(always)]
pub(crate) fn name_stops(c: &[u8; 16]) -> u32 {
    imp::name_stops(c)
}

/// Scalar definitions: the reference for the tests, and the code path when SIMD is off.
#[allow(dead_code)]
mod scalar {
    fn mask(c: &[u8; 16], stop: impl Fn(u8) -> bool) -> u32 {
        c.iter()
            .enumerate()
            .fold(0, |m, (i, &b)| m | ((stop(b) as u32) << i))
    }

    pub(crate) fn field_stops(c: &[u8; 16]) -> u32 {
        mask(c, |b| b < 0x20 || b == 0x7f)
    }

    pub(crate) fn target_stops(c: &[u8; 16]) -> u32 {
        mask(c, |b| !(0x21..0x7f).contains(&b) || b == b'#')
    }

    pub(crate) fn name_stops(c: &[u8; 16]) -> u32 {
        mask(c, |b| !(b.is_ascii_alphanumeric() || b == b'-'))
    }
}

#[cfg(all(
    not(feature = "force-swar"),
    target_arch = "x86_64",
    target_feature = "sse2"
))]
mod imp {
    use core::arch::x86_64::*;

    #[inline(always)]
    fn load(c: &[u8; 16]) -> __m128i {
        // SAFETY: `c` is 16 readable bytes; `loadu` has no alignment requirement.
        unsafe { _mm_loadu_si128(c.as_ptr() as *const __m128i) }
    }

    /// Bytes of `x` in `lo..=lo+span` (unsigned), as 0xff lanes.
    #[inline(always)]
    #[allow(unused_unsafe)] // the SSE2 intrinsics are safe to call from Rust 1.87 on
    fn in_range(x: __m128i, lo: u8, span: u8) -> __m128i {
        unsafe {
            let t = _mm_sub_epi8(x, _mm_set1_epi8(lo as i8));
            _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(span as i8)), t)
        }
    }

    #[inline(always)]
    #[allow(unused_unsafe)]
    fn bits(x: __m128i) -> u32 {
        unsafe { _mm_movemask_epi8(x) as u32 }
    }

    #[inline(always)]
    #[allow(unused_unsafe)]
    pub(crate) fn field_stops(c: &[u8; 16]) -> u32 {
        let x = load(c);
        unsafe {
            let ctl = _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(0x1f)), x); // x <= 0x1f
            let del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
            bits(_mm_or_si128(ctl, del))
        }
    }

    #[inline(always)]
    #[allow(unused_unsafe)]
    pub(crate) fn target_stops(c: &[u8; 16]) -> u32 {
        let x = load(c);
        // signed compares: bytes >= 0x80 are negative, so neither > 0x20 nor kept
        unsafe {
            let ok = _mm_and_si128(
                _mm_cmpgt_epi8(x, _mm_set1_epi8(0x20)),
                _mm_cmplt_epi8(x, _mm_set1_epi8(0x7f)),
            );
            // `#` starts a fragment: not part of any request-target
            let hash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'#' as i8));
            !bits(_mm_andnot_si128(hash, ok)) & 0xffff
        }
    }

    #[inline(always)]
    #[allow(unused_unsafe)]
    pub(crate) fn name_stops(c: &[u8; 16]) -> u32 {
        let x = load(c);
        unsafe {
            // (b | 0x20) in 'a'..='z' holds exactly for ASCII letters
            let alpha = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), b'a', 25);
            let digit = in_range(x, b'0', 9);
            let dash = _mm_cmpeq_epi8(x, _mm_set1_epi8(b'-' as i8));
            !bits(_mm_or_si128(_mm_or_si128(alpha, digit), dash)) & 0xffff
        }
    }
}

#[cfg(all(
    not(feature = "force-swar"),
    target_arch = "wasm32",
    target_feature = "simd128"
))]
mod imp {
    use core::arch::wasm32::*;

    #[inline(always)]
    fn load(c: &[u8; 16]) -> v128 {
        // SAFETY: `c` is 16 readable bytes; `v128_load` has no alignment requirement.
        unsafe { v128_load(c.as_ptr() as *const v128) }
    }

    #[inline(always)]
    pub(crate) fn field_stops(c: &[u8; 16]) -> u32 {
        let x = load(c);
        let stop = v128_or(
            u8x16_lt(x, u8x16_splat(0x20)),
            u8x16_eq(x, u8x16_splat(0x7f)),
        );
        u8x16_bitmask(stop) as u32
    }

    #[inline(always)]
    pub(crate) fn target_stops(c: &[u8; 16]) -> u32 {
        let x = load(c);
        let ok = v128_and(
            u8x16_gt(x, u8x16_splat(0x20)),
            u8x16_lt(x, u8x16_splat(0x7f)),
        );
        // `#` starts a fragment: not part of any request-target
        let ok = v128_andnot(ok, u8x16_eq(x, u8x16_splat(b'#')));
        !(u8x16_bitmask(ok) as u32) & 0xffff
    }

    #[inline(always)]
    pub(crate) fn name_stops(c: &[u8; 16]) -> u32 {
        let x = load(c);
        let lower = v128_or(x, u8x16_splat(0x20));
        let alpha = u8x16_lt(u8x16_sub(lower, u8x16_splat(b'a')), u8x16_splat(26));
        let digit = u8x16_lt(u8x16_sub(x, u8x16_splat(b'0')), u8x16_splat(10));
        let dash = u8x16_eq(x, u8x16_splat(b'-'));
        !(u8x16_bitmask(v128_or(v128_or(alpha, digit), dash)) as u32) & 0xffff
    }
}

#[cfg(not(all(
    not(feature = "force-swar"),
    any(
        all(target_arch = "x86_64", target_feature = "sse2"),
        all(target_arch = "wasm32", target_feature = "simd128")
    )
)))]
use scalar as imp;

#[cfg(test)]
mod tests {
    use super::*;

    /// Every byte value at every lane, against the scalar definitions.
    #[test]
    fn matches_scalar_for_every_byte_in_every_lane() {
        for b in 0u8..=255 {
            for lane in 0..16 {
                for fill in [b'a', b'Z', b'5', b'-', b'~', 0x80] {
                    let mut c = [fill; 16];
                    c[lane] = b;
                    assert_eq!(field_stops(&c), scalar::field_stops(&c), "{b:#x} {lane}");
                    assert_eq!(target_stops(&c), scalar::target_stops(&c), "{b:#x} {lane}");
                    assert_eq!(name_stops(&c), scalar::name_stops(&c), "{b:#x} {lane}");
                }
            }
        }
    }
}

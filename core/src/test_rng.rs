//! A small seeded generator for the unit tests that compare a fast path with its reference over
//! many random inputs (xorshift64: reproducible, no dependency).

/// Returns a closure giving a pseudo-random number below its argument (which must be positive).
pub(crate) fn below(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}

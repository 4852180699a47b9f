//! Filling a slice whose length was computed beforehand: each piece is copied at a cursor with
//! no capacity logic, and short pieces without a call to `memcpy`.

/// Copies `src` into `dst` (same length). Pieces of a head are mostly short (names, values,
/// reasons): up to 16 bytes are moved with two fixed-size copies that may overlap in the middle
/// (8..=16 bytes: the first 8 and the last 8; 4..8: the first 4 and the last 4; 1..3: the first,
/// middle and last byte), each a single load and store. Longer pieces go to `copy_from_slice`.
#[inline(always)]
fn copy(dst: &mut [u8], src: &[u8]) {
    let n = src.len();
    if n > 16 || dst.len() != n {
        dst.copy_from_slice(src);
    } else if n >= 8 {
        dst[..8].copy_from_slice(&src[..8]);
        dst[n - 8..].copy_from_slice(&src[n - 8..]);
    } else if n >= 4 {
        dst[..4].copy_from_slice(&src[..4]);
        dst[n - 4..].copy_from_slice(&src[n - 4..]);
    } else if n > 0 {
        dst[0] = src[0];
        dst[n / 2] = src[n / 2];
        dst[n - 1] = src[n - 1];
    }
}

/// A cursor over a slice sized exactly for what will be put into it.
pub(crate) struct Fill<'o> {
    rest: &'o mut [u8],
}

impl<'o> Fill<'o> {
    pub(crate) fn new(dst: &'o mut [u8]) -> Self {
        Fill { rest: dst }
    }

    /// Appends `s`. The caller computed the slice's length from the same pieces, so the
    /// split cannot fail.
    #[inline(always)]
    pub(crate) fn put(&mut self, s: &[u8]) {
        let (dst, rest) = core::mem::take(&mut self.rest).split_at_mut(s.len());
        copy(dst, s);
        self.rest = rest;
    }

    /// Whether every byte was filled (for debug assertions).
    pub(crate) fn is_full(&self) -> bool {
        self.rest.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_matches_copy_from_slice() {
        let src: [u8; 40] = core::array::from_fn(|i| i as u8 + 1);
        for len in 0..=40 {
            let mut a = [0u8; 40];
            copy(&mut a[..len], &src[..len]);
            let mut b = [0u8; 40];
            b[..len].copy_from_slice(&src[..len]);
            assert_eq!(a, b, "{len}");
        }
    }

    #[test]
    fn fill_puts_pieces_in_order() {
        let mut out = [0u8; 32];
        let mut f = Fill::new(&mut out[..29]);
        for piece in [&b"HTTP/1.1 200 "[..], b"OK", b"\r\n", b"", b"X: 123456789"] {
            assert!(!f.is_full());
            f.put(piece);
        }
        assert!(f.is_full());
        assert_eq!(&out[..], b"HTTP/1.1 200 OK\r\nX: 123456789\0\0\0");
    }
}

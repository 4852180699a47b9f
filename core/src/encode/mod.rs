//! Encoding into a caller's `&mut [u8]`: request and response heads (interim responses
//! included), chunks and trailers. Everything is validated first: nothing that would put invalid
//! bytes on the wire is written.

mod chunk;
mod fill;
mod head;

pub use chunk::{encode_chunk, encode_last_chunk};
pub(crate) use chunk::{write_chunk_parts, write_last_chunk};
pub use head::{
    check_fields, check_request_fields, check_request_head, check_response_head, encode_request,
    encode_response,
};
pub(crate) use head::{write_request_head, write_response_head, Extra};

use crate::{Error, ErrorKind};

/// Writes into a fixed buffer, counting what would not fit so the error can say how much room
/// the whole event needs.
pub(crate) struct Writer<'o> {
    out: &'o mut [u8],
    len: usize,
}

impl<'o> Writer<'o> {
    pub(crate) fn new(out: &'o mut [u8]) -> Self {
        Writer { out, len: 0 }
    }

    /// Counts `n` more bytes and returns where they go, or `None` when they do not fit (the
    /// count goes on, for the error).
    #[inline]
    pub(crate) fn reserve(&mut self, n: usize) -> Option<&mut [u8]> {
        let start = self.len;
        self.len += n;
        self.out.get_mut(start..self.len)
    }

    #[inline]
    pub(crate) fn put(&mut self, s: &[u8]) {
        if let Some(dst) = self.reserve(s.len()) {
            dst.copy_from_slice(s);
        }
    }

    /// Lower-case hexadecimal, no leading zeros.
    pub(crate) fn put_hex(&mut self, mut n: u64) {
        let mut digits = [0u8; 16];
        let mut i = digits.len();
        loop {
            i -= 1;
            digits[i] = b"0123456789abcdef"[(n & 15) as usize];
            n >>= 4;
            if n == 0 {
                break;
            }
        }
        self.put(&digits[i..]);
    }

    /// Ok when everything put so far fit, or the error saying how many bytes were needed.
    #[inline]
    pub(crate) fn fits(&self) -> Result<(), Error> {
        if self.len > self.out.len() {
            Err(Error::local(ErrorKind::BufferTooSmall { needed: self.len }))
        } else {
            Ok(())
        }
    }

    /// The number of bytes put so far.
    pub(crate) fn len(&self) -> usize {
        self.len
    }

    /// The number of bytes written, or the error saying how many were needed.
    pub(crate) fn finish(self) -> Result<usize, Error> {
        self.fits().map(|()| self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writer_counts_overflow() {
        let mut buf = [0u8; 4];
        let mut w = Writer::new(&mut buf);
        w.put(b"ab");
        w.put_hex(0x1f);
        assert_eq!(w.finish(), Ok(4));
        assert_eq!(&buf, b"ab1f");
        let mut w = Writer::new(&mut buf);
        w.put(b"abc");
        w.put(b"1234");
        assert_eq!(
            w.finish().unwrap_err().kind(),
            ErrorKind::BufferTooSmall { needed: 7 }
        );
    }
}

//! Chunks and the last chunk with trailers.

use super::fill::Fill;
use super::head::{checked_fields_len, fill_fields, Extra};
use super::Writer;
use crate::head::Header;
use crate::Error;

/// Encode one chunk (`size CRLF data CRLF`). Empty data writes nothing: an empty chunk would
/// end the body.
///
/// ```
/// let mut out = [0u8; 32];
/// let n = h1x::encode_chunk(b"hello", &mut out).unwrap();
/// assert_eq!(&out[..n], b"5\r\nhello\r\n");
/// ```
pub fn encode_chunk(data: &[u8], out: &mut [u8]) -> Result<usize, Error> {
    let mut w = Writer::new(out);
    write_chunk(&mut w, data);
    w.finish()
}

pub(crate) fn write_chunk(w: &mut Writer<'_>, data: &[u8]) {
    write_chunk_parts(w, data.len(), Some(data));
}

/// One chunk of `len` bytes: its size line, `data` if given (else the caller writes those bytes
/// itself), the CRLF after the data. Returns how many bytes come before the data. Nothing for
/// `len == 0` (an empty chunk would end the body).
pub(crate) fn write_chunk_parts(w: &mut Writer<'_>, len: usize, data: Option<&[u8]>) -> usize {
    if len == 0 {
        return 0;
    }
    let start = w.len();
    w.put_hex(len as u64);
    w.put(b"\r\n");
    let before = w.len() - start;
    if let Some(data) = data {
        w.put(data);
    }
    w.put(b"\r\n");
    before
}

/// Encode the last chunk and the trailer section.
///
/// ```
/// let mut out = [0u8; 64];
/// let n = h1x::encode_last_chunk(&[h1x::Header::new("Checksum", "abc")], &mut out).unwrap();
/// assert_eq!(&out[..n], b"0\r\nChecksum: abc\r\n\r\n");
/// ```
pub fn encode_last_chunk(trailers: &[Header<'_>], out: &mut [u8]) -> Result<usize, Error> {
    let mut w = Writer::new(out);
    write_last_chunk(&mut w, trailers)?;
    w.finish()
}

pub(crate) fn write_last_chunk(w: &mut Writer<'_>, trailers: &[Header<'_>]) -> Result<(), Error> {
    // validated and measured before anything is written
    let len = 3 + checked_fields_len(trailers, Extra::default())?;
    if let Some(dst) = w.reserve(len) {
        let mut f = Fill::new(dst);
        f.put(b"0\r\n");
        fill_fields(&mut f, trailers, Extra::default());
    }
    Ok(())
}

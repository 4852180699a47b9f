//! `bytes` integration: encode straight into a growing `BytesMut` (feature `bytes`).

use crate::{Connection, Error, ErrorKind, Event};
use bytes::BytesMut;

/// Encoding into a [`BytesMut`] that grows as needed.
///
/// ```
/// use h1x::{Connection, ConnectionBytesExt, Event, Header, Role};
/// let mut conn = Connection::new(Role::Client);
/// let mut buf = bytes::BytesMut::new();
/// conn.encode_into(&Event::request("GET", "/", &[Header::new("Host", "a")]), &mut buf).unwrap();
/// assert_eq!(&buf[..], b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
/// ```
#[cfg_attr(docsrs, doc(cfg(feature = "bytes")))]
pub trait ConnectionBytesExt {
    /// Append the encoding of `event` to `dst`; returns the bytes appended.
    fn encode_into(&mut self, event: &Event<'_, '_>, dst: &mut BytesMut) -> Result<usize, Error>;
}

impl ConnectionBytesExt for Connection {
    fn encode_into(&mut self, event: &Event<'_, '_>, dst: &mut BytesMut) -> Result<usize, Error> {
        let start = dst.len();
        let mut want = match event {
            Event::Data(d) => d.len() + 32,
            _ => 512,
        };
        loop {
            dst.resize(start + want, 0);
            match self.encode(event, &mut dst[start..]) {
                Ok(n) => {
                    dst.truncate(start + n);
                    return Ok(n);
                }
                Err(e) => match e.kind() {
                    ErrorKind::BufferTooSmall { needed } => want = needed,
                    _ => {
                        dst.truncate(start);
                        return Err(e);
                    }
                },
            }
        }
    }
}

//! The connection's write buffer: bytes encoded by h1x straight into initialised memory that
//! is reused (no zeroing per event, unlike growing a `BytesMut`), written out from the front.

use crate::codec::WriteBuf;
use h1x::{Connection, ErrorKind, Event};

/// Encoded bytes waiting for the socket: `buf[start..end]`.
#[derive(Debug, Default)]
pub(crate) struct OutBuf {
    buf: Vec<u8>,
    start: usize,
    end: usize,
}

impl OutBuf {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The memory held (0 once released).
    pub fn capacity(&self) -> usize {
        self.buf.len()
    }

    /// The bytes not yet written.
    pub fn pending(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    /// `n` bytes were written.
    pub fn advance(&mut self, n: usize) {
        self.start += n;
        if self.start >= self.end {
            self.start = 0;
            self.end = 0;
        }
    }

    /// Drop what is pending (the socket is gone).
    pub fn clear(&mut self) {
        self.start = 0;
        self.end = 0;
    }

    /// Give the memory back (when empty).
    pub fn release(&mut self) {
        if self.is_empty() {
            *self = OutBuf::default();
        }
    }
}

impl WriteBuf for OutBuf {
    fn put_event(
        &mut self,
        conn: &mut Connection,
        event: &Event<'_, '_>,
    ) -> Result<(), h1x::Error> {
        loop {
            match conn.encode(event, &mut self.buf[self.end..]) {
                Ok(n) => {
                    self.end += n;
                    return Ok(());
                }
                // nothing changed: grow and encode again
                Err(e) => match e.kind() {
                    ErrorKind::BufferTooSmall { needed } => {
                        let want = (self.end + needed).max(2 * self.buf.len()).max(1024);
                        self.buf.resize(want, 0);
                    }
                    _ => return Err(e),
                },
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use h1x::{Header, Role};

    #[test]
    fn grows_once_then_reuses_its_memory() {
        let mut conn = Connection::new(Role::Server);
        let mut headers = [Header::EMPTY; 4];
        conn.decode(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", &mut headers)
            .unwrap();
        let mut out = OutBuf::default();
        let len = "3000".to_string();
        out.put_event(
            &mut conn,
            &Event::response(200, &[Header::new("Content-Length", &len)]),
        )
        .unwrap();
        out.put_event(&mut conn, &Event::Data(&[b'x'; 3000]))
            .unwrap();
        assert!(out
            .pending()
            .starts_with(b"HTTP/1.1 200 OK\r\nContent-Length: 3000\r\n\r\nxxx"));
        assert_eq!(out.len(), 41 + 3000);
        let cap = out.capacity();
        out.advance(out.len());
        assert!(out.is_empty());
        out.put_event(&mut conn, &Event::end()).unwrap();
        assert_eq!(out.capacity(), cap, "no new memory");
        out.release();
        assert_eq!(out.capacity(), 0);
    }
}

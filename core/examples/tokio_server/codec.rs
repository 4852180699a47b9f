//! h1x behind tokio-util's `Decoder` and `Encoder`: a thin adapter, no protocol logic.
//!
//! Decoding: h1x borrows the read buffer and says how many bytes the event used; the adapter
//! records the event's slices as offsets, splits those bytes off (`split_to(n).freeze()`) and
//! hands out `Bytes` that share the same memory: owned items without copying a byte.
//!
//! Encoding: `ConnectionBytesExt::encode_into` appends each event straight into the write
//! buffer; every event is checked by h1x first (no 1xx to HTTP/1.0 clients, none after the
//! final response, framing honoured).

use bytes::{Bytes, BytesMut};
use h1x::{Connection, ConnectionBytesExt, Event, Header, Role, Version};
use std::ops::Range;
use tokio_util::codec::{Decoder, Encoder};

/// Header storage per head: its length is h1x's header-count limit (431 beyond).
const MAX_HEADERS: usize = 64;

/// What the client sent: owned, zero-copy views of the read buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Incoming {
    Request(RequestHead),
    Data(Bytes),
    /// The end of the request body (trailers dropped).
    End,
}

/// A request head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestHead {
    pub method: Bytes,
    pub target: Bytes,
    pub version: Version,
    pub headers: Vec<(Bytes, Bytes)>,
}

impl RequestHead {
    /// The first value of header `name` (ASCII case ignored).
    pub fn header(&self, name: &str) -> Option<&[u8]> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| &v[..])
    }
}

/// What the server sends.
#[derive(Debug, Clone)]
pub enum Outgoing {
    /// A 1xx response.
    Interim(u16, Vec<(&'static str, String)>),
    /// The final response head.
    Response(u16, Vec<(&'static str, String)>),
    Data(Bytes),
    End,
}

/// Errors: the socket's, or the protocol's (with the status to answer).
#[derive(Debug)]
pub enum CodecError {
    Io(std::io::Error),
    Protocol(h1x::Error),
}

impl From<std::io::Error> for CodecError {
    fn from(e: std::io::Error) -> Self {
        CodecError::Io(e)
    }
}

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodecError::Io(e) => write!(f, "{e}"),
            CodecError::Protocol(e) => write!(f, "{e}"),
        }
    }
}

/// One HTTP/1.1 server connection as a codec.
#[derive(Debug)]
pub struct H1Codec {
    conn: Connection,
}

impl H1Codec {
    pub fn new() -> Self {
        H1Codec {
            conn: Connection::new(Role::Server),
        }
    }

    /// The state machine, for questions such as `they_are_waiting_for_100_continue`.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Start the next keep-alive cycle. A pipelined request already in the read buffer is
    /// decoded only when the `Framed` is rebuilt from its parts (see the server).
    pub fn start_next_cycle(&mut self) -> Result<(), h1x::Error> {
        self.conn.start_next_cycle()
    }
}

/// An event with its slices turned into offsets, so that the buffer can be split afterwards.
enum Shape {
    Request {
        method: Range<usize>,
        target: Range<usize>,
        version: Version,
        headers: Vec<(Range<usize>, Range<usize>)>,
    },
    Data(Range<usize>),
    End,
    /// Nothing (more) to hand out now.
    Wait,
}

impl Decoder for H1Codec {
    type Item = Incoming;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Incoming>, CodecError> {
        loop {
            let mut storage = [Header::EMPTY; MAX_HEADERS];
            let base = src.as_ptr() as usize;
            let at = |s: &[u8]| {
                let start = s.as_ptr() as usize - base;
                start..start + s.len()
            };
            let (n, shape) = {
                let (n, event) = self
                    .conn
                    .decode(&src[..], &mut storage)
                    .map_err(CodecError::Protocol)?;
                let shape = match event {
                    Event::Request(r) => Shape::Request {
                        method: at(r.method),
                        target: at(r.target),
                        version: r.version,
                        headers: r
                            .headers
                            .iter()
                            .map(|h| (at(h.name), at(h.value)))
                            .collect(),
                    },
                    Event::Data(d) => Shape::Data(at(d)),
                    Event::EndOfMessage(_) => Shape::End,
                    // NeedData (possibly after consuming framing bytes), Paused (a pipelined
                    // request waits for the next cycle), ConnectionClosed (the stream ends)
                    _ => Shape::Wait,
                };
                (n, shape)
            };
            let taken = src.split_to(n).freeze();
            let item = match shape {
                Shape::Request {
                    method,
                    target,
                    version,
                    headers,
                } => Incoming::Request(RequestHead {
                    method: taken.slice(method),
                    target: taken.slice(target),
                    version,
                    headers: headers
                        .into_iter()
                        .map(|(k, v)| (taken.slice(k), taken.slice(v)))
                        .collect(),
                }),
                Shape::Data(r) => Incoming::Data(taken.slice(r)),
                Shape::End => Incoming::End,
                Shape::Wait if n > 0 && !src.is_empty() => continue,
                Shape::Wait => return Ok(None),
            };
            return Ok(Some(item));
        }
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Incoming>, CodecError> {
        self.conn.receive_eof();
        self.decode(src)
    }
}

impl Encoder<Outgoing> for H1Codec {
    type Error = CodecError;

    fn encode(&mut self, item: Outgoing, dst: &mut BytesMut) -> Result<(), CodecError> {
        let result = match &item {
            Outgoing::Interim(status, fields) | Outgoing::Response(status, fields) => {
                let headers: Vec<Header<'_>> =
                    fields.iter().map(|(n, v)| Header::new(*n, v)).collect();
                let event = if matches!(item, Outgoing::Interim(..)) {
                    Event::interim(*status, &headers)
                } else {
                    Event::response(*status, &headers)
                };
                self.conn.encode_into(&event, dst)
            }
            Outgoing::Data(data) => self.conn.encode_into(&Event::Data(data), dst),
            Outgoing::End => self.conn.encode_into(&Event::end(), dst),
        };
        result.map(|_| ()).map_err(CodecError::Protocol)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUEST: &[u8] = b"PUT /files/a.mp4 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\
        Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";

    fn decode_all(codec: &mut H1Codec, pieces: &[&[u8]]) -> Vec<Incoming> {
        let mut buf = BytesMut::new();
        let mut items = Vec::new();
        for piece in pieces {
            buf.extend_from_slice(piece);
            while let Some(item) = codec.decode(&mut buf).unwrap() {
                items.push(item);
            }
        }
        items
    }

    /// Join the data items, keep the others.
    fn normalise(items: Vec<Incoming>) -> (Vec<Incoming>, Vec<u8>) {
        let mut body = Vec::new();
        let mut rest = Vec::new();
        for item in items {
            match item {
                Incoming::Data(d) => body.extend_from_slice(&d),
                other => rest.push(other),
            }
        }
        (rest, body)
    }

    #[test]
    fn same_items_at_every_split_point() {
        let whole = normalise(decode_all(&mut H1Codec::new(), &[REQUEST]));
        assert_eq!(whole.1, b"hello world");
        let Incoming::Request(head) = &whole.0[0] else {
            panic!("{:?}", whole.0)
        };
        assert_eq!(&head.method[..], b"PUT");
        assert_eq!(head.header("expect"), Some(&b"100-continue"[..]));
        assert_eq!(whole.0[1], Incoming::End);
        for at in 0..=REQUEST.len() {
            let (a, b) = REQUEST.split_at(at);
            assert_eq!(
                normalise(decode_all(&mut H1Codec::new(), &[a, b])),
                whole,
                "split at {at}"
            );
        }
    }

    #[test]
    fn body_bytes_are_views_of_the_read_buffer() {
        let mut codec = H1Codec::new();
        let mut buf =
            BytesMut::from(&b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"[..]);
        let Some(Incoming::Request(head)) = codec.decode(&mut buf).unwrap() else {
            panic!()
        };
        let start = head.method.as_ptr();
        let Some(Incoming::Data(d)) = codec.decode(&mut buf).unwrap() else {
            panic!()
        };
        assert_eq!(&d[..], b"abc");
        // the body follows the head in the same allocation: nothing was copied
        assert_eq!(d.as_ptr() as usize - start as usize, 47);
    }

    #[test]
    fn interim_then_final_and_errors() {
        let mut codec = H1Codec::new();
        let mut buf = BytesMut::from(REQUEST);
        assert!(matches!(
            codec.decode(&mut buf).unwrap(),
            Some(Incoming::Request(_))
        ));
        assert!(codec.conn().they_are_waiting_for_100_continue());
        let mut out = BytesMut::new();
        codec
            .encode(Outgoing::Interim(100, vec![]), &mut out)
            .unwrap();
        codec
            .encode(
                Outgoing::Interim(102, vec![("Progress", "1/10".into())]),
                &mut out,
            )
            .unwrap();
        assert_eq!(
            &out[..],
            b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 102 Processing\r\nProgress: 1/10\r\n\r\n"
        );
        while let Some(item) = codec.decode(&mut buf).unwrap() {
            if item == Incoming::End {
                break;
            }
        }
        codec
            .encode(
                Outgoing::Response(201, vec![("Content-Length", "0".into())]),
                &mut out,
            )
            .unwrap();
        codec.encode(Outgoing::End, &mut out).unwrap();
        // nothing interim after the final response: h1x refuses
        let err = codec
            .encode(Outgoing::Interim(102, vec![]), &mut out)
            .unwrap_err();
        assert!(matches!(err, CodecError::Protocol(e) if e.kind() == h1x::ErrorKind::IllegalEvent));

        let mut bad = H1Codec::new();
        let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"[..]);
        let err = bad.decode(&mut buf).unwrap_err();
        assert!(matches!(err, CodecError::Protocol(e) if e.status() == 400));
    }

    #[test]
    fn pipelined_request_waits_for_the_next_cycle() {
        let mut codec = H1Codec::new();
        let mut buf = BytesMut::from(
            &b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"[..],
        );
        assert!(
            matches!(codec.decode(&mut buf).unwrap(), Some(Incoming::Request(r)) if &r.target[..] == b"/a")
        );
        assert_eq!(codec.decode(&mut buf).unwrap(), Some(Incoming::End));
        assert_eq!(codec.decode(&mut buf).unwrap(), None, "paused");
        let mut out = BytesMut::new();
        codec
            .encode(Outgoing::Response(204, vec![]), &mut out)
            .unwrap();
        codec.encode(Outgoing::End, &mut out).unwrap();
        codec.start_next_cycle().unwrap();
        assert!(
            matches!(codec.decode(&mut buf).unwrap(), Some(Incoming::Request(r)) if &r.target[..] == b"/b")
        );
    }
}

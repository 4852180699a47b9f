//! h1x behind tokio-util's [`Decoder`] and [`Encoder`]: a server connection as a codec.
//!
//! Decoding: h1x borrows the read buffer and says how many bytes each event used; the codec
//! splits those bytes off (`split_to(n).freeze()`) and hands out `http` types whose URI and
//! header values are views of that same memory: owned items, no body byte copied.
//!
//! Encoding: every outgoing head, interim response, data piece and end is checked by h1x first
//! (no 1xx to HTTP/1.0 clients, none after the final response, framing honoured) and written
//! straight into the write buffer.
//!
//! Pipelining: once the final response's [`Outgoing::End`] is encoded and the request was read
//! to its end, the codec starts the next cycle by itself, so a pipelined request already in the
//! read buffer is decoded by the next `decode` call: the `Framed` is never rebuilt.

use crate::decisions::{self, Decided, SentBody};
use bytes::{Buf, Bytes, BytesMut};
use h1x::{Config, Connection, Event, Header, Role, Span, State};
use http::{HeaderMap, StatusCode};
use std::ops::Range;
use tokio_util::codec::{Decoder, Encoder};

/// The most header fields a request head may have (431 beyond).
///
/// ```
/// assert_eq!(h1x_tokio::codec::MAX_HEADERS, 100);
/// ```
pub const MAX_HEADERS: usize = 100;
/// Header slots tried first; a head with more is decoded again with as many as it needs.
const SMALL_HEADERS: usize = 16;

/// What the client sent: owned items whose bytes are views of the read buffer.
///
/// ```
/// use bytes::BytesMut;
/// use h1x_tokio::codec::{H1Codec, Incoming};
/// use tokio_util::codec::Decoder;
///
/// let mut codec = H1Codec::new();
/// let mut buf = BytesMut::from(&b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\nX: 1\r\n\r\n"[..]);
/// let mut items = Vec::new();
/// while let Some(item) = codec.decode(&mut buf).unwrap() {
///     items.push(item);
/// }
/// assert!(matches!(&items[0], Incoming::Head(h) if h.body_length().is_none()));
/// assert!(matches!(&items[1], Incoming::Data(d) if d == "hi"));
/// assert!(matches!(&items[2], Incoming::End(Some(t)) if t["x"] == "1"));
/// ```
#[derive(Debug)]
pub enum Incoming {
    /// A request head, with what h1x decided about it.
    Head(RequestHead),
    /// A piece of the request body (chunk framing removed).
    Data(Bytes),
    /// The end of the request body, with its trailer fields (chunked bodies only).
    End(Option<HeaderMap>),
}

/// A request head: the request (URI and header values share the read buffer's memory) and
/// h1x's decisions about the body that follows.
///
/// ```
/// use bytes::BytesMut;
/// use h1x_tokio::codec::{H1Codec, Incoming};
/// use tokio_util::codec::Decoder;
///
/// let mut buf = BytesMut::from(&b"PUT /f HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\nExpect: 100-continue\r\n\r\n"[..]);
/// let Some(Incoming::Head(head)) = H1Codec::new().decode(&mut buf).unwrap() else { panic!() };
/// assert_eq!(head.body_length(), Some(9));
/// assert!(head.expects_continue() && !head.unknown_expectation());
/// assert!(!head.wants_upgrade() && !head.transfer_coded());
/// assert_eq!(head.request.method(), "PUT");
/// ```
#[derive(Debug)]
pub struct RequestHead {
    /// The request, with an empty body.
    pub request: http::Request<()>,
    pub(crate) decided: Decided,
}

impl RequestHead {
    /// The body's length when the request announced one (`Content-Length`; `Some(0)` when the
    /// request has no body); `None` for chunked bodies.
    pub fn body_length(&self) -> Option<u64> {
        self.decided.body_length
    }

    /// Whether the client waits for `100 Continue` before sending its body (HTTP/1.1 only).
    pub fn expects_continue(&self) -> bool {
        self.decided.expects_continue
    }

    /// Whether the request carries an expectation other than `100-continue` (answer 417).
    pub fn unknown_expectation(&self) -> bool {
        self.decided.unknown_expectation
    }

    /// Whether the body will arrive still transfer-coded (`Transfer-Encoding: gzip, chunked`):
    /// h1x removes the chunked framing only; a server that does not decode the rest answers 501.
    pub fn transfer_coded(&self) -> bool {
        self.decided.transfer_coded
    }

    /// Whether the request proposes a protocol switch (`Upgrade`, or `CONNECT`).
    pub fn wants_upgrade(&self) -> bool {
        self.decided.upgrade
    }
}

/// What the server sends. Header maps are borrowed: nothing is cloned to encode them.
///
/// ```
/// use bytes::BytesMut;
/// use h1x_tokio::codec::{H1Codec, Outgoing, ResponseHead};
/// use http::{HeaderMap, StatusCode};
/// use tokio_util::codec::{Decoder, Encoder};
///
/// let mut codec = H1Codec::new();
/// let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"[..]);
/// codec.decode(&mut buf).unwrap(); // the head
/// codec.decode(&mut buf).unwrap(); // its end (no body)
/// let mut out = BytesMut::new();
/// let mut hints = HeaderMap::new();
/// hints.insert("link", "</a.css>; rel=preload".parse().unwrap());
/// codec.encode(Outgoing::Interim(StatusCode::EARLY_HINTS, &hints), &mut out).unwrap();
/// let mut fields = HeaderMap::new();
/// fields.insert("date", "Sun, 06 Nov 1994 08:49:37 GMT".parse().unwrap());
/// let head = ResponseHead { status: StatusCode::OK, headers: &fields, content_length: Some(2) };
/// codec.encode(Outgoing::Response(head), &mut out).unwrap();
/// codec.encode(Outgoing::Data(b"ok"), &mut out).unwrap();
/// codec.encode(Outgoing::End(None), &mut out).unwrap();
/// assert_eq!(
///     &out[..],
///     &b"HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\n\
///        HTTP/1.1 200 OK\r\ndate: Sun, 06 Nov 1994 08:49:37 GMT\r\ncontent-length: 2\r\n\r\nok"[..]
/// );
/// assert!(codec.start_next_cycle()); // keep-alive: the next request may come
/// ```
#[derive(Debug, Clone, Copy)]
pub enum Outgoing<'a> {
    /// An interim (1xx) response.
    Interim(StatusCode, &'a HeaderMap),
    /// The final response head.
    Response(ResponseHead<'a>),
    /// A piece of the response body.
    Data(&'a [u8]),
    /// The end of the response, with trailer fields (sent only when the body is chunked).
    End(Option<&'a HeaderMap>),
}

/// A final response head (see [`Outgoing`] for an example). A `Date` field is added when the
/// fields have none.
#[derive(Debug, Clone, Copy)]
pub struct ResponseHead<'a> {
    /// The status (200-999; 101 is an interim response).
    pub status: StatusCode,
    /// The fields.
    pub headers: &'a HeaderMap,
    /// The body's length when known: added as `Content-Length` unless the fields already say
    /// how the body is framed.
    pub content_length: Option<u64>,
}

/// A codec error: the socket's, or the protocol's (with the status to answer).
///
/// ```
/// use bytes::BytesMut;
/// use h1x_tokio::codec::H1Codec;
/// use tokio_util::codec::Decoder;
///
/// let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"[..]);
/// let err = H1Codec::new().decode(&mut buf).unwrap_err();
/// assert_eq!(err.status(), Some(http::StatusCode::BAD_REQUEST));
/// ```
#[derive(Debug)]
pub enum CodecError {
    /// Reading or writing failed.
    Io(std::io::Error),
    /// The client broke the protocol (answer [`h1x::Error::status`]), or we were about to.
    Protocol(h1x::Error),
    /// The request head is valid HTTP/1.1 that the `http` crate's types cannot hold (a
    /// request-target `http::Uri` refuses): answer 400.
    Unrepresentable(http::Error),
}

impl From<std::io::Error> for CodecError {
    fn from(e: std::io::Error) -> Self {
        CodecError::Io(e)
    }
}

impl From<h1x::Error> for CodecError {
    fn from(e: h1x::Error) -> Self {
        CodecError::Protocol(e)
    }
}

impl CodecError {
    /// The status a server should answer with, when the client caused the error (example:
    /// [`CodecError`]).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            CodecError::Protocol(e) if e.is_remote() => StatusCode::from_u16(e.status()).ok(),
            CodecError::Unrepresentable(_) => Some(StatusCode::BAD_REQUEST),
            _ => None,
        }
    }
}

impl std::fmt::Display for CodecError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CodecError::Io(e) => write!(f, "{e}"),
            CodecError::Protocol(e) => write!(f, "{e}"),
            CodecError::Unrepresentable(e) => write!(f, "request head not representable: {e}"),
        }
    }
}

impl std::error::Error for CodecError {}

/// One HTTP/1.1 server connection as a codec.
///
/// ```
/// use bytes::BytesMut;
/// use h1x_tokio::codec::{H1Codec, Incoming};
/// use tokio_util::codec::Decoder;
///
/// let mut codec = H1Codec::new();
/// let mut buf = BytesMut::from(&b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi"[..]);
/// let Some(Incoming::Head(head)) = codec.decode(&mut buf).unwrap() else { panic!() };
/// assert_eq!(head.request.uri(), "/a");
/// assert_eq!(head.body_length(), Some(2));
/// assert!(matches!(codec.decode(&mut buf).unwrap(), Some(Incoming::Data(d)) if d == "hi"));
/// assert!(matches!(codec.decode(&mut buf).unwrap(), Some(Incoming::End(None))));
/// ```
#[derive(Debug)]
pub struct H1Codec {
    conn: Connection,
    /// Offsets of the last head's header names and values (reused: no allocation per head).
    spans: Vec<(Range<usize>, Range<usize>)>,
    title_case: bool,
    /// How the response being sent frames its body (from h1x, when its head was encoded).
    sent_body: SentBody,
    /// An empty header map whose memory the next request head reuses (a sent response's).
    spare_headers: Option<HeaderMap>,
}

impl Default for H1Codec {
    fn default() -> Self {
        Self::new()
    }
}

impl H1Codec {
    /// A codec with h1x's strict defaults (see [`H1Codec`]).
    pub fn new() -> Self {
        Self::with_config(Config::default())
    }

    /// A codec with the given h1x limits and leniencies.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use tokio_util::codec::Decoder;
    /// let config = h1x::Config::default().with_max_head_bytes(64);
    /// let mut codec = h1x_tokio::codec::H1Codec::with_config(config);
    /// let mut buf = BytesMut::from(&b"GET / HTTP/1.1\r\nHost: a\r\nX-Long: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"[..]);
    /// assert_eq!(codec.decode(&mut buf).unwrap_err().status().unwrap(), 431);
    /// ```
    pub fn with_config(config: Config) -> Self {
        H1Codec {
            conn: Connection::with_config(Role::Server, config),
            spans: Vec::new(),
            title_case: false,
            sent_body: SentBody::None,
            spare_headers: None,
        }
    }

    /// Write header names in Title-Case (example: `codec/tests.rs`, `title_case_names`) (`Content-Type`) instead of the `http` crate's lower
    /// case, for clients that compare names case-sensitively (as hyper's option of that name).
    pub fn title_case_headers(mut self, on: bool) -> Self {
        self.title_case = on;
        self
    }

    /// The h1x state machine, for questions such as
    /// [`they_are_waiting_for_100_continue`](h1x::Connection::they_are_waiting_for_100_continue).
    ///
    /// ```
    /// let codec = h1x_tokio::codec::H1Codec::new();
    /// assert_eq!(codec.conn().our_state(), h1x::State::Idle);
    /// ```
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Record that the client closed its sending side (what `decode_eof` does first).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use tokio_util::codec::Decoder;
    /// let mut codec = h1x_tokio::codec::H1Codec::new();
    /// codec.receive_eof();
    /// // a clean close between requests: no item, and the client's side is closed
    /// assert!(codec.decode(&mut BytesMut::new()).unwrap().is_none());
    /// assert_eq!(codec.conn().their_state(), h1x::State::Closed);
    /// ```
    pub fn receive_eof(&mut self) {
        self.conn.receive_eof();
    }

    /// Mark our side as failed (the socket write failed): nothing more is encoded.
    ///
    /// ```
    /// let mut codec = h1x_tokio::codec::H1Codec::new();
    /// codec.send_failed();
    /// assert_eq!(codec.conn().our_state(), h1x::State::Error);
    /// ```
    pub fn send_failed(&mut self) {
        self.conn.send_failed();
    }

    /// Whether encoding `event` now would be accepted, without changing anything: the check
    /// runs on a copy of the 64-byte state machine.
    fn try_encode<W: WriteBuf>(
        &mut self,
        event: &Event<'_, '_>,
        dst: &mut W,
    ) -> Result<(), h1x::Error> {
        let mut probe = self.conn.clone();
        dst.put_event(&mut probe, event)?;
        self.conn = probe;
        Ok(())
    }

    /// Encode an interim response if h1x allows it now; a refusal (HTTP/1.0 client, final
    /// response already started, invalid field) leaves the connection usable.
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use http::{HeaderMap, StatusCode};
    /// use tokio_util::codec::Decoder;
    /// let mut codec = h1x_tokio::codec::H1Codec::new();
    /// codec.decode(&mut BytesMut::from(&b"GET / HTTP/1.0\r\n\r\n"[..])).unwrap();
    /// let mut out = BytesMut::new();
    /// let err = codec.encode_interim(StatusCode::PROCESSING, &HeaderMap::new(), &mut out).unwrap_err();
    /// assert_eq!(err.kind(), h1x::ErrorKind::InterimToHttp10);
    /// assert_eq!(codec.conn().our_state(), h1x::State::SendResponse); // still usable
    /// ```
    pub fn encode_interim(
        &mut self,
        status: StatusCode,
        headers: &HeaderMap,
        dst: &mut BytesMut,
    ) -> Result<(), h1x::Error> {
        self.interim_to(status, headers, dst)
    }

    /// [`encode_interim`](Self::encode_interim) into any write buffer.
    pub(crate) fn interim_to<W: WriteBuf>(
        &mut self,
        status: StatusCode,
        headers: &HeaderMap,
        dst: &mut W,
    ) -> Result<(), h1x::Error> {
        let (names, title) = collect_headers(headers, self.title_case);
        with_fields(headers, &names, &title, &[], |fields| {
            self.try_encode(&Event::interim(status.as_u16(), fields), dst)
        })
    }

    /// Encode a final response head if h1x accepts it (a refusal leaves the connection usable,
    /// so that a 500 can still be sent).
    pub(crate) fn encode_response_head<W: WriteBuf>(
        &mut self,
        head: &ResponseHead<'_>,
        dst: &mut W,
    ) -> Result<(), h1x::Error> {
        // one pass over the names (no hashing): is the body framed already, is there a Date?
        let (mut framed, mut dated) = (false, false);
        for name in head.headers.keys() {
            framed |=
                name == http::header::CONTENT_LENGTH || name == http::header::TRANSFER_ENCODING;
            dated |= name == http::header::DATE;
        }
        let mut len_buf = itoa_buf();
        let mut extra: [(&str, &[u8]); 2] = [("", b""); 2];
        let mut n_extra = 0;
        if let (Some(len), false) = (head.content_length, framed) {
            extra[n_extra] = (
                if self.title_case {
                    "Content-Length"
                } else {
                    "content-length"
                },
                fmt_u64(len, &mut len_buf),
            );
            n_extra += 1;
        }
        let date;
        if !dated {
            date = crate::date::now();
            extra[n_extra] = (if self.title_case { "Date" } else { "date" }, &date[..]);
            n_extra += 1;
        }
        let (names, title) = collect_headers(head.headers, self.title_case);
        let status = head.status.as_u16();
        with_fields(head.headers, &names, &title, &extra[..n_extra], |fields| {
            let event = if status < 200 {
                Event::interim(status, fields)
            } else {
                Event::response(status, fields)
            };
            self.try_encode(&event, dst)
        })?;
        self.sent_body = decisions::sent(&self.conn);
        Ok(())
    }

    /// Whether the response whose head went out may carry a body (h1x's decision: not for HEAD,
    /// 204, 304 or a protocol switch).
    ///
    /// ```
    /// use bytes::BytesMut;
    /// use h1x_tokio::codec::{H1Codec, Outgoing, ResponseHead};
    /// use http::{HeaderMap, StatusCode};
    /// use tokio_util::codec::{Decoder, Encoder};
    /// let mut codec = H1Codec::new();
    /// codec.decode(&mut BytesMut::from(&b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n"[..])).unwrap();
    /// let fields = HeaderMap::new();
    /// let head = ResponseHead { status: StatusCode::OK, headers: &fields, content_length: Some(5) };
    /// codec.encode(Outgoing::Response(head), &mut BytesMut::new()).unwrap();
    /// assert!(!codec.response_has_body());
    /// ```
    pub fn response_has_body(&self) -> bool {
        self.sent_body != SentBody::None
    }

    /// Keep `map` (a sent response's fields) for the next request head: its memory is reused
    /// rather than freed here and allocated again there. Small maps only.
    pub(crate) fn recycle_headers(&mut self, mut map: HeaderMap) {
        if map.capacity() <= SMALL_HEADERS * 2 {
            map.clear();
            self.spare_headers = Some(map);
        }
    }

    /// Give back the memory kept for the next head (an idle connection holds none).
    pub(crate) fn release_spare(&mut self) {
        self.spare_headers = None;
    }

    /// After the response's end: start the next cycle when both sides are done (keep-alive).
    fn maybe_next_cycle(&mut self) {
        if self.conn.our_state() == State::Done && self.conn.their_state() == State::Done {
            let _ = self.conn.start_next_cycle();
        }
    }

    /// Try to start the next keep-alive cycle now (the request was read to its end after the
    /// response's end); returns whether the connection is ready for another request (example:
    /// [`Outgoing`]).
    pub fn start_next_cycle(&mut self) -> bool {
        self.maybe_next_cycle();
        self.conn.our_state() == State::Idle
    }

    /// Decode one event from `buf` and record where its parts lie (header spans in `spans`).
    fn decode_shape<'b>(
        &mut self,
        buf: &'b [u8],
        storage: &mut [Header<'b>],
    ) -> Result<(usize, Shape), h1x::Error> {
        let (n, event) = self.conn.decode(buf, storage)?;
        let record = |spans: &mut Vec<_>, headers: &[Header<'_>]| {
            spans.clear();
            spans.extend(
                Span::of_headers(buf, headers)
                    .map(|s| s.map(|(n, v)| (n.range(), v.range())).unwrap_or_default()),
            );
        };
        let shape = match event {
            Event::Request(r) => {
                record(&mut self.spans, r.headers);
                let spans = r.spans(buf).unwrap_or_default();
                Shape::Head(spans.method.range(), spans.target.range(), r.version)
            }
            Event::Data(d) => Shape::Data(Span::of(buf, d).unwrap_or_default().range()),
            Event::EndOfMessage(trailers) => {
                record(&mut self.spans, trailers);
                Shape::End(!trailers.is_empty())
            }
            Event::NeedData if n > 0 => Shape::Skip,
            // NeedData, Paused (a pipelined request waits for the next cycle, or the protocol
            // was switched: the rest belongs to the new protocol), ConnectionClosed (see
            // `their_state`)
            _ => Shape::Wait,
        };
        Ok((n, shape))
    }

    pub(crate) fn decode_next(
        &mut self,
        src: &mut BytesMut,
    ) -> Result<Option<Incoming>, CodecError> {
        loop {
            // slots for a head; none while a body arrives (trailers take the retry below)
            let first = if self.conn.their_state() == State::Idle {
                self.decode_shape(&src[..], &mut [Header::EMPTY; SMALL_HEADERS])
            } else {
                self.decode_shape(&src[..], &mut [])
            };
            let (n, shape) = match first {
                // the connection is unchanged: try again with as many slots as needed
                Err(e) if e.kind() == h1x::ErrorKind::TooManyHeaders => {
                    match e.needed_headers().filter(|&k| k <= MAX_HEADERS) {
                        Some(k) => self.decode_shape(&src[..], &mut vec![Header::EMPTY; k])?,
                        None => {
                            self.conn.receive_failed();
                            return Err(e.into());
                        }
                    }
                }
                r => r?,
            };
            let item = match shape {
                Shape::Head(method, target, version) => {
                    let head = src.split_to(n).freeze();
                    let decided = decisions::received(&self.conn);
                    let map = self.spare_headers.take().unwrap_or_default();
                    let request = build_request(&head, method, target, version, &self.spans, map)
                        .map_err(CodecError::Unrepresentable)?;
                    Incoming::Head(RequestHead { request, decided })
                }
                Shape::Data(range) => {
                    let data = src.split_to(n).freeze();
                    Incoming::Data(if range.len() == n {
                        data
                    } else {
                        data.slice(range)
                    })
                }
                Shape::End(false) => {
                    // nothing to hand out: no buffer split (a bodiless request's end is 0 bytes)
                    src.advance(n);
                    Incoming::End(None)
                }
                Shape::End(true) => {
                    let taken = src.split_to(n).freeze();
                    let trailers = header_map(&taken, &self.spans, HeaderMap::new())
                        .map_err(CodecError::Unrepresentable)?;
                    Incoming::End(Some(trailers))
                }
                Shape::Skip => {
                    src.advance(n);
                    continue;
                }
                Shape::Wait => return Ok(None),
            };
            return Ok(Some(item));
        }
    }
}

/// An event with its slices turned into offsets, so that the buffer can be split afterwards.
enum Shape {
    Head(Range<usize>, Range<usize>, h1x::Version),
    Data(Range<usize>),
    /// The end; whether trailer fields came (their spans are recorded).
    End(bool),
    /// Framing bytes consumed, nothing to hand out: decode again.
    Skip,
    /// Nothing (more) to hand out now.
    Wait,
}

impl Decoder for H1Codec {
    type Item = Incoming;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Incoming>, CodecError> {
        self.decode_next(src)
    }

    fn decode_eof(&mut self, src: &mut BytesMut) -> Result<Option<Incoming>, CodecError> {
        self.conn.receive_eof();
        self.decode(src)
    }
}

impl Encoder<Outgoing<'_>> for H1Codec {
    type Error = CodecError;

    fn encode(&mut self, item: Outgoing<'_>, dst: &mut BytesMut) -> Result<(), CodecError> {
        self.encode_to(item, dst)
    }
}

impl H1Codec {
    /// [`Encoder::encode`] into any write buffer.
    pub(crate) fn encode_to<W: WriteBuf>(
        &mut self,
        item: Outgoing<'_>,
        dst: &mut W,
    ) -> Result<(), CodecError> {
        match item {
            Outgoing::Interim(status, headers) => self.interim_to(status, headers, dst)?,
            Outgoing::Response(head) => self.encode_response_head(&head, dst)?,
            Outgoing::Data(data) => dst.put_event(&mut self.conn, &Event::Data(data))?,
            Outgoing::End(trailers) => {
                let chunked = self.sent_body == SentBody::Chunked;
                match trailers {
                    Some(map) if chunked && !map.is_empty() => {
                        with_fields(map, "", &[], &[], |fields| {
                            dst.put_event(&mut self.conn, &Event::EndOfMessage(fields))
                        })?;
                    }
                    _ => dst.put_event(&mut self.conn, &Event::end())?,
                }
                self.maybe_next_cycle();
            }
        }
        Ok(())
    }
}

mod fields;

pub(crate) use fields::WriteBuf;
use fields::{build_request, collect_headers, fmt_u64, header_map, itoa_buf, with_fields};

#[cfg(test)]
mod tests;

//! Offsets instead of slices: for embedders that own their input as a reference-counted buffer
//! (`bytes::Bytes`, a `Vec` kept across calls, WASM memory shared with JavaScript) and want to
//! slice it themselves.

use core::ops::Range;

use crate::head::{Header, Request, Response};

/// A byte range `start..end` within the buffer passed to [`Connection::decode`]
/// (or to a head parser).
///
/// Every slice in a decoded event points into the caller's buffer; `Span::of(buf, slice)` turns
/// one back into offsets, so a `Bytes`-based embedder writes `bytes.slice(span.range())` and
/// keeps the data without copying it.
///
/// ```
/// use h1x::{Connection, Event, Header, Role, Span};
/// let mut server = Connection::new(Role::Server);
/// let mut headers = [Header::EMPTY; 8];
/// let buf = b"GET /a HTTP/1.1\r\nHost: example.com\r\n\r\n";
/// let (_, ev) = server.decode(buf, &mut headers).unwrap();
/// let Event::Request(req) = ev else { panic!() };
/// let spans = req.spans(buf).unwrap();
/// assert_eq!(&buf[spans.target.range()], b"/a");
/// let (name, value) = Span::of_header(buf, &req.headers[0]).unwrap();
/// assert_eq!((&buf[name.range()], &buf[value.range()]), (&b"Host"[..], &b"example.com"[..]));
/// ```
///
/// [`Connection::decode`]: crate::Connection::decode
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

impl Span {
    /// The offsets of `part` within `buf`, or `None` if `part` does not lie inside `buf` (an
    /// empty `part` at `buf`'s end lies inside).
    ///
    /// ```
    /// let buf = b"hello world";
    /// assert_eq!(h1x::Span::of(buf, &buf[6..]), Some(h1x::Span { start: 6, end: 11 }));
    /// assert_eq!(h1x::Span::of(buf, b"elsewhere"), None);
    /// ```
    pub fn of(buf: &[u8], part: &[u8]) -> Option<Span> {
        // addresses compared as integers: no pointer is dereferenced or offset
        let base = buf.as_ptr() as usize;
        let start = (part.as_ptr() as usize).checked_sub(base)?;
        let end = start.checked_add(part.len())?;
        (end <= buf.len()).then_some(Span { start, end })
    }

    /// The offsets of a header's name and value within `buf`.
    pub fn of_header(buf: &[u8], header: &Header<'_>) -> Option<(Span, Span)> {
        Some((Span::of(buf, header.name)?, Span::of(buf, header.value)?))
    }

    /// The offsets of every header's name and value within `buf`, in order; `None` for a header
    /// that does not lie inside `buf`.
    ///
    /// ```
    /// let buf = b"A: 1\r\nB: 22\r\n";
    /// let headers = [h1x::Header::new(&buf[0..1], &buf[3..4]), h1x::Header::new(&buf[6..7], &buf[9..11])];
    /// let values: Vec<_> = h1x::Span::of_headers(buf, &headers).map(|s| s.unwrap().1.range()).collect();
    /// assert_eq!(values, [3..4, 9..11]);
    /// ```
    pub fn of_headers<'a>(
        buf: &'a [u8],
        headers: &'a [Header<'_>],
    ) -> impl Iterator<Item = Option<(Span, Span)>> + 'a {
        headers.iter().map(move |h| Span::of_header(buf, h))
    }

    /// `start..end`, for indexing and `Bytes::slice`.
    pub const fn range(self) -> Range<usize> {
        self.start..self.end
    }

    /// The number of bytes.
    pub const fn len(self) -> usize {
        self.end - self.start
    }

    /// Whether the span is empty.
    pub const fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The same span moved `by` bytes later: for a buffer that was itself at offset `by`
    /// within a larger one.
    ///
    /// ```
    /// assert_eq!(h1x::Span { start: 1, end: 3 }.shifted(10).range(), 11..13);
    /// ```
    pub const fn shifted(self, by: usize) -> Span {
        Span {
            start: self.start + by,
            end: self.end + by,
        }
    }
}

/// The offsets of a request's start-line parts; see [`Request::spans`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct RequestSpans {
    /// The method.
    pub method: Span,
    /// The request-target.
    pub target: Span,
}

/// The offsets of a response's start-line parts; see [`Response::spans`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct ResponseSpans {
    /// The reason phrase.
    pub reason: Span,
}

impl Request<'_, '_> {
    /// The offsets of the method and target within `buf`, the buffer this request was decoded
    /// from (`None` if it was not). Header offsets: [`Span::of_headers`].
    pub fn spans(&self, buf: &[u8]) -> Option<RequestSpans> {
        Some(RequestSpans {
            method: Span::of(buf, self.method)?,
            target: Span::of(buf, self.target)?,
        })
    }
}

impl Response<'_, '_> {
    /// The offsets of the reason phrase within `buf`, the buffer this response was decoded
    /// from (`None` if it was not). Header offsets: [`Span::of_headers`].
    ///
    /// ```
    /// use h1x::{Connection, Event, Header, Role};
    /// let mut client = Connection::new(Role::Client);
    /// let mut out = [0u8; 64];
    /// client.encode(&Event::request("GET", "/", &[Header::new("Host", "a")]), &mut out).unwrap();
    /// let buf = b"HTTP/1.1 103 Early Hints\r\n\r\n";
    /// let mut headers = [Header::EMPTY; 4];
    /// let (_, Event::InformationalResponse(res)) = client.decode(buf, &mut headers).unwrap() else { panic!() };
    /// assert_eq!(res.spans(buf).unwrap().reason.range(), 13..24);
    /// ```
    pub fn spans(&self, buf: &[u8]) -> Option<ResponseSpans> {
        Some(ResponseSpans {
            reason: Span::of(buf, self.reason)?,
        })
    }
}

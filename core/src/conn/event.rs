//! Events: what [`Connection::decode`](crate::Connection::decode) yields and
//! [`Connection::encode`](crate::Connection::encode) takes.

use crate::head::{Header, Request, Response, Version};

/// One protocol event, borrowing the caller's buffer (`'b`) and header storage (`'h`).
///
/// Decoding yields every variant; encoding takes all but `NeedData` and `Paused`.
///
/// Not `#[non_exhaustive]`, on purpose: this is h11's closed set of events, and a new one would
/// change what every event loop must handle, so it should break exhaustive matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event<'b, 'h> {
    /// A request head.
    Request(Request<'b, 'h>),
    /// An interim (1xx) response: any number may precede the final response.
    InformationalResponse(Response<'b, 'h>),
    /// The final response head (status 200-999).
    Response(Response<'b, 'h>),
    /// A piece of body data (chunk framing removed).
    Data(&'b [u8]),
    /// The end of a message, with its trailer fields (empty unless chunked).
    EndOfMessage(&'h [Header<'b>]),
    /// The peer closed the connection cleanly (or, when sending, we close it).
    ConnectionClosed,
    /// More bytes are needed before the next event.
    NeedData,
    /// Nothing more can be decoded until [`start_next_cycle`](crate::Connection::start_next_cycle)
    /// (pipelined request waiting) or ever (the protocol was switched: the remaining bytes belong
    /// to the new protocol).
    Paused,
}

/// The standard reason phrase for a status code, or `""`.
///
/// ```
/// assert_eq!(h1x::reason_phrase(102), "Processing");
/// assert_eq!(h1x::reason_phrase(103), "Early Hints");
/// assert_eq!(h1x::reason_phrase(599), "");
/// ```
pub const fn reason_phrase(status: u16) -> &'static str {
    match status {
        100 => "Continue",
        101 => "Switching Protocols",
        102 => "Processing",
        103 => "Early Hints",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non-Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi-Status",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        409 => "Conflict",
        411 => "Length Required",
        413 => "Content Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        417 => "Expectation Failed",
        421 => "Misdirected Request",
        422 => "Unprocessable Content",
        426 => "Upgrade Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "",
    }
}

impl<'b, 'h> Event<'b, 'h> {
    /// An HTTP/1.1 request head.
    ///
    /// ```
    /// use h1x::{Event, Header};
    /// let headers = [Header::new("Host", "example.com")];
    /// let ev = Event::request("GET", "/", &headers);
    /// assert!(matches!(ev, Event::Request(r) if r.method == b"GET"));
    /// ```
    pub fn request<M, T>(method: &'b M, target: &'b T, headers: &'h [Header<'b>]) -> Self
    where
        M: AsRef<[u8]> + ?Sized,
        T: AsRef<[u8]> + ?Sized,
    {
        Event::Request(Request {
            method: method.as_ref(),
            target: target.as_ref(),
            version: Version::Http11,
            headers,
        })
    }

    /// An interim (1xx) response with the standard reason phrase.
    ///
    /// ```
    /// let ev = h1x::Event::interim(102, &[]);
    /// assert!(matches!(ev, h1x::Event::InformationalResponse(r) if r.reason == b"Processing"));
    /// ```
    pub fn interim(status: u16, headers: &'h [Header<'b>]) -> Self {
        Event::InformationalResponse(Response {
            status,
            reason: reason_phrase(status).as_bytes(),
            version: Version::Http11,
            headers,
        })
    }

    /// A final response with the standard reason phrase.
    pub fn response(status: u16, headers: &'h [Header<'b>]) -> Self {
        Event::Response(Response {
            status,
            reason: reason_phrase(status).as_bytes(),
            version: Version::Http11,
            headers,
        })
    }

    /// The end of a message without trailers.
    pub const fn end() -> Self {
        Event::EndOfMessage(&[])
    }

    /// Whether this is a head: a request, an interim or a final response.
    ///
    /// ```
    /// assert!(h1x::Event::interim(103, &[]).is_head());
    /// assert!(!h1x::Event::end().is_head());
    /// ```
    pub const fn is_head(&self) -> bool {
        matches!(
            self,
            Event::Request(_) | Event::InformationalResponse(_) | Event::Response(_)
        )
    }
}

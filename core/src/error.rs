//! The one error type: what was wrong, at which byte, and what a server should answer.

use core::fmt;

/// Which side of the conversation broke the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Origin {
    /// The peer sent bytes that violate HTTP/1.1 (h11's `RemoteProtocolError`).
    Remote,
    /// We were asked to send something that is not allowed (h11's `LocalProtocolError`).
    Local,
}

/// What exactly was wrong.
///
/// Each kind maps to a suggested status through [`ErrorKind::status`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    // -- start line --------------------------------------------------------------------------
    /// The method is empty or contains a non-token byte.
    InvalidMethod,
    /// The request-target is empty, holds a byte outside VCHAR or a fragment (`#`), or has none
    /// of the forms of RFC 9112 section 3.2; an `http`/`https` target with userinfo
    /// (`user@host`) or an empty host is invalid too (RFC 9110 sections 4.2.1, 4.2.4).
    InvalidTarget,
    /// The request-target's form does not go with the method (RFC 9112 section 3.2): CONNECT
    /// takes the authority-form `host:port` and nothing else, the authority-form goes with
    /// CONNECT only, and `*` with OPTIONS only.
    TargetFormMismatch,
    /// The HTTP-version is not `HTTP/DIGIT.DIGIT`.
    InvalidVersion,
    /// A well-formed version h1x does not speak (`HTTP/2.0`, `HTTP/0.9`): answer 505.
    UnsupportedVersion,
    /// The status code is not exactly three digits, or is outside 100-999.
    InvalidStatus,
    /// The reason phrase contains a control byte.
    InvalidReason,
    /// The start line is not `a SP b SP c` with single spaces.
    InvalidStartLine,
    /// The request line exceeds the configured line limit: answer 414.
    UriTooLong,
    // -- field lines ---------------------------------------------------------------------------
    /// A field name is empty or contains a non-token byte.
    InvalidHeaderName,
    /// A field value contains NUL or another control byte other than HTAB.
    InvalidHeaderValue,
    /// Whitespace between a field name and its colon (`Transfer-Encoding : chunked`).
    SpaceBeforeColon,
    /// A line that starts with SP or HTAB (obs-fold) where it is not allowed.
    ObsFold,
    /// A line terminated by LF alone.
    BareLf,
    /// A CR not followed by LF.
    BareCr,
    /// More field lines than the caller's header storage holds: answer 431.
    TooManyHeaders,
    /// A field line longer than the configured limit: answer 431.
    LineTooLong,
    /// The head is larger than the configured limit: answer 431.
    HeadTooLarge,
    // -- framing (RFC 9112 section 6) ----------------------------------------------------------------
    /// Content-Length is not a single run of digits, or overflows.
    InvalidContentLength,
    /// More than one Content-Length (or a list such as `5, 5`).
    DuplicateContentLength,
    /// A request with both Content-Length and Transfer-Encoding.
    ContentLengthWithTransferEncoding,
    /// Transfer-Encoding is malformed, lists `chunked` twice, or (in a request) not last.
    InvalidTransferEncoding,
    /// A transfer coding h1x does not implement, in a request: answer 501.
    UnsupportedTransferEncoding,
    /// Transfer-Encoding in an HTTP/1.0 message.
    TransferEncodingInHttp10,
    /// An HTTP/1.1 request without Host.
    MissingHost,
    /// A request with more than one Host.
    DuplicateHost,
    /// A request whose Host value is not `uri-host [ ":" port ]` (RFC 9112 section 3.2).
    InvalidHost,
    /// A CONNECT request with Content-Length or Transfer-Encoding announcing content: it has none
    /// (RFC 9110 section 9.3.6), and parsers disagree on whether those bytes are body or tunnel.
    BodyInConnect,
    // -- chunked coding ------------------------------------------------------------------------
    /// A chunk-size that is empty, not hex, signed, prefixed or overlong.
    InvalidChunkSize,
    /// A malformed chunk extension.
    InvalidChunkExtension,
    /// Chunk extensions longer than the configured limit: answer 413.
    ChunkExtensionTooLong,
    /// Chunk data not followed by CRLF.
    MissingChunkCrlf,
    /// The trailer section is larger than the configured limit: answer 431.
    TrailerTooLarge,
    // -- connection ----------------------------------------------------------------------------
    /// The peer closed the connection in the middle of a message.
    IncompleteMessage,
    /// Bytes arrived where none may (after a message that closes the connection).
    UnexpectedData,
    /// A `101 Switching Protocols` in reply to a request without `Upgrade`.
    UnexpectedSwitch,
    /// A response arrived when no request was outstanding.
    UnexpectedResponse,
    /// The event is not allowed in the current state (h11's state table).
    IllegalEvent,
    /// An interim (1xx) response to an HTTP/1.0 client (RFC 9110 section 15.2).
    InterimToHttp10,
    /// Body data beyond the declared Content-Length, or an end before it was reached.
    BodyLengthMismatch,
    /// The state machine is in `ERROR` and can no longer be used.
    ConnectionErrored,
    /// The output buffer is too small; `needed` bytes would fit the whole event.
    BufferTooSmall {
        /// Bytes the output buffer must hold for this event.
        needed: usize,
    },
}

impl ErrorKind {
    /// Every kind, in declaration order (`BufferTooSmall` with `needed: 0`): for bindings that
    /// build one exception class or constant per kind from [`name`](Self::name) and
    /// [`description`](Self::description) instead of repeating the list.
    ///
    /// ```
    /// use h1x::ErrorKind;
    /// assert!(ErrorKind::ALL.contains(&ErrorKind::BareLf));
    /// assert_eq!(ErrorKind::ALL.iter().filter(|k| k.name() == "InvalidTarget").count(), 1);
    /// ```
    pub const ALL: [ErrorKind; 42] = [
        ErrorKind::InvalidMethod,
        ErrorKind::InvalidTarget,
        ErrorKind::TargetFormMismatch,
        ErrorKind::InvalidVersion,
        ErrorKind::UnsupportedVersion,
        ErrorKind::InvalidStatus,
        ErrorKind::InvalidReason,
        ErrorKind::InvalidStartLine,
        ErrorKind::UriTooLong,
        ErrorKind::InvalidHeaderName,
        ErrorKind::InvalidHeaderValue,
        ErrorKind::SpaceBeforeColon,
        ErrorKind::ObsFold,
        ErrorKind::BareLf,
        ErrorKind::BareCr,
        ErrorKind::TooManyHeaders,
        ErrorKind::LineTooLong,
        ErrorKind::HeadTooLarge,
        ErrorKind::InvalidContentLength,
        ErrorKind::DuplicateContentLength,
        ErrorKind::ContentLengthWithTransferEncoding,
        ErrorKind::InvalidTransferEncoding,
        ErrorKind::UnsupportedTransferEncoding,
        ErrorKind::TransferEncodingInHttp10,
        ErrorKind::MissingHost,
        ErrorKind::DuplicateHost,
        ErrorKind::InvalidHost,
        ErrorKind::BodyInConnect,
        ErrorKind::InvalidChunkSize,
        ErrorKind::InvalidChunkExtension,
        ErrorKind::ChunkExtensionTooLong,
        ErrorKind::MissingChunkCrlf,
        ErrorKind::TrailerTooLarge,
        ErrorKind::IncompleteMessage,
        ErrorKind::UnexpectedData,
        ErrorKind::UnexpectedSwitch,
        ErrorKind::UnexpectedResponse,
        ErrorKind::IllegalEvent,
        ErrorKind::InterimToHttp10,
        ErrorKind::BodyLengthMismatch,
        ErrorKind::ConnectionErrored,
        ErrorKind::BufferTooSmall { needed: 0 },
    ];

    /// The status code a server should answer with when the peer caused this error.
    ///
    /// ```
    /// use h1x::ErrorKind;
    /// assert_eq!(ErrorKind::TooManyHeaders.status(), 431);
    /// assert_eq!(ErrorKind::UnsupportedTransferEncoding.status(), 501);
    /// assert_eq!(ErrorKind::BareLf.status(), 400);
    /// ```
    pub const fn status(self) -> u16 {
        match self {
            ErrorKind::UnsupportedVersion => 505,
            ErrorKind::UriTooLong => 414,
            ErrorKind::TooManyHeaders
            | ErrorKind::LineTooLong
            | ErrorKind::HeadTooLarge
            | ErrorKind::TrailerTooLarge => 431,
            ErrorKind::ChunkExtensionTooLong => 413,
            ErrorKind::UnsupportedTransferEncoding => 501,
            ErrorKind::BufferTooSmall { .. } => 500,
            _ => 400,
        }
    }

    /// A stable, `CamelCase` name for the kind, as used in the shared test vectors.
    ///
    /// ```
    /// assert_eq!(h1x::ErrorKind::BareLf.name(), "BareLf");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidMethod => "InvalidMethod",
            ErrorKind::InvalidTarget => "InvalidTarget",
            ErrorKind::TargetFormMismatch => "TargetFormMismatch",
            ErrorKind::InvalidVersion => "InvalidVersion",
            ErrorKind::UnsupportedVersion => "UnsupportedVersion",
            ErrorKind::InvalidStatus => "InvalidStatus",
            ErrorKind::InvalidReason => "InvalidReason",
            ErrorKind::InvalidStartLine => "InvalidStartLine",
            ErrorKind::UriTooLong => "UriTooLong",
            ErrorKind::InvalidHeaderName => "InvalidHeaderName",
            ErrorKind::InvalidHeaderValue => "InvalidHeaderValue",
            ErrorKind::SpaceBeforeColon => "SpaceBeforeColon",
            ErrorKind::ObsFold => "ObsFold",
            ErrorKind::BareLf => "BareLf",
            ErrorKind::BareCr => "BareCr",
            ErrorKind::TooManyHeaders => "TooManyHeaders",
            ErrorKind::LineTooLong => "LineTooLong",
            ErrorKind::HeadTooLarge => "HeadTooLarge",
            ErrorKind::InvalidContentLength => "InvalidContentLength",
            ErrorKind::DuplicateContentLength => "DuplicateContentLength",
            ErrorKind::ContentLengthWithTransferEncoding => "ContentLengthWithTransferEncoding",
            ErrorKind::InvalidTransferEncoding => "InvalidTransferEncoding",
            ErrorKind::UnsupportedTransferEncoding => "UnsupportedTransferEncoding",
            ErrorKind::TransferEncodingInHttp10 => "TransferEncodingInHttp10",
            ErrorKind::MissingHost => "MissingHost",
            ErrorKind::DuplicateHost => "DuplicateHost",
            ErrorKind::InvalidHost => "InvalidHost",
            ErrorKind::BodyInConnect => "BodyInConnect",
            ErrorKind::InvalidChunkSize => "InvalidChunkSize",
            ErrorKind::InvalidChunkExtension => "InvalidChunkExtension",
            ErrorKind::ChunkExtensionTooLong => "ChunkExtensionTooLong",
            ErrorKind::MissingChunkCrlf => "MissingChunkCrlf",
            ErrorKind::TrailerTooLarge => "TrailerTooLarge",
            ErrorKind::IncompleteMessage => "IncompleteMessage",
            ErrorKind::UnexpectedData => "UnexpectedData",
            ErrorKind::UnexpectedSwitch => "UnexpectedSwitch",
            ErrorKind::UnexpectedResponse => "UnexpectedResponse",
            ErrorKind::IllegalEvent => "IllegalEvent",
            ErrorKind::InterimToHttp10 => "InterimToHttp10",
            ErrorKind::BodyLengthMismatch => "BodyLengthMismatch",
            ErrorKind::ConnectionErrored => "ConnectionErrored",
            ErrorKind::BufferTooSmall { .. } => "BufferTooSmall",
        }
    }

    /// A short human-readable description.
    ///
    /// ```
    /// assert_eq!(h1x::ErrorKind::BareLf.description(), "line terminated by LF without CR");
    /// ```
    pub const fn description(self) -> &'static str {
        match self {
            ErrorKind::InvalidMethod => "invalid method",
            ErrorKind::InvalidTarget => "invalid request-target",
            ErrorKind::TargetFormMismatch => "request-target form does not fit the method",
            ErrorKind::InvalidVersion => "invalid HTTP-version",
            ErrorKind::UnsupportedVersion => "unsupported HTTP version",
            ErrorKind::InvalidStatus => "invalid status code",
            ErrorKind::InvalidReason => "invalid reason phrase",
            ErrorKind::InvalidStartLine => "malformed start line",
            ErrorKind::UriTooLong => "request line too long",
            ErrorKind::InvalidHeaderName => "invalid field name",
            ErrorKind::InvalidHeaderValue => "invalid field value",
            ErrorKind::SpaceBeforeColon => "whitespace between field name and colon",
            ErrorKind::ObsFold => "obsolete line folding",
            ErrorKind::BareLf => "line terminated by LF without CR",
            ErrorKind::BareCr => "CR not followed by LF",
            ErrorKind::TooManyHeaders => "too many header fields",
            ErrorKind::LineTooLong => "field line too long",
            ErrorKind::HeadTooLarge => "message head too large",
            ErrorKind::InvalidContentLength => "invalid Content-Length",
            ErrorKind::DuplicateContentLength => "more than one Content-Length",
            ErrorKind::ContentLengthWithTransferEncoding => {
                "both Content-Length and Transfer-Encoding in a request"
            }
            ErrorKind::InvalidTransferEncoding => "invalid Transfer-Encoding",
            ErrorKind::UnsupportedTransferEncoding => "unsupported transfer coding",
            ErrorKind::TransferEncodingInHttp10 => "Transfer-Encoding in an HTTP/1.0 message",
            ErrorKind::MissingHost => "HTTP/1.1 request without Host",
            ErrorKind::DuplicateHost => "more than one Host",
            ErrorKind::InvalidHost => "invalid Host",
            ErrorKind::BodyInConnect => "content announced in a CONNECT request",
            ErrorKind::InvalidChunkSize => "invalid chunk size",
            ErrorKind::InvalidChunkExtension => "invalid chunk extension",
            ErrorKind::ChunkExtensionTooLong => "chunk extensions too long",
            ErrorKind::MissingChunkCrlf => "chunk data not followed by CRLF",
            ErrorKind::TrailerTooLarge => "trailer section too large",
            ErrorKind::IncompleteMessage => "peer closed the connection mid-message",
            ErrorKind::UnexpectedData => "data received where none may follow",
            ErrorKind::UnexpectedSwitch => "101 Switching Protocols without a pending Upgrade",
            ErrorKind::UnexpectedResponse => "response without an outstanding request",
            ErrorKind::IllegalEvent => "event not allowed in this state",
            ErrorKind::InterimToHttp10 => "interim (1xx) response to an HTTP/1.0 client",
            ErrorKind::BodyLengthMismatch => "body length does not match Content-Length",
            ErrorKind::ConnectionErrored => "connection is in the ERROR state",
            ErrorKind::BufferTooSmall { .. } => "output buffer too small",
        }
    }
}

/// A protocol error: its [`ErrorKind`], the byte offset where it was found and who caused it.
///
/// What the offset counts from:
///
/// * [`Connection::decode`](crate::Connection::decode): the first byte the connection ever
///   received, so it does not depend on how the stream was cut into buffers
///   ([`Connection::bytes_received`](crate::Connection::bytes_received) is the offset of the
///   current buffer's first byte). Errors about a whole head rather than one of its bytes (a
///   missing Host, a response with no request outstanding...) point at the first byte of the
///   buffer passed to the call.
/// * [`HeadParser`](crate::HeadParser), [`parse_request`](crate::parse_request),
///   [`parse_response`](crate::parse_response) and [`parse_chunk_size`](crate::parse_chunk_size):
///   the first byte of the buffer passed to the call.
/// * Encoding (our own mistakes, [`Origin::Local`]): always 0.
///
/// ```
/// use h1x::{Connection, Role, Header, Event, ErrorKind};
/// let mut conn = Connection::new(Role::Server);
/// let mut headers = [Header::EMPTY; 8];
/// let err = conn.decode(b"GET / HTTP/1.1\nHost: a\r\n\r\n", &mut headers).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::BareLf);
/// assert_eq!(err.offset(), 14);
/// assert_eq!(err.status(), 400);
///
/// // the second request starts at byte 27 of the stream: its error's offset counts from byte 0
/// let mut conn = Connection::new(Role::Server);
/// let first = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";
/// let (n, _) = conn.decode(first, &mut headers).unwrap();
/// conn.decode(&first[n..], &mut headers).unwrap(); // EndOfMessage
/// let mut out = [0u8; 64];
/// conn.encode(&Event::response(204, &[]), &mut out).unwrap();
/// conn.encode(&Event::end(), &mut out).unwrap();
/// conn.start_next_cycle().unwrap();
/// let err = conn.decode(b"GET /#a HTTP/1.1\r\n\r\n", &mut headers).unwrap_err();
/// assert_eq!((err.kind(), err.offset()), (ErrorKind::InvalidTarget, 27 + 5));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    offset: usize,
    origin: Origin,
    /// For [`ErrorKind::TooManyHeaders`]: the header slots the head needs (0: unknown).
    needed_headers: u32,
}

impl Error {
    /// An error the peer caused, found at `offset`.
    pub const fn remote(kind: ErrorKind, offset: usize) -> Self {
        Error {
            kind,
            offset,
            origin: Origin::Remote,
            needed_headers: 0,
        }
    }

    /// An error in what we were asked to send.
    pub const fn local(kind: ErrorKind) -> Self {
        Error {
            kind,
            offset: 0,
            origin: Origin::Local,
            needed_headers: 0,
        }
    }

    /// What was wrong.
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The byte offset at which it was found.
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// Who broke the rules.
    pub const fn origin(&self) -> Origin {
        self.origin
    }

    /// Whether the peer caused it.
    pub const fn is_remote(&self) -> bool {
        matches!(self.origin, Origin::Remote)
    }

    /// The status a server should answer with (400, 413, 414, 431, 501, 505).
    pub const fn status(&self) -> u16 {
        self.kind.status()
    }

    /// For [`ErrorKind::TooManyHeaders`] from [`Connection::decode`](crate::Connection::decode):
    /// how many header slots the head needs. The connection is left unchanged by that error, so
    /// a caller with room to spare decodes again with at least this many slots; a caller that
    /// will not answers 431 and closes (calling
    /// [`Connection::receive_failed`](crate::Connection::receive_failed)).
    ///
    /// ```
    /// use h1x::{Connection, ErrorKind, Header, Role};
    /// let mut server = Connection::new(Role::Server);
    /// let wire = b"GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\n\r\n";
    /// let mut small = [Header::EMPTY; 2];
    /// let err = server.decode(wire, &mut small).unwrap_err();
    /// assert_eq!((err.kind(), err.needed_headers()), (ErrorKind::TooManyHeaders, Some(3)));
    /// let mut enough = vec![Header::EMPTY; 3]; // no copy of the connection needed
    /// let (n, _) = server.decode(wire, &mut enough).unwrap();
    /// assert_eq!(n, wire.len());
    /// ```
    pub const fn needed_headers(&self) -> Option<usize> {
        match (self.kind, self.needed_headers) {
            (ErrorKind::TooManyHeaders, n) if n > 0 => Some(n as usize),
            _ => None,
        }
    }

    /// This error, recording that the head needs `n` header slots.
    pub(crate) const fn with_needed_headers(mut self, n: usize) -> Self {
        self.needed_headers = if n > u32::MAX as usize {
            u32::MAX
        } else {
            n as u32
        };
        self
    }

    /// The same error, its offset moved by `by` bytes (used when a sub-parser reports a
    /// position relative to its own slice).
    pub(crate) const fn shifted(mut self, by: usize) -> Self {
        self.offset += by;
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::BufferTooSmall { needed } => {
                write!(f, "output buffer too small: {needed} bytes needed")
            }
            kind if self.is_remote() => write!(
                f,
                "{} at byte {} (answer {})",
                kind.description(),
                self.offset,
                kind.status()
            ),
            kind => f.write_str(kind.description()),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind's position in declaration order; a new variant breaks this match, and the test
    /// below then holds `ALL` to it.
    fn ordinal(k: ErrorKind) -> usize {
        match k {
            ErrorKind::InvalidMethod => 0,
            ErrorKind::InvalidTarget => 1,
            ErrorKind::TargetFormMismatch => 2,
            ErrorKind::InvalidVersion => 3,
            ErrorKind::UnsupportedVersion => 4,
            ErrorKind::InvalidStatus => 5,
            ErrorKind::InvalidReason => 6,
            ErrorKind::InvalidStartLine => 7,
            ErrorKind::UriTooLong => 8,
            ErrorKind::InvalidHeaderName => 9,
            ErrorKind::InvalidHeaderValue => 10,
            ErrorKind::SpaceBeforeColon => 11,
            ErrorKind::ObsFold => 12,
            ErrorKind::BareLf => 13,
            ErrorKind::BareCr => 14,
            ErrorKind::TooManyHeaders => 15,
            ErrorKind::LineTooLong => 16,
            ErrorKind::HeadTooLarge => 17,
            ErrorKind::InvalidContentLength => 18,
            ErrorKind::DuplicateContentLength => 19,
            ErrorKind::ContentLengthWithTransferEncoding => 20,
            ErrorKind::InvalidTransferEncoding => 21,
            ErrorKind::UnsupportedTransferEncoding => 22,
            ErrorKind::TransferEncodingInHttp10 => 23,
            ErrorKind::MissingHost => 24,
            ErrorKind::DuplicateHost => 25,
            ErrorKind::InvalidHost => 26,
            ErrorKind::BodyInConnect => 27,
            ErrorKind::InvalidChunkSize => 28,
            ErrorKind::InvalidChunkExtension => 29,
            ErrorKind::ChunkExtensionTooLong => 30,
            ErrorKind::MissingChunkCrlf => 31,
            ErrorKind::TrailerTooLarge => 32,
            ErrorKind::IncompleteMessage => 33,
            ErrorKind::UnexpectedData => 34,
            ErrorKind::UnexpectedSwitch => 35,
            ErrorKind::UnexpectedResponse => 36,
            ErrorKind::IllegalEvent => 37,
            ErrorKind::InterimToHttp10 => 38,
            ErrorKind::BodyLengthMismatch => 39,
            ErrorKind::ConnectionErrored => 40,
            ErrorKind::BufferTooSmall { .. } => 41,
        }
    }

    #[test]
    fn all_kinds_in_order_with_unique_names() {
        for (i, k) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(ordinal(*k), i, "{k:?}");
            assert_eq!(
                ErrorKind::ALL
                    .iter()
                    .filter(|o| o.name() == k.name())
                    .count(),
                1
            );
            assert!(!k.description().is_empty());
        }
        assert_eq!(ErrorKind::ALL.len(), 42);
    }

    #[test]
    fn statuses() {
        assert_eq!(ErrorKind::HeadTooLarge.status(), 431);
        assert_eq!(ErrorKind::ChunkExtensionTooLong.status(), 413);
        assert_eq!(ErrorKind::UnsupportedVersion.status(), 505);
        assert_eq!(ErrorKind::UriTooLong.status(), 414);
        assert_eq!(ErrorKind::InvalidChunkSize.status(), 400);
    }

    #[test]
    fn shifted_moves_offset() {
        let e = Error::remote(ErrorKind::BareCr, 3).shifted(10);
        assert_eq!(e.offset(), 13);
        assert!(e.is_remote());
        assert!(!Error::local(ErrorKind::IllegalEvent).is_remote());
    }
}

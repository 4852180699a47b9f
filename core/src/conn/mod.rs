//! The connection state machine: roles, each side's state, the interim (1xx) rules, keep-alive,
//! pipelining and protocol switches. Bytes in through [`Connection::decode`], bytes out through
//! [`Connection::encode`].

mod decisions;
mod event;
mod recv;
mod send;
mod state;

pub use decisions::{Decisions, Expectation, Framing};
pub use event::{reason_phrase, Event};
pub use state::{Role, State};

use crate::body::framing::Fields;
use crate::body::{BodyKind, ChunkedDecoder};
use crate::head::scan::SectionScanner;
use crate::head::Version;
use crate::Config;
use state::States;

/// What the receiving side is in the middle of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Recv {
    /// A head (the scan resumes where it stopped).
    Head(SectionScanner),
    /// A body of known length: bytes still to come.
    Length(u64),
    /// A chunked body.
    Chunked(ChunkedDecoder),
    /// The trailer section of a chunked body.
    Trailers(SectionScanner),
    /// A body delimited by the end of the connection.
    UntilClose,
}

/// How the body we send is framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outgoing {
    /// No body may follow (HEAD, 1xx, 204, 304, requests without framing).
    Empty,
    /// Content-Length: bytes still owed.
    Length(u64),
    Chunked,
    /// HTTP/1.0 peer: the body ends when we close.
    UntilClose,
}

impl From<BodyKind> for Recv {
    fn from(kind: BodyKind) -> Recv {
        match kind {
            BodyKind::Empty => Recv::Length(0),
            BodyKind::Length(n) => Recv::Length(n),
            BodyKind::Chunked => Recv::Chunked(ChunkedDecoder::default()),
            BodyKind::UntilClose => Recv::UntilClose,
        }
    }
}

impl From<BodyKind> for Outgoing {
    fn from(kind: BodyKind) -> Outgoing {
        match kind {
            BodyKind::Empty => Outgoing::Length(0),
            BodyKind::Length(n) => Outgoing::Length(n),
            BodyKind::Chunked => Outgoing::Chunked,
            BodyKind::UntilClose => Outgoing::UntilClose,
        }
    }
}

/// The protocol switches a request proposes (h11: CONNECT, or any `Upgrade` field).
fn request_proposals(method: &[u8], fields: &Fields) -> u8 {
    let mut proposals = 0;
    if method == b"CONNECT" {
        proposals |= state::PROPOSED_CONNECT;
    }
    if fields.upgrade {
        proposals |= state::PROPOSED_UPGRADE;
    }
    proposals
}

/// Flags kept in one byte.
mod flag {
    pub const EOF: u8 = 1;
    pub const CLIENT_WAITING_100: u8 = 2;
    pub const REQUEST_HEAD: u8 = 4;
    pub const REQUEST_CONNECT: u8 = 8;
    pub const THEIR_VERSION_KNOWN: u8 = 16;
    pub const THEIR_VERSION_10: u8 = 32;
    /// The last `Data` decoded begins a chunk of a chunked body.
    pub const DATA_CHUNK_START: u8 = 64;
    /// The last `Data` decoded ends a chunk of a chunked body.
    pub const DATA_CHUNK_END: u8 = 128;
}

/// What the last decode and encode calls did, for [`Connection::received`] and
/// [`Connection::sent`].
mod head_bit {
    /// The last `decode` yielded a head.
    pub const RECV_FRESH: u8 = 1;
    /// The last `encode` wrote a head.
    pub const SENT_FRESH: u8 = 2;
    /// The last received request carried an expectation other than `100-continue`.
    pub const RECV_EXPECT_UNKNOWN: u8 = 4;
    /// The last sent request carried an expectation other than `100-continue`.
    pub const SENT_EXPECT_UNKNOWN: u8 = 8;
    /// The last sent head was HTTP/1.0.
    pub const SENT_HTTP10: u8 = 16;
    /// The last received message's body is transfer-coded besides `chunked`.
    pub const RECV_CODED: u8 = 32;
    /// The last sent message's body is transfer-coded besides `chunked`.
    pub const SENT_CODED: u8 = 64;
}

/// A sans-IO HTTP/1.1 connection, client or server: h11's model, RFC 9110/9112's rules, no
/// allocation and at most 64 bytes of state.
///
/// Decoding borrows the caller's buffer; the caller drops the consumed bytes and appends new ones.
/// Encoding writes into the caller's buffer.
///
/// A server that sends two `102 Processing` and a `200`:
///
/// ```
/// use h1x::{Connection, Event, Header, Role};
///
/// let mut conn = Connection::new(Role::Server);
/// let mut headers = [Header::EMPTY; 16];
/// let input = b"POST /render HTTP/1.1\r\nHost: example.com\r\nContent-Length: 2\r\n\r\n{}";
/// let (n, ev) = conn.decode(input, &mut headers).unwrap();
/// assert!(matches!(ev, Event::Request(r) if r.target == b"/render"));
/// let (m, ev) = conn.decode(&input[n..], &mut headers).unwrap();
/// assert_eq!(ev, Event::Data(b"{}"));
/// let (_, ev) = conn.decode(&input[n + m..], &mut headers).unwrap();
/// assert_eq!(ev, Event::EndOfMessage(&[]));
///
/// let mut out = [0u8; 256];
/// let mut wire = Vec::new();
/// for _ in 0..2 {
///     let k = conn.encode(&Event::interim(102, &[]), &mut out).unwrap();
///     wire.extend_from_slice(&out[..k]);
/// }
/// let k = conn.encode(&Event::response(200, &[Header::new("Content-Length", "2")]), &mut out).unwrap();
/// wire.extend_from_slice(&out[..k]);
/// let k = conn.encode(&Event::Data(b"ok"), &mut out).unwrap();
/// wire.extend_from_slice(&out[..k]);
/// conn.encode(&Event::end(), &mut out).unwrap();
/// assert_eq!(
///     wire,
///     b"HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
/// );
/// conn.start_next_cycle().unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct Connection {
    config: Config,
    /// Bytes consumed from the peer so far: error offsets are relative to the stream.
    offset: u64,
    recv: Recv,
    send: Outgoing,
    states: States,
    role: Role,
    flags: u8,
    /// [`head_bit`]s.
    heads: u8,
}

impl Connection {
    /// A connection with the strict defaults.
    pub fn new(role: Role) -> Self {
        Self::with_config(role, Config::default())
    }

    /// A connection with the given limits and leniencies.
    pub fn with_config(role: Role, config: Config) -> Self {
        Connection {
            config,
            offset: 0,
            recv: Recv::Head(SectionScanner::default()),
            send: Outgoing::Empty,
            states: States::default(),
            role,
            flags: 0,
            heads: 0,
        }
    }

    /// Our role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// The limits and leniencies in force.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Our state.
    pub fn our_state(&self) -> State {
        self.states.get(self.role)
    }

    /// The peer's state.
    pub fn their_state(&self) -> State {
        self.states.get(self.role.peer())
    }

    /// The state of `role`.
    pub fn state(&self, role: Role) -> State {
        self.states.get(role)
    }

    /// The HTTP version of the peer's last head, once one has been received.
    pub fn their_http_version(&self) -> Option<Version> {
        if self.flags & flag::THEIR_VERSION_KNOWN == 0 {
            None
        } else if self.flags & flag::THEIR_VERSION_10 != 0 {
            Some(Version::Http10)
        } else {
            Some(Version::Http11)
        }
    }

    /// Whether the client sent `Expect: 100-continue` and has seen neither a `100 Continue` nor
    /// a final response since (nor sent body data). Per RFC 9110 section 10.1.1, a `102` or `103`
    /// does not end the wait.
    pub fn client_is_waiting_for_100_continue(&self) -> bool {
        self.flags & flag::CLIENT_WAITING_100 != 0
    }

    /// Whether the peer is a client waiting for `100 Continue` (we are the server).
    pub fn they_are_waiting_for_100_continue(&self) -> bool {
        self.role == Role::Server && self.client_is_waiting_for_100_continue()
    }

    /// Whether the current cycle may be followed by another on this connection.
    pub fn keep_alive(&self) -> bool {
        self.states.keep_alive
    }

    /// Bytes consumed from the peer so far.
    pub fn bytes_received(&self) -> u64 {
        self.offset
    }

    /// Whether the last [`Event::Data`] decoded begins a chunk of a chunked body, and whether it
    /// ends one (h11's `Data.chunk_start` and `Data.chunk_end`). A chunk's data may come out in
    /// several pieces (as the bytes arrive); the first begins it, the last ends it, whatever the
    /// split of the input. Both `false` for bodies that are not chunked.
    ///
    /// ```
    /// use h1x::{Connection, Event, Header, Role};
    /// let mut conn = Connection::new(Role::Server);
    /// let mut headers = [Header::EMPTY; 8];
    /// let input = b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nabc";
    /// let (n, _) = conn.decode(input, &mut headers).unwrap();
    /// let (m, ev) = conn.decode(&input[n..], &mut headers).unwrap();
    /// assert_eq!((ev, conn.chunk_boundaries()), (Event::Data(b"hello"), (true, true)));
    /// let (_, ev) = conn.decode(&input[n + m..input.len() - 1], &mut headers).unwrap();
    /// assert_eq!((ev, conn.chunk_boundaries()), (Event::Data(b"ab"), (true, false)));
    /// ```
    pub fn chunk_boundaries(&self) -> (bool, bool) {
        (
            self.has(flag::DATA_CHUNK_START),
            self.has(flag::DATA_CHUNK_END),
        )
    }

    /// Bytes of the peer's body still due when a `Content-Length` (or no body) frames it, while
    /// that body is being read; `None` for chunked and read-until-close bodies and between
    /// messages. With the bytes already received, it says how much was expected (for messages
    /// such as "received 5 bytes, expected 100" when the peer closes early).
    ///
    /// ```
    /// use h1x::{Connection, Header, Role};
    /// let mut conn = Connection::new(Role::Server);
    /// let mut headers = [Header::EMPTY; 8];
    /// let input = b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nhello";
    /// let (n, _) = conn.decode(input, &mut headers).unwrap();
    /// assert_eq!(conn.body_remaining(), Some(100));
    /// conn.decode(&input[n..], &mut headers).unwrap();
    /// assert_eq!(conn.body_remaining(), Some(95));
    /// ```
    pub fn body_remaining(&self) -> Option<u64> {
        match self.recv {
            Recv::Length(n) => Some(n),
            _ => None,
        }
    }

    /// Record that the peer closed its side (h11's `receive_data(b"")`). Decoding then ends a
    /// read-until-close body, yields `ConnectionClosed`, or reports an incomplete message.
    pub fn receive_eof(&mut self) {
        self.flags |= flag::EOF;
    }

    /// Whether [`receive_eof`](Self::receive_eof) was called.
    pub fn eof_received(&self) -> bool {
        self.flags & flag::EOF != 0
    }

    /// Mark our side as failed (h11's `send_failed`), e.g. when the socket write failed.
    pub fn send_failed(&mut self) {
        self.heads &= !head_bit::SENT_FRESH;
        self.states.fail(self.role);
    }

    /// Mark the peer's side as failed: what [`decode`](Self::decode) does on every error but
    /// [`ErrorKind::TooManyHeaders`](crate::ErrorKind::TooManyHeaders), which leaves the
    /// connection unchanged so that the caller can retry with more header storage. A caller
    /// that will not retry calls this, answers 431 and closes.
    ///
    /// ```
    /// use h1x::{Connection, Header, Role, State};
    /// let mut server = Connection::new(Role::Server);
    /// let mut none: [Header; 0] = [];
    /// assert!(server.decode(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", &mut none).is_err());
    /// assert_eq!(server.their_state(), State::Idle);
    /// server.receive_failed();
    /// assert_eq!(server.their_state(), State::Error);
    /// ```
    pub fn receive_failed(&mut self) {
        self.heads &= !head_bit::RECV_FRESH;
        self.states.fail(self.role.peer());
    }

    /// Reset both sides to IDLE after a complete keep-alive cycle (both DONE).
    ///
    /// ```
    /// let mut conn = h1x::Connection::new(h1x::Role::Client);
    /// assert!(conn.start_next_cycle().is_err()); // nothing happened yet
    /// ```
    pub fn start_next_cycle(&mut self) -> Result<(), crate::Error> {
        self.states.start_next_cycle()?;
        self.recv = Recv::Head(SectionScanner::default());
        self.send = Outgoing::Empty;
        self.heads = 0;
        self.flags &= flag::EOF | flag::THEIR_VERSION_KNOWN | flag::THEIR_VERSION_10;
        Ok(())
    }

    /// Bookkeeping for a request, sent or received: the method's effect on response framing,
    /// the expectations (ignored for HTTP/1.0, RFC 9110 10.1.1) and keep-alive. `unknown_bit`
    /// is the [`head_bit`] that records an unknown expectation for this direction.
    fn note_request(&mut self, method: &[u8], version: Version, fields: &Fields, unknown_bit: u8) {
        self.set(flag::REQUEST_HEAD, method == b"HEAD");
        self.set(flag::REQUEST_CONNECT, method == b"CONNECT");
        let http11 = version == Version::Http11;
        self.set(flag::CLIENT_WAITING_100, fields.expect_continue && http11);
        if fields.expect_unknown && http11 {
            self.heads |= unknown_bit;
        } else {
            self.heads &= !unknown_bit;
        }
        if fields.close || version == Version::Http10 {
            self.states.disable_keep_alive();
        }
    }

    fn set(&mut self, bit: u8, on: bool) {
        if on {
            self.flags |= bit;
        } else {
            self.flags &= !bit;
        }
    }

    fn has(&self, bit: u8) -> bool {
        self.flags & bit != 0
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_decisions;

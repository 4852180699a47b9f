//! What the core decided about a head: the answers an embedder needs to frame the body, answer
//! `Expect`, reuse or close the connection and switch protocols, without reading a field again.
//!
//! [`Connection::received`] describes the head the last [`decode`](Connection::decode) call
//! yielded; [`Connection::sent`] the head the last [`encode`](Connection::encode) call wrote.

use super::state::{State, PROPOSED_UPGRADE};
use super::{flag, head_bit, Connection, Outgoing, Recv, Role};
use crate::head::Version;

/// How the body that follows a head is delimited (RFC 9112 section 6.3), as the core decided it.
///
/// ```
/// use h1x::{Connection, Event, Framing, Header, Role};
/// let mut server = Connection::new(Role::Server);
/// let mut headers = [Header::EMPTY; 8];
/// let wire = b"PUT /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n";
/// let (_, ev) = server.decode(wire, &mut headers).unwrap();
/// assert!(matches!(ev, Event::Request(_)));
/// assert_eq!(server.received().unwrap().framing, Framing::Chunked);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Framing {
    /// No content follows: a request without framing fields, `Content-Length: 0`, a 1xx, 204 or
    /// 304 response, a response to HEAD.
    None,
    /// Exactly this many bytes of content (`Content-Length`, more than zero).
    Length(u64),
    /// The chunked transfer coding, then trailer fields.
    Chunked,
    /// Content runs until the connection closes (a response without framing fields, or one
    /// whose Transfer-Encoding does not end in `chunked`, or any response body we send to an
    /// HTTP/1.0 client without Content-Length).
    UntilClose,
    /// After this head the connection carries another protocol: a `101 Switching Protocols`, or a
    /// 2xx response to CONNECT. The bytes after the head belong to that protocol.
    Tunnel,
}

/// The expectation a request carries in its `Expect` field (RFC 9110 section 10.1.1).
///
/// Complete by construction (none, the one defined expectation, anything else), so it is not
/// `#[non_exhaustive]`: match it without a wildcard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Expectation {
    /// No expectation (no `Expect` field, or an HTTP/1.0 request, whose expectations a server
    /// ignores, or a response).
    None,
    /// `Expect: 100-continue`, and the client is still waiting: a server answers `100 Continue`
    /// before it reads the body (or a final status instead). [`Connection::received`] reports the
    /// expectation as the request carried it; whether the client is still waiting is
    /// [`Connection::client_is_waiting_for_100_continue`].
    Continue,
    /// An expectation other than `100-continue`: a server answers `417 Expectation Failed`.
    Unknown,
}

/// What the core decided about one head, received or sent.
///
/// Everything an embedder needs to act on the head: how its body is framed, whether the client
/// waits for `100 Continue`, whether the connection may be reused after this exchange, whether an
/// upgrade or a tunnel was asked for or granted, and the version. An embedder that reads these
/// never looks at `Content-Length`, `Transfer-Encoding`, `Expect`, `Connection` or `Upgrade`.
///
/// A server's loop, reading the decisions the core made about each request:
///
/// ```
/// use h1x::{Connection, Event, Expectation, Framing, Header, Role};
///
/// let mut server = Connection::new(Role::Server);
/// let mut headers = [Header::EMPTY; 16];
/// let wire = b"PUT /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\nhello";
/// let (n, ev) = server.decode(wire, &mut headers).unwrap();
/// assert!(matches!(ev, Event::Request(_)));
/// let d = server.received().unwrap();
/// assert_eq!(d.framing, Framing::Length(5));
/// assert_eq!(d.expect, Expectation::Continue);
/// assert!(d.keep_alive && !d.upgrade && !d.connect);
///
/// let mut out = [0u8; 64];
/// if d.expect == Expectation::Continue {
///     server.encode(&Event::interim(100, &[]), &mut out).unwrap();
/// }
/// let (_, ev) = server.decode(&wire[n..], &mut headers).unwrap();
/// assert_eq!(ev, Event::Data(b"hello"));
/// assert_eq!(server.received(), None); // only right after a head
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Decisions {
    /// The head's HTTP version.
    pub version: Version,
    /// How the message's body is delimited.
    pub framing: Framing,
    /// The request's expectation ([`Expectation::None`] for responses).
    pub expect: Expectation,
    /// Whether the connection may carry another exchange after this one, as far as is known
    /// now (a later response may still close it).
    pub keep_alive: bool,
    /// Request: it carries `Upgrade` (a server may answer `101`). Response: it is a `101`.
    pub upgrade: bool,
    /// Request: its method is CONNECT. Response: it answers a CONNECT request.
    pub connect: bool,
    /// The body is handed over still transfer-coded: `Transfer-Encoding` lists a coding besides
    /// `chunked` (`gzip, chunked`), which the core does not undo. A server that does not decode
    /// it answers 501 (RFC 9112 section 6.1).
    pub transfer_coded: bool,
}

impl Decisions {
    /// Decisions with the given framing and version and every other answer at its default (no
    /// expectation, keep-alive, no upgrade, no CONNECT): for tests and for embedders that build
    /// their own.
    ///
    /// ```
    /// use h1x::{Decisions, Framing, Version};
    /// let d = Decisions::new(Version::Http11, Framing::Length(3));
    /// assert!(d.keep_alive);
    /// ```
    pub const fn new(version: Version, framing: Framing) -> Self {
        Decisions {
            version,
            framing,
            expect: Expectation::None,
            keep_alive: true,
            upgrade: false,
            connect: false,
            transfer_coded: false,
        }
    }
}

impl Connection {
    /// What the core decided about the head the last [`decode`](Self::decode) call yielded
    /// (a `Request`, `InformationalResponse` or `Response` event); `None` when that call yielded
    /// anything else.
    ///
    /// ```
    /// use h1x::{Connection, Event, Framing, Header, Role};
    /// let mut client = Connection::new(Role::Client);
    /// let mut out = [0u8; 128];
    /// client.encode(&Event::request("HEAD", "/", &[Header::new("Host", "a")]), &mut out).unwrap();
    /// client.encode(&Event::end(), &mut out).unwrap();
    /// let mut headers = [Header::EMPTY; 8];
    /// client.decode(b"HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n", &mut headers).unwrap();
    /// // a response to HEAD has no content, whatever its Content-Length says
    /// assert_eq!(client.received().unwrap().framing, Framing::None);
    /// ```
    pub fn received(&self) -> Option<Decisions> {
        if self.heads & head_bit::RECV_FRESH == 0 {
            return None;
        }
        let peer = self.role.peer();
        let tunnel = matches!(self.states.get(peer), State::SwitchedProtocol);
        let framing = if tunnel {
            Framing::Tunnel
        } else {
            match self.recv {
                Recv::Length(0) | Recv::Head(_) | Recv::Trailers(_) => Framing::None,
                Recv::Length(n) => Framing::Length(n),
                Recv::Chunked(_) => Framing::Chunked,
                Recv::UntilClose => Framing::UntilClose,
            }
        };
        let version = if self.has(flag::THEIR_VERSION_10) {
            Version::Http10
        } else {
            Version::Http11
        };
        Some(self.decisions(
            peer,
            version,
            framing,
            tunnel,
            head_bit::RECV_EXPECT_UNKNOWN | head_bit::RECV_CODED,
        ))
    }

    /// What the core decided about the head the last [`encode`](Self::encode) call wrote; `None`
    /// when that call wrote anything else (or failed).
    ///
    /// ```
    /// use h1x::{Connection, Event, Framing, Header, Role};
    /// let mut server = Connection::new(Role::Server);
    /// let mut headers = [Header::EMPTY; 8];
    /// server.decode(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", &mut headers).unwrap();
    /// server.decode(b"", &mut headers).unwrap(); // EndOfMessage
    /// let mut out = [0u8; 128];
    /// server.encode(&Event::response(200, &[]), &mut out).unwrap();
    /// // no Content-Length: the core chose chunked (and wrote the field)
    /// assert_eq!(server.sent().unwrap().framing, Framing::Chunked);
    /// ```
    pub fn sent(&self) -> Option<Decisions> {
        if self.heads & head_bit::SENT_FRESH == 0 {
            return None;
        }
        let tunnel = matches!(self.states.get(self.role), State::SwitchedProtocol);
        let framing = if tunnel {
            Framing::Tunnel
        } else {
            match self.send {
                Outgoing::Empty | Outgoing::Length(0) => Framing::None,
                Outgoing::Length(n) => Framing::Length(n),
                Outgoing::Chunked => Framing::Chunked,
                Outgoing::UntilClose => Framing::UntilClose,
            }
        };
        let version = if self.heads & head_bit::SENT_HTTP10 != 0 {
            Version::Http10
        } else {
            Version::Http11
        };
        Some(self.decisions(
            self.role,
            version,
            framing,
            tunnel,
            head_bit::SENT_EXPECT_UNKNOWN | head_bit::SENT_CODED,
        ))
    }

    /// The answers common to both directions; `sender` is the role that sent the head, `bits`
    /// the [`head_bit`]s of its direction for an unknown expectation and a transfer coding.
    fn decisions(
        &self,
        sender: Role,
        version: Version,
        framing: Framing,
        tunnel: bool,
        bits: u8,
    ) -> Decisions {
        let unknown_bit = bits & (head_bit::RECV_EXPECT_UNKNOWN | head_bit::SENT_EXPECT_UNKNOWN);
        let coded_bit = bits & (head_bit::RECV_CODED | head_bit::SENT_CODED);
        let connect = self.has(flag::REQUEST_CONNECT);
        let (expect, upgrade) = match sender {
            Role::Client => {
                let expect = if self.heads & unknown_bit != 0 {
                    Expectation::Unknown
                } else if self.has(flag::CLIENT_WAITING_100) {
                    Expectation::Continue
                } else {
                    Expectation::None
                };
                (expect, self.states.proposals & PROPOSED_UPGRADE != 0)
            }
            // a response switches by 101 (upgrade) or by a 2xx to CONNECT (tunnel)
            Role::Server => (Expectation::None, tunnel && !connect),
        };
        Decisions {
            version,
            framing,
            expect,
            keep_alive: self.states.keep_alive,
            upgrade,
            connect,
            transfer_coded: self.heads & coded_bit != 0,
        }
    }
}

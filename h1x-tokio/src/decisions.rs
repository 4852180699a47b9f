//! What h1x decided about the last head received or sent, in the shape this crate uses.
//! Every protocol question (framing, expectations, keep-alive, upgrades) is answered by h1x:
//! this module only reads its answers.

use h1x::Connection;

/// The core's decisions about a request head.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Decided {
    /// `Some(n)` for a body of known length (0: no body); `None` for chunked.
    pub body_length: Option<u64>,
    pub expects_continue: bool,
    pub unknown_expectation: bool,
    /// `Upgrade` or CONNECT.
    pub upgrade: bool,
}

/// Right after a request head was decoded.
pub(crate) fn received(conn: &Connection) -> Decided {
    // TODO(core decisions): conn.received() once it lands on main
    Decided {
        body_length: None,
        expects_continue: conn.they_are_waiting_for_100_continue(),
        unknown_expectation: false,
        upgrade: false,
    }
}

/// Whether the response head just sent frames its body as chunked (trailers possible).
pub(crate) fn sent_chunked(_conn: &Connection) -> bool {
    // TODO(core decisions): conn.sent().framing == Framing::Chunked
    false
}

/// Whether the response head just sent allows no body (HEAD, 1xx, 204, 304).
pub(crate) fn sent_bodiless(_conn: &Connection) -> bool {
    // TODO(core decisions): conn.sent().framing == Framing::None
    false
}

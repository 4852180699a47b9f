//! What h1x decided about the last head received or sent, in the shape this crate uses.
//! Every protocol question (framing, expectations, keep-alive, upgrades, transfer codings) is
//! answered by h1x (`Connection::received` / `Connection::sent`): this module only reads its
//! answers.

use h1x::{Connection, Expectation, Framing};

/// The core's decisions about a request head.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Decided {
    /// `Some(n)` for a body of known length (0: no body); `None` for chunked.
    pub body_length: Option<u64>,
    pub expects_continue: bool,
    pub unknown_expectation: bool,
    /// `Upgrade` or CONNECT.
    pub upgrade: bool,
    /// The body stays transfer-coded (`gzip, chunked`): h1x does not undo that coding.
    pub transfer_coded: bool,
}

/// Right after a request head was decoded.
pub(crate) fn received(conn: &Connection) -> Decided {
    let Some(d) = conn.received() else {
        return Decided::default();
    };
    Decided {
        body_length: match d.framing {
            Framing::None => Some(0),
            Framing::Length(n) => Some(n),
            _ => None,
        },
        expects_continue: d.expect == Expectation::Continue,
        unknown_expectation: d.expect == Expectation::Unknown,
        upgrade: d.upgrade || d.connect,
        transfer_coded: d.transfer_coded,
    }
}

/// How the response whose head was just encoded frames its body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum SentBody {
    /// No body may follow (HEAD, 204, 304, a switch).
    #[default]
    None,
    /// Chunked: trailers can follow.
    Chunked,
    /// Content-Length or until close.
    Other,
}

/// Right after a response head was encoded.
pub(crate) fn sent(conn: &Connection) -> SentBody {
    match conn.sent().map(|d| d.framing) {
        Some(Framing::Chunked) => SentBody::Chunked,
        Some(Framing::Length(_) | Framing::UntilClose) => SentBody::Other,
        _ => SentBody::None,
    }
}

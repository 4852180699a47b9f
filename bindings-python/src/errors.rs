//! `LocalProtocolError` and `RemoteProtocolError` instances from core errors, with `kind`
//! and `offset`, and messages that carry the facts: h11's wording where h11 has a message for the
//! same fault (what users search for), then the counts, limits and offending bytes the binding
//! knows (the received bytes, the limits it configured, the event it was asked to send).

use h1x::{ErrorKind as K, Header, Role, State};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::cache::consts;

/// An exception instance of `cls` built from a core error.
pub(crate) fn make_error(
    py: Python<'_>,
    cls: &PyObject,
    msg: String,
    e: Option<h1x::Error>,
) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kw = PyDict::new(py);
        let status = match e {
            Some(e) => {
                kw.set_item("kind", e.kind().name())?;
                if e.is_remote() {
                    kw.set_item("offset", e.offset())?;
                }
                e.status()
            }
            None => 400,
        };
        let value = cls.bind(py).call((msg, status), Some(&kw))?;
        Ok(PyErr::from_value(value))
    };
    build().unwrap_or_else(|err| err)
}

/// `LocalProtocolError` from a core error, with `msg` as its text.
pub(crate) fn local_error_msg(py: Python<'_>, e: h1x::Error, msg: String) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.local_error, msg, Some(e)),
        Err(err) => err,
    }
}

pub(crate) fn local_msg(py: Python<'_>, msg: String) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.local_error, msg, None),
        Err(err) => err,
    }
}

/// A core check's verdict on a value built from Python (`check_request_head` and the like), as
/// `LocalProtocolError` with h11's message; `headers` are the fields that were checked (to name
/// the offending one).
pub(crate) fn check(
    py: Python<'_>,
    result: Result<(), h1x::Error>,
    headers: &[Header<'_>],
) -> PyResult<()> {
    result.map_err(|e| local_error_msg(py, e, local_text(e.kind(), headers)))
}

/// h11's text for a fault in what we were asked to build or send, with the offending field.
pub(crate) fn local_text(kind: K, headers: &[Header<'_>]) -> String {
    // the first field the core's own check refuses for this reason
    let offending = || {
        headers
            .iter()
            .find(|h| h1x::check_fields(std::slice::from_ref(*h)).is_err_and(|e| e.kind() == kind))
    };
    match kind {
        K::InvalidHeaderName => match offending() {
            Some(h) => format!("Illegal header name {}", py_bytes(h.name)),
            None => "Illegal header name".into(),
        },
        K::InvalidHeaderValue => match offending() {
            Some(h) => format!("Illegal header value {}", py_bytes(h.value)),
            None => "Illegal header value".into(),
        },
        K::InvalidMethod => "Illegal method characters".into(),
        K::InvalidTarget => "Illegal target characters".into(),
        K::MissingHost => "Missing mandatory Host: header".into(),
        K::DuplicateHost => "Found multiple Host: headers".into(),
        K::InvalidContentLength => "bad Content-Length".into(),
        K::DuplicateContentLength => "conflicting Content-Length headers".into(),
        K::ContentLengthWithTransferEncoding => {
            "Content-Length and Transfer-Encoding both set".into()
        }
        K::ConnectionErrored => "Can't send data when our state is ERROR".into(),
        kind => kind.description().into(),
    }
}

/// h11's text for a refused `send(event)`: `event` is the event's class name, `role` and
/// `state` ours before the call.
pub(crate) fn send_text(
    kind: K,
    event: &str,
    role: Role,
    state: State,
    headers: &[Header<'_>],
) -> String {
    match (kind, event) {
        // the only refusal of trailers in SEND_BODY: the body is not chunked
        (K::IllegalEvent, "EndOfMessage") if state == State::SendBody && !headers.is_empty() => {
            "Content-Length and trailers don't mix".into()
        }
        (K::IllegalEvent, _) => format!(
            "can't handle event type {event} when role={} and state={}",
            role_name(role),
            state.name()
        ),
        (K::BodyLengthMismatch, "Data") => "Too much data for declared Content-Length".into(),
        (K::BodyLengthMismatch, _) => "Too little data for declared Content-Length".into(),
        _ => local_text(kind, headers),
    }
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Client => "CLIENT",
        Role::Server => "SERVER",
    }
}

/// What the binding knows when the core refuses received bytes, for the message.
pub(crate) struct Received<'a> {
    /// The bytes not consumed before the failing call; `input[0]` is byte `base` of the stream.
    pub input: &'a [u8],
    pub base: u64,
    pub cfg: &'a h1x::Config,
    pub max_headers: usize,
    /// `max_incomplete_event_size`, when it is what bounds the head.
    pub h11_limit: Option<u64>,
    /// Our role (the peer sent the bytes).
    pub role: Role,
    /// The peer's state before the call.
    pub their_state: State,
    /// Body bytes of the current message received so far, and (Content-Length) still due.
    pub body_received: u64,
    pub body_remaining: Option<u64>,
}

/// `RemoteProtocolError` for a core decoding error, with h11's wording and the facts.
pub(crate) fn remote_error(py: Python<'_>, e: h1x::Error, r: &Received<'_>) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.remote_error, remote_text(&e, r), Some(e)),
        Err(err) => err,
    }
}

pub(crate) fn remote_text(e: &h1x::Error, r: &Received<'_>) -> String {
    let at = e.offset();
    let line = || quote_line(r, at);
    let request = r.role == Role::Server;
    let text = match e.kind() {
        K::HeadTooLarge => match r.h11_limit {
            Some(n) => format!(
                "Receive buffer too long: the head is larger than \
                 max_incomplete_event_size={n} bytes (its final CRLF not counted)"
            ),
            None => format!(
                "Receive buffer too long: the head is larger than max_head_bytes={} bytes",
                r.cfg.max_head_bytes
            ),
        },
        K::LineTooLong | K::UriTooLong => format!(
            "Receive buffer too long: a line of the head is longer than max_line_bytes={} bytes",
            r.cfg.max_line_bytes
        ),
        K::TrailerTooLarge => format!(
            "Receive buffer too long: the trailer section is larger than max_trailer_bytes={} bytes",
            r.cfg.max_trailer_bytes
        ),
        K::TooManyHeaders => format!(
            "too many header fields: more than max_headers={}",
            r.max_headers
        ),
        K::ChunkExtensionTooLong => format!(
            "chunk extensions longer than max_chunk_ext_bytes={} bytes: {}",
            r.cfg.max_chunk_ext_bytes,
            line()
        ),
        K::IncompleteMessage => match (r.their_state, r.body_remaining) {
            (State::SendBody, Some(rest)) => format!(
                "peer closed connection without sending complete message body \
                 (received {} bytes, expected {})",
                r.body_received,
                r.body_received + rest
            ),
            (State::SendBody, None) => "peer closed connection without sending complete \
                                        message body (incomplete chunked read)"
                .into(),
            _ => "peer unexpectedly closed connection".into(),
        },
        K::ConnectionErrored => "Can't receive data when peer state is ERROR".into(),
        K::UnexpectedData => "Got data when expecting EOF".into(),
        K::UnexpectedResponse => "response without an outstanding request".into(),
        K::InvalidMethod
        | K::InvalidTarget
        | K::InvalidStartLine
        | K::InvalidVersion
        | K::InvalidStatus
        | K::InvalidReason => {
            let which = if request { "request" } else { "status" };
            format!("illegal {which} line: {}", line())
        }
        K::InvalidHeaderName | K::InvalidHeaderValue | K::SpaceBeforeColon | K::ObsFold => {
            format!("illegal header line: {}", line())
        }
        K::InvalidChunkSize | K::InvalidChunkExtension => {
            format!("illegal chunk header: {}", line())
        }
        K::MissingChunkCrlf => format!(
            "malformed chunk footer: {} (expected b'\\r\\n')",
            quote(r, at, at + 2)
        ),
        K::MissingHost => "Missing mandatory Host: header".into(),
        K::DuplicateHost => "Found multiple Host: headers".into(),
        K::DuplicateContentLength => format!("conflicting Content-Length headers: {}", line()),
        K::InvalidContentLength => format!("bad Content-Length: {}", line()),
        kind => format!("{}: {}", kind.description(), line()),
    };
    format!("{text} at byte {at} (answer {})", e.status())
}

/// The bytes `[from, to)` of the stream, as a Python `bytes` literal, if they were received.
fn quote(r: &Received<'_>, from: usize, to: usize) -> String {
    let Some(a) = (from as u64).checked_sub(r.base) else {
        return "b''".into();
    };
    let a = (a as usize).min(r.input.len());
    let z = (to.saturating_sub(r.base as usize)).clamp(a, r.input.len());
    py_bytes(&r.input[a..z])
}

/// The received line holding stream byte `at` (at most 40 bytes either side of it), as a Python
/// `bytes` literal.
fn quote_line(r: &Received<'_>, at: usize) -> String {
    let Some(i) = (at as u64).checked_sub(r.base) else {
        return "b''".into();
    };
    let input = r.input;
    let i = (i as usize).min(input.len());
    let start = input[..i]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let end = input[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(input.len(), |p| i + p);
    let mut end = end;
    while end > start && end > i && matches!(input[end - 1], b'\r') {
        end -= 1;
    }
    let start = start.max(i.saturating_sub(40));
    let end = end.min(i + 40).max(start);
    py_bytes(&input[start..end])
}

/// `repr(bytes(b))`, as Python writes it.
pub(crate) fn py_bytes(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    let mut s = String::with_capacity(b.len() + 3);
    s.push('b');
    s.push(quote);
    for &c in b {
        match c {
            b'\\' => s.push_str("\\\\"),
            b'\t' => s.push_str("\\t"),
            b'\n' => s.push_str("\\n"),
            b'\r' => s.push_str("\\r"),
            c if c as char == quote => {
                s.push('\\');
                s.push(quote);
            }
            0x20..=0x7e => s.push(c as char),
            c => s.push_str(&format!("\\x{c:02x}")),
        }
    }
    s.push(quote);
    s
}

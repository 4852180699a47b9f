//! The request body a handler receives: an [`http_body::Body`] fed by the connection, one piece
//! at a time, only when polled (backpressure: a handler that does not read does not make the
//! server read).

use crate::exchange::Exchange;
use bytes::Bytes;
use http_body::{Frame, SizeHint};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// A request body streamed from the connection.
///
/// The first poll of a body whose client sent `Expect: 100-continue` makes the connection send
/// `100 Continue`; a handler that answers without polling it never asks for the body.
///
/// ```
/// use http_body::Body as _;
/// let body = h1x_tokio::Body::empty();
/// assert!(body.is_end_stream());
/// assert_eq!(body.size_hint().exact(), Some(0));
/// ```
#[derive(Debug)]
pub struct Body {
    inner: Option<Arc<Exchange>>,
    /// Bytes still to come when the length is known.
    remaining: Option<u64>,
}

impl Body {
    /// A body with no bytes (example: [`Body`]).
    pub fn empty() -> Self {
        Body {
            inner: None,
            remaining: Some(0),
        }
    }

    pub(crate) fn streaming(ex: Arc<Exchange>, length: Option<u64>) -> Self {
        Body {
            inner: Some(ex),
            remaining: length,
        }
    }
}

impl Default for Body {
    fn default() -> Self {
        Body::empty()
    }
}

impl Drop for Body {
    fn drop(&mut self) {
        if let Some(ex) = self.inner.take() {
            ex.body_dropped();
        }
    }
}

impl http_body::Body for Body {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let Some(ex) = &self.inner else {
            return Poll::Ready(None);
        };
        let polled = ex.poll_body(cx);
        if let Poll::Ready(Some(Ok(frame))) = &polled {
            if let (Some(d), Some(n)) = (frame.data_ref(), self.remaining) {
                self.remaining = Some(n.saturating_sub(d.len() as u64));
            }
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == Some(0)
    }

    fn size_hint(&self) -> SizeHint {
        match self.remaining {
            Some(n) => SizeHint::with_exact(n),
            None => SizeHint::default(),
        }
    }
}

/// Why a request body ended early. The connection deals with the client itself (h1x's status
/// for a protocol error, 408 for a timeout, then the close); the handler only learns why.
///
/// ```no_run
/// use http_body_util::BodyExt;
///
/// async fn upload(body: h1x_tokio::Body) -> Result<usize, String> {
///     match body.collect().await {
///         Ok(all) => Ok(all.to_bytes().len()),
///         Err(e) if e.is_timeout() => Err("the client stalled".into()),
///         Err(e) => Err(match e.protocol_error() {
///             Some(p) => format!("bad body: {p}"),
///             None => "the client went away".into(),
///         }),
///     }
/// }
/// ```
#[derive(Debug, Clone)]
pub struct BodyError {
    kind: BodyErrorKind,
}

#[derive(Debug, Clone)]
enum BodyErrorKind {
    /// The connection ended (client gone, or the exchange is over).
    Closed,
    /// The client broke the protocol in the body (bad chunk, ...): the connection answers
    /// h1x's suggested status and closes.
    Protocol(h1x::Error),
    /// The client sent nothing for longer than the body read timeout.
    TimedOut,
}

impl BodyError {
    pub(crate) fn closed() -> Self {
        BodyError {
            kind: BodyErrorKind::Closed,
        }
    }

    pub(crate) fn protocol(e: h1x::Error) -> Self {
        BodyError {
            kind: BodyErrorKind::Protocol(e),
        }
    }

    pub(crate) fn timed_out() -> Self {
        BodyError {
            kind: BodyErrorKind::TimedOut,
        }
    }

    /// The h1x error, when the client broke the protocol (example: [`BodyError`]).
    pub fn protocol_error(&self) -> Option<&h1x::Error> {
        match &self.kind {
            BodyErrorKind::Protocol(e) => Some(e),
            _ => None,
        }
    }

    /// Whether the client stalled past the body read timeout (example: [`BodyError`]).
    pub fn is_timeout(&self) -> bool {
        matches!(self.kind, BodyErrorKind::TimedOut)
    }
}

impl std::fmt::Display for BodyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.kind {
            BodyErrorKind::Closed => f.write_str("connection closed before the body ended"),
            BodyErrorKind::Protocol(e) => write!(f, "invalid request body: {e}"),
            BodyErrorKind::TimedOut => f.write_str("request body timed out"),
        }
    }
}

impl std::error::Error for BodyError {}

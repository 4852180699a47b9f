//! The state one request's handler shares with its connection: body pieces handed over one at
//! a time (the connection reads only when the body is polled: backpressure), and interim
//! responses queued by the handler for the connection to check with h1x and send.

use crate::body::BodyError;
use crate::interim::InterimError;
use bytes::Bytes;
use http::{HeaderMap, StatusCode};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::task::{Context, Poll, Waker};
use tokio::sync::oneshot;

/// An interim response waiting for the connection.
pub(crate) struct Queued {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub ack: Option<oneshot::Sender<Result<(), InterimError>>>,
}

#[derive(Default)]
pub(crate) struct Shared {
    // -- request body
    data: Option<Bytes>,
    trailers: Option<HeaderMap>,
    end: bool,
    error: Option<BodyError>,
    /// The body was polled and found empty: the connection should read.
    want: bool,
    body_waker: Option<Waker>,
    body_dropped: bool,
    // -- interim responses
    queue: VecDeque<Queued>,
    /// The exchange is over (final response finished, or the connection is gone).
    closed: bool,
    conn_waker: Option<Waker>,
}

/// One request/response exchange.
#[derive(Default)]
pub(crate) struct Exchange(Mutex<Shared>);

impl std::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Exchange")
    }
}

impl Exchange {
    /// End the exchange ([`close`](Self::close)); when nobody else holds it any more (the
    /// handler dropped its body and `Interim` handles), it comes back emptied for the next
    /// request: its memory is reused instead of allocated again, and there is nobody to wake.
    pub fn finish(mut ex: Arc<Exchange>, error: Option<BodyError>) -> Option<Arc<Exchange>> {
        let Some(unique) = Arc::get_mut(&mut ex) else {
            ex.close(error);
            return None;
        };
        let shared = unique.0.get_mut().unwrap_or_else(|e| e.into_inner());
        if !shared.queue.is_empty() {
            Self::fail_queued(std::mem::take(&mut shared.queue));
        }
        // field by field (the queue, empty, keeps its memory; the connection's waker stays: the
        // same connection serves the next request); a new field must be reset here
        let Shared {
            data,
            trailers,
            end,
            error,
            want,
            body_waker,
            body_dropped,
            queue: _,
            closed,
            conn_waker: _,
        } = shared;
        (*data, *trailers, *error, *body_waker) = (None, None, None, None);
        (*end, *want, *body_dropped, *closed) = (false, false, false, false);
        Some(ex)
    }

    fn fail_queued(queue: VecDeque<Queued>) {
        for q in queue {
            if let Some(ack) = q.ack {
                let _ = ack.send(Err(InterimError::closed()));
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        // a panic while holding this lock leaves plain data behind: keep going
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn wake_conn(s: &mut Shared) {
        if let Some(w) = s.conn_waker.take() {
            w.wake();
        }
    }

    // -- body side (called by `Body`)

    /// The next body frame, or a request for more (the connection is woken to read).
    pub fn poll_body(
        &self,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BodyError>>> {
        let mut s = self.lock();
        if let Some(d) = s.data.take() {
            return Poll::Ready(Some(Ok(http_body::Frame::data(d))));
        }
        if let Some(t) = s.trailers.take() {
            return Poll::Ready(Some(Ok(http_body::Frame::trailers(t))));
        }
        if s.end {
            return Poll::Ready(None);
        }
        if let Some(e) = s.error.clone() {
            return Poll::Ready(Some(Err(e)));
        }
        if s.closed {
            return Poll::Ready(Some(Err(BodyError::closed())));
        }
        s.want = true;
        match &s.body_waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => s.body_waker = Some(cx.waker().clone()),
        }
        Self::wake_conn(&mut s);
        Poll::Pending
    }

    /// The body handle is gone: the rest of the body is nobody's.
    pub fn body_dropped(&self) {
        let mut s = self.lock();
        s.body_dropped = true;
        s.want = false;
        Self::wake_conn(&mut s);
    }

    // -- connection side

    /// Whether the handler waits for body data.
    pub fn wants_data(&self) -> bool {
        self.lock().want
    }

    /// Whether the handler dropped its body.
    pub fn is_body_dropped(&self) -> bool {
        self.lock().body_dropped
    }

    fn deliver(&self, f: impl FnOnce(&mut Shared)) {
        let mut s = self.lock();
        f(&mut s);
        s.want = false;
        if let Some(w) = s.body_waker.take() {
            w.wake();
        }
    }

    pub fn push_data(&self, data: Bytes) {
        self.deliver(|s| s.data = Some(data));
    }

    pub fn push_end(&self, trailers: Option<HeaderMap>) {
        self.deliver(|s| {
            s.trailers = trailers;
            s.end = true;
        });
    }

    pub fn push_error(&self, e: BodyError) {
        self.deliver(|s| s.error = Some(e));
    }

    /// Register the connection's waker (before it returns `Pending`).
    pub fn register_conn(&self, cx: &mut Context<'_>) {
        let mut s = self.lock();
        match &s.conn_waker {
            Some(w) if w.will_wake(cx.waker()) => {}
            _ => s.conn_waker = Some(cx.waker().clone()),
        }
    }

    /// The interim responses queued so far, if any.
    pub fn take_queue(&self) -> Option<VecDeque<Queued>> {
        let mut s = self.lock();
        if s.queue.is_empty() {
            None
        } else {
            Some(std::mem::take(&mut s.queue))
        }
    }

    /// The exchange is over: queued and later interim responses fail, a body still waiting
    /// gets `error` (unless it already ended).
    pub fn close(&self, error: Option<BodyError>) {
        let queue = {
            let mut s = self.lock();
            s.closed = true;
            if !s.end && s.error.is_none() {
                s.error = error;
            }
            if let Some(w) = s.body_waker.take() {
                w.wake();
            }
            std::mem::take(&mut s.queue)
        };
        Self::fail_queued(queue);
    }

    // -- interim side (called by `Interim`)

    /// Queue an interim response; `Err` when the exchange is already over.
    pub fn queue(&self, q: Queued) -> Result<(), Queued> {
        let mut s = self.lock();
        if s.closed {
            return Err(q);
        }
        s.queue.push_back(q);
        Self::wake_conn(&mut s);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reused_only_when_nobody_else_holds_it_and_then_fresh() {
        let ex = Arc::new(Exchange::default());
        let held = ex.clone(); // a handler still holds its Interim
        let (tx, mut rx) = oneshot::channel();
        let queued = Queued {
            status: StatusCode::PROCESSING,
            headers: HeaderMap::new(),
            ack: Some(tx),
        };
        assert!(held.queue(queued).is_ok());
        assert!(Exchange::finish(ex, Some(BodyError::closed())).is_none());
        assert!(rx.try_recv().unwrap().unwrap_err().is_closed());
        assert!(held.lock().closed, "the handler's body learns it is over");

        let ex = Arc::new(Exchange::default());
        ex.push_data(Bytes::from_static(b"left over"));
        let (tx, mut rx) = oneshot::channel();
        let queued = Queued {
            status: StatusCode::PROCESSING,
            headers: HeaderMap::new(),
            ack: Some(tx),
        };
        assert!(ex.queue(queued).is_ok());
        let again = Exchange::finish(ex, None).expect("the last holder gets it back");
        assert!(
            rx.try_recv().unwrap().unwrap_err().is_closed(),
            "queued ones fail"
        );
        let s = again.lock();
        assert!(s.data.is_none() && s.queue.is_empty() && !s.closed && !s.end);
    }
}

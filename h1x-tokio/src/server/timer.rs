//! One timer per connection for whichever deadline applies (keep-alive idle, header read,
//! body read, lingering close). Deadlines move forward often (every request): the timer is
//! re-armed only when the new deadline is earlier, and a timer that fires early for a deadline
//! since moved is re-armed then, so a busy connection touches the timer wheel rarely.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, Waker};
use tokio::time::{Instant, Sleep};

/// Which deadline a connection is waiting on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Deadline {
    /// No request yet (keep-alive): close silently.
    Idle,
    /// A head started but is not complete: 408.
    Head,
    /// The handler waits for body bytes that do not come: 408.
    Body,
    /// Idle for a while: give the buffers back (then wait for `Idle`).
    Release,
    /// Closing: stop waiting for the client to close first.
    Linger,
}

#[derive(Default)]
pub(crate) struct Timer {
    sleep: Option<Pin<Box<Sleep>>>,
    armed: Option<Instant>,
    /// The waker the sleep was last polled with.
    waker: Option<Waker>,
}

impl Timer {
    /// `Ready` once `at` has passed; otherwise the task is woken by then.
    pub fn poll_expired(&mut self, cx: &mut Context<'_>, at: Instant) -> Poll<()> {
        // already armed to wake this very task no later than `at`, and not fired: nothing to do
        if let (Some(armed), Some(sleep), Some(waker)) = (self.armed, &self.sleep, &self.waker) {
            if armed <= at && waker.will_wake(cx.waker()) && !sleep.is_elapsed() {
                return Poll::Pending;
            }
        }
        let sleep = self
            .sleep
            .get_or_insert_with(|| Box::pin(tokio::time::sleep_until(at)));
        if self.armed.map_or(true, |armed| armed > at) {
            sleep.as_mut().reset(at);
            self.armed = Some(at);
        }
        loop {
            match sleep.as_mut().poll(cx) {
                Poll::Pending => {
                    if !self.waker.as_ref().is_some_and(|w| w.will_wake(cx.waker())) {
                        self.waker = Some(cx.waker().clone());
                    }
                    return Poll::Pending;
                }
                Poll::Ready(()) if Instant::now() >= at => {
                    self.armed = None;
                    return Poll::Ready(());
                }
                Poll::Ready(()) => {
                    sleep.as_mut().reset(at);
                    self.armed = Some(at);
                }
            }
        }
    }
}

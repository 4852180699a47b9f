//! One HTTP/1.1 connection serving a tower service: a single future that reads, decodes with
//! the codec, calls the service, streams both bodies, sends interim responses and writes.

use super::outbuf::OutBuf;
use super::slot::Place;
use super::timer::{Deadline, Timer};
use super::{BoxError, Error, Settings};
use crate::body::{Body, BodyError};
use crate::codec::{CodecError, H1Codec, Incoming, Outgoing, RequestHead, ResponseHead};
use crate::exchange::Exchange;
use crate::interim::{Interim, InterimError};
use crate::upgrade::{OnUpgrade, UpgradeSender, Upgraded};
use bytes::{Buf, Bytes, BytesMut};
use h1x::State;
use http::header::{HeaderValue, CONNECTION, CONTENT_TYPE};
use http::{HeaderMap, Request, Response, StatusCode};
use std::future::Future;
use std::io;
use std::mem::MaybeUninit;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;
use tower_service::Service;

/// Write buffer size above which the response body is not polled until it drains.
const HIGH_WATER: usize = 64 * 1024;
/// Bytes read ahead (pipelined requests) while a handler works.
const READ_AHEAD: usize = 64 * 1024;
/// Read buffer growth step.
const READ_CHUNK: usize = 8 * 1024;
/// A connection idle this long gives its buffers back (a busy one keeps them: no allocation
/// per request).
const RELEASE_AFTER: Duration = Duration::from_millis(500);

/// Where the connection is in its current exchange.
enum Phase {
    /// Waiting for (or decoding) a request head.
    Idle,
    /// A request waiting for the service to be ready.
    Ready(Option<Request<Body>>),
    /// The service is working on the request (its future is in `Connection::fut`).
    Service,
    /// Streaming the response body (in `Connection::body`); trailers once the body gave them.
    Body(Option<HeaderMap>),
    /// A 101 (or 2xx to CONNECT) is being written; then the socket goes to the handler.
    Upgrading,
    /// Flushing what is left, then closing (`Instant`: when the lingering read gives up).
    Closing(Option<Instant>),
}

/// How far the request body got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReqBody {
    /// Still arriving (through the exchange).
    Streaming,
    /// Read to its end (or there was none).
    Complete,
}

/// A connection served by h1x: a future that ends when the connection closes (or is handed
/// over after an upgrade). Made by [`serve_connection`](crate::serve_connection) or
/// [`Builder::serve_connection`](crate::Builder::serve_connection).
///
/// ```no_run
/// # async fn run(app: axum::Router, socket: tokio::net::TcpStream, stop: tokio::sync::oneshot::Receiver<()>) {
/// let mut conn = h1x_tokio::serve_connection(socket, app);
/// tokio::select! {
///     result = &mut conn => { let _ = result; }
///     _ = stop => {
///         conn.graceful_shutdown(); // finish the request in flight, then close
///         let _ = conn.await;
///     }
/// }
/// # }
/// ```
pub struct Connection<I, S> {
    io: Option<I>,
    service: Box<S>,
    codec: H1Codec,
    settings: Arc<Settings>,
    read_buf: BytesMut,
    write_buf: OutBuf,
    phase: Phase,
    /// The service's future while `Phase::Service`, and the response body while `Phase::Body`:
    /// memory reused by every request.
    fut: Place,
    body: Place,
    /// The current exchange (body and interim responses shared with the handler).
    ex: Option<Arc<Exchange>>,
    /// A finished exchange nobody else holds, for the next request (no allocation per request).
    spare_ex: Option<Arc<Exchange>>,
    req_body: ReqBody,
    upgrade: Option<UpgradeSender>,
    timer: Timer,
    /// The clocks of the deadlines, each started when the connection first waits for it
    /// (read lazily: one clock read per wait, none while requests flow): idle between
    /// requests (keep-alive timeout) ...
    idle_since: Option<Instant>,
    /// ... in the middle of a head (header read timeout) ...
    head_since: Option<Instant>,
    /// ... and for body bytes the handler asked for (body read timeout).
    body_since: Option<Instant>,
    /// The client closed its sending side.
    eof: bool,
    shutdown: bool,
    /// This poll's waker is registered with the current exchange.
    registered: bool,
    /// A read in this poll found nothing: the socket wakes the task when bytes come.
    read_blocked: bool,
}

impl<I, S> std::fmt::Debug for Connection<I, S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("state", &self.codec.conn().our_state())
            .finish()
    }
}

impl<I, S> Connection<I, S> {
    pub(crate) fn new(io: I, service: S, settings: Arc<Settings>) -> Self {
        Connection {
            io: Some(io),
            service: Box::new(service),
            codec: H1Codec::with_config(settings.config).title_case_headers(settings.title_case),
            settings,
            read_buf: BytesMut::new(),
            write_buf: OutBuf::default(),
            phase: Phase::Idle,
            fut: Place::default(),
            body: Place::default(),
            ex: None,
            spare_ex: None,
            req_body: ReqBody::Complete,
            upgrade: None,
            timer: Timer::default(),
            idle_since: None,
            head_since: None,
            body_since: None,
            eof: false,
            shutdown: false,
            registered: false,
            read_blocked: false,
        }
    }

    /// Finish the request in progress (its response says `Connection: close`), then close;
    /// an idle connection closes at once. Poll the connection to completion afterwards
    /// (example: [`Connection`]).
    pub fn graceful_shutdown(&mut self) {
        self.shutdown = true;
    }
}

impl<I, S, B> Future for Connection<I, S>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    S: Service<Request<Body>, Response = Response<B>>,
    S::Error: Into<BoxError>,
    S::Future: Send + 'static,
    B: http_body::Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<BoxError>,
{
    type Output = Result<(), Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        let result = this.drive(cx);
        if let Poll::Ready(Err(_)) = &result {
            this.end_exchange(Some(BodyError::closed()));
        }
        this.drop_stale();
        result
    }
}

impl<I, S> Connection<I, S>
where
    I: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    fn drive<B>(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Error>>
    where
        S: Service<Request<Body>, Response = Response<B>>,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        self.registered = false;
        self.read_blocked = false;
        loop {
            self.drop_stale();
            // registered (once per poll, and for each new exchange) before looking at the
            // shared state: a change made after the look wakes this task again
            if !self.registered {
                if let Some(ex) = &self.ex {
                    ex.register_conn(cx);
                    self.registered = true;
                }
            }
            // produce as long as there is something to do (pipelined requests' responses
            // collect in the write buffer), then write
            let produced =
                self.poll_read(cx)? | self.poll_service(cx) | self.poll_response_body::<B>(cx)?;
            if produced && self.write_buf.len() < HIGH_WATER {
                continue;
            }
            let wrote = self.poll_write(cx)?;
            // a body waiting for room in the write buffer may go on
            let progress = produced || (wrote && matches!(self.phase, Phase::Body(..)));
            let closing = matches!(self.phase, Phase::Closing(_));
            if self.write_buf.is_empty() && matches!(self.phase, Phase::Upgrading) {
                self.hand_over();
                return Poll::Ready(Ok(()));
            }
            if self.write_buf.is_empty() && closing && self.poll_close(cx)?.is_ready() {
                self.end_exchange(Some(BodyError::closed()));
                return Poll::Ready(Ok(()));
            }
            if progress {
                continue;
            }
            if let Some((deadline, at)) = self.deadline() {
                if self.timer.poll_expired(cx, at).is_ready() {
                    self.timed_out(deadline);
                    continue;
                }
            }
            return Poll::Pending;
        }
    }

    /// Drop the handler's future once the exchange left `Service`, and the response body once
    /// it left `Body` (an error answer, a timeout, the end): the phase says what is alive.
    fn drop_stale(&mut self) {
        if !matches!(self.phase, Phase::Service) {
            self.fut.clear();
        }
        if !matches!(self.phase, Phase::Body(_)) {
            self.body.clear();
        }
    }

    /// The deadline that applies now that the connection waits, if any (its clock starts now
    /// if it was not running).
    fn deadline(&mut self) -> Option<(Deadline, Instant)> {
        let (keep_alive, header_read, body_read) = (
            self.settings.keep_alive_timeout,
            self.settings.header_read_timeout,
            self.settings.body_read_timeout,
        );
        let since = |clock: &mut Option<Instant>| *clock.get_or_insert_with(Instant::now);
        match (&self.phase, self.req_body) {
            (Phase::Idle, _) if self.shutdown => None,
            (Phase::Idle, _) if self.read_buf.is_empty() => {
                let idle = since(&mut self.idle_since);
                let holds_buffers = self.read_buf.capacity() > 0 || self.write_buf.capacity() > 0;
                match keep_alive {
                    Some(t) if !holds_buffers || t <= RELEASE_AFTER => {
                        Some((Deadline::Idle, idle + t))
                    }
                    _ if holds_buffers => Some((Deadline::Release, idle + RELEASE_AFTER)),
                    _ => None,
                }
            }
            (Phase::Idle, _) => Some((Deadline::Head, since(&mut self.head_since) + header_read?)),
            (Phase::Closing(Some(until)), _) => Some((Deadline::Linger, *until)),
            (Phase::Ready(_) | Phase::Service | Phase::Body(_), ReqBody::Streaming)
                if self.ex.as_ref().is_some_and(|ex| ex.wants_data()) =>
            {
                Some((Deadline::Body, since(&mut self.body_since) + body_read?))
            }
            _ => None,
        }
    }

    fn timed_out(&mut self, deadline: Deadline) {
        match deadline {
            // a silent keep-alive connection closes without a word
            Deadline::Idle => self.phase = Phase::Closing(None),
            Deadline::Head => {
                self.respond_error(StatusCode::REQUEST_TIMEOUT, "request head timed out")
            }
            Deadline::Body => {
                if let Some(ex) = &self.ex {
                    ex.push_error(BodyError::timed_out());
                }
                self.respond_error(StatusCode::REQUEST_TIMEOUT, "request body timed out")
            }
            Deadline::Release => self.release_idle_buffers(),
            Deadline::Linger => {
                self.io = None;
                self.phase = Phase::Closing(None);
            }
        }
    }
}

mod read;
mod respond;
mod write;

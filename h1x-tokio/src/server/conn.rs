//! One HTTP/1.1 connection serving a tower service: a single future that reads, decodes with
//! the codec, calls the service, streams both bodies, sends interim responses and writes.

use super::outbuf::OutBuf;
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
use http_body::Frame;
use pin_project_lite::pin_project;
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

type ResBody = Pin<Box<dyn http_body::Body<Data = Bytes, Error = BoxError> + Send>>;
type ResFuture = Pin<Box<dyn Future<Output = Result<Response<ResBody>, BoxError>> + Send>>;

/// Where the connection is in its current exchange.
enum Phase {
    /// Waiting for (or decoding) a request head.
    Idle,
    /// A request waiting for the service to be ready.
    Ready(Option<Request<Body>>),
    /// The service is working on the request.
    Service(ResFuture),
    /// Streaming the response body; trailers once the body gave them.
    Body(ResBody, Option<HeaderMap>),
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
    /// The current exchange (body and interim responses shared with the handler).
    ex: Option<Arc<Exchange>>,
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
            ex: None,
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
        result
    }
}

pin_project! {
    /// The response body as this connection streams it: data as `Bytes`, errors boxed.
    struct MapBody<B> {
        #[pin]
        inner: B,
    }
}

impl<B> http_body::Body for MapBody<B>
where
    B: http_body::Body,
    B::Error: Into<BoxError>,
{
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        self.project().inner.poll_frame(cx).map(|f| {
            f.map(|r| {
                r.map(|frame| frame.map_data(|mut d| d.copy_to_bytes(d.remaining())))
                    .map_err(Into::into)
            })
        })
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.inner.size_hint()
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
                self.poll_read(cx)? | self.poll_service(cx) | self.poll_response_body(cx)?;
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
            (Phase::Ready(_) | Phase::Service(_) | Phase::Body(..), ReqBody::Streaming)
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

    // -- reading

    /// Read more bytes into the read buffer; `Ok(true)` when something happened.
    fn fill(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        if self.eof || self.read_blocked {
            return Ok(false);
        }
        let Some(io) = self.io.as_mut() else {
            return Ok(false);
        };
        let n = if self.read_buf.capacity() == 0 {
            // an idle connection holds no buffer: read into the stack, keep what came (in a
            // buffer of about its size: a request head, maybe a small body)
            let mut stack = [MaybeUninit::<u8>::uninit(); READ_CHUNK];
            let mut rb = ReadBuf::uninit(&mut stack);
            match Pin::new(io).poll_read(cx, &mut rb) {
                Poll::Ready(Ok(())) => {
                    let got = rb.filled();
                    if !got.is_empty() {
                        self.read_buf.reserve(got.len().max(1024));
                        self.read_buf.extend_from_slice(got);
                    }
                    got.len()
                }
                Poll::Ready(Err(e)) => return Err(Error::io(e)),
                Poll::Pending => {
                    self.read_blocked = true;
                    return Ok(false);
                }
            }
        } else {
            if self.read_buf.capacity() - self.read_buf.len() < 1024 {
                self.read_buf.reserve(READ_CHUNK);
            }
            match tokio_util::io::poll_read_buf(Pin::new(io), cx, &mut self.read_buf) {
                Poll::Ready(Ok(n)) => n,
                Poll::Ready(Err(e)) => return Err(Error::io(e)),
                Poll::Pending => {
                    self.read_blocked = true;
                    return Ok(false);
                }
            }
        };
        if n == 0 {
            self.eof = true;
            self.codec.receive_eof();
        }
        Ok(true)
    }

    fn poll_read(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        match self.phase {
            Phase::Idle => self.read_head(cx),
            Phase::Ready(_) | Phase::Service(_) | Phase::Body(..) => match self.req_body {
                ReqBody::Streaming => self.read_body(cx),
                ReqBody::Complete => {
                    // watch for the client vanishing while the handler works; what arrives
                    // (a pipelined request) waits in the buffer
                    if matches!(self.phase, Phase::Service(_)) && self.read_buf.len() < READ_AHEAD {
                        self.fill(cx)
                    } else {
                        Ok(false)
                    }
                }
            },
            Phase::Upgrading | Phase::Closing(_) => Ok(false),
        }
    }

    fn read_head(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        if self.read_buf.is_empty() {
            if self.shutdown {
                self.phase = Phase::Closing(None);
                return Ok(true);
            }
            if !self.eof {
                // nothing to decode yet
                return self.fill(cx);
            }
        }
        match self.codec.decode_next(&mut self.read_buf) {
            Ok(Some(Incoming::Head(head))) => {
                self.start_exchange(head);
                Ok(true)
            }
            Ok(Some(_)) => Err(Error::internal("body event without a request")),
            Ok(None) => {
                if self.codec.conn().their_state() == State::Closed {
                    self.phase = Phase::Closing(None);
                    return Ok(true);
                }
                self.fill(cx)
            }
            Err(e) => {
                self.protocol_error(e);
                Ok(true)
            }
        }
    }

    fn read_body(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        let Some(ex) = self.ex.clone() else {
            return Ok(false);
        };
        if ex.is_body_dropped() {
            // nobody reads the rest: drop what is already here, never read more for it
            self.discard_buffered_body();
            return Ok(false);
        }
        if !ex.wants_data() {
            return Ok(false);
        }
        if self.codec.conn().they_are_waiting_for_100_continue()
            && self.codec.conn().our_state() == State::SendResponse
        {
            let _ =
                self.codec
                    .interim_to(StatusCode::CONTINUE, &HeaderMap::new(), &mut self.write_buf);
        }
        match self.codec.decode_next(&mut self.read_buf) {
            Ok(Some(Incoming::Data(d))) => {
                ex.push_data(d);
                self.body_since = None;
                Ok(true)
            }
            Ok(Some(Incoming::End(trailers))) => {
                ex.push_end(trailers);
                self.req_body = ReqBody::Complete;
                Ok(true)
            }
            Ok(Some(Incoming::Head(_))) => Err(Error::internal("request head inside a body")),
            Ok(None) => self.fill(cx),
            Err(e) => {
                if let CodecError::Protocol(p) = &e {
                    ex.push_error(BodyError::protocol(*p));
                }
                self.protocol_error(e);
                Ok(true)
            }
        }
    }

    /// Decode and drop the request body bytes already buffered; returns whether it ended.
    fn discard_buffered_body(&mut self) -> bool {
        while self.req_body == ReqBody::Streaming {
            match self.codec.decode_next(&mut self.read_buf) {
                Ok(Some(Incoming::End(_))) => self.req_body = ReqBody::Complete,
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => return false,
            }
        }
        true
    }

    fn start_exchange(&mut self, head: RequestHead) {
        self.head_since = None;
        if head.unknown_expectation() {
            self.respond_error(
                StatusCode::EXPECTATION_FAILED,
                "only 100-continue is supported",
            );
            return;
        }
        if head.transfer_coded() && !self.settings.pass_transfer_coded {
            self.respond_error(
                StatusCode::NOT_IMPLEMENTED,
                "transfer codings other than chunked are not supported",
            );
            return;
        }
        let length = head.body_length();
        let upgrade = head.wants_upgrade();
        let request = head.request;
        let ex = Exchange::new();
        // a body that is already complete (none, or all here) needs no streaming
        self.req_body = ReqBody::Streaming;
        let body = match self.codec.decode_next(&mut self.read_buf) {
            Ok(Some(Incoming::End(None))) => {
                self.req_body = ReqBody::Complete;
                Body::empty()
            }
            Ok(Some(Incoming::End(Some(trailers)))) => {
                self.req_body = ReqBody::Complete;
                ex.push_end(Some(trailers));
                Body::streaming(ex.clone(), Some(0))
            }
            Ok(Some(Incoming::Data(d))) => {
                // the whole body is here: take its end too, the handler needs no round trip
                if length == Some(d.len() as u64) {
                    if let Ok(Some(Incoming::End(trailers))) =
                        self.codec.decode_next(&mut self.read_buf)
                    {
                        ex.push_end(trailers);
                        self.req_body = ReqBody::Complete;
                    }
                }
                ex.push_data(d);
                Body::streaming(ex.clone(), length)
            }
            Ok(Some(Incoming::Head(_))) | Ok(None) => Body::streaming(ex.clone(), length),
            Err(e) => {
                self.protocol_error(e);
                return;
            }
        };
        let mut request = request.map(|()| body);
        request.extensions_mut().insert(Interim::new(ex.clone()));
        if upgrade {
            let (tx, on) = OnUpgrade::pair();
            self.upgrade = Some(tx);
            request.extensions_mut().insert(on);
        }
        self.ex = Some(ex);
        self.registered = false;
        self.body_since = None;
        self.phase = Phase::Ready(Some(request));
    }

    // -- the service and the response

    fn poll_service<B>(&mut self, cx: &mut Context<'_>) -> bool
    where
        S: Service<Request<Body>, Response = Response<B>>,
        S::Error: Into<BoxError>,
        S::Future: Send + 'static,
        B: http_body::Body + Send + 'static,
        B::Data: Send,
        B::Error: Into<BoxError>,
    {
        if let Phase::Ready(req) = &mut self.phase {
            match self.service.poll_ready(cx) {
                Poll::Ready(Ok(())) => {
                    let Some(req) = req.take() else {
                        return false;
                    };
                    let fut = self.service.call(req);
                    self.phase = Phase::Service(Box::pin(async move {
                        match fut.await {
                            Ok(res) => Ok(res.map(|inner| Box::pin(MapBody { inner }) as ResBody)),
                            Err(e) => Err(e.into()),
                        }
                    }));
                    // and poll it at once: most handlers answer on their first poll
                    self.poll_service(cx);
                    return true;
                }
                Poll::Ready(Err(_)) => {
                    self.respond_error(StatusCode::SERVICE_UNAVAILABLE, "service unavailable");
                    return true;
                }
                Poll::Pending => return false,
            }
        }
        match &mut self.phase {
            Phase::Service(fut) => match fut.as_mut().poll(cx) {
                Poll::Ready(Ok(res)) => {
                    self.send_interims();
                    self.start_response(res);
                    true
                }
                Poll::Ready(Err(_)) => {
                    self.send_interims();
                    self.respond_error(StatusCode::INTERNAL_SERVER_ERROR, "the service failed");
                    true
                }
                Poll::Pending => self.send_interims(),
            },
            Phase::Body(..) => self.send_interims(),
            _ => false,
        }
    }

    /// Encode the interim responses the handler queued (h1x checks each); `true` if any.
    fn send_interims(&mut self) -> bool {
        let Some(ex) = &self.ex else {
            return false;
        };
        let queue = ex.take_queue();
        let any = !queue.is_empty();
        for q in queue {
            let sent = self
                .codec
                .interim_to(q.status, &q.headers, &mut self.write_buf)
                .map_err(InterimError::refused);
            if let Some(ack) = q.ack {
                let _ = ack.send(sent);
            }
        }
        any
    }

    fn start_response(&mut self, res: Response<ResBody>) {
        let (mut parts, body) = res.into_parts();
        if parts.status == StatusCode::SWITCHING_PROTOCOLS {
            match self
                .codec
                .interim_to(parts.status, &parts.headers, &mut self.write_buf)
            {
                Ok(()) => self.phase = Phase::Upgrading,
                Err(_) => self.respond_error(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "101 to a request that proposed no upgrade",
                ),
            }
            return;
        }
        if parts.status.is_informational() {
            self.respond_error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "a 1xx as the final response",
            );
            return;
        }
        let body_dropped = self.ex.as_ref().is_some_and(|ex| ex.is_body_dropped());
        let unread =
            self.req_body == ReqBody::Streaming && body_dropped && !self.discard_buffered_body();
        if unread || self.shutdown {
            // nobody will read the rest of the request: this connection cannot be reused
            parts
                .headers
                .insert(CONNECTION, HeaderValue::from_static("close"));
        }
        let content_length = if body.is_end_stream() {
            Some(0)
        } else {
            body.size_hint().exact()
        };
        let head = ResponseHead {
            status: parts.status,
            headers: &parts.headers,
            content_length,
        };
        if let Err(e) = self.codec.encode_response_head(&head, &mut self.write_buf) {
            let _ = e;
            self.respond_error(StatusCode::INTERNAL_SERVER_ERROR, "invalid response head");
            return;
        }
        if !self.codec.response_has_body() || content_length == Some(0) {
            self.finish_response(None);
        } else {
            self.phase = Phase::Body(body, None);
        }
    }

    fn poll_response_body(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        let Phase::Body(body, trailers) = &mut self.phase else {
            return Ok(false);
        };
        let mut progress = false;
        while self.write_buf.len() < HIGH_WATER {
            match body.as_mut().poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => {
                    progress = true;
                    match frame.into_data() {
                        Ok(d) if d.is_empty() => {}
                        Ok(d) => self
                            .codec
                            .encode_to(Outgoing::Data(&d), &mut self.write_buf)
                            .map_err(Error::codec)?,
                        Err(frame) => {
                            if let Ok(t) = frame.into_trailers() {
                                *trailers = Some(t);
                            }
                        }
                    }
                }
                Poll::Ready(None) => {
                    let trailers = trailers.take();
                    self.finish_response(trailers);
                    return Ok(true);
                }
                Poll::Ready(Some(Err(e))) => return Err(Error::body(e)),
                Poll::Pending => break,
            }
        }
        Ok(progress)
    }

    /// The response body is complete: end it, then the next request or close.
    fn finish_response(&mut self, trailers: Option<HeaderMap>) {
        if let Err(e) = self
            .codec
            .encode_to(Outgoing::End(trailers.as_ref()), &mut self.write_buf)
        {
            let _ = e;
            self.phase = Phase::Closing(None);
            return;
        }
        let dropped = self.ex.as_ref().map_or(true, |ex| ex.is_body_dropped());
        if self.req_body == ReqBody::Streaming && dropped {
            self.discard_buffered_body();
        }
        self.end_exchange(Some(BodyError::closed()));
        if self.req_body == ReqBody::Complete && !self.shutdown && self.codec.start_next_cycle() {
            self.phase = Phase::Idle;
            self.idle_since = None;
            self.head_since = None;
        } else {
            // the client may have sent more (pipelined requests, an unread body): read and
            // drop it for a while after our FIN, so that it does not reset the answer away
            self.phase = Phase::Closing(Some(Instant::now() + self.settings.linger));
        }
    }

    fn end_exchange(&mut self, error: Option<BodyError>) {
        if let Some(ex) = self.ex.take() {
            ex.close(error);
        }
        self.upgrade = None;
    }

    /// An idle connection's empty buffers give their memory back: idle connections cost little.
    fn release_idle_buffers(&mut self) {
        if self.read_buf.is_empty() {
            self.read_buf = BytesMut::new();
        }
        self.write_buf.release();
    }

    // -- errors

    fn protocol_error(&mut self, e: CodecError) {
        match e.status() {
            Some(status) => self.respond_error(status, &e.to_string()),
            None => {
                self.end_exchange(Some(BodyError::closed()));
                self.phase = Phase::Closing(None);
            }
        }
    }

    /// Answer `status` with `Connection: close` if no response started yet; then close. The
    /// handler, if any, is dropped.
    fn respond_error(&mut self, status: StatusCode, message: &str) {
        self.end_exchange(Some(BodyError::closed()));
        let linger = Some(Instant::now() + self.settings.linger);
        self.phase = Phase::Closing(linger);
        let conn = self.codec.conn();
        if !matches!(conn.our_state(), State::Idle | State::SendResponse) {
            return;
        }
        let body = format!("{} {}\n", status, message);
        let mut headers = HeaderMap::new();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        headers.insert(CONNECTION, HeaderValue::from_static("close"));
        let head = ResponseHead {
            status,
            headers: &headers,
            content_length: Some(body.len() as u64),
        };
        let _ = self
            .codec
            .encode_response_head(&head, &mut self.write_buf)
            .map_err(CodecError::from)
            .and_then(|()| {
                if self.codec.response_has_body() {
                    self.codec
                        .encode_to(Outgoing::Data(body.as_bytes()), &mut self.write_buf)?;
                }
                self.codec
                    .encode_to(Outgoing::End(None), &mut self.write_buf)
            });
    }

    // -- writing and closing

    fn poll_write(&mut self, cx: &mut Context<'_>) -> Result<bool, Error> {
        let Some(io) = self.io.as_mut() else {
            self.write_buf.clear();
            return Ok(false);
        };
        let mut progress = false;
        while !self.write_buf.is_empty() {
            match Pin::new(&mut *io).poll_write(cx, self.write_buf.pending()) {
                Poll::Ready(Ok(0)) => {
                    self.codec.send_failed();
                    return Err(Error::io(io::ErrorKind::WriteZero.into()));
                }
                Poll::Ready(Ok(n)) => {
                    self.write_buf.advance(n);
                    progress = true;
                }
                Poll::Ready(Err(e)) => {
                    self.codec.send_failed();
                    return Err(Error::io(e));
                }
                Poll::Pending => return Ok(progress),
            }
        }
        if progress {
            if let Poll::Ready(Err(e)) = Pin::new(&mut *io).poll_flush(cx) {
                return Err(Error::io(e));
            }
        }
        Ok(progress)
    }

    /// Shut the write side, then read (and drop) until the client closes or the linger time
    /// passes, so that unread request bytes do not turn into a reset that destroys the answer.
    fn poll_close(&mut self, cx: &mut Context<'_>) -> Result<Poll<()>, Error> {
        let Some(io) = self.io.as_mut() else {
            return Ok(Poll::Ready(()));
        };
        if Pin::new(&mut *io).poll_shutdown(cx).is_pending() {
            return Ok(Poll::Pending);
        }
        let Phase::Closing(Some(_)) = self.phase else {
            self.io = None;
            return Ok(Poll::Ready(()));
        };
        let mut scratch = [0u8; 4096];
        loop {
            let mut rb = ReadBuf::new(&mut scratch);
            match Pin::new(&mut *io).poll_read(cx, &mut rb) {
                Poll::Ready(Ok(())) if rb.filled().is_empty() => break,
                Poll::Ready(Ok(())) => continue,
                Poll::Ready(Err(_)) => break,
                Poll::Pending => return Ok(Poll::Pending),
            }
        }
        self.io = None;
        Ok(Poll::Ready(()))
    }

    /// After the 101: the socket and the bytes already read go to the handler's `OnUpgrade`.
    fn hand_over(&mut self) {
        let rest: Bytes = self.read_buf.split().freeze();
        if let (Some(io), Some(tx)) = (self.io.take(), self.upgrade.take()) {
            let _ = tx.send(Upgraded::new(Box::new(io), rest));
        }
        self.end_exchange(None);
    }
}

//! The demo server over `std::net`: one thread per connection, read and write timeouts, h1x for
//! every byte in and out, `h1x::HeartbeatSchedule` deciding when each `102 Processing` is due.
//!
//! Robustness rules: every malformed request gets the status h1x suggests (400, 413, 414, 431,
//! 501, 505) or 417/408 with `Connection: close`; a silent or slow client only holds its own
//! thread (and only for `idle`, a whole head must arrive within `idle`); nothing a client sends
//! can panic the server.

use crate::app::{self, Route, ServerSettings, JOB_STEPS, PROGRESS_HEADER};
use h1x::{
    find_header, Connection, Decisions, Event, Expectation, Framing, Header, HeartbeatSchedule,
    Role, Span, State, Version,
};
use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Most connections served at once; more get a 503.
const MAX_CONNECTIONS: usize = 512;
/// Header storage per request: its length is the header-count limit (431 beyond).
const MAX_HEADERS: usize = 64;
/// A stalled job is abandoned (503) after this long.
const STALL_GIVE_UP: Duration = Duration::from_secs(60);

/// Accept connections forever, each on its own thread.
pub fn serve(listener: TcpListener, settings: ServerSettings) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let stream = match stream {
            Ok(s) => s,
            Err(e) => {
                // e.g. out of file descriptors: wait a little rather than spin
                eprintln!("server: accept failed: {e}");
                std::thread::sleep(Duration::from_millis(50));
                continue;
            }
        };
        if active.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::AcqRel);
            refuse(stream);
            continue;
        }
        let active = Arc::clone(&active);
        let spawned = std::thread::Builder::new()
            .name("h1x-conn".into())
            .spawn(move || {
                if let Ok(peer) = Peer::new(stream, settings) {
                    peer.run();
                }
                active.fetch_sub(1, Ordering::AcqRel);
            });
        if let Err(e) = spawned {
            eprintln!("server: cannot spawn a thread: {e}");
        }
    }
}

/// Answer 503 without reading anything (too many connections).
fn refuse(mut stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let mut conn = Connection::new(Role::Server);
    let body = b"too many connections\n";
    let headers = [
        Header::new("Content-Length", "21"),
        Header::new("Connection", "close"),
        Header::new("Retry-After", "1"),
    ];
    let mut out = [0u8; 256];
    if let Ok(n) = conn.encode(&Event::response(503, &headers), &mut out) {
        let _ = stream.write_all(&out[..n]);
        let _ = stream.write_all(body);
    }
}

/// Why an exchange ended early.
#[derive(Debug)]
enum Fail {
    /// The client broke the protocol: answer the suggested status.
    Protocol(h1x::Error),
    /// The client was silent too long; `mid_message` when it had started a request.
    Timeout { mid_message: bool },
    /// The client went away, or the socket failed.
    Io(io::Error),
    /// Something we were about to send was refused by h1x (a bug in this server).
    Local(h1x::Error),
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Io(e)
    }
}

/// What the client sent, copied out of the read buffer (the app layer may allocate; h1x does not).
#[derive(Debug)]
struct Req {
    method: Vec<u8>,
    target: Vec<u8>,
    version: Version,
    content_type: Option<Vec<u8>>,
    /// What h1x decided about the head: framing, expectation, transfer coding.
    decided: Decisions,
}

impl Req {
    /// Whether the request declared no body at all.
    fn bodiless(&self) -> bool {
        self.decided.framing == Framing::None
    }

    /// The declared length, when the body has one.
    fn content_length(&self) -> Option<u64> {
        match self.decided.framing {
            Framing::Length(n) => Some(n),
            _ => None,
        }
    }
}

enum In {
    Request(Req),
    Data(Range<usize>),
    End,
    Closed,
    Paused,
}

struct Peer {
    stream: TcpStream,
    addr: SocketAddr,
    conn: Connection,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    out: Vec<u8>,
    settings: ServerSettings,
    /// When the first byte of the current head arrived (a whole head must come within `idle`).
    head_since: Option<Instant>,
}

impl Peer {
    fn new(stream: TcpStream, settings: ServerSettings) -> io::Result<Self> {
        stream.set_nodelay(true)?;
        stream.set_write_timeout(Some(settings.idle))?;
        stream.set_read_timeout(Some(settings.idle))?;
        let addr = stream.peer_addr()?;
        Ok(Peer {
            stream,
            addr,
            conn: Connection::new(Role::Server),
            buf: vec![0; 64 * 1024],
            start: 0,
            end: 0,
            out: vec![0; 4096],
            settings,
            head_since: None,
        })
    }

    fn run(mut self) {
        loop {
            match self.exchange() {
                Ok(true) => {
                    if self.conn.start_next_cycle().is_err() {
                        break;
                    }
                }
                Ok(false) => break,
                Err(fail) => {
                    self.fail(fail);
                    break;
                }
            }
        }
        self.close();
    }

    /// Close gracefully: stop sending, then read (and drop) what the client still sends for a
    /// moment, so that our last response is not destroyed by a reset.
    fn close(&mut self) {
        let _ = self.stream.shutdown(Shutdown::Write);
        let _ = self
            .stream
            .set_read_timeout(Some(Duration::from_millis(200)));
        let mut sink = [0u8; 16 * 1024];
        let mut drained = 0;
        while drained < 4 * 1024 * 1024 {
            match self.stream.read(&mut sink) {
                Ok(0) | Err(_) => break,
                Ok(n) => drained += n,
            }
        }
    }

    /// One request and its response. `Ok(true)`: the connection may carry another.
    fn exchange(&mut self) -> Result<bool, Fail> {
        let req = match self.next()? {
            In::Request(r) => r,
            In::Closed => return Ok(false),
            In::Paused | In::Data(_) | In::End => return Ok(false),
        };
        let route = app::route(&req.method, &req.target);
        let status = if req.decided.transfer_coded {
            let body = b"transfer codings other than chunked are not supported\n";
            self.simple(501, "text/plain", body, &req)?
        } else if req.decided.expect == Expectation::Unknown {
            self.simple(417, "text/plain", b"only 100-continue is supported\n", &req)?
        } else {
            match route {
                Route::Index => {
                    self.discard_body()?;
                    self.simple(
                        200,
                        "text/plain; charset=utf-8",
                        app::index_page().as_bytes(),
                        &req,
                    )?
                }
                Route::Panorama => self.panorama(&req)?,
                Route::Upload(ref name) => self.upload(&req, name)?,
                Route::MethodNotAllowed(allow) => {
                    let body = app::error_json("method not allowed");
                    self.respond(
                        405,
                        &[("Allow", allow)],
                        "application/json",
                        body.as_bytes(),
                        &req,
                    )?;
                    405
                }
                Route::NotFound => self.simple(
                    404,
                    "application/json",
                    app::error_json("not found").as_bytes(),
                    &req,
                )?,
            }
        };
        if self.settings.log {
            eprintln!(
                "server: {} {} {} -> {status}",
                self.addr,
                String::from_utf8_lossy(&req.method),
                String::from_utf8_lossy(&req.target)
            );
        }
        if !self.conn.keep_alive() || self.conn.our_state() != State::Done {
            return Ok(false);
        }
        // a bodiless or fully read request still owes its EndOfMessage event
        while self.conn.their_state() == State::SendBody {
            match self.next()? {
                In::End => {}
                In::Data(_) => {}
                _ => return Ok(false),
            }
        }
        Ok(self.conn.their_state() == State::Done)
    }

    /// POST /api/generate-panorama: validate, 103, job with 102 heartbeats, 200.
    fn panorama(&mut self, req: &Req) -> Result<u16, Fail> {
        if let Some(ct) = &req.content_type {
            if !app::is_json(ct) {
                let body = app::error_json("Content-Type must be application/json");
                return self.simple(415, "application/json", body.as_bytes(), req);
            }
        }
        if req.content_length().is_some_and(|n| n > app::MAX_JSON_BODY) {
            let body = app::error_json("body too large");
            return self.simple(413, "application/json", body.as_bytes(), req);
        }
        self.continue_if_expected()?;
        let mut body = Vec::new();
        loop {
            match self.next()? {
                In::Data(r) => {
                    if body.len() + r.len() > app::MAX_JSON_BODY as usize {
                        let msg = app::error_json("body too large");
                        return self.simple(413, "application/json", msg.as_bytes(), req);
                    }
                    body.extend_from_slice(&self.buf[r]);
                }
                In::End => break,
                _ => return Err(Fail::Timeout { mid_message: true }),
            }
        }
        if let Err(msg) = app::validate_panorama(&body) {
            return self.simple(
                400,
                "application/json",
                app::error_json(&msg).as_bytes(),
                req,
            );
        }
        let interim_ok = req.version == Version::Http11;
        if interim_ok {
            let links = app::EARLY_HINTS.map(|l| Header::new("Link", l));
            self.send(&Event::interim(103, &links))?;
        }
        if !self.run_job(interim_ok)? {
            let body = app::error_json("the job stalled");
            return self.simple(503, "application/json", body.as_bytes(), req);
        }
        self.simple(200, "application/json", app::PANORAMA_DONE.as_bytes(), req)
    }

    /// PUT /files/NAME: 100 Continue when asked, stream the body in and count it, job with 102
    /// heartbeats, 201 Created.
    fn upload(&mut self, req: &Req, name: &str) -> Result<u16, Fail> {
        if req.content_length().is_some_and(|n| n > app::MAX_UPLOAD) {
            let body = app::error_json("upload too large");
            return self.simple(413, "application/json", body.as_bytes(), req);
        }
        self.continue_if_expected()?;
        let mut received: u64 = 0;
        loop {
            match self.next()? {
                In::Data(r) => {
                    received += r.len() as u64;
                    if received > app::MAX_UPLOAD {
                        let body = app::error_json("upload too large");
                        return self.simple(413, "application/json", body.as_bytes(), req);
                    }
                }
                In::End => break,
                _ => return Err(Fail::Timeout { mid_message: true }),
            }
        }
        let interim_ok = req.version == Version::Http11;
        if !self.run_job(interim_ok)? {
            let body = app::error_json("processing stalled");
            return self.simple(503, "application/json", body.as_bytes(), req);
        }
        let location = format!("{}{name}", app::FILES_PREFIX);
        let body = app::upload_done(name, received);
        self.respond(
            201,
            &[("Location", &location)],
            "application/json",
            body.as_bytes(),
            req,
        )?;
        Ok(201)
    }

    fn continue_if_expected(&mut self) -> Result<(), Fail> {
        if self.conn.they_are_waiting_for_100_continue() {
            self.send(&Event::interim(100, &[]))?;
        }
        Ok(())
    }

    /// Run the simulated job, sending `102 Processing` with `Progress` whenever the heartbeat
    /// schedule says one is due. `Ok(false)`: the job stalled and was abandoned.
    fn run_job(&mut self, interim_ok: bool) -> Result<bool, Fail> {
        let clock = Instant::now();
        let (job, done) = app::spawn_job(self.settings.job, self.settings.stall);
        let mut beat = HeartbeatSchedule::new(self.settings.heartbeat);
        beat.start(clock.elapsed());
        let mut beats = 0u32;
        let result = loop {
            let now = clock.elapsed();
            // wake for the next heartbeat, and at least every 100 ms to notice a vanished client
            let wait = beat
                .time_until_due(now)
                .unwrap_or(Duration::MAX)
                .min(Duration::from_millis(100));
            match done.recv_timeout(wait) {
                Ok(()) => break Ok(true),
                Err(RecvTimeoutError::Disconnected) => break Ok(false),
                Err(RecvTimeoutError::Timeout) => {}
            }
            if self.client_gone() {
                break Err(Fail::Io(io::ErrorKind::ConnectionAborted.into()));
            }
            let now = clock.elapsed();
            if self.settings.stall && now > STALL_GIVE_UP {
                break Ok(false);
            }
            if interim_ok && beat.is_due(now) && done.try_recv().is_ok() {
                break Ok(true); // finished just now: the final response beats the heartbeat
            }
            if interim_ok && beat.poll(now) {
                if self.settings.stall && beats >= 1 {
                    // --stall: the heartbeats stop after the first one, the job hangs
                    beat.stop();
                    continue;
                }
                let progress = job.progress();
                let headers = [Header::new(PROGRESS_HEADER, &progress)];
                if let Err(e) = self.send(&Event::interim(102, &headers)) {
                    break Err(e);
                }
                beats += 1;
            }
        };
        job.cancel();
        debug_assert!(job.done() <= JOB_STEPS);
        result
    }

    /// Whether the client closed its side (or reset) while we were working. Bytes it sent in
    /// the meantime (a pipelined request) stay in the socket for later.
    fn client_gone(&mut self) -> bool {
        if self.stream.set_nonblocking(true).is_err() {
            return true;
        }
        let mut probe = [0u8; 1];
        let gone = match self.stream.peek(&mut probe) {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => e.kind() != io::ErrorKind::WouldBlock,
        };
        gone || self.stream.set_nonblocking(false).is_err()
    }

    /// Read and drop the rest of the request body.
    fn discard_body(&mut self) -> Result<(), Fail> {
        while self.conn.their_state() == State::SendBody {
            match self.next()? {
                In::Data(_) => {}
                In::End => break,
                _ => return Err(Fail::Timeout { mid_message: true }),
            }
        }
        Ok(())
    }

    /// A final response with a body; returns its status.
    fn simple(&mut self, status: u16, ctype: &str, body: &[u8], req: &Req) -> Result<u16, Fail> {
        self.respond(status, &[], ctype, body, req)?;
        Ok(status)
    }

    fn respond(
        &mut self,
        status: u16,
        extra: &[(&str, &str)],
        ctype: &str,
        body: &[u8],
        req: &Req,
    ) -> Result<(), Fail> {
        let len = body.len().to_string();
        let mut headers = vec![
            Header::new("Content-Type", ctype),
            Header::new("Content-Length", &len),
        ];
        headers.extend(extra.iter().map(|(n, v)| Header::new(*n, *v)));
        if self.conn.their_state() == State::SendBody && !req.bodiless() {
            // answering before the body was read: do not wait for (or parse) the rest of it
            headers.push(Header::new("Connection", "close"));
        }
        self.send(&Event::response(status, &headers))?;
        if req.method != b"HEAD" {
            self.send(&Event::Data(body))?;
        }
        self.send(&Event::end())
    }

    /// Encode one event (growing the output buffer if h1x says so) and write it.
    fn send(&mut self, event: &Event<'_, '_>) -> Result<(), Fail> {
        loop {
            match self.conn.encode(event, &mut self.out) {
                Ok(n) => {
                    if let Err(e) = self.stream.write_all(&self.out[..n]) {
                        self.conn.send_failed();
                        return Err(Fail::Io(e));
                    }
                    return Ok(());
                }
                Err(e) => match e.kind() {
                    h1x::ErrorKind::BufferTooSmall { needed } => self.out.resize(needed, 0),
                    _ => return Err(Fail::Local(e)),
                },
            }
        }
    }

    /// The error path: answer if we still can, then the connection closes.
    fn fail(&mut self, fail: Fail) {
        let (status, message) = match &fail {
            Fail::Protocol(e) => (e.status(), e.to_string()),
            Fail::Timeout { mid_message: true } => (408, "request timed out".to_string()),
            Fail::Timeout { mid_message: false } => return,
            Fail::Io(e) => {
                if self.settings.log {
                    eprintln!("server: {} connection ended: {e}", self.addr);
                }
                return;
            }
            Fail::Local(e) => (500, format!("server bug: {e}")),
        };
        if self.settings.log {
            eprintln!("server: {} error {status}: {message}", self.addr);
        }
        if !matches!(self.conn.our_state(), State::Idle | State::SendResponse) {
            return;
        }
        let body = format!("{status} {}: {message}\n", h1x::reason_phrase(status));
        let len = body.len().to_string();
        let headers = [
            Header::new("Content-Type", "text/plain; charset=utf-8"),
            Header::new("Content-Length", &len),
            Header::new("Connection", "close"),
        ];
        let _ = self
            .send(&Event::response(status, &headers))
            .and_then(|()| self.send(&Event::Data(body.as_bytes())))
            .and_then(|()| self.send(&Event::end()));
    }

    /// The next event from the client, reading as needed.
    fn next(&mut self) -> Result<In, Fail> {
        loop {
            let mut headers = [Header::EMPTY; MAX_HEADERS];
            let avail = &self.buf[self.start..self.end];
            let (n, event) = self
                .conn
                .decode(avail, &mut headers)
                .map_err(Fail::Protocol)?;
            let base = self.start;
            let input = match event {
                Event::Request(r) => In::Request(Req {
                    method: r.method.to_vec(),
                    target: r.target.to_vec(),
                    version: r.version,
                    content_type: find_header(r.headers, "content-type").map(<[u8]>::to_vec),
                    decided: self
                        .conn
                        .received()
                        .expect("decisions come with every head"),
                }),
                Event::Data(d) => {
                    let at = Span::of(avail, d).expect("data lies in the input");
                    In::Data(at.shifted(base).range())
                }
                Event::EndOfMessage(_) => In::End,
                Event::ConnectionClosed => In::Closed,
                Event::Paused => In::Paused,
                Event::NeedData => {
                    self.start += n;
                    self.fill()?;
                    continue;
                }
                Event::InformationalResponse(_) | Event::Response(_) => In::Paused,
            };
            self.start += n;
            if matches!(input, In::Request(_)) {
                self.head_since = None;
            }
            return Ok(input);
        }
    }

    /// Read more bytes, within the deadlines.
    fn fill(&mut self) -> Result<(), Fail> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            // h1x's head limit (16 KiB) is well below the buffer: this cannot happen
            return Err(Fail::Local(h1x::Error::local(h1x::ErrorKind::HeadTooLarge)));
        }
        let idle = self.settings.idle;
        let in_head = self.conn.their_state() == State::Idle;
        let mid_message = !in_head || self.end > 0;
        let timeout = match self.head_since {
            Some(since) if in_head => idle.saturating_sub(since.elapsed()),
            _ => idle,
        };
        if timeout.is_zero() {
            return Err(Fail::Timeout { mid_message });
        }
        self.stream.set_read_timeout(Some(timeout))?;
        loop {
            return match self.stream.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.conn.receive_eof();
                    Ok(())
                }
                Ok(n) => {
                    if in_head && self.head_since.is_none() {
                        self.head_since = Some(Instant::now());
                    }
                    self.end += n;
                    Ok(())
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e)
                    if matches!(
                        e.kind(),
                        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                    ) =>
                {
                    Err(Fail::Timeout { mid_message })
                }
                Err(e) => Err(Fail::Io(e)),
            };
        }
    }
}

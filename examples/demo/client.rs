//! The demo client over `std::net`: sends one request with h1x, prints every interim response as
//! it arrives (elapsed ms, status, reason, headers), then the final response and its body.
//!
//! Its idle timeout is an `h1x::InterimDeadline`: each interim response (and each piece of the
//! final body) pushes the deadline back, so a client that gives up after 2.5 s of silence survives
//! a job of any length as long as `102 Processing` keeps coming, and gives up when it stops.

use h1x::{Connection, Event, Header, InterimDeadline, Role};
use std::io::{self, IsTerminal, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Client settings.
#[derive(Debug, Clone, Copy)]
pub struct ClientSettings {
    /// Give up after this long without any response bytes or interim response.
    pub idle: Duration,
    /// How long to wait for `100 Continue` before sending the body anyway (RFC 9110 10.1.1).
    pub continue_wait: Duration,
}

/// What to send.
pub enum Body {
    /// A small body sent whole, with its Content-Type.
    Bytes(Vec<u8>, &'static str),
    /// `len` bytes streamed in pieces after `Expect: 100-continue`.
    Upload(u64),
}

/// How the exchange went.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Status codes of the interim responses, in order.
    pub interim: Vec<u16>,
    /// The final status, if one arrived.
    pub status: Option<u16>,
    pub body: Vec<u8>,
    pub timed_out: bool,
}

/// A `http://host[:port]/path` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub authority: String,
    pub path: String,
}

impl Url {
    pub fn parse(url: &str) -> Result<Url, String> {
        let rest = url
            .strip_prefix("http://")
            .ok_or_else(|| format!("only http:// URLs are supported: {url}"))?;
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        if authority.is_empty() || authority.contains('@') {
            return Err(format!("bad host in {url}"));
        }
        let authority = if authority
            .rsplit_once(':')
            .is_some_and(|(_, p)| !p.contains(']'))
        {
            authority.to_string()
        } else {
            format!("{authority}:80")
        };
        Ok(Url {
            authority,
            path: path.to_string(),
        })
    }

    /// The Host header value (the default port dropped).
    pub fn host(&self) -> &str {
        self.authority
            .strip_suffix(":80")
            .unwrap_or(&self.authority)
    }
}

/// The timeline printer: elapsed milliseconds since the request started.
pub struct Timeline {
    start: Instant,
    tty: bool,
}

const INDENT: &str = "              ";

impl Timeline {
    pub fn new() -> Self {
        Timeline {
            start: Instant::now(),
            tty: io::stdout().is_terminal(),
        }
    }

    fn stamp(&self) -> String {
        format!("[{:>7.1} ms]", self.start.elapsed().as_secs_f64() * 1000.0)
    }

    fn line(&self, text: &str) {
        let mut out = io::stdout().lock();
        let _ = writeln!(out, "{} {text}", self.stamp());
        let _ = out.flush();
    }

    fn headers(&self, headers: &[Header<'_>]) {
        let mut out = io::stdout().lock();
        for h in headers {
            let _ = writeln!(
                out,
                "{INDENT}{}: {}",
                String::from_utf8_lossy(h.name),
                String::from_utf8_lossy(h.value)
            );
        }
        let _ = out.flush();
    }

    fn note(&self, text: &str) {
        println!("{INDENT}{text}");
    }

    /// Redraw the upload progress in place (terminals only).
    fn upload_progress(&self, sent: u64, total: u64) {
        if self.tty && total > 0 {
            print!(
                "\r{INDENT}uploading {} {:>4}/{} MiB",
                bar(sent, total, 24),
                sent >> 20,
                total >> 20
            );
            let _ = io::stdout().flush();
        }
    }

    fn clear_progress(&self) {
        if self.tty {
            print!("\r\x1b[2K");
            let _ = io::stdout().flush();
        }
    }
}

/// A text progress bar.
pub fn bar(done: u64, total: u64, width: usize) -> String {
    let filled = if total == 0 {
        0
    } else {
        ((done.min(total) as u128 * width as u128) / total as u128) as usize
    };
    format!("[{}{}]", "█".repeat(filled), "░".repeat(width - filled))
}

/// `<- 102 Processing` (`<- 102` when the server sent no reason phrase).
fn status_line(status: u16, reason: &[u8]) -> String {
    if reason.is_empty() {
        format!("<- {status}")
    } else {
        format!("<- {status} {}", String::from_utf8_lossy(reason))
    }
}

/// Parse our `Progress: done/total` header value.
pub fn parse_progress(value: &[u8]) -> Option<(u64, u64)> {
    let text = std::str::from_utf8(value).ok()?;
    let (a, b) = text.trim().split_once('/')?;
    let (a, b) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (b > 0 && a <= b).then_some((a, b))
}

/// The response side of the connection: a read buffer and the h1x state machine.
struct Reader {
    stream: TcpStream,
    conn: Connection,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    out: Vec<u8>,
}

/// An owned response event, for the caller.
enum Got {
    Interim(u16),
    Final(u16),
    Data,
    End,
}

enum ReadError {
    Timeout,
    Other(String),
}

impl Reader {
    fn send(&mut self, event: &Event<'_, '_>) -> io::Result<()> {
        loop {
            match self.conn.encode(event, &mut self.out) {
                Ok(n) => return self.stream.write_all(&self.out[..n]),
                Err(e) => match e.kind() {
                    h1x::ErrorKind::BufferTooSmall { needed } => self.out.resize(needed, 0),
                    _ => return Err(io::Error::other(e.to_string())),
                },
            }
        }
    }

    /// The next response event, printing heads as they arrive. Reads until `deadline` at most.
    fn next(
        &mut self,
        timeline: &Timeline,
        body: &mut Vec<u8>,
        deadline: Instant,
    ) -> Result<Got, ReadError> {
        loop {
            let mut headers = [Header::EMPTY; 64];
            let avail = &self.buf[self.start..self.end];
            let (n, event) = self
                .conn
                .decode(avail, &mut headers)
                .map_err(|e| ReadError::Other(format!("bad response: {e}")))?;
            let got = match event {
                Event::InformationalResponse(r) => {
                    let progress = r
                        .headers
                        .iter()
                        .find(|h| h.is(crate::app::PROGRESS_HEADER))
                        .and_then(|h| parse_progress(h.value));
                    let mut text = status_line(r.status, r.reason);
                    if let (Some((done, total)), true) = (progress, timeline.tty) {
                        text.push_str(&format!("  {} {done}/{total}", bar(done, total, 20)));
                    }
                    timeline.line(&text);
                    timeline.headers(r.headers);
                    Got::Interim(r.status)
                }
                Event::Response(r) => {
                    timeline.line(&status_line(r.status, r.reason));
                    timeline.headers(r.headers);
                    Got::Final(r.status)
                }
                Event::Data(d) => {
                    body.extend_from_slice(d);
                    Got::Data
                }
                Event::EndOfMessage(_) => Got::End,
                Event::ConnectionClosed => {
                    return Err(ReadError::Other("connection closed".into()));
                }
                Event::NeedData => {
                    self.start += n;
                    self.fill(deadline)?;
                    continue;
                }
                Event::Paused | Event::Request(_) => {
                    return Err(ReadError::Other("unexpected event".into()));
                }
            };
            self.start += n;
            return Ok(got);
        }
    }

    fn fill(&mut self, deadline: Instant) -> Result<(), ReadError> {
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            return Err(ReadError::Other("response head too large".into()));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(ReadError::Timeout);
        }
        self.stream
            .set_read_timeout(Some(left))
            .map_err(|e| ReadError::Other(e.to_string()))?;
        loop {
            return match self.stream.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.conn.receive_eof();
                    Ok(())
                }
                Ok(n) => {
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
                    Err(ReadError::Timeout)
                }
                Err(e) => Err(ReadError::Other(e.to_string())),
            };
        }
    }
}

/// Send one request to `url` and print its timeline.
pub fn exchange(
    url: &Url,
    method: &str,
    body: Body,
    settings: ClientSettings,
) -> Result<Outcome, String> {
    let addr = url
        .authority
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {}: {e}", url.authority))?
        .next()
        .ok_or_else(|| format!("no address for {}", url.authority))?;
    let stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    stream
        .set_write_timeout(Some(Duration::from_secs(30)))
        .map_err(|e| e.to_string())?;
    let timeline = Timeline::new();
    let mut r = Reader {
        stream,
        conn: Connection::new(Role::Client),
        buf: vec![0; 64 * 1024],
        start: 0,
        end: 0,
        out: vec![0; 4096],
    };

    // the request head
    let len = match &body {
        Body::Bytes(b, _) => b.len() as u64,
        Body::Upload(n) => *n,
    }
    .to_string();
    let mut headers = vec![
        Header::new("Host", url.host()),
        Header::new("User-Agent", "h1x-demo/0.1"),
    ];
    if let Body::Bytes(_, ctype) = &body {
        headers.push(Header::new("Content-Type", *ctype));
    }
    headers.push(Header::new("Content-Length", &len));
    if let Body::Upload(_) = body {
        headers.push(Header::new("Content-Type", "video/mp4"));
        headers.push(Header::new("Expect", "100-continue"));
    }
    let request = Event::request(method, &url.path, &headers);
    r.send(&request)
        .map_err(|e| format!("cannot send the request: {e}"))?;
    timeline.line(&format!("-> {method} {} HTTP/1.1", url.path));
    timeline.headers(&headers);

    let mut outcome = Outcome::default();
    let mut final_seen = false;
    match &body {
        Body::Bytes(bytes, _) => {
            r.send(&Event::Data(bytes)).map_err(|e| e.to_string())?;
            r.send(&Event::end()).map_err(|e| e.to_string())?;
            timeline.line(&format!(
                "-> body: {} bytes {}",
                bytes.len(),
                String::from_utf8_lossy(bytes)
            ));
        }
        Body::Upload(total) => {
            // wait for 100 Continue (102/103 do not count: RFC 9110 10.1.1) or a final answer
            let waited_until = Instant::now() + settings.continue_wait;
            let mut sink = Vec::new();
            loop {
                match r.next(&timeline, &mut sink, waited_until) {
                    Ok(Got::Interim(100)) => {
                        outcome.interim.push(100);
                        break;
                    }
                    Ok(Got::Interim(s)) => outcome.interim.push(s),
                    Ok(Got::Final(s)) => {
                        outcome.status = Some(s);
                        final_seen = true;
                        break;
                    }
                    Ok(_) => {}
                    Err(ReadError::Timeout) => {
                        timeline.note(&format!(
                            "(no 100 Continue after {} ms: sending the body anyway)",
                            settings.continue_wait.as_millis()
                        ));
                        break;
                    }
                    Err(ReadError::Other(e)) => return Err(e),
                }
            }
            if !final_seen {
                // the wait ended with 100 Continue or with our timer: the body goes out
                if let Err(e) = upload(&mut r, &timeline, *total) {
                    timeline.note(&format!("(upload stopped: {e})"));
                }
            }
        }
    }

    // the response: any number of interim responses, then the final one
    let clock = Instant::now();
    let mut deadline = InterimDeadline::new(settings.idle, clock.elapsed());
    let mut body_bytes = Vec::new();
    loop {
        let until = clock + deadline.deadline();
        match r.next(&timeline, &mut body_bytes, until) {
            Ok(Got::Interim(s)) => {
                outcome.interim.push(s);
                deadline.extend(clock.elapsed());
            }
            Ok(Got::Final(s)) => {
                outcome.status = Some(s);
                deadline.extend(clock.elapsed());
            }
            Ok(Got::Data) => deadline.extend(clock.elapsed()),
            Ok(Got::End) => break,
            Err(ReadError::Timeout) => {
                timeline.line(&format!(
                    "xx no response and no interim response for {} ms: giving up \
                     (h1x::InterimDeadline expired)",
                    settings.idle.as_millis()
                ));
                outcome.timed_out = true;
                return Ok(outcome);
            }
            Err(ReadError::Other(e)) => return Err(e),
        }
    }
    match std::str::from_utf8(&body_bytes) {
        Ok(text) if body_bytes.len() <= 2048 => timeline.line(&format!(
            "<- body: {} bytes {}",
            body_bytes.len(),
            text.trim_end()
        )),
        _ => timeline.line(&format!("<- body: {} bytes", body_bytes.len())),
    }
    outcome.body = body_bytes;
    let interim: Vec<String> = outcome.interim.iter().map(u16::to_string).collect();
    timeline.note(&format!(
        "= final {} after {:.0} ms, interim responses before it: {}",
        outcome.status.unwrap_or(0),
        timeline.start.elapsed().as_secs_f64() * 1000.0,
        if interim.is_empty() {
            "none".to_string()
        } else {
            interim.join(", ")
        }
    ));
    Ok(outcome)
}

/// Stream `total` bytes of body in 256 KiB pieces.
fn upload(r: &mut Reader, timeline: &Timeline, total: u64) -> Result<(), String> {
    let piece = vec![0x5a_u8; 256 * 1024];
    let started = Instant::now();
    let mut sent = 0u64;
    while sent < total {
        let n = (total - sent).min(piece.len() as u64) as usize;
        r.send(&Event::Data(&piece[..n]))
            .map_err(|e| e.to_string())?;
        sent += n as u64;
        if sent % (1 << 20) == 0 {
            timeline.upload_progress(sent, total);
        }
    }
    r.send(&Event::end()).map_err(|e| e.to_string())?;
    timeline.clear_progress();
    let secs = started.elapsed().as_secs_f64().max(1e-6);
    timeline.line(&format!(
        "-> body: {sent} bytes streamed ({:.1} MiB in {:.0} ms, {:.0} MiB/s)",
        sent as f64 / 1048576.0,
        secs * 1000.0,
        sent as f64 / 1048576.0 / secs
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        let u = Url::parse("http://127.0.0.1:8080/api/generate-panorama").unwrap();
        assert_eq!(u.authority, "127.0.0.1:8080");
        assert_eq!(u.path, "/api/generate-panorama");
        let u = Url::parse("http://example.com").unwrap();
        assert_eq!(
            (u.authority.as_str(), u.path.as_str(), u.host()),
            ("example.com:80", "/", "example.com")
        );
        assert!(Url::parse("https://example.com/").is_err());
        assert!(Url::parse("http:///x").is_err());
    }

    #[test]
    fn progress_header() {
        assert_eq!(parse_progress(b"3/10"), Some((3, 10)));
        assert_eq!(parse_progress(b" 10 / 10 "), Some((10, 10)));
        assert_eq!(parse_progress(b"11/10"), None);
        assert_eq!(parse_progress(b"1/0"), None);
        assert_eq!(parse_progress(b"half"), None);
    }

    #[test]
    fn bars() {
        assert_eq!(bar(3, 10, 10), "[███░░░░░░░]");
        assert_eq!(bar(0, 0, 4), "[░░░░]");
        assert_eq!(bar(20, 10, 4), "[████]");
    }
}

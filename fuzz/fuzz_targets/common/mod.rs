//! Shared by the connection targets: owned events, and a driver that follows the wire-vector
//! runner's rules (`core/tests/vectors/README.md`) so that every finding can be written down as a
//! vector and replayed by the stable suite.
#![allow(dead_code)]

use h1x::{Config, Connection, Event, Header, Leniency, Role, State, Version};

pub type Fields = Vec<(Vec<u8>, Vec<u8>)>;

/// An event, owning its bytes. Header names are kept as received (the vectors lower-case them;
/// here the comparisons are between two runs of h1x, or against names we generated).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ev {
    Request {
        method: Vec<u8>,
        target: Vec<u8>,
        version: Version,
        headers: Fields,
    },
    Interim {
        status: u16,
        reason: Vec<u8>,
        version: Version,
        headers: Fields,
    },
    Response {
        status: u16,
        reason: Vec<u8>,
        version: Version,
        headers: Fields,
    },
    Data(Vec<u8>),
    End(Fields),
    Closed,
    Paused,
}

pub fn fields(h: &[Header<'_>]) -> Fields {
    h.iter()
        .map(|h| (h.name.to_vec(), h.value.to_vec()))
        .collect()
}

pub fn owned(ev: &Event<'_, '_>) -> Option<Ev> {
    Some(match ev {
        Event::Request(r) => Ev::Request {
            method: r.method.to_vec(),
            target: r.target.to_vec(),
            version: r.version,
            headers: fields(r.headers),
        },
        Event::InformationalResponse(r) => Ev::Interim {
            status: r.status,
            reason: r.reason.to_vec(),
            version: r.version,
            headers: fields(r.headers),
        },
        Event::Response(r) => Ev::Response {
            status: r.status,
            reason: r.reason.to_vec(),
            version: r.version,
            headers: fields(r.headers),
        },
        Event::Data(d) => Ev::Data(d.to_vec()),
        Event::EndOfMessage(t) => Ev::End(fields(t)),
        Event::ConnectionClosed => Ev::Closed,
        Event::Paused => Ev::Paused,
        Event::NeedData => return None,
    })
}

/// The request a client sends (and sends again after each complete keep-alive cycle).
#[derive(Debug, Clone)]
pub struct Req {
    pub method: Vec<u8>,
    pub target: Vec<u8>,
    pub headers: Fields,
    /// Body bytes, framed by the caller's own Content-Length / Transfer-Encoding field.
    pub body: Vec<u8>,
}

impl Req {
    pub fn get() -> Req {
        Req {
            method: b"GET".to_vec(),
            target: b"/".to_vec(),
            headers: vec![(b"Host".to_vec(), b"example.com".to_vec())],
            body: vec![],
        }
    }
}

/// Config from one byte: bits 0-3 leniencies, bit 5 small limits (so short inputs reach them).
pub fn config_from(b: u8) -> Config {
    let mut cfg = Config::default().lenient(Leniency::from_bits_truncate(b & 0x0f));
    if b & 0x20 != 0 {
        cfg.max_head_bytes = 256;
        cfg.max_line_bytes = 64;
        cfg.max_trailer_bytes = 64;
        cfg.max_chunk_ext_bytes = 16;
    }
    cfg
}

/// What a run produced: the events (consecutive data merged) and the error's kind and offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub events: Vec<Ev>,
    pub error: Option<(&'static str, usize)>,
}

pub struct Driver {
    pub conn: Connection,
    pub request: Req,
    pub events: Vec<Ev>,
    max_headers: usize,
    /// The client's request body is held back until the 100-continue wait ends.
    body_pending: bool,
    out: Vec<u8>,
}

impl Driver {
    pub fn new(role: Role, cfg: Config, max_headers: usize, request: Req) -> Driver {
        let mut d = Driver {
            conn: Connection::with_config(role, cfg),
            request,
            events: vec![],
            max_headers,
            body_pending: false,
            out: vec![0; 64 * 1024],
        };
        if role == Role::Client {
            d.send_request();
        }
        d
    }

    fn send(&mut self, ev: &Event<'_, '_>) {
        let out = &mut self.out;
        if let Err(e) = self.conn.encode(ev, out) {
            panic!("driver could not send {ev:?}: {e}");
        }
    }

    fn send_request(&mut self) {
        let req = self.request.clone();
        let headers: Vec<Header<'_>> = req
            .headers
            .iter()
            .map(|(n, v)| Header { name: n, value: v })
            .collect();
        self.send(&Event::Request(h1x::Request {
            method: &req.method,
            target: &req.target,
            version: Version::Http11,
            headers: &headers,
        }));
        if self.conn.client_is_waiting_for_100_continue() {
            self.body_pending = true;
        } else {
            self.send_body();
        }
    }

    fn send_body(&mut self) {
        self.body_pending = false;
        if self.conn.our_state() != State::SendBody {
            return;
        }
        let body = self.request.body.clone();
        if !body.is_empty() {
            self.send(&Event::Data(&body));
        }
        self.send(&Event::end());
    }

    /// The runner's rule 3: the server answers an empty 200, both sides start the next cycle,
    /// a client sends its request again.
    fn cycle(&mut self) {
        let server = self.conn.role() == Role::Server;
        if server
            && self.conn.our_state() == State::SendResponse
            && self.conn.their_state() == State::Done
        {
            self.send(&Event::response(200, &[Header::new("Content-Length", "0")]));
            self.send(&Event::end());
        }
        if self.conn.our_state() == State::Done && self.conn.their_state() == State::Done {
            self.conn.start_next_cycle().expect("both sides are DONE");
            if !server {
                self.send_request();
            }
        }
    }

    /// Take events from `buf` until `NeedData`; returns false once decoding stopped for good.
    pub fn pump(&mut self, buf: &mut Vec<u8>) -> Result<bool, h1x::Error> {
        let mut idle_steps = 0;
        loop {
            let mut headers = vec![Header::EMPTY; self.max_headers];
            let (n, ev) = self.conn.decode(buf, &mut headers)?;
            assert!(n <= buf.len(), "consumed {n} of {}", buf.len());
            let owned = owned(&ev);
            let waiting_before = self.body_pending;
            drop(headers);
            buf.drain(..n);
            // no event may come without progress forever
            idle_steps = if n == 0 { idle_steps + 1 } else { 0 };
            assert!(idle_steps < 64, "64 events without consuming a byte");
            let Some(ev) = owned else { return Ok(true) };
            // RFC 9110 10.1.1: only a 100 or a final response ends the 100-continue wait
            if waiting_before {
                let waiting = self.conn.client_is_waiting_for_100_continue();
                match &ev {
                    Ev::Interim { status: 100, .. } | Ev::Response { .. } => {
                        assert!(!waiting, "still waiting for 100 after {ev:?}")
                    }
                    Ev::Interim { .. } => assert!(waiting, "a {ev:?} ended the 100-continue wait"),
                    _ => {}
                }
                if !waiting {
                    self.send_body();
                }
            }
            let stop = matches!(ev, Ev::Paused | Ev::Closed);
            let eom = matches!(ev, Ev::End(_));
            match (self.events.last_mut(), ev) {
                (Some(Ev::Data(prev)), Ev::Data(more)) => prev.extend_from_slice(&more),
                (_, ev) => self.events.push(ev),
            }
            if stop {
                return Ok(false);
            }
            if eom {
                self.cycle();
            }
        }
    }
}

/// Runs `input` cut at `cuts` (ascending offsets into `input`) through a connection.
pub fn run(
    role: Role,
    cfg: Config,
    max_headers: usize,
    request: &Req,
    input: &[u8],
    cuts: &[usize],
    eof: bool,
) -> Outcome {
    let mut d = Driver::new(role, cfg, max_headers, request.clone());
    let mut buf = Vec::new();
    let mut prev = 0;
    let result: Result<(), h1x::Error> = (|| {
        for &cut in cuts.iter().chain(std::iter::once(&input.len())) {
            let cut = cut.clamp(prev, input.len());
            buf.extend_from_slice(&input[prev..cut]);
            prev = cut;
            if !d.pump(&mut buf)? {
                return Ok(());
            }
        }
        if eof {
            d.conn.receive_eof();
            d.pump(&mut buf)?;
        }
        Ok(())
    })();
    Outcome {
        events: d.events,
        error: result.err().map(|e| (e.kind().name(), e.offset())),
    }
}

/// Ascending cut points from raw bytes (two bytes each), for an input of `len` bytes.
pub fn cuts_from(raw: &[u8], len: usize) -> Vec<usize> {
    let mut cuts: Vec<usize> = raw
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]) as usize % (len + 1))
        .collect();
    cuts.sort_unstable();
    cuts
}

/// Every byte on its own.
pub fn every_byte(len: usize) -> Vec<usize> {
    (1..len).collect()
}

/// Field-value bytes (no CTL but HTAB, no DEL), without leading or trailing whitespace.
pub fn clean_value(v: &[u8]) -> Vec<u8> {
    let mut out: Vec<u8> = v
        .iter()
        .map(|&b| {
            if (b >= 0x20 && b != 0x7f) || b == b'\t' {
                b
            } else {
                b'v'
            }
        })
        .collect();
    while matches!(out.first(), Some(b' ' | b'\t')) {
        out.remove(0);
    }
    while matches!(out.last(), Some(b' ' | b'\t')) {
        out.pop();
    }
    out
}

pub fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A token (never empty).
pub fn clean_token(v: &[u8], fallback: &[u8]) -> Vec<u8> {
    let out: Vec<u8> = v
        .iter()
        .copied()
        .filter(|&b| is_tchar(b))
        .take(24)
        .collect();
    if out.is_empty() {
        fallback.to_vec()
    } else {
        out
    }
}

/// Names that change framing or the connection's state: generated extension fields never use
/// them, so the model stays simple.
pub const SEMANTIC: [&str; 8] = [
    "content-length",
    "transfer-encoding",
    "host",
    "connection",
    "upgrade",
    "expect",
    "te",
    "trailer",
];

/// An extension field name: a token that is none of [`SEMANTIC`].
pub fn clean_name(v: &[u8]) -> Vec<u8> {
    let mut n = clean_token(v, b"X-Fuzz");
    if SEMANTIC
        .iter()
        .any(|s| n.eq_ignore_ascii_case(s.as_bytes()))
    {
        n.insert(0, b'X');
    }
    n
}

/// Request-target bytes: VCHAR, never empty.
/// A reason phrase made of field bytes (others become `r`), at most 40 bytes.
pub fn clean_reason(r: &[u8]) -> Vec<u8> {
    r.iter()
        .map(|&b| {
            if (b >= 0x20 && b != 0x7f) || b == b'\t' {
                b
            } else {
                b'r'
            }
        })
        .take(40)
        .collect()
}

pub fn clean_target(v: &[u8]) -> Vec<u8> {
    // origin-form: `/` then VCHAR without `#` (a fragment is in no form)
    let mut out = vec![b'/'];
    out.extend(
        v.iter()
            .copied()
            .filter(|&b| (0x21..0x7f).contains(&b) && b != b'#')
            .take(63),
    );
    out
}

//! Inputs and workloads shared by the criterion benches (`benches/h1x.rs`), the report writer
//! (`src/bin/report.rs`) and this crate's tests, which check that h1x and httparse read every
//! shared input the same way before any number is believed.

use h1x::{Connection, Event, Header, Role};

/// httparse's own benchmark request (seanmonstar/httparse, `benches/parse.rs`, the "kittyhell"
/// browser GET; 703 bytes), reproduced byte for byte as a public test input.
pub const KITTYHELL: &[u8] = b"\
GET /wp-content/uploads/2010/03/hello-kitty-darth-vader-pink.jpg HTTP/1.1\r\n\
Host: www.kittyhell.com\r\n\
User-Agent: Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; ja-JP-mac; rv:1.9.2.3) Gecko/20100401 Firefox/3.6.3 Pathtraq/0.9\r\n\
Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n\
Accept-Language: ja,en-us;q=0.7,en;q=0.3\r\n\
Accept-Encoding: gzip,deflate\r\n\
Accept-Charset: Shift_JIS,utf-8;q=0.7,*;q=0.7\r\n\
Keep-Alive: 115\r\n\
Connection: keep-alive\r\n\
Cookie: wp_ozh_wsa_visits=2; wp_ozh_wsa_visit_lasttime=xxxxxxxxxx; __utma=xxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.xxxxxxxxxx.x; __utmz=xxxxxxxxx.xxxxxxxxxx.x.x.utmccn=(referral)|utmcsr=reader.livedoor.com|utmcct=/reader/|utmcmd=referral\r\n\r\n";

/// httparse's short request (same source).
pub const REQ_SHORT: &[u8] = b"\
GET / HTTP/1.0\r\n\
Host: example.com\r\n\
Cookie: session=60; user_id=1\r\n\r\n";

/// A short final response head.
pub const RESP_SHORT: &[u8] = b"\
HTTP/1.1 200 OK\r\n\
Date: Sat, 28 Nov 2026 22:00:00 GMT\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Length: 13\r\n\r\n";

/// Three heads back to back: `102`, `103` with two `Link` fields, then the final `200`.
pub const INTERIM: &[u8] = b"\
HTTP/1.1 102 Processing\r\n\r\n\
HTTP/1.1 103 Early Hints\r\n\
Link: </style.css>; rel=preload; as=style\r\n\
Link: </app.js>; rel=preload; as=script\r\n\r\n\
HTTP/1.1 200 OK\r\n\
Content-Type: text/html; charset=utf-8\r\n\
Content-Length: 0\r\n\r\n";

/// How many heads [`INTERIM`] holds.
pub const INTERIM_HEADS: usize = 3;

/// A chunk-size line with an extension.
pub const CHUNK_SIZE: &[u8] = b"1f40;name=value\r\n";

/// The shared inputs: benchmark name and bytes (`chunk_size` is a chunk line, the rest heads).
pub const SHARED: [(&str, &[u8]); 5] = [
    ("kittyhell", KITTYHELL),
    ("req_short", REQ_SHORT),
    ("resp_short", RESP_SHORT),
    ("interim", INTERIM),
    ("chunk_size", CHUNK_SIZE),
];

/// Header storage size used by both parsers.
pub const MAX_HEADERS: usize = 16;

/// h1x, strict defaults: parses one request head; returns its length.
#[inline]
pub fn h1x_request(parser: &mut h1x::HeadParser, buf: &[u8]) -> usize {
    let mut headers = [Header::EMPTY; MAX_HEADERS];
    match parser.parse_request(buf, &mut headers) {
        Ok(h1x::Status::Complete((n, req))) => {
            std::hint::black_box(req.headers);
            n
        }
        other => panic!("h1x request: {other:?}"),
    }
}

/// httparse: parses one request head; returns its length.
#[inline]
pub fn httparse_request(buf: &[u8]) -> usize {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(buf) {
        Ok(httparse::Status::Complete(n)) => {
            std::hint::black_box(&req.headers);
            n
        }
        other => panic!("httparse request: {other:?}"),
    }
}

/// h1x: parses every response head in `buf` (interim ones included); returns the bytes used.
#[inline]
pub fn h1x_responses(parser: &mut h1x::HeadParser, buf: &[u8]) -> usize {
    let mut at = 0;
    while at < buf.len() {
        let mut headers = [Header::EMPTY; MAX_HEADERS];
        match parser.parse_response(&buf[at..], &mut headers) {
            Ok(h1x::Status::Complete((n, res))) => {
                std::hint::black_box(res.headers);
                at += n
            }
            other => panic!("h1x response: {other:?}"),
        }
    }
    at
}

/// httparse: parses every response head in `buf`; returns the bytes used.
#[inline]
pub fn httparse_responses(buf: &[u8]) -> usize {
    let mut at = 0;
    while at < buf.len() {
        let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut res = httparse::Response::new(&mut headers);
        match res.parse(&buf[at..]) {
            Ok(httparse::Status::Complete(n)) => {
                std::hint::black_box(&res.headers);
                at += n
            }
            other => panic!("httparse response: {other:?}"),
        }
    }
    at
}

/// h1x: one chunk-size line, strict; returns (line length, size).
#[inline]
pub fn h1x_chunk_size(cfg: &h1x::Config, buf: &[u8]) -> (usize, u64) {
    match h1x::parse_chunk_size(buf, cfg) {
        Ok(h1x::Status::Complete(r)) => r,
        other => panic!("h1x chunk size: {other:?}"),
    }
}

/// httparse: one chunk-size line; returns (line length, size).
#[inline]
pub fn httparse_chunk_size(buf: &[u8]) -> (usize, u64) {
    match httparse::parse_chunk_size(buf) {
        Ok(httparse::Status::Complete(r)) => r,
        other => panic!("httparse chunk size: {other:?}"),
    }
}

/// Runs the shared input `name` through h1x; returns the bytes consumed.
pub fn run_h1x(name: &str, bytes: &[u8], parser: &mut h1x::HeadParser, cfg: &h1x::Config) -> usize {
    match name {
        "kittyhell" | "req_short" => h1x_request(parser, bytes),
        "chunk_size" => h1x_chunk_size(cfg, bytes).0,
        _ => h1x_responses(parser, bytes),
    }
}

/// Runs the shared input `name` through httparse; returns the bytes consumed.
pub fn run_httparse(name: &str, bytes: &[u8]) -> usize {
    match name {
        "kittyhell" | "req_short" => httparse_request(bytes),
        "chunk_size" => httparse_chunk_size(bytes).0,
        _ => httparse_responses(bytes),
    }
}

/// A byte buffer written by one side's `encode` calls.
pub struct Wire {
    /// The bytes.
    pub buf: Vec<u8>,
    /// How many are used.
    pub len: usize,
}

impl Wire {
    /// An empty wire of `cap` bytes.
    pub fn with_capacity(cap: usize) -> Self {
        Wire {
            buf: vec![0; cap],
            len: 0,
        }
    }

    /// Encodes `ev` on `conn` and appends the bytes.
    #[inline]
    pub fn send(&mut self, conn: &mut Connection, ev: &Event<'_, '_>) {
        let n = conn.encode(ev, &mut self.buf[self.len..]).expect("encode");
        self.len += n;
    }

    /// The bytes written so far.
    pub fn bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// The request body pieces of the cycle (sent as two chunks) and its trailer.
pub const REQ_BODY: [&[u8]; 2] = [b"{\"scene\":\"alps\",", b"\"quality\":\"high\"}"];
/// The response body: 1 KiB.
pub const RESP_BODY: [u8; 1024] = [b'x'; 1024];

/// The request fields of the cycle.
pub fn request_fields() -> [Header<'static>; 3] {
    [
        Header::new("Host", "render.example"),
        Header::new("Content-Type", "application/json"),
        Header::new("Transfer-Encoding", "chunked"),
    ]
}

/// The two `Link` fields of the `103`.
pub fn links() -> [Header<'static>; 2] {
    [
        Header::new("Link", "</style.css>; rel=preload; as=style"),
        Header::new("Link", "</app.js>; rel=preload; as=script"),
    ]
}

/// Client side of one cycle: the request with a chunked body and a trailer.
pub fn client_send(client: &mut Connection, out: &mut Wire) {
    let fields = request_fields();
    out.send(
        client,
        &Event::request("POST", "/api/generate-panorama", &fields),
    );
    for piece in REQ_BODY {
        out.send(client, &Event::Data(piece));
    }
    out.send(
        client,
        &Event::EndOfMessage(&[Header::new("Digest", "sha-256=abc")]),
    );
}

/// Server side of one cycle: 102, 102, 103 (two `Link`s), then 200 with a 1 KiB chunked body
/// and a trailer.
pub fn server_send(server: &mut Connection, out: &mut Wire) {
    out.send(server, &Event::interim(102, &[]));
    out.send(
        server,
        &Event::interim(102, &[Header::new("Progress", "5/10")]),
    );
    let links = links();
    out.send(server, &Event::interim(103, &links));
    out.send(
        server,
        &Event::response(200, &[Header::new("Content-Type", "application/json")]),
    );
    out.send(server, &Event::Data(&RESP_BODY));
    out.send(
        server,
        &Event::EndOfMessage(&[Header::new("Server-Timing", "render;dur=3000")]),
    );
}

/// What a side saw while decoding: heads, interim heads, body bytes, trailer fields.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Request or final response heads.
    pub heads: usize,
    /// Interim (1xx) heads.
    pub interim: usize,
    /// Body bytes.
    pub data: usize,
    /// Trailer fields.
    pub trailers: usize,
}

/// Decodes every event of `wire` on `conn` until the message ends; returns what it saw.
#[inline]
pub fn drain(conn: &mut Connection, wire: &[u8]) -> Seen {
    let mut seen = Seen::default();
    let mut at = 0;
    loop {
        let mut headers = [Header::EMPTY; MAX_HEADERS];
        let (n, ev) = conn.decode(&wire[at..], &mut headers).expect("decode");
        at += n;
        match ev {
            Event::Request(_) | Event::Response(_) => seen.heads += 1,
            Event::InformationalResponse(_) => seen.interim += 1,
            Event::Data(d) => seen.data += d.len(),
            Event::EndOfMessage(t) => {
                seen.trailers += t.len();
                return seen;
            }
            other => panic!("unexpected {other:?} at {at}"),
        }
    }
}

/// The bytes a client sends in one cycle (what the server decodes).
pub fn request_wire() -> Wire {
    let mut c = Connection::new(Role::Client);
    let mut w = Wire::with_capacity(4096);
    client_send(&mut c, &mut w);
    w
}

/// The bytes a server sends in one cycle (what the client decodes), after `request_wire`.
pub fn response_wire() -> Wire {
    let mut s = Connection::new(Role::Server);
    let req = request_wire();
    drain(&mut s, req.bytes());
    let mut w = Wire::with_capacity(4096);
    server_send(&mut s, &mut w);
    w
}

/// A request head followed by a chunked body of `total` bytes in chunks of `chunk` bytes.
pub fn chunked_upload(total: usize, chunk: usize) -> Vec<u8> {
    let mut c = Connection::new(Role::Client);
    let mut w = Wire::with_capacity(total + total / chunk * 16 + 4096);
    let fields = [
        Header::new("Host", "upload.example"),
        Header::new("Transfer-Encoding", "chunked"),
    ];
    w.send(&mut c, &Event::request("PUT", "/blob", &fields));
    let data = vec![b'z'; chunk];
    let mut left = total;
    while left > 0 {
        let n = left.min(chunk);
        w.send(&mut c, &Event::Data(&data[..n]));
        left -= n;
    }
    w.send(&mut c, &Event::end());
    w.bytes().to_vec()
}

/// A typical final response head, for encoding throughput.
pub fn encode_fields() -> [Header<'static>; 6] {
    [
        Header::new("Date", "Sat, 28 Nov 2026 22:00:00 GMT"),
        Header::new("Server", "h1x"),
        Header::new("Content-Type", "text/html; charset=utf-8"),
        Header::new("Content-Length", "13452"),
        Header::new("Cache-Control", "public, max-age=3600"),
        Header::new("Link", "</style.css>; rel=preload; as=style"),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kittyhell_is_httparse_bench_request() {
        assert_eq!(KITTYHELL.len(), 703);
        assert_eq!(
            KITTYHELL.iter().filter(|&&b| b == b'\n').count(),
            11,
            "start line, nine fields, empty line"
        );
    }

    /// Both parsers must agree on every shared input before their times are compared.
    #[test]
    fn h1x_and_httparse_agree_on_every_shared_input() {
        let cfg = h1x::Config::default();
        for (name, bytes) in SHARED {
            let mut p = h1x::HeadParser::new();
            assert_eq!(
                run_h1x(name, bytes, &mut p, &cfg),
                run_httparse(name, bytes),
                "{name}"
            );
        }
        // field by field for the big one
        let mut h = [Header::EMPTY; MAX_HEADERS];
        let (_, req) = h1x::parse_request(KITTYHELL, &mut h)
            .unwrap()
            .complete()
            .unwrap();
        let mut hh = [httparse::EMPTY_HEADER; MAX_HEADERS];
        let mut r = httparse::Request::new(&mut hh);
        r.parse(KITTYHELL).unwrap();
        assert_eq!(req.method, r.method.unwrap().as_bytes());
        assert_eq!(req.target, r.path.unwrap().as_bytes());
        assert_eq!(req.headers.len(), r.headers.len());
        for (a, b) in req.headers.iter().zip(r.headers.iter()) {
            assert_eq!(a.name, b.name.as_bytes());
            assert_eq!(a.value, b.value);
        }
        assert_eq!(h1x_chunk_size(&cfg, CHUNK_SIZE), (17, 0x1f40));
        assert_eq!(httparse_chunk_size(CHUNK_SIZE), (17, 0x1f40));
    }

    #[test]
    fn cycles_see_every_event() {
        let req = request_wire();
        let res = response_wire();
        let mut server = Connection::new(Role::Server);
        let mut client = Connection::new(Role::Client);
        for _ in 0..3 {
            let s = drain(&mut server, req.bytes());
            assert_eq!(
                s,
                Seen {
                    heads: 1,
                    interim: 0,
                    data: 33,
                    trailers: 1
                }
            );
            let mut out = Wire::with_capacity(4096);
            server_send(&mut server, &mut out);
            assert_eq!(out.bytes(), res.bytes());
            server.start_next_cycle().unwrap();

            let mut up = Wire::with_capacity(4096);
            client_send(&mut client, &mut up);
            assert_eq!(up.bytes(), req.bytes());
            let c = drain(&mut client, res.bytes());
            assert_eq!(
                c,
                Seen {
                    heads: 1,
                    interim: 3,
                    data: 1024,
                    trailers: 1
                }
            );
            client.start_next_cycle().unwrap();
        }
    }

    #[test]
    fn chunked_upload_decodes_whole() {
        let wire = chunked_upload(1 << 20, 4096);
        let mut server = Connection::new(Role::Server);
        let s = drain(&mut server, &wire);
        assert_eq!(s.data, 1 << 20);
        assert_eq!(s.heads, 1);
    }
}

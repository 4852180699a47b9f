//! Encoder properties, checked on thousands of generated events (a seeded xorshift generator, so
//! every run checks the same cases and a failure names its seed):
//!
//! * every event sequence the encoder accepts decodes back to the same events, whole and split;
//! * the encoder refuses every input that would put a rejected wire form on the wire (CR, LF,
//!   NUL or other control bytes in names and values, edge whitespace, non-token names and
//!   methods, bad targets, statuses and reasons), and every ambiguous framing.

use h1x::{
    encode_last_chunk, encode_request, encode_response, Connection, ErrorKind, Event, Header,
    Request, Response, Role, State, Version,
};

/// xorshift64*: small, deterministic, good enough to spread cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const TCHAR: &[u8] =
    b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/// Names the connection gives a meaning to: generated fields avoid them, framing is chosen apart.
const SPECIAL: &[&str] = &[
    "host",
    "content-length",
    "transfer-encoding",
    "connection",
    "upgrade",
    "expect",
];

fn token(rng: &mut Rng, max: usize) -> Vec<u8> {
    loop {
        let len = 1 + rng.below(max);
        let t: Vec<u8> = (0..len).map(|_| *rng.pick(TCHAR)).collect();
        if !SPECIAL.iter().any(|s| t.eq_ignore_ascii_case(s.as_bytes())) {
            return t;
        }
    }
}

/// A field value the encoder accepts: field-vchar (obs-text included), inner SP and HTAB.
fn value(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(24);
    let mut v: Vec<u8> = (0..len)
        .map(|_| match rng.below(10) {
            0 => b' ',
            1 => b'\t',
            2 => 0x80 + rng.below(0x80) as u8,
            _ => 0x21 + rng.below(0x5e) as u8,
        })
        .collect();
    while matches!(v.first(), Some(b' ' | b'\t')) {
        v.remove(0);
    }
    while matches!(v.last(), Some(b' ' | b'\t')) {
        v.pop();
    }
    v
}

fn reason(rng: &mut Rng) -> Vec<u8> {
    let len = rng.below(16);
    (0..len)
        .map(|_| match rng.below(8) {
            0 => b' ',
            1 => b'\t',
            2 => 0x80 + rng.below(0x80) as u8,
            _ => 0x21 + rng.below(0x5e) as u8,
        })
        .collect()
}

/// A Host value: a reg-name, sometimes with a port.
fn host(rng: &mut Rng) -> Vec<u8> {
    const HOST: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=";
    let mut h: Vec<u8> = (0..1 + rng.below(16)).map(|_| *rng.pick(HOST)).collect();
    if rng.chance(3) {
        h.extend_from_slice(format!(":{}", rng.below(65536)).as_bytes());
    }
    h
}

/// An origin-form target, or now and then an absolute-form one: any VCHAR but `#` (a fragment,
/// in no form) after the first `/`.
fn target(rng: &mut Rng) -> Vec<u8> {
    let mut t = if rng.chance(4) {
        b"http://example.com/".to_vec()
    } else {
        vec![b'/']
    };
    for _ in 0..rng.below(20) {
        let b = 0x21 + rng.below(0x5d) as u8;
        t.push(if b >= b'#' { b + 1 } else { b });
    }
    t
}

fn fields(rng: &mut Rng, max: usize) -> Vec<(Vec<u8>, Vec<u8>)> {
    (0..rng.below(max + 1))
        .map(|_| (token(rng, 16), value(rng)))
        .collect()
}

fn as_headers(f: &[(Vec<u8>, Vec<u8>)]) -> Vec<Header<'_>> {
    f.iter()
        .map(|(n, v)| Header { name: n, value: v })
        .collect()
}

/// An owned copy of a decoded event, to compare with what was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    Request(Vec<u8>, Vec<u8>, Version, Vec<(Vec<u8>, Vec<u8>)>),
    Interim(u16, Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>),
    Response(u16, Vec<u8>, Vec<(Vec<u8>, Vec<u8>)>),
    Data(Vec<u8>),
    End(Vec<(Vec<u8>, Vec<u8>)>),
}

fn owned(h: &[Header<'_>]) -> Vec<(Vec<u8>, Vec<u8>)> {
    h.iter()
        .map(|h| (h.name.to_vec(), h.value.to_vec()))
        .collect()
}

/// Decodes `wire` fed in pieces cut at `cuts`, until the message ends; data events merged.
fn decode_all(
    conn: &mut Connection,
    wire: &[u8],
    cuts: &[usize],
    until_final_end: bool,
) -> Vec<Ev> {
    let mut out: Vec<Ev> = vec![];
    let mut buf = Vec::new();
    let mut prev = 0;
    for &cut in cuts.iter().chain(std::iter::once(&wire.len())) {
        buf.extend_from_slice(&wire[prev..cut]);
        prev = cut;
        loop {
            let mut storage = [Header::EMPTY; 64];
            let (n, ev) = conn
                .decode(&buf, &mut storage)
                .expect("decode what was encoded");
            let e = match ev {
                Event::Request(r) => Some(Ev::Request(
                    r.method.to_vec(),
                    r.target.to_vec(),
                    r.version,
                    owned(r.headers),
                )),
                Event::InformationalResponse(r) => {
                    Some(Ev::Interim(r.status, r.reason.to_vec(), owned(r.headers)))
                }
                Event::Response(r) => {
                    Some(Ev::Response(r.status, r.reason.to_vec(), owned(r.headers)))
                }
                Event::Data(d) => Some(Ev::Data(d.to_vec())),
                Event::EndOfMessage(t) => Some(Ev::End(owned(t))),
                Event::NeedData => None,
                other => panic!("unexpected {other:?}"),
            };
            buf.drain(..n);
            let Some(e) = e else { break };
            let end = matches!(e, Ev::End(_));
            match (out.last_mut(), e) {
                (Some(Ev::Data(prev)), Ev::Data(d)) => prev.extend_from_slice(&d),
                (_, e) => out.push(e),
            }
            if end && until_final_end {
                assert!(buf.is_empty(), "bytes left after the message");
                return out;
            }
        }
    }
    out
}

fn encode(conn: &mut Connection, ev: &Event<'_, '_>, wire: &mut Vec<u8>) {
    let mut out = vec![0u8; 8192];
    let n = conn
        .encode(ev, &mut out)
        .unwrap_or_else(|e| panic!("encode {ev:?}: {e}"));
    wire.extend_from_slice(&out[..n]);
}

/// One body to send: its framing field, its pieces, its trailers.
struct Body {
    framing: Option<(&'static str, String)>,
    pieces: Vec<Vec<u8>>,
    trailers: Vec<(Vec<u8>, Vec<u8>)>,
}

fn body(rng: &mut Rng, allow_none: bool) -> Body {
    let pieces: Vec<Vec<u8>> = (0..rng.below(4))
        .map(|_| (0..1 + rng.below(40)).map(|_| rng.next() as u8).collect())
        .collect();
    match rng.below(if allow_none { 3 } else { 2 }) {
        0 => Body {
            framing: Some((
                "Content-Length",
                pieces.iter().map(Vec::len).sum::<usize>().to_string(),
            )),
            pieces,
            trailers: vec![],
        },
        1 => Body {
            framing: Some(("Transfer-Encoding", "chunked".to_string())),
            pieces,
            trailers: fields(rng, 3),
        },
        _ => Body {
            framing: None,
            pieces: vec![],
            trailers: vec![],
        },
    }
}

fn random_cuts(rng: &mut Rng, len: usize) -> Vec<usize> {
    match rng.below(3) {
        0 => vec![],
        1 if len > 1 => vec![1 + rng.below(len - 1)],
        _ => {
            let mut c: Vec<usize> = (0..rng.below(6)).map(|_| rng.below(len + 1)).collect();
            c.sort_unstable();
            c
        }
    }
}

#[test]
fn accepted_events_decode_to_themselves() {
    for seed in 1..=1500u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let mut client = Connection::new(Role::Client);
        let mut server = Connection::new(Role::Server);
        // cycles on one connection: keep-alive must hold as well
        for _cycle in 0..1 + rng.below(3) {
            // ---- request: client encodes, server decodes
            let method = loop {
                let m = token(&mut rng, 8);
                if m != b"HEAD" && m != b"CONNECT" {
                    break m;
                }
            };
            let tgt = target(&mut rng);
            let mut req_fields = vec![(b"Host".to_vec(), host(&mut rng))];
            req_fields.extend(fields(&mut rng, 6));
            let b = body(&mut rng, true);
            if let Some((n, v)) = &b.framing {
                let at = rng.below(req_fields.len() + 1);
                req_fields.insert(at, (n.as_bytes().to_vec(), v.as_bytes().to_vec()));
            }
            let mut wire = vec![];
            let hs = as_headers(&req_fields);
            encode(
                &mut client,
                &Event::Request(Request {
                    method: &method,
                    target: &tgt,
                    version: Version::Http11,
                    headers: &hs,
                }),
                &mut wire,
            );
            for p in &b.pieces {
                encode(&mut client, &Event::Data(p), &mut wire);
            }
            let th = as_headers(&b.trailers);
            encode(&mut client, &Event::EndOfMessage(&th), &mut wire);
            let mut want = vec![Ev::Request(
                method.clone(),
                tgt.clone(),
                Version::Http11,
                req_fields.clone(),
            )];
            let sent: Vec<u8> = b.pieces.concat();
            if !sent.is_empty() {
                want.push(Ev::Data(sent));
            }
            want.push(Ev::End(b.trailers.clone()));
            let cuts = random_cuts(&mut rng, wire.len());
            let got = decode_all(&mut server, &wire, &cuts, true);
            assert_eq!(
                got,
                want,
                "seed {seed}: request {:?}",
                String::from_utf8_lossy(&wire)
            );

            // ---- interim responses and the final one: server encodes, client decodes
            let mut wire = vec![];
            let mut want = vec![];
            for _ in 0..rng.below(4) {
                let status = loop {
                    let s = 100 + rng.below(100) as u16;
                    if s != 101 {
                        break s;
                    }
                };
                let r = reason(&mut rng);
                let f = fields(&mut rng, 4);
                let hs = as_headers(&f);
                encode(
                    &mut server,
                    &Event::InformationalResponse(Response {
                        status,
                        reason: &r,
                        version: Version::Http11,
                        headers: &hs,
                    }),
                    &mut wire,
                );
                want.push(Ev::Interim(status, r, f));
            }
            let status = *rng.pick(&[200u16, 201, 204, 206, 304, 404, 500, 599, 999]);
            let bodiless = status == 204 || status == 304;
            let b = if bodiless {
                Body {
                    framing: None,
                    pieces: vec![],
                    trailers: vec![],
                }
            } else {
                body(&mut rng, false)
            };
            let r = reason(&mut rng);
            let mut res_fields = fields(&mut rng, 6);
            if let Some((n, v)) = &b.framing {
                let at = rng.below(res_fields.len() + 1);
                res_fields.insert(at, (n.as_bytes().to_vec(), v.as_bytes().to_vec()));
            }
            let hs = as_headers(&res_fields);
            encode(
                &mut server,
                &Event::Response(Response {
                    status,
                    reason: &r,
                    version: Version::Http11,
                    headers: &hs,
                }),
                &mut wire,
            );
            for p in &b.pieces {
                encode(&mut server, &Event::Data(p), &mut wire);
            }
            let th = as_headers(&b.trailers);
            encode(&mut server, &Event::EndOfMessage(&th), &mut wire);
            // a server writes the chunked framing itself: the caller's Transfer-Encoding field is
            // replaced by its own, after the other fields (Connection::encode's documented clean-up)
            let mut want_fields = res_fields.clone();
            if let Some(at) = want_fields
                .iter()
                .position(|(n, _)| n == b"Transfer-Encoding")
            {
                let te = want_fields.remove(at);
                want_fields.push(te);
            }
            want.push(Ev::Response(status, r, want_fields));
            let sent: Vec<u8> = b.pieces.concat();
            if !sent.is_empty() {
                want.push(Ev::Data(sent));
            }
            want.push(Ev::End(b.trailers.clone()));
            let cuts = random_cuts(&mut rng, wire.len());
            let got = decode_all(&mut client, &wire, &cuts, true);
            assert_eq!(
                got,
                want,
                "seed {seed}: response {:?}",
                String::from_utf8_lossy(&wire)
            );

            for c in [&mut client, &mut server] {
                assert_eq!((c.our_state(), c.their_state()), (State::Done, State::Done));
                c.start_next_cycle().unwrap();
            }
        }
    }
}

/// Every byte a field name may not hold, and every byte a value may not hold.
fn bad_name_bytes() -> Vec<u8> {
    (0..=255u8).filter(|b| !TCHAR.contains(b)).collect()
}

fn bad_value_bytes() -> Vec<u8> {
    (0..=255u8)
        .filter(|&b| (b < 0x20 && b != b'\t') || b == 0x7f)
        .collect()
}

fn insert_at(rng: &mut Rng, mut v: Vec<u8>, bytes: &[u8]) -> Vec<u8> {
    let b = *rng.pick(bytes);
    let at = rng.below(v.len() + 1);
    v.insert(at, b);
    v
}

#[test]
fn encoder_refuses_bytes_that_would_break_framing() {
    let bad_names = bad_name_bytes();
    let bad_values = bad_value_bytes();
    assert_eq!(bad_names.len(), 256 - TCHAR.len());
    let mut out = vec![0u8; 4096];
    let v11 = Version::Http11;
    let mut checked = 0;
    for seed in 1..=3000u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let good_name = token(&mut rng, 10);
        let good_value = value(&mut rng);
        // one defect per case, chosen at random
        let (name, val) = match rng.below(4) {
            0 => (
                insert_at(&mut rng, good_name.clone(), &bad_names),
                good_value.clone(),
            ),
            1 => (Vec::new(), good_value.clone()),
            2 => (
                good_name.clone(),
                insert_at(&mut rng, good_value.clone(), &bad_values),
            ),
            _ => {
                // leading or trailing whitespace would be trimmed by the peer: the value would change
                let ws = *rng.pick(b" \t");
                let mut v = good_value.clone();
                if rng.chance(2) {
                    v.insert(0, ws)
                } else {
                    v.push(ws)
                }
                (good_name.clone(), v)
            }
        };
        let want = if name == good_name {
            ErrorKind::InvalidHeaderValue
        } else {
            ErrorKind::InvalidHeaderName
        };
        let bad = [
            Header::new("Host", "a"),
            Header {
                name: &name,
                value: &val,
            },
        ];
        // every entry point refuses it
        let kinds = [
            encode_request(b"GET", b"/", v11, &bad, &mut out).map(|_| ()),
            encode_response(200, b"OK", v11, &bad[1..], &mut out).map(|_| ()),
            encode_response(103, b"Early Hints", v11, &bad[1..], &mut out).map(|_| ()),
            encode_last_chunk(&bad[1..], &mut out).map(|_| ()),
        ];
        for k in kinds {
            assert_eq!(
                k.map_err(|e| e.kind()),
                Err(want),
                "seed {seed}: {name:?}: {val:?}"
            );
        }
        // and so does a connection, whose state then says ERROR
        let mut c = Connection::new(Role::Client);
        let e = c
            .encode(&Event::request("GET", "/", &bad), &mut out)
            .unwrap_err();
        assert_eq!(e.kind(), want);
        assert_eq!(c.our_state(), State::Error);
        checked += 1;

        // methods, targets, statuses, reasons
        let method = insert_at(&mut rng, good_name.clone(), &bad_names);
        let e = encode_request(&method, b"/", v11, &bad[..1], &mut out).unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::InvalidMethod,
            "seed {seed}: {method:?}"
        );
        let bad_target_bytes: Vec<u8> = (0..=0x20u8).chain(0x7f..=0xff).chain([b'#']).collect();
        let t = target(&mut rng);
        let tgt = insert_at(&mut rng, t, &bad_target_bytes);
        let e = encode_request(b"GET", &tgt, v11, &bad[..1], &mut out).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidTarget, "seed {seed}: {tgt:?}");
        let status = if rng.chance(2) {
            rng.below(100) as u16
        } else {
            1000 + rng.below(64536) as u16
        };
        let e = encode_response(status, b"", v11, &[], &mut out).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidStatus, "seed {seed}: {status}");
        let r = reason(&mut rng);
        let r = insert_at(&mut rng, r, &bad_values);
        let e = encode_response(200, &r, v11, &[], &mut out).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidReason, "seed {seed}: {r:?}");
    }
    assert_eq!(checked, 3000);
    assert_eq!(
        encode_request(b"", b"/", v11, &[], &mut out)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidMethod
    );
    assert_eq!(
        encode_request(b"GET", b"", v11, &[], &mut out)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidTarget
    );
}

#[test]
fn encoder_refuses_ambiguous_framing() {
    let mut out = [0u8; 1024];
    let mut refused = |headers: &[Header<'_>]| {
        let mut c = Connection::new(Role::Client);
        c.encode(&Event::request("POST", "/", headers), &mut out)
            .map(|_| ())
            .map_err(|e| e.kind())
    };
    let host = Header::new("Host", "a");
    for (extra, kind) in [
        (
            vec![
                Header::new("Content-Length", "5"),
                Header::new("Transfer-Encoding", "chunked"),
            ],
            ErrorKind::ContentLengthWithTransferEncoding,
        ),
        (
            vec![
                Header::new("Content-Length", "5"),
                Header::new("Content-Length", "5"),
            ],
            ErrorKind::DuplicateContentLength,
        ),
        (
            vec![Header::new("Content-Length", "5, 6")],
            ErrorKind::DuplicateContentLength,
        ),
        (
            vec![Header::new("Content-Length", "+5")],
            ErrorKind::InvalidContentLength,
        ),
        (
            vec![Header::new("Content-Length", "")],
            ErrorKind::InvalidContentLength,
        ),
        (
            vec![Header::new("Transfer-Encoding", "chunked, gzip")],
            ErrorKind::InvalidTransferEncoding,
        ),
        (
            vec![
                Header::new("Transfer-Encoding", "chunked"),
                Header::new("Transfer-Encoding", "chunked"),
            ],
            ErrorKind::InvalidTransferEncoding,
        ),
        (
            vec![Header::new("Transfer-Encoding", "\"chunked\"")],
            ErrorKind::InvalidTransferEncoding,
        ),
        (vec![Header::new("Host", "b")], ErrorKind::DuplicateHost),
    ] {
        let mut h = vec![host];
        h.extend(extra);
        assert_eq!(refused(&h), Err(kind), "{h:?}");
    }
    assert_eq!(refused(&[]), Err(ErrorKind::MissingHost));
    assert_eq!(
        refused(&[Header::new("Host", "a b")]),
        Err(ErrorKind::InvalidHost)
    );
    // a CONNECT request has no content (RFC 9110 section 9.3.6)
    for framing in [
        Header::new("Content-Length", "10"),
        Header::new("Transfer-Encoding", "chunked"),
    ] {
        let mut c = Connection::new(Role::Client);
        let e = c
            .encode(
                &Event::request("CONNECT", "a:443", &[host, framing]),
                &mut out,
            )
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BodyInConnect, "{framing:?}");
    }

    // more or less body than Content-Length announces
    let mut c = Connection::new(Role::Client);
    c.encode(
        &Event::request("POST", "/", &[host, Header::new("Content-Length", "2")]),
        &mut out,
    )
    .unwrap();
    assert_eq!(
        c.encode(&Event::Data(b"abc"), &mut out).unwrap_err().kind(),
        ErrorKind::BodyLengthMismatch
    );
    let mut c = Connection::new(Role::Client);
    c.encode(
        &Event::request("POST", "/", &[host, Header::new("Content-Length", "2")]),
        &mut out,
    )
    .unwrap();
    assert_eq!(
        c.encode(&Event::end(), &mut out).unwrap_err().kind(),
        ErrorKind::BodyLengthMismatch
    );

    // a chunked response never carries the caller's Content-Length onto the wire
    let mut s = Connection::new(Role::Server);
    let mut h = [Header::EMPTY; 4];
    s.decode(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", &mut h)
        .unwrap();
    let n = s
        .encode(
            &Event::response(
                200,
                &[
                    Header::new("Content-Length", "5"),
                    Header::new("Transfer-Encoding", "chunked"),
                ],
            ),
            &mut out,
        )
        .unwrap();
    let head = String::from_utf8_lossy(&out[..n]).to_ascii_lowercase();
    assert!(!head.contains("content-length"), "{head}");
    assert_eq!(
        head.matches("transfer-encoding: chunked").count(),
        1,
        "{head}"
    );
}

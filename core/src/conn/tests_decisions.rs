//! [`Connection::received`] and [`Connection::sent`]: the decisions that travel with each head,
//! and the retry after `TooManyHeaders` that leaves the connection unchanged.

use super::*;
use crate::{ErrorKind, Header};
use std::vec;

fn received_request(head: &[u8]) -> Decisions {
    let mut s = Connection::new(Role::Server);
    let mut h = [Header::EMPTY; 16];
    let (_, ev) = s.decode(head, &mut h).unwrap();
    assert!(matches!(ev, Event::Request(_)), "{ev:?}");
    s.received().expect("decisions right after the head")
}

/// What a client decides about `response` to a `method` request that carried `fields`.
fn received_response(method: &str, fields: &[Header<'_>], response: &[u8]) -> Decisions {
    let mut c = Connection::new(Role::Client);
    let mut out = [0u8; 512];
    // CONNECT takes the authority-form (RFC 9110 section 9.3.6)
    let target = if method == "CONNECT" { "a:443" } else { "/" };
    c.encode(&Event::request(method, target, fields), &mut out)
        .unwrap();
    assert!(c.sent().is_some());
    c.encode(&Event::end(), &mut out).unwrap();
    assert!(c.sent().is_none(), "only right after a head");
    let mut h = [Header::EMPTY; 16];
    let (_, ev) = c.decode(response, &mut h).unwrap();
    assert!(ev.is_head(), "{ev:?}");
    c.received().unwrap()
}

const HOST: Header<'static> = Header {
    name: b"Host",
    value: b"a",
};

#[test]
fn request_framing_expectations_and_switches() {
    /// (head, framing, expect, keep_alive, upgrade, connect)
    type Case = (&'static [u8], Framing, Expectation, bool, bool, bool);
    let cases: &[Case] = &[
        // (head, framing, expect, keep_alive, upgrade, connect)
        (
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            Framing::None,
            Expectation::None,
            true,
            false,
            false,
        ),
        (
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n",
            Framing::None,
            Expectation::None,
            true,
            false,
            false,
        ),
        (
            b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 7\r\n\r\n",
            Framing::Length(7),
            Expectation::None,
            true,
            false,
            false,
        ),
        (
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            Framing::Chunked,
            Expectation::None,
            true,
            false,
            false,
        ),
        (
            b"PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\nExpect: 100-Continue\r\n\r\n",
            Framing::Length(9),
            Expectation::Continue,
            true,
            false,
            false,
        ),
        (
            b"PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 9\r\nExpect: 100-continue, x-y\r\n\r\n",
            Framing::Length(9),
            Expectation::Unknown,
            true,
            false,
            false,
        ),
        (
            b"PUT / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n",
            Framing::None,
            Expectation::Unknown,
            true,
            false,
            false,
        ),
        // RFC 9110 10.1.1: an HTTP/1.0 request's expectations are ignored; 1.0 does not persist
        (
            b"PUT / HTTP/1.0\r\nContent-Length: 9\r\nExpect: 100-continue\r\n\r\n",
            Framing::Length(9),
            Expectation::None,
            false,
            false,
            false,
        ),
        (
            b"GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive, close\r\n\r\n",
            Framing::None,
            Expectation::None,
            false,
            false,
            false,
        ),
        (
            b"GET /ws HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
            Framing::None,
            Expectation::None,
            true,
            true,
            false,
        ),
        (
            b"CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n",
            Framing::None,
            Expectation::None,
            true,
            false,
            true,
        ),
    ];
    for &(head, framing, expect, keep_alive, upgrade, connect) in cases {
        let d = received_request(head);
        let want = Decisions {
            version: if head.contains(&b'0') && head.windows(8).any(|w| w == b"HTTP/1.0") {
                Version::Http10
            } else {
                Version::Http11
            },
            framing,
            expect,
            keep_alive,
            upgrade,
            connect,
            transfer_coded: head.windows(4).any(|w| w == b"gzip"),
        };
        assert_eq!(d, want, "{}", std::string::String::from_utf8_lossy(head));
    }
}

#[test]
fn response_framing_as_the_request_decides_it() {
    let cl = b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n";
    assert_eq!(
        received_response("GET", &[HOST], cl).framing,
        Framing::Length(4)
    );
    assert_eq!(
        received_response("HEAD", &[HOST], cl).framing,
        Framing::None
    );
    for status in [&b"204 No Content"[..], b"304 Not Modified"] {
        let mut r = b"HTTP/1.1 ".to_vec();
        r.extend_from_slice(status);
        r.extend_from_slice(b"\r\nContent-Length: 4\r\n\r\n");
        assert_eq!(received_response("GET", &[HOST], &r).framing, Framing::None);
    }
    let d = received_response("GET", &[HOST], b"HTTP/1.0 200 OK\r\n\r\n");
    assert_eq!(
        (d.framing, d.version, d.keep_alive),
        (Framing::UntilClose, Version::Http10, false)
    );
    let d = received_response(
        "GET",
        &[HOST],
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
    );
    assert_eq!((d.framing, d.keep_alive), (Framing::Chunked, true));
    // a 1xx never has content, whatever it says
    let d = received_response(
        "GET",
        &[HOST],
        b"HTTP/1.1 103 Early Hints\r\nContent-Length: 5\r\n\r\n",
    );
    assert_eq!((d.framing, d.upgrade), (Framing::None, false));
    let ws = [
        HOST,
        Header::new("Upgrade", "websocket"),
        Header::new("Connection", "upgrade"),
    ];
    let d = received_response(
        "GET",
        &ws,
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n",
    );
    assert_eq!(
        (d.framing, d.upgrade, d.connect),
        (Framing::Tunnel, true, false)
    );
    let d = received_response(
        "CONNECT",
        &[Header::new("Host", "a:1")],
        b"HTTP/1.1 200 OK\r\n\r\n",
    );
    assert_eq!(
        (d.framing, d.upgrade, d.connect),
        (Framing::Tunnel, false, true)
    );
    let d = received_response(
        "CONNECT",
        &[Header::new("Host", "a:1")],
        b"HTTP/1.1 407 No\r\nContent-Length: 0\r\n\r\n",
    );
    assert_eq!((d.framing, d.connect), (Framing::None, true));
}

#[test]
fn sent_heads_report_the_framing_the_core_chose() {
    let mut out = [0u8; 512];
    let mut h = [Header::EMPTY; 16];
    // HTTP/1.1 client, no length: chunked is added
    let mut s = Connection::new(Role::Server);
    s.decode(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", &mut h)
        .unwrap();
    assert!(s.received().is_some());
    s.decode(b"", &mut h).unwrap();
    assert!(s.received().is_none());
    s.encode(&Event::interim(102, &[]), &mut out).unwrap();
    assert_eq!(s.sent().unwrap().framing, Framing::None);
    s.encode(&Event::response(200, &[]), &mut out).unwrap();
    let d = s.sent().unwrap();
    assert_eq!(
        (d.framing, d.keep_alive, d.expect),
        (Framing::Chunked, true, Expectation::None)
    );
    // a refused event keeps the last decisions (nothing changed)
    assert!(s.encode(&Event::Data(b"x"), &mut out[..1]).is_err());
    assert!(s.sent().is_some());
    s.encode(&Event::Data(b"x"), &mut out).unwrap();
    assert!(s.sent().is_none());

    // HTTP/1.0 client: close-delimited
    let mut s = Connection::new(Role::Server);
    s.decode(b"GET / HTTP/1.0\r\n\r\n", &mut h).unwrap();
    s.decode(b"", &mut h).unwrap();
    s.encode(&Event::response(200, &[]), &mut out).unwrap();
    let d = s.sent().unwrap();
    assert_eq!((d.framing, d.keep_alive), (Framing::UntilClose, false));

    // 101 after an Upgrade request
    let mut s = Connection::new(Role::Server);
    s.decode(b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: x\r\n\r\n", &mut h)
        .unwrap();
    s.decode(b"", &mut h).unwrap();
    s.encode(
        &Event::interim(101, &[Header::new("Upgrade", "x")]),
        &mut out,
    )
    .unwrap();
    let d = s.sent().unwrap();
    assert_eq!((d.framing, d.upgrade), (Framing::Tunnel, true));

    // a client's request, expectation included
    let mut c = Connection::new(Role::Client);
    let fields = [
        HOST,
        Header::new("Content-Length", "3"),
        Header::new("Expect", "100-continue"),
    ];
    c.encode(&Event::request("PUT", "/", &fields), &mut out)
        .unwrap();
    let d = c.sent().unwrap();
    assert_eq!(
        (d.framing, d.expect),
        (Framing::Length(3), Expectation::Continue)
    );
}

#[test]
fn too_many_headers_leaves_the_connection_unchanged() {
    let wire = b"GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n";
    let mut s = Connection::new(Role::Server);
    let mut small = [Header::EMPTY; 2];
    // at every split, the error comes once the head is complete, and changes nothing
    for cut in 0..=wire.len() {
        let before = std::format!("{s:?}");
        match s.decode(&wire[..cut], &mut small) {
            Ok((0, Event::NeedData)) => assert!(cut < wire.len()),
            Err(e) => {
                assert_eq!(cut, wire.len());
                assert_eq!(
                    (e.kind(), e.needed_headers(), e.status()),
                    (ErrorKind::TooManyHeaders, Some(4), 431)
                );
                assert_eq!(e.offset(), 31, "at the first field that did not fit");
                assert_eq!(std::format!("{s:?}"), before);
            }
            other => panic!("{other:?}"),
        }
    }
    let mut enough = vec![Header::EMPTY; 4];
    let (n, ev) = s.decode(wire, &mut enough).unwrap();
    assert_eq!(n, wire.len());
    assert!(matches!(ev, Event::Request(r) if r.headers.len() == 4));

    // trailers too: the chunk bytes before them are decoded again on the retry
    let mut s = Connection::new(Role::Server);
    let mut h = [Header::EMPTY; 8];
    let (n, _) = s
        .decode(
            b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n",
            &mut h,
        )
        .unwrap();
    assert!(n > 0);
    let body = b"1\r\nx\r\n0\r\nT1: a\r\nT2: b\r\n\r\n";
    let (m, ev) = s.decode(body, &mut h).unwrap();
    assert_eq!(ev, Event::Data(b"x"));
    let rest = &body[m..];
    let mut one = [Header::EMPTY; 1];
    let e = s.decode(rest, &mut one).unwrap_err();
    assert_eq!(
        (e.kind(), e.needed_headers()),
        (ErrorKind::TooManyHeaders, Some(2))
    );
    assert_eq!(s.their_state(), State::SendBody);
    let (k, ev) = s.decode(rest, &mut h).unwrap();
    assert_eq!(k, rest.len());
    assert!(matches!(ev, Event::EndOfMessage(t) if t.len() == 2));

    // a caller that gives up fails the peer's side itself
    let mut s = Connection::new(Role::Server);
    assert!(s.decode(wire, &mut small).is_err());
    s.receive_failed();
    assert_eq!(s.their_state(), State::Error);
    assert_eq!(
        s.decode(wire, &mut enough).unwrap_err().kind(),
        ErrorKind::ConnectionErrored
    );
}

//! Connection-level rules: interim responses both ways, 100-continue, keep-alive, framing on send.

use super::*;
use crate::{ErrorKind, Header};
use std::format;
use std::vec::Vec;

fn send(conn: &mut Connection, ev: &Event<'_, '_>) -> Vec<u8> {
    let mut out = [0u8; 4096];
    let n = conn
        .encode(ev, &mut out)
        .unwrap_or_else(|e| panic!("{ev:?}: {e}"));
    out[..n].to_vec()
}

fn send_err(conn: &mut Connection, ev: &Event<'_, '_>) -> ErrorKind {
    let mut out = [0u8; 4096];
    conn.encode(ev, &mut out).unwrap_err().kind()
}

/// A server that has received `head` completely (and its body, if any, not yet).
fn server_after(head: &[u8]) -> Connection {
    let mut s = Connection::new(Role::Server);
    let mut h = [Header::EMPTY; 16];
    let (_, ev) = s.decode(head, &mut h).unwrap();
    assert!(matches!(ev, Event::Request(_)));
    s
}

const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: a\r\n\r\n";

#[test]
fn any_number_of_interim_responses_then_final() {
    let mut s = server_after(GET);
    for _ in 0..50 {
        assert_eq!(
            send(&mut s, &Event::interim(102, &[])),
            b"HTTP/1.1 102 Processing\r\n\r\n"
        );
    }
    send(
        &mut s,
        &Event::interim(103, &[Header::new("Link", "</a>; rel=preload")]),
    );
    send(&mut s, &Event::interim(199, &[]));
    let head = send(&mut s, &Event::response(200, &[]));
    assert_eq!(
        head,
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    // nothing interim after the final response
    assert_eq!(
        send_err(&mut s, &Event::interim(102, &[])),
        ErrorKind::IllegalEvent
    );
    assert_eq!(s.our_state(), State::Error);
}

#[test]
fn no_interim_to_http10_clients_and_close_delimited_body() {
    let mut s = server_after(b"GET / HTTP/1.0\r\n\r\n");
    assert_eq!(
        send_err(&mut s, &Event::interim(100, &[])),
        ErrorKind::InterimToHttp10
    );
    let mut s = server_after(b"GET / HTTP/1.0\r\n\r\n");
    let head = send(&mut s, &Event::response(200, &[]));
    assert_eq!(head, b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
    assert_eq!(send(&mut s, &Event::Data(b"raw")), b"raw");
    send(&mut s, &Event::end());
    assert_eq!(s.our_state(), State::MustClose);
}

#[test]
fn switching_protocols_needs_upgrade() {
    let mut s = server_after(GET);
    assert_eq!(
        send_err(&mut s, &Event::interim(101, &[])),
        ErrorKind::UnexpectedSwitch
    );
    let mut s = server_after(
        b"GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\n",
    );
    send(&mut s, &Event::interim(102, &[]));
    send(
        &mut s,
        &Event::interim(101, &[Header::new("Upgrade", "websocket")]),
    );
    assert_eq!(s.our_state(), State::SwitchedProtocol);
}

#[test]
fn expect_100_continue_wait_ends_only_with_100_or_final() {
    let mut c = Connection::new(Role::Client);
    let headers = [
        Header::new("Host", "a"),
        Header::new("Expect", "100-continue"),
        Header::new("Content-Length", "3"),
    ];
    send(&mut c, &Event::request("PUT", "/f", &headers));
    assert!(c.client_is_waiting_for_100_continue());
    let mut h = [Header::EMPTY; 4];
    let wire = b"HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 100 Continue\r\n\r\n";
    let (n, _) = c.decode(wire, &mut h).unwrap();
    assert!(
        c.client_is_waiting_for_100_continue(),
        "102 is no permission to send"
    );
    let (m, _) = c.decode(&wire[n..], &mut h).unwrap();
    assert!(
        c.client_is_waiting_for_100_continue(),
        "103 is no permission to send"
    );
    c.decode(&wire[n + m..], &mut h).unwrap();
    assert!(!c.client_is_waiting_for_100_continue());

    // server side: a final response instead of 100 closes the connection (body unread)
    let mut s = server_after(
        b"PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n",
    );
    assert!(s.they_are_waiting_for_100_continue());
    send(&mut s, &Event::interim(102, &[]));
    assert!(s.they_are_waiting_for_100_continue());
    let head = send(
        &mut s,
        &Event::response(417, &[Header::new("Content-Length", "0")]),
    );
    assert_eq!(
        head,
        b"HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    assert!(!s.they_are_waiting_for_100_continue());
    send(&mut s, &Event::end());
    assert_eq!(s.our_state(), State::MustClose);

    // an HTTP/1.0 request's expectation is ignored
    let s = server_after(b"PUT /f HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n");
    assert!(!s.they_are_waiting_for_100_continue());
}

#[test]
fn final_response_while_body_arrives_keeps_alive_once_body_is_read() {
    let mut s = Connection::new(Role::Server);
    let mut h = [Header::EMPTY; 8];
    let wire = b"POST /u HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nabcdef";
    let (n, _) = s.decode(&wire[..wire.len() - 6], &mut h).unwrap();
    let (m, ev) = s.decode(&wire[n..n + 2], &mut h).unwrap();
    assert_eq!(ev, Event::Data(b"ab"));
    // 413 before the rest of the body is read: no forced close
    let head = send(
        &mut s,
        &Event::response(413, &[Header::new("Content-Length", "0")]),
    );
    assert_eq!(
        head,
        b"HTTP/1.1 413 Content Too Large\r\nContent-Length: 0\r\n\r\n"
    );
    send(&mut s, &Event::end());
    assert!(s.start_next_cycle().is_err(), "the body must be read first");
    let (k, _) = s.decode(&wire[n + m..], &mut h).unwrap();
    assert_eq!(
        s.decode(&wire[n + m + k..], &mut h).unwrap().1,
        Event::EndOfMessage(&[])
    );
    s.start_next_cycle().unwrap();
}

#[test]
fn content_length_is_enforced_on_send() {
    let mut s = server_after(GET);
    send(
        &mut s,
        &Event::response(200, &[Header::new("Content-Length", "3")]),
    );
    assert_eq!(
        send_err(&mut s, &Event::Data(b"four")),
        ErrorKind::BodyLengthMismatch
    );
    let mut s = server_after(GET);
    send(
        &mut s,
        &Event::response(200, &[Header::new("Content-Length", "3")]),
    );
    send(&mut s, &Event::Data(b"ab"));
    assert_eq!(
        send_err(&mut s, &Event::end()),
        ErrorKind::BodyLengthMismatch
    );
}

#[test]
fn head_responses_have_no_body_but_keep_framing_headers() {
    let mut s = server_after(b"HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
    let head = send(
        &mut s,
        &Event::response(200, &[Header::new("Content-Length", "10")]),
    );
    assert_eq!(head, b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n");
    assert_eq!(
        send_err(&mut s, &Event::Data(b"x")),
        ErrorKind::BodyLengthMismatch
    );
}

#[test]
fn buffer_too_small_changes_nothing() {
    let mut s = server_after(GET);
    let mut small = [0u8; 8];
    let err = s.encode(&Event::interim(102, &[]), &mut small).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::BufferTooSmall { needed: 27 });
    assert_eq!(s.our_state(), State::SendResponse);
    assert_eq!(send(&mut s, &Event::interim(102, &[])).len(), 27);
}

#[test]
fn errors_are_sticky_and_offsets_count_the_stream() {
    let mut s = Connection::new(Role::Server);
    let mut h = [Header::EMPTY; 8];
    let (n, _) = s.decode(GET, &mut h).unwrap();
    s.decode(&GET[n..], &mut h).unwrap(); // EndOfMessage
    send(&mut s, &Event::response(204, &[]));
    send(&mut s, &Event::end());
    s.start_next_cycle().unwrap();
    let err = s
        .decode(b"GET / HTTP/1.1\r\nHost : a\r\n\r\n", &mut h)
        .unwrap_err();
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::SpaceBeforeColon, GET.len() + 20)
    );
    assert_eq!(s.their_state(), State::Error);
    assert_eq!(
        s.decode(GET, &mut h).unwrap_err().kind(),
        ErrorKind::ConnectionErrored
    );
}

#[test]
fn pipelined_request_pauses_until_next_cycle() {
    let mut s = Connection::new(Role::Server);
    let mut h = [Header::EMPTY; 8];
    let two = [GET, GET].concat();
    let (n, _) = s.decode(&two, &mut h).unwrap();
    let (m, ev) = s.decode(&two[n..], &mut h).unwrap();
    assert_eq!(ev, Event::EndOfMessage(&[]));
    assert_eq!(s.decode(&two[n + m..], &mut h).unwrap().1, Event::Paused);
    send(
        &mut s,
        &Event::response(200, &[Header::new("Content-Length", "0")]),
    );
    send(&mut s, &Event::end());
    s.start_next_cycle().unwrap();
    assert!(matches!(
        s.decode(&two[n + m..], &mut h).unwrap().1,
        Event::Request(_)
    ));
}

#[test]
fn client_refuses_unsolicited_switch_and_reads_interims() {
    let mut c = Connection::new(Role::Client);
    send(
        &mut c,
        &Event::request("GET", "/", &[Header::new("Host", "a")]),
    );
    send(&mut c, &Event::end());
    let mut h = [Header::EMPTY; 4];
    let err = c
        .decode(b"HTTP/1.1 101 Switching Protocols\r\n\r\n", &mut h)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedSwitch);
    assert!(err.is_remote());
}

/// A final response before any request (a `408` on an idle connection): the server may send it
/// from IDLE and the client receives it; an interim response before a request stays an error.
#[test]
fn final_response_before_any_request_both_ways() {
    let mut s = Connection::new(Role::Server);
    let close = [
        Header::new("Connection", "close"),
        Header::new("Content-Length", "0"),
    ];
    let mut wire = send(&mut s, &Event::response(408, &close));
    wire.extend(send(&mut s, &Event::end()));
    assert_eq!(
        (s.state(Role::Client), s.our_state()),
        (State::Idle, State::MustClose)
    );

    let mut c = Connection::new(Role::Client);
    let mut h = [Header::EMPTY; 4];
    let (n, ev) = c.decode(&wire, &mut h).unwrap();
    assert!(matches!(ev, Event::Response(r) if r.status == 408));
    let (_, ev) = c.decode(&wire[n..], &mut h).unwrap();
    assert_eq!(ev, Event::EndOfMessage(&[]));
    assert_eq!(
        (c.our_state(), c.their_state()),
        (State::Idle, State::MustClose)
    );
    c.receive_eof();
    assert_eq!(c.decode(b"", &mut h).unwrap().1, Event::ConnectionClosed);

    let mut c = Connection::new(Role::Client);
    let err = c
        .decode(b"HTTP/1.1 103 Early Hints\r\n\r\n", &mut h)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::UnexpectedResponse);
    let mut s = Connection::new(Role::Server);
    assert_eq!(
        send_err(&mut s, &Event::interim(102, &[])),
        ErrorKind::IllegalEvent
    );
}

/// After a head that could not be parsed, the server answers from IDLE (the peer is in ERROR).
#[test]
fn server_answers_a_malformed_head_from_idle() {
    let mut s = Connection::new(Role::Server);
    let mut h = [Header::EMPTY; 4];
    // refused at the first byte: a TLS handshake needs no line ending to be refused
    let err = s.decode(b"\x16\x03\x01\x02\x00\x01", &mut h).unwrap_err();
    assert_eq!(
        (err.kind(), err.offset(), err.status()),
        (ErrorKind::InvalidMethod, 0, 400)
    );
    assert_eq!(
        (s.their_state(), s.our_state()),
        (State::Error, State::Idle)
    );
    let wire = send(&mut s, &Event::response(400, &[]));
    assert!(wire.starts_with(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n"));
    send(&mut s, &Event::Data(b"bad request"));
    send(&mut s, &Event::end());
    assert_eq!(s.our_state(), State::MustClose);
}

/// A connection that closes whatever the response says gets one `Connection: close`, in place of
/// the application's `Connection` fields (their other options kept); a response that closes it
/// by its own `Connection: close` goes out as given.
#[test]
fn connection_close_is_written_once() {
    let mut s = server_after(b"GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    let given = [
        Header::new("Content-Length", "0"),
        Header::new("connection", "keep-alive, Upgrade"),
    ];
    let wire = send(&mut s, &Event::response(200, &given));
    assert_eq!(
        wire,
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close, Upgrade\r\n\r\n"
    );
    let mut s = server_after(GET);
    let given = [
        Header::new("Content-Length", "0"),
        Header::new("connection", "close"),
    ];
    let wire = send(&mut s, &Event::response(200, &given));
    assert_eq!(
        wire,
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nconnection: close\r\n\r\n"
    );
    assert!(!s.keep_alive());
}

#[test]
fn requests_need_host_and_valid_bytes_on_send() {
    let mut c = Connection::new(Role::Client);
    assert_eq!(
        send_err(&mut c, &Event::request("GET", "/", &[])),
        ErrorKind::MissingHost
    );
    let mut c = Connection::new(Role::Client);
    let evil = [
        Header::new("Host", "a"),
        Header::new("X", "1\r\nContent-Length: 5"),
    ];
    assert_eq!(
        send_err(&mut c, &Event::request("GET", "/", &evil)),
        ErrorKind::InvalidHeaderValue
    );
}

/// `encode` is all or nothing, over random event sequences on both sides: with any buffer
/// shorter than the event needs it reports exactly the size needed and changes nothing; an event
/// it refuses is refused whatever the buffer, and only puts our side in ERROR.
#[test]
fn encode_is_all_or_nothing() {
    let link = [Header::new("Link", "</a>; rel=preload")];
    let cl5 = [Header::new("Content-Length", "5")];
    let te = [Header::new("Transfer-Encoding", "chunked")];
    let upgrade = [Header::new("Upgrade", "websocket")];
    let bad = [Header::new("X", "a\nb")];
    let trailers = [Header::new("Checksum", "abc")];
    let post = [Header::new("Host", "a"), Header::new("Content-Length", "5")];
    let chunked_post = [
        Header::new("Host", "a"),
        Header::new("Transfer-Encoding", "chunked"),
    ];
    let host = [Header::new("Host", "a")];
    let events = [
        Event::interim(100, &[]),
        Event::interim(101, &upgrade),
        Event::interim(102, &[]),
        Event::interim(103, &link),
        Event::interim(103, &bad),
        Event::response(200, &cl5),
        Event::response(200, &te),
        Event::response(200, &[]),
        Event::response(204, &[]),
        Event::response(404, &bad),
        Event::Data(b"hello"),
        Event::Data(b"hi"),
        Event::Data(b""),
        Event::EndOfMessage(&[]),
        Event::EndOfMessage(&trailers),
        Event::ConnectionClosed,
        Event::Request(crate::Request {
            method: b"GET",
            target: b"/",
            version: Version::Http11,
            headers: &host,
        }),
        Event::Request(crate::Request {
            method: b"POST",
            target: b"/p",
            version: Version::Http11,
            headers: &post,
        }),
        Event::Request(crate::Request {
            method: b"POST",
            target: b"/c",
            version: Version::Http11,
            headers: &chunked_post,
        }),
        Event::Request(crate::Request {
            method: b"GET",
            target: b"/u",
            version: Version::Http11,
            headers: &[Header::new("Host", "a"), Header::new("Upgrade", "x")],
        }),
    ];
    let requests: [&[u8]; 4] = [
        GET,
        b"GET / HTTP/1.0\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n",
        b"GET / HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n\r\n",
    ];
    let mut next = crate::test_rng::below(0x0123_4567_89ab_cdefu64);
    let mut big = [0u8; 512];
    let mut small = [0u8; 512];
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..3000 {
        let mut conn = if next(2) == 0 {
            server_after(requests[next(requests.len())])
        } else {
            Connection::new(Role::Client)
        };
        for _ in 0..6 {
            // mostly events that fit the role, so sequences get somewhere
            let ev = &events[if conn.role() == Role::Server {
                next(events.len() - 4)
            } else {
                [10, 11, 12, 13, 14, 16, 17, 18, 19][next(9)]
            }];
            let before = format!("{conn:?}");
            let result = conn.clone().encode(ev, &mut big);
            match result {
                Ok(n) => {
                    accepted += 1;
                    for k in 0..n {
                        let mut c = conn.clone();
                        let err = c.encode(ev, &mut small[..k]).unwrap_err();
                        assert_eq!(err.kind(), ErrorKind::BufferTooSmall { needed: n });
                        assert_eq!(format!("{c:?}"), before, "{ev:?} into {k}");
                    }
                }
                Err(e) => {
                    refused += (e.kind() != ErrorKind::ConnectionErrored) as usize;
                    let mut c = conn.clone();
                    assert_eq!(c.encode(ev, &mut small[..0]), Err(e), "{ev:?}");
                    let mut failed = conn.clone();
                    if e.kind() != ErrorKind::ConnectionErrored {
                        failed.send_failed();
                    }
                    assert_eq!(format!("{c:?}"), format!("{failed:?}"), "{ev:?}");
                }
            }
            if result.is_ok() {
                // a refused event was checked on a clone; the sequence goes on without it
                conn.encode(ev, &mut big).unwrap();
            }
        }
    }
    // both outcomes are well represented
    assert!(accepted > 2000 && refused > 2000, "{accepted} {refused}");
}

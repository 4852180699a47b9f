//! Encode, then decode: a client and a server connection talk through keep-alive exchanges built
//! from structured input (methods, targets, fields, bodies by Content-Length or chunked with
//! trailers, interim responses, final responses). Every value is drawn from arbitrary bytes and
//! restricted to what the grammar allows; the events the peer decodes must be the ones sent.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use arbitrary::Arbitrary;
use common::{clean_name, clean_reason, clean_target, clean_token, clean_value, owned, Ev, Fields};
use h1x::{Connection, Event, Header, Request, Response, Role, State, Version};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Field {
    name: Vec<u8>,
    value: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
enum Body {
    None,
    Length(Vec<Vec<u8>>),
    Chunked(Vec<Vec<u8>>, Vec<Field>),
    /// Responses only: no framing field, the server adds `Transfer-Encoding: chunked`.
    Auto(Vec<Vec<u8>>),
}

#[derive(Arbitrary, Debug)]
struct Interim {
    code: u8,
    reason: Vec<u8>,
    fields: Vec<Field>,
}

#[derive(Arbitrary, Debug)]
struct Exchange {
    method: Vec<u8>,
    head: bool,
    target: Vec<u8>,
    req_fields: Vec<Field>,
    req_body: Body,
    interims: Vec<Interim>,
    status: u16,
    reason: Vec<u8>,
    res_fields: Vec<Field>,
    res_body: Body,
    cut: u16,
}

fn fields(fs: &[Field]) -> Fields {
    fs.iter()
        .take(10)
        .map(|f| (clean_name(&f.name), clean_value(&f.value)))
        .collect()
}

fn as_headers(f: &Fields) -> Vec<Header<'_>> {
    f.iter()
        .map(|(n, v)| Header { name: n, value: v })
        .collect()
}

/// Body pieces (empty ones kept: an empty chunk must not end the body), their concatenation,
/// the framing field, the trailers.
fn plan(b: &Body, request: bool) -> (Vec<Vec<u8>>, Option<(Vec<u8>, Vec<u8>)>, Fields) {
    let cap = |ps: &[Vec<u8>]| -> Vec<Vec<u8>> {
        ps.iter()
            .take(8)
            .map(|p| p.iter().copied().take(200).collect())
            .collect()
    };
    match b {
        Body::None => (vec![], None, vec![]),
        Body::Auto(_) if request => (vec![], None, vec![]),
        Body::Auto(ps) => (cap(ps), None, vec![]),
        Body::Length(ps) => {
            let ps = cap(ps);
            let n: usize = ps.iter().map(Vec::len).sum();
            (
                ps,
                Some((b"Content-Length".to_vec(), n.to_string().into_bytes())),
                vec![],
            )
        }
        Body::Chunked(ps, t) => (
            cap(ps),
            Some((b"Transfer-Encoding".to_vec(), b"chunked".to_vec())),
            fields(t),
        ),
    }
}

fn send(conn: &mut Connection, ev: &Event<'_, '_>, wire: &mut Vec<u8>) {
    let mut out = vec![0u8; 1 << 16];
    let n = conn
        .encode(ev, &mut out)
        .unwrap_or_else(|e| panic!("encode {ev:?}: {e}"));
    wire.extend_from_slice(&out[..n]);
}

/// Decodes `wire` fed in two pieces; returns the events (data merged).
fn receive(conn: &mut Connection, wire: &[u8], cut: usize) -> Vec<Ev> {
    let mut evs: Vec<Ev> = vec![];
    let mut buf = Vec::new();
    for piece in [&wire[..cut], &wire[cut..]] {
        buf.extend_from_slice(piece);
        loop {
            let mut storage = vec![Header::EMPTY; 32];
            let (n, ev) = conn
                .decode(&buf, &mut storage)
                .unwrap_or_else(|e| panic!("decode: {e} in {:?}", String::from_utf8_lossy(wire)));
            let ev = owned(&ev);
            drop(storage);
            buf.drain(..n);
            match (evs.last_mut(), ev) {
                (_, None) => break,
                (Some(Ev::Data(prev)), Some(Ev::Data(d))) => prev.extend_from_slice(&d),
                (_, Some(ev)) => {
                    let end = matches!(ev, Ev::End(_));
                    evs.push(ev);
                    if end {
                        break;
                    }
                }
            }
        }
    }
    assert!(buf.is_empty(), "{} bytes left over", buf.len());
    evs
}

fn body_events(pieces: &[Vec<u8>], trailers: Fields) -> Vec<Ev> {
    let data = pieces.concat();
    let mut evs = vec![];
    if !data.is_empty() {
        evs.push(Ev::Data(data));
    }
    evs.push(Ev::End(trailers));
    evs
}

fuzz_target!(|exchanges: Vec<Exchange>| {
    let mut client = Connection::new(Role::Client);
    let mut server = Connection::new(Role::Server);
    for x in exchanges.iter().take(4) {
        // -- the request
        let mut method = clean_token(&x.method, b"POST");
        if method == b"CONNECT" || method == b"HEAD" {
            method = b"POST".to_vec();
        }
        if x.head {
            method = b"HEAD".to_vec();
        }
        let target = clean_target(&x.target);
        let mut req_fields: Fields = vec![(b"Host".to_vec(), b"example.com".to_vec())];
        req_fields.extend(fields(&x.req_fields));
        let (pieces, framing, trailers) = plan(&x.req_body, true);
        req_fields.extend(framing);
        let mut wire = Vec::new();
        let hs = as_headers(&req_fields);
        let req = Request {
            method: &method,
            target: &target,
            version: Version::Http11,
            headers: &hs,
        };
        send(&mut client, &Event::Request(req), &mut wire);
        for p in &pieces {
            send(&mut client, &Event::Data(p), &mut wire);
        }
        let ts = as_headers(&trailers);
        send(&mut client, &Event::EndOfMessage(&ts), &mut wire);
        let mut want = vec![Ev::Request {
            method: method.clone(),
            target,
            version: Version::Http11,
            headers: req_fields.clone(),
        }];
        want.extend(body_events(&pieces, trailers.clone()));
        let cut = x.cut as usize % (wire.len() + 1);
        assert_eq!(
            receive(&mut server, &wire, cut),
            want,
            "request {:?}",
            String::from_utf8_lossy(&wire)
        );

        // -- interim responses, then the final one
        let mut wire = Vec::new();
        let mut want = vec![];
        for i in x.interims.iter().take(6) {
            let status = match 100 + (i.code % 100) as u16 {
                101 => 102,
                s => s,
            };
            let r = clean_reason(&i.reason);
            let f = fields(&i.fields);
            let hs = as_headers(&f);
            let res = Response {
                status,
                reason: &r,
                version: Version::Http11,
                headers: &hs,
            };
            send(&mut server, &Event::InformationalResponse(res), &mut wire);
            want.push(Ev::Interim {
                status,
                reason: r.clone(),
                version: Version::Http11,
                headers: f.clone(),
            });
        }
        let status = 200 + x.status % 400;
        let bodiless = status == 204 || status == 304 || method == b"HEAD";
        let r = clean_reason(&x.reason);
        let mut f = fields(&x.res_fields);
        let (mut pieces, framing, mut trailers) = plan(&x.res_body, false);
        // no framing field at all: the server adds `Transfer-Encoding: chunked`
        let auto = matches!(x.res_body, Body::Auto(_) | Body::None);
        if let Some((n, v)) = framing.clone() {
            f.push((n, v));
        }
        let hs = as_headers(&f);
        let res = Response {
            status,
            reason: &r,
            version: Version::Http11,
            headers: &hs,
        };
        send(&mut server, &Event::Response(res), &mut wire);
        let mut got_headers = f.clone();
        // the server completes the framing the way h11 does: chunked when nothing says otherwise
        // (a HEAD response announces what GET would get; 204 and 304 have no body at all)
        if auto && status != 204 && status != 304 {
            got_headers.push((b"Transfer-Encoding".to_vec(), b"chunked".to_vec()));
        }
        want.push(Ev::Response {
            status,
            reason: r,
            version: Version::Http11,
            headers: got_headers,
        });
        if bodiless {
            pieces.clear();
            trailers.clear();
        }
        for p in &pieces {
            send(&mut server, &Event::Data(p), &mut wire);
        }
        let ts = as_headers(&trailers);
        send(&mut server, &Event::EndOfMessage(&ts), &mut wire);
        want.extend(body_events(&pieces, trailers.clone()));
        let cut = x.cut as usize % (wire.len() + 1);
        assert_eq!(
            receive(&mut client, &wire, cut),
            want,
            "response {:?}",
            String::from_utf8_lossy(&wire)
        );

        // -- keep-alive
        for c in [&client, &server] {
            assert_eq!((c.our_state(), c.their_state()), (State::Done, State::Done));
        }
        client.start_next_cycle().unwrap();
        server.start_next_cycle().unwrap();
    }
});

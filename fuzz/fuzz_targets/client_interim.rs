//! A client connection, after sending a request, fed a stream of interim (1xx) responses then a
//! final response, built from structured input. A well-formed stream must come back as exactly
//! the modelled events: every 1xx surfaced in order with its headers, never a body (whatever
//! Content-Length or Transfer-Encoding it carries), a 101 only after Upgrade, the 100-continue
//! wait ended only by 100 or the final response (checked by the driver). With `garble`, one byte
//! is overwritten and a tail appended: then only the split invariance is checked.
#![no_main]

#[path = "common/mod.rs"]
mod common;

use arbitrary::Arbitrary;
use common::{clean_name, clean_reason, clean_value, cuts_from, run, Ev, Fields, Req};
use h1x::{Config, Role, Version};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug, Clone, Copy)]
enum Method {
    Get,
    Head,
    PostExpect,
    Upgrade,
    Connect,
}

#[derive(Arbitrary, Debug)]
enum Name {
    Link,
    Progress,
    ContentLength(u32),
    ChunkedTe,
    Other(Vec<u8>),
}

#[derive(Arbitrary, Debug)]
struct Field {
    name: Name,
    value: Vec<u8>,
}

#[derive(Arbitrary, Debug)]
struct Interim {
    code: u8,
    reason: Vec<u8>,
    fields: Vec<Field>,
}

#[derive(Arbitrary, Debug)]
enum Framing {
    Length,
    Chunked {
        sizes: Vec<u8>,
        trailers: Vec<Field>,
    },
    Close,
}

#[derive(Arbitrary, Debug)]
struct Input {
    method: Method,
    interims: Vec<Interim>,
    status: u16,
    http10: bool,
    fields: Vec<Field>,
    framing: Framing,
    body: Vec<u8>,
    eof: bool,
    cuts: Vec<u8>,
    garble: Option<(u16, u8, Vec<u8>)>,
}

/// Field lines for the wire and the model; `interim` allows the framing names (which a 1xx must
/// ignore), at most one Content-Length so the head stays valid.
fn field_list(fs: &[Field], interim: bool) -> Fields {
    let mut out: Fields = vec![];
    let mut cl = false;
    for f in fs.iter().take(12) {
        let v = clean_value(&f.value);
        let v: Vec<u8> = v.into_iter().take(60).collect();
        let v = clean_value(&v);
        let pair = match &f.name {
            Name::Link => (b"Link".to_vec(), v),
            Name::Progress => (b"Progress".to_vec(), v),
            Name::ContentLength(n) if interim && !cl => {
                cl = true;
                (b"Content-Length".to_vec(), n.to_string().into_bytes())
            }
            Name::ChunkedTe if interim => (b"Transfer-Encoding".to_vec(), b"chunked".to_vec()),
            Name::ContentLength(_) | Name::ChunkedTe => continue,
            Name::Other(n) => (clean_name(n), v),
        };
        out.push(pair);
    }
    out
}

fn head(out: &mut Vec<u8>, version: &[u8], status: u16, reason: &[u8], fields: &Fields) {
    out.extend_from_slice(version);
    out.extend_from_slice(format!(" {status} ").as_bytes());
    out.extend_from_slice(reason);
    out.extend_from_slice(b"\r\n");
    for (n, v) in fields {
        out.extend_from_slice(n);
        out.extend_from_slice(b": ");
        out.extend_from_slice(v);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

fuzz_target!(|inp: Input| {
    let (method, extra): (&[u8], &[(&[u8], &[u8])]) = match inp.method {
        Method::Get => (b"GET", &[]),
        Method::Head => (b"HEAD", &[]),
        Method::PostExpect => (
            b"POST",
            &[(b"Expect", b"100-continue"), (b"Content-Length", b"3")],
        ),
        Method::Upgrade => (
            b"GET",
            &[(b"Connection", b"upgrade"), (b"Upgrade", b"websocket")],
        ),
        Method::Connect => (b"CONNECT", &[]),
    };
    let mut req = Req::get();
    req.method = method.to_vec();
    if matches!(inp.method, Method::Connect) {
        req.target = b"example.com:443".to_vec();
    }
    req.headers
        .extend(extra.iter().map(|(n, v)| (n.to_vec(), v.to_vec())));
    if matches!(inp.method, Method::PostExpect) {
        req.body = b"abc".to_vec();
    }

    let mut wire = Vec::new();
    let mut model: Vec<Ev> = Vec::new();
    let mut switched = false;
    for i in inp.interims.iter().take(10) {
        let mut status = 100 + (i.code % 100) as u16;
        if status == 101 && !matches!(inp.method, Method::Upgrade) {
            status = 102;
        }
        let r = clean_reason(&i.reason);
        let f = field_list(&i.fields, true);
        head(&mut wire, b"HTTP/1.1", status, &r, &f);
        model.push(Ev::Interim {
            status,
            reason: r,
            version: Version::Http11,
            headers: f,
        });
        if status == 101 {
            model.push(Ev::Paused);
            switched = true;
            break;
        }
    }
    let mut eof = inp.eof;
    if !switched {
        let status = 200 + inp.status % 400;
        let version = if inp.http10 {
            Version::Http10
        } else {
            Version::Http11
        };
        let mut f = field_list(&inp.fields, false);
        let body: Vec<u8> = inp.body.iter().copied().take(300).collect();
        let tunnel = matches!(inp.method, Method::Connect) && status < 300;
        let bodiless =
            tunnel || status == 204 || status == 304 || matches!(inp.method, Method::Head);
        // chunked needs HTTP/1.1
        let framing = match (&inp.framing, version) {
            (Framing::Chunked { .. }, Version::Http10) => &Framing::Length,
            (fr, _) => fr,
        };
        let mut trailers: Fields = vec![];
        match framing {
            Framing::Length => f.push((
                b"Content-Length".to_vec(),
                body.len().to_string().into_bytes(),
            )),
            Framing::Chunked { trailers: t, .. } => {
                f.push((b"Transfer-Encoding".to_vec(), b"chunked".to_vec()));
                trailers = field_list(t, false);
            }
            Framing::Close => {}
        }
        let r = clean_reason(b"Final");
        head(
            &mut wire,
            if inp.http10 { b"HTTP/1.0" } else { b"HTTP/1.1" },
            status,
            &r,
            &f,
        );
        model.push(Ev::Response {
            status,
            reason: r,
            version,
            headers: f,
        });
        if tunnel {
            model.push(Ev::Paused);
        } else if bodiless {
            model.push(Ev::End(vec![]));
        } else {
            match framing {
                Framing::Length => wire.extend_from_slice(&body),
                Framing::Chunked { sizes, .. } => {
                    let mut rest = &body[..];
                    let mut sizes = sizes.iter().cycle();
                    while !rest.is_empty() {
                        let n = (*sizes.next().unwrap_or(&7) as usize).clamp(1, rest.len());
                        wire.extend_from_slice(format!("{n:x}\r\n").as_bytes());
                        wire.extend_from_slice(&rest[..n]);
                        wire.extend_from_slice(b"\r\n");
                        rest = &rest[n..];
                    }
                    wire.extend_from_slice(b"0\r\n");
                    for (n, v) in &trailers {
                        wire.extend_from_slice(n);
                        wire.extend_from_slice(b": ");
                        wire.extend_from_slice(v);
                        wire.extend_from_slice(b"\r\n");
                    }
                    wire.extend_from_slice(b"\r\n");
                }
                Framing::Close => wire.extend_from_slice(&body),
            }
            if !body.is_empty() {
                model.push(Ev::Data(body));
            }
            model.push(Ev::End(trailers));
        }
        // a kept-alive HTTP/1.1 connection would have a new request outstanding: a close then
        // is an incomplete message, not modelled here; a close-delimited body needs the close
        let close_delimited = matches!(framing, Framing::Close) && !bodiless;
        if version == Version::Http11 && !close_delimited {
            eof = false;
        }
        eof |= close_delimited;
        let ends_clean = !tunnel && model.last().is_some_and(|e| matches!(e, Ev::End(_)));
        if eof && ends_clean {
            model.push(Ev::Closed);
        }
    }

    let garbled = if let Some((at, byte, tail)) = &inp.garble {
        if !wire.is_empty() {
            let i = *at as usize % wire.len();
            wire[i] = *byte;
        }
        wire.extend(tail.iter().take(64));
        true
    } else {
        false
    };
    let cfg = Config::default();
    let whole = run(Role::Client, cfg, 64, &req, &wire, &[], eof);
    let cuts = cuts_from(&inp.cuts, wire.len());
    let split = run(Role::Client, cfg, 64, &req, &wire, &cuts, eof);
    assert_eq!(whole, split, "cuts {cuts:?}");
    if !garbled {
        assert_eq!(whole.error, None, "{:?}", String::from_utf8_lossy(&wire));
        assert_eq!(whole.events, model, "{:?}", String::from_utf8_lossy(&wire));
    }
});

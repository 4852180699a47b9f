//! Shared by the two head targets: a parse outcome that owns its bytes, checked invariants, and
//! the one-shot / resumed / byte-at-a-time comparison.
#![allow(dead_code)]

use h1x::{Config, Error, HeadParser, Header, Leniency, Status, Version};

/// Byte 0 of a head target's input: bits 0-3 leniencies, bit 5 small limits.
pub fn config_from(b: u8) -> Config {
    let mut cfg = Config::default().lenient(Leniency::from_bits_truncate(b & 0x0f));
    if b & 0x20 != 0 {
        cfg.max_head_bytes = 256;
        cfg.max_line_bytes = 64;
    }
    cfg
}

/// `cfg` without the small head limits: a re-encoded head (`Name: value`) may be longer than the
/// input it came from.
pub fn roomy(cfg: Config) -> Config {
    cfg.with_max_head_bytes(1 << 20).with_max_line_bytes(1 << 20)
}

/// Owned fields as the encoder's `Header`s.
pub fn as_headers(headers: &[(Vec<u8>, Vec<u8>)]) -> Vec<Header<'_>> {
    headers
        .iter()
        .map(|(n, v)| Header { name: n, value: v })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Head {
    Partial,
    Error(&'static str, usize),
    Request {
        len: usize,
        method: Vec<u8>,
        target: Vec<u8>,
        version: Version,
        headers: Vec<(Vec<u8>, Vec<u8>)>,
    },
    Response {
        len: usize,
        status: u16,
        reason: Vec<u8>,
        version: Version,
        headers: Vec<(Vec<u8>, Vec<u8>)>,
    },
}

fn within(buf: &[u8], s: &[u8]) -> bool {
    let b = buf.as_ptr() as usize;
    let p = s.as_ptr() as usize;
    s.is_empty() || (p >= b && p + s.len() <= b + buf.len())
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Checks a parsed head's fields against the grammar h1x promises, and that every slice points
/// into the input.
fn check_fields(buf: &[u8], len: usize, headers: &[Header<'_>], slots: usize, folded: bool) {
    assert!(len > 0 && len <= buf.len(), "length {len} of {}", buf.len());
    assert!(headers.len() <= slots);
    assert!(matches!(&buf[..len], [.., b'\n']), "a head ends with LF");
    for h in headers {
        assert!(within(&buf[..len], h.name) && within(&buf[..len], h.value));
        assert!(
            !h.name.is_empty() && h.name.iter().all(|&b| is_tchar(b)),
            "name {:?}",
            h.name
        );
        if !folded {
            assert!(
                h.value
                    .iter()
                    .all(|&b| (b >= 0x20 && b != 0x7f) || b == b'\t'),
                "value {:?}",
                h.value
            );
        }
        assert!(!matches!(h.value.first(), Some(b' ' | b'\t')));
        assert!(!matches!(h.value.last(), Some(b' ' | b'\t')));
    }
}

pub fn err(e: Error) -> Head {
    Head::Error(e.kind().name(), e.offset())
}

pub fn request(p: &mut HeadParser, buf: &[u8], slots: usize) -> Head {
    let mut storage = vec![Header::EMPTY; slots];
    match p.parse_request(buf, &mut storage) {
        Err(e) => err(e),
        Ok(Status::Partial) => Head::Partial,
        Ok(Status::Complete((len, r))) => {
            check_fields(buf, len, r.headers, slots, false);
            assert!(within(buf, r.method) && within(buf, r.target));
            assert!(!r.method.is_empty() && r.method.iter().all(|&b| is_tchar(b)));
            assert!(!r.target.is_empty() && r.target.iter().all(|b| (0x21..0x7f).contains(b)));
            Head::Request {
                len,
                method: r.method.to_vec(),
                target: r.target.to_vec(),
                version: r.version,
                headers: r
                    .headers
                    .iter()
                    .map(|h| (h.name.to_vec(), h.value.to_vec()))
                    .collect(),
            }
        }
    }
}

pub fn response(p: &mut HeadParser, buf: &[u8], slots: usize, cfg: &Config) -> Head {
    let mut storage = vec![Header::EMPTY; slots];
    match p.parse_response(buf, &mut storage) {
        Err(e) => err(e),
        Ok(Status::Partial) => Head::Partial,
        Ok(Status::Complete((len, r))) => {
            check_fields(
                buf,
                len,
                r.headers,
                slots,
                cfg.leniency.contains(Leniency::OBS_FOLD),
            );
            assert!((100..=999).contains(&r.status));
            assert!(within(buf, r.reason));
            assert!(r
                .reason
                .iter()
                .all(|&b| (b >= 0x20 && b != 0x7f) || b == b'\t'));
            Head::Response {
                len,
                status: r.status,
                reason: r.reason.to_vec(),
                version: r.version,
                headers: r
                    .headers
                    .iter()
                    .map(|h| (h.name.to_vec(), h.value.to_vec()))
                    .collect(),
            }
        }
    }
}

/// The same head parsed in one piece, resumed after a prefix, and grown one byte at a time must
/// give the same answer (the parser promises split-independent results).
pub fn check_resumable(
    buf: &[u8],
    cut: usize,
    byte_at_a_time: bool,
    parse: impl Fn(&mut HeadParser, &[u8]) -> Head,
    cfg: Config,
) {
    let whole = parse(&mut HeadParser::with_config(cfg), buf);
    // resumed: a prefix first (unless it already decides), then the whole buffer
    let mut p = HeadParser::with_config(cfg);
    let first = parse(&mut p, &buf[..cut]);
    let resumed = if first == Head::Partial {
        parse(&mut p, buf)
    } else {
        first
    };
    assert_eq!(whole, resumed, "cut at {cut}");
    if byte_at_a_time {
        let mut p = HeadParser::with_config(cfg);
        let mut grown = Head::Partial;
        for n in 0..=buf.len() {
            grown = parse(&mut p, &buf[..n]);
            if grown != Head::Partial {
                break;
            }
        }
        assert_eq!(whole, grown, "grown one byte at a time");
    }
    // a complete head parses the same from exactly its own bytes
    let len = match whole {
        Head::Request { len, .. } | Head::Response { len, .. } => len,
        _ => return,
    };
    assert_eq!(parse(&mut HeadParser::with_config(cfg), &buf[..len]), whole);
}

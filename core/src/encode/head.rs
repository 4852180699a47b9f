//! Request and response heads.

use super::fill::Fill;
use super::Writer;
use crate::head::{all_field_bytes, check_form, is_token_str, Header, Version};
use crate::{Error, ErrorKind};

/// Fields the connection adds or drops while encoding a head (h11's header clean-up).
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Extra {
    /// Drop the caller's Content-Length fields.
    pub drop_content_length: bool,
    /// Drop the caller's Transfer-Encoding fields.
    pub drop_transfer_encoding: bool,
    /// Append `Transfer-Encoding: chunked`.
    pub add_chunked: bool,
    /// Write one `Connection: close` field in place of the caller's `Connection` fields, with
    /// their other options (all but `close` and `keep-alive`) appended to it: the connection
    /// closes, and the head says so once (h11 merges them likewise).
    pub add_close: bool,
    /// The index of a field the caller has already found valid (a plain Content-Length read
    /// by the framing shortcut): the checks skip it.
    pub valid_field: Option<usize>,
}

impl Extra {
    /// Whether the caller's field `h` is left out.
    fn drops(&self, h: &Header<'_>) -> bool {
        (self.drop_content_length && h.is("content-length"))
            || (self.drop_transfer_encoding && h.is("transfer-encoding"))
            || (self.add_close && h.is("connection"))
    }

    fn dropping(&self) -> bool {
        self.drop_content_length || self.drop_transfer_encoding || self.add_close
    }
}

/// The connection options of the caller's `Connection` fields that the merged
/// `Connection: close` keeps: all but `close` and `keep-alive`.
fn other_connection_options<'a>(headers: &'a [Header<'a>]) -> impl Iterator<Item = &'a [u8]> {
    headers
        .iter()
        .filter(|h| h.is("connection"))
        .flat_map(|h| crate::head::comma_list(h.value))
        .filter(|t| !t.eq_ignore_ascii_case(b"close") && !t.eq_ignore_ascii_case(b"keep-alive"))
}

const CHUNKED: &[u8] = b"Transfer-Encoding: chunked\r\n";
const CLOSE: &[u8] = b"Connection: close";

/// One field as [`check_fields`] checks it.
#[inline(always)]
fn check_field(h: &Header<'_>) -> Result<(), Error> {
    if !is_token_str(h.name) {
        return Err(Error::local(ErrorKind::InvalidHeaderName));
    }
    let v = h.value;
    let edge_ws = matches!(v.first(), Some(b' ' | b'\t')) || matches!(v.last(), Some(b' ' | b'\t'));
    if edge_ws || !all_field_bytes(v) {
        return Err(Error::local(ErrorKind::InvalidHeaderValue));
    }
    Ok(())
}

/// Checks header fields as the encoder does: each name a token, each value field bytes
/// (no CR, LF or NUL) without leading or trailing whitespace. For trailer fields, or for a
/// binding that validates an event when it is built rather than when it is sent.
///
/// ```
/// use h1x::{check_fields, ErrorKind, Header};
/// assert!(check_fields(&[Header::new("Link", "</a.css>; rel=preload")]).is_ok());
/// let err = check_fields(&[Header::new("X", "a\r\nInjected: 1")]).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidHeaderValue);
/// assert_eq!(check_fields(&[Header::new("Bad Name", "v")]).unwrap_err().kind(), ErrorKind::InvalidHeaderName);
/// ```
#[inline]
pub fn check_fields(headers: &[Header<'_>]) -> Result<(), Error> {
    // no fields (interim responses, usually): no call into the loop and its register saves
    if headers.is_empty() {
        return Ok(());
    }
    check_each_field(headers)
}

#[inline(never)]
fn check_each_field(headers: &[Header<'_>]) -> Result<(), Error> {
    headers.iter().try_for_each(check_field)
}

/// Checks the fields as [`check_fields`] does and returns the length [`fill_fields`] gives
/// them (the blank line included): one pass over the fields before anything is written.
#[inline(always)]
pub(super) fn checked_fields_len(headers: &[Header<'_>], extra: Extra) -> Result<usize, Error> {
    let dropping = extra.dropping();
    let mut len = 2;
    for (i, h) in headers.iter().enumerate() {
        if extra.valid_field != Some(i) {
            check_field(h)?;
        }
        if !(dropping && extra.drops(h)) {
            len += h.name.len() + h.value.len() + 4;
        }
    }
    if extra.add_chunked {
        len += CHUNKED.len();
    }
    if extra.add_close {
        len += CLOSE.len() + 2;
        len += other_connection_options(headers)
            .map(|t| t.len() + 2)
            .sum::<usize>();
    }
    Ok(len)
}

#[inline(always)]
pub(super) fn fill_fields(f: &mut Fill<'_>, headers: &[Header<'_>], extra: Extra) {
    let dropping = extra.dropping();
    for h in headers {
        if dropping && extra.drops(h) {
            continue;
        }
        f.put(h.name);
        f.put(b": ");
        f.put(h.value);
        f.put(b"\r\n");
    }
    if extra.add_chunked {
        f.put(CHUNKED);
    }
    if extra.add_close {
        f.put(CLOSE);
        for t in other_connection_options(headers) {
            f.put(b", ");
            f.put(t);
        }
        f.put(b"\r\n");
    }
    f.put(b"\r\n");
}

fn version_bytes(v: Version) -> &'static [u8; 8] {
    match v {
        Version::Http10 => b"HTTP/1.0",
        Version::Http11 => b"HTTP/1.1",
    }
}

#[inline(always)]
fn check_request_line(method: &[u8], target: &[u8]) -> Result<(), Error> {
    if !is_token_str(method) {
        return Err(Error::local(ErrorKind::InvalidMethod));
    }
    if target.is_empty()
        || !target
            .iter()
            .all(|&b| (0x21..0x7f).contains(&b) && b != b'#')
    {
        return Err(Error::local(ErrorKind::InvalidTarget));
    }
    check_form(method, target).map_err(Error::local)
}

#[inline(always)]
fn check_status_line(status: u16, reason: &[u8]) -> Result<(), Error> {
    if !(100..=999).contains(&status) {
        return Err(Error::local(ErrorKind::InvalidStatus));
    }
    if !all_field_bytes(reason) {
        return Err(Error::local(ErrorKind::InvalidReason));
    }
    Ok(())
}

/// Validates and writes a request head. Everything is checked and measured first, then the
/// head is written in one piece (or only counted, when it does not fit).
pub(crate) fn write_request_head(
    w: &mut Writer<'_>,
    method: &[u8],
    target: &[u8],
    version: Version,
    headers: &[Header<'_>],
    extra: Extra,
) -> Result<(), Error> {
    check_request_line(method, target)?;
    let fields_len = checked_fields_len(headers, extra)?;
    // "METHOD SP target SP HTTP/1.1 CRLF"
    let len = method.len() + target.len() + 12 + fields_len;
    if let Some(dst) = w.reserve(len) {
        let mut f = Fill::new(dst);
        f.put(method);
        f.put(b" ");
        f.put(target);
        f.put(b" ");
        f.put(version_bytes(version));
        f.put(b"\r\n");
        fill_fields(&mut f, headers, extra);
        debug_assert!(f.is_full());
    }
    Ok(())
}

/// `b"00"` to `b"99"`: the last two digits of a status with one division and one load.
static TWO_DIGITS: [[u8; 2]; 100] = {
    let mut t = [[0u8; 2]; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
        i += 1;
    }
    t
};

/// Validates and writes a status line and fields, as [`write_request_head`] does.
pub(crate) fn write_response_head(
    w: &mut Writer<'_>,
    status: u16,
    reason: &[u8],
    version: Version,
    headers: &[Header<'_>],
    extra: Extra,
) -> Result<(), Error> {
    check_status_line(status, reason)?;
    let fields_len = checked_fields_len(headers, extra)?;
    // "HTTP/1.1 200 " reason CRLF; the status has three digits (checked)
    let len = 13 + reason.len() + 2 + fields_len;
    if let Some(dst) = w.reserve(len) {
        let mut line = *b"HTTP/1.1 000 ";
        line[..8].copy_from_slice(version_bytes(version));
        line[9] = b'0' + (status / 100) as u8;
        line[10..12].copy_from_slice(&TWO_DIGITS[(status % 100) as usize]);
        let mut f = Fill::new(dst);
        f.put(&line);
        f.put(reason);
        f.put(b"\r\n");
        fill_fields(&mut f, headers, extra);
        debug_assert!(f.is_full());
    }
    Ok(())
}

/// Checks a request head as [`encode_request`] does, without writing it: the method a token,
/// the target visible ASCII without a fragment (`#`) and in a form that goes with the method
/// (RFC 9112 section 3.2: `host:port` for CONNECT and only for it, `*` only for OPTIONS, no
/// userinfo in an `http`/`https` target), the fields as [`check_fields`] says.
///
/// ```
/// use h1x::{check_request_head, ErrorKind, Header};
/// assert!(check_request_head(b"GET", b"/", &[Header::new("Host", "a")]).is_ok());
/// assert!(check_request_head(b"CONNECT", b"example.com:443", &[]).is_ok());
/// assert!(check_request_head(b"OPTIONS", b"*", &[]).is_ok());
/// let err = check_request_head(b"GET", b"/a b", &[]).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidTarget);
/// let err = check_request_head(b"GET", b"http://user:pw@example.com/", &[]).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidTarget);
/// let err = check_request_head(b"CONNECT", b"example.com", &[]).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::TargetFormMismatch);
/// ```
pub fn check_request_head(
    method: &[u8],
    target: &[u8],
    headers: &[Header<'_>],
) -> Result<(), Error> {
    check_request_line(method, target)?;
    check_fields(headers)
}

/// Checks what a request's fields must say whatever the connection, as
/// [`Connection::encode`](crate::Connection::encode) does when the request is sent: an HTTP/1.1
/// request has exactly one `Host` (an HTTP/1.0 request at most one), `Content-Length` is one
/// valid number, `Transfer-Encoding` ends in `chunked` and does not come with `Content-Length`.
/// For a binding that refuses such a request when it is built, as h11 does.
///
/// ```
/// use h1x::{check_request_fields, ErrorKind, Header, Version};
/// assert!(check_request_fields(Version::Http11, &[Header::new("Host", "a")]).is_ok());
/// assert!(check_request_fields(Version::Http10, &[]).is_ok());
/// let err = check_request_fields(Version::Http11, &[]).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::MissingHost);
/// assert!(!err.is_remote());
/// let cl = [Header::new("Host", "a"), Header::new("Content-Length", "x")];
/// assert_eq!(check_request_fields(Version::Http11, &cl).unwrap_err().kind(), ErrorKind::InvalidContentLength);
/// ```
pub fn check_request_fields(version: Version, headers: &[Header<'_>]) -> Result<(), Error> {
    let strict = crate::Config::default();
    crate::body::framing::read_fields(headers, &[], &strict, true)
        .and_then(|fields| crate::body::framing::request_body(&fields, version, &strict))
        .map(|_| ())
        .map_err(|e| Error::local(e.kind()))
}

/// Checks a response head as [`encode_response`] does, without writing it: a three-digit
/// status, the reason phrase field bytes, the fields as [`check_fields`] says.
///
/// ```
/// use h1x::{check_response_head, ErrorKind};
/// assert!(check_response_head(102, b"Processing", &[]).is_ok());
/// assert_eq!(check_response_head(102, b"Pro\ncessing", &[]).unwrap_err().kind(), ErrorKind::InvalidReason);
/// assert_eq!(check_response_head(1000, b"", &[]).unwrap_err().kind(), ErrorKind::InvalidStatus);
/// ```
pub fn check_response_head(
    status: u16,
    reason: &[u8],
    headers: &[Header<'_>],
) -> Result<(), Error> {
    check_status_line(status, reason)?;
    check_fields(headers)
}

/// Encode a request head into `out`, returning its length.
///
/// ```
/// use h1x::{encode_request, Header, Version};
/// let mut out = [0u8; 64];
/// let n = encode_request(b"GET", b"/", Version::Http11, &[Header::new("Host", "a")], &mut out).unwrap();
/// assert_eq!(&out[..n], b"GET / HTTP/1.1\r\nHost: a\r\n\r\n");
/// // CR or LF in a value never reaches the wire:
/// assert!(encode_request(b"GET", b"/", Version::Http11, &[Header::new("X", "a\r\nB: c")], &mut out).is_err());
/// ```
pub fn encode_request(
    method: &[u8],
    target: &[u8],
    version: Version,
    headers: &[Header<'_>],
    out: &mut [u8],
) -> Result<usize, Error> {
    let mut w = Writer::new(out);
    write_request_head(&mut w, method, target, version, headers, Extra::default())?;
    w.finish()
}

/// Encode a response head (interim or final) into `out`, returning its length. Framing is the
/// caller's business here; [`Connection::encode`](crate::Connection::encode) adds it for you.
///
/// ```
/// use h1x::{encode_response, Header, Version};
/// let mut out = [0u8; 128];
/// let hints = [Header::new("Link", "</a.css>; rel=preload"), Header::new("Link", "</b.js>; rel=preload")];
/// let n = encode_response(103, b"Early Hints", Version::Http11, &hints, &mut out).unwrap();
/// assert!(out[..n].starts_with(b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>"));
/// let err = encode_response(103, b"Early Hints", Version::Http11, &hints, &mut out[..10]).unwrap_err();
/// assert_eq!(err.kind(), h1x::ErrorKind::BufferTooSmall { needed: n });
/// ```
pub fn encode_response(
    status: u16,
    reason: &[u8],
    version: Version,
    headers: &[Header<'_>],
    out: &mut [u8],
) -> Result<usize, Error> {
    let mut w = Writer::new(out);
    write_response_head(&mut w, status, reason, version, headers, Extra::default())?;
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_invalid_bytes() {
        let mut out = [0u8; 256];
        let v = Version::Http11;
        let bad_names = ["", "a b", "a:b", "a\r\n", "é"];
        for name in bad_names {
            let e =
                encode_response(200, b"OK", v, &[Header::new(name, "x")], &mut out).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidHeaderName, "{name:?}");
        }
        for value in ["a\rb", "a\nb", "a\0b", " a", "a\t", "\x7f"] {
            let e =
                encode_response(200, b"OK", v, &[Header::new("x", value)], &mut out).unwrap_err();
            assert_eq!(e.kind(), ErrorKind::InvalidHeaderValue, "{value:?}");
        }
        for status in [0, 99, 1000] {
            assert_eq!(
                encode_response(status, b"", v, &[], &mut out)
                    .unwrap_err()
                    .kind(),
                ErrorKind::InvalidStatus
            );
        }
        assert_eq!(
            encode_response(200, b"O\nK", v, &[], &mut out)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidReason
        );
        assert_eq!(
            encode_request(b"G T", b"/", v, &[], &mut out)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidMethod
        );
        assert_eq!(
            encode_request(b"GET", b"/ x", v, &[], &mut out)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidTarget
        );
        assert_eq!(
            encode_request(b"GET", b"", v, &[], &mut out)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidTarget
        );
        for (method, target, kind) in [
            (&b"GET"[..], &b"/a#b"[..], ErrorKind::InvalidTarget),
            (b"GET", b"#", ErrorKind::InvalidTarget),
            (b"GET", b"http://u@a/", ErrorKind::InvalidTarget),
            (b"GET", b"a", ErrorKind::InvalidTarget),
            (b"GET", b"*", ErrorKind::TargetFormMismatch),
            (b"GET", b"a:80", ErrorKind::TargetFormMismatch),
            (b"CONNECT", b"/", ErrorKind::TargetFormMismatch),
            (b"CONNECT", b"a", ErrorKind::TargetFormMismatch),
        ] {
            let e = encode_request(method, target, v, &[], &mut out).unwrap_err();
            assert_eq!(e.kind(), kind, "{target:?}");
        }
        for (method, target) in [
            (&b"OPTIONS"[..], &b"*"[..]),
            (b"CONNECT", b"a:443"),
            (b"GET", b"http://a/b?c"),
        ] {
            assert!(encode_request(method, target, v, &[], &mut out).is_ok());
        }
    }

    /// The writer before the one-pass rewrite: checks, then each piece through `Writer::put`.
    fn reference_response(
        status: u16,
        reason: &[u8],
        headers: &[Header<'_>],
        extra: Extra,
        out: &mut [u8],
    ) -> Result<usize, Error> {
        check_response_head(status, reason, headers)?;
        let mut w = Writer::new(out);
        w.put(b"HTTP/1.1 ");
        w.put(&[
            b'0' + (status / 100) as u8,
            b'0' + (status / 10 % 10) as u8,
            b'0' + (status % 10) as u8,
            b' ',
        ]);
        w.put(reason);
        w.put(b"\r\n");
        for h in headers {
            if extra.drops(h) {
                continue;
            }
            for piece in [h.name, b": ", h.value, b"\r\n"] {
                w.put(piece);
            }
        }
        if extra.add_chunked {
            w.put(CHUNKED);
        }
        if extra.add_close {
            w.put(b"Connection: close");
            for h in headers.iter().filter(|h| h.is("connection")) {
                for t in h.value.split(|&b| b == b',') {
                    let t = crate::head::trim_ows(t);
                    let plain =
                        t.eq_ignore_ascii_case(b"close") || t.eq_ignore_ascii_case(b"keep-alive");
                    if !t.is_empty() && !plain {
                        w.put(b", ");
                        w.put(t);
                    }
                }
            }
            w.put(b"\r\n");
        }
        w.put(b"\r\n");
        w.finish()
    }

    #[test]
    fn one_pass_head_matches_piecewise_writer() {
        let mut next = crate::test_rng::below(0x9e37_79b9_7f4a_7c15u64);
        let names = [
            "Content-Length",
            "transfer-encoding",
            "X",
            "Link",
            "a b",
            "",
            "Set-Cookie",
            "Connection",
        ];
        let values = [
            "",
            "5",
            "chunked",
            " x",
            "a\tb",
            "a\nb",
            "0123456789abcdefghij",
            "caf\u{e9}",
            "keep-alive, Upgrade",
            "close",
        ];
        let reasons = [
            "",
            "OK",
            "Processing",
            "Non-Authoritative Information",
            "O\rK",
            "\t",
        ];
        for _ in 0..20_000 {
            let mut headers = [Header::EMPTY; 4];
            let count = next(5);
            for h in &mut headers[..count] {
                *h = Header::new(names[next(names.len())], values[next(values.len())]);
            }
            let headers = &headers[..count];
            let extra = Extra {
                drop_content_length: next(2) == 0,
                drop_transfer_encoding: next(2) == 0,
                add_chunked: next(2) == 0,
                add_close: next(2) == 0,
                // the caller vouches only for valid fields
                valid_field: Some(next(5))
                    .filter(|&i| i < count && check_field(&headers[i]).is_ok()),
            };
            let status = [99, 100, 200, 999, 1000, next(1100) as u16][next(6)];
            let reason = reasons[next(reasons.len())].as_bytes();
            let room = next(160);
            let (mut a, mut b) = ([0u8; 160], [0u8; 160]);
            let mut w = Writer::new(&mut a[..room]);
            let got = write_response_head(&mut w, status, reason, Version::Http11, headers, extra)
                .and_then(|()| w.finish());
            let want = reference_response(status, reason, headers, extra, &mut b[..room]);
            assert_eq!(
                got, want,
                "{status} {reason:?} {headers:?} {extra:?} {room}"
            );
            if let Ok(n) = got {
                assert_eq!(a[..n], b[..n]);
            }
        }
    }

    #[test]
    fn extra_fields() {
        let mut out = [0u8; 256];
        let mut w = Writer::new(&mut out);
        let extra = Extra {
            drop_content_length: true,
            add_chunked: true,
            add_close: true,
            ..Extra::default()
        };
        write_response_head(
            &mut w,
            200,
            b"OK",
            Version::Http11,
            &[Header::new("content-length", "5")],
            extra,
        )
        .unwrap();
        let n = w.finish().unwrap();
        assert_eq!(
            &out[..n],
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        );
    }

    #[test]
    fn connection_close_written_once() {
        let mut out = [0u8; 256];
        let extra = Extra {
            add_close: true,
            ..Extra::default()
        };
        let given = [
            Header::new("connection", "Close"),
            Header::new("X", "1"),
            Header::new("Connection", "keep-alive, Upgrade"),
        ];
        let mut w = Writer::new(&mut out);
        write_response_head(&mut w, 200, b"OK", Version::Http11, &given, extra).unwrap();
        let n = w.finish().unwrap();
        assert_eq!(
            &out[..n],
            b"HTTP/1.1 200 OK\r\nX: 1\r\nConnection: close, Upgrade\r\n\r\n"
        );
    }
}

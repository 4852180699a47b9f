//! Request and response heads.

use super::Writer;
use crate::head::{all_field_bytes, is_token_str, Header, Version};
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
    /// Append `Connection: close`.
    pub add_close: bool,
}

fn check_value(v: &[u8]) -> Result<(), Error> {
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
pub fn check_fields(headers: &[Header<'_>]) -> Result<(), Error> {
    for h in headers {
        if !is_token_str(h.name) {
            return Err(Error::local(ErrorKind::InvalidHeaderName));
        }
        check_value(h.value)?;
    }
    Ok(())
}

fn version_bytes(v: Version) -> &'static [u8] {
    match v {
        Version::Http10 => b"HTTP/1.0",
        Version::Http11 => b"HTTP/1.1",
    }
}

fn write_fields(w: &mut Writer<'_>, headers: &[Header<'_>], extra: Extra) {
    for h in headers {
        if (extra.drop_content_length && h.is("content-length"))
            || (extra.drop_transfer_encoding && h.is("transfer-encoding"))
        {
            continue;
        }
        w.put(h.name);
        w.put(b": ");
        w.put(h.value);
        w.put(b"\r\n");
    }
    if extra.add_chunked {
        w.put(b"Transfer-Encoding: chunked\r\n");
    }
    if extra.add_close {
        w.put(b"Connection: close\r\n");
    }
    w.put(b"\r\n");
}

/// Validates and writes a request head; `headers` must already be checked by the caller when
/// `checked` is set.
pub(crate) fn write_request_head(
    w: &mut Writer<'_>,
    method: &[u8],
    target: &[u8],
    version: Version,
    headers: &[Header<'_>],
    extra: Extra,
) -> Result<(), Error> {
    check_request_head(method, target, headers)?;
    w.put(method);
    w.put(b" ");
    w.put(target);
    w.put(b" ");
    w.put(version_bytes(version));
    w.put(b"\r\n");
    write_fields(w, headers, extra);
    Ok(())
}

/// Validates and writes a status line and fields.
pub(crate) fn write_response_head(
    w: &mut Writer<'_>,
    status: u16,
    reason: &[u8],
    version: Version,
    headers: &[Header<'_>],
    extra: Extra,
) -> Result<(), Error> {
    check_response_head(status, reason, headers)?;
    // the status line up to the reason in one piece: the status has three digits (checked)
    let mut line = *b"HTTP/1.1 000 ";
    line[..8].copy_from_slice(version_bytes(version));
    line[9] = b'0' + (status / 100) as u8;
    line[10] = b'0' + (status / 10 % 10) as u8;
    line[11] = b'0' + (status % 10) as u8;
    w.put(&line);
    w.put(reason);
    w.put(b"\r\n");
    write_fields(w, headers, extra);
    Ok(())
}

/// Checks a request head as [`encode_request`] does, without writing it: the method a token,
/// the target visible ASCII, the fields as [`check_fields`] says.
///
/// ```
/// use h1x::{check_request_head, ErrorKind, Header};
/// assert!(check_request_head(b"GET", b"/", &[Header::new("Host", "a")]).is_ok());
/// let err = check_request_head(b"GET", b"/a b", &[]).unwrap_err();
/// assert_eq!(err.kind(), ErrorKind::InvalidTarget);
/// ```
pub fn check_request_head(
    method: &[u8],
    target: &[u8],
    headers: &[Header<'_>],
) -> Result<(), Error> {
    if !is_token_str(method) {
        return Err(Error::local(ErrorKind::InvalidMethod));
    }
    if target.is_empty() || !target.iter().all(|&b| (0x21..0x7f).contains(&b)) {
        return Err(Error::local(ErrorKind::InvalidTarget));
    }
    check_fields(headers)
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
    if !(100..=999).contains(&status) {
        return Err(Error::local(ErrorKind::InvalidStatus));
    }
    if !all_field_bytes(reason) {
        return Err(Error::local(ErrorKind::InvalidReason));
    }
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
}

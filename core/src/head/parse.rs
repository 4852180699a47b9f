//! The full, validating parse of a start line and field lines, in one pass over the bytes.
//!
//! Every function returns `Ok(None)` when the buffer ends before the construct does. Offsets in
//! errors count from the start of `buf`.

use super::chars::{find_byte, skip_field_bytes, skip_target_bytes, skip_token};
use super::{Header, Version};
use crate::config::{Config, Leniency};
use crate::{Error, ErrorKind};

type Parsed<T> = Result<Option<T>, Error>;

/// After a line's content at `i`: CRLF (or LF when lenient). Returns the index after it.
#[inline(always)]
pub(crate) fn line_end(buf: &[u8], i: usize, cfg: &Config, other: ErrorKind) -> Parsed<usize> {
    match buf.get(i) {
        None => Ok(None),
        Some(b'\r') => match buf.get(i + 1) {
            None => Ok(None),
            Some(b'\n') => Ok(Some(i + 2)),
            Some(_) => Err(Error::remote(ErrorKind::BareCr, i)),
        },
        Some(b'\n') if cfg.allows(Leniency::BARE_LF) => Ok(Some(i + 1)),
        Some(b'\n') => Err(Error::remote(ErrorKind::BareLf, i)),
        Some(_) => Err(Error::remote(other, i)),
    }
}

/// `HTTP/1.1` at `at`. Minor versions above 1 are treated as 1.1 (RFC 9110 section 2.5).
fn version(buf: &[u8], at: usize) -> Parsed<Version> {
    let Some(v) = buf.get(at..at + 8) else {
        // Reject early only what can never become valid, so errors stay split-independent
        // (the caller re-checks once the head is complete anyway).
        return Ok(None);
    };
    if &v[..5] != b"HTTP/" || !v[5].is_ascii_digit() || v[6] != b'.' || !v[7].is_ascii_digit() {
        return Err(Error::remote(ErrorKind::InvalidVersion, at));
    }
    match (v[5], v[7]) {
        (b'1', b'0') => Ok(Some(Version::Http10)),
        (b'1', _) => Ok(Some(Version::Http11)),
        _ => Err(Error::remote(ErrorKind::UnsupportedVersion, at)),
    }
}

/// The parts of a request line.
pub(crate) struct RequestLine<'b> {
    pub method: &'b [u8],
    pub target: &'b [u8],
    pub version: Version,
}

/// `method SP request-target SP HTTP-version CRLF`. Returns the line and the index after it.
///
/// The target's bytes are checked here; its form (which must go with the method, RFC 9112
/// section 3.2, see `target.rs`) is checked by `full_parse` once the whole head is there.
#[inline(always)]
pub(crate) fn request_line<'b>(buf: &'b [u8], cfg: &Config) -> Parsed<(RequestLine<'b>, usize)> {
    let m_end = skip_token(buf, 0);
    let Some(&after_method) = buf.get(m_end) else {
        return Ok(None);
    };
    if m_end == 0 || after_method != b' ' {
        return Err(Error::remote(ErrorKind::InvalidMethod, m_end));
    }
    let t_start = m_end + 1;
    let t_end = skip_target_bytes(buf, t_start);
    let Some(&after_target) = buf.get(t_end) else {
        return Ok(None);
    };
    if after_target != b' ' || t_end == t_start {
        let kind = match after_target {
            b' ' | b'\r' | b'\n' => ErrorKind::InvalidStartLine,
            _ => ErrorKind::InvalidTarget,
        };
        return Err(Error::remote(kind, t_end));
    }
    let v_at = t_end + 1;
    let Some(version) = version(buf, v_at)? else {
        return Ok(None);
    };
    let Some(next) = line_end(buf, v_at + 8, cfg, ErrorKind::InvalidVersion)? else {
        return Ok(None);
    };
    let line = RequestLine {
        method: &buf[..m_end],
        target: &buf[t_start..t_end],
        version,
    };
    Ok(Some((line, next)))
}

/// The parts of a status line.
pub(crate) struct StatusLine<'b> {
    pub version: Version,
    pub status: u16,
    pub reason: &'b [u8],
}

/// `HTTP-version SP 3DIGIT [SP reason-phrase] CRLF`. The SP before an empty reason may be
/// missing, as h11 and llhttp accept.
#[inline(always)]
pub(crate) fn status_line<'b>(buf: &'b [u8], cfg: &Config) -> Parsed<(StatusLine<'b>, usize)> {
    let Some(version) = version(buf, 0)? else {
        return Ok(None);
    };
    let Some(sp) = buf.get(8) else {
        return Ok(None);
    };
    if *sp != b' ' {
        return Err(Error::remote(ErrorKind::InvalidStartLine, 8));
    }
    let Some(d) = buf.get(9..12) else {
        if buf[9..].iter().all(u8::is_ascii_digit) {
            return Ok(None);
        }
        return Err(Error::remote(ErrorKind::InvalidStatus, 9));
    };
    if !d.iter().all(u8::is_ascii_digit) || d[0] == b'0' {
        return Err(Error::remote(ErrorKind::InvalidStatus, 9));
    }
    let status = (d[0] - b'0') as u16 * 100 + (d[1] - b'0') as u16 * 10 + (d[2] - b'0') as u16;
    let (reason_start, reason_end) = match buf.get(12) {
        None => return Ok(None),
        Some(b' ') => {
            let mut i = 13;
            loop {
                i = skip_field_bytes(buf, i);
                match buf.get(i) {
                    None => return Ok(None),
                    Some(b'\t') => i += 1,
                    Some(_) => break,
                }
            }
            (13, i)
        }
        Some(b'\r' | b'\n') => (12, 12),
        Some(_) => return Err(Error::remote(ErrorKind::InvalidStatus, 12)),
    };
    let Some(next) = line_end(buf, reason_end, cfg, ErrorKind::InvalidReason)? else {
        return Ok(None);
    };
    let line = StatusLine {
        version,
        status,
        reason: &buf[reason_start..reason_end],
    };
    Ok(Some((line, next)))
}

#[inline(always)]
fn is_ows(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// Field lines from `at` up to and including the empty line. Returns how many headers were
/// stored and the index after the empty line.
///
/// `obs_fold` permits continuation lines (responses, when lenient): the previous value then
/// spans them. Every line's content must fit `cfg.max_line_bytes`.
#[inline(always)]
pub(crate) fn fields<'b>(
    buf: &'b [u8],
    mut at: usize,
    headers: &mut [Header<'b>],
    cfg: &Config,
    obs_fold: bool,
) -> Parsed<(usize, usize)> {
    let max_line = cfg.max_line_bytes as usize;
    let mut n = 0;
    let mut last_value_start = 0;
    loop {
        let line_start = at;
        let Some(&first) = buf.get(at) else {
            return Ok(None);
        };
        if first == b'\r' || first == b'\n' {
            return Ok(line_end(buf, at, cfg, ErrorKind::BareCr)?.map(|end| (n, end)));
        }
        let folded = is_ows(first);
        let (name, v_start) = if folded {
            if !obs_fold || n == 0 {
                return Err(Error::remote(ErrorKind::ObsFold, at));
            }
            (&b""[..], at)
        } else {
            let name_end = skip_token(buf, at);
            let Some(&colon) = buf.get(name_end) else {
                return Ok(None);
            };
            if colon != b':' || name_end == at {
                let kind = if is_ows(colon) && name_end > at {
                    ErrorKind::SpaceBeforeColon
                } else {
                    ErrorKind::InvalidHeaderName
                };
                return Err(Error::remote(kind, name_end));
            }
            (&buf[at..name_end], name_end + 1)
        };
        let mut v = v_start;
        while buf.get(v).is_some_and(|&b| is_ows(b)) {
            v += 1;
        }
        let value_start = v;
        loop {
            v = skip_field_bytes(buf, v);
            match buf.get(v) {
                None => return Ok(None),
                Some(b'\t') => v += 1,
                Some(_) => break,
            }
        }
        let Some(next) = line_end(buf, v, cfg, ErrorKind::InvalidHeaderValue)? else {
            return Ok(None);
        };
        let content_end = next - 1; // index of the LF
        if content_end - line_start > max_line {
            return Err(Error::remote(ErrorKind::LineTooLong, line_start + max_line));
        }
        let mut value_end = v;
        while value_end > value_start && is_ows(buf[value_end - 1]) {
            value_end -= 1;
        }
        if folded {
            // the previous value grows to cover this line (its fold bytes included)
            let prev = &mut headers[n - 1];
            if value_end > value_start {
                prev.value = &buf[last_value_start..value_end];
            }
        } else {
            let Some(slot) = headers.get_mut(n) else {
                return Err(Error::remote(ErrorKind::TooManyHeaders, line_start)
                    .with_needed_headers(fields_needed(buf, line_start, n)));
            };
            *slot = Header {
                name,
                value: &buf[value_start..value_end],
            };
            last_value_start = value_start;
            n += 1;
        }
        at = next;
    }
}

/// How many header slots the field lines need: the `stored` ones plus every line from `at` up to
/// the empty line that is not a continuation (obs-fold). Cold: only for [`ErrorKind::TooManyHeaders`].
#[cold]
fn fields_needed(buf: &[u8], mut at: usize, stored: usize) -> usize {
    let mut needed = stored;
    while let Some(&first) = buf.get(at) {
        if first == b'\r' || first == b'\n' {
            break;
        }
        needed += usize::from(!is_ows(first));
        match find_byte(&buf[at..], b'\n') {
            Some(i) => at += i + 1,
            None => break,
        }
    }
    needed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> Config {
        Config::default()
    }

    #[test]
    fn request_lines() {
        let (l, next) = request_line(b"GET /a?b HTTP/1.1\r\nX", &cfg())
            .unwrap()
            .unwrap();
        assert_eq!(
            (l.method, l.target, l.version, next),
            (&b"GET"[..], &b"/a?b"[..], Version::Http11, 19)
        );
        assert!(request_line(b"GET /a HTTP/1.", &cfg()).unwrap().is_none());
        let bad: &[(&[u8], ErrorKind, usize)] = &[
            (b"GET  / HTTP/1.1\r\n", ErrorKind::InvalidStartLine, 4),
            (b"GET / HTTP/1.1 \r\n", ErrorKind::InvalidVersion, 14),
            (b"GET / http/1.1\r\n", ErrorKind::InvalidVersion, 6),
            (b"GET / HTTP/1.10\r\n", ErrorKind::InvalidVersion, 14),
            (b"GET / HTTP/2.0\r\n", ErrorKind::UnsupportedVersion, 6),
            (b"G@T / HTTP/1.1\r\n", ErrorKind::InvalidMethod, 1),
            (b" GET / HTTP/1.1\r\n", ErrorKind::InvalidMethod, 0),
            (b"GET /\x7f HTTP/1.1\r\n", ErrorKind::InvalidTarget, 5),
            (b"GET /a#b HTTP/1.1\r\n", ErrorKind::InvalidTarget, 6),
            (b"GET /a# HTTP/1.1\r\n", ErrorKind::InvalidTarget, 6),
            (b"GET # HTTP/1.1\r\n", ErrorKind::InvalidTarget, 4),
            (b"GET /\r\n", ErrorKind::InvalidStartLine, 5),
            (b"GET / HTTP/1.1\rX", ErrorKind::BareCr, 14),
            (b"GET / HTTP/1.1\n", ErrorKind::BareLf, 14),
        ];
        for (input, kind, offset) in bad {
            let err = request_line(input, &cfg())
                .err()
                .unwrap_or_else(|| panic!("{input:?}"));
            assert_eq!(
                (err.kind(), err.offset()),
                (*kind, *offset),
                "{:?}",
                core::str::from_utf8(input)
            );
        }
    }

    #[test]
    fn status_lines() {
        let (l, _) = status_line(b"HTTP/1.1 102 Processing\r\n", &cfg())
            .unwrap()
            .unwrap();
        assert_eq!((l.status, l.reason), (102, &b"Processing"[..]));
        let (l, _) = status_line(b"HTTP/1.0 200\r\n", &cfg()).unwrap().unwrap();
        assert_eq!(
            (l.status, l.reason, l.version),
            (200, &b""[..], Version::Http10)
        );
        for bad in [
            &b"HTTP/1.1 20 OK\r\n"[..],
            b"HTTP/1.1 2000 OK\r\n",
            b"HTTP/1.1 099 X\r\n",
            b"HTTP/1.1 abc X\r\n",
        ] {
            assert_eq!(
                status_line(bad, &cfg()).err().map(|e| e.kind()),
                Some(ErrorKind::InvalidStatus)
            );
        }
        assert_eq!(
            status_line(b"HTTP/1.1 200 O\x01K\r\n", &cfg())
                .err()
                .map(|e| e.kind()),
            Some(ErrorKind::InvalidReason)
        );
    }

    #[test]
    fn field_lines() {
        let mut h = [Header::EMPTY; 4];
        let buf = b"A: 1\r\nB:\t two \t\r\nC:\r\n\r\nrest";
        let (n, end) = fields(buf, 0, &mut h, &cfg(), false).unwrap().unwrap();
        assert_eq!((n, end), (3, 23));
        assert_eq!(
            h[1],
            Header {
                name: b"B",
                value: b"two"
            }
        );
        assert_eq!(h[2].value, b"");
        let bad: &[(&[u8], ErrorKind)] = &[
            (b"A : 1\r\n\r\n", ErrorKind::SpaceBeforeColon),
            (b": 1\r\n\r\n", ErrorKind::InvalidHeaderName),
            (b"A\x00: 1\r\n\r\n", ErrorKind::InvalidHeaderName),
            (b"A: 1\x00\r\n\r\n", ErrorKind::InvalidHeaderValue),
            (b"A: 1\r\n 2\r\n\r\n", ErrorKind::ObsFold),
            (b"A: 1\rB: 2\r\n\r\n", ErrorKind::BareCr),
            (b"A: 1\nB: 2\r\n\r\n", ErrorKind::BareLf),
            (b"A: 1\r\n\rX", ErrorKind::BareCr),
            (
                b"A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n\r\n",
                ErrorKind::TooManyHeaders,
            ),
        ];
        for (input, kind) in bad {
            let got = fields(input, 0, &mut h, &cfg(), false)
                .err()
                .map(|e| e.kind());
            assert_eq!(got, Some(*kind), "{:?}", core::str::from_utf8(input));
        }
        let err = fields(
            b"A: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\nE: 5\r\n  5b\r\nF: 6\r\n\r\n",
            0,
            &mut h,
            &cfg(),
            true,
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::TooManyHeaders);
        assert_eq!(
            err.needed_headers(),
            Some(6),
            "E's continuation needs no slot"
        );
        let (n, _) = fields(b"A: 1\r\n  2\r\nB: 3\r\n\r\n", 0, &mut h, &cfg(), true)
            .unwrap()
            .unwrap();
        assert_eq!(n, 2);
        assert_eq!(h[0].value, b"1\r\n  2");
    }
}

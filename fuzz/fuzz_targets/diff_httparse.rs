//! Differential: h1x's `HeadParser` against httparse on the same bytes, request and response
//! heads, both with their default (strict) configuration and 32 header slots.
//!
//! When both complete, the head length, method / target / version or status / reason / version,
//! and every header name and value must agree. When one accepts what the other rejects (or one
//! waits for more bytes where the other decided), the input must show one of the documented
//! strictness differences below, or the target fails.
//!
//! Documented differences (h1x's choice, with its reason):
//!
//! * `BARE_LF` — h1x rejects LF without CR as a line terminator (RFC 9112 2.2 permits accepting it;
//!   h1x does not by default because a front end that disagrees sees different message boundaries:
//!   request smuggling). httparse accepts bare LF everywhere, including in leading empty lines.
//! * `LIMITS` — h1x enforces line (8 KiB) and head (16 KiB) limits; httparse has none.
//! * `TARGET_OBS_TEXT` — h1x requires the request-target to be VCHAR (RFC 9112 3.2, RFC 3986);
//!   httparse accepts bytes 0x80-0xFF that form UTF-8.
//! * `TARGET_FORM` — h1x requires the request-target's form to go with the method and refuses a
//!   fragment (`#`) or userinfo in an `http(s)` target (RFC 9112 3.2, RFC 9110 4.2.4, 9.3.6; the
//!   check `check_request_head` makes); httparse accepts any VCHAR target with any method.
//! * `STATUS_0XX` — h1x rejects status codes below 100 (RFC 9110 15: the first digit is the class,
//!   1-5); httparse accepts any three digits.
//! * `RESPONSE_LEADING_EMPTY_LINES` — h1x skips empty lines only before a request-line (RFC 9112
//!   2.2 speaks of servers); httparse skips them before a status-line too.
//! * `HIGHER_MINOR_VERSION` — h1x reads `HTTP/1.2` to `HTTP/1.9` as HTTP/1.1 (RFC 9110 2.5: a
//!   recipient treats a higher minor version as the highest it supports); httparse rejects them.
//! * `DEFERRED_ERRORS` — h1x reports a malformed head once its end has arrived (so the error and its
//!   offset do not depend on how the bytes were split); httparse may reject a prefix and h1x then
//!   says `Partial`.
//! * `REASON_OBS_TEXT` — httparse returns an empty reason when the reason phrase has obs-text;
//!   h1x returns the bytes. Reasons are compared only when they are ASCII.
//!
//! Input layout: byte 0 bit 0 = request (0) or response (1), then the head bytes.
#![no_main]

use h1x::{HeadParser, Header, Status, Version};
use libfuzzer_sys::fuzz_target;

const SLOTS: usize = 32;

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Diff {
    BareLf,
    Limits,
    TargetObsText,
    TargetForm,
    Status0xx,
    ResponseLeadingEmptyLines,
    HigherMinorVersion,
}

/// Which documented differences the input shows.
fn features(buf: &[u8], response: bool) -> Vec<Diff> {
    let mut out = vec![];
    if buf
        .iter()
        .enumerate()
        .any(|(i, &b)| b == b'\n' && (i == 0 || buf[i - 1] != b'\r'))
    {
        out.push(Diff::BareLf);
    }
    let longest_line = buf
        .split(|&b| b == b'\n')
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    if buf.len() > 16 * 1024 || longest_line > 8 * 1024 {
        out.push(Diff::Limits);
    }
    // the start line, after any leading empty lines
    let start = buf
        .iter()
        .position(|&b| b != b'\r' && b != b'\n')
        .unwrap_or(buf.len());
    let line_end = buf[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(buf.len(), |i| start + i);
    let line = &buf[start..line_end];
    if response {
        if start > 0 {
            out.push(Diff::ResponseLeadingEmptyLines);
        }
        if line.get(9) == Some(&b'0') {
            out.push(Diff::Status0xx);
        }
        if line.len() >= 8 && line.starts_with(b"HTTP/1.") && (b'2'..=b'9').contains(&line[7]) {
            out.push(Diff::HigherMinorVersion);
        }
    } else {
        let mut parts = line.splitn(3, |&b| b == b' ');
        let (method, target, version) = (parts.next(), parts.next(), parts.next());
        if target.is_some_and(|t| t.iter().any(|&b| b >= 0x80)) {
            out.push(Diff::TargetObsText);
        }
        if let (Some(m), Some(t)) = (method, target) {
            let form = h1x::check_request_head(m, t, &[]).map_err(|e| e.kind());
            if matches!(
                form,
                Err(h1x::ErrorKind::InvalidTarget | h1x::ErrorKind::TargetFormMismatch)
            ) {
                out.push(Diff::TargetForm);
            }
        }
        if let Some(v) = version {
            if v.len() >= 8 && v.starts_with(b"HTTP/1.") && (b'2'..=b'9').contains(&v[7]) {
                out.push(Diff::HigherMinorVersion);
            }
        }
    }
    out
}

fn fields(h: &[Header<'_>]) -> Vec<(Vec<u8>, Vec<u8>)> {
    h.iter()
        .map(|h| (h.name.to_vec(), h.value.to_vec()))
        .collect()
}

fn their_fields(h: &[httparse::Header<'_>]) -> Vec<(Vec<u8>, Vec<u8>)> {
    h.iter()
        .map(|h| (h.name.as_bytes().to_vec(), h.value.to_vec()))
        .collect()
}

fn version_number(v: Version) -> u8 {
    match v {
        Version::Http10 => 0,
        Version::Http11 => 1,
    }
}

/// The decision of one parser, for the mismatch checks.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum Verdict {
    Complete,
    Partial,
    Error,
}

fn mismatch(ours: Verdict, theirs: Verdict, detail: &str, buf: &[u8], response: bool) {
    let f = features(buf, response);
    let explained = match (ours, theirs) {
        (Verdict::Partial, Verdict::Error) => true, // DEFERRED_ERRORS
        (Verdict::Error, Verdict::Complete | Verdict::Partial) => f.iter().any(|d| {
            matches!(
                d,
                Diff::BareLf
                    | Diff::Limits
                    | Diff::TargetObsText
                    | Diff::TargetForm
                    | Diff::Status0xx
                    | Diff::ResponseLeadingEmptyLines
            )
        }),
        (Verdict::Complete, Verdict::Error) => f.contains(&Diff::HigherMinorVersion),
        _ => false,
    };
    assert!(
        explained,
        "h1x {ours:?} vs httparse {theirs:?} ({detail}) on {:?}, features {f:?}",
        String::from_utf8_lossy(buf)
    );
}

fn requests(buf: &[u8]) {
    let mut ours = [Header::EMPTY; SLOTS];
    let mut theirs = [httparse::EMPTY_HEADER; SLOTS];
    let mut req = httparse::Request::new(&mut theirs);
    let a = HeadParser::new().parse_request(buf, &mut ours);
    let b = req.parse(buf);
    match (a, b) {
        (Ok(Status::Complete((len, r))), Ok(httparse::Status::Complete(their_len))) => {
            assert_eq!(len, their_len, "head length");
            assert_eq!(Some(r.method), req.method.map(str::as_bytes));
            assert_eq!(Some(r.target), req.path.map(str::as_bytes));
            if req.version != Some(version_number(r.version)) {
                mismatch(Verdict::Complete, Verdict::Error, "version", buf, false);
            }
            assert_eq!(fields(r.headers), their_fields(req.headers));
        }
        (a, b) => {
            let ours = match a {
                Ok(Status::Complete(_)) => Verdict::Complete,
                Ok(Status::Partial) => Verdict::Partial,
                Err(_) => Verdict::Error,
            };
            let theirs = match b {
                Ok(httparse::Status::Complete(_)) => Verdict::Complete,
                Ok(httparse::Status::Partial) => Verdict::Partial,
                Err(_) => Verdict::Error,
            };
            if ours != theirs {
                mismatch(ours, theirs, &format!("{a:?} / {b:?}"), buf, false);
            }
        }
    }
}

fn responses(buf: &[u8]) {
    let mut ours = [Header::EMPTY; SLOTS];
    let mut theirs = [httparse::EMPTY_HEADER; SLOTS];
    let mut res = httparse::Response::new(&mut theirs);
    let a = HeadParser::new().parse_response(buf, &mut ours);
    let b = res.parse(buf);
    match (a, b) {
        (Ok(Status::Complete((len, r))), Ok(httparse::Status::Complete(their_len))) => {
            assert_eq!(len, their_len, "head length");
            assert_eq!(Some(r.status), res.code);
            if r.reason.is_ascii() {
                assert_eq!(Some(r.reason), res.reason.map(str::as_bytes));
            }
            if res.version != Some(version_number(r.version)) {
                mismatch(Verdict::Complete, Verdict::Error, "version", buf, true);
            }
            assert_eq!(fields(r.headers), their_fields(res.headers));
        }
        (a, b) => {
            let ours = match a {
                Ok(Status::Complete(_)) => Verdict::Complete,
                Ok(Status::Partial) => Verdict::Partial,
                Err(_) => Verdict::Error,
            };
            let theirs = match b {
                Ok(httparse::Status::Complete(_)) => Verdict::Complete,
                Ok(httparse::Status::Partial) => Verdict::Partial,
                Err(_) => Verdict::Error,
            };
            if ours != theirs {
                mismatch(ours, theirs, &format!("{a:?} / {b:?}"), buf, true);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let [sel, buf @ ..] = data else { return };
    if sel & 1 == 0 {
        requests(buf);
    } else {
        responses(buf);
    }
});

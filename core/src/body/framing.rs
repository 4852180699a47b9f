//! The framing decision of RFC 9112 section 6.3, from a head's fields.

use super::host::is_valid_host;
use crate::head::{comma_list, eq_lower, find_byte, is_token_str, trim_ows, Header, Version};
use crate::{Config, Error, ErrorKind, Leniency, Span};

/// How a message's body is delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// No body at all (HEAD responses, 1xx, 204, 304; requests without framing fields).
    Empty,
    /// Exactly this many bytes (Content-Length).
    Length(u64),
    /// The chunked transfer coding.
    Chunked,
    /// Everything until the connection closes (responses only).
    UntilClose,
}

/// What the framing, connection and expectation fields of a head say.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Fields {
    /// A valid Content-Length.
    pub content_length: Option<u64>,
    /// Transfer-Encoding is present.
    pub te: bool,
    /// Transfer-Encoding ends with `chunked`.
    pub chunked_last: bool,
    /// Transfer-Encoding lists a coding other than chunked that h1x does not know.
    pub te_unknown: bool,
    /// Transfer-Encoding lists a coding other than chunked (the body stays coded).
    pub te_coded: bool,
    /// `Connection: close`.
    pub close: bool,
    /// `Upgrade` is present.
    pub upgrade: bool,
    /// `Expect: 100-continue`.
    pub expect_continue: bool,
    /// `Expect` with a member other than `100-continue` (RFC 9110 section 10.1.1: 417).
    pub expect_unknown: bool,
    /// How many Host fields.
    pub hosts: u8,
    /// Offset of the first Transfer-Encoding field, for errors.
    pub te_at: usize,
}

/// Codings that may precede `chunked` in a request (RFC 9110 section 8.4.1 and the IANA
/// registry); the body bytes are handed over still coded.
const KNOWN_CODINGS: [&[u8]; 5] = [b"gzip", b"x-gzip", b"deflate", b"compress", b"x-compress"];

/// 1 to 19 digits (19 always fit a u64), in one pass.
fn parse_content_length(v: &[u8]) -> Option<u64> {
    if v.is_empty() || v.len() > 19 {
        return None;
    }
    let mut n = 0u64;
    for &b in v {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + d as u64;
    }
    Some(n)
}

/// Whether the comma-separated list `value` has an element equal to `token`, ASCII case
/// ignored.
fn list_contains(value: &[u8], token: &[u8]) -> bool {
    if find_byte(value, b',').is_none() {
        // one element, the usual case (`keep-alive`, `close`): no splitting
        return trim_ows(value).eq_ignore_ascii_case(token);
    }
    comma_list(value).any(|e| e.eq_ignore_ascii_case(token))
}

/// Reads the fields that decide framing. `head` is the buffer the fields were parsed from, to
/// turn field positions into offsets for errors (empty when encoding).
pub(crate) fn read_fields(
    headers: &[Header<'_>],
    head: &[u8],
    cfg: &Config,
    request: bool,
) -> Result<Fields, Error> {
    let at = |h: &Header<'_>| Span::of(head, h.name).map_or(0, |s| s.start);
    let value_at = |h: &Header<'_>| Span::of(head, h.value).map_or(0, |s| s.start);
    let mut f = Fields::default();
    let mut te_done = false; // `chunked` already seen: anything after it is an error
    for h in headers {
        // dispatch on length first: most fields are none of these
        match h.name.len() {
            14 if eq_lower(h.name, b"content-length") => {
                let lenient = cfg.allows(Leniency::DUPLICATE_CONTENT_LENGTH);
                let mut record = |n: u64| match f.content_length {
                    Some(prev) if prev != n || !lenient => {
                        Err(Error::remote(ErrorKind::DuplicateContentLength, at(h)))
                    }
                    _ => {
                        f.content_length = Some(n);
                        Ok(())
                    }
                };
                // the usual value is one plain number: no list to split, no whitespace to trim
                if let Some(n) = parse_content_length(h.value) {
                    record(n)?;
                } else {
                    for item in h.value.split(|&b| b == b',') {
                        let item = trim_ows(item);
                        let n = parse_content_length(item)
                            .ok_or(Error::remote(ErrorKind::InvalidContentLength, value_at(h)))?;
                        record(n)?;
                    }
                }
            }
            17 if eq_lower(h.name, b"transfer-encoding") => {
                if !f.te {
                    f.te_at = at(h);
                }
                f.te = true;
                let mut any = false;
                for coding in comma_list(h.value) {
                    any = true;
                    if !is_token_str(coding) {
                        return Err(Error::remote(
                            ErrorKind::InvalidTransferEncoding,
                            value_at(h),
                        ));
                    }
                    let chunked = coding.eq_ignore_ascii_case(b"chunked");
                    if te_done && (request || chunked) {
                        // `chunked` must be applied last and once
                        return Err(Error::remote(
                            ErrorKind::InvalidTransferEncoding,
                            value_at(h),
                        ));
                    }
                    if !chunked {
                        f.te_coded = true;
                        if !KNOWN_CODINGS.iter().any(|k| coding.eq_ignore_ascii_case(k)) {
                            f.te_unknown = true;
                        }
                    }
                    te_done = chunked;
                }
                if !any {
                    return Err(Error::remote(
                        ErrorKind::InvalidTransferEncoding,
                        value_at(h),
                    ));
                }
            }
            10 if eq_lower(h.name, b"connection") => f.close |= list_contains(h.value, b"close"),
            7 if eq_lower(h.name, b"upgrade") => f.upgrade = true,
            6 if eq_lower(h.name, b"expect") => {
                for member in comma_list(h.value) {
                    if member.eq_ignore_ascii_case(b"100-continue") {
                        f.expect_continue = true;
                    } else {
                        f.expect_unknown = true;
                    }
                }
            }
            4 if eq_lower(h.name, b"host") => {
                f.hosts = f.hosts.saturating_add(1);
                if request && !is_valid_host(h.value) {
                    return Err(Error::remote(ErrorKind::InvalidHost, value_at(h)));
                }
            }
            _ => {}
        }
    }
    f.chunked_last = te_done;
    Ok(f)
}

/// [`read_fields`] for a response we send (strict limits), with a shortcut for the usual head:
/// no field the framing rules look at except at most one plain `Content-Length`. Such a head
/// needs none of the general loop's error offsets, lists or counters; any other head takes the
/// general path.
///
/// Also returns the index of that plain `Content-Length`, if the shortcut found one: its name
/// matched `content-length` and its value is 1 to 19 digits, so the field is valid as it stands
/// and the head writer need not check it again.
pub(crate) fn read_sent_response_fields(
    headers: &[Header<'_>],
) -> Result<(Fields, Option<usize>), Error> {
    let mut content_length = None;
    let mut at = None;
    for (i, h) in headers.iter().enumerate() {
        let special = match h.name.len() {
            4 => eq_lower(h.name, b"host"),
            6 => eq_lower(h.name, b"expect"),
            7 => eq_lower(h.name, b"upgrade"),
            10 => eq_lower(h.name, b"connection"),
            17 => eq_lower(h.name, b"transfer-encoding"),
            14 if eq_lower(h.name, b"content-length") => {
                match (content_length, parse_content_length(h.value)) {
                    (None, Some(n)) => {
                        content_length = Some(n);
                        at = Some(i);
                        false
                    }
                    _ => true, // a second one, or a list: the general path decides
                }
            }
            _ => false,
        };
        if special {
            return Ok((read_fields(headers, &[], &Config::default(), false)?, None));
        }
    }
    let fields = Fields {
        content_length,
        ..Fields::default()
    };
    Ok((fields, at))
}

/// Framing of a request (RFC 9112 section 6.3, items 3-6).
pub(crate) fn request_body(f: &Fields, version: Version, cfg: &Config) -> Result<BodyKind, Error> {
    if version == Version::Http11 && f.hosts == 0 && !cfg.allows(Leniency::MISSING_HOST) {
        return Err(Error::remote(ErrorKind::MissingHost, 0));
    }
    if f.hosts > 1 {
        return Err(Error::remote(ErrorKind::DuplicateHost, 0));
    }
    if f.te {
        if version == Version::Http10 {
            return Err(Error::remote(ErrorKind::TransferEncodingInHttp10, f.te_at));
        }
        if f.content_length.is_some() {
            return Err(Error::remote(
                ErrorKind::ContentLengthWithTransferEncoding,
                f.te_at,
            ));
        }
        if f.te_unknown {
            return Err(Error::remote(
                ErrorKind::UnsupportedTransferEncoding,
                f.te_at,
            ));
        }
        if !f.chunked_last {
            return Err(Error::remote(ErrorKind::InvalidTransferEncoding, f.te_at));
        }
        return Ok(BodyKind::Chunked);
    }
    Ok(match f.content_length {
        Some(0) | None => BodyKind::Empty,
        Some(n) => BodyKind::Length(n),
    })
}

/// RFC 9110 section 9.3.6: a CONNECT request has no content. Whether bytes announced by
/// Content-Length or Transfer-Encoding in one are its body or the tunnel's first bytes is where
/// parsers disagree (llhttp tunnels them; parsers that frame every request by its fields, as
/// h11 does, read a body), so h1x refuses it.
pub(crate) fn check_connect(method: &[u8], body: BodyKind) -> Result<BodyKind, Error> {
    if method == b"CONNECT" && body != BodyKind::Empty {
        return Err(Error::remote(ErrorKind::BodyInConnect, 0));
    }
    Ok(body)
}

/// Framing of a response to a request with `method_head`/`method_connect`, and whether the
/// connection must close after it (Transfer-Encoding overriding Content-Length).
pub(crate) fn response_body(
    f: &Fields,
    version: Version,
    status: u16,
    method_head: bool,
    method_connect: bool,
) -> Result<(BodyKind, bool), Error> {
    if status < 200 || status == 204 || status == 304 || method_head {
        return Ok((BodyKind::Empty, false));
    }
    if method_connect && status < 300 {
        return Ok((BodyKind::Empty, false));
    }
    if f.te {
        if version == Version::Http10 {
            return Err(Error::remote(ErrorKind::TransferEncodingInHttp10, f.te_at));
        }
        // TE overrides CL; a message with both cannot be trusted to leave the stream aligned
        let close = f.content_length.is_some();
        return Ok(if f.chunked_last {
            (BodyKind::Chunked, close)
        } else {
            (BodyKind::UntilClose, true)
        });
    }
    Ok(match f.content_length {
        Some(0) => (BodyKind::Empty, false),
        Some(n) => (BodyKind::Length(n), false),
        None => (BodyKind::UntilClose, true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::vec;

    fn fields(h: &[(&str, &str)]) -> Result<Fields, Error> {
        let mut v = [Header::EMPTY; 8];
        for (i, (n, val)) in h.iter().enumerate() {
            v[i] = Header::new(*n, *val);
        }
        read_fields(&v[..h.len()], &[], &Config::default(), true)
    }

    fn req(h: &[(&str, &str)]) -> Result<BodyKind, ErrorKind> {
        let mut all = vec![("Host", "x")];
        all.extend_from_slice(h);
        fields(&all)
            .and_then(|f| request_body(&f, Version::Http11, &Config::default()))
            .map_err(|e| e.kind())
    }

    #[test]
    fn request_framing() {
        use ErrorKind::*;
        assert_eq!(req(&[]), Ok(BodyKind::Empty));
        assert_eq!(req(&[("Content-Length", "5")]), Ok(BodyKind::Length(5)));
        assert_eq!(
            req(&[("Transfer-Encoding", "chunked")]),
            Ok(BodyKind::Chunked)
        );
        assert_eq!(
            req(&[("Transfer-Encoding", "gzip, chunked")]),
            Ok(BodyKind::Chunked)
        );
        assert_eq!(
            req(&[
                ("Transfer-Encoding", "gzip"),
                ("transfer-encoding", "CHUNKED")
            ]),
            Ok(BodyKind::Chunked)
        );
        for (h, kind) in [
            (("Content-Length", "5, 10"), DuplicateContentLength),
            (("Content-Length", "5, 5"), DuplicateContentLength),
            (("Content-Length", "+5"), InvalidContentLength),
            (("Content-Length", "-1"), InvalidContentLength),
            (("Content-Length", "0x5"), InvalidContentLength),
            (("Content-Length", "1 0"), InvalidContentLength),
            (("Content-Length", ""), InvalidContentLength),
            (
                ("Content-Length", "99999999999999999999"),
                InvalidContentLength,
            ),
            (
                ("Transfer-Encoding", "chunked, gzip"),
                InvalidTransferEncoding,
            ),
            (
                ("Transfer-Encoding", "chunked, chunked"),
                InvalidTransferEncoding,
            ),
            (
                ("Transfer-Encoding", "chunkedchunked"),
                UnsupportedTransferEncoding,
            ),
            (
                ("Transfer-Encoding", "\"chunked\""),
                InvalidTransferEncoding,
            ),
            (
                ("Transfer-Encoding", "\x0bchunked"),
                InvalidTransferEncoding,
            ),
            (("Transfer-Encoding", ""), InvalidTransferEncoding),
            (("Transfer-Encoding", "gzip"), InvalidTransferEncoding),
            (
                ("Transfer-Encoding", "foo, chunked"),
                UnsupportedTransferEncoding,
            ),
        ] {
            assert_eq!(req(&[h]), Err(kind), "{h:?}");
        }
        assert_eq!(
            req(&[("Content-Length", "5"), ("Transfer-Encoding", "chunked")]),
            Err(ContentLengthWithTransferEncoding)
        );
        assert_eq!(
            req(&[("Content-Length", "5"), ("Content-Length", "5")]),
            Err(DuplicateContentLength)
        );
        assert_eq!(req(&[("Host", "y")]), Err(DuplicateHost));
        let host = |v: &str| {
            fields(&[("Host", v)])
                .and_then(|f| request_body(&f, Version::Http11, &Config::default()))
                .map_err(|e| e.kind())
        };
        for good in [
            "a",
            "example.com:8080",
            "[::1]:80",
            "[v1.x]",
            "",
            "a:",
            "0.0.0.0=5000",
            "%41b",
        ] {
            assert_eq!(host(good), Ok(BodyKind::Empty), "{good:?}");
        }
        for bad in [
            "a b",
            "user@a",
            "a/b",
            "a:80x",
            "[::1",
            "[::1]x",
            "a:1:2",
            "%4",
            "caf\u{e9}",
            "a?b",
            "[]",
        ] {
            assert_eq!(host(bad), Err(InvalidHost), "{bad:?}");
        }
        // a response's Host field (meaningless there) is not checked
        let v = [Header::new("Host", "a b")];
        assert!(read_fields(&v, &[], &Config::default(), false).is_ok());
        let f = fields(&[]).unwrap();
        assert_eq!(
            request_body(&f, Version::Http11, &Config::default())
                .unwrap_err()
                .kind(),
            MissingHost
        );
        assert!(request_body(&f, Version::Http10, &Config::default()).is_ok());
    }

    /// The shortcut for sent responses against the general loop, over random field lists.
    #[test]
    fn sent_response_fields_match_read_fields() {
        let names = [
            "Content-Length",
            "content-length",
            "CONTENT-LENGTH",
            "Content-Lengthx",
            "Content-Lengtx",
            "Transfer-Encoding",
            "Connection",
            "Upgrade",
            "Expect",
            "Host",
            "Date",
            "Content-Type",
            "Server",
            "X",
        ];
        let values = [
            "0",
            "1024",
            "5",
            "5, 5",
            "5,6",
            " 5",
            "",
            "chunked",
            "close",
            "a b",
            "gzip, chunked",
            "100-continue",
            "99999999999999999999",
            "+5",
        ];
        let mut next = crate::test_rng::below(0x2545_f491_4f6c_dd1du64);
        for _ in 0..50_000 {
            let mut v = [Header::EMPTY; 5];
            let count = next(6);
            for h in &mut v[..count] {
                // mostly ordinary names, so the shortcut is taken often
                let name = if next(3) == 0 {
                    names[next(names.len())]
                } else {
                    names[[0, 10, 11, 12][next(4)]]
                };
                *h = Header::new(name, values[next(values.len())]);
            }
            let v = &v[..count];
            let got = read_sent_response_fields(v);
            assert_eq!(
                got.map(|(f, _)| f),
                read_fields(v, &[], &Config::default(), false),
                "{v:?}"
            );
            if let Ok((_, Some(i))) = got {
                // the field vouched for is one the encoder accepts
                assert!(v[i].is("content-length"), "{v:?}");
                assert!(crate::check_fields(&v[i..=i]).is_ok(), "{v:?}");
            }
        }
    }

    #[test]
    fn response_framing() {
        let f = |h: &[(&str, &str)]| {
            let mut v = [Header::EMPTY; 4];
            for (i, (n, val)) in h.iter().enumerate() {
                v[i] = Header::new(*n, *val);
            }
            read_fields(&v[..h.len()], &[], &Config::default(), false).unwrap()
        };
        let cl = f(&[("Content-Length", "7")]);
        let v = Version::Http11;
        assert_eq!(
            response_body(&cl, v, 104, false, false),
            Ok((BodyKind::Empty, false))
        );
        assert_eq!(
            response_body(&cl, v, 204, false, false),
            Ok((BodyKind::Empty, false))
        );
        assert_eq!(
            response_body(&cl, v, 304, false, false),
            Ok((BodyKind::Empty, false))
        );
        assert_eq!(
            response_body(&cl, v, 200, true, false),
            Ok((BodyKind::Empty, false))
        );
        assert_eq!(
            response_body(&cl, v, 200, false, false),
            Ok((BodyKind::Length(7), false))
        );
        let both = f(&[("Content-Length", "7"), ("Transfer-Encoding", "chunked")]);
        assert_eq!(
            response_body(&both, v, 200, false, false),
            Ok((BodyKind::Chunked, true))
        );
        let gz = f(&[("Transfer-Encoding", "chunked, gzip")]);
        assert_eq!(
            response_body(&gz, v, 200, false, false),
            Ok((BodyKind::UntilClose, true))
        );
        assert_eq!(
            response_body(&f(&[]), v, 200, false, false),
            Ok((BodyKind::UntilClose, true))
        );
    }
}

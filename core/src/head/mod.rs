//! Start lines and header fields: scanning, validation, and the zero-copy head types.
//!
//! [`HeadParser`] parses one request or response head, resumably: fed a growing buffer, it
//! searches only the bytes that are new and parses the head once, when it is complete.

mod chars;
pub(crate) mod parse;
pub(crate) mod scan;
mod simd;
mod target;
mod target_parts;
pub use target_parts::{TargetForm, TargetParts};

pub(crate) use chars::{all_field_bytes, eq_lower, find_byte, is_token, is_token_str};
pub(crate) use target::check_form;

use crate::{Config, Error, ErrorKind};
use scan::{ScanLimits, SectionScanner};

/// One header field: slices of the caller's buffer. Names keep their case; values have their
/// surrounding whitespace removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Header<'b> {
    /// The field name, as received.
    pub name: &'b [u8],
    /// The field value, without leading or trailing whitespace.
    pub value: &'b [u8],
}

impl<'b> Header<'b> {
    /// An empty header, to initialise storage: `[Header::EMPTY; 32]`.
    pub const EMPTY: Header<'static> = Header {
        name: b"",
        value: b"",
    };

    /// A header from a name and a value.
    ///
    /// ```
    /// let h = h1x::Header::new("Link", "</style.css>; rel=preload");
    /// assert!(h.is("link"));
    /// ```
    pub fn new<N: AsRef<[u8]> + ?Sized, V: AsRef<[u8]> + ?Sized>(
        name: &'b N,
        value: &'b V,
    ) -> Self {
        Header {
            name: name.as_ref(),
            value: value.as_ref(),
        }
    }

    /// Whether the name equals `name`, ignoring ASCII case.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name.as_bytes())
    }
}

/// Field names seen in most messages, in their usual spelling: the bindings intern these (Python
/// caches their `bytes` objects, JS their strings) and match received names against them
/// ignoring ASCII case. `Progress` is h1x's demo's heartbeat field, not a standard one.
///
/// ```
/// assert!(h1x::COMMON_HEADER_NAMES.contains(&"Content-Length"));
/// assert!(h1x::COMMON_HEADER_NAMES.iter().any(|n| n.eq_ignore_ascii_case("etag")));
/// ```
#[rustfmt::skip]
pub const COMMON_HEADER_NAMES: [&str; 56] = [
    "Host", "User-Agent", "Accept", "Accept-Language", "Accept-Encoding", "Accept-Charset",
    "Accept-Ranges", "Connection", "Keep-Alive", "Cookie", "Set-Cookie", "Cache-Control",
    "Content-Length", "Content-Type", "Content-Encoding", "Content-Language", "Content-Location",
    "Content-Range", "Content-Disposition", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
    "Expect", "Date", "Server", "Location", "Link", "ETag", "Last-Modified", "If-Modified-Since",
    "If-None-Match", "If-Match", "Referer", "Origin", "Authorization", "Pragma", "Vary", "Via",
    "Age", "Expires", "Range", "X-Forwarded-For", "X-Forwarded-Proto", "X-Request-Id",
    "Access-Control-Allow-Origin", "Strict-Transport-Security", "Progress", "Retry-After",
    "WWW-Authenticate", "Sec-Fetch-Mode", "Sec-Fetch-Site", "Sec-Fetch-Dest",
    "Upgrade-Insecure-Requests", "DNT", "Priority",
];

/// The first value of the header called `name` (ASCII case ignored).
///
/// ```
/// let headers = [h1x::Header::new("Host", "example.com")];
/// assert_eq!(h1x::find_header(&headers, "host"), Some(&b"example.com"[..]));
/// ```
pub fn find_header<'b>(headers: &[Header<'b>], name: &str) -> Option<&'b [u8]> {
    headers.iter().find(|h| h.is(name)).map(|h| h.value)
}

/// The elements of a comma-separated field value (RFC 9110 section 5.6.1), whitespace trimmed,
/// empty elements skipped.
///
/// ```
/// let items: Vec<&[u8]> = h1x::comma_list(b"gzip ,, chunked").collect();
/// assert_eq!(items, [&b"gzip"[..], &b"chunked"[..]]);
/// ```
pub fn comma_list(value: &[u8]) -> impl Iterator<Item = &[u8]> {
    value
        .split(|&b| b == b',')
        .map(trim_ows)
        .filter(|s| !s.is_empty())
}

pub(crate) fn trim_ows(mut s: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    s
}

/// HTTP version of a message. `HTTP/1.2` and higher minors are read as 1.1 (RFC 9110 2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Version {
    /// HTTP/1.0
    Http10,
    /// HTTP/1.1
    #[default]
    Http11,
}

impl Version {
    /// `"1.0"` or `"1.1"`, as h11 spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Version::Http10 => "1.0",
            Version::Http11 => "1.1",
        }
    }

    /// Parse `"1.0"` / `"1.1"` (and `"HTTP/1.x"`).
    ///
    /// ```
    /// assert_eq!(h1x::Version::parse(b"1.0"), Some(h1x::Version::Http10));
    /// assert_eq!(h1x::Version::parse(b"HTTP/1.1"), Some(h1x::Version::Http11));
    /// ```
    pub fn parse(s: &[u8]) -> Option<Version> {
        match s.strip_prefix(b"HTTP/").unwrap_or(s) {
            b"1.0" => Some(Version::Http10),
            b"1.1" => Some(Version::Http11),
            _ => None,
        }
    }
}

/// A parsed request head. Every slice points into the caller's buffer.
///
/// Its fields are the request line's parts and the fields, all a head has: build it with a
/// struct literal or [`Event::request`](crate::Event::request). What the core decided about it
/// comes from [`Connection::received`](crate::Connection::received), not from new fields here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request<'b, 'h> {
    /// The method (a token), e.g. `b"GET"`.
    pub method: &'b [u8],
    /// The request-target, e.g. `b"/index.html"`.
    pub target: &'b [u8],
    /// The HTTP version.
    pub version: Version,
    /// The header fields, in order.
    pub headers: &'h [Header<'b>],
}

/// A parsed response head (interim or final). Every slice points into the caller's buffer.
///
/// Like [`Request`], the complete set of a head's parts: build it with a struct literal or
/// [`Event::response`](crate::Event::response) / [`Event::interim`](crate::Event::interim).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Response<'b, 'h> {
    /// The status code, 100-999.
    pub status: u16,
    /// The reason phrase (may be empty).
    pub reason: &'b [u8],
    /// The HTTP version.
    pub version: Version,
    /// The header fields, in order.
    pub headers: &'h [Header<'b>],
}

impl Response<'_, '_> {
    /// Whether this is an interim (1xx) response.
    pub const fn is_interim(&self) -> bool {
        self.status < 200
    }
}

/// Whether a parse finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status<T> {
    /// The head is complete: the value.
    Complete(T),
    /// More bytes are needed.
    Partial,
}

impl<T> Status<T> {
    /// The value, if complete.
    pub fn complete(self) -> Option<T> {
        match self {
            Status::Complete(t) => Some(t),
            Status::Partial => None,
        }
    }
}

/// Which head is being parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeadKind {
    Request,
    Response,
}

/// A head parsed by [`parse_head`]: the start line's parts, the header count and its length.
pub(crate) enum StartLine<'b> {
    Request(parse::RequestLine<'b>),
    Response(parse::StatusLine<'b>),
}

#[inline(always)]
fn full_parse<'b>(
    kind: HeadKind,
    buf: &'b [u8],
    headers: &mut [Header<'b>],
    cfg: &Config,
) -> Result<Option<(StartLine<'b>, usize, usize)>, Error> {
    let (line, at) = match kind {
        HeadKind::Request => match parse::request_line(buf, cfg)? {
            Some((l, at)) => (StartLine::Request(l), at),
            None => return Ok(None),
        },
        HeadKind::Response => match parse::status_line(buf, cfg)? {
            Some((l, at)) => (StartLine::Response(l), at),
            None => return Ok(None),
        },
    };
    // the scanner's line limit, applied to the start line too
    if at - 1 > cfg.max_line_bytes as usize {
        return Err(Error::remote(
            ErrorKind::LineTooLong,
            cfg.max_line_bytes as usize,
        ));
    }
    let obs_fold = kind == HeadKind::Response && cfg.allows(crate::Leniency::OBS_FOLD);
    let Some((n, end)) = parse::fields(buf, at, headers, cfg, obs_fold)? else {
        return Ok(None);
    };
    if let StartLine::Request(ref l) = line {
        // the form goes with the method (RFC 9112 section 3.2); checked after the fields, out of
        // the way of the field loop (the target starts after the method and one SP)
        target::check_form(l.method, l.target)
            .map_err(|kind| Error::remote(kind, l.method.len() + 1))?;
    }
    if end > cfg.max_head_bytes as usize {
        return Err(Error::remote(
            ErrorKind::HeadTooLarge,
            cfg.max_head_bytes as usize,
        ));
    }
    Ok(Some((line, n, end)))
}

pub(crate) fn head_limits(kind: HeadKind, cfg: &Config) -> ScanLimits {
    ScanLimits {
        max_bytes: cfg.max_head_bytes as usize,
        max_line: cfg.max_line_bytes as usize,
        too_large: ErrorKind::HeadTooLarge,
        first_line_kind: match kind {
            HeadKind::Request => ErrorKind::UriTooLong,
            HeadKind::Response => ErrorKind::LineTooLong,
        },
    }
}

/// Parse a head that starts at `buf[0]`, resuming the search for its end where `scanner` left
/// off. Returns the start line, the number of headers stored and the head's length.
///
/// The outcome is the same however the bytes were split across calls: errors are reported once
/// the head is complete, except the limit errors, which trigger at fixed positions.
#[inline]
pub(crate) fn parse_head<'b>(
    scanner: &mut SectionScanner,
    kind: HeadKind,
    buf: &'b [u8],
    headers: &mut [Header<'b>],
    cfg: &Config,
) -> Result<Option<(StartLine<'b>, usize, usize)>, Error> {
    if scanner.is_fresh() {
        // Fast path: a head that arrived whole is parsed in a single pass.
        if let Ok(Some(done)) = full_parse(kind, buf, headers, cfg) {
            return Ok(Some(done));
        }
    }
    scan::check_start(kind, buf)?;
    match scanner.find_end(buf, &head_limits(kind, cfg))? {
        None => Ok(None),
        Some(end) => match full_parse(kind, &buf[..end], headers, cfg)? {
            Some(done) => {
                scanner.reset();
                Ok(Some(done))
            }
            // the scanner found an empty line the parser did not reach: a line the parser reads
            // differently (cannot happen for well-formed input)
            None => Err(Error::remote(ErrorKind::InvalidStartLine, 0)),
        },
    }
}

/// A standalone, resumable head parser, for callers who do their own framing (proxies, tests).
///
/// ```
/// use h1x::{HeadParser, Header, Status};
/// let mut parser = HeadParser::new();
/// let mut headers = [Header::EMPTY; 16];
/// let buf = b"GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";
/// assert_eq!(parser.parse_request(&buf[..10], &mut headers), Ok(Status::Partial));
/// let Status::Complete((len, req)) = parser.parse_request(buf, &mut headers).unwrap() else { panic!() };
/// assert_eq!(len, buf.len());
/// assert_eq!(req.target, b"/index.html");
/// assert_eq!(req.headers[0].value, b"example.com");
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct HeadParser {
    scanner: SectionScanner,
    config: Config,
}

impl HeadParser {
    /// A parser with the strict defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// A parser with the given limits and leniencies.
    pub fn with_config(config: Config) -> Self {
        HeadParser {
            scanner: SectionScanner::default(),
            config,
        }
    }

    /// Forget any partial progress (call before parsing an unrelated buffer).
    pub fn reset(&mut self) {
        self.scanner.reset();
    }

    /// Parse a request head from the start of `buf` (leading empty lines are skipped and
    /// counted). Call again with the same buffer grown when it returns `Partial`.
    pub fn parse_request<'b, 'h>(
        &mut self,
        buf: &'b [u8],
        headers: &'h mut [Header<'b>],
    ) -> Result<Status<(usize, Request<'b, 'h>)>, Error> {
        let skip = skip_empty_lines(buf, &self.config);
        let body = &buf[skip..];
        let parsed = parse_head(
            &mut self.scanner,
            HeadKind::Request,
            body,
            headers,
            &self.config,
        )
        .map_err(|e| e.shifted(skip))?;
        Ok(match parsed {
            Some((StartLine::Request(l), n, end)) => Status::Complete((
                skip + end,
                Request {
                    method: l.method,
                    target: l.target,
                    version: l.version,
                    headers: &headers[..n],
                },
            )),
            _ => Status::Partial,
        })
    }

    /// Parse a response head (interim or final) from the start of `buf`.
    pub fn parse_response<'b, 'h>(
        &mut self,
        buf: &'b [u8],
        headers: &'h mut [Header<'b>],
    ) -> Result<Status<(usize, Response<'b, 'h>)>, Error> {
        let parsed = parse_head(
            &mut self.scanner,
            HeadKind::Response,
            buf,
            headers,
            &self.config,
        )?;
        Ok(match parsed {
            Some((StartLine::Response(l), n, end)) => Status::Complete((
                end,
                Response {
                    status: l.status,
                    reason: l.reason,
                    version: l.version,
                    headers: &headers[..n],
                },
            )),
            _ => Status::Partial,
        })
    }
}

/// How many bytes of empty lines (CRLF, or LF when lenient) start `buf` (RFC 9112 section 2.2:
/// a server ought to ignore at least one empty line before a request-line). A lone trailing CR is
/// left for the next call.
pub(crate) fn skip_empty_lines(buf: &[u8], cfg: &Config) -> usize {
    let mut i = 0;
    loop {
        match buf.get(i..i + 2) {
            Some(b"\r\n") => i += 2,
            _ if buf.get(i) == Some(&b'\n') && cfg.allows(crate::Leniency::BARE_LF) => i += 1,
            _ => return i,
        }
    }
}

/// Parse a request head with the default configuration (not resumable; see [`HeadParser`]).
///
/// ```
/// let mut headers = [h1x::Header::EMPTY; 8];
/// let parsed = h1x::parse_request(b"GET / HTTP/1.1\r\nHost: a\r\n\r\n", &mut headers).unwrap();
/// let (len, req) = parsed.complete().unwrap();
/// assert_eq!((len, req.method), (27, &b"GET"[..]));
/// ```
pub fn parse_request<'b, 'h>(
    buf: &'b [u8],
    headers: &'h mut [Header<'b>],
) -> Result<Status<(usize, Request<'b, 'h>)>, Error> {
    HeadParser::new().parse_request(buf, headers)
}

/// Parse a response head with the default configuration (not resumable; see [`HeadParser`]).
///
/// ```
/// let mut headers = [h1x::Header::EMPTY; 8];
/// let buf = b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n";
/// let (_, res) = h1x::parse_response(buf, &mut headers).unwrap().complete().unwrap();
/// assert!(res.is_interim());
/// assert_eq!(res.headers[0].name, b"Link");
/// ```
pub fn parse_response<'b, 'h>(
    buf: &'b [u8],
    headers: &'h mut [Header<'b>],
) -> Result<Status<(usize, Response<'b, 'h>)>, Error> {
    HeadParser::new().parse_response(buf, headers)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Feeds `buf` growing one byte at a time; the result must equal the one-shot parse.
    fn every_prefix(buf: &[u8]) -> Result<Option<usize>, Error> {
        let mut p = HeadParser::new();
        let mut h = [Header::EMPTY; 8];
        for n in 0..=buf.len() {
            if let Status::Complete((len, _)) = p.parse_request(&buf[..n], &mut h)? {
                return Ok(Some(len));
            }
        }
        Ok(None)
    }

    #[test]
    fn split_invariance() {
        let cases: &[&[u8]] = &[
            b"GET / HTTP/1.1\r\nHost: a\r\n\r\n",
            b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET / XTTP/1.1\r\nHost: a\r\n\r\n",
            b"GET / XTTP/1.1\r\nHost: a\r\n",
            b"GET / HTTP/1.1\r\nHost : a\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\n\r\n",
            b"GET / HTTP/1.1\r\nA: b\r\nC: d\r\nE: f\r\nG: h\r\nI: j\r\nK: l\r\nM: n\r\nO: p\r\nQ: r\r\n\r\n",
        ];
        for case in cases {
            let mut h = [Header::EMPTY; 8];
            let one = parse_request(case, &mut h).map(|s| s.complete().map(|(n, _)| n));
            assert_eq!(one, every_prefix(case), "{:?}", core::str::from_utf8(case));
        }
    }

    /// The bare head parser checks target forms as the connection does (same code path).
    #[test]
    fn request_target_forms() {
        type Want = Option<(ErrorKind, usize)>;
        let cases: &[(&[u8], Want)] = &[
            (b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", None),
            (b"CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", None),
            (b"GET http://a/ HTTP/1.1\r\nHost: a\r\n\r\n", None),
            (
                b"GET * HTTP/1.1\r\nHost: a\r\n\r\n",
                Some((ErrorKind::TargetFormMismatch, 4)),
            ),
            (
                b"\r\nCONNECT / HTTP/1.1\r\nHost: a\r\n\r\n",
                Some((ErrorKind::TargetFormMismatch, 10)),
            ),
            (
                b"GET /#a HTTP/1.1\r\nHost: a\r\n\r\n",
                Some((ErrorKind::InvalidTarget, 5)),
            ),
            (
                b"GET http://u@a/ HTTP/1.1\r\nHost: a\r\n\r\n",
                Some((ErrorKind::InvalidTarget, 4)),
            ),
            (
                b"GET * HTTP/2.0\r\nHost: a\r\n\r\n",
                Some((ErrorKind::UnsupportedVersion, 6)),
            ),
        ];
        for (buf, want) in cases {
            let mut h = [Header::EMPTY; 4];
            let got = parse_request(buf, &mut h).map_err(|e| (e.kind(), e.offset()));
            match want {
                None => assert!(matches!(got, Ok(Status::Complete(_))), "{buf:?}"),
                Some(w) => assert_eq!(got.err(), Some(*w), "{buf:?}"),
            }
            assert_eq!(
                every_prefix(buf).map_err(|e| (e.kind(), e.offset())).err(),
                *want,
                "{buf:?}"
            );
        }
    }

    #[test]
    fn common_header_names_are_distinct_tokens() {
        for (i, n) in COMMON_HEADER_NAMES.iter().enumerate() {
            assert!(is_token_str(n.as_bytes()), "{n}");
            let same = COMMON_HEADER_NAMES[..i]
                .iter()
                .any(|o| o.eq_ignore_ascii_case(n));
            assert!(!same, "{n} twice");
        }
    }

    #[test]
    fn response_head() {
        let mut h = [Header::EMPTY; 4];
        let buf = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi";
        let (len, r) = parse_response(buf, &mut h).unwrap().complete().unwrap();
        assert_eq!((len, r.status, r.headers.len()), (38, 200, 1));
    }
}

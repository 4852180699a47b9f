//! Between `http` types and h1x's borrowed fields: building a request from the offsets of a
//! decoded head, lending a `HeaderMap` to h1x for encoding (on the stack up to 16 fields,
//! optionally in Title-Case), and where encoded bytes go.

use bytes::{Bytes, BytesMut};
use h1x::{Connection, ConnectionBytesExt, Event, Header};
use http::header::{HeaderName, HeaderValue};
use http::{HeaderMap, Method, Uri};
use std::ops::Range;

pub(super) fn build_request(
    head: &Bytes,
    method: Range<usize>,
    target: Range<usize>,
    version: h1x::Version,
    spans: &[(Range<usize>, Range<usize>)],
    map: HeaderMap,
) -> Result<http::Request<()>, http::Error> {
    let mut request = http::Request::new(());
    *request.method_mut() = Method::from_bytes(&head[method]).map_err(http::Error::from)?;
    *request.uri_mut() = Uri::from_maybe_shared(head.slice(target)).map_err(http::Error::from)?;
    *request.version_mut() = match version {
        h1x::Version::Http10 => http::Version::HTTP_10,
        h1x::Version::Http11 => http::Version::HTTP_11,
    };
    *request.headers_mut() = header_map(head, spans, map)?;
    Ok(request)
}

/// The fields at `spans` of `head`, added to `map` (empty; its memory is reused).
pub(super) fn header_map(
    head: &Bytes,
    spans: &[(Range<usize>, Range<usize>)],
    mut map: HeaderMap,
) -> Result<HeaderMap, http::Error> {
    map.reserve(spans.len());
    for (name, value) in spans {
        let name = HeaderName::from_bytes(&head[name.clone()]).map_err(http::Error::from)?;
        let value =
            HeaderValue::from_maybe_shared(head.slice(value.clone())).map_err(http::Error::from)?;
        map.append(name, value);
    }
    Ok(map)
}

/// The names of `map` in Title-Case (when asked) in one string, and each name's range in it.
pub(super) fn collect_headers(map: &HeaderMap, title_case: bool) -> (String, Vec<Range<usize>>) {
    let mut names = String::new();
    let mut storage = Vec::new();
    if !title_case {
        return (names, storage);
    }
    for name in map.keys() {
        let start = names.len();
        let mut upper = true;
        for c in name.as_str().chars() {
            names.push(if upper { c.to_ascii_uppercase() } else { c });
            upper = c == '-';
        }
        storage.push(start..names.len());
    }
    (names, storage)
}

/// Where encoded bytes go: a `BytesMut` (the [`Encoder`] impl) or the server's write buffer.
pub(crate) trait WriteBuf {
    /// Encode `event` with `conn` (which checks it) and append the bytes.
    fn put_event(&mut self, conn: &mut Connection, event: &Event<'_, '_>)
        -> Result<(), h1x::Error>;
}

impl WriteBuf for BytesMut {
    fn put_event(
        &mut self,
        conn: &mut Connection,
        event: &Event<'_, '_>,
    ) -> Result<(), h1x::Error> {
        conn.encode_into(event, self).map(drop)
    }
}

/// Header slots on the stack when encoding a head; more fields take a vector.
const STACK_FIELDS: usize = 16;

/// Call `f` with h1x headers borrowing `map` (names from `names` when title-cased), then
/// `extra`; no allocation for up to 16 fields.
pub(super) fn with_fields<R>(
    map: &HeaderMap,
    names: &str,
    title: &[Range<usize>],
    extra: &[(&str, &[u8])],
    f: impl FnOnce(&[Header<'_>]) -> R,
) -> R {
    let n = map.len() + extra.len();
    let mut stack = [Header::EMPTY; STACK_FIELDS];
    let mut heap = Vec::new();
    let out: &mut [Header<'_>] = if n <= STACK_FIELDS {
        &mut stack[..n]
    } else {
        heap.resize(n, Header::EMPTY);
        &mut heap
    };
    let mut keys = 0;
    let mut last: Option<&HeaderName> = None;
    for ((name, value), slot) in map.iter().zip(out.iter_mut()) {
        if last.is_some_and(|prev| prev != name) {
            keys += 1;
        }
        last = Some(name);
        let name = match title.get(keys) {
            Some(r) => &names.as_bytes()[r.clone()],
            None => name.as_str().as_bytes(),
        };
        *slot = Header {
            name,
            value: value.as_bytes(),
        };
    }
    for ((name, value), slot) in extra.iter().zip(out[map.len()..].iter_mut()) {
        *slot = Header {
            name: name.as_bytes(),
            value,
        };
    }
    f(out)
}

pub(super) fn itoa_buf() -> [u8; 20] {
    [0; 20]
}

pub(super) fn fmt_u64(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

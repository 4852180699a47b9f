//! `AsgiConnection`: the server side of one HTTP/1.1 connection for `h1x.uvicorn`, shaped for an
//! ASGI server instead of h11's API.
//!
//! One call decodes a request head into a ready ASGI scope (a copy of a template dict with the
//! request's method, path, raw path, query string, header list and state added); one call
//! encodes a response head from the app's header list and the server's default headers into a
//! pending buffer; one call encodes a body piece (and the end of the message) and hands back the
//! pending head and the body as one `bytes`, so a response goes out in one socket write. The core
//! `h1x::Connection` decides framing, keep-alive, `100-continue`, interim-response rules and
//! errors; nothing here reads `Content-Length`, `Transfer-Encoding` or `Expect`.

use h1x::{find_header, reason_phrase, ErrorKind, Expectation, Header, Role, State, Version};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::cache::{consts, COMMON_METHODS};
use crate::connection::STACK_HEADERS;
use crate::convert::bytesify;
use crate::errors::{local_error_msg, make_error};
use crate::options::{self, DEFAULT_MAX_INCOMPLETE_EVENT_SIZE};

/// `next_event()` codes for the events without a payload.
const END: u8 = 1;
const PAUSED: u8 = 2;
const CLOSED: u8 = 3;

/// Request flags returned with the scope.
const FLAG_ENDED: u8 = 1;
const FLAG_EXPECT_CONTINUE: u8 = 2;
const FLAG_KEEP_ALIVE: u8 = 4;
const FLAG_EXPECT_UNKNOWN: u8 = 8;
const FLAG_TRANSFER_CODED: u8 = 16;
const FLAG_MORE: u8 = 32;

/// `LocalProtocolError` for what the core refused to send (the core's description as the text).
fn refused(py: Python<'_>, e: h1x::Error) -> PyErr {
    local_error_msg(py, e, e.to_string())
}

/// `RemoteProtocolError` for received bytes the core refused; the protocol reads its
/// `error_status_hint` (the status to answer).
fn invalid(py: Python<'_>, e: h1x::Error) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.remote_error, e.to_string(), Some(e)),
        Err(err) => err,
    }
}

/// Interned scope keys and common values, made once.
struct Keys {
    method: Py<PyString>,
    http_version: Py<PyString>,
    path: Py<PyString>,
    raw_path: Py<PyString>,
    query_string: Py<PyString>,
    headers: Py<PyString>,
    state: Py<PyString>,
    v10: Py<PyString>,
    v11: Py<PyString>,
    methods: Vec<Py<PyString>>,
    empty: Py<PyBytes>,
}

static KEYS: GILOnceCell<Keys> = GILOnceCell::new();

fn keys(py: Python<'_>) -> &'static Keys {
    KEYS.get_or_init(py, || {
        let s = |v: &str| PyString::intern(py, v).unbind();
        Keys {
            method: s("method"),
            http_version: s("http_version"),
            path: s("path"),
            raw_path: s("raw_path"),
            query_string: s("query_string"),
            headers: s("headers"),
            state: s("state"),
            v10: s("1.0"),
            v11: s("1.1"),
            methods: COMMON_METHODS.iter().map(|m| s(m)).collect(),
            empty: PyBytes::new(py, b"").unbind(),
        }
    })
}

/// `urllib.parse.unquote` for an ASCII path: `%XX` (two hex digits) becomes that byte, anything
/// else stays; the bytes are then read as UTF-8 with replacement characters, as `unquote` does.
fn unquote(raw: &[u8]) -> String {
    if !raw.contains(&b'%') {
        return String::from_utf8_lossy(raw).into_owned();
    }
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        if raw[i] == b'%' {
            if let (Some(h), Some(l)) = (
                raw.get(i + 1).copied().and_then(hex),
                raw.get(i + 2).copied().and_then(hex),
            ) {
                out.push(h << 4 | l);
                i += 3;
                continue;
            }
        }
        out.push(raw[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The server side of one connection, for an ASGI server (`h1x.uvicorn`).
///
/// `AsgiConnection(template_11, template_10, root_path, app_state,
/// max_incomplete_event_size=16384, max_headers=None)`, the limits as in `h1x.Connection`. The
/// templates are the scope keys that do not change between requests (`type`, `asgi`, `server`,
/// `client`, `scheme`, `root_path`, `extensions`), for HTTP/1.1 and HTTP/1.0 requests;
/// `root_path` is prefixed to `path` and `raw_path`; each scope's `state` is a shallow copy of
/// `app_state`. The path is the target's path component (`h1x::TargetParts`), percent-decoded.
#[pyclass(module = "h1x._h1x")]
pub struct AsgiConnection {
    conn: h1x::Connection,
    /// Received bytes; `buf[start..]` is not consumed yet.
    buf: Vec<u8>,
    start: usize,
    /// Encoded output not handed out yet (a response head waiting for its body).
    out: Vec<u8>,
    pending: usize,
    max_headers: usize,
    template_11: Py<PyDict>,
    template_10: Py<PyDict>,
    root_path: String,
    app_state: Py<PyDict>,
    /// The head of an upgrade request, for the protocol taking over.
    upgrade_head: Vec<u8>,
}

impl AsgiConnection {
    /// Encodes `ev` after the pending output, growing the buffer as the core asks.
    fn encode(&mut self, py: Python<'_>, ev: &h1x::Event<'_, '_>) -> PyResult<()> {
        loop {
            match self.conn.encode(ev, &mut self.out[self.pending..]) {
                Ok(n) => {
                    self.pending += n;
                    return Ok(());
                }
                Err(e) => match e.kind() {
                    ErrorKind::BufferTooSmall { needed } => {
                        self.out.resize(self.pending + needed, 0)
                    }
                    _ => return Err(refused(py, e)),
                },
            }
        }
    }

    fn take<'py>(&mut self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let b = PyBytes::new(py, &self.out[..self.pending]);
        self.pending = 0;
        b
    }

    /// The scope of a decoded request.
    fn scope<'py>(
        &self,
        py: Python<'py>,
        r: &h1x::Request<'_, '_>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let k = keys(py);
        let (template, version) = match r.version {
            Version::Http11 => (&self.template_11, &k.v11),
            Version::Http10 => (&self.template_10, &k.v10),
        };
        let scope = template.bind(py).copy()?;
        let method = match COMMON_METHODS.iter().position(|m| m.as_bytes() == r.method) {
            Some(i) => k.methods[i].bind(py).clone(),
            None => PyString::new(py, &String::from_utf8_lossy(r.method)),
        };
        scope.set_item(&k.method, method)?;
        scope.set_item(&k.http_version, version)?;
        // the core takes the target apart: an absolute-form target's path is its path
        // component (as uvicorn's httptools protocol has it), not the whole URI
        let parts = r.target_parts();
        let (raw_path, query) = (parts.path, parts.query.unwrap_or_default());
        let path = unquote(raw_path);
        if self.root_path.is_empty() {
            scope.set_item(&k.path, PyString::new(py, &path))?;
            scope.set_item(&k.raw_path, PyBytes::new(py, raw_path))?;
        } else {
            let full = [self.root_path.as_str(), path.as_str()].concat();
            scope.set_item(&k.path, PyString::new(py, &full))?;
            let raw = [self.root_path.as_bytes(), raw_path].concat();
            scope.set_item(&k.raw_path, PyBytes::new(py, &raw))?;
        }
        if query.is_empty() {
            scope.set_item(&k.query_string, k.empty.bind(py))?;
        } else {
            scope.set_item(&k.query_string, PyBytes::new(py, query))?;
        }
        let names = &consts(py)?.names;
        let list = PyList::empty(py);
        for h in r.headers {
            let (_, lower) = names.objs(py, h.name);
            let pair = PyTuple::new(
                py,
                [
                    lower.into_any(),
                    PyBytes::new(py, h.value).into_any().unbind(),
                ],
            )?;
            list.append(pair)?;
        }
        scope.set_item(&k.headers, list)?;
        scope.set_item(&k.state, self.app_state.bind(py).copy()?)?;
        Ok(scope)
    }

    /// Encodes a response head (interim or final) from Python header pairs: `first` (the
    /// server's default headers, a list of `(bytes, bytes)`) then `headers` (any iterable of
    /// pairs).
    fn head<'py>(
        &mut self,
        py: Python<'py>,
        status: u16,
        first: Option<&Bound<'py, PyAny>>,
        headers: &Bound<'py, PyAny>,
        interim: bool,
    ) -> PyResult<()> {
        let mut keep: Vec<Pair<'py>> = Vec::new();
        if let Some(first) = first {
            collect_pairs(first, &mut keep)?;
        }
        collect_pairs(headers, &mut keep)?;
        let reason = reason_phrase(status).as_bytes();
        let ev_of = |hs| {
            let res = h1x::Response {
                status,
                reason,
                version: Version::Http11,
                headers: hs,
            };
            if interim {
                h1x::Event::InformationalResponse(res)
            } else {
                h1x::Event::Response(res)
            }
        };
        if keep.len() <= STACK_HEADERS {
            let mut store = [Header::EMPTY; STACK_HEADERS];
            for (slot, p) in store.iter_mut().zip(&keep) {
                *slot = Header::new(p.0.as_bytes(), p.1.as_bytes());
            }
            let ev = ev_of(&store[..keep.len()]);
            self.encode(py, &ev)
        } else {
            let store: Vec<Header<'_>> = keep
                .iter()
                .map(|p| Header::new(p.0.as_bytes(), p.1.as_bytes()))
                .collect();
            let ev = ev_of(&store);
            self.encode(py, &ev)
        }
    }
}

type Pair<'py> = (Bound<'py, PyBytes>, Bound<'py, PyBytes>);

/// Appends the pairs of a list (read directly) or any other iterable to `keep`.
fn collect_pairs<'py>(obj: &Bound<'py, PyAny>, keep: &mut Vec<Pair<'py>>) -> PyResult<()> {
    if let Ok(list) = obj.downcast_exact::<PyList>() {
        for pair in list.iter() {
            keep.push(pair_of(&pair)?);
        }
    } else {
        for pair in obj.try_iter()? {
            keep.push(pair_of(&pair?)?);
        }
    }
    Ok(())
}

/// One `(name, value)` pair as `bytes` objects (`str` and other bytes-like values converted as
/// h11 does).
fn pair_of<'py>(pair: &Bound<'py, PyAny>) -> PyResult<Pair<'py>> {
    let (n, v) = if let Ok(t) = pair.downcast_exact::<PyTuple>() {
        if t.len() != 2 {
            return Err(PyValueError::new_err(
                "a header must be a (name, value) pair",
            ));
        }
        (t.get_item(0)?, t.get_item(1)?)
    } else {
        // any other pair: a list (ASGI apps often use [name, value]) or a 2-item iterable
        let items: Vec<Bound<'py, PyAny>> = pair.try_iter()?.collect::<PyResult<_>>()?;
        match <[_; 2]>::try_from(items) {
            Ok([n, v]) => (n, v),
            Err(_) => {
                return Err(PyValueError::new_err(
                    "a header must be a (name, value) pair",
                ))
            }
        }
    };
    Ok((bytesify(&n)?, bytesify(&v)?))
}

#[pymethods]
impl AsgiConnection {
    #[new]
    #[pyo3(signature = (template_11, template_10, root_path, app_state, max_incomplete_event_size = DEFAULT_MAX_INCOMPLETE_EVENT_SIZE as u64, max_headers = None))]
    fn new(
        template_11: Py<PyDict>,
        template_10: Py<PyDict>,
        root_path: String,
        app_state: Py<PyDict>,
        max_incomplete_event_size: u64,
        max_headers: Option<usize>,
    ) -> PyResult<Self> {
        // uvicorn's one knob is h11's: it bounds the head, and each of its lines, as in h11
        let limits = options::limits(
            max_incomplete_event_size,
            None,
            None,
            None,
            None,
            max_headers,
            None,
        )?;
        Ok(AsgiConnection {
            conn: h1x::Connection::with_config(Role::Server, limits.cfg),
            buf: Vec::new(),
            start: 0,
            out: vec![0; 512],
            pending: 0,
            max_headers: limits.max_headers,
            template_11,
            template_10,
            root_path,
            app_state,
            upgrade_head: Vec::new(),
        })
    }

    /// Appends received bytes (`b""`: the peer closed its side).
    fn feed(&mut self, data: &Bound<'_, PyAny>) -> PyResult<()> {
        let owned;
        let bytes: &[u8] = if let Ok(b) = data.downcast_exact::<PyBytes>() {
            b.as_bytes()
        } else if let Ok(b) = data.downcast::<PyByteArray>() {
            owned = b.to_vec();
            &owned
        } else {
            owned = bytesify(data)?.as_bytes().to_vec();
            &owned
        };
        if bytes.is_empty() {
            self.conn.receive_eof();
            return Ok(());
        }
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
        Ok(())
    }

    /// The next event: `(scope, flags, upgrade, body)` for a request (flags, from the core's
    /// decisions about the head: 1 the request is complete already, 2 the client waits for
    /// `100 Continue`, 4 keep-alive, 8 an expectation other than `100-continue` (answer 417),
    /// 16 the body is still transfer-coded (answer 501), 32 more received bytes wait after this
    /// event; `upgrade` the protocol asked for,
    /// lower-cased, or `None`; `body` the whole body when it came with the
    /// head in one piece, else `None`), `bytes` for a piece of body, `None` when more bytes
    /// are needed, `1` at the end of the request, `2` when paused (a pipelined request waits
    /// for the next cycle, or the protocol switched), `3` when the peer closed cleanly. A
    /// malformed request raises `RemoteProtocolError` with the status to answer.
    fn next_event(&mut self, py: Python<'_>) -> PyResult<PyObject> {
        let mut arr = [Header::EMPTY; STACK_HEADERS];
        let mut heap;
        let input = &self.buf[self.start..];
        let mut result = self
            .conn
            .decode(input, &mut arr[..self.max_headers.min(STACK_HEADERS)]);
        // more fields than the stack holds: the connection is unchanged, decode again
        if let Err(e) = &result {
            if let Some(needed) = e.needed_headers() {
                if needed <= self.max_headers {
                    heap = vec![Header::EMPTY; needed];
                    result = self.conn.decode(input, &mut heap);
                } else {
                    self.conn.receive_failed();
                }
            }
        }
        let (n, ev) = result.map_err(|e| invalid(py, e))?;
        let obj = match ev {
            h1x::Event::Request(ref r) => {
                let scope = self.scope(py, r)?;
                let d = self
                    .conn
                    .received()
                    .ok_or_else(|| PyRuntimeError::new_err("h1x: no decisions for a request"))?;
                // the protocol asked for, when the core says the request proposes one
                let upgrade = if d.upgrade {
                    find_header(r.headers, "upgrade").map(<[u8]>::to_ascii_lowercase)
                } else {
                    None
                };
                if upgrade.is_some() {
                    // as uvicorn's h11 protocol hands it over: names lower-cased
                    let head = &mut self.upgrade_head;
                    head.clear();
                    for part in [r.method, b" ", r.target, b" HTTP/1.1\r\n"] {
                        head.extend_from_slice(part);
                    }
                    for h in r.headers {
                        head.extend(h.name.iter().map(u8::to_ascii_lowercase));
                        for part in [&b": "[..], h.value, b"\r\n"] {
                            head.extend_from_slice(part);
                        }
                    }
                    head.extend_from_slice(b"\r\n");
                }
                // the expectation as the head left it: a body that came along does not take
                // away the app's choice to read it (and answer 100) or not, as in uvicorn
                let mut flags = match d.expect {
                    Expectation::None => 0,
                    Expectation::Continue if self.conn.they_are_waiting_for_100_continue() => {
                        FLAG_EXPECT_CONTINUE
                    }
                    Expectation::Continue => 0,
                    Expectation::Unknown => FLAG_EXPECT_UNKNOWN,
                };
                if d.transfer_coded {
                    flags |= FLAG_TRANSFER_CODED;
                }
                if d.keep_alive {
                    flags |= FLAG_KEEP_ALIVE;
                }
                // a request whose body is complete ends right here: say so with the head, with
                // the whole body when it is here in one piece (a look ahead on a copy, kept only
                // when it reaches the end of the message)
                let mut ahead = self.conn.clone();
                let mut consumed = n;
                let mut body = None;
                match ahead.decode(&input[n..], &mut []) {
                    Ok((m, h1x::Event::EndOfMessage([]))) => {
                        self.conn = ahead;
                        consumed += m;
                        flags |= FLAG_ENDED;
                    }
                    Ok((m, h1x::Event::Data(d))) => {
                        if let Ok((k, h1x::Event::EndOfMessage([]))) =
                            ahead.decode(&input[n + m..], &mut [])
                        {
                            self.conn = ahead;
                            consumed += m + k;
                            flags |= FLAG_ENDED;
                            body = Some(d);
                        }
                    }
                    _ => {}
                }
                let up = match upgrade {
                    Some(u) => PyBytes::new(py, &u).into_any().unbind(),
                    None => py.None(),
                };
                let body = match body {
                    Some(d) => PyBytes::new(py, d).into_any().unbind(),
                    None => py.None(),
                };
                self.start += consumed;
                if self.start < self.buf.len() {
                    flags |= FLAG_MORE;
                }
                PyTuple::new(
                    py,
                    [
                        scope.into_any().unbind(),
                        flags.into_pyobject(py)?.into_any().unbind(),
                        up,
                        body,
                    ],
                )?
                .into_any()
                .unbind()
            }
            h1x::Event::Data(d) => {
                let b = PyBytes::new(py, d).into_any().unbind();
                self.start += n;
                b
            }
            h1x::Event::EndOfMessage(_) => {
                self.start += n;
                END.into_pyobject(py)?.into_any().unbind()
            }
            h1x::Event::NeedData => {
                self.start += n;
                py.None()
            }
            h1x::Event::Paused => PAUSED.into_pyobject(py)?.into_any().unbind(),
            h1x::Event::ConnectionClosed => CLOSED.into_pyobject(py)?.into_any().unbind(),
            h1x::Event::InformationalResponse(_) | h1x::Event::Response(_) => {
                return Err(PyRuntimeError::new_err("h1x: a server received a response"))
            }
        };
        if self.start == self.buf.len() {
            self.buf.clear();
            self.start = 0;
        }
        Ok(obj)
    }

    /// The head of the last upgrade request (names lower-cased, as uvicorn's h11 protocol
    /// passes it on) followed by every byte received after it: what the protocol taking over
    /// the connection reads first.
    fn upgrade_bytes<'py>(&mut self, py: Python<'py>) -> Bound<'py, PyBytes> {
        let mut all = std::mem::take(&mut self.upgrade_head);
        all.extend_from_slice(&self.buf[self.start..]);
        self.buf.clear();
        self.start = 0;
        PyBytes::new(py, &all)
    }

    /// Encodes the final response head: `default_headers` (the server's), then the app's
    /// `headers`. Kept pending until [`body`] or [`flush`]. Raises `LocalProtocolError` when
    /// the core refuses the head (invalid field, status, or state).
    fn start(
        &mut self,
        py: Python<'_>,
        status: u16,
        headers: &Bound<'_, PyAny>,
        default_headers: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        self.head(py, status, Some(default_headers), headers, false)
    }

    /// Encodes an interim (1xx) response and returns its bytes (with anything pending before
    /// it). The core refuses it for an HTTP/1.0 client, after the final response, and 101
    /// without an upgrade request.
    fn interim<'py>(
        &mut self,
        py: Python<'py>,
        status: u16,
        headers: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        self.head(py, status, None, headers, true)?;
        Ok(self.take(py))
    }

    /// Encodes a piece of the response body (framed as the head decided) and, when `more` is
    /// false, the end of the message; returns it after the pending head, as one `bytes`.
    fn body<'py>(
        &mut self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
        more: bool,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let owned;
        let b = match data.downcast_exact::<PyBytes>() {
            Ok(b) => b,
            Err(_) => {
                owned = bytesify(data)?;
                &owned
            }
        };
        let bytes = b.as_bytes();
        if !bytes.is_empty() {
            if self.pending == 0 && more {
                // nothing to put in front: when no framing is added, the caller's object goes out
                let before = self.out.len();
                let need = bytes.len() + 32;
                if before < need {
                    self.out.resize(need, 0);
                }
                self.encode(py, &h1x::Event::Data(bytes))?;
                if self.pending == bytes.len() {
                    self.pending = 0;
                    return Ok(b.clone());
                }
                return Ok(self.take(py));
            }
            let need = self.pending + bytes.len() + 40;
            if self.out.len() < need {
                self.out.resize(need, 0);
            }
            self.encode(py, &h1x::Event::Data(bytes))?;
        }
        if !more {
            self.encode(py, &h1x::Event::EndOfMessage(&[]))?;
        }
        Ok(self.take(py))
    }

    /// The pending output (a response head not yet written), or `None`.
    fn flush<'py>(&mut self, py: Python<'py>) -> Option<Bound<'py, PyBytes>> {
        (self.pending > 0).then(|| self.take(py))
    }

    /// Starts the next request/response cycle when both sides are done; returns whether it did
    /// and received bytes are waiting to be decoded (a pipelined request).
    fn next_cycle(&mut self) -> bool {
        self.conn.our_state() == State::Done
            && self.conn.their_state() == State::Done
            && self.conn.start_next_cycle().is_ok()
            && self.start < self.buf.len()
    }

    /// Whether the connection may serve another request after this one (the core's decision,
    /// as of now: the request's and the response's `Connection` fields, the HTTP version, an
    /// unread body after a refused `100-continue`).
    #[getter]
    fn keep_alive(&self) -> bool {
        self.conn.keep_alive()
    }

    /// Whether the client waits for `100 Continue` (and has seen neither it nor a final
    /// response).
    #[getter]
    fn waiting_for_100_continue(&self) -> bool {
        self.conn.they_are_waiting_for_100_continue()
    }

    /// Marks our side as closed (no more responses on this connection).
    fn close(&mut self) {
        let _ = self.conn.encode(&h1x::Event::ConnectionClosed, &mut []);
    }
}

/// An error response for a request the core refused, written without the connection's state
/// (which is failed): `status` with its reason, `default_headers`, a plain-text `message`, and
/// `Connection: close`.
#[pyfunction]
pub(crate) fn error_response<'py>(
    py: Python<'py>,
    status: u16,
    default_headers: &Bound<'py, PyAny>,
    message: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut keep = Vec::new();
    collect_pairs(default_headers, &mut keep)?;
    let len = message.len().to_string();
    let mut hs: Vec<Header<'_>> = keep
        .iter()
        .map(|(n, v)| Header::new(n.as_bytes(), v.as_bytes()))
        .collect();
    hs.push(Header::new("content-type", "text/plain; charset=utf-8"));
    hs.push(Header::new("content-length", len.as_str()));
    hs.push(Header::new("connection", "close"));
    let reason = reason_phrase(status).as_bytes();
    let mut out = vec![0u8; 256];
    let n = loop {
        match h1x::encode_response(status, reason, Version::Http11, &hs, &mut out) {
            Ok(n) => break n,
            Err(e) => match e.kind() {
                ErrorKind::BufferTooSmall { needed } => out.resize(needed, 0),
                _ => return Err(refused(py, e)),
            },
        }
    };
    out.truncate(n);
    out.extend_from_slice(message.as_bytes());
    Ok(PyBytes::new(py, &out))
}

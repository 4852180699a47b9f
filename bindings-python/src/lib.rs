//! `h1x._h1x`: the native half of the Python package `h1x`, a drop-in for h11's API.
//!
//! The binding holds no protocol logic. [`h1x::Connection`] decides every transition, every
//! framing question and every error; this crate owns the receive buffer (a `Vec<u8>` it compacts),
//! translates values between Python and Rust, and keeps the crossings few: input is read straight
//! from `bytes`/`bytearray`, events are built directly as native objects, and sentinels, states,
//! versions and common header names are cached Python objects.
//!
//! The pure-Python half (`python/h1x/__init__.py`) defines the sentinels and the exception
//! classes (so that they behave exactly like h11's) and hands them to [`_init`].

#![warn(missing_docs)]

use h1x::{Config, ErrorKind, Header, Leniency, Role, Version};
use pyo3::exceptions::{PyIndexError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::sync::GILOnceCell;
use std::sync::OnceLock;

use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyString, PyTuple};

/// Header storage on the stack for the common case. A head with more fields is decoded again
/// (from a saved copy of the connection) with `max_headers` slots on the heap.
const STACK_HEADERS: usize = 32;

/// The default header-count limit (`max_headers`).
const DEFAULT_MAX_HEADERS: usize = 100;

/// Header slots on the stack when encoding a Python event's headers.
const SEND_STACK_HEADERS: usize = 12;

/// h11's default for `max_incomplete_event_size`.
const DEFAULT_MAX_INCOMPLETE_EVENT_SIZE: u32 = 16 * 1024;

/// Header names seen in most messages: `(lower-case, usual spelling)`. Received names found here
/// reuse cached `bytes` objects instead of allocating new ones.
const COMMON_NAMES: [(&str, &str); 36] = [
    ("host", "Host"),
    ("user-agent", "User-Agent"),
    ("accept", "Accept"),
    ("accept-encoding", "Accept-Encoding"),
    ("accept-language", "Accept-Language"),
    ("connection", "Connection"),
    ("content-length", "Content-Length"),
    ("content-type", "Content-Type"),
    ("transfer-encoding", "Transfer-Encoding"),
    ("cookie", "Cookie"),
    ("referer", "Referer"),
    ("cache-control", "Cache-Control"),
    ("pragma", "Pragma"),
    ("upgrade", "Upgrade"),
    ("expect", "Expect"),
    ("origin", "Origin"),
    ("authorization", "Authorization"),
    ("if-none-match", "If-None-Match"),
    ("if-modified-since", "If-Modified-Since"),
    ("date", "Date"),
    ("server", "Server"),
    ("location", "Location"),
    ("link", "Link"),
    ("etag", "ETag"),
    ("last-modified", "Last-Modified"),
    ("set-cookie", "Set-Cookie"),
    ("vary", "Vary"),
    ("content-encoding", "Content-Encoding"),
    ("keep-alive", "Keep-Alive"),
    ("x-forwarded-for", "X-Forwarded-For"),
    ("x-request-id", "X-Request-Id"),
    ("dnt", "DNT"),
    ("progress", "Progress"),
    ("sec-fetch-mode", "Sec-Fetch-Mode"),
    ("sec-fetch-site", "Sec-Fetch-Site"),
    ("upgrade-insecure-requests", "Upgrade-Insecure-Requests"),
];

/// Longest name in `COMMON_NAMES`.
const NAME_CACHE_MAX_LEN: usize = 25;

const COMMON_METHODS: [&str; 8] = [
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT",
];

struct CachedName {
    lower: &'static [u8],
    usual: &'static [u8],
    lower_obj: Py<PyBytes>,
    usual_obj: Py<PyBytes>,
}

/// Python objects created once: sentinels, exception classes, versions, common names.
struct Consts {
    /// Type object addresses of the event classes, for dispatch in `send`.
    types: EventTypes,
    client: PyObject,
    server: PyObject,
    /// Indexed by `State as usize`.
    states: Vec<PyObject>,
    need_data: PyObject,
    paused: PyObject,
    local_error: PyObject,
    remote_error: PyObject,
    v10: Py<PyBytes>,
    v11: Py<PyBytes>,
    empty: Py<PyBytes>,
    empty_headers: Py<Headers>,
    end_of_message: Py<EndOfMessage>,
    connection_closed: Py<ConnectionClosed>,
    names: Vec<CachedName>,
    /// Indexes into `names`, by name length.
    names_by_len: Vec<Vec<usize>>,
    methods: Vec<Py<PyBytes>>,
}

static CONSTS: GILOnceCell<Consts> = GILOnceCell::new();

struct EventTypes {
    request: usize,
    informational: usize,
    response: usize,
    data: usize,
    end: usize,
    closed: usize,
}

/// What `send` hands back.
enum Sent<'py> {
    /// `ConnectionClosed`: nothing to write.
    Nothing,
    /// This many bytes of the scratch buffer.
    Out(usize),
    /// Exactly the caller's body bytes (no framing around them): the same object.
    Same(Bound<'py, PyBytes>),
}

fn consts(py: Python<'_>) -> PyResult<&'static Consts> {
    CONSTS
        .get(py)
        .ok_or_else(|| PyRuntimeError::new_err("h1x._h1x used before h1x._h1x._init"))
}

/// Receives the Python-defined sentinels and exceptions; called once by `h1x/__init__.py`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
fn _init(
    py: Python<'_>,
    client: PyObject,
    server: PyObject,
    states: Vec<PyObject>,
    need_data: PyObject,
    paused: PyObject,
    local_error: PyObject,
    remote_error: PyObject,
) -> PyResult<()> {
    if states.len() != 9 {
        return Err(PyValueError::new_err("expected the 9 states"));
    }
    let empty_headers = Py::new(py, Headers::with_items(Vec::new()))?;
    let addr = |t: Bound<'_, pyo3::types::PyType>| t.as_ptr() as usize;
    let consts = Consts {
        types: EventTypes {
            request: addr(py.get_type::<Request>()),
            informational: addr(py.get_type::<InformationalResponse>()),
            response: addr(py.get_type::<Response>()),
            data: addr(py.get_type::<Data>()),
            end: addr(py.get_type::<EndOfMessage>()),
            closed: addr(py.get_type::<ConnectionClosed>()),
        },
        client,
        server,
        states,
        need_data,
        paused,
        local_error,
        remote_error,
        v10: PyBytes::new(py, b"1.0").unbind(),
        v11: PyBytes::new(py, b"1.1").unbind(),
        empty: PyBytes::new(py, b"").unbind(),
        end_of_message: Py::new(
            py,
            EndOfMessage {
                headers: empty_headers.clone_ref(py),
            },
        )?,
        empty_headers,
        connection_closed: Py::new(py, ConnectionClosed {})?,
        names: COMMON_NAMES
            .iter()
            .map(|(lower, usual)| CachedName {
                lower: lower.as_bytes(),
                usual: usual.as_bytes(),
                lower_obj: PyBytes::new(py, lower.as_bytes()).unbind(),
                usual_obj: PyBytes::new(py, usual.as_bytes()).unbind(),
            })
            .collect(),
        names_by_len: (0..=NAME_CACHE_MAX_LEN)
            .map(|len| {
                (0..COMMON_NAMES.len())
                    .filter(|&i| COMMON_NAMES[i].0.len() == len)
                    .collect()
            })
            .collect(),
        methods: COMMON_METHODS
            .iter()
            .map(|m| PyBytes::new(py, m.as_bytes()).unbind())
            .collect(),
    };
    // a second import (e.g. importlib.reload) keeps the first set
    let _ = CONSTS.set(py, consts);
    Ok(())
}

// ------------------------------------------------------------------------------------------
// conversions

/// h11's `bytesify`: `bytes` as is, `str` encoded as ASCII, other bytes-like objects copied,
/// `int` refused.
fn bytesify<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
    if let Ok(b) = obj.downcast_exact::<PyBytes>() {
        return Ok(b.clone());
    }
    let py = obj.py();
    if let Ok(s) = obj.downcast::<PyString>() {
        if let Ok(text) = s.to_cow() {
            if text.is_ascii() {
                return Ok(PyBytes::new(py, text.as_bytes()));
            }
        }
        // raises UnicodeEncodeError, like h11
        return Ok(s
            .call_method1("encode", ("ascii",))?
            .downcast_into::<PyBytes>()?);
    }
    if obj.is_instance_of::<pyo3::types::PyInt>() {
        return Err(PyTypeError::new_err("expected bytes-like object, not int"));
    }
    Ok(py
        .get_type::<PyBytes>()
        .call1((obj,))?
        .downcast_into::<PyBytes>()?)
}

fn version_of(v: &[u8]) -> Option<Version> {
    match v {
        b"1.1" => Some(Version::Http11),
        b"1.0" => Some(Version::Http10),
        _ => None,
    }
}

fn version_obj(c: &Consts, py: Python<'_>, v: Version) -> Py<PyBytes> {
    match v {
        Version::Http10 => c.v10.clone_ref(py),
        Version::Http11 => c.v11.clone_ref(py),
    }
}

/// An exception instance of `cls` built from a core error.
fn make_error(py: Python<'_>, cls: &PyObject, msg: String, e: Option<h1x::Error>) -> PyErr {
    let build = || -> PyResult<PyErr> {
        let kw = PyDict::new(py);
        let status = match e {
            Some(e) => {
                kw.set_item("kind", e.kind().name())?;
                if e.is_remote() {
                    kw.set_item("offset", e.offset())?;
                }
                e.status()
            }
            None => 400,
        };
        let value = cls.bind(py).call((msg, status), Some(&kw))?;
        Ok(PyErr::from_value(value))
    };
    build().unwrap_or_else(|err| err)
}

fn local_error(py: Python<'_>, e: h1x::Error) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.local_error, e.to_string(), Some(e)),
        Err(err) => err,
    }
}

fn remote_error(py: Python<'_>, e: h1x::Error) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.remote_error, e.to_string(), Some(e)),
        Err(err) => err,
    }
}

fn local_msg(py: Python<'_>, msg: String) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.local_error, msg, None),
        Err(err) => err,
    }
}

/// Asks the core's encoder whether a head is valid, without writing: with no room to write,
/// a valid head reports `BufferTooSmall`, an invalid one its own error.
fn check_head(py: Python<'_>, result: Result<usize, h1x::Error>) -> PyResult<()> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.kind(), ErrorKind::BufferTooSmall { .. }) => Ok(()),
        Err(e) => Err(local_error(py, e)),
    }
}

/// The headers of a Python event as core [`Header`]s, on the stack when they are few.
#[allow(clippy::large_enum_variant)] // lives on the stack for one call: boxing would defeat it
enum HeaderStore<'a> {
    Stack([Header<'a>; SEND_STACK_HEADERS], usize),
    Heap(Vec<Header<'a>>),
}

impl<'a> HeaderStore<'a> {
    fn new(py: Python<'_>, headers: &'a Headers) -> Self {
        let n = headers.len();
        if n <= SEND_STACK_HEADERS {
            let mut store = [Header::EMPTY; SEND_STACK_HEADERS];
            for (i, slot) in store.iter_mut().take(n).enumerate() {
                *slot = headers.raw_at(py, i);
            }
            HeaderStore::Stack(store, n)
        } else {
            HeaderStore::Heap((0..n).map(|i| headers.raw_at(py, i)).collect())
        }
    }

    fn as_slice(&self) -> &[Header<'a>] {
        match self {
            HeaderStore::Stack(a, n) => &a[..*n],
            HeaderStore::Heap(v) => v,
        }
    }
}

/// The bytes of an exact `bytes` object.
///
/// # Safety
/// `o` must be a live, exact `bytes` object that outlives `'a`.
unsafe fn bytes_of<'a>(o: *mut pyo3::ffi::PyObject) -> &'a [u8] {
    let p = pyo3::ffi::PyBytes_AsString(o);
    let n = pyo3::ffi::PyBytes_Size(o);
    std::slice::from_raw_parts(p as *const u8, n as usize)
}

// ------------------------------------------------------------------------------------------
// headers

struct Item {
    raw: Py<PyBytes>,
    name: Py<PyBytes>,
    value: Py<PyBytes>,
}

/// Where a [`Headers`] gets its fields from. Python objects for the fields are only made
/// when Python looks at them; sending an event reads the bytes where they are.
enum Source {
    /// `items` was filled at construction.
    Items,
    /// Received: `block` is a copy of the fields' bytes, `spans` are (name start, name end,
    /// value start, value end) in it.
    Wire {
        block: Py<PyBytes>,
        spans: Vec<[u32; 4]>,
    },
    /// Given by Python code: a tuple of exact `(bytes, bytes)` tuples (names as given).
    Pairs(Py<PyTuple>, usize),
}

/// The header fields of an event: a sequence of `(name, value)` pairs with lower-cased names,
/// as h11 gives them. `raw_items()` keeps the names as they were received or given.
#[pyclass(frozen, sequence, module = "h1x")]
pub struct Headers {
    src: Source,
    items: OnceLock<Vec<Item>>,
}

impl Headers {
    fn with_items(items: Vec<Item>) -> Self {
        Headers {
            src: Source::Items,
            items: OnceLock::from(items),
        }
    }

    fn len(&self) -> usize {
        match &self.src {
            Source::Items => self.items.get().map_or(0, Vec::len),
            Source::Wire { spans, .. } => spans.len(),
            Source::Pairs(_, n) => *n,
        }
    }

    /// Field `i` as a core header (name as received or given), without making Python objects.
    fn raw_at<'a>(&'a self, py: Python<'_>, i: usize) -> Header<'a> {
        match &self.src {
            Source::Items => {
                let it = &self.items.get().expect("items are set at construction")[i];
                Header {
                    name: it.raw.as_bytes(py),
                    value: it.value.as_bytes(py),
                }
            }
            Source::Wire { block, spans } => {
                let b = block.as_bytes(py);
                let [a, z, v, w] = spans[i];
                Header {
                    name: &b[a as usize..z as usize],
                    value: &b[v as usize..w as usize],
                }
            }
            Source::Pairs(t, _) => {
                // SAFETY: `from_py` stored only exact 2-tuples of exact bytes; tuples and bytes
                // are immutable and `t` keeps them alive as long as `self`.
                unsafe {
                    let pair = pyo3::ffi::PyTuple_GetItem(t.as_ptr(), i as pyo3::ffi::Py_ssize_t);
                    Header {
                        name: bytes_of(pyo3::ffi::PyTuple_GetItem(pair, 0)),
                        value: bytes_of(pyo3::ffi::PyTuple_GetItem(pair, 1)),
                    }
                }
            }
        }
    }

    /// The fields as Python objects, made on first use.
    fn items(&self, py: Python<'_>) -> &[Item] {
        self.items.get_or_init(|| {
            let c = CONSTS.get(py).expect("h1x._h1x is initialised");
            match &self.src {
                Source::Items => Vec::new(),
                Source::Wire { .. } => (0..self.len())
                    .map(|i| {
                        let h = self.raw_at(py, i);
                        let (raw, name) = name_objs(py, c, h.name);
                        Item {
                            raw,
                            name,
                            value: PyBytes::new(py, h.value).unbind(),
                        }
                    })
                    .collect(),
                Source::Pairs(t, _) => t
                    .bind(py)
                    .iter()
                    .map(|pair| {
                        let pair = pair.downcast_into::<PyTuple>().expect("checked in from_py");
                        let raw = pair
                            .get_item(0)
                            .expect("2-tuple")
                            .downcast_into::<PyBytes>()
                            .expect("checked in from_py");
                        let value = pair
                            .get_item(1)
                            .expect("2-tuple")
                            .downcast_into::<PyBytes>()
                            .expect("checked in from_py");
                        let name = lower_name(py, c, &raw);
                        Item {
                            raw: raw.unbind(),
                            name,
                            value: value.unbind(),
                        }
                    })
                    .collect(),
            }
        })
    }

    /// Builds from received fields: one copy of the bytes they span, Python objects later.
    fn from_received(
        py: Python<'_>,
        c: &Consts,
        input: &[u8],
        hs: &[Header<'_>],
    ) -> PyResult<Py<Headers>> {
        if hs.is_empty() {
            return Ok(c.empty_headers.clone_ref(py));
        }
        let base = input.as_ptr() as usize;
        let at = |s: &[u8]| -> Option<(usize, usize)> {
            if s.is_empty() {
                return None;
            }
            let a = (s.as_ptr() as usize).wrapping_sub(base);
            (a <= input.len() && a + s.len() <= input.len()).then_some((a, a + s.len()))
        };
        let mut lo = usize::MAX;
        let mut hi = 0;
        let mut inside = true;
        for h in hs {
            for s in [h.name, h.value] {
                match at(s) {
                    Some((a, z)) => {
                        lo = lo.min(a);
                        hi = hi.max(z);
                    }
                    None if s.is_empty() => {}
                    None => inside = false,
                }
            }
        }
        if !inside || lo > hi || hi - lo > u32::MAX as usize {
            // not expected from the core; take the plain route
            let items = hs
                .iter()
                .map(|h| {
                    let (raw, name) = name_objs(py, c, h.name);
                    Item {
                        raw,
                        name,
                        value: PyBytes::new(py, h.value).unbind(),
                    }
                })
                .collect();
            return Py::new(py, Headers::with_items(items));
        }
        let span = |s: &[u8]| -> [u32; 2] {
            match at(s) {
                Some((a, z)) => [(a - lo) as u32, (z - lo) as u32],
                None => [0, 0],
            }
        };
        let spans = hs
            .iter()
            .map(|h| {
                let [a, z] = span(h.name);
                let [v, w] = span(h.value);
                [a, z, v, w]
            })
            .collect();
        Py::new(
            py,
            Headers {
                src: Source::Wire {
                    block: PyBytes::new(py, &input[lo..hi]).unbind(),
                    spans,
                },
                items: OnceLock::new(),
            },
        )
    }

    /// h11's `normalize_and_validate` minus the protocol rules (the core applies those when
    /// the event is sent): names and values become bytes, names are lower-cased. A list or
    /// tuple of `(bytes, bytes)` tuples is kept as a tuple and read in place.
    fn from_py(obj: Option<&Bound<'_, PyAny>>) -> PyResult<Py<Headers>> {
        let Some(obj) = obj else {
            return Python::with_gil(|py| Ok(consts(py)?.empty_headers.clone_ref(py)));
        };
        let py = obj.py();
        if let Ok(h) = obj.downcast::<Headers>() {
            return Ok(h.clone().unbind());
        }
        let c = consts(py)?;
        let plain = |t: &Bound<'_, PyTuple>| {
            t.iter().all(|pair| {
                pair.downcast_exact::<PyTuple>().is_ok_and(|p| {
                    p.len() == 2
                        && p.get_item(0)
                            .is_ok_and(|x| x.is_exact_instance_of::<PyBytes>())
                        && p.get_item(1)
                            .is_ok_and(|x| x.is_exact_instance_of::<PyBytes>())
                })
            })
        };
        let tuple = if let Ok(list) = obj.downcast_exact::<PyList>() {
            if list.is_empty() {
                return Ok(c.empty_headers.clone_ref(py));
            }
            Some(list.to_tuple())
        } else {
            obj.downcast_exact::<PyTuple>().ok().cloned()
        };
        if let Some(t) = tuple {
            if t.is_empty() {
                return Ok(c.empty_headers.clone_ref(py));
            }
            if plain(&t) {
                return Py::new(
                    py,
                    Headers {
                        src: Source::Pairs(t.clone().unbind(), t.len()),
                        items: OnceLock::new(),
                    },
                );
            }
        }
        let mut items = Vec::new();
        for pair in obj.try_iter()? {
            let pair = pair?;
            let (name, value) = match pair.downcast_exact::<PyTuple>() {
                Ok(t) if t.len() == 2 => (t.get_item(0)?, t.get_item(1)?),
                _ => pair.extract::<(Bound<'_, PyAny>, Bound<'_, PyAny>)>()?,
            };
            let raw = bytesify(&name)?;
            let value = bytesify(&value)?;
            let name = lower_name(py, c, &raw);
            items.push(Item {
                raw: raw.unbind(),
                name,
                value: value.unbind(),
            });
        }
        if items.is_empty() {
            return Ok(c.empty_headers.clone_ref(py));
        }
        Py::new(py, Headers::with_items(items))
    }

    fn pairs<'py>(&self, py: Python<'py>, raw: bool) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for it in self.items(py) {
            let name = if raw { &it.raw } else { &it.name };
            list.append(PyTuple::new(
                py,
                [name.clone_ref(py), it.value.clone_ref(py)],
            )?)?;
        }
        Ok(list)
    }
}

/// The raw and lower-cased name objects for a received name.
/// The lower-cased name object for a name given as bytes.
fn lower_name(py: Python<'_>, c: &Consts, raw: &Bound<'_, PyBytes>) -> Py<PyBytes> {
    let b = raw.as_bytes();
    if let Some(n) = common_name(c, b) {
        n.lower_obj.clone_ref(py)
    } else if b.iter().any(u8::is_ascii_uppercase) {
        PyBytes::new(py, &b.to_ascii_lowercase()).unbind()
    } else {
        raw.clone().unbind()
    }
}

fn common_name<'c>(c: &'c Consts, raw: &[u8]) -> Option<&'c CachedName> {
    c.names_by_len
        .get(raw.len())?
        .iter()
        .map(|&i| &c.names[i])
        .find(|n| n.lower.eq_ignore_ascii_case(raw))
}

fn name_objs(py: Python<'_>, c: &Consts, raw: &[u8]) -> (Py<PyBytes>, Py<PyBytes>) {
    if let Some(n) = common_name(c, raw) {
        let lower = n.lower_obj.clone_ref(py);
        let raw_obj = if raw == n.lower {
            lower.clone_ref(py)
        } else if raw == n.usual {
            n.usual_obj.clone_ref(py)
        } else {
            PyBytes::new(py, raw).unbind()
        };
        return (raw_obj, lower);
    }
    let raw_obj = PyBytes::new(py, raw).unbind();
    if raw.iter().any(u8::is_ascii_uppercase) {
        let lower = PyBytes::new(py, &raw.to_ascii_lowercase()).unbind();
        (raw_obj, lower)
    } else {
        (raw_obj.clone_ref(py), raw_obj)
    }
}

#[pymethods]
impl Headers {
    fn __len__(&self) -> usize {
        self.len()
    }

    fn __getitem__<'py>(&self, py: Python<'py>, idx: isize) -> PyResult<Bound<'py, PyTuple>> {
        let n = self.len() as isize;
        let i = if idx < 0 { idx + n } else { idx };
        if i < 0 || i >= n {
            return Err(PyIndexError::new_err("Headers index out of range"));
        }
        let it = &self.items(py)[i as usize];
        PyTuple::new(py, [it.name.clone_ref(py), it.value.clone_ref(py)])
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.pairs(py, false)?.into_any().try_iter()?.into_any())
    }

    fn __contains__(&self, py: Python<'_>, item: &Bound<'_, PyAny>) -> PyResult<bool> {
        self.pairs(py, false)?.contains(item)
    }

    fn __bool__(&self) -> bool {
        self.len() != 0
    }

    /// The `(name, value)` pairs with each name spelled as received (or as given).
    fn raw_items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.pairs(py, true)
    }

    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<PyObject> {
        let eq = match op {
            CompareOp::Eq | CompareOp::Ne => {
                if let Ok(o) = other.downcast::<Headers>() {
                    let o = o.get();
                    o.len() == self.len()
                        && self.items(py).iter().zip(o.items(py)).all(|(a, b)| {
                            a.name.as_bytes(py) == b.name.as_bytes(py)
                                && a.value.as_bytes(py) == b.value.as_bytes(py)
                        })
                } else {
                    // h11: list(self) == list(other)
                    let Ok(iter) = other.try_iter() else {
                        return Ok(py.NotImplemented());
                    };
                    let other_list = PyList::empty(py);
                    for x in iter {
                        other_list.append(x?)?;
                    }
                    self.pairs(py, false)?.eq(other_list)?
                }
            }
            _ => return Ok(py.NotImplemented()),
        };
        Ok((if matches!(op, CompareOp::Eq) { eq } else { !eq })
            .into_pyobject(py)?
            .to_owned()
            .into_any()
            .unbind())
    }

    fn __hash__(&self) -> PyResult<isize> {
        Err(PyTypeError::new_err("unhashable type: 'Headers'"))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("<Headers({})>", self.pairs(py, false)?.repr()?))
    }
}

// ------------------------------------------------------------------------------------------
// events

fn bool_obj(py: Python<'_>, b: bool) -> PyObject {
    b.into_pyobject(py).unwrap().to_owned().into_any().unbind()
}

/// Equality for events: same class and equal fields (as dataclasses compare), else
/// `NotImplemented`.
fn event_cmp(
    py: Python<'_>,
    op: CompareOp,
    same_type: bool,
    eq: impl FnOnce() -> PyResult<bool>,
) -> PyResult<PyObject> {
    match op {
        CompareOp::Eq | CompareOp::Ne if same_type => {
            let e = eq()?;
            Ok(bool_obj(
                py,
                if matches!(op, CompareOp::Eq) { e } else { !e },
            ))
        }
        _ => Ok(py.NotImplemented()),
    }
}

fn obj_eq(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<bool> {
    a.eq(b)
}

fn unhashable(name: &str) -> PyErr {
    PyTypeError::new_err(format!("unhashable type: '{name}'"))
}

/// The beginning of an HTTP request: `method`, `target`, `headers` and `http_version`.
#[pyclass(frozen, module = "h1x")]
pub struct Request {
    #[pyo3(get)]
    method: Py<PyBytes>,
    #[pyo3(get)]
    headers: Py<Headers>,
    #[pyo3(get)]
    target: Py<PyBytes>,
    #[pyo3(get)]
    http_version: Py<PyBytes>,
}

#[pymethods]
impl Request {
    /// `Request(*, method, headers, target, http_version=b"1.1")`.
    #[new]
    #[pyo3(signature = (*, method, headers, target, http_version = None, _parsed = false))]
    fn new(
        py: Python<'_>,
        method: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        target: &Bound<'_, PyAny>,
        http_version: Option<&Bound<'_, PyAny>>,
        _parsed: bool,
    ) -> PyResult<Self> {
        let c = consts(py)?;
        let method = bytesify(method)?;
        let target = bytesify(target)?;
        let http_version = match http_version {
            Some(v) => bytesify(v)?,
            None => c.v11.bind(py).clone(),
        };
        let headers = Headers::from_py(Some(headers))?;
        let version = version_of(http_version.as_bytes()).unwrap_or(Version::Http11);
        let store = HeaderStore::new(py, headers.get());
        check_head(
            py,
            h1x::encode_request(
                method.as_bytes(),
                target.as_bytes(),
                version,
                store.as_slice(),
                &mut [],
            ),
        )?;
        drop(store);
        Ok(Request {
            method: method.unbind(),
            headers,
            target: target.unbind(),
            http_version: http_version.unbind(),
        })
    }

    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<PyObject> {
        let o = other.downcast::<Request>().ok();
        event_cmp(py, op, o.is_some(), || {
            let o = o.unwrap().get();
            Ok(obj_eq(self.method.bind(py), o.method.bind(py))?
                && obj_eq(self.headers.bind(py), o.headers.bind(py))?
                && obj_eq(self.target.bind(py), o.target.bind(py))?
                && obj_eq(self.http_version.bind(py), o.http_version.bind(py))?)
        })
    }

    fn __hash__(&self) -> PyResult<isize> {
        Err(unhashable("Request"))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Request(method={}, headers={}, target={}, http_version={})",
            self.method.bind(py).repr()?,
            self.headers.bind(py).repr()?,
            self.target.bind(py).repr()?,
            self.http_version.bind(py).repr()?
        ))
    }
}

/// Fields shared by both response classes.
struct ResponseFields {
    headers: Py<Headers>,
    http_version: Py<PyBytes>,
    reason: Py<PyBytes>,
    status_code: u16,
}

fn response_new(
    py: Python<'_>,
    headers: &Bound<'_, PyAny>,
    status_code: &Bound<'_, PyAny>,
    http_version: Option<&Bound<'_, PyAny>>,
    reason: Option<&Bound<'_, PyAny>>,
    range: (u16, u16),
    class: &str,
) -> PyResult<ResponseFields> {
    let c = consts(py)?;
    let headers = Headers::from_py(Some(headers))?;
    let reason = match reason {
        Some(r) => bytesify(r)?,
        None => c.empty.bind(py).clone(),
    };
    let http_version = match http_version {
        Some(v) => bytesify(v)?,
        None => c.v11.bind(py).clone(),
    };
    if !status_code.is_instance_of::<pyo3::types::PyInt>() {
        return Err(local_msg(py, "status code must be integer".into()));
    }
    let code: i64 = status_code.extract()?;
    if code < range.0 as i64 || code >= range.1 as i64 {
        return Err(local_msg(
            py,
            format!(
                "{class} status_code should be in range [{}, {}), not {code}",
                range.0, range.1
            ),
        ));
    }
    let version = version_of(http_version.as_bytes()).unwrap_or(Version::Http11);
    let store = HeaderStore::new(py, headers.get());
    check_head(
        py,
        h1x::encode_response(
            code as u16,
            reason.as_bytes(),
            version,
            store.as_slice(),
            &mut [],
        ),
    )?;
    drop(store);
    Ok(ResponseFields {
        headers,
        http_version: http_version.unbind(),
        reason: reason.unbind(),
        status_code: code as u16,
    })
}

fn response_repr(py: Python<'_>, class: &str, f: &ResponseFields) -> PyResult<String> {
    Ok(format!(
        "{class}(headers={}, http_version={}, reason={}, status_code={})",
        f.headers.bind(py).repr()?,
        f.http_version.bind(py).repr()?,
        f.reason.bind(py).repr()?,
        f.status_code
    ))
}

fn response_eq(py: Python<'_>, a: &ResponseFields, b: &ResponseFields) -> PyResult<bool> {
    Ok(a.status_code == b.status_code
        && obj_eq(a.headers.bind(py), b.headers.bind(py))?
        && obj_eq(a.http_version.bind(py), b.http_version.bind(py))?
        && obj_eq(a.reason.bind(py), b.reason.bind(py))?)
}

macro_rules! response_class {
    ($name:ident, $lo:expr, $hi:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(frozen, module = "h1x")]
        pub struct $name {
            f: ResponseFields,
        }

        #[pymethods]
        impl $name {
            /// `(*, headers, status_code, http_version=b"1.1", reason=b"")`.
            #[new]
            #[pyo3(signature = (*, headers, status_code, http_version = None, reason = None, _parsed = false))]
            fn new(
                py: Python<'_>,
                headers: &Bound<'_, PyAny>,
                status_code: &Bound<'_, PyAny>,
                http_version: Option<&Bound<'_, PyAny>>,
                reason: Option<&Bound<'_, PyAny>>,
                _parsed: bool,
            ) -> PyResult<Self> {
                let f = response_new(
                    py,
                    headers,
                    status_code,
                    http_version,
                    reason,
                    ($lo, $hi),
                    stringify!($name),
                )?;
                Ok($name { f })
            }

            #[getter]
            fn headers(&self, py: Python<'_>) -> Py<Headers> {
                self.f.headers.clone_ref(py)
            }

            #[getter]
            fn http_version(&self, py: Python<'_>) -> Py<PyBytes> {
                self.f.http_version.clone_ref(py)
            }

            #[getter]
            fn reason(&self, py: Python<'_>) -> Py<PyBytes> {
                self.f.reason.clone_ref(py)
            }

            #[getter]
            fn status_code(&self) -> u16 {
                self.f.status_code
            }

            fn __richcmp__(
                &self,
                py: Python<'_>,
                other: &Bound<'_, PyAny>,
                op: CompareOp,
            ) -> PyResult<PyObject> {
                let o = other.downcast::<$name>().ok();
                event_cmp(py, op, o.is_some(), || response_eq(py, &self.f, &o.unwrap().get().f))
            }

            fn __hash__(&self) -> PyResult<isize> {
                Err(unhashable(stringify!($name)))
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                response_repr(py, stringify!($name), &self.f)
            }
        }
    };
}

response_class!(
    InformationalResponse,
    100,
    200,
    "An interim (1xx) response: `status_code` in [100, 200), `headers`, `reason`, `http_version`. Any number may precede the final response."
);
response_class!(
    Response,
    200,
    1000,
    "The final response: `status_code` in [200, 1000), `headers`, `reason`, `http_version`."
);

/// Part of a message body. `chunk_start` and `chunk_end` are kept for h11 compatibility; h1x
/// does not report chunk boundaries, so received events have both `False`.
#[pyclass(frozen, module = "h1x")]
pub struct Data {
    #[pyo3(get)]
    data: PyObject,
    #[pyo3(get)]
    chunk_start: bool,
    #[pyo3(get)]
    chunk_end: bool,
}

#[pymethods]
impl Data {
    #[new]
    #[pyo3(signature = (data, chunk_start = false, chunk_end = false))]
    fn new(data: PyObject, chunk_start: bool, chunk_end: bool) -> Self {
        Data {
            data,
            chunk_start,
            chunk_end,
        }
    }

    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<PyObject> {
        let o = other.downcast::<Data>().ok();
        event_cmp(py, op, o.is_some(), || {
            let o = o.unwrap().get();
            Ok(obj_eq(self.data.bind(py), o.data.bind(py))?
                && self.chunk_start == o.chunk_start
                && self.chunk_end == o.chunk_end)
        })
    }

    fn __hash__(&self) -> PyResult<isize> {
        Err(unhashable("Data"))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let b = |v: bool| if v { "True" } else { "False" };
        Ok(format!(
            "Data(data={}, chunk_start={}, chunk_end={})",
            self.data.bind(py).repr()?,
            b(self.chunk_start),
            b(self.chunk_end)
        ))
    }
}

/// The end of a message, with its trailer fields in `headers` (empty unless chunked).
#[pyclass(frozen, module = "h1x")]
pub struct EndOfMessage {
    #[pyo3(get)]
    headers: Py<Headers>,
}

#[pymethods]
impl EndOfMessage {
    /// `EndOfMessage(*, headers=[])`: trailer fields, for chunked messages only.
    #[new]
    #[pyo3(signature = (*, headers = None, _parsed = false))]
    fn new(py: Python<'_>, headers: Option<Bound<'_, PyAny>>, _parsed: bool) -> PyResult<Self> {
        let headers = Headers::from_py(headers.as_ref().filter(|h| !h.is_none()))?;
        let store = HeaderStore::new(py, headers.get());
        check_head(
            py,
            h1x::encode_response(200, b"", Version::Http11, store.as_slice(), &mut []),
        )?;
        drop(store);
        Ok(EndOfMessage { headers })
    }

    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<PyObject> {
        let o = other.downcast::<EndOfMessage>().ok();
        event_cmp(py, op, o.is_some(), || {
            obj_eq(self.headers.bind(py), o.unwrap().get().headers.bind(py))
        })
    }

    fn __hash__(&self) -> PyResult<isize> {
        Err(unhashable("EndOfMessage"))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "EndOfMessage(headers={})",
            self.headers.bind(py).repr()?
        ))
    }
}

/// The peer closed the connection (received), or we are closing it (sent).
#[pyclass(frozen, module = "h1x")]
pub struct ConnectionClosed {}

#[pymethods]
impl ConnectionClosed {
    #[new]
    fn new() -> Self {
        ConnectionClosed {}
    }

    fn __richcmp__(
        &self,
        py: Python<'_>,
        other: &Bound<'_, PyAny>,
        op: CompareOp,
    ) -> PyResult<PyObject> {
        let same = other.downcast::<ConnectionClosed>().is_ok();
        event_cmp(py, op, same, || Ok(true))
    }

    fn __hash__(&self) -> PyResult<isize> {
        Err(unhashable("ConnectionClosed"))
    }

    fn __repr__(&self) -> &'static str {
        "ConnectionClosed()"
    }
}

// ------------------------------------------------------------------------------------------
// the connection

fn leniency_of(name: &str) -> Option<Leniency> {
    match name.to_ascii_uppercase().replace('-', "_").as_str() {
        "BARE_LF" => Some(Leniency::BARE_LF),
        "OBS_FOLD" => Some(Leniency::OBS_FOLD),
        "MISSING_HOST" => Some(Leniency::MISSING_HOST),
        "DUPLICATE_CONTENT_LENGTH" => Some(Leniency::DUPLICATE_CONTENT_LENGTH),
        _ => None,
    }
}

fn limit<T: TryFrom<u64>>(name: &str, v: u64) -> PyResult<T> {
    T::try_from(v).map_err(|_| PyValueError::new_err(format!("{name} is too large: {v}")))
}

/// An HTTP/1.1 connection, client or server: h11's `Connection`, driven by h1x.
#[pyclass(module = "h1x")]
pub struct Connection {
    conn: h1x::Connection,
    /// Received bytes; `buf[start..]` is not consumed yet.
    buf: Vec<u8>,
    start: usize,
    /// Encoding scratch space.
    out: Vec<u8>,
    max_headers: usize,
    our_role: PyObject,
    their_role: PyObject,
}

impl Connection {
    fn encode(&mut self, py: Python<'_>, ev: &h1x::Event<'_, '_>) -> PyResult<usize> {
        loop {
            match self.conn.encode(ev, &mut self.out) {
                Ok(n) => return Ok(n),
                Err(e) => match e.kind() {
                    ErrorKind::BufferTooSmall { needed } => self.out.resize(needed, 0),
                    _ => return Err(local_error(py, e)),
                },
            }
        }
    }

    /// Encodes a Python event; `None` for ConnectionClosed (nothing to write).
    fn send_event<'py>(
        &mut self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Sent<'py>> {
        let t = consts(py)?;
        let t = &t.types;
        let ty = event.get_type_ptr() as usize;
        // SAFETY (each downcast_unchecked below): the object's type is exactly that class
        if ty == t.data {
            let d = unsafe { event.downcast_unchecked::<Data>() };
            let data = d.get().data.bind(py);
            if let Ok(b) = data.downcast_exact::<PyBytes>() {
                let bytes = b.as_bytes();
                self.reserve(bytes.len());
                let n = self.encode(py, &h1x::Event::Data(bytes))?;
                // no framing was added: the wire bytes are the caller's object itself
                return Ok(if n == bytes.len() && n > 0 {
                    Sent::Same(b.clone())
                } else {
                    Sent::Out(n)
                });
            }
            let owned = bytesify(data)?;
            let bytes = owned.as_bytes();
            self.reserve(bytes.len());
            return self.encode(py, &h1x::Event::Data(bytes)).map(Sent::Out);
        }
        if ty == t.response {
            let r = unsafe { event.downcast_unchecked::<Response>() };
            return self.send_response(py, &r.get().f, false).map(Sent::Out);
        }
        if ty == t.informational {
            let r = unsafe { event.downcast_unchecked::<InformationalResponse>() };
            return self.send_response(py, &r.get().f, true).map(Sent::Out);
        }
        if ty == t.end {
            let e = unsafe { event.downcast_unchecked::<EndOfMessage>() };
            let store = HeaderStore::new(py, e.get().headers.get());
            return self
                .encode(py, &h1x::Event::EndOfMessage(store.as_slice()))
                .map(Sent::Out);
        }
        if ty == t.request {
            let r = unsafe { event.downcast_unchecked::<Request>() }.get();
            let method = r.method.bind(py).as_bytes();
            let target = r.target.bind(py).as_bytes();
            let version = self.version(py, r.http_version.bind(py))?;
            let store = HeaderStore::new(py, r.headers.get());
            let ev = h1x::Event::Request(h1x::Request {
                method,
                target,
                version,
                headers: store.as_slice(),
            });
            return self.encode(py, &ev).map(Sent::Out);
        }
        if ty == t.closed {
            self.encode(py, &h1x::Event::ConnectionClosed)?;
            return Ok(Sent::Nothing);
        }
        Err(PyTypeError::new_err(format!(
            "expected an h1x event, not {}",
            event.get_type().name()?
        )))
    }

    fn send_response(
        &mut self,
        py: Python<'_>,
        f: &ResponseFields,
        interim: bool,
    ) -> PyResult<usize> {
        let version = self.version(py, f.http_version.bind(py))?;
        let reason = f.reason.bind(py).as_bytes();
        let status = f.status_code;
        let store = HeaderStore::new(py, f.headers.get());
        let res = h1x::Response {
            status,
            reason,
            version,
            headers: store.as_slice(),
        };
        let ev = if interim {
            h1x::Event::InformationalResponse(res)
        } else {
            h1x::Event::Response(res)
        };
        self.encode(py, &ev)
    }

    fn version(&self, py: Python<'_>, v: &Bound<'_, PyBytes>) -> PyResult<Version> {
        version_of(v.as_bytes()).ok_or_else(|| {
            local_msg(
                py,
                format!("h1x sends HTTP/1.1 and HTTP/1.0 only, not {:?}", v),
            )
        })
    }

    fn reserve(&mut self, body: usize) {
        // room for the chunk framing too, so a body is encoded in one pass
        if self.out.len() < body + 32 {
            self.out.resize(body + 32, 0);
        }
    }

    fn feed(&mut self, data: &[u8]) -> PyResult<()> {
        if data.is_empty() {
            self.conn.receive_eof();
            return Ok(());
        }
        if self.conn.eof_received() {
            return Err(PyRuntimeError::new_err(
                "received close, then received more data?",
            ));
        }
        if self.start > 0 {
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(data);
        Ok(())
    }

    /// Decodes the next event and turns it into a Python object. Header storage is on the
    /// stack (`STACK_HEADERS` slots); a head with more fields than that is decoded again, from a
    /// copy of the connection saved before the call, with `max_headers` slots on the heap.
    fn decode(&mut self, py: Python<'_>, c: &Consts) -> PyResult<PyObject> {
        let Connection {
            conn,
            buf,
            start,
            max_headers,
            ..
        } = self;
        let input = &buf[*start..];
        let saved = conn.clone();
        let mut arr = [Header::EMPTY; STACK_HEADERS];
        let mut heap;
        let mut result = conn.decode(input, &mut arr[..(*max_headers).min(STACK_HEADERS)]);
        if *max_headers > STACK_HEADERS
            && matches!(&result, Err(e) if e.kind() == ErrorKind::TooManyHeaders)
        {
            *conn = saved;
            heap = vec![Header::EMPTY; *max_headers];
            result = conn.decode(input, &mut heap);
        }
        let (n, ev) = match result {
            Ok(x) => x,
            Err(e) => return Err(remote_error(py, e)),
        };
        let obj = event_obj(py, c, input, &ev)?;
        *start += n;
        if *start == buf.len() {
            buf.clear();
            *start = 0;
        }
        Ok(obj)
    }
}

/// A decoded core event as a Python object.
fn event_obj(
    py: Python<'_>,
    c: &Consts,
    input: &[u8],
    ev: &h1x::Event<'_, '_>,
) -> PyResult<PyObject> {
    Ok(match *ev {
        h1x::Event::NeedData => c.need_data.clone_ref(py),
        h1x::Event::Paused => c.paused.clone_ref(py),
        h1x::Event::Data(d) => Py::new(
            py,
            Data {
                data: PyBytes::new(py, d).into_any().unbind(),
                chunk_start: false,
                chunk_end: false,
            },
        )?
        .into_any(),
        h1x::Event::Request(ref r) => {
            let method = match COMMON_METHODS.iter().position(|m| m.as_bytes() == r.method) {
                Some(i) => c.methods[i].clone_ref(py),
                None => PyBytes::new(py, r.method).unbind(),
            };
            Py::new(
                py,
                Request {
                    method,
                    headers: Headers::from_received(py, c, input, r.headers)?,
                    target: PyBytes::new(py, r.target).unbind(),
                    http_version: version_obj(c, py, r.version),
                },
            )?
            .into_any()
        }
        h1x::Event::InformationalResponse(ref r) => Py::new(
            py,
            InformationalResponse {
                f: received_response(py, c, input, r)?,
            },
        )?
        .into_any(),
        h1x::Event::Response(ref r) => Py::new(
            py,
            Response {
                f: received_response(py, c, input, r)?,
            },
        )?
        .into_any(),
        h1x::Event::EndOfMessage([]) => c.end_of_message.clone_ref(py).into_any(),
        h1x::Event::EndOfMessage(trailers) => Py::new(
            py,
            EndOfMessage {
                headers: Headers::from_received(py, c, input, trailers)?,
            },
        )?
        .into_any(),
        h1x::Event::ConnectionClosed => c.connection_closed.clone_ref(py).into_any(),
    })
}

fn received_response(
    py: Python<'_>,
    c: &Consts,
    input: &[u8],
    r: &h1x::Response<'_, '_>,
) -> PyResult<ResponseFields> {
    Ok(ResponseFields {
        headers: Headers::from_received(py, c, input, r.headers)?,
        http_version: version_obj(c, py, r.version),
        reason: if r.reason.is_empty() {
            c.empty.clone_ref(py)
        } else {
            PyBytes::new(py, r.reason).unbind()
        },
        status_code: r.status,
    })
}

#[pymethods]
impl Connection {
    /// `Connection(our_role, max_incomplete_event_size=16384, *, max_head_bytes=None,
    /// max_line_bytes=8192, max_trailer_bytes=8192, max_chunk_ext_bytes=1024, max_headers=100,
    /// leniency=())`.
    #[new]
    #[pyo3(signature = (
        our_role,
        max_incomplete_event_size = DEFAULT_MAX_INCOMPLETE_EVENT_SIZE as u64,
        *,
        max_head_bytes = None,
        max_line_bytes = None,
        max_trailer_bytes = None,
        max_chunk_ext_bytes = None,
        max_headers = DEFAULT_MAX_HEADERS,
        leniency = None,
    ))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        our_role: PyObject,
        max_incomplete_event_size: u64,
        max_head_bytes: Option<u64>,
        max_line_bytes: Option<u64>,
        max_trailer_bytes: Option<u64>,
        max_chunk_ext_bytes: Option<u64>,
        max_headers: usize,
        leniency: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let c = consts(py)?;
        let role = if our_role.is(&c.client) {
            Role::Client
        } else if our_role.is(&c.server) {
            Role::Server
        } else {
            return Err(PyValueError::new_err(format!(
                "expected CLIENT or SERVER, not {}",
                our_role.bind(py).repr()?
            )));
        };
        let mut cfg = Config {
            max_head_bytes: limit(
                "max_head_bytes",
                max_head_bytes.unwrap_or(max_incomplete_event_size),
            )?,
            ..Config::default()
        };
        if let Some(v) = max_line_bytes {
            cfg.max_line_bytes = limit("max_line_bytes", v)?;
        }
        if let Some(v) = max_trailer_bytes {
            cfg.max_trailer_bytes = limit("max_trailer_bytes", v)?;
        }
        if let Some(v) = max_chunk_ext_bytes {
            cfg.max_chunk_ext_bytes = limit("max_chunk_ext_bytes", v)?;
        }
        if let Some(names) = leniency {
            let names: Vec<String> = if let Ok(s) = names.downcast::<PyString>() {
                vec![s.to_cow()?.into_owned()]
            } else {
                names.extract()?
            };
            for name in names {
                let l = leniency_of(&name)
                    .ok_or_else(|| PyValueError::new_err(format!("unknown leniency {name:?}")))?;
                cfg = cfg.lenient(l);
            }
        }
        if max_headers == 0 {
            return Err(PyValueError::new_err("max_headers must be at least 1"));
        }
        let their_role = match role {
            Role::Client => c.server.clone_ref(py),
            Role::Server => c.client.clone_ref(py),
        };
        Ok(Connection {
            conn: h1x::Connection::with_config(role, cfg),
            buf: Vec::new(),
            start: 0,
            out: Vec::new(),
            max_headers,
            our_role,
            their_role,
        })
    }

    /// `CLIENT` or `SERVER`.
    #[getter]
    fn our_role(&self, py: Python<'_>) -> PyObject {
        self.our_role.clone_ref(py)
    }

    /// The peer's role.
    #[getter]
    fn their_role(&self, py: Python<'_>) -> PyObject {
        self.their_role.clone_ref(py)
    }

    /// Our state.
    #[getter]
    fn our_state(&self, py: Python<'_>) -> PyResult<PyObject> {
        Ok(consts(py)?.states[self.conn.our_state() as usize].clone_ref(py))
    }

    /// The peer's state.
    #[getter]
    fn their_state(&self, py: Python<'_>) -> PyResult<PyObject> {
        Ok(consts(py)?.states[self.conn.their_state() as usize].clone_ref(py))
    }

    /// `{CLIENT: state, SERVER: state}`.
    #[getter]
    fn states<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = consts(py)?;
        let d = PyDict::new(py);
        d.set_item(&c.client, &c.states[self.conn.state(Role::Client) as usize])?;
        d.set_item(&c.server, &c.states[self.conn.state(Role::Server) as usize])?;
        Ok(d)
    }

    /// `b"1.0"` or `b"1.1"` once the peer's first head arrived, else `None`.
    #[getter]
    fn their_http_version(&self, py: Python<'_>) -> PyResult<Option<Py<PyBytes>>> {
        let c = consts(py)?;
        Ok(self
            .conn
            .their_http_version()
            .map(|v| version_obj(c, py, v)))
    }

    /// Whether the client sent `Expect: 100-continue` and has seen neither a 100 nor a final
    /// response (RFC 9110: a 102 or 103 does not end the wait).
    #[getter]
    fn client_is_waiting_for_100_continue(&self) -> bool {
        self.conn.client_is_waiting_for_100_continue()
    }

    /// Whether we are a server whose client waits for `100 Continue`.
    #[getter]
    fn they_are_waiting_for_100_continue(&self) -> bool {
        self.conn.they_are_waiting_for_100_continue()
    }

    /// `(unprocessed bytes, whether the peer closed)`: what follows a protocol switch.
    #[getter]
    fn trailing_data<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        let data = PyBytes::new(py, &self.buf[self.start..]);
        let closed = bool_obj(py, self.conn.eof_received());
        PyTuple::new(py, [data.into_any().unbind(), closed])
    }

    /// Bytes the peer sent: `bytes`, `bytearray` or any bytes-like object; `b""` means the peer
    /// closed its side.
    fn receive_data(&mut self, data: &Bound<'_, PyAny>) -> PyResult<()> {
        if let Ok(b) = data.downcast_exact::<PyBytes>() {
            return self.feed(b.as_bytes());
        }
        if let Ok(b) = data.downcast::<PyByteArray>() {
            // SAFETY: no Python code runs while the slice is borrowed
            return self.feed(unsafe { b.as_bytes() });
        }
        if data.is_none() {
            return self.feed(b"");
        }
        let owned = bytesify(data)?;
        self.feed(owned.as_bytes())
    }

    /// The next event from the received bytes, or `NEED_DATA` or `PAUSED`.
    fn next_event(&mut self, py: Python<'_>) -> PyResult<PyObject> {
        let c = consts(py)?;
        self.decode(py, c)
    }

    /// Encodes `event` and returns the bytes to write (`None` for `ConnectionClosed`).
    fn send<'py>(
        &mut self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyBytes>>> {
        Ok(match self.send_event(py, event)? {
            Sent::Nothing => None,
            Sent::Out(n) => Some(PyBytes::new(py, &self.out[..n])),
            Sent::Same(b) => Some(b),
        })
    }

    /// Like `send`, but returns a list of byte strings (or `None`), as h11 does.
    fn send_with_data_passthrough<'py>(
        &mut self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyList>>> {
        let piece = match self.send_event(py, event)? {
            Sent::Nothing => return Ok(None),
            Sent::Out(n) => PyBytes::new(py, &self.out[..n]),
            Sent::Same(b) => b,
        };
        Ok(Some(PyList::new(py, [piece])?))
    }

    /// Marks our side as failed (a write to the socket failed): our state becomes `ERROR`.
    fn send_failed(&mut self) {
        self.conn.send_failed();
    }

    /// Resets both sides to `IDLE` after a completed keep-alive cycle.
    fn start_next_cycle(&mut self, py: Python<'_>) -> PyResult<()> {
        self.conn.start_next_cycle().map_err(|e| local_error(py, e))
    }
}

/// The native module `h1x._h1x`.
#[pymodule]
fn _h1x(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_init, m)?)?;
    m.add_class::<Connection>()?;
    m.add_class::<Headers>()?;
    m.add_class::<Request>()?;
    m.add_class::<InformationalResponse>()?;
    m.add_class::<Response>()?;
    m.add_class::<Data>()?;
    m.add_class::<EndOfMessage>()?;
    m.add_class::<ConnectionClosed>()?;
    m.add(
        "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE",
        DEFAULT_MAX_INCOMPLETE_EVENT_SIZE,
    )?;
    m.add("DEFAULT_MAX_HEADERS", DEFAULT_MAX_HEADERS)?;
    Ok(())
}

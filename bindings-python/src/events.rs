//! The event classes: `Request`, `InformationalResponse`, `Response`, `Data`, `EndOfMessage`
//! and `ConnectionClosed`, as h11 defines them.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::pyclass::boolean_struct::True;
use pyo3::pyclass::CompareOp;
use pyo3::types::PyBytes;
use pyo3::PyClass;

use crate::cache::consts;
use crate::convert::{bool_obj, bytesify, version_of};
use crate::errors::{check, local_msg};
use crate::headers::{EventHeaders, Headers};

/// What the event classes share: they compare as dataclasses do (same class, equal fields),
/// print as h11's do, and are unhashable. `event_methods!` adds these to a class.
pub(crate) trait Event: PyClass<Frozen = True> + Sync {
    /// `(name, value)` of each field, in h11's order.
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>>;
}

pub(crate) fn event_richcmp<T: Event>(
    this: &T,
    py: Python<'_>,
    other: &Bound<'_, PyAny>,
    op: CompareOp,
) -> PyResult<PyObject> {
    let (CompareOp::Eq | CompareOp::Ne, Ok(other)) = (op, other.downcast::<T>()) else {
        return Ok(py.NotImplemented());
    };
    let mut eq = true;
    for ((_, a), (_, b)) in this.fields(py)?.iter().zip(other.get().fields(py)?.iter()) {
        if !a.eq(b)? {
            eq = false;
            break;
        }
    }
    Ok(bool_obj(py, eq == matches!(op, CompareOp::Eq)))
}

pub(crate) fn event_repr<T: Event>(this: &T, py: Python<'_>, class: &str) -> PyResult<String> {
    let mut out = format!("{class}(");
    for (i, (name, value)) in this.fields(py)?.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(name);
        out.push('=');
        out.push_str(&value.repr()?.to_cow()?);
    }
    out.push(')');
    Ok(out)
}

/// `#[pymethods]` for an event class: the given items plus `__richcmp__`, `__hash__` and
/// `__repr__` from its [`Event`] fields.
macro_rules! event_methods {
    ($ty:ident { $($items:tt)* }) => {
        #[pymethods]
        impl $ty {
            $($items)*

            fn __richcmp__(
                &self,
                py: Python<'_>,
                other: &Bound<'_, PyAny>,
                op: CompareOp,
            ) -> PyResult<PyObject> {
                event_richcmp(self, py, other, op)
            }

            fn __hash__(&self) -> PyResult<isize> {
                Err(PyTypeError::new_err(concat!(
                    "unhashable type: '",
                    stringify!($ty),
                    "'"
                )))
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                event_repr(self, py, stringify!($ty))
            }
        }
    };
}

/// The beginning of an HTTP request: `method`, `target`, `headers` and `http_version`.
#[pyclass(frozen, subclass, module = "h1x._h1x")]
pub struct Request {
    #[pyo3(get)]
    pub(crate) method: Py<PyBytes>,
    pub(crate) headers: EventHeaders,
    #[pyo3(get)]
    pub(crate) target: Py<PyBytes>,
    #[pyo3(get)]
    pub(crate) http_version: Py<PyBytes>,
}

impl Request {
    /// The constructor's work, also called by the public class's `tp_new` (`classes`).
    pub(crate) fn build(
        py: Python<'_>,
        method: &Bound<'_, PyAny>,
        headers: &Bound<'_, PyAny>,
        target: &Bound<'_, PyAny>,
        http_version: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let c = consts(py)?;
        let method = bytesify(method)?;
        let target = bytesify(target)?;
        let http_version = match http_version {
            Some(v) => bytesify(v)?,
            None => c.v11.bind(py).clone(),
        };
        let headers = Headers::from_py(py, headers)?;
        // refused here as h11 does: bad field syntax, and what the fields must say whatever
        // the connection (Host on HTTP/1.1, Content-Length, Transfer-Encoding)
        let version = version_of(http_version.as_bytes());
        headers.with_core(py, |hs| {
            let checked = h1x::check_request_head(method.as_bytes(), target.as_bytes(), hs)
                .and_then(|()| version.map_or(Ok(()), |v| h1x::check_request_fields(v, hs)));
            check(py, checked, hs)
        })?;
        Ok(Request {
            method: method.unbind(),
            headers,
            target: target.unbind(),
            http_version: http_version.unbind(),
        })
    }
}

event_methods!(Request {
    #[getter]
    fn headers(&self, py: Python<'_>) -> PyResult<Py<Headers>> {
        self.headers.object(py)
    }

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
        Self::build(py, method, headers, target, http_version)
    }
});

impl Event for Request {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        Ok(vec![
            ("method", self.method.bind(py).clone().into_any()),
            (
                "headers",
                self.headers.object(py)?.into_bound(py).into_any(),
            ),
            ("target", self.target.bind(py).clone().into_any()),
            (
                "http_version",
                self.http_version.bind(py).clone().into_any(),
            ),
        ])
    }
}

/// Fields shared by both response classes.
pub(crate) struct ResponseFields {
    pub(crate) headers: EventHeaders,
    pub(crate) http_version: Py<PyBytes>,
    pub(crate) reason: Py<PyBytes>,
    pub(crate) status_code: u16,
}

pub(crate) fn response_new(
    py: Python<'_>,
    headers: &Bound<'_, PyAny>,
    status_code: &Bound<'_, PyAny>,
    http_version: Option<&Bound<'_, PyAny>>,
    reason: Option<&Bound<'_, PyAny>>,
    range: (u16, u16),
    class: &str,
) -> PyResult<ResponseFields> {
    let c = consts(py)?;
    let headers = Headers::from_py(py, headers)?;
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
    headers.with_core(py, |hs| {
        check(
            py,
            h1x::check_response_head(code as u16, reason.as_bytes(), hs),
            hs,
        )
    })?;
    Ok(ResponseFields {
        headers,
        http_version: http_version.unbind(),
        reason: reason.unbind(),
        status_code: code as u16,
    })
}

impl ResponseFields {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        Ok(vec![
            (
                "headers",
                self.headers.object(py)?.into_bound(py).into_any(),
            ),
            (
                "http_version",
                self.http_version.bind(py).clone().into_any(),
            ),
            ("reason", self.reason.bind(py).clone().into_any()),
            (
                "status_code",
                self.status_code.into_pyobject(py)?.into_any(),
            ),
        ])
    }
}

macro_rules! response_class {
    ($name:ident, $lo:expr, $hi:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyclass(frozen, subclass, module = "h1x._h1x")]
        pub struct $name {
            pub(crate) f: ResponseFields,
        }

        impl $name {
            /// The constructor's work, also called by the public class's `tp_new` (`classes`).
            pub(crate) fn build(
                py: Python<'_>,
                headers: &Bound<'_, PyAny>,
                status_code: &Bound<'_, PyAny>,
                http_version: Option<&Bound<'_, PyAny>>,
                reason: Option<&Bound<'_, PyAny>>,
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
        }

        event_methods!($name {
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
                Self::build(py, headers, status_code, http_version, reason)
            }

            #[getter]
            fn headers(&self, py: Python<'_>) -> PyResult<Py<Headers>> {
                self.f.headers.object(py)
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
        });

        impl Event for $name {
            fn fields<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
                self.f.fields(py)
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

/// Part of a message body. On a received chunked body, `chunk_start` says that the data begins
/// a chunk and `chunk_end` that it ends one (a chunk may arrive in several pieces), as in h11;
/// both `False` otherwise. They are ignored when sending (each `Data` is one chunk).
#[pyclass(frozen, subclass, module = "h1x._h1x")]
pub struct Data {
    #[pyo3(get)]
    pub(crate) data: PyObject,
    #[pyo3(get)]
    pub(crate) chunk_start: bool,
    #[pyo3(get)]
    pub(crate) chunk_end: bool,
}

event_methods!(Data {
    #[new]
    #[pyo3(signature = (data, chunk_start = false, chunk_end = false))]
    fn new(data: PyObject, chunk_start: bool, chunk_end: bool) -> Self {
        Data {
            data,
            chunk_start,
            chunk_end,
        }
    }
});

impl Event for Data {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        Ok(vec![
            ("data", self.data.bind(py).clone()),
            ("chunk_start", bool_obj(py, self.chunk_start).into_bound(py)),
            ("chunk_end", bool_obj(py, self.chunk_end).into_bound(py)),
        ])
    }
}

/// The end of a message, with its trailer fields in `headers` (empty unless chunked).
#[pyclass(frozen, subclass, module = "h1x._h1x")]
pub struct EndOfMessage {
    pub(crate) headers: EventHeaders,
}

event_methods!(EndOfMessage {
    #[getter]
    fn headers(&self, py: Python<'_>) -> PyResult<Py<Headers>> {
        self.headers.object(py)
    }

    /// `EndOfMessage(*, headers=[])`: trailer fields, for chunked messages only.
    #[new]
    #[pyo3(signature = (*, headers = None, _parsed = false))]
    fn new(py: Python<'_>, headers: Option<Bound<'_, PyAny>>, _parsed: bool) -> PyResult<Self> {
        Self::build(py, headers.as_ref())
    }
});

impl EndOfMessage {
    /// The constructor's work, also called by the public class's `tp_new` (`classes`).
    pub(crate) fn build(py: Python<'_>, headers: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let headers = match headers.filter(|h| !h.is_none()) {
            Some(h) => Headers::from_py(py, h)?,
            None => EventHeaders::empty(py, consts(py)?),
        };
        // trailer fields are checked as a head's fields are
        headers.with_core(py, |hs| check(py, h1x::check_fields(hs), hs))?;
        Ok(EndOfMessage { headers })
    }
}

impl Event for EndOfMessage {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        Ok(vec![(
            "headers",
            self.headers.object(py)?.into_bound(py).into_any(),
        )])
    }
}

/// The peer closed the connection (received), or we are closing it (sent).
#[pyclass(frozen, subclass, module = "h1x._h1x")]
pub struct ConnectionClosed {}

event_methods!(ConnectionClosed {
    #[new]
    fn new() -> Self {
        ConnectionClosed {}
    }
});

impl Event for ConnectionClosed {
    fn fields<'py>(&self, py: Python<'py>) -> PyResult<Vec<(&'static str, Bound<'py, PyAny>)>> {
        let _ = py;
        Ok(Vec::new())
    }
}

//! Python objects made once and shared by every connection: the sentinels and exception
//! classes handed over by `h1x/__init__.py`, versions, common methods and header names.

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::PyBytes;

use crate::classes::instance;
use crate::events::{ConnectionClosed, EndOfMessage};
use crate::headers::{EventHeaders, Headers};
use crate::names::Names;

pub(crate) const COMMON_METHODS: [&str; 8] = [
    "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT",
];

/// Python objects created once: sentinels, exception classes, versions, common names.
pub(crate) struct Consts {
    pub(crate) client: PyObject,
    pub(crate) server: PyObject,
    /// Indexed by `State as usize`.
    pub(crate) states: Vec<PyObject>,
    pub(crate) need_data: PyObject,
    pub(crate) paused: PyObject,
    pub(crate) local_error: PyObject,
    pub(crate) remote_error: PyObject,
    pub(crate) v10: Py<PyBytes>,
    pub(crate) v11: Py<PyBytes>,
    pub(crate) empty: Py<PyBytes>,
    pub(crate) empty_headers: Py<Headers>,
    /// `EndOfMessage()`, received without trailers or built without arguments.
    pub(crate) end_of_message: PyObject,
    pub(crate) connection_closed: PyObject,
    pub(crate) names: Names,
    pub(crate) methods: Vec<Py<PyBytes>>,
}

pub(crate) static CONSTS: GILOnceCell<Consts> = GILOnceCell::new();

pub(crate) fn consts(py: Python<'_>) -> PyResult<&'static Consts> {
    CONSTS
        .get(py)
        .ok_or_else(|| PyRuntimeError::new_err("h1x._h1x used before h1x._h1x._init"))
}

/// Receives the Python-defined sentinels and exceptions; called once by `h1x/__init__.py`.
#[pyfunction]
#[allow(clippy::too_many_arguments)]
pub(crate) fn _init(
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
    let consts = Consts {
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
        end_of_message: instance(
            py,
            EndOfMessage {
                headers: EventHeaders::Object(empty_headers.clone_ref(py)),
            },
        )?,
        empty_headers,
        connection_closed: instance(py, ConnectionClosed {})?,
        names: Names::new(py),
        methods: COMMON_METHODS
            .iter()
            .map(|m| PyBytes::new(py, m.as_bytes()).unbind())
            .collect(),
    };
    // a second import (e.g. importlib.reload) keeps the first set
    let _ = CONSTS.set(py, consts);
    Ok(())
}

//! `LocalProtocolError` and `RemoteProtocolError` instances from core errors, with `kind`
//! and `offset`.

use h1x::ErrorKind;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::cache::consts;

/// An exception instance of `cls` built from a core error.
pub(crate) fn make_error(
    py: Python<'_>,
    cls: &PyObject,
    msg: String,
    e: Option<h1x::Error>,
) -> PyErr {
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

pub(crate) fn local_error(py: Python<'_>, e: h1x::Error) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.local_error, e.to_string(), Some(e)),
        Err(err) => err,
    }
}

pub(crate) fn remote_error(py: Python<'_>, e: h1x::Error) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.remote_error, e.to_string(), Some(e)),
        Err(err) => err,
    }
}

pub(crate) fn local_msg(py: Python<'_>, msg: String) -> PyErr {
    match consts(py) {
        Ok(c) => make_error(py, &c.local_error, msg, None),
        Err(err) => err,
    }
}

/// Asks the core's encoder whether a head is valid, without writing: with no room to write,
/// a valid head reports `BufferTooSmall`, an invalid one its own error.
pub(crate) fn check_head(py: Python<'_>, result: Result<usize, h1x::Error>) -> PyResult<()> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if matches!(e.kind(), ErrorKind::BufferTooSmall { .. }) => Ok(()),
        Err(e) => Err(local_error(py, e)),
    }
}

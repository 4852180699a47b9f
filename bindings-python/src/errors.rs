//! `LocalProtocolError` and `RemoteProtocolError` instances from core errors, with `kind`
//! and `offset`.

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

/// A core check's verdict on a value built from Python (`check_request_head` and the like), as
/// `LocalProtocolError`.
pub(crate) fn check(py: Python<'_>, result: Result<(), h1x::Error>) -> PyResult<()> {
    result.map_err(|e| local_error(py, e))
}

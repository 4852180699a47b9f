//! Values between Python and Rust: h11's `bytesify`, versions, raw `bytes` access.

use h1x::Version;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::cache::Consts;

/// h11's `bytesify`: `bytes` as is, `str` encoded as ASCII, other bytes-like objects copied,
/// `int` refused.
pub(crate) fn bytesify<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
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

pub(crate) fn version_of(v: &[u8]) -> Option<Version> {
    match v {
        b"1.1" => Some(Version::Http11),
        b"1.0" => Some(Version::Http10),
        _ => None,
    }
}

pub(crate) fn version_obj(c: &Consts, py: Python<'_>, v: Version) -> Py<PyBytes> {
    match v {
        Version::Http10 => c.v10.clone_ref(py),
        Version::Http11 => c.v11.clone_ref(py),
    }
}

/// The bytes of an exact `bytes` object.
///
/// # Safety
/// `o` must be a live, exact `bytes` object that outlives `'a`.
pub(crate) unsafe fn bytes_of<'a>(o: *mut pyo3::ffi::PyObject) -> &'a [u8] {
    let p = pyo3::ffi::PyBytes_AsString(o);
    let n = pyo3::ffi::PyBytes_Size(o);
    std::slice::from_raw_parts(p as *const u8, n as usize)
}

pub(crate) fn bool_obj(py: Python<'_>, b: bool) -> PyObject {
    b.into_pyobject(py).unwrap().to_owned().into_any().unbind()
}

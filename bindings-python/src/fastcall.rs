//! `Connection.send` and `Connection.receive_data` with the vectorcall convention
//! (`METH_FASTCALL`), on Python 3.10 and later.
//!
//! A server calls these two once per event and once per read. Built for the stable ABI of
//! Python 3.9, pyo3 gives methods the older convention (`METH_VARARGS`): each call makes an
//! argument tuple, which pyo3 then matches against the signature. `METH_FASTCALL` joined the
//! stable ABI in Python 3.10, so when the running interpreter is 3.10 or later these two methods
//! are replaced by descriptors with that convention, doing the same work through the same Rust
//! functions. On 3.9 pyo3's methods stay. Either way the wheel is the one `abi3` build.

use std::ffi::{c_int, CString};

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple, PyType};

use crate::connection::Connection;

/// `METH_FASTCALL` (0x0080; in the stable ABI since Python 3.10).
const METH_FASTCALL: c_int = 0x0080;

/// The vectorcall convention with keywords: `args[..nargs]` positional, then one value per name
/// in the `kwnames` tuple (or null).
type FastWithKeywords = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// Replaces `send` and `receive_data` on `Connection` when the interpreter is 3.10 or later.
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    if py.version_info() < (3, 10) {
        return Ok(());
    }
    let ty = py.get_type::<Connection>();
    replace(&ty, c"send", send)?;
    replace(&ty, c"receive_data", receive_data)
}

fn replace(
    ty: &Bound<'_, PyType>,
    name: &'static std::ffi::CStr,
    f: FastWithKeywords,
) -> PyResult<()> {
    let py = ty.py();
    let name_str = name.to_str().expect("ASCII method names");
    // the same docstring and signature as pyo3's method
    let old = ty.getattr(name_str)?;
    let doc: String = old.getattr("__doc__")?.extract().unwrap_or_default();
    let sig: Option<String> = old.getattr("__text_signature__")?.extract()?;
    let doc = match sig {
        Some(sig) => format!("{name_str}{sig}\n--\n\n{doc}"),
        None => doc,
    };
    // the method table entry must live as long as the type: made once per process
    let def = Box::leak(Box::new(ffi::PyMethodDef {
        ml_name: name.as_ptr(),
        ml_meth: ffi::PyMethodDefPointer {
            // SAFETY: CPython calls `ml_meth` with the convention `ml_flags` names, here
            // METH_FASTCALL | METH_KEYWORDS, which is `f`'s signature
            PyCFunction: unsafe { std::mem::transmute::<FastWithKeywords, ffi::PyCFunction>(f) },
        },
        ml_flags: METH_FASTCALL | ffi::METH_KEYWORDS,
        ml_doc: CString::new(doc)?.into_raw(),
    }));
    // SAFETY: `ty` is a type object and `def` a method entry that outlives it
    let descr =
        unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyDescr_NewMethod(ty.as_type_ptr(), def))? };
    ty.setattr(name_str, descr)
}

/// The one argument of `name(param)`, given by position or by keyword.
///
/// # Safety
/// The arguments are those CPython passes to a METH_FASTCALL | METH_KEYWORDS function.
unsafe fn one_argument<'py>(
    py: Python<'py>,
    name: &str,
    param: &str,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> PyResult<Borrowed<'py, 'py, PyAny>> {
    // a method descriptor passes the count without PY_VECTORCALL_ARGUMENTS_OFFSET
    if nargs == 1 && kwnames.is_null() {
        // SAFETY: `args` holds one object
        return Ok(unsafe { Borrowed::from_ptr(py, *args) });
    }
    // SAFETY: `kwnames` is null or a tuple of str, `args` holds `nargs` + len(kwnames) objects
    let kw = unsafe { Borrowed::from_ptr_or_opt(py, kwnames) };
    let kwnames = kw
        .as_ref()
        .map(|k| unsafe { k.downcast_unchecked::<PyTuple>() });
    let nkw = kwnames.as_ref().map_or(0, |k| k.len());
    let nargs = nargs as usize;
    let names = match &kwnames {
        Some(k) => k
            .iter()
            .map(|n| Ok(n.downcast::<PyString>()?.to_cow()?.into_owned()))
            .collect::<PyResult<Vec<String>>>()?,
        None => Vec::new(),
    };
    if nargs + nkw == 1 && names.iter().all(|n| n == param) {
        // SAFETY: one object, positional or the value of the one keyword
        return Ok(unsafe { Borrowed::from_ptr(py, *args) });
    }
    if let Some(other) = names.iter().find(|n| *n != param) {
        return Err(PyTypeError::new_err(format!(
            "{name}() got an unexpected keyword argument '{other}'"
        )));
    }
    Err(PyTypeError::new_err(format!(
        "{name}() takes exactly one argument ({param}), {} given",
        nargs + nkw
    )))
}

/// Defines `$name`, a METH_FASTCALL | METH_KEYWORDS method of `Connection` taking one argument
/// `$param`: `$call(py, &mut Connection, &argument)` gives the result object.
macro_rules! one_argument_method {
    ($(#[$doc:meta])* $name:ident($param:literal) => $call:expr) => {
        $(#[$doc])*
        unsafe extern "C" fn $name(
            slf: *mut ffi::PyObject,
            args: *const *mut ffi::PyObject,
            nargs: ffi::Py_ssize_t,
            kwnames: *mut ffi::PyObject,
        ) -> *mut ffi::PyObject {
            unsafe fn body(
                py: Python<'_>,
                slf: *mut ffi::PyObject,
                args: *const *mut ffi::PyObject,
                nargs: ffi::Py_ssize_t,
                kwnames: *mut ffi::PyObject,
            ) -> PyResult<*mut ffi::PyObject> {
                // SAFETY: as CPython calls a method: the descriptor checked that `slf` is a
                // Connection
                let arg = unsafe {
                    one_argument(py, stringify!($name), $param, args, nargs, kwnames)?
                };
                let slf = unsafe { Borrowed::from_ptr(py, slf) };
                let conn = unsafe { slf.downcast_unchecked::<Connection>() };
                let call: for<'py> fn(
                    Python<'py>,
                    &mut Connection,
                    &Bound<'py, PyAny>,
                ) -> PyResult<*mut ffi::PyObject> = $call;
                let mut conn = conn.try_borrow_mut()?;
                call(py, &mut conn, &arg)
            }
            // SAFETY: called by CPython with the GIL held
            unsafe {
                pyo3::impl_::trampoline::fastcall_with_keywords(slf, args, nargs, kwnames, body)
            }
        }
    };
}

one_argument_method!(
    /// `conn.send(event)`.
    send("event") => |py, conn, event| {
        let out = conn.send(py, event)?;
        Ok(out.map_or_else(|| py.None().into_ptr(), Bound::into_ptr))
    }
);

one_argument_method!(
    /// `conn.receive_data(data)`.
    receive_data("data") => |py, conn, data| {
        conn.receive_data(data)?;
        Ok(py.None().into_ptr())
    }
);

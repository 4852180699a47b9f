//! A faster `__new__` for the keyword-only event classes (`Request`, `InformationalResponse`,
//! `Response`).
//!
//! pyo3's generated constructor matches each keyword by its UTF-8 text, and under the stable ABI
//! for Python 3.9 getting that text allocates a `bytes` object per keyword: most of the cost of
//! `Response(status_code=200, headers=[...], reason=b"OK")`. The `__new__` installed here finds
//! the keywords by identity with interned names (Python interns the keywords written in code),
//! then does the constructor's work. Any other call (positional arguments, a keyword it does not
//! know or a missing one, `_parsed`) goes to pyo3's constructor, whose checks and messages are
//! therefore unchanged.

use pyo3::exceptions::PyTypeError;
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyCFunction, PyDict, PyString, PyTuple, PyType};
use pyo3::PyClass;

use crate::events::{InformationalResponse, Request, Response};

/// Keyword values, by position in the class's list of names.
type Values<'a, 'py, const N: usize> = [Option<Borrowed<'a, 'py, PyAny>>; N];

/// The work of a constructor given its keyword values; `Ok(None)` when a required one is missing
/// (pyo3's constructor then reports it).
type Build<T, const N: usize> =
    for<'a, 'py> fn(Python<'py>, Values<'a, 'py, N>) -> PyResult<Option<T>>;

/// Installs the fast `__new__` on the three classes.
pub(crate) fn install(py: Python<'_>) -> PyResult<()> {
    install_one::<Request, 4>(
        py,
        ["method", "headers", "target", "http_version"],
        |py, [method, headers, target, version]| {
            let (Some(method), Some(headers), Some(target)) = (method, headers, target) else {
                return Ok(None);
            };
            Request::build(py, &method, &headers, &target, version.as_deref()).map(Some)
        },
    )?;
    install_one::<InformationalResponse, 4>(py, RESPONSE_KEYWORDS, |py, v| {
        response(v, |h, s, v, r| InformationalResponse::build(py, h, s, v, r))
    })?;
    install_one::<Response, 4>(py, RESPONSE_KEYWORDS, |py, v| {
        response(v, |h, s, v, r| Response::build(py, h, s, v, r))
    })
}

const RESPONSE_KEYWORDS: [&str; 4] = ["headers", "status_code", "http_version", "reason"];

fn response<'py, T>(
    [headers, status, version, reason]: Values<'_, 'py, 4>,
    build: impl Fn(
        &Bound<'py, PyAny>,
        &Bound<'py, PyAny>,
        Option<&Bound<'py, PyAny>>,
        Option<&Bound<'py, PyAny>>,
    ) -> PyResult<T>,
) -> PyResult<Option<T>> {
    let (Some(headers), Some(status)) = (headers, status) else {
        return Ok(None);
    };
    build(&headers, &status, version.as_deref(), reason.as_deref()).map(Some)
}

fn install_one<T: PyClass + Into<PyClassInitializer<T>>, const N: usize>(
    py: Python<'_>,
    names: [&'static str; N],
    build: Build<T, N>,
) -> PyResult<()> {
    let ty = py.get_type::<T>();
    // SAFETY: a heap type (pyo3 makes them) has its slots readable with PyType_GetSlot; pyo3
    // always sets `tp_new`
    let original: ffi::newfunc = unsafe {
        let slot = ffi::PyType_GetSlot(ty.as_type_ptr(), ffi::Py_tp_new);
        if slot.is_null() {
            return Ok(());
        }
        std::mem::transmute::<*mut std::ffi::c_void, ffi::newfunc>(slot)
    };
    let names: [Py<PyString>; N] = names.map(|n| PyString::intern(py, n).unbind());
    let class = ty.clone().unbind();
    let new = PyCFunction::new_closure(
        py,
        Some(ffi::c_str!("__new__")),
        None,
        move |args: &Bound<'_, PyTuple>,
              kwargs: Option<&Bound<'_, PyDict>>|
              -> PyResult<PyObject> {
            let py = args.py();
            let cls = class.bind(py);
            if args.len() == 1 && args.get_borrowed_item(0).is_ok_and(|a| a.is(cls)) {
                if let Some(values) = kwargs.and_then(|kw| by_identity(&names, kw)) {
                    if let Some(value) = build(py, values)? {
                        return Ok(Py::new(py, value)?.into_any());
                    }
                }
            }
            call_original(cls, original, args, kwargs)
        },
    )?;
    let staticmethod = py.import("builtins")?.getattr("staticmethod")?;
    ty.setattr("__new__", staticmethod.call1((new,))?)
}

/// The values of `kwargs` whose keys are (by identity) among `names`; `None` if any key is not.
fn by_identity<'a, 'py, const N: usize>(
    names: &[Py<PyString>; N],
    kwargs: &'a Bound<'py, PyDict>,
) -> Option<Values<'a, 'py, N>> {
    let mut values: Values<'a, 'py, N> = std::array::from_fn(|_| None);
    let mut pos: ffi::Py_ssize_t = 0;
    let mut key: *mut ffi::PyObject = std::ptr::null_mut();
    let mut value: *mut ffi::PyObject = std::ptr::null_mut();
    // SAFETY: PyDict_Next over a dict we hold; the borrowed values live as long as the dict
    // (no Python code runs while we iterate)
    while unsafe { ffi::PyDict_Next(kwargs.as_ptr(), &mut pos, &mut key, &mut value) } != 0 {
        let i = names.iter().position(|n| n.as_ptr() == key)?;
        // `x=None` is as if `x` were not given, as for pyo3's `Option` arguments
        let value = unsafe { Borrowed::from_ptr(kwargs.py(), value) };
        values[i] = (!value.is_none()).then_some(value);
    }
    Some(values)
}

/// `cls.__new__(*args, **kwargs)` as pyo3 defined it: `args[0]` is the class.
fn call_original(
    cls: &Bound<'_, PyType>,
    original: ffi::newfunc,
    args: &Bound<'_, PyTuple>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<PyObject> {
    let py = args.py();
    let name = cls.name()?;
    let Ok(first) = args.get_item(0) else {
        return Err(PyTypeError::new_err(format!(
            "{name}.__new__(): not enough arguments"
        )));
    };
    if !first.is(cls) {
        return Err(PyTypeError::new_err(format!(
            "{name}.__new__({}): not a subtype of {name}",
            first.repr()?
        )));
    }
    let rest = args.get_slice(1, args.len());
    let kwargs = kwargs.map_or(std::ptr::null_mut(), |k| k.as_ptr());
    // SAFETY: pyo3's tp_new for this class, called as CPython calls it
    unsafe {
        let obj = original(cls.as_type_ptr(), rest.as_ptr(), kwargs);
        Bound::from_owned_ptr_or_err(py, obj).map(Bound::unbind)
    }
}

//! The public event classes, and a constructor (`tp_new`) that costs what it must.
//!
//! h11's events are built with keywords: `Response(status_code=200, headers=[...], reason=b"OK")`.
//! Under the stable ABI for Python 3.9, pyo3's generated `tp_new` gets each keyword's text by
//! encoding it into a new `bytes` object, and a `__new__` set from Python goes through
//! `slot_tp_new` (an attribute lookup, a new argument tuple, a function call). Together these were
//! more than half the instructions of a server keep-alive cycle.
//!
//! So each public class (`h1x.Request`, `h1x.InformationalResponse`, ...) is a final subclass,
//! made here with `PyType_FromSpecWithBases`, of the pyo3 class of the same name in `events`
//! (which holds the fields, getters, comparison and repr). The subclass adds one slot, `tp_new`,
//! which takes the common calls directly: keywords found by identity with interned names (Python
//! interns the keywords written in code), `Data(data)`, `EndOfMessage()`. Anything else
//! (positional arguments where keywords are expected, a keyword it does not know, a missing one,
//! `_parsed`) is passed to pyo3's `tp_new` of the base class, so its checks and messages are
//! unchanged. Received events are made as instances of the public classes too, so
//! `type(event) is h1x.Request` holds for both.
//!
//! This uses two of pyo3's public but undocumented items, the ones its own generated code uses:
//! `impl_::trampoline::newfunc` (GIL bookkeeping, panics become exceptions) and
//! `PyObjectInit::into_new_object` (allocating a pyclass instance of a given subtype).

use std::ffi::{c_void, CStr};

use pyo3::ffi;
use pyo3::impl_::pyclass_init::PyObjectInit;
use pyo3::prelude::*;
use pyo3::sync::GILOnceCell;
use pyo3::types::{PyString, PyTuple, PyType};
use pyo3::PyClass;

use crate::cache::consts;
use crate::events::{
    ConnectionClosed, Data, EndOfMessage, InformationalResponse, Request, Response,
};

/// A public class: its type object and the base's (pyo3's) `tp_new`, for the uncommon calls.
pub(crate) struct Class {
    ty: Py<PyType>,
    base_new: ffi::newfunc,
    base_dealloc: ffi::destructor,
}

impl Class {
    /// The type object's address, for dispatch on `type(event)`.
    pub(crate) fn addr(&self) -> usize {
        self.ty.as_ptr() as usize
    }

    fn raw(&self) -> *mut ffi::PyTypeObject {
        self.ty.as_ptr().cast()
    }
}

/// The six public event classes, and the interned keyword names.
pub(crate) struct Classes {
    pub(crate) request: Class,
    pub(crate) informational: Class,
    pub(crate) response: Class,
    pub(crate) data: Class,
    pub(crate) end: Class,
    pub(crate) closed: Class,
    request_keywords: [Py<PyString>; 4],
    response_keywords: [Py<PyString>; 4],
    headers_keyword: [Py<PyString>; 1],
}

static CLASSES: GILOnceCell<Classes> = GILOnceCell::new();

/// The public classes; made by [`install`] when the module is created.
pub(crate) fn classes(py: Python<'_>) -> &'static Classes {
    CLASSES
        .get(py)
        .expect("h1x._h1x creates its classes when it is imported")
}

/// A pyo3 event class whose public subclass is made here.
pub(crate) trait Public: PyClass + Into<PyClassInitializer<Self>> {
    /// `"h1x.Name"`: the public class's module and name.
    const NAME: &'static CStr;
    /// This class's entry in [`Classes`].
    fn class(c: &Classes) -> &Class;
}

macro_rules! public {
    ($($ty:ident => $field:ident),* $(,)?) => {$(
        impl Public for $ty {
            const NAME: &'static CStr = match CStr::from_bytes_with_nul(
                concat!("h1x.", stringify!($ty), "\0").as_bytes(),
            ) {
                Ok(s) => s,
                Err(_) => panic!("no NUL inside a class name"),
            };
            fn class(c: &Classes) -> &Class {
                &c.$field
            }
        }
    )*};
}

public!(
    Request => request,
    InformationalResponse => informational,
    Response => response,
    Data => data,
    EndOfMessage => end,
    ConnectionClosed => closed,
);

/// A new instance of `T`'s public class holding `value`.
pub(crate) fn instance<T: Public>(py: Python<'_>, value: T) -> PyResult<PyObject> {
    let ty = T::class(classes(py)).raw();
    // SAFETY: `ty` is the public subclass of `T`, made in `install` with `T`'s layout
    unsafe {
        let init: PyClassInitializer<T> = value.into();
        let obj = init.into_new_object(py, ty)?;
        Ok(PyObject::from_owned_ptr(py, obj))
    }
}

/// Makes the public classes and adds them to the module.
pub(crate) fn install(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    let intern = |names: &[&str]| -> Vec<Py<PyString>> {
        names
            .iter()
            .map(|n| PyString::intern(py, n).unbind())
            .collect()
    };
    let four = |v: Vec<Py<PyString>>| -> [Py<PyString>; 4] {
        v.try_into().unwrap_or_else(|_| unreachable!("four names"))
    };
    let classes = Classes {
        request: make::<Request>(py, new_request)?,
        informational: make::<InformationalResponse>(py, new_informational)?,
        response: make::<Response>(py, new_response)?,
        data: make::<Data>(py, new_data)?,
        end: make::<EndOfMessage>(py, new_end)?,
        closed: make::<ConnectionClosed>(py, new_closed)?,
        request_keywords: four(intern(&["method", "headers", "target", "http_version"])),
        response_keywords: four(intern(&[
            "headers",
            "status_code",
            "http_version",
            "reason",
        ])),
        headers_keyword: [PyString::intern(py, "headers").unbind()],
    };
    // pyo3 initialises a module once per process, so this is the only set
    let _ = CLASSES.set(py, classes);
    let classes = self::classes(py);
    for c in [
        &classes.request,
        &classes.informational,
        &classes.response,
        &classes.data,
        &classes.end,
        &classes.closed,
    ] {
        let ty = c.ty.bind(py);
        m.add(ty.name()?, ty)?;
    }
    Ok(())
}

/// A class's fast path: the new object, or `None` to leave the call to pyo3's constructor.
/// Called with the arguments of `tp_new` (a tuple, a dict or null).
type Fast = for<'py> unsafe fn(
    Python<'py>,
    &Classes,
    *mut ffi::PyObject,
    *mut ffi::PyObject,
) -> PyResult<Option<PyObject>>;

/// Defines `$name`, the `tp_new` of `$ty`'s public class, taking the calls `$fast` knows.
macro_rules! slot {
    ($name:ident, $ty:ident, $fast:ident) => {
        unsafe extern "C" fn $name(
            subtype: *mut ffi::PyTypeObject,
            args: *mut ffi::PyObject,
            kwargs: *mut ffi::PyObject,
        ) -> *mut ffi::PyObject {
            unsafe fn body(
                py: Python<'_>,
                subtype: *mut ffi::PyTypeObject,
                args: *mut ffi::PyObject,
                kwargs: *mut ffi::PyObject,
            ) -> PyResult<*mut ffi::PyObject> {
                unsafe { construct::<$ty>(py, subtype, args, kwargs, $fast) }
            }
            // SAFETY: called by CPython as a `tp_new`, with the GIL held
            unsafe { pyo3::impl_::trampoline::newfunc(subtype, args, kwargs, body) }
        }
    };
}

slot!(new_request, Request, request_fast);
slot!(new_informational, InformationalResponse, informational_fast);
slot!(new_response, Response, response_fast);
slot!(new_data, Data, data_fast);
slot!(new_end, EndOfMessage, end_fast);
slot!(new_closed, ConnectionClosed, no_fast);

/// The work of `T`'s `tp_new`: `fast` for the public class itself, pyo3's constructor of the
/// base class otherwise and for what `fast` declines.
///
/// # Safety
/// The arguments are those CPython passes to `tp_new`.
unsafe fn construct<T: Public>(
    py: Python<'_>,
    subtype: *mut ffi::PyTypeObject,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
    fast: Fast,
) -> PyResult<*mut ffi::PyObject> {
    let c = classes(py);
    let class = T::class(c);
    if std::ptr::eq(class.raw(), subtype) {
        // SAFETY: as the caller promises
        if let Some(obj) = unsafe { fast(py, c, args, kwargs)? } {
            return Ok(obj.into_ptr());
        }
    }
    // SAFETY: pyo3's tp_new, called as CPython calls it (it accepts any subtype)
    let obj = unsafe { (class.base_new)(subtype, args, kwargs) };
    if obj.is_null() {
        Err(PyErr::fetch(py))
    } else {
        Ok(obj)
    }
}

/// Creates `T`'s public subclass with `tp_new` as its constructor.
fn make<T: Public>(py: Python<'_>, tp_new: ffi::newfunc) -> PyResult<Class> {
    let base = py.get_type::<T>();
    // SAFETY: pyo3 made `base` a heap type, whose slots PyType_GetSlot reads; pyo3 always sets
    // `tp_new` on a class with `#[new]`, and `tp_dealloc` on every class
    let (base_new, base_dealloc) = unsafe {
        let new = ffi::PyType_GetSlot(base.as_type_ptr(), ffi::Py_tp_new);
        let dealloc = ffi::PyType_GetSlot(base.as_type_ptr(), ffi::Py_tp_dealloc);
        assert!(
            !new.is_null() && !dealloc.is_null(),
            "pyo3 sets tp_new and tp_dealloc"
        );
        (
            std::mem::transmute::<*mut c_void, ffi::newfunc>(new),
            std::mem::transmute::<*mut c_void, ffi::destructor>(dealloc),
        )
    };
    // the spec is read during the call, except `name`, which must outlive the type (static)
    let mut slots = [
        ffi::PyType_Slot {
            slot: ffi::Py_tp_new,
            pfunc: tp_new as *mut c_void,
        },
        ffi::PyType_Slot {
            slot: ffi::Py_tp_dealloc,
            pfunc: dealloc::<T> as *mut c_void,
        },
        ffi::PyType_Slot {
            slot: 0,
            pfunc: std::ptr::null_mut(),
        },
    ];
    let mut spec = ffi::PyType_Spec {
        name: <T as Public>::NAME.as_ptr(),
        // 0: the base's layout, unchanged
        basicsize: 0,
        itemsize: 0,
        // no BASETYPE: final, as the pyo3 classes were
        flags: ffi::Py_TPFLAGS_DEFAULT as _,
        slots: slots.as_mut_ptr(),
    };
    let bases = PyTuple::new(py, [&base])?;
    // SAFETY: a valid spec and a tuple of one base class that allows subclassing
    let ty = unsafe {
        Bound::from_owned_ptr_or_err(py, ffi::PyType_FromSpecWithBases(&mut spec, bases.as_ptr()))?
    };
    let ty = ty.downcast_into::<PyType>()?;
    ty.setattr("__doc__", base.getattr("__doc__")?)?;
    Ok(Class {
        ty: ty.unbind(),
        base_new,
        base_dealloc,
    })
}

/// The `tp_dealloc` of `T`'s public class: pyo3's for the base class (it drops the Rust value and
/// frees the memory; the subclass adds no state), then the instance's reference to its heap type.
/// CPython's rules give that reference to the deallocator; pyo3 0.25 does not release it (PyO3
/// issue #6223, fixed in a later pyo3), and CPython's default for a spec-made subclass
/// (`subtype_dealloc`) leaves it to the base's deallocator. A test checks that the classes'
/// reference counts stay put over many instances.
unsafe extern "C" fn dealloc<T: Public>(obj: *mut ffi::PyObject) {
    // SAFETY: CPython calls tp_dealloc with the GIL held, on an instance of T's public class,
    // which holds one reference to that class
    unsafe {
        let py = Python::assume_gil_acquired();
        let ty = ffi::Py_TYPE(obj);
        (T::class(classes(py)).base_dealloc)(obj);
        ffi::Py_DECREF(ty.cast());
    }
}

/// Keyword values, by position in a list of names.
type Values<'a, 'py, const N: usize> = [Option<Borrowed<'a, 'py, PyAny>>; N];

/// When there are no positional arguments and every keyword is (by identity) one of `names`:
/// their values (`x=None` counts as absent, as for pyo3's `Option` arguments).
///
/// # Safety
/// `args` is a tuple and `kwargs` a dict or null, as CPython passes them to `tp_new`.
unsafe fn keywords<'a, 'py, const N: usize>(
    py: Python<'py>,
    names: &[Py<PyString>; N],
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> Option<Values<'a, 'py, N>> {
    // SAFETY: as the caller promises
    if unsafe { ffi::PyTuple_Size(args) } != 0 {
        return None;
    }
    let mut values: Values<'a, 'py, N> = std::array::from_fn(|_| None);
    if kwargs.is_null() {
        return Some(values);
    }
    let mut pos: ffi::Py_ssize_t = 0;
    let mut key: *mut ffi::PyObject = std::ptr::null_mut();
    let mut value: *mut ffi::PyObject = std::ptr::null_mut();
    // SAFETY: PyDict_Next over the call's dict, which lives until `tp_new` returns; no Python
    // code runs while we iterate
    while unsafe { ffi::PyDict_Next(kwargs, &mut pos, &mut key, &mut value) } != 0 {
        let i = names.iter().position(|n| n.as_ptr() == key)?;
        let value = unsafe { Borrowed::from_ptr(py, value) };
        values[i] = (!value.is_none()).then_some(value);
    }
    Some(values)
}

unsafe fn request_fast(
    py: Python<'_>,
    c: &Classes,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> PyResult<Option<PyObject>> {
    // SAFETY: arguments as CPython passes them
    let Some([Some(method), Some(headers), Some(target), version]) =
        (unsafe { keywords(py, &c.request_keywords, args, kwargs) })
    else {
        return Ok(None);
    };
    let value = Request::build(py, &method, &headers, &target, version.as_deref())?;
    instance(py, value).map(Some)
}

/// The fast path of `InformationalResponse` or `Response` (they share keywords).
macro_rules! response_fast {
    ($fn:ident, $ty:ident) => {
        unsafe fn $fn(
            py: Python<'_>,
            c: &Classes,
            args: *mut ffi::PyObject,
            kwargs: *mut ffi::PyObject,
        ) -> PyResult<Option<PyObject>> {
            // SAFETY: arguments as CPython passes them
            let Some([Some(headers), Some(status), version, reason]) =
                (unsafe { keywords(py, &c.response_keywords, args, kwargs) })
            else {
                return Ok(None);
            };
            let value = $ty::build(py, &headers, &status, version.as_deref(), reason.as_deref())?;
            instance(py, value).map(Some)
        }
    };
}

response_fast!(informational_fast, InformationalResponse);
response_fast!(response_fast, Response);

/// `Data(data)`, the common call.
unsafe fn data_fast(
    py: Python<'_>,
    _: &Classes,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> PyResult<Option<PyObject>> {
    // SAFETY: `args` is the call's tuple, alive for the call
    if !kwargs.is_null() || unsafe { ffi::PyTuple_Size(args) } != 1 {
        return Ok(None);
    }
    let data = unsafe { Borrowed::from_ptr(py, ffi::PyTuple_GetItem(args, 0)) };
    let value = Data {
        data: data.to_owned().unbind(),
        chunk_start: false,
        chunk_end: false,
    };
    instance(py, value).map(Some)
}

unsafe fn end_fast(
    py: Python<'_>,
    c: &Classes,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
) -> PyResult<Option<PyObject>> {
    // SAFETY: arguments as CPython passes them
    match unsafe { keywords(py, &c.headers_keyword, args, kwargs) } {
        // `EndOfMessage()`: events are immutable values, so one instance serves every call
        Some([None]) => Ok(Some(consts(py)?.end_of_message.clone_ref(py))),
        Some([Some(headers)]) => instance(py, EndOfMessage::build(py, Some(&headers))?).map(Some),
        None => Ok(None),
    }
}

/// `ConnectionClosed()` is rare: pyo3's constructor takes every call.
unsafe fn no_fast(
    _: Python<'_>,
    _: &Classes,
    _: *mut ffi::PyObject,
    _: *mut ffi::PyObject,
) -> PyResult<Option<PyObject>> {
    Ok(None)
}

//! `Headers`: the fields of an event, received (read in place from one copy of the bytes) or
//! given by Python code (normalised as h11 does), and their view as core headers.

use h1x::{Header, Span};
use pyo3::exceptions::{PyIndexError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pyclass::CompareOp;
use pyo3::types::{PyBytes, PyList, PyTuple};
use std::sync::OnceLock;

use crate::cache::{consts, Consts, CONSTS};
use crate::convert::{bytes_of, bytesify};

/// Bytes per received field's span in a `Source::Wire` block.
const SPAN: usize = 16;

/// Header slots on the stack when encoding a Python event's headers.
pub(crate) const SEND_STACK_HEADERS: usize = 12;

pub(crate) struct Item {
    raw: Py<PyBytes>,
    name: Py<PyBytes>,
    value: Py<PyBytes>,
}

/// Where a [`Headers`] gets its fields from. Python objects for the fields are only made
/// when Python looks at them; sending an event reads the bytes where they are.
pub(crate) enum Source {
    /// `items` was filled at construction.
    Items,
    /// Received: `block` holds `n` spans, each (name start, name end, value start, value end)
    /// as four little-endian `u32`, then a copy of the fields' bytes, which the spans index.
    /// One allocation for both.
    Wire { block: Py<PyBytes>, n: usize },
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
    /// Calls `f` with the fields as core headers (names as given or received), on the stack
    /// when they are few.
    pub(crate) fn with_core<R>(&self, py: Python<'_>, f: impl FnOnce(&[Header<'_>]) -> R) -> R {
        let n = self.len();
        if n == 0 {
            f(&[])
        } else if n <= SEND_STACK_HEADERS {
            let mut store = [Header::EMPTY; SEND_STACK_HEADERS];
            for (i, slot) in store[..n].iter_mut().enumerate() {
                *slot = self.raw_at(py, i);
            }
            f(&store[..n])
        } else {
            let store: Vec<Header<'_>> = (0..n).map(|i| self.raw_at(py, i)).collect();
            f(&store)
        }
    }

    pub(crate) fn with_items(items: Vec<Item>) -> Self {
        Headers {
            src: Source::Items,
            items: OnceLock::from(items),
        }
    }

    fn len(&self) -> usize {
        match &self.src {
            Source::Items => self.items.get().map_or(0, Vec::len),
            Source::Wire { n, .. } => *n,
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
            Source::Wire { block, n } => {
                let (spans, b) = block.as_bytes(py).split_at(n * SPAN);
                let at = |k: usize| {
                    let j = i * SPAN + k * 4;
                    u32::from_le_bytes([spans[j], spans[j + 1], spans[j + 2], spans[j + 3]])
                        as usize
                };
                Header {
                    name: &b[at(0)..at(1)],
                    value: &b[at(2)..at(3)],
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
                        let (raw, name) = c.names.objs(py, h.name);
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
                        let name = c.names.lower(py, &raw);
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
    pub(crate) fn from_received(
        py: Python<'_>,
        c: &Consts,
        input: &[u8],
        hs: &[Header<'_>],
    ) -> PyResult<EventHeaders> {
        if hs.is_empty() {
            return Ok(EventHeaders::empty(py, c));
        }
        // where each name and value lies in `input` (the core's fields are slices of it); an
        // empty value lies nowhere
        let (mut lo, mut hi, mut inside) = (usize::MAX, 0, true);
        for h in hs {
            for s in [h.name, h.value] {
                let at = Span::of(input, s);
                inside &= at.is_some() || s.is_empty();
                if let Some(at) = at.filter(|at| !at.is_empty()) {
                    lo = lo.min(at.start);
                    hi = hi.max(at.end);
                }
            }
        }
        if !inside || lo > hi || hi - lo > u32::MAX as usize {
            // not expected from the core; take the plain route
            let items = hs
                .iter()
                .map(|h| {
                    let (raw, name) = c.names.objs(py, h.name);
                    Item {
                        raw,
                        name,
                        value: PyBytes::new(py, h.value).unbind(),
                    }
                })
                .collect();
            return Ok(EventHeaders::new(Headers::with_items(items)));
        }
        // checked above: every non-empty name and value lies in input[lo..hi]
        let span = |s: &[u8]| -> [u32; 2] {
            match Span::of(input, s) {
                Some(at) if !at.is_empty() => [(at.start - lo) as u32, (at.end - lo) as u32],
                _ => [0, 0],
            }
        };
        let fields = &input[lo..hi];
        let block = PyBytes::new_with(py, hs.len() * SPAN + fields.len(), |buf| {
            let (spans, rest) = buf.split_at_mut(hs.len() * SPAN);
            for (h, out) in hs.iter().zip(spans.chunks_exact_mut(SPAN)) {
                let [a, z] = span(h.name);
                let [v, w] = span(h.value);
                for (k, x) in [a, z, v, w].into_iter().enumerate() {
                    out[k * 4..k * 4 + 4].copy_from_slice(&x.to_le_bytes());
                }
            }
            rest.copy_from_slice(fields);
            Ok(())
        })?;
        Ok(EventHeaders::new(Headers {
            src: Source::Wire {
                block: block.unbind(),
                n: hs.len(),
            },
            items: OnceLock::new(),
        }))
    }

    /// h11's `normalize_and_validate` minus the protocol rules (the core applies those when
    /// the event is sent): names and values become bytes, names are lower-cased. A list or
    /// tuple of `(bytes, bytes)` tuples is kept as a tuple and read in place.
    pub(crate) fn from_py(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<EventHeaders> {
        let c = consts(py)?;
        // the common calls first: a list (often empty) of pairs
        if let Ok(list) = obj.downcast_exact::<PyList>() {
            if list.is_empty() {
                return Ok(EventHeaders::empty(py, c));
            }
        } else if let Ok(h) = obj.downcast::<Headers>() {
            return Ok(EventHeaders::Object(h.clone().unbind()));
        }
        // exact (bytes, bytes) tuples only; borrowed reads, no reference counting
        let plain = |t: &Bound<'_, PyTuple>| {
            let bytes = |x: Borrowed<'_, '_, PyAny>| x.is_exact_instance_of::<PyBytes>();
            (0..t.len()).all(|i| {
                t.get_borrowed_item(i).is_ok_and(|pair| {
                    pair.downcast_exact::<PyTuple>().is_ok_and(|p| {
                        p.len() == 2
                            && p.get_borrowed_item(0).is_ok_and(bytes)
                            && p.get_borrowed_item(1).is_ok_and(bytes)
                    })
                })
            })
        };
        let tuple = if let Ok(list) = obj.downcast_exact::<PyList>() {
            Some(list.to_tuple())
        } else {
            obj.downcast_exact::<PyTuple>().ok().cloned()
        };
        if let Some(t) = tuple {
            if t.is_empty() {
                return Ok(EventHeaders::empty(py, c));
            }
            if plain(&t) {
                return Ok(EventHeaders::new(Headers {
                    src: Source::Pairs(t.clone().unbind(), t.len()),
                    items: OnceLock::new(),
                }));
            }
        }
        let mut items = Vec::new();
        for pair in obj.try_iter()? {
            let pair = pair?;
            let (name, value) = match pair.downcast_exact::<PyTuple>() {
                Ok(t) if t.len() == 2 => (t.get_item(0)?, t.get_item(1)?),
                _ => two_items(&pair)?,
            };
            let raw = bytesify(&name)?;
            let value = bytesify(&value)?;
            let name = c.names.lower(py, &raw);
            items.push(Item {
                raw: raw.unbind(),
                name,
                value: value.unbind(),
            });
        }
        if items.is_empty() {
            return Ok(EventHeaders::empty(py, c));
        }
        Ok(EventHeaders::new(Headers::with_items(items)))
    }

    /// A copy sharing the same Python objects.
    fn clone_ref(&self, py: Python<'_>) -> Headers {
        let src = match &self.src {
            Source::Items => Source::Items,
            Source::Wire { block, n } => Source::Wire {
                block: block.clone_ref(py),
                n: *n,
            },
            Source::Pairs(t, n) => Source::Pairs(t.clone_ref(py), *n),
        };
        let items = OnceLock::new();
        if let Some(v) = self.items.get() {
            let _ = items.set(
                v.iter()
                    .map(|it| Item {
                        raw: it.raw.clone_ref(py),
                        name: it.name.clone_ref(py),
                        value: it.value.clone_ref(py),
                    })
                    .collect(),
            );
        }
        Headers { src, items }
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

/// The two items of a header pair given as any iterable (`[name, value]`, a tuple subclass, a
/// generator...), as h11's `for name, value in headers` unpacks it; Python's own messages when
/// there are more or fewer.
fn two_items<'py>(pair: &Bound<'py, PyAny>) -> PyResult<(Bound<'py, PyAny>, Bound<'py, PyAny>)> {
    let mut it = pair.try_iter()?;
    let mut next = |got: usize| -> PyResult<Bound<'py, PyAny>> {
        it.next().transpose()?.ok_or_else(|| {
            PyValueError::new_err(format!(
                "not enough values to unpack (expected 2, got {got})"
            ))
        })
    };
    let (name, value) = (next(0)?, next(1)?);
    if it.next().transpose()?.is_some() {
        return Err(PyValueError::new_err(
            "too many values to unpack (expected 2)",
        ));
    }
    Ok((name, value))
}

/// An event's `headers`: a `Headers` object, or the fields themselves (read in place when the
/// event is sent) with the object Python sees made when it first asks for it. A received request
/// whose headers are never looked at, or a response built and sent, makes no `Headers` object.
pub(crate) enum EventHeaders {
    /// Given as a `Headers` object, or the shared empty one.
    Object(Py<Headers>),
    /// Not wrapped yet.
    Fields {
        fields: Headers,
        obj: OnceLock<Py<Headers>>,
    },
}

impl EventHeaders {
    fn new(fields: Headers) -> Self {
        EventHeaders::Fields {
            fields,
            obj: OnceLock::new(),
        }
    }

    /// No fields: the shared empty `Headers` object.
    pub(crate) fn empty(py: Python<'_>, c: &Consts) -> Self {
        EventHeaders::Object(c.empty_headers.clone_ref(py))
    }

    /// The `Headers` object, made on first use.
    pub(crate) fn object(&self, py: Python<'_>) -> PyResult<Py<Headers>> {
        match self {
            EventHeaders::Object(o) => Ok(o.clone_ref(py)),
            EventHeaders::Fields { fields, obj } => {
                if let Some(o) = obj.get() {
                    return Ok(o.clone_ref(py));
                }
                let made = Py::new(py, fields.clone_ref(py))?;
                // another thread may have made one meanwhile (free-threaded builds): keep the first
                Ok(obj.get_or_init(|| made).clone_ref(py))
            }
        }
    }

    /// See [`Headers::with_core`].
    pub(crate) fn with_core<R>(&self, py: Python<'_>, f: impl FnOnce(&[Header<'_>]) -> R) -> R {
        match self {
            EventHeaders::Object(o) => o.get().with_core(py, f),
            EventHeaders::Fields { fields, .. } => fields.with_core(py, f),
        }
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

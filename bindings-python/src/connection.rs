//! `Connection`: h11's connection object over a core `h1x::Connection`, with the receive buffer.

use h1x::{Header, Role};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyList, PyTuple};

use crate::cache::{consts, Consts};
use crate::convert::{bool_obj, bytesify, version_obj};
use crate::errors::{local_error_msg, remote_error, Received};
use crate::options::{self, DEFAULT_MAX_INCOMPLETE_EVENT_SIZE};
use crate::received::event_obj;
use crate::send::Sent;

/// Header storage on the stack for the common case. A head with more fields is decoded again
/// (from a saved copy of the connection) with more slots on the heap, up to `max_headers`.
pub(crate) const STACK_HEADERS: usize = 32;

/// An HTTP/1.1 connection, client or server: h11's `Connection`, driven by h1x.
#[pyclass(module = "h1x")]
pub struct Connection {
    pub(crate) conn: h1x::Connection,
    /// Received bytes; `buf[start..]` is not consumed yet.
    pub(crate) buf: Vec<u8>,
    pub(crate) start: usize,
    /// Encoding scratch space.
    pub(crate) out: Vec<u8>,
    pub(crate) max_headers: usize,
    /// Body bytes of the peer's current message received so far (for error messages).
    pub(crate) body_received: u64,
    /// `max_incomplete_event_size` when it bounds the head (for error messages).
    pub(crate) h11_limit: Option<u64>,
    pub(crate) our_role: PyObject,
    pub(crate) their_role: PyObject,
}

impl Connection {
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
    /// stack (`STACK_HEADERS` slots); a head with more fields than that is decoded again with
    /// as many slots as it needs, on the heap, when that is within `max_headers` (the core
    /// leaves the connection unchanged after `TooManyHeaders`); beyond, the peer's side fails.
    fn decode(&mut self, py: Python<'_>, c: &Consts) -> PyResult<PyObject> {
        let Connection {
            conn,
            buf,
            start,
            max_headers,
            body_received,
            h11_limit,
            ..
        } = self;
        let input = &buf[*start..];
        let mut arr = [Header::EMPTY; STACK_HEADERS];
        let mut heap;
        // for the error message's facts: the state before the call
        let (base, their_state, body_remaining) = (
            conn.bytes_received(),
            conn.their_state(),
            conn.body_remaining(),
        );
        let mut result = conn.decode(input, &mut arr[..(*max_headers).min(STACK_HEADERS)]);
        if let Err(e) = &result {
            if let Some(needed) = e.needed_headers() {
                if needed <= *max_headers {
                    heap = vec![Header::EMPTY; needed];
                    result = conn.decode(input, &mut heap);
                } else {
                    conn.receive_failed();
                }
            }
        }
        let (n, ev) = match result {
            Ok(x) => x,
            Err(e) => {
                let facts = Received {
                    input,
                    base,
                    cfg: conn.config(),
                    max_headers: *max_headers,
                    h11_limit: *h11_limit,
                    role: conn.role(),
                    their_state,
                    body_received: *body_received,
                    body_remaining,
                };
                return Err(remote_error(py, e, &facts));
            }
        };
        match ev {
            h1x::Event::Data(d) => *body_received += d.len() as u64,
            h1x::Event::Request(_) | h1x::Event::Response(_) => *body_received = 0,
            _ => {}
        }
        let obj = event_obj(py, c, input, &ev, conn.chunk_boundaries())?;
        *start += n;
        if *start == buf.len() {
            buf.clear();
            *start = 0;
        }
        Ok(obj)
    }
}

#[pymethods]
impl Connection {
    /// `Connection(our_role, max_incomplete_event_size=16384, *, max_head_bytes=None,
    /// max_line_bytes=None, max_trailer_bytes=None, max_chunk_ext_bytes=1024, max_headers=None,
    /// leniency=())`: the finer limits default to what the head limit allows.
    #[new]
    #[pyo3(signature = (
        our_role,
        max_incomplete_event_size = DEFAULT_MAX_INCOMPLETE_EVENT_SIZE as u64,
        *,
        max_head_bytes = None,
        max_line_bytes = None,
        max_trailer_bytes = None,
        max_chunk_ext_bytes = None,
        max_headers = None,
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
        max_headers: Option<usize>,
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
        let options::Limits {
            cfg,
            max_headers,
            h11_limit,
        } = options::limits(
            max_incomplete_event_size,
            max_head_bytes,
            max_line_bytes,
            max_trailer_bytes,
            max_chunk_ext_bytes,
            max_headers,
            leniency,
        )?;
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
            body_received: 0,
            h11_limit,
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
    pub(crate) fn receive_data(&mut self, data: &Bound<'_, PyAny>) -> PyResult<()> {
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
    pub(crate) fn send<'py>(
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

    /// Like `send`, but returns a list of byte strings (or `None`), as h11 does. A `Data` whose
    /// `data` is not bytes-like (a placeholder with `__len__`, e.g. for `sendfile`) is passed
    /// through untouched: the list is the framing before it, the object, the framing after it.
    fn send_with_data_passthrough<'py>(
        &mut self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Option<Bound<'py, PyList>>> {
        if let Some(data) = self.passthrough_object(py, event) {
            return self.send_passthrough(py, &data).map(Some);
        }
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
        let (client, server) = (self.conn.state(Role::Client), self.conn.state(Role::Server));
        self.conn.start_next_cycle().map_err(|e| {
            let states = format!(
                "not in a reusable state. self.states={{CLIENT: {}, SERVER: {}}}",
                client.name(),
                server.name()
            );
            local_error_msg(py, e, states)
        })
    }
}

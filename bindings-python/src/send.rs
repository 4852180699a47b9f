//! Encoding: a Python event in, the bytes to write out.

use h1x::{ErrorKind, Version};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyList, PyMemoryView};

use crate::classes::classes;
use crate::connection::Connection;
use crate::convert::{bytesify, version_of};
use crate::errors::{local_error_msg, send_text};
use crate::events::{Data, EndOfMessage, InformationalResponse, Request, Response, ResponseFields};

/// What `send` hands back.
pub(crate) enum Sent<'py> {
    /// `ConnectionClosed`: nothing to write.
    Nothing,
    /// This many bytes of the scratch buffer.
    Out(usize),
    /// Exactly the caller's body bytes (no framing around them): the same object.
    Same(Bound<'py, PyBytes>),
}

impl Connection {
    fn encode(&mut self, py: Python<'_>, ev: &h1x::Event<'_, '_>) -> PyResult<usize> {
        let state = self.conn.our_state();
        loop {
            match self.conn.encode(ev, &mut self.out) {
                Ok(n) => return Ok(n),
                Err(e) => match e.kind() {
                    ErrorKind::BufferTooSmall { needed } => self.out.resize(needed, 0),
                    kind => {
                        let (name, headers) = event_name(ev);
                        let text = send_text(kind, name, self.conn.role(), state, headers);
                        return Err(local_error_msg(py, e, text));
                    }
                },
            }
        }
    }

    /// Encodes a Python event; `None` for ConnectionClosed (nothing to write).
    pub(crate) fn send_event<'py>(
        &mut self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> PyResult<Sent<'py>> {
        let t = classes(py);
        let ty = event.get_type_ptr() as usize;
        // SAFETY (each downcast_unchecked below): the object's type is exactly that class
        if ty == t.data.addr() {
            let d = unsafe { event.downcast_unchecked::<Data>() };
            let data = d.get().data.bind(py);
            if let Ok(b) = data.downcast_exact::<PyBytes>() {
                let bytes = b.as_bytes();
                self.reserve(bytes.len());
                let n = self.encode(py, &h1x::Event::Data(bytes))?;
                // no framing was added: the wire bytes are the caller's object itself
                return Ok(if n == bytes.len() && n > 0 {
                    Sent::Same(b.clone())
                } else {
                    Sent::Out(n)
                });
            }
            let owned = bytesify(data)?;
            let bytes = owned.as_bytes();
            self.reserve(bytes.len());
            return self.encode(py, &h1x::Event::Data(bytes)).map(Sent::Out);
        }
        if ty == t.response.addr() {
            let r = unsafe { event.downcast_unchecked::<Response>() };
            return self.send_response(py, &r.get().f, false).map(Sent::Out);
        }
        if ty == t.informational.addr() {
            let r = unsafe { event.downcast_unchecked::<InformationalResponse>() };
            return self.send_response(py, &r.get().f, true).map(Sent::Out);
        }
        if ty == t.end.addr() {
            let e = unsafe { event.downcast_unchecked::<EndOfMessage>() };
            return e
                .get()
                .headers
                .with_core(py, |hs| self.encode(py, &h1x::Event::EndOfMessage(hs)))
                .map(Sent::Out);
        }
        if ty == t.request.addr() {
            let r = unsafe { event.downcast_unchecked::<Request>() }.get();
            let method = r.method.bind(py).as_bytes();
            let target = r.target.bind(py).as_bytes();
            let version = self.version(py, r.http_version.bind(py))?;
            return r
                .headers
                .with_core(py, |headers| {
                    let ev = h1x::Event::Request(h1x::Request {
                        method,
                        target,
                        version,
                        headers,
                    });
                    self.encode(py, &ev)
                })
                .map(Sent::Out);
        }
        if ty == t.closed.addr() {
            self.encode(py, &h1x::Event::ConnectionClosed)?;
            return Ok(Sent::Nothing);
        }
        Err(PyTypeError::new_err(format!(
            "expected an h1x event, not {}",
            event.get_type().name()?
        )))
    }

    /// The `data` of a `Data` event that `send_with_data_passthrough` hands back untouched:
    /// anything but `bytes`, `bytearray` and `memoryview`.
    pub(crate) fn passthrough_object<'py>(
        &self,
        py: Python<'py>,
        event: &Bound<'py, PyAny>,
    ) -> Option<Bound<'py, PyAny>> {
        if event.get_type_ptr() as usize != classes(py).data.addr() {
            return None;
        }
        // SAFETY: the object's type is exactly the Data class
        let data = unsafe { event.downcast_unchecked::<Data>() }
            .get()
            .data
            .bind(py);
        let bytes_like = data.is_instance_of::<PyBytes>()
            || data.is_instance_of::<PyByteArray>()
            || data.is_instance_of::<PyMemoryView>();
        (!bytes_like).then(|| data.clone())
    }

    /// `[framing before, data, framing after]` (empty framing left out) for `len(data)` bytes
    /// the caller writes itself, with the checks of sending `Data`.
    pub(crate) fn send_passthrough<'py>(
        &mut self,
        py: Python<'py>,
        data: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let len = data.len()?;
        let state = self.conn.our_state();
        self.reserve(0);
        let (before, after) = self
            .conn
            .encode_data_framing(len, &mut self.out)
            .map_err(|e| {
                let text = send_text(e.kind(), "Data", self.conn.role(), state, &[]);
                local_error_msg(py, e, text)
            })?;
        let list = PyList::empty(py);
        if before > 0 {
            list.append(PyBytes::new(py, &self.out[..before]))?;
        }
        list.append(data)?;
        if after > 0 {
            list.append(PyBytes::new(py, &self.out[before..before + after]))?;
        }
        Ok(list)
    }

    fn send_response(
        &mut self,
        py: Python<'_>,
        f: &ResponseFields,
        interim: bool,
    ) -> PyResult<usize> {
        let version = self.version(py, f.http_version.bind(py))?;
        let reason = f.reason.bind(py).as_bytes();
        let status = f.status_code;
        f.headers.with_core(py, |headers| {
            let res = h1x::Response {
                status,
                reason,
                version,
                headers,
            };
            let ev = if interim {
                h1x::Event::InformationalResponse(res)
            } else {
                h1x::Event::Response(res)
            };
            self.encode(py, &ev)
        })
    }

    /// The version of a head we are asked to send: HTTP/1.1 only, as h11 (a head we send says
    /// what we speak, whatever the peer's version; `Response(http_version=b"1.0")` is refused).
    fn version(&self, py: Python<'_>, v: &Bound<'_, PyBytes>) -> PyResult<Version> {
        match version_of(v.as_bytes()) {
            Some(Version::Http11) => Ok(Version::Http11),
            _ => Err(local_error_msg(
                py,
                h1x::Error::local(ErrorKind::InvalidVersion),
                "I only send HTTP/1.1".into(),
            )),
        }
    }

    fn reserve(&mut self, body: usize) {
        // room for the chunk framing too, so a body is encoded in one pass
        if self.out.len() < body + 32 {
            self.out.resize(body + 32, 0);
        }
    }
}

/// The class name of an event (for messages) and its fields.
fn event_name<'a>(ev: &'a h1x::Event<'_, '_>) -> (&'static str, &'a [h1x::Header<'a>]) {
    match ev {
        h1x::Event::Request(r) => ("Request", r.headers),
        h1x::Event::InformationalResponse(r) => ("InformationalResponse", r.headers),
        h1x::Event::Response(r) => ("Response", r.headers),
        h1x::Event::Data(_) => ("Data", &[]),
        h1x::Event::EndOfMessage(t) => ("EndOfMessage", t),
        h1x::Event::ConnectionClosed => ("ConnectionClosed", &[]),
        h1x::Event::NeedData | h1x::Event::Paused => ("", &[]),
    }
}

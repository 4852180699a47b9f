//! Decoded core events as Python objects.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::cache::{Consts, COMMON_METHODS};
use crate::classes::instance;
use crate::convert::version_obj;
use crate::events::{Data, EndOfMessage, InformationalResponse, Request, Response, ResponseFields};
use crate::headers::Headers;

/// A decoded core event as a Python object; `chunk` is the core's `chunk_boundaries()` for
/// `Data`.
pub(crate) fn event_obj(
    py: Python<'_>,
    c: &Consts,
    input: &[u8],
    ev: &h1x::Event<'_, '_>,
    chunk: (bool, bool),
) -> PyResult<PyObject> {
    Ok(match *ev {
        h1x::Event::NeedData => c.need_data.clone_ref(py),
        h1x::Event::Paused => c.paused.clone_ref(py),
        h1x::Event::Data(d) => instance(
            py,
            Data {
                data: PyBytes::new(py, d).into_any().unbind(),
                chunk_start: chunk.0,
                chunk_end: chunk.1,
            },
        )?,
        h1x::Event::Request(ref r) => {
            let method = match COMMON_METHODS.iter().position(|m| m.as_bytes() == r.method) {
                Some(i) => c.methods[i].clone_ref(py),
                None => PyBytes::new(py, r.method).unbind(),
            };
            instance(
                py,
                Request {
                    method,
                    headers: Headers::from_received(py, c, input, r.headers)?,
                    target: PyBytes::new(py, r.target).unbind(),
                    http_version: version_obj(c, py, r.version),
                },
            )?
        }
        h1x::Event::InformationalResponse(ref r) => instance(
            py,
            InformationalResponse {
                f: received_response(py, c, input, r)?,
            },
        )?,
        h1x::Event::Response(ref r) => instance(
            py,
            Response {
                f: received_response(py, c, input, r)?,
            },
        )?,
        h1x::Event::EndOfMessage([]) => c.end_of_message.clone_ref(py),
        h1x::Event::EndOfMessage(trailers) => instance(
            py,
            EndOfMessage {
                headers: Headers::from_received(py, c, input, trailers)?,
            },
        )?,
        h1x::Event::ConnectionClosed => c.connection_closed.clone_ref(py),
    })
}

pub(crate) fn received_response(
    py: Python<'_>,
    c: &Consts,
    input: &[u8],
    r: &h1x::Response<'_, '_>,
) -> PyResult<ResponseFields> {
    Ok(ResponseFields {
        headers: Headers::from_received(py, c, input, r.headers)?,
        http_version: version_obj(c, py, r.version),
        reason: if r.reason.is_empty() {
            c.empty.clone_ref(py)
        } else {
            PyBytes::new(py, r.reason).unbind()
        },
        status_code: r.status,
    })
}

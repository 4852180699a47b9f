//! `h1x._h1x`: the native half of the Python package `h1x`, a drop-in for h11's API.
//!
//! The binding holds no protocol logic. [`h1x::Connection`] decides every transition, every
//! framing question and every error; this crate owns the receive buffer (a `Vec<u8>` it compacts),
//! translates values between Python and Rust, and keeps the crossings few: input is read straight
//! from `bytes`/`bytearray`, events are built directly as native objects, and sentinels, states,
//! versions and common header names are cached Python objects.
//!
//! The pure-Python half (`python/h1x/__init__.py`) defines the sentinels and the exception
//! classes (so that they behave exactly like h11's) and hands them to [`_init`].
//!
//! Modules:
//! - `connection`: `Connection`, the receive buffer, `next_event` and the state getters;
//! - `fastcall`: `send` and `receive_data` with the vectorcall convention on Python 3.10+;
//! - `send`: encoding a Python event into the bytes to write;
//! - `received`: decoded core events as Python event objects;
//! - `events`: the event classes and what they share (equality, repr);
//! - `classes`: the public event classes, final subclasses of those in `events` whose
//!   constructor takes the common calls without pyo3's generic argument matching;
//! - `headers`: the `Headers` sequence, received or given, and its view as core headers;
//! - `names`: cached `bytes` objects for common header names;
//! - `options`: `Connection`'s keyword options as a core `Config`;
//! - `errors`: `LocalProtocolError`/`RemoteProtocolError` from core errors;
//! - `convert`: h11's `bytesify`, versions, raw `bytes` access;
//! - `cache`: the Python objects made once (sentinels, exception classes, versions);
//! - `asgi`: `AsgiConnection`, the server side of a connection shaped for `h1x.uvicorn`.

#![warn(missing_docs)]

mod asgi;
mod cache;
mod classes;
mod connection;
mod convert;
mod errors;
mod events;
mod fastcall;
mod headers;
mod names;
mod options;
mod received;
mod send;

use pyo3::prelude::*;

use cache::_init;
use connection::Connection;
use headers::Headers;
use options::DEFAULT_MAX_INCOMPLETE_EVENT_SIZE;

/// The native module `h1x._h1x`.
#[pymodule]
fn _h1x(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(_init, m)?)?;
    m.add_class::<Connection>()?;
    fastcall::install(m.py())?;
    m.add_class::<Headers>()?;
    m.add_class::<asgi::AsgiConnection>()?;
    m.add_function(wrap_pyfunction!(asgi::error_response, m)?)?;
    classes::install(m)?;
    m.add(
        "DEFAULT_MAX_INCOMPLETE_EVENT_SIZE",
        DEFAULT_MAX_INCOMPLETE_EVENT_SIZE,
    )?;
    // the core's tables, so that the package repeats none of them
    let states: Vec<&str> = h1x::State::ALL.iter().map(|s| s.name()).collect();
    m.add("STATE_NAMES", states)?;
    let leniencies: Vec<&str> = h1x::Leniency::ALL.iter().map(|(name, _)| *name).collect();
    m.add("LENIENCY_NAMES", leniencies)?;
    let kinds: Vec<(&str, &str, u16)> = h1x::ErrorKind::ALL
        .iter()
        .map(|k| (k.name(), k.description(), k.status()))
        .collect();
    m.add("ERROR_KINDS", kinds)?;
    // the workspace version (Cargo.toml), the one version of every h1x package
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}

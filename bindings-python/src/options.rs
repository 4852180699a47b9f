//! The keyword options of `Connection`: size limits and leniencies, as a core `Config`.

use h1x::{Config, Leniency};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// The default header-count limit (`max_headers`).
pub(crate) const DEFAULT_MAX_HEADERS: usize = 100;

/// h11's default for `max_incomplete_event_size`.
pub(crate) const DEFAULT_MAX_INCOMPLETE_EVENT_SIZE: u32 = 16 * 1024;

/// A leniency by its name in the core's table ([`Leniency::ALL`]), case and `-`/`_` ignored.
pub(crate) fn leniency_of(name: &str) -> Option<Leniency> {
    let name = name.to_ascii_uppercase().replace('-', "_");
    Leniency::ALL
        .iter()
        .find(|(n, _)| *n == name)
        .map(|&(_, l)| l)
}

pub(crate) fn limit<T: TryFrom<u64>>(name: &str, v: u64) -> PyResult<T> {
    T::try_from(v).map_err(|_| PyValueError::new_err(format!("{name} is too large: {v}")))
}

/// The core configuration for `Connection(...)`'s keyword options, checked: h11's
/// `max_incomplete_event_size` is the head limit unless `max_head_bytes` is given.
pub(crate) fn config(
    max_incomplete_event_size: u64,
    max_head_bytes: Option<u64>,
    max_line_bytes: Option<u64>,
    max_trailer_bytes: Option<u64>,
    max_chunk_ext_bytes: Option<u64>,
    max_headers: usize,
    leniency: Option<&Bound<'_, PyAny>>,
) -> PyResult<Config> {
    let mut cfg = Config::DEFAULT.with_max_head_bytes(limit(
        "max_head_bytes",
        max_head_bytes.unwrap_or(max_incomplete_event_size),
    )?);
    if let Some(v) = max_line_bytes {
        cfg.max_line_bytes = limit("max_line_bytes", v)?;
    }
    if let Some(v) = max_trailer_bytes {
        cfg.max_trailer_bytes = limit("max_trailer_bytes", v)?;
    }
    if let Some(v) = max_chunk_ext_bytes {
        cfg.max_chunk_ext_bytes = limit("max_chunk_ext_bytes", v)?;
    }
    if let Some(names) = leniency {
        let names: Vec<String> = if let Ok(s) = names.downcast::<PyString>() {
            vec![s.to_cow()?.into_owned()]
        } else {
            names.extract()?
        };
        for name in names {
            let l = leniency_of(&name)
                .ok_or_else(|| PyValueError::new_err(format!("unknown leniency {name:?}")))?;
            cfg = cfg.lenient(l);
        }
    }
    if max_headers == 0 {
        return Err(PyValueError::new_err("max_headers must be at least 1"));
    }
    Ok(cfg)
}

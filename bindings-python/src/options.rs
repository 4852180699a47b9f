//! The keyword options of `Connection`: size limits and leniencies, as a core `Config`.

use h1x::{Config, Leniency};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// The header-count limit when `max_headers` is not given: as many fields as the head limit
/// can hold (the shortest field line, `a:` and LF, is 3 bytes), so that, as in h11, the size
/// of the head is the only bound unless the caller sets a finer one.
pub(crate) fn default_max_headers(max_head_bytes: u32) -> usize {
    max_head_bytes as usize / 3 + 1
}

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

/// What `Connection(...)`'s limits come to: the core configuration, the header-count limit, and
/// `max_incomplete_event_size` when it is what bounds the head (for messages).
pub(crate) struct Limits {
    pub(crate) cfg: Config,
    pub(crate) max_headers: usize,
    pub(crate) h11_limit: Option<u64>,
}

/// The core configuration for `Connection(...)`'s keyword options, checked, and the header-count
/// limit. As in h11, `max_incomplete_event_size` alone bounds a head: it is the head limit unless
/// `max_head_bytes` is given, and the line and trailer limits and the header count default to
/// what that head limit allows. The finer limits apply only where the caller sets them.
pub(crate) fn limits(
    max_incomplete_event_size: u64,
    max_head_bytes: Option<u64>,
    max_line_bytes: Option<u64>,
    max_trailer_bytes: Option<u64>,
    max_chunk_ext_bytes: Option<u64>,
    max_headers: Option<usize>,
    leniency: Option<&Bound<'_, PyAny>>,
) -> PyResult<Limits> {
    // h11 refuses a head once the bytes it holds without completing it exceed
    // `max_incomplete_event_size`: a head whose start line and fields fit the limit is complete
    // with the CRLF of its empty line, so that CRLF is not counted (the core's limit, which
    // triggers at a fixed byte whatever the split, counts it)
    let head: u32 = limit(
        "max_head_bytes",
        max_head_bytes.unwrap_or(max_incomplete_event_size.saturating_add(2)),
    )?;
    let mut cfg = Config::DEFAULT
        .with_max_head_bytes(head)
        .with_max_line_bytes(head)
        .with_max_trailer_bytes(head);
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
    let max_headers = max_headers.unwrap_or_else(|| default_max_headers(head));
    if max_headers == 0 {
        return Err(PyValueError::new_err("max_headers must be at least 1"));
    }
    Ok(Limits {
        cfg,
        max_headers,
        h11_limit: max_head_bytes
            .is_none()
            .then_some(max_incomplete_event_size),
    })
}

//! Common header names: received and given names found here reuse cached `bytes` objects,
//! and lower-casing them costs a table look-up.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

use h1x::COMMON_HEADER_NAMES;

pub(crate) struct CachedName {
    lower: Vec<u8>,
    usual: &'static [u8],
    lower_obj: Py<PyBytes>,
    usual_obj: Py<PyBytes>,
}

/// The `bytes` objects of the core's common names ([`COMMON_HEADER_NAMES`]): received and given
/// names found here reuse them. Found by length, then by case-insensitive compare.
pub(crate) struct Names {
    names: Vec<CachedName>,
    /// Indexes into `names`, by name length.
    by_len: Vec<Vec<usize>>,
}

impl Names {
    pub(crate) fn new(py: Python<'_>) -> Self {
        // the core's table of common names (usual spelling), lower-cased here once
        let names: Vec<CachedName> = COMMON_HEADER_NAMES
            .iter()
            .map(|usual| {
                let lower = usual.to_ascii_lowercase().into_bytes();
                CachedName {
                    lower_obj: PyBytes::new(py, &lower).unbind(),
                    usual_obj: PyBytes::new(py, usual.as_bytes()).unbind(),
                    lower,
                    usual: usual.as_bytes(),
                }
            })
            .collect();
        let longest = names.iter().map(|n| n.lower.len()).max().unwrap_or(0);
        let by_len = (0..=longest)
            .map(|len| {
                (0..names.len())
                    .filter(|&i| names[i].lower.len() == len)
                    .collect()
            })
            .collect();
        Names { names, by_len }
    }

    fn find(&self, raw: &[u8]) -> Option<&CachedName> {
        self.by_len
            .get(raw.len())?
            .iter()
            .map(|&i| &self.names[i])
            .find(|n| n.lower.eq_ignore_ascii_case(raw))
    }

    /// The lower-cased name object for a name given as bytes.
    pub(crate) fn lower(&self, py: Python<'_>, raw: &Bound<'_, PyBytes>) -> Py<PyBytes> {
        let b = raw.as_bytes();
        if let Some(n) = self.find(b) {
            n.lower_obj.clone_ref(py)
        } else if b.iter().any(u8::is_ascii_uppercase) {
            PyBytes::new(py, &b.to_ascii_lowercase()).unbind()
        } else {
            raw.clone().unbind()
        }
    }

    /// The raw and lower-cased name objects for a received name.
    pub(crate) fn objs(&self, py: Python<'_>, raw: &[u8]) -> (Py<PyBytes>, Py<PyBytes>) {
        if let Some(n) = self.find(raw) {
            let lower = n.lower_obj.clone_ref(py);
            let raw_obj = if raw == n.lower {
                lower.clone_ref(py)
            } else if raw == n.usual {
                n.usual_obj.clone_ref(py)
            } else {
                PyBytes::new(py, raw).unbind()
            };
            return (raw_obj, lower);
        }
        let raw_obj = PyBytes::new(py, raw).unbind();
        if raw.iter().any(u8::is_ascii_uppercase) {
            let lower = PyBytes::new(py, &raw.to_ascii_lowercase()).unbind();
            (raw_obj, lower)
        } else {
            (raw_obj.clone_ref(py), raw_obj)
        }
    }
}

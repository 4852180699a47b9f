//! Common header names: received and given names found here reuse cached `bytes` objects,
//! and lower-casing them costs a table look-up.

use pyo3::prelude::*;
use pyo3::types::PyBytes;

/// Header names seen in most messages: `(lower-case, usual spelling)`. Received names found here
/// reuse cached `bytes` objects instead of allocating new ones.
pub(crate) const COMMON_NAMES: [(&str, &str); 36] = [
    ("host", "Host"),
    ("user-agent", "User-Agent"),
    ("accept", "Accept"),
    ("accept-encoding", "Accept-Encoding"),
    ("accept-language", "Accept-Language"),
    ("connection", "Connection"),
    ("content-length", "Content-Length"),
    ("content-type", "Content-Type"),
    ("transfer-encoding", "Transfer-Encoding"),
    ("cookie", "Cookie"),
    ("referer", "Referer"),
    ("cache-control", "Cache-Control"),
    ("pragma", "Pragma"),
    ("upgrade", "Upgrade"),
    ("expect", "Expect"),
    ("origin", "Origin"),
    ("authorization", "Authorization"),
    ("if-none-match", "If-None-Match"),
    ("if-modified-since", "If-Modified-Since"),
    ("date", "Date"),
    ("server", "Server"),
    ("location", "Location"),
    ("link", "Link"),
    ("etag", "ETag"),
    ("last-modified", "Last-Modified"),
    ("set-cookie", "Set-Cookie"),
    ("vary", "Vary"),
    ("content-encoding", "Content-Encoding"),
    ("keep-alive", "Keep-Alive"),
    ("x-forwarded-for", "X-Forwarded-For"),
    ("x-request-id", "X-Request-Id"),
    ("dnt", "DNT"),
    ("progress", "Progress"),
    ("sec-fetch-mode", "Sec-Fetch-Mode"),
    ("sec-fetch-site", "Sec-Fetch-Site"),
    ("upgrade-insecure-requests", "Upgrade-Insecure-Requests"),
];

/// Longest name in `COMMON_NAMES`.
pub(crate) const NAME_CACHE_MAX_LEN: usize = 25;

pub(crate) struct CachedName {
    lower: &'static [u8],
    usual: &'static [u8],
    lower_obj: Py<PyBytes>,
    usual_obj: Py<PyBytes>,
}

/// The `bytes` objects of `COMMON_NAMES`, found by length, then by case-insensitive compare.
pub(crate) struct Names {
    names: Vec<CachedName>,
    /// Indexes into `names`, by name length.
    by_len: Vec<Vec<usize>>,
}

impl Names {
    pub(crate) fn new(py: Python<'_>) -> Self {
        Names {
            names: COMMON_NAMES
                .iter()
                .map(|(lower, usual)| CachedName {
                    lower: lower.as_bytes(),
                    usual: usual.as_bytes(),
                    lower_obj: PyBytes::new(py, lower.as_bytes()).unbind(),
                    usual_obj: PyBytes::new(py, usual.as_bytes()).unbind(),
                })
                .collect(),
            by_len: (0..=NAME_CACHE_MAX_LEN)
                .map(|len| {
                    (0..COMMON_NAMES.len())
                        .filter(|&i| COMMON_NAMES[i].0.len() == len)
                        .collect()
                })
                .collect(),
        }
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
